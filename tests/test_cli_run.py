"""`python -m bot run`: bad settings are one line and exit 2, never a traceback, never the token."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def run_bot(tmp_path, *args: str, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in ("BOT_TOKEN", "DATABASE_URL", "LOG_LEVEL")}
    base |= {"DATABASE_URL": f"sqlite:///{tmp_path / 'bot.sqlite3'}"} | env
    return subprocess.run([sys.executable, "-m", "bot", "run", *args], capture_output=True, text=True,
                          env=base, cwd=tmp_path, timeout=120, stdin=subprocess.DEVNULL)


@pytest.mark.parametrize(
    ("env", "args", "message"),
    [
        ({}, (), "BOT_TOKEN is not set"),
        ({"BOT_TOKEN": "   "}, (), "BOT_TOKEN is not set"),
        ({"BOT_TOKEN": "not-a-token-s3cr3t"}, (), "BOT_TOKEN is malformed"),
        ({"BOT_TOKEN": "12345:abc def s3cr3t"}, ("--or-terminal",), "BOT_TOKEN is malformed"),
        ({"BOT_TOKEN": "12345:abcs3cr3t", "DATABASE_URL": "postgres://x"}, (), "DATABASE_URL"),
        ({"BOT_TOKEN": "12345:abcs3cr3t", "LOG_LEVEL": "LOUD"}, (), "LOG_LEVEL"),
        ({"DEFAULT_LOCALE": "en"}, ("--or-terminal",), "DEFAULT_LOCALE"),
    ],
)
def test_bad_settings_are_one_line_and_exit_2(tmp_path, env, args, message):
    done = run_bot(tmp_path, *args, **env)
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], done.stderr
    assert "s3cr3t" not in done.stderr


def test_a_dotenv_file_in_the_working_directory_is_read(tmp_path):
    (tmp_path / ".env").write_text("BOT_TOKEN=oops-s3cr3t\n")
    done = run_bot(tmp_path)
    assert done.returncode == 2 and "BOT_TOKEN is malformed" in done.stderr
    assert "s3cr3t" not in done.stderr
