"""Build the Piccolo engine from ``ETAX_DATABASE_URL``."""

from __future__ import annotations

import os
from pathlib import Path

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine


def database_url() -> str:
    """The configured database URL (the same default as :func:`etax.platform.settings.load_settings`)."""
    var_dir = Path(os.environ.get("ETAX_VAR_DIR", "var"))
    return os.environ.get("ETAX_DATABASE_URL", "") or f"sqlite:///{var_dir / 'etax.sqlite3'}"


def make_engine(url: str) -> Engine:  # type: ignore[type-arg]
    """A Piccolo engine for ``url`` (``sqlite:///path`` or ``postgresql://…``)."""
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        return SQLiteEngine(path=str(path), timeout=30)
    return PostgresEngine(config={"dsn": url.replace("postgres://", "postgresql://", 1)})
