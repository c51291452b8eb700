"""Policy parameters (rates, thresholds, reliefs) as dated data, read from ``policy.toml``.

Every value has a valid-from and an optional valid-to date; a return is computed with the values valid
on the last day of its period, so a past period keeps the rules of its time and a policy change is a
data change. A period no entry covers is refused with a Chinese message naming the parameter.
"""

from __future__ import annotations

import datetime as dt
import itertools
import tomllib
from decimal import Decimal
from functools import cache
from pathlib import Path

import msgspec

POLICY_FILE = Path(__file__).with_name("policy.toml")


class PolicyMissing(LookupError):
    """No policy entry covers the date asked for."""


class PolicyValue(msgspec.Struct, frozen=True, kw_only=True):
    """One dated policy parameter."""

    key: str
    value: Decimal
    valid_from: dt.date
    valid_to: dt.date | None = None
    source: str = ""

    def covers(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


def parse_policy(text: str) -> tuple[PolicyValue, ...]:
    """Read policy entries from TOML text, refusing overlapping validity of one key."""
    raw = tomllib.loads(text)
    values = tuple(
        PolicyValue(
            key=str(entry["key"]),
            value=Decimal(str(entry["value"])),
            valid_from=entry["from"],
            valid_to=entry.get("to"),
            source=str(entry.get("source", "")),
        )
        for entry in raw.get("param", [])
    )
    by_key: dict[str, list[PolicyValue]] = {}
    for value in values:
        if value.valid_to is not None and value.valid_to < value.valid_from:
            raise ValueError(f"policy {value.key}: valid_to before valid_from")
        by_key.setdefault(value.key, []).append(value)
    for key, entries in by_key.items():
        entries.sort(key=lambda v: v.valid_from)
        for earlier, later in itertools.pairwise(entries):
            if earlier.valid_to is None or earlier.valid_to >= later.valid_from:
                raise ValueError(
                    f"policy {key}: entries from {earlier.valid_from} and {later.valid_from} overlap"
                )
    return values


@cache
def all_values() -> tuple[PolicyValue, ...]:
    return parse_policy(POLICY_FILE.read_text(encoding="utf-8"))


def entry(key: str, on: dt.date) -> PolicyValue:
    """The entry of ``key`` valid on ``on``."""
    for value in all_values():
        if value.key == key and value.covers(on):
            return value
    raise PolicyMissing(f"政策参数“{key}”没有适用于 {on.isoformat()} 的取值，无法按该所属期计算")


def value(key: str, on: dt.date) -> Decimal:
    """The value of ``key`` on ``on`` (raises :class:`PolicyMissing`)."""
    return entry(key, on).value


def optional(key: str, on: dt.date) -> Decimal | None:
    """The value of ``key`` on ``on``, or ``None`` when no entry covers that day (a relief that ended)."""
    try:
        return value(key, on)
    except PolicyMissing:
        return None
