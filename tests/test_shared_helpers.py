"""The platform's shared helpers: masking, the unique-violation check on both databases, the numbered pager."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from etax.platform.db.integrity import is_unique_violation
from etax.platform.listing.pager import Pager
from etax.platform.masking import mask_id_number, mask_mobile, mask_name
from etax.platform.usage import FunctionUsage


@pytest.mark.parametrize(
    ("mobile", "shown"),
    [
        ("13800000003", "138****0003"),
        ("024-23456789", "024*****6789"),  # a landline keeps only its area code and last four
        ("1380000000", "138***0000"),  # ten digits: still masked (the old login copy showed it whole)
        ("138000000031", "138*****0031"),
        ("1234567", "*******"),
        ("", ""),
    ],
)
def test_mask_mobile_never_shows_a_whole_number(mobile: str, shown: str) -> None:
    assert mask_mobile(mobile) == shown


def test_mask_name_and_id_number() -> None:
    assert [mask_name(n) for n in ("王建国", "张伟", "欧阳娜娜", "李")] == ["王*国", "张*", "欧**娜", "李"]
    assert mask_id_number("210102199001010031") == "210102********0031"


async def _insert(sql: str, *args: object) -> BaseException | None:
    try:
        await FunctionUsage.raw(sql, *args)
    except Exception as error:
        return error
    return None


def test_unique_violation_is_told_apart_from_other_integrity_errors(database: str) -> None:
    code = f"test.unique_{uuid.uuid4().hex[:8]}"
    insert = "INSERT INTO platform_function_usage (code, opened) VALUES ({}, 1)"
    assert asyncio.run(_insert(insert, code)) is None
    duplicate = asyncio.run(_insert(insert, code))
    assert duplicate is not None and is_unique_violation(duplicate)
    missing = asyncio.run(_insert("INSERT INTO platform_function_usage (code, opened) VALUES (NULL, 1)"))
    assert missing is not None and not is_unique_violation(missing)
    assert not is_unique_violation(ValueError("UNIQUE constraint failed"))


def test_pager_clamps_and_counts_pages() -> None:
    pager = Pager.at(7, total=41, size=20)
    assert (pager.page, pager.pages, pager.offset, pager.has_prev, pager.has_next) == (3, 3, 40, True, False)
    empty = Pager.at(0, total=0, size=20)
    assert (empty.page, empty.pages, empty.has_prev, empty.has_next) == (1, 1, False, False)
