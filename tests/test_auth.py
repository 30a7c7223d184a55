"""Trainer login (playbook_coach/auth.py) and `playbook-coach trainer set-password` (playbook_coach/cmd_trainer.py)."""

from __future__ import annotations

import threading
import tomllib
from pathlib import Path

import bcrypt
import pytest
from click.testing import CliRunner

from playbook_coach.auth import LoginStatus, PasswordRejected, TrainerAuth, hash_password
from playbook_coach.cli import cli
from playbook_coach.cmd_trainer import with_hash
from rag.config import Settings

PASSWORD = "correct horse battery"


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def quick_hash(password: str = PASSWORD) -> str:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(4)).decode()  # low cost: tests only


@pytest.fixture
def trainer_settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={
            "trainer_password_hash": quick_hash(),
            "trainer_max_failures": 3,
            "trainer_lockout_seconds": 300,
            "trainer_session_seconds": 600,
        }
    )


def test_right_password_logs_in_and_wrong_one_counts_down(trainer_settings):
    auth = TrainerAuth(trainer_settings.console)
    first = auth.login("not it")
    assert first.status is LoginStatus.WRONG and first.attempts_left == 2
    assert "2 more attempts" in first.message()
    assert auth.login(PASSWORD).ok
    assert auth.login("not it").attempts_left == 2  # a success resets the count


def test_lockout_refuses_even_the_right_password_until_it_expires(trainer_settings):
    clock = Clock()
    auth = TrainerAuth(trainer_settings.console, clock)
    results = [auth.login(f"guess {n}") for n in range(3)]
    assert [r.status for r in results] == [LoginStatus.WRONG, LoginStatus.WRONG, LoginStatus.LOCKED]
    locked = auth.login(PASSWORD)
    assert locked.status is LoginStatus.LOCKED and "5 minutes" in locked.message()
    clock.now += 299
    assert auth.login(PASSWORD).status is LoginStatus.LOCKED
    clock.now += 2
    assert auth.login(PASSWORD).ok


def test_lockout_holds_across_sessions_and_restarts(trainer_settings):
    for n in range(3):
        TrainerAuth(trainer_settings.console).login(f"guess {n}")  # a new object each time: a new browser session
    assert TrainerAuth(trainer_settings.console).login(PASSWORD).status is LoginStatus.LOCKED


def test_concurrent_guesses_cannot_exceed_the_limit(trainer_settings):
    results = []
    threads = [
        threading.Thread(target=lambda: results.append(TrainerAuth(trainer_settings.console).login("guess")))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    statuses = [r.status for r in results]
    assert statuses.count(LoginStatus.WRONG) == 2  # the password was checked 3 times, never more
    assert statuses.count(LoginStatus.LOCKED) == 6


def test_session_ends_after_a_quiet_spell_and_activity_extends_it(trainer_settings):
    clock = Clock()
    auth = TrainerAuth(trainer_settings.console, clock)
    session = auth.start_session()
    clock.now += 500
    assert auth.active(session)  # counts as activity
    clock.now += 500
    assert auth.active(session)
    clock.now += 601
    assert not auth.active(session)
    assert not auth.active(None)


@pytest.mark.parametrize("stored", ["", "plain-text-password", "$2b$12$short"])
def test_missing_or_damaged_hash_lets_nobody_in(settings, stored):
    auth = TrainerAuth(settings.model_copy(update={"trainer_password_hash": stored}).console)
    result = auth.login(stored or "anything")
    assert result.status is LoginStatus.NOT_CONFIGURED
    assert "playbook-coach trainer set-password" in result.message()
    assert not auth.active(auth.start_session())


@pytest.mark.parametrize("attempt", ["", "x" * 100, "é" * 40, "\x00"])
def test_odd_passwords_are_just_wrong(trainer_settings, attempt):
    assert TrainerAuth(trainer_settings.console).login(attempt).status is LoginStatus.WRONG


@pytest.mark.parametrize("password, reason", [("short", "at least"), ("é" * 40, "at most"), (" " * 12, "spaces")])
def test_weak_or_unusable_new_passwords_are_refused(password, reason):
    with pytest.raises(PasswordRejected, match=reason):
        hash_password(password, rounds=4)


# playbook-coach trainer set-password
@pytest.fixture
def config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "playbook-coach.toml"
    monkeypatch.setenv("PLAYBOOK_COACH_CONFIG", str(path))
    return path


def test_set_password_from_stdin_writes_the_hash_the_console_accepts(config_file, tmp_path):
    config_file.write_text('# site settings\ntop_k = 7\n\n[extra]\ntrainer_password_hash = "keep me"\n')
    result = CliRunner().invoke(cli, ["trainer", "set-password", "--password-stdin"], input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output
    data = tomllib.loads(config_file.read_text())
    assert data["top_k"] == 7 and data["extra"] == {"trainer_password_hash": "keep me"}
    assert config_file.read_text().startswith("# site settings\n")
    assert config_file.stat().st_mode & 0o077 == 0  # readable by its owner only
    settings = Settings(home=tmp_path / "home")  # reads the TOML file named by PLAYBOOK_COACH_CONFIG
    assert settings.trainer_password_hash == data["trainer_password_hash"]
    assert TrainerAuth(settings.console).login(PASSWORD).ok


def test_set_password_prompts_twice_and_retries_on_a_mismatch(config_file):
    typed = f"{PASSWORD}\nsomething else\n{PASSWORD}\n{PASSWORD}\n"
    result = CliRunner().invoke(cli, ["trainer", "set-password"], input=typed)
    assert result.exit_code == 0, result.output
    assert "do not match" in result.output
    assert bcrypt.checkpw(PASSWORD.encode(), tomllib.loads(config_file.read_text())["trainer_password_hash"].encode())


def test_set_password_replaces_the_old_hash(config_file):
    runner = CliRunner()
    runner.invoke(cli, ["trainer", "set-password", "--password-stdin"], input="first password 1\n")
    runner.invoke(cli, ["trainer", "set-password", "--password-stdin"], input="second password 2\n")
    text = config_file.read_text()
    assert text.count("trainer_password_hash") == 1
    assert bcrypt.checkpw(b"second password 2", tomllib.loads(text)["trainer_password_hash"].encode())


def test_print_env_writes_nothing(config_file):
    result = CliRunner().invoke(
        cli, ["trainer", "set-password", "--password-stdin", "--print-env"], input=PASSWORD + "\n"
    )
    assert result.exit_code == 0
    name, _, value = result.output.strip().partition("=")
    assert name == "PLAYBOOK_COACH_TRAINER_PASSWORD_HASH"
    assert bcrypt.checkpw(PASSWORD.encode(), value.strip("'").encode())
    assert not config_file.exists()


def test_weak_password_and_broken_config_are_clear_errors(config_file):
    short = CliRunner().invoke(cli, ["trainer", "set-password", "--password-stdin"], input="abc\n")
    assert short.exit_code == 1 and "at least" in short.output and not config_file.exists()
    config_file.write_text("top_k = [unclosed\n")
    broken = CliRunner().invoke(cli, ["trainer", "set-password", "--password-stdin"], input=PASSWORD + "\n")
    assert broken.exit_code == 1 and "not valid TOML" in broken.output
    assert config_file.read_text() == "top_k = [unclosed\n"


def test_with_hash_sets_only_the_top_level_key():
    text = 'a = 1\ntrainer_password_hash = "old"\n[t]\ntrainer_password_hash = "t"\n'
    data = tomllib.loads(with_hash(text, "$2b$new"))
    assert data == {"a": 1, "trainer_password_hash": "$2b$new", "t": {"trainer_password_hash": "t"}}
    assert tomllib.loads(with_hash("", "$2b$x")) == {"trainer_password_hash": "$2b$x"}
