"""The Liaoning distribution installed as a third party would, running its own tests against installed etax.

``pip install`` builds it from a copy of ``examples/etax-liaoning`` (offline: ``--no-deps
--no-build-isolation``, with the setuptools of this environment) into a directory of its own, then its
tests run with only that directory added to the path: entry point, package data and migrations come
from the installed distribution, and etax.testing (etax's ``pytest11`` entry point) gives them their
application. Once per ``make test``, in the PostgreSQL pass: it exercises packaging, not a dialect
(the plugin's tests use etax.testing's temporary SQLite database either way).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import BACKEND

DISTRIBUTION = Path(__file__).resolve().parents[1] / "examples" / "etax-liaoning"

pytestmark = pytest.mark.skipif(
    BACKEND != "postgres", reason="packaging is checked once, in the PostgreSQL pass"
)


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False)


def test_pip_installed_liaoning_distribution_passes_its_own_tests(tmp_path: Path) -> None:
    source = tmp_path / "etax-liaoning"
    shutil.copytree(DISTRIBUTION, source, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "build"))
    site = tmp_path / "site"
    env = {key: value for key, value in os.environ.items() if not key.startswith("ETAX_")}
    env["PIP_NO_INDEX"] = "1"
    installed = _run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--target",
            str(site),
            str(source),
        ],
        tmp_path,
        env,
    )
    assert installed.returncode == 0, installed.stderr[-3000:]
    assert (site / "etax_liaoning" / "templates" / "liaoning" / "declaration.html").is_file()
    shutil.rmtree(source / "etax_liaoning")  # the tests must use the installed copy, not the source
    entry_points = (site / "etax_liaoning-1.0.0.dist-info" / "entry_points.txt").read_text(encoding="utf-8")
    assert "[etax.plugins]" in entry_points and "liaoning = etax_liaoning" in entry_points
    env["PYTHONPATH"] = str(site)
    tests = _run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-W",
            "ignore::DeprecationWarning",
            str(source / "tests"),
        ],
        source,
        env,
    )
    assert tests.returncode == 0, tests.stdout[-5000:] + tests.stderr[-3000:]
    assert " passed" in tests.stdout and "failed" not in tests.stdout
