"""Every setting, read from the environment with a documented default (see .env.template and README)."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default)


@dataclass(frozen=True)
class Settings:
    """Process-wide settings; build with `Settings.from_env()` (never at import time in tests)."""

    rasa_url: str = "http://127.0.0.1:5005"
    rasa_token: str = ""
    action_port: int = 5055
    rasa_port: int = 5005
    database_url: str = f"sqlite:///{ROOT / 'var' / 'brobygger.db'}"
    telegram_bot_token: str = ""
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    default_language: str = "en"
    pseudonym_key: str = "dev-only-pseudonym-key"
    retention_days: int = 90
    telegram_webhook_url: str = ""
    telegram_webhook_port: int = 8443
    telegram_webhook_secret: str = ""
    telegram_chat_interval: float = 1.0
    retry_interval: float = 10.0
    rasa_tracker_db: Path = field(default=ROOT / "var" / "rasa_tracker.db")
    telegram_bot_username: str = ""
    rasa_endpoints: str = "endpoints.yml"
    rasa_tracker_url: str = ""  # SQLAlchemy URL of Rasa's tracker store for the product's own deletes and insight
    mentor_hours: str = ""
    mentor_timezone: str = "Europe/Copenhagen"
    handoff_timeout: float = 300.0
    mentor_reply_alert: float = 1800.0  # seconds of mentor hours a person's message waits before the mentor is reminded
    mentor_reply_release: float = 7200.0  # ... before the chat goes back to the queue and supervisors are told
    mentor_weekly_limit_hours: float = 10.0  # hours on duty a week; over it a mentor gets a kind note, supervisors see it
    care_interval: float = 30.0  # seconds between two runs of the job that checks replies and weekly hours
    invite_days: int = 7
    admin_port: int = 8080
    admin_secret_key: str = ""  # required unless admin_dev (bot.admin.app.session_secret)
    admin_cookie_secure: bool = True
    admin_dev: bool = False  # development only: the admin starts without ADMIN_SECRET_KEY (a random key per start)
    admin_trusted_proxies: str = ""  # addresses/networks whose X-Forwarded-For is believed ("" = none: the peer's address counts)
    admin_max_upload_bytes: int = 2_000_000  # the largest request body (a .po upload) the admin reads
    flood_messages: int = 8  # more than this many messages from one person ...
    flood_seconds: float = 10.0  # ... within this window: one polite notice, the rest are not processed
    outbox_interval: float = 1.0  # seconds between two deliveries of the outbox (admin, CLI and job messages)
    reminder_day_before_at: str = "18:00"  # the day-before reminder: this local time (person's zone) the day before
    reminder_hours_before: float = 2.0  # the second reminder: this many hours before the appointment
    reminder_follow_up_hours: float = 3.0  # "How did it go?": this many hours after the appointment's start
    reminder_interval: float = 30.0  # seconds between two runs of the job that sends due reminders
    log_dir: Path = field(default=ROOT / "var" / "log")  # one log file per server `make run` starts
    restart_delay: float = 1.0  # a crashed server is started again after this many seconds, doubling per crash in a row
    restart_delay_max: float = 60.0  # ... up to this many
    restart_reset_after: float = 60.0  # a server up this long starts over at restart_delay when it crashes next
    locales_dir: Path = field(default=ROOT / "locales")
    content_dir: Path = field(default=ROOT / "content")

    @property
    def tracker_url(self) -> str:
        """Rasa's tracker store as our code reaches it (the SQLite file unless RASA_TRACKER_URL says otherwise)."""
        return self.rasa_tracker_url or f"sqlite:///{self.rasa_tracker_db}"

    @classmethod
    def from_env(cls) -> Settings:
        """Settings from the environment, after loading .env (never overriding real environment variables)."""
        from dotenv import load_dotenv

        load_dotenv(ROOT / ".env", override=False)
        rasa_port = int(_env("RASA_PORT", "5005"))
        return cls(
            rasa_url=_env("RASA_URL", f"http://127.0.0.1:{rasa_port}"),
            rasa_token=_env("RASA_TOKEN", ""),
            action_port=int(_env("ACTION_PORT", "5055")),
            rasa_port=rasa_port,
            database_url=_env("DATABASE_URL", cls.database_url),
            telegram_bot_token=_env("TELEGRAM_BOT_TOKEN", ""),
            telegram_api_base_url=_env("TELEGRAM_API_BASE_URL", cls.telegram_api_base_url),
            default_language=_env("DEFAULT_LANGUAGE", "en"),
            pseudonym_key=_env("PSEUDONYM_KEY", cls.pseudonym_key),
            retention_days=int(_env("RETENTION_DAYS", "90")),
            telegram_webhook_url=_env("TELEGRAM_WEBHOOK_URL", ""),
            telegram_webhook_port=int(_env("TELEGRAM_WEBHOOK_PORT", "8443")),
            telegram_webhook_secret=_env("TELEGRAM_WEBHOOK_SECRET", ""),
            telegram_chat_interval=float(_env("TELEGRAM_CHAT_INTERVAL", "1.0")),
            retry_interval=float(_env("RETRY_INTERVAL", "10")),
            rasa_tracker_db=Path(_env("RASA_TRACKER_DB", str(ROOT / "var" / "rasa_tracker.db"))),
            telegram_bot_username=_env("TELEGRAM_BOT_USERNAME", ""),
            rasa_endpoints=_env("RASA_ENDPOINTS", "endpoints.yml"),
            rasa_tracker_url=_env("RASA_TRACKER_URL", ""),
            mentor_hours=_env("MENTOR_HOURS", ""),
            mentor_timezone=_env("MENTOR_TIMEZONE", cls.mentor_timezone),
            handoff_timeout=float(_env("HANDOFF_TIMEOUT", "300")),
            mentor_reply_alert=float(_env("MENTOR_REPLY_ALERT", "1800")),
            mentor_reply_release=float(_env("MENTOR_REPLY_RELEASE", "7200")),
            mentor_weekly_limit_hours=float(_env("MENTOR_WEEKLY_LIMIT_HOURS", "10")),
            care_interval=float(_env("CARE_INTERVAL", "30")),
            invite_days=int(_env("INVITE_DAYS", "7")),
            admin_port=int(_env("ADMIN_PORT", "8080")),
            admin_secret_key=_env("ADMIN_SECRET_KEY", cls.admin_secret_key),
            admin_cookie_secure=_env("ADMIN_COOKIE_SECURE", "true").lower() not in ("0", "false", "no"),
            admin_dev=_env("ADMIN_DEV", "false").lower() in ("1", "true", "yes"),
            admin_trusted_proxies=_env("ADMIN_TRUSTED_PROXIES", ""),
            admin_max_upload_bytes=int(_env("ADMIN_MAX_UPLOAD_BYTES", "2000000")),
            flood_messages=int(_env("FLOOD_MESSAGES", "8")),
            flood_seconds=float(_env("FLOOD_SECONDS", "10")),
            outbox_interval=float(_env("OUTBOX_INTERVAL", "1.0")),
            reminder_day_before_at=_env("REMINDER_DAY_BEFORE_AT", cls.reminder_day_before_at),
            reminder_hours_before=float(_env("REMINDER_HOURS_BEFORE", "2")),
            reminder_follow_up_hours=float(_env("REMINDER_FOLLOW_UP_HOURS", "3")),
            reminder_interval=float(_env("REMINDER_INTERVAL", "30")),
            log_dir=Path(_env("LOG_DIR", str(ROOT / "var" / "log"))),
            restart_delay=float(_env("RESTART_DELAY", "1")),
            restart_delay_max=float(_env("RESTART_DELAY_MAX", "60")),
            restart_reset_after=float(_env("RESTART_RESET_AFTER", "60")),
        )
