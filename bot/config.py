"""Settings read from environment variables and an optional `.env` file."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from typing import Annotated

SUPPORTED_LOCALES = ("en", "zh_CN")

_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{2,}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_PRINCIPAL = re.compile(r"^[UWS][A-Z0-9]{2,}$")


@dataclass(frozen=True)
class DigestChannel:
    """A channel that receives the daily digest, and the language it is written in."""

    channel_id: str
    locale: str | None


class ConfigError(Exception):
    """Raised when a setting is missing or invalid; the message names the variable and the fix."""


class Settings(BaseSettings):
    # Tests and code pass overrides by field name (timezone=...); the environment uses the aliases.
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True
    )

    slack_bot_token: str | None = Field(default=None, validation_alias="SLACK_BOT_TOKEN")
    slack_signing_secret: str | None = Field(default=None, validation_alias="SLACK_SIGNING_SECRET")
    slack_app_token: str | None = Field(default=None, validation_alias="SLACK_APP_TOKEN")
    slack_api_url: str = Field(default="https://slack.com/api/", validation_alias="SLACK_API_URL")

    database_url: str = Field(default="sqlite:///arrears.db", validation_alias="DATABASE_URL")
    port: int = Field(default=3000, ge=1, le=65535, validation_alias="PORT")

    timezone: str = Field(default="UTC", validation_alias="ARREARS_TIMEZONE")
    default_locale: str = Field(default="en", validation_alias="ARREARS_DEFAULT_LOCALE")
    default_currency: str | None = Field(default=None, validation_alias="ARREARS_DEFAULT_CURRENCY")

    digest_channels: Annotated[tuple[DigestChannel, ...], NoDecode] = Field(
        default=(), validation_alias="ARREARS_DIGEST_CHANNELS"
    )
    digest_time: time = Field(default=time(9, 0), validation_alias="ARREARS_DIGEST_TIME")
    reminder_time: time = Field(default=time(10, 0), validation_alias="ARREARS_REMINDER_TIME")
    fallback_channel: str | None = Field(default=None, validation_alias="ARREARS_FALLBACK_CHANNEL")
    escalation_channel: str | None = Field(default=None, validation_alias="ARREARS_ESCALATION_CHANNEL")
    policy_file: str | None = Field(default=None, validation_alias="ARREARS_POLICY_FILE")

    # Roles: Slack user ids (U…/W…) or user group ids (S…).
    finance: Annotated[tuple[str, ...], NoDecode] = Field(default=(), validation_alias="ARREARS_FINANCE")
    legal: Annotated[tuple[str, ...], NoDecode] = Field(default=(), validation_alias="ARREARS_LEGAL")
    admins: Annotated[tuple[str, ...], NoDecode] = Field(default=(), validation_alias="ARREARS_ADMINS")

    @field_validator("timezone")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown IANA time zone {value!r}; use a name such as Asia/Shanghai") from error
        return value

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str) -> str:
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError, NoSuchModuleError

        from bot.store.db import normalize_url

        try:
            make_url(normalize_url(value)).get_dialect()
        except (ArgumentError, NoSuchModuleError) as error:
            raise ValueError(
                f"invalid database URL {value!r}; use sqlite:///arrears.db or postgresql://user@host:5432/dbname"
            ) from error
        return value

    @field_validator("default_locale")
    @classmethod
    def _check_locale(cls, value: str) -> str:
        normalized = value.replace("-", "_")
        if normalized not in SUPPORTED_LOCALES:
            raise ValueError(f"unsupported locale {value!r}; use one of {', '.join(SUPPORTED_LOCALES)}")
        return normalized

    @field_validator("default_currency")
    @classmethod
    def _check_currency(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        upper = value.strip().upper()
        if not _CURRENCY.match(upper):
            raise ValueError(f"invalid currency {value!r}; use a three-letter ISO 4217 code such as CNY or USD")
        return upper

    @field_validator("digest_time", "reminder_time", mode="before")
    @classmethod
    def _parse_clock_time(cls, value: object) -> object:
        if isinstance(value, str):
            match = re.fullmatch(r"(\d{1,2}):(\d{2})", value.strip())
            if not match or int(match[1]) > 23 or int(match[2]) > 59:
                raise ValueError(f"invalid time {value!r}; use local 24-hour HH:MM such as 09:30")
            return time(int(match[1]), int(match[2]))
        return value

    @field_validator("digest_channels", mode="before")
    @classmethod
    def _parse_digest_channels(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        channels = []
        for item in filter(None, (part.strip() for part in value.split(","))):
            channel_id, _, locale = item.partition(":")
            if not _CHANNEL_ID.match(channel_id):
                raise ValueError(
                    f"invalid channel id {channel_id!r}; list channel ids such as C0123ABCD, "
                    "optionally with a language: C0123ABCD:zh_CN"
                )
            locale = locale.replace("-", "_") or None
            if locale is not None and locale not in SUPPORTED_LOCALES:
                raise ValueError(f"unsupported locale {locale!r} for channel {channel_id}; use en or zh_CN")
            channels.append(DigestChannel(channel_id, locale))
        return tuple(channels)

    @field_validator("finance", "legal", "admins", mode="before")
    @classmethod
    def _parse_principals(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        principals = tuple(filter(None, (part.strip() for part in value.split(","))))
        for principal in principals:
            if not _PRINCIPAL.match(principal):
                raise ValueError(
                    f"invalid Slack id {principal!r}; list user ids (U0123ABCD) or user group ids (S0123ABCD)"
                )
        return principals

    @field_validator("fallback_channel", "escalation_channel")
    @classmethod
    def _check_fallback_channel(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if not _CHANNEL_ID.match(value):
            raise ValueError(f"invalid channel id {value!r}; use a channel id such as C0123ABCD")
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def socket_mode(self) -> bool:
        return bool(self.slack_app_token)

    def require_slack(self) -> None:
        """Raise ConfigError unless the tokens that talking to Slack needs are set."""
        missing = [name for name, value in (
            ("SLACK_BOT_TOKEN", self.slack_bot_token),
            ("SLACK_SIGNING_SECRET", self.slack_signing_secret),
        ) if not value]
        if missing:
            raise ConfigError(
                f"missing {', '.join(missing)}: set it in the environment or in .env "
                "(copy the values from your Slack app's Basic Information and OAuth pages)"
            )


def load_settings(**overrides: object) -> Settings:
    """Read the settings, turning pydantic's validation errors into one readable ConfigError."""
    try:
        return Settings(**overrides)
    except ValidationError as error:
        problems = []
        for item in error.errors():
            variable = item["loc"][0] if item["loc"] else "?"
            env_name = _ENV_NAMES.get(str(variable), str(variable))
            problems.append(f"{env_name}: {item['msg']}")
        raise ConfigError("invalid configuration:\n  " + "\n  ".join(problems)) from error


_ENV_NAMES = {
    name: (field.validation_alias or name)
    for name, field in Settings.model_fields.items()
}
_ENV_NAMES.update({str(field.validation_alias): str(field.validation_alias) for field in Settings.model_fields.values()})
