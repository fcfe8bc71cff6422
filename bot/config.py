"""Settings from the environment or a `.env` file (pydantic-settings); see `.env.example`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot import PROJECT_ROOT

TOKEN_RE = re.compile(r"^\d{1,20}:[A-Za-z0-9_-]{1,100}$")
SUPPORTED_LOCALES = ("kk", "ru")
SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")  # what Telegram accepts as a webhook secret_token
LOG_FORMATS = ("text", "json")


class ConfigError(Exception):
    """A setting is missing or malformed: shown to the operator as one line."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: SecretStr | None = None
    telegram_api_server: str | None = None
    database_url: str = "sqlite:///var/bot.sqlite3"
    default_locale: str = "kk"
    log_level: str = "INFO"

    # Webhook mode (`python -m bot run --webhook`, `python -m bot webhook set`): see webhook_config().
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1:8080"
    webhook_secret: SecretStr | None = None
    # Shared by several replicas: dialogues, per-user order, throttle buckets, processed updates.
    redis_url: str | None = None
    log_format: str = "text"

    @field_validator("log_format")
    @classmethod
    def _log_format_known(cls, value: str) -> str:
        if value.strip().lower() not in LOG_FORMATS:
            raise ValueError(f"LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}")
        return value.strip().lower()

    @field_validator("redis_url")
    @classmethod
    def _redis_url_shape(cls, value: str | None) -> str | None:
        if value is not None and not value.strip().startswith(REDIS_SCHEMES):
            raise ValueError(f"REDIS_URL must look like redis://host:6379/0, got {redacted(value.strip())!r}")
        return None if value is None else value.strip()

    @field_validator("default_locale")
    @classmethod
    def _locale_supported(cls, value: str) -> str:
        if value not in SUPPORTED_LOCALES:
            raise ValueError(f"DEFAULT_LOCALE must be one of {', '.join(SUPPORTED_LOCALES)}")
        return value

    @field_validator("bot_token", "telegram_api_server", "webhook_url", "webhook_secret", "redis_url",
                     mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    def require_token(self) -> str:
        """The token, checked for Telegram's `<digits>:<secret>` shape; never echoed back."""
        if self.bot_token is None:
            raise ConfigError("BOT_TOKEN is not set: put it in the environment or in .env")
        token = self.bot_token.get_secret_value().strip()
        if not TOKEN_RE.match(token):
            raise ConfigError("BOT_TOKEN is malformed: expected '<digits>:<letters>' as given by @BotFather")
        return token

    def webhook_config(self) -> WebhookConfig:
        """WEBHOOK_URL, WEBHOOK_LISTEN and WEBHOOK_SECRET checked together; the secret is never echoed."""
        if self.webhook_url is None:
            raise ConfigError("WEBHOOK_URL is not set: the public https URL Telegram calls, "
                              "e.g. https://bot.example.kz/telegram")
        url = urlsplit(self.webhook_url.strip())
        if url.scheme != "https" or not url.hostname or url.query or url.fragment:
            raise ConfigError(f"WEBHOOK_URL must be an https URL without query, got {self.webhook_url!r}")
        if self.webhook_secret is None:
            raise ConfigError("WEBHOOK_SECRET is not set: 1-256 characters A-Z a-z 0-9 _ -")
        secret = self.webhook_secret.get_secret_value().strip()
        if not SECRET_RE.match(secret):
            raise ConfigError("WEBHOOK_SECRET is malformed: 1-256 characters A-Z a-z 0-9 _ -")
        host, _, port = self.webhook_listen.strip().rpartition(":")
        if not host or not port.isdigit() or not 0 <= int(port) <= 65535:
            raise ConfigError(f"WEBHOOK_LISTEN must be host:port, e.g. 127.0.0.1:8080, "
                              f"got {self.webhook_listen!r}")
        return WebhookConfig(url=url.geturl(), path=url.path or "/", host=host.strip("[]"),
                             port=int(port), secret=secret)

    @cached_property
    def database(self) -> Path | str:
        """What DATABASE_URL names: the SQLite file (`sqlite:///relative` or `sqlite:////absolute`)
        or the PostgreSQL URL (`postgresql://user:password@host:5432/db`)."""
        return database_target(self.database_url)

    # Days a closed complaint is kept; unset or blank: data/complaints.toml's default.
    complaint_retention_days: int | None = Field(default=None, ge=1)

    @field_validator("complaint_retention_days", mode="before")
    @classmethod
    def _blank_retention_is_default(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value


@dataclass(frozen=True)
class WebhookConfig:
    """Where Telegram calls (url, whose path the server routes), where we listen, and the shared secret."""

    url: str
    path: str
    host: str
    port: int
    secret: str = field(repr=False)


POSTGRES_SCHEMES = ("postgresql://", "postgres://")
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")
_URL_SHAPES = "sqlite:///var/bot.sqlite3 or postgresql://user:password@host:5432/db"


def database_target(url: str) -> Path | str:
    """The SQLite file, or the PostgreSQL URL as given (checked for a host and a database name)."""
    if url.startswith(POSTGRES_SCHEMES):
        parts = urlsplit(url)
        if not parts.hostname or not parts.path.strip("/"):
            raise ConfigError(f"DATABASE_URL must look like {_URL_SHAPES}, got {redacted(url)!r}")
        return url
    return database_path(url)


def redacted(url: str) -> str:
    """A database URL without its password, fit for a message or a log line."""
    return re.sub(r"//([^:/@]*):[^@]*@", r"//\1:***@", url)


def database_path(url: str) -> Path:
    prefix = "sqlite:///"
    if not url.startswith(prefix) or len(url) == len(prefix):
        raise ConfigError(f"DATABASE_URL must look like {_URL_SHAPES}, got {redacted(url)!r}")
    raw = url[len(prefix):]
    path = Path(raw)
    return path if path.is_absolute() else PROJECT_ROOT / path


def load_settings(**overrides: object) -> Settings:
    """Settings with one-line errors instead of pydantic's multi-line report."""
    try:
        return Settings(**overrides)
    except ValueError as exc:
        errors = getattr(exc, "errors", lambda: [])()
        first = errors[0] if errors else {"loc": ("?",), "msg": str(exc)}
        name = str(first["loc"][0]).upper() if first.get("loc") else "setting"
        raise ConfigError(f"{name}: {first['msg']}") from None
