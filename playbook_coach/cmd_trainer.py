"""``playbook-coach trainer set-password``: store the trainer console's password as a bcrypt hash.

By default the hash is written to the TOML settings file (``$PLAYBOOK_COACH_CONFIG`` or
``./playbook-coach.toml``) as the top-level ``trainer_password_hash`` key, keeping the rest of the
file as it is. ``--print-env`` writes nothing and prints the environment line instead, for
deployments that keep settings in the environment. The password itself is never stored or echoed.
"""

from __future__ import annotations

import os
import re
import sys
import tomllib
from pathlib import Path

import click

from playbook_coach.auth import PasswordRejected, check_new_password, hash_password
from rag.config import ENV_PREFIX, toml_path

KEY = "trainer_password_hash"
ENV_NAME = f"{ENV_PREFIX}{KEY.upper()}"
_KEY_LINE = re.compile(rf"^\s*{KEY}\s*=")
_TABLE_LINE = re.compile(r"^\s*\[")


def with_hash(toml_text: str, password_hash: str) -> str:
    """``toml_text`` with the top-level hash key set; every other line is kept."""
    line = f'{KEY} = "{password_hash}"'
    lines = toml_text.splitlines()
    first_table = next((i for i, text in enumerate(lines) if _TABLE_LINE.match(text)), len(lines))
    top = [i for i in range(first_table) if _KEY_LINE.match(lines[i])]
    if top:
        lines[top[0]] = line
        for i in reversed(top[1:]):
            del lines[i]
    else:
        lines.insert(first_table, line)
    return "\n".join(lines) + "\n"


def write_hash(path: Path, password_hash: str) -> None:
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    try:
        tomllib.loads(old)
    except tomllib.TOMLDecodeError as exc:
        raise click.ClickException(f"{path} is not valid TOML ({exc}); fix it first") from None
    new = with_hash(old, password_hash)
    tomllib.loads(new)  # what we write must read back
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(new)
    os.replace(tmp, path)  # readers see the old file or the new one, never half of it


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("New trainer password", hide_input=True, confirmation_prompt="Repeat it")


@click.group("trainer")
def trainer_group() -> None:
    """Trainer console access."""


@trainer_group.command("set-password")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
@click.option("--print-env", is_flag=True, help=f"Print the {ENV_NAME}=... line instead of writing the settings file.")
def set_password(password_stdin: bool, print_env: bool) -> None:
    """Set the password that opens the trainer console (stored as a bcrypt hash)."""
    password = _read_password(password_stdin)
    try:
        check_new_password(password)
    except PasswordRejected as exc:
        raise click.ClickException(f"password not accepted: {exc}") from None
    password_hash = hash_password(password)
    if print_env:
        click.echo(f"{ENV_NAME}='{password_hash}'")  # single quotes: the hash contains '$'
        return
    path = toml_path()  # the file Settings reads
    try:
        write_hash(path, password_hash)
    except OSError as exc:
        raise click.ClickException(f"cannot write {path}: {exc.strerror or exc}") from None
    click.echo(f"Trainer password set: its hash is in {path}. Reload the trainer console to use it.")
    if os.environ.get(ENV_NAME):
        click.echo(f"Note: {ENV_NAME} is set in this environment and takes precedence over the file.", err=True)
