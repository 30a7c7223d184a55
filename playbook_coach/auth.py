"""Trainer login: a bcrypt password hash in settings, a lockout that outlives sessions, a session timeout.

There is one trainer account, so the lockout is per account, not per client: after
``trainer_max_failures`` wrong passwords in a row nobody can log in for ``trainer_lockout_seconds``.
That stops guessing from any number of browsers, at the price that someone guessing can keep trainers
out for a while (they still have the CLI). Failures are counted in SQLite in the data home so a new
browser session, a reload or a restart does not reset them.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

import bcrypt

from rag.config import ConsoleSettings
from rag.db import Database

MIN_PASSWORD_CHARS = 10
MAX_PASSWORD_BYTES = 72  # bcrypt looks at the first 72 bytes only; refuse rather than truncate silently
ACCOUNT = "trainer"
MAX_NAME_CHARS = 80

MIGRATIONS = [
    (
        "m001_logins",
        """
        CREATE TABLE logins (
            account TEXT PRIMARY KEY, failures INTEGER NOT NULL DEFAULT 0,
            locked_until REAL NOT NULL DEFAULT 0, last_failure REAL)
    """,
    ),
]


class PasswordRejected(ValueError):
    """A new password that cannot be used; the message says why."""


def check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_CHARS:
        raise PasswordRejected(f"use at least {MIN_PASSWORD_CHARS} characters")
    if len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        raise PasswordRejected(f"use at most {MAX_PASSWORD_BYTES} bytes (bcrypt ignores the rest)")
    if not password.strip():
        raise PasswordRejected("the password cannot be only spaces")


def hash_password(password: str, rounds: int = 12) -> str:
    check_new_password(password)
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds)).decode("ascii")


def is_bcrypt_hash(value: str) -> bool:
    return value.startswith(("$2a$", "$2b$", "$2y$")) and len(value) == 60


class LoginStatus(str, Enum):
    OK = "ok"
    WRONG = "wrong"
    LOCKED = "locked"
    NOT_CONFIGURED = "not_configured"


@dataclass(frozen=True)
class LoginResult:
    status: LoginStatus
    attempts_left: int = 0
    retry_in_seconds: int = 0

    @property
    def ok(self) -> bool:
        return self.status is LoginStatus.OK

    def message(self) -> str:
        """What the person at the login form is told."""
        if self.status is LoginStatus.OK:
            return "Logged in."
        if self.status is LoginStatus.NOT_CONFIGURED:
            return (
                "No trainer password is set up yet. On the server, run "
                "`playbook-coach trainer set-password`, then reload this page."
            )
        if self.status is LoginStatus.LOCKED:
            minutes = max(1, -(-self.retry_in_seconds // 60))
            return (
                f"Too many wrong passwords. The trainer console is locked; "
                f"try again in about {minutes} minute{'s' if minutes != 1 else ''}."
            )
        return (
            f"Wrong password. {self.attempts_left} more attempt{'s' if self.attempts_left != 1 else ''} "
            "before the console locks for a while."
        )


@dataclass
class TrainerSession:
    """Kept in the browser session's state; it ends after a quiet spell of ``trainer_session_seconds``."""

    last_seen: float
    name: str = ""  # who the trainer said they are: the audit log records it with every change


class TrainerAuth:
    def __init__(self, settings: ConsoleSettings, clock: Callable[[], float] = time.time) -> None:
        self.password_hash = settings.trainer_password_hash.strip()
        self.max_failures = settings.trainer_max_failures
        self.lockout_seconds = settings.trainer_lockout_seconds
        self.session_seconds = settings.trainer_session_seconds
        self.clock = clock
        self.db_path = settings.trainer_auth_path

    @property
    def configured(self) -> bool:
        return is_bcrypt_hash(self.password_hash)

    def login(self, password: str) -> LoginResult:
        if not self.configured:
            return LoginResult(LoginStatus.NOT_CONFIGURED)
        # One transaction per attempt: concurrent attempts queue up, so none escapes the count.
        with Database(self.db_path, MIGRATIONS).transaction() as conn:
            now = self.clock()
            conn.execute("INSERT OR IGNORE INTO logins (account) VALUES (?)", (ACCOUNT,))
            failures, locked_until = conn.execute(
                "SELECT failures, locked_until FROM logins WHERE account=?", (ACCOUNT,)
            ).fetchone()
            if locked_until > now:  # the password is not even checked while locked
                return LoginResult(LoginStatus.LOCKED, retry_in_seconds=math.ceil(locked_until - now))
            if _matches(password, self.password_hash):
                conn.execute("UPDATE logins SET failures=0, locked_until=0 WHERE account=?", (ACCOUNT,))
                return LoginResult(LoginStatus.OK)
            failures += 1
            if failures >= self.max_failures:
                conn.execute(
                    "UPDATE logins SET failures=0, locked_until=?, last_failure=? WHERE account=?",
                    (now + self.lockout_seconds, now, ACCOUNT),
                )
                return LoginResult(LoginStatus.LOCKED, retry_in_seconds=self.lockout_seconds)
            conn.execute("UPDATE logins SET failures=?, last_failure=? WHERE account=?", (failures, now, ACCOUNT))
            return LoginResult(LoginStatus.WRONG, attempts_left=self.max_failures - failures)

    def start_session(self, name: str = "") -> TrainerSession:
        now = self.clock()
        return TrainerSession(last_seen=now, name=" ".join(name.split())[:MAX_NAME_CHARS])

    def active(self, session: TrainerSession | None) -> bool:
        """True while the session is fresh; each check counts as activity and extends it."""
        if session is None or not self.configured:
            return False
        now = self.clock()
        if now - session.last_seen > self.session_seconds:
            return False
        session.last_seen = now
        return True


def _matches(password: str, password_hash: str) -> bool:
    candidate = password.encode("utf-8")
    if not candidate or len(candidate) > MAX_PASSWORD_BYTES:
        return False  # never a valid password, and bcrypt would raise on it
    try:
        return bcrypt.checkpw(candidate, password_hash.encode("ascii"))
    except ValueError:  # a damaged hash in settings: nobody gets in
        return False
