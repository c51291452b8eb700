"""Commands plugins add to the ``etax`` command line (hook ``etax_cli_commands``).

The platform never imports plugins, so a plugin that offers a command (e.g. the filing plugin's
``etax forms compute``) declares it as a :class:`CliCommand`: its words (``("forms", "compute")``), a
help line, a function adding its arguments to an ``argparse`` parser, and the function that runs it
and returns the exit status. ``etax`` loads the plugins, adds their commands beside its own and refuses
a command that would shadow a built-in one or another plugin's.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class CliCommand:
    """One command a plugin adds: ``etax <words...> [arguments]``."""

    words: tuple[str, ...]  # one word (``etax hello``) or a group and a command (``etax forms compute``)
    help: str
    run: Callable[[argparse.Namespace], int]
    arguments: Callable[[argparse.ArgumentParser], None] | None = None

    def problems(self) -> list[str]:
        found: list[str] = []
        if not 1 <= len(self.words) <= 2:
            found.append(f"command {self.words!r}: one word, or a group and a command")
        if any(not word or not word.replace("-", "").isalnum() or not word.isascii() for word in self.words):
            found.append(f"command {self.words!r}: words are lower-case ASCII letters, digits and '-'")
        return found
