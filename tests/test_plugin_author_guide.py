"""docs/plugin-author-guide.md, followed literally: its Walkthrough's commands run in order in a fresh directory.

The commands are the ``sh`` blocks of the Walkthrough section, joined into one ``bash -e`` script; the
environment stands for the developer's: this etax on the PATH, a fresh SQLite database, and ``pip install``
going (offline) into a directory of its own that is on the path, so the shared environment is untouched.
Once per ``make test``, in the SQLite pass (the plugin's own tests use a temporary SQLite database anyway).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import BACKEND

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "plugin-author-guide.md"

pytestmark = pytest.mark.skipif(BACKEND != "sqlite", reason="the guide is followed once, in the SQLite pass")


def walkthrough_commands() -> list[str]:
    text = GUIDE.read_text(encoding="utf-8")
    section = text.split("## Walkthrough", 1)[1].split("\n## ", 1)[0]
    return [
        line for block in re.findall(r"```sh\n(.*?)```", section, re.S) for line in block.splitlines() if line
    ]


def test_the_guide_names_the_steps_a_new_developer_needs() -> None:
    commands = walkthrough_commands()
    assert commands[0].startswith("etax plugin new ") and "pytest -q" in commands
    assert (
        "etax plugins check ." in commands and "pip install ." in commands and "etax db migrate" in commands
    )


def test_following_the_guide_literally_ends_with_the_function_found(tmp_path: Path) -> None:
    site = tmp_path / "site"
    env = {key: value for key, value in os.environ.items() if not key.startswith("ETAX_")}
    env.update(
        {
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
            "ETAX_VAR_DIR": str(tmp_path / "var"),
            "ETAX_DATABASE_URL": f"sqlite:///{tmp_path / 'var' / 'etax.sqlite3'}",
            "ETAX_BANK_LATENCY_MS": "0",
            "PIP_TARGET": str(site),
            "PIP_NO_INDEX": "1",
            "PIP_NO_DEPS": "1",
            "PIP_NO_BUILD_ISOLATION": "0",
            "PYTHONPATH": str(site),
        }
    )
    script = "set -e\n" + "\n".join(walkthrough_commands()) + "\n"
    done = subprocess.run(
        ["bash", "-c", script],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    out = done.stdout
    assert "passed" in out and "failed" not in out  # its own tests
    assert "demo_plugin 0.1.0: OK" in out  # etax plugins check
    assert re.search(r"\d+\.\d+\s+演示插件问候\s+—\s+公众服务 › 演示插件问候\s+/demo-plugin", out), out[
        -2000:
    ]
