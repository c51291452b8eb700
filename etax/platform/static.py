"""Static directories plugins contribute."""

from __future__ import annotations

import re

import msgspec

NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_-]*$")


class StaticDir(msgspec.Struct, frozen=True, kw_only=True):
    """A directory served under ``/static/plugins/<name>/``."""

    name: str
    directory: str
