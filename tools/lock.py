"""Refresh the lock files ``make install`` / ``make install-dev`` install from (``make lock``).

``pip lock`` (pip ≥ 25.1, PEP 751) resolves ``pyproject.toml``'s ranges against the configured package
indexes; each result is written as a pip requirements file of exact versions with their SHA-256 hashes
(``requirements.lock`` for running, ``requirements-dev.lock`` with the ``dev`` extra), which any pip
installs with ``--require-hashes``. The ranges in ``pyproject.toml`` stay for people who install etax as a
library.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"requirements.lock": ".", "requirements-dev.lock": ".[dev]"}


def requirements(pylock: dict[str, object]) -> list[str]:
    lines = []
    packages = pylock.get("packages", [])
    assert isinstance(packages, list)
    for package in sorted(packages, key=lambda p: str(p["name"]).lower()):
        if "directory" in package:  # etax itself, installed editable on top
            continue
        hashes = sorted(
            {
                f["hashes"]["sha256"]
                for f in [*package.get("wheels", []), *([package["sdist"]] if "sdist" in package else [])]
            }
        )
        pins = " ".join(f"--hash=sha256:{h}" for h in hashes)
        lines.append(f"{package['name']}=={package['version']} {pins}")
    return lines


def main() -> int:
    for target, spec in TARGETS.items():
        out = ROOT / "pylock.refresh.toml"  # pip lock wants its output beside the project
        try:
            subprocess.run(
                [sys.executable, "-m", "pip", "lock", "--quiet", "-e", spec, "-o", out.name],
                cwd=ROOT,
                check=True,
            )
            lines = requirements(tomllib.loads(out.read_text(encoding="utf-8")))
        finally:
            out.unlink(missing_ok=True)
        header = f'# Exact versions with hashes of `pip install -e "{spec}"`; refresh with `make lock` (tools/lock.py).\n'
        (ROOT / target).write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
        print(f"{target}: {len(lines)} packages")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
