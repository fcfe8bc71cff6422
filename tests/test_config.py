"""Settings: token shape, DATABASE_URL forms, one-line errors."""

import pytest

from bot import PROJECT_ROOT
from bot.config import ConfigError, database_path, load_settings


def test_token_missing_and_malformed_are_one_line(monkeypatch):
    monkeypatch.delenv("BOT_TOKEN", raising=False)
    with pytest.raises(ConfigError, match="BOT_TOKEN is not set"):
        load_settings(_env_file=None).require_token()
    with pytest.raises(ConfigError, match="malformed") as info:
        load_settings(_env_file=None, bot_token="not-a-token").require_token()
    assert "not-a-token" not in str(info.value)
    assert load_settings(_env_file=None, bot_token="123:abc").require_token() == "123:abc"


def test_database_url_forms():
    assert database_path("sqlite:///var/bot.sqlite3") == PROJECT_ROOT / "var/bot.sqlite3"
    assert str(database_path("sqlite:////tmp/x.db")) == "/tmp/x.db"
    with pytest.raises(ConfigError):
        database_path("postgres://x")
    url = "postgresql://bot:secret@db.example.kz:5432/bot"
    assert load_settings(_env_file=None, database_url=url).database == url
    with pytest.raises(ConfigError, match="DATABASE_URL") as info:
        load_settings(_env_file=None, database_url="postgresql://bot:secret@/").database  # noqa: B018
    assert "secret" not in str(info.value)


def test_bad_locale_is_reported_by_name():
    with pytest.raises(ConfigError, match="DEFAULT_LOCALE"):
        load_settings(_env_file=None, default_locale="en")


def test_redis_url_forms():
    url = "redis://:pw@cache:6379/0"
    assert load_settings(_env_file=None, redis_url=f" {url} ").redis_url == url
    assert load_settings(_env_file=None, redis_url="").redis_url is None
    with pytest.raises(ConfigError, match="REDIS_URL") as info:
        load_settings(_env_file=None, redis_url="http://:hunter2@cache:6379")
    assert "hunter2" not in str(info.value)
