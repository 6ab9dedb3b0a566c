"""One settings class; every variable starts with DEALWISE_."""

import os
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

ENV_PREFIX = "DEALWISE_"
NOT_SETTINGS = frozenset({"DEALWISE_TEST_POSTGRES_URL", "DEALWISE_DEBUG"})
"""DEALWISE_ variables read elsewhere: the test suite's PostgreSQL server, the CLI's traceback switch"""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, env_file=".env", extra="ignore")

    data_dir: Path = Path("./.dealwise")
    database_url: str = ""
    base_url: str = "http://127.0.0.1:8000"

    chroma_url: str | None = None
    whisper_model: str | None = None
    max_upload_bytes: int = 50 * 1024 * 1024
    max_message_chars: int = Field(default=4000, ge=1)
    """the longest chat message accepted, in any channel"""

    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: SecretStr | None = None
    llm_timeout_s: float = 60.0

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"

    smtp_listen_host: str | None = None
    smtp_listen_port: int | None = None
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = False
    email_address: str = "assistant@localhost"
    imap_url: str | None = None
    email_require_auth: bool = False
    """refuse mail that carries no passing SPF/DKIM/DMARC verdict from the receiving server"""
    email_authserv_id: str | None = None
    """the receiving server's name in Authentication-Results; when set, only its headers are trusted"""
    email_confirmation_hours: float = Field(default=24, gt=0)
    """how long the one-time code in a proposal mail can confirm it"""

    api_token_days: int = Field(default=90, ge=0)
    """lifetime of a new API token unless another is asked for; 0 means no expiry"""
    login_link_minutes: int = Field(default=15, ge=1)
    """lifetime of a one-click sign-in link (each works once)"""
    signin_failures_per_account: int = Field(default=10, ge=1)
    signin_failures_per_address: int = Field(default=30, ge=1)
    signin_window_s: int = Field(default=900, ge=1)
    """failed password sign-ins counted per account and per client address over this window"""

    redis_url: str | None = None
    run_worker: bool = True
    api_page_size_max: int = Field(default=200, ge=1)

    competitors: Annotated[list[str], NoDecode] = Field(default_factory=list)
    """competitor names besides those stored in the database (comma-separated in DEALWISE_COMPETITORS)"""

    @field_validator("competitors", mode="before")
    @classmethod
    def _split_names(cls, value: object) -> object:
        if isinstance(value, str):
            return [name.strip() for name in value.split(",") if name.strip()]
        return value

    @property
    def llm_configured(self) -> bool:
        """Whether a chat model is named: then the LLM brain answers and call summaries are written by it."""
        return bool(self.llm_base_url or self.llm_model)

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'dealwise.db').as_posix()}"

    def ensure_data_dir(self) -> Path:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return self.data_dir


def unknown_variables(environ: Mapping[str, str] | None = None) -> list[str]:
    """DEALWISE_ variables in the environment that no setting reads (a typo would otherwise pass silently)."""
    known = {ENV_PREFIX + name.upper() for name in Settings.model_fields}
    names = (environ if environ is not None else os.environ).keys()
    return sorted(n for n in names if n.upper().startswith(ENV_PREFIX) and n.upper() not in known | NOT_SETTINGS)


@lru_cache
def get_settings() -> Settings:
    return Settings()
