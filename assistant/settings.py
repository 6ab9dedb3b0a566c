"""One settings class; every variable starts with DEALWISE_."""

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DEALWISE_", env_file=".env", extra="ignore")

    data_dir: Path = Path("./.dealwise")
    database_url: str = ""
    demo_mode: bool = False
    secret_key: SecretStr | None = None
    base_url: str = "http://127.0.0.1:8000"

    chroma_url: str | None = None
    whisper_model: str | None = None
    max_upload_bytes: int = 50 * 1024 * 1024

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

    redis_url: str | None = None
    run_worker: bool = True
    api_page_size_max: int = Field(default=200, ge=1)

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'dealwise.db').as_posix()}"

    def ensure_data_dir(self) -> Path:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return self.data_dir


@lru_cache
def get_settings() -> Settings:
    return Settings()
