"""Issue 10.12: the favicon is served, and `etax db migrate` on a fresh database says what it applied."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from litestar import Litestar
from litestar.testing import TestClient


def test_favicon_is_served_and_linked(client: TestClient[Litestar]) -> None:
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/x-icon")
    assert icon.content[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert '<link rel="icon" href="/favicon.ico"' in client.get("/").text
    assert '<link rel="icon" href="/favicon.ico"' in client.get("/admin/login").text


def test_migrate_on_a_fresh_database_reports_what_it_applied() -> None:
    with tempfile.TemporaryDirectory(prefix="etax-migrate-") as var:
        env = {
            **os.environ,
            "ETAX_VAR_DIR": var,
            "ETAX_DATABASE_URL": f"sqlite:///{Path(var) / 'fresh.sqlite3'}",
        }
        command = [sys.executable, "-m", "etax", "db", "migrate"]
        first = subprocess.run(command, env=env, capture_output=True, text=True, timeout=180, check=True)
        assert "already complete" not in first.stdout and "已应用" in first.stdout, first.stdout
        assert "etax_core:" in first.stdout
        again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=180, check=True)
        assert again.stdout.strip() == "数据库已是最新，没有需要应用的迁移", again.stdout
