"""Settings: one msgspec Struct read from ``ETAX_*`` environment variables.

Bad values stop start-up with one clear line naming the variable (:class:`SettingsError`).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

import msgspec

Mode = Literal["dev", "production"]


class SettingsError(Exception):
    """A setting is missing or malformed; the message names the environment variable."""


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    """Everything the portal is configured with."""

    mode: Mode = "dev"
    var_dir: Path = Path("var")
    database_url: str = ""
    session_store: str = "file"
    secret_key: str = ""
    plugins: tuple[str, ...] = ()
    allow_plugins: tuple[str, ...] = ()
    deny_plugins: tuple[str, ...] = ()
    strict_plugins: bool = False
    captcha_test_answer: str = ""
    host: str = "127.0.0.1"
    port: int = 8000
    bureau_name: str = "国家税务总局辽宁省电子税务局"
    cache_check_seconds: float = 2.0
    usage_flush_seconds: float = 30.0
    plugin_refresh_seconds: int = 10
    """How often each worker re-reads which plugins a system administrator switched off (0: every request)."""
    warmup: bool = True
    """After its first answer, a worker loads in the background what traffic would (``ETAX_WARMUP``)."""

    @property
    def production(self) -> bool:
        return self.mode == "production"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def sqlite_path(self) -> Path:
        """The SQLite file of a ``sqlite:///path`` URL."""
        return Path(self.database_url.removeprefix("sqlite:///"))


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


def _flag(name: str, value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"", "0", "false", "no", "off"}:
        return False
    raise SettingsError(f"{name}: expected 1/0, true/false, yes/no or on/off, got {value!r}")


def _seconds(name: str, value: str, default: float) -> float:
    if not value.strip():
        return default
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 3600:
        raise SettingsError(f"{name}: expected a number of seconds from 0 to 3600, got {value!r}")
    return seconds


def _secret_key(env: Mapping[str, str], mode: Mode, var_dir: Path) -> str:
    key = env.get("ETAX_SECRET_KEY", "")
    if key:
        if len(key) < 32:
            raise SettingsError("ETAX_SECRET_KEY: must be at least 32 characters long")
        return key
    if mode == "production":
        raise SettingsError("ETAX_SECRET_KEY: required in production mode (32 characters or more)")
    key_file = var_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="utf-8").strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    key_file.write_text(key, encoding="utf-8")
    key_file.chmod(0o600)
    return key


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read and check the settings; raise :class:`SettingsError` naming the faulty variable."""
    env = os.environ if env is None else env
    mode = env.get("ETAX_MODE", "dev")
    if mode not in ("dev", "production"):
        raise SettingsError(f"ETAX_MODE: expected 'dev' or 'production', got {mode!r}")
    var_dir = Path(env.get("ETAX_VAR_DIR", "var"))
    database_url = env.get("ETAX_DATABASE_URL", "") or f"sqlite:///{var_dir / 'etax.sqlite3'}"
    if not database_url.startswith(("sqlite:///", "postgresql://", "postgres://")):
        raise SettingsError(
            "ETAX_DATABASE_URL: expected sqlite:///path or postgresql://user@host:port/db, "
            f"got {database_url!r}"
        )
    session_store = env.get("ETAX_SESSION_STORE", "file")
    if session_store != "file" and not session_store.startswith(("redis://", "rediss://")):
        raise SettingsError(f"ETAX_SESSION_STORE: expected 'file' or a redis:// URL, got {session_store!r}")
    port_text = env.get("ETAX_PORT", "8000")
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise SettingsError(f"ETAX_PORT: expected a port number 1-65535, got {port_text!r}")
    captcha_answer = env.get("ETAX_CAPTCHA_TEST_ANSWER", "")
    if captcha_answer and mode == "production":
        raise SettingsError("ETAX_CAPTCHA_TEST_ANSWER: refused in production mode")
    refresh_text = env.get("ETAX_PLUGIN_REFRESH_SECONDS", "10").strip()
    if not refresh_text.isdigit() or int(refresh_text) > 3600:
        raise SettingsError(f"ETAX_PLUGIN_REFRESH_SECONDS: expected 0-3600 seconds, got {refresh_text!r}")
    typed_mode: Mode = "production" if mode == "production" else "dev"
    cache_check = _seconds("ETAX_CACHE_CHECK_SECONDS", env.get("ETAX_CACHE_CHECK_SECONDS", ""), 2.0)
    usage_flush = _seconds("ETAX_USAGE_FLUSH_SECONDS", env.get("ETAX_USAGE_FLUSH_SECONDS", ""), 30.0)
    return Settings(
        mode=typed_mode,
        var_dir=var_dir,
        database_url=database_url,
        session_store=session_store,
        secret_key=_secret_key(env, typed_mode, var_dir),
        plugins=_split(env.get("ETAX_PLUGINS", "")),
        allow_plugins=_split(env.get("ETAX_ALLOW_PLUGINS", "")),
        deny_plugins=_split(env.get("ETAX_DENY_PLUGINS", "")),
        strict_plugins=_flag("ETAX_STRICT_PLUGINS", env.get("ETAX_STRICT_PLUGINS", "")),
        captcha_test_answer=captcha_answer,
        host=env.get("ETAX_HOST", "127.0.0.1"),
        port=int(port_text),
        bureau_name=env.get("ETAX_BUREAU_NAME", "国家税务总局辽宁省电子税务局"),
        cache_check_seconds=cache_check,
        usage_flush_seconds=usage_flush,
        plugin_refresh_seconds=int(refresh_text),
        warmup=_flag("ETAX_WARMUP", env.get("ETAX_WARMUP", "") or "1"),
    )
