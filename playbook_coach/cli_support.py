"""What every ``playbook-coach`` subcommand shares: its settings, its errors, and JSON on standard output."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

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


@contextmanager
def one_line_errors(home: Path, verb: str = "write to") -> Iterator[None]:
    """A store that cannot be reached, a language model that cannot be loaded and a data home that cannot be
    used end the command with one line saying so (exit 1), never a traceback."""
    from rag.llm import LLMUnavailable
    from rag.store import StoreUnavailable

    try:
        yield
    except (StoreUnavailable, LLMUnavailable) as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"cannot {verb} the data home {home}: {exc}") from None
