"""What every ``playbook-coach`` subcommand shares: its settings, and JSON on standard output."""

from __future__ import annotations

import json

import click

from rag.config import Settings


def settings_or_exit() -> Settings:
    """The settings, or a one-line error naming the bad one (exit 1)."""
    try:
        return Settings()
    except Exception as exc:  # pydantic's validation message names the bad setting
        raise click.ClickException(f"invalid settings: {exc}") from None


def emit_json(data: dict) -> None:
    click.echo(json.dumps(data, ensure_ascii=False))
