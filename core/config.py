"""Settings from environment variables and an optional `.env` file."""

from __future__ import annotations

import re
from datetime import time
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, ValidationInfo, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from pydantic_settings.exceptions import SettingsError

TELEGRAM_API_DEFAULT = "https://api.telegram.org"
WEBHOOK_SECRET_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,256}")
MAX_REMINDER_DAYS = 60


def in_quiet_hours(moment: time, start: time, end: time) -> bool:
    """Return whether `moment` lies in [start, end), a window that may cross midnight."""
    if start <= end:
        return start <= moment < end
    return moment >= start or moment < end


class ConfigError(Exception):
    """A setting has a value the bot cannot start with; the message names it."""


class Settings(BaseSettings):
    """Everything the bot reads from its environment."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    telegram_bot_token: str = ""
    telegram_api_base: str = TELEGRAM_API_DEFAULT
    bot_framework: Literal["aiogram", "ptb"] = "aiogram"
    database_url: str = "sqlite:///musrenbang.db"
    webhook_url: str = ""
    webhook_secret: str = ""
    webhook_listen: str = "0.0.0.0:8080"
    bappeda_admin_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    tz: str = "Asia/Jakarta"
    catalogue_version: Literal["2024", "2027"] = "2024"
    max_proposals_per_stage: int = Field(default=10, ge=1)
    flood_limit: int = Field(default=20, ge=1)
    regency_name: str = "Kabupaten Lebong"
    tracking_prefix: str = Field(default="LBG", pattern=r"^[A-Z]{2,5}$")
    reminder_days_before: Annotated[list[int], NoDecode] = Field(
        default_factory=lambda: [7, 3, 1, 0]
    )
    reminder_quiet_start: time = time(21, 0)
    reminder_quiet_end: time = time(7, 0)
    reminder_time: time = time(8, 0)
    invite_days: int = Field(default=7, ge=1, le=90)
    bot_username: str = Field(default="", pattern=r"^@?[A-Za-z0-9_]{0,32}$")
    # The daily summary to Bappeda (services/reports): when it is due, in local time, and
    # the transparent priority score, whose parts add up to the sum of the weights (100).
    summary_time: str = Field(default="07:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    summary_top_per_bidang: int = Field(default=3, ge=1, le=10)
    priority_weight_urgency: float = Field(default=30, ge=0)
    priority_weight_beneficiaries: float = Field(default=25, ge=0)
    priority_weight_supporters: float = Field(default=20, ge=0)
    priority_weight_rank: float = Field(default=15, ge=0)
    priority_weight_match: float = Field(default=10, ge=0)
    priority_full_beneficiaries: int = Field(default=1000, ge=2)
    priority_full_supporters: int = Field(default=10, ge=1)
    priority_ranks_counted: int = Field(default=5, ge=1)
    duplicate_similarity: float = Field(default=85, ge=50, le=100)
    # The path out: Telegram's limits as the sender keeps them, and its retries.
    send_per_second: float = Field(default=30.0, gt=0)
    send_per_chat_per_second: float = Field(default=1.0, gt=0)
    send_per_group_per_minute: float = Field(default=20.0, gt=0)
    send_attempts: int = Field(default=6, ge=1)
    send_first_backoff_seconds: float = Field(default=2.0, gt=0)
    send_max_backoff_seconds: float = Field(default=300.0, gt=0)
    send_timeout_seconds: float = Field(default=10.0, gt=0)
    outbox_claim_seconds: float = Field(default=30.0, gt=0)
    sender_poll_seconds: float = Field(default=1.0, gt=0)
    sender_concurrency: int = Field(default=64, ge=1)
    # Housekeeping and the scheduler.
    inbox_keep_days: int = Field(default=2, ge=1)
    outbox_keep_days: int = Field(default=30, ge=1)
    draft_keep_days: int = Field(default=7, ge=1)
    job_lease_seconds: float = Field(default=600.0, gt=0)
    job_misfire_grace_seconds: int = Field(default=6 * 3600, ge=1)
    # The intake (handlers/intake): a lurah enters a whole village meeting's proposals, so
    # the per-stage limit of a lurah is separate and higher than a resident's.
    max_proposals_per_stage_lurah: int = Field(default=60, ge=1)
    # Who people can call or write when the bot cannot help (shown by /bantuan).
    bappeda_contact: str = ""
    bappeda_office_hours: str = "Senin-Jumat 08.00-16.00 WIB"

    @field_validator("bappeda_admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        """Accept "1,2,3" as well as a JSON list."""
        if isinstance(value, str):
            return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
        if isinstance(value, int):
            return [value]
        return value

    @field_validator("reminder_days_before", mode="before")
    @classmethod
    def _split_days(cls, value: object) -> object:
        """Accept "7,3,1,0" as well as a JSON list."""
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("reminder_days_before")
    @classmethod
    def _sensible_days(cls, value: list[int]) -> list[int]:
        if not value or any(not 0 <= days <= MAX_REMINDER_DAYS for days in value):
            msg = f"must be whole days between 0 and {MAX_REMINDER_DAYS}, e.g. 7,3,1,0"
            raise ValueError(msg)
        return sorted(set(value), reverse=True)

    @field_validator("reminder_time")
    @classmethod
    def _outside_quiet_hours(cls, value: time, info: ValidationInfo) -> time:
        start, end = info.data.get("reminder_quiet_start"), info.data.get("reminder_quiet_end")
        if start is not None and end is not None and in_quiet_hours(value, start, end):
            msg = "must be outside the quiet hours (REMINDER_QUIET_START to REMINDER_QUIET_END)"
            raise ValueError(msg)
        return value

    @field_validator("bot_username")
    @classmethod
    def _without_at(cls, value: str) -> str:
        """Accept "@musrenbang_bot" as well as "musrenbang_bot"."""
        return value.removeprefix("@")

    @field_validator("tz")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            msg = "unknown time zone"
            raise ValueError(msg) from error
        return value

    @field_validator("telegram_api_base", "webhook_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if value and not value.startswith(("http://", "https://")):
            msg = "must start with http:// or https://"
            raise ValueError(msg)
        return value.rstrip("/")

    @field_validator("webhook_secret")
    @classmethod
    def _telegram_secret(cls, value: str) -> str:
        if value and not WEBHOOK_SECRET_PATTERN.fullmatch(value):
            msg = "must be 1-256 characters of A-Z, a-z, 0-9, _ or -"
            raise ValueError(msg)
        return value

    @model_validator(mode="after")
    def _claim_outlasts_a_send(self) -> Settings:
        if self.outbox_claim_seconds <= self.send_timeout_seconds + 2:
            msg = "OUTBOX_CLAIM_SECONDS must be more than SEND_TIMEOUT_SECONDS + 2"
            raise ValueError(msg)
        return self

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> Settings:
        if self.webhook_url and not self.webhook_secret:
            msg = "WEBHOOK_SECRET must be set when WEBHOOK_URL is set"
            raise ValueError(msg)
        return self

    @field_validator("webhook_listen")
    @classmethod
    def _host_port(cls, value: str) -> str:
        host, _, port = value.rpartition(":")
        if not host or not port.isdigit() or not 0 < int(port) < 65536:
            msg = "must be host:port, e.g. 0.0.0.0:8080"
            raise ValueError(msg)
        return value

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, value: str) -> str:
        if not value.startswith(("sqlite", "postgresql", "postgres://")):
            msg = "must be a sqlite:/// or postgresql:// URL"
            raise ValueError(msg)
        return value

    @property
    def zone(self) -> ZoneInfo:
        """Return the time zone people see."""
        return ZoneInfo(self.tz)

    def is_quiet(self, moment: time) -> bool:
        """Return whether a local time of day falls in the hours nobody gets reminders."""
        return in_quiet_hours(moment, self.reminder_quiet_start, self.reminder_quiet_end)

    @property
    def webhook_host(self) -> str:
        """Return the address the webhook server listens on."""
        return self.webhook_listen.rpartition(":")[0]

    @property
    def webhook_port(self) -> int:
        """Return the port the webhook server listens on."""
        return int(self.webhook_listen.rpartition(":")[2])


def load_settings(**overrides: object) -> Settings:
    """Read settings; raise ConfigError naming the first bad variable and what it expects."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except SettingsError as error:
        raise ConfigError(str(error)) from error
    except ValidationError as error:
        first = error.errors()[0]
        variable = str(first["loc"][0]).upper() if first["loc"] else "WEBHOOK_SECRET"
        msg = f"{variable}: {first['msg'].removeprefix('Value error, ')}"
        raise ConfigError(msg) from error
