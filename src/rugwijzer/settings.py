"""Settings from `RUGWIJZER_*` environment variables, validated at start-up."""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from rugwijzer.errors import InvalidInputError
from rugwijzer.messages import Code
from rugwijzer.store.engine import PoolOptions

__all__ = ["Settings", "get_settings"]


_PLACEHOLDER_SECRETS = frozenset(
    {"changethis", "change-me", "changeme", "secret", "default", "rugwijzer", "please-change"}
)


#: An origin a page may be framed by (CSP frame-ancestors): http(s), a host name (a leading
#: "*." for every subdomain) and an optional port; no path, no spaces, no quotes or semicolons
#: that could add a directive of their own.
_ORIGIN = re.compile(
    r"^https?://(\*\.)?[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*"
    r"(?::[0-9]{1,5})?$"
)
#: The logo files the widget serves, by suffix.
LOGO_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg")

#: A session secret shorter than this is refused in server mode.
MIN_SECRET_LENGTH = 32


def _default_data_dir() -> Path:
    return platformdirs.user_data_path("rugwijzer", appauthor=False)


class Settings(BaseSettings):
    """All configuration of a Rugwijzer process."""

    model_config = SettingsConfigDict(env_prefix="RUGWIJZER_", extra="ignore")

    mode: Literal["local", "server"] = "local"
    data_dir: Path = Field(default_factory=_default_data_dir)
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    #: A food data file to use instead of the bundled SR24 data (e.g. one imported from
    #: FoodData Central with `rugwijzer foods import-fdc`).
    food_data_file: Path | None = None
    default_language: Literal["nl", "en"] = "nl"
    #: SQLAlchemy URL; default: an SQLite file in `data_dir`. Hosted: postgresql+psycopg://…
    database_url: str | None = None
    #: Server mode: signs nothing by itself but must be a real secret (32+ characters); it is
    #: mixed into session-token hashes so a leaked database alone does not reveal tokens.
    secret_key: str | None = Field(default=None, repr=False)
    session_days: int = Field(default=14, ge=1, le=365)
    #: Origins allowed to call the API from a browser; empty = CORS closed.
    cors_origins: list[str] = Field(default_factory=list)
    #: Origins allowed to show the aids widget (/embed/aids) in a frame (CSP frame-ancestors,
    #: e.g. https://shop.example.nl); empty = no site may frame it.
    embed_origins: list[str] = Field(default_factory=list)
    #: The shop's branding on the aids widget: its name, a colour (#rrggbb) and a logo file
    #: (PNG, JPEG or SVG) served by Rugwijzer itself.
    shop_name: str | None = Field(default=None, max_length=80)
    shop_colour: str | None = Field(default=None, pattern=r"^#[0-9a-fA-F]{6}$")
    shop_logo: Path | None = None
    #: Failed logins allowed per email and per client address within the window.
    login_attempts_per_window: int = Field(default=5, ge=1, le=1000)
    login_window_minutes: int = Field(default=15, ge=1, le=1440)
    # --- issue 16: workers and database resilience (PostgreSQL only; per process) ---
    #: Connections each app process keeps open, and how many more it may open when busy.
    database_pool_size: int = Field(default=5, ge=1, le=100)
    database_max_overflow: int = Field(default=10, ge=0, le=100)
    #: Seconds a request waits for a free pooled connection before it fails.
    database_pool_timeout_seconds: float = Field(default=10, gt=0, le=300)
    #: Seconds to open a new connection.
    database_connect_timeout_seconds: int = Field(default=5, ge=1, le=300)
    #: The server cancels a statement that runs longer; 0 = send no timeout (behind PgBouncer:
    #: set `statement_timeout` on the database role instead, docs/operating.md).
    database_statement_timeout_ms: int = Field(default=15_000, ge=0, le=3_600_000)
    #: Requests one app process works on at the same time (its thread pool); more wait in
    #: line, first come first served. Python runs one thread at a time, so more threads than
    #: it takes to cover the database's round trips only make every request slower.
    worker_threads: int = Field(default=4, ge=1, le=200)
    #: On SIGTERM a process stops accepting and gives requests in flight this long to finish.
    graceful_shutdown_seconds: int = Field(default=20, ge=1, le=600)
    #: A bearer token that opens /metrics to a scraper on another machine
    #: (`Authorization: Bearer <token>`); without it /metrics answers loopback clients only.
    metrics_token: str | None = Field(default=None, repr=False)
    #: Registrations allowed per client address and per email address within the window (all
    #: attempts count: a registration answers the same whether or not the address was new).
    registrations_per_window: int = Field(default=10, ge=1, le=1_000_000)
    registration_window_minutes: int = Field(default=60, ge=1, le=1440)
    #: API requests allowed per signed-in user within any 60 seconds; 0 = no limit.
    api_requests_per_minute: int = Field(default=600, ge=0, le=1_000_000)
    #: How `rugwijzer serve` writes its log: "json" (a line of JSON each), "text" (readable
    #: lines) or "auto": text in local mode on a terminal, else JSON.
    log_format: Literal["auto", "json", "text"] = "auto"
    #: Days the access audit keeps an event (who read whose diary, logins, role changes);
    #: `rugwijzer db prune` deletes older ones. Why two years: docs/operating.md.
    audit_retention_days: int = Field(default=730, ge=1, le=36_500)

    @property
    def effective_database_url(self) -> str:
        """The database URL in use."""
        return self.database_url or f"sqlite:///{self.data_dir / 'rugwijzer.db'}"

    @property
    def pool_options(self) -> PoolOptions:
        """The database pool of one process, from the `RUGWIJZER_DATABASE_*` settings."""
        return PoolOptions(
            pool_size=self.database_pool_size,
            max_overflow=self.database_max_overflow,
            pool_timeout_s=self.database_pool_timeout_seconds,
            connect_timeout_s=self.database_connect_timeout_seconds,
            statement_timeout_ms=self.database_statement_timeout_ms,
        )

    @field_validator("embed_origins")
    @classmethod
    def _embed_origins_are_origins(cls, origins: list[str]) -> list[str]:
        checked = []
        for origin in origins:
            normal = origin.strip().rstrip("/").lower()
            if not _ORIGIN.match(normal):
                raise InvalidInputError(Code.EMBED_BAD_ORIGIN, origin=origin)
            checked.append(normal)
        return checked

    @field_validator("metrics_token")
    @classmethod
    def _metrics_token_is_long(cls, token: str | None) -> str | None:
        if token is None or not token.strip():
            return None  # an empty variable: no token
        if len(token.strip()) < MIN_SECRET_LENGTH:
            raise InvalidInputError(Code.HEALTH_METRICS_TOKEN_TOO_SHORT, minimum=MIN_SECRET_LENGTH)
        return token

    @field_validator("shop_logo")
    @classmethod
    def _shop_logo_is_an_image(cls, logo: Path | None) -> Path | None:
        if logo is not None and logo.suffix.lower() not in LOGO_SUFFIXES:
            raise InvalidInputError(Code.EMBED_BAD_LOGO, path=str(logo))
        return logo

    @model_validator(mode="after")
    def _server_mode_needs_a_real_secret(self) -> Settings:
        if self.mode == "server":
            secret = self.secret_key or ""
            if (
                len(secret) < MIN_SECRET_LENGTH
                or secret.lower().strip() in _PLACEHOLDER_SECRETS
                or len(set(secret)) < 8
            ):
                # An InvalidInputError is a ValueError: pydantic reports its English text.
                raise InvalidInputError(Code.ACCOUNT_SECRET_KEY_NEEDED, minimum=MIN_SECRET_LENGTH)
        return self

    @model_validator(mode="after")
    def _local_mode_stays_on_this_machine(self) -> Settings:
        # Local mode has no accounts: it must never listen beyond the loopback interface.
        if self.mode == "local":
            try:
                loopback = ipaddress.ip_address(self.host).is_loopback
            except ValueError:
                loopback = self.host == "localhost"
            if not loopback:
                raise InvalidInputError(Code.ACCOUNT_LOCAL_MODE_LOOPBACK, host=self.host)
        return self


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process, read once."""
    return Settings()
