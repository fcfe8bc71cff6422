"""`python -m bot run`: bad settings are one line and exit 2, never a traceback, never the token."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

import bot.data_files
from bot import DATA_DIR, terminal
from bot.cli import main as cli_main
from bot.data_files import check_data_files


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


def _prepend(text: str) -> str:
    return "surprise = 1\n" + text


def _json_key(text: str) -> str:
    return json.dumps({**json.loads(text), "surprise": 1}, ensure_ascii=False)


@pytest.mark.parametrize(
    ("name", "mutate", "line"),
    [
        ("ruleset/kz-199-2013.toml", lambda t: t.replace("percent_of_mrp = 100", 'percent_of_mrp = "100"'),
         "kz-199-2013.toml: fee.percent_of_mrp: Input should be a valid integer"),
        ("offices.json", _json_key, "offices.json: (top): unknown key 'surprise'"),
        ("kz_boundary.json", _json_key, "kz_boundary.json: (top): unknown key 'surprise'"),
        ("complaints.toml", _prepend, "complaints.toml: (top): unknown key 'surprise'"),
        ("mrp.toml", _prepend, "mrp.toml: (top): unknown key 'surprise'"),
        ("holidays_ru.toml", _prepend, "holidays_ru.toml: (top): unknown key 'surprise'"),
        ("surveys/after_visit.toml", _prepend, "after_visit.toml: (top): unknown key 'surprise'"),
        ("indicators.toml", _prepend, "indicators.toml: (top): unknown key 'surprise'"),
    ],
)
def test_a_broken_data_file_stops_start_up_with_one_line(tmp_path, monkeypatch, capsys, name, mutate, line):
    """Every data file is read before the bot starts (bot.data_files), also those the domain reads only
    when first needed: a maintainer's mistake is one line naming the file and the place, exit 2."""
    check_data_files()  # data/ as it is: nothing to say
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("fonts"))
    path = data / name
    path.write_text(mutate(path.read_text(encoding="utf-8")), encoding="utf-8")
    monkeypatch.setattr(bot.data_files, "DATA_DIR", data)
    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    monkeypatch.delenv("BOT_TOKEN", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'bot.sqlite3'}")
    monkeypatch.setattr(terminal, "run", lambda settings: 0)  # were it reached, the test fails, not waits
    assert cli_main(["run", "--or-terminal"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and err.rstrip("\n").endswith(line), err
    assert not (tmp_path / "bot.sqlite3").exists()  # stopped before opening anything
