"""The platform's shared helpers: masking, the unique-violation check on both databases, the numbered pager."""

from __future__ import annotations

import asyncio
import datetime as dt
import enum
import re
import uuid
from decimal import Decimal
from typing import Annotated

import msgspec
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from etax.platform.db.integrity import is_unique_violation
from etax.platform.forms import parse
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


class Kind(enum.StrEnum):
    FINE = "罚款"
    WARNING = "警告"


class SampleForm(msgspec.Struct, kw_only=True):
    tin: Annotated[str, msgspec.Meta(title="纳税人识别号", min_length=15, max_length=20)]
    kind: Annotated[Kind, msgspec.Meta(title="处理类型")]
    amount: Annotated[Decimal, msgspec.Meta(title="罚款金额")] = Decimal(0)
    copies: Annotated[int, msgspec.Meta(title="份数", ge=1, le=10)] = 1
    on: Annotated[dt.date | None, msgspec.Meta(title="登记日期")] = None
    nodes: Annotated[list[str], msgspec.Meta(title="功能", max_length=2)] = msgspec.field(
        default_factory=list
    )


def test_form_layer_names_every_bad_field_in_chinese() -> None:
    form, errors = parse(
        SampleForm,
        {
            "tin": "123",
            "kind": "Fine",
            "amount": "1.005",
            "copies": "11",
            "on": "2026-02-30",
            "nodes": ["a", "b", "c"],
        },
    )
    assert form is None
    assert errors == {
        "tin": "纳税人识别号至少填写15个字",
        "kind": "处理类型的选项无效，请重新选择",
        "amount": "罚款金额须为不小于0的金额，最多保留两位小数",
        "copies": "份数不能大于10",
        "on": "登记日期须为有效日期，格式如2026-01-31",
        "nodes": "功能最多选择2项",
    }
    assert all(not message.isascii() and "Expected" not in message for message in errors.values())
    assert parse(SampleForm, {}) == (None, {"tin": "请填写纳税人识别号", "kind": "请选择处理类型"})
    good, none = parse(
        SampleForm, {"tin": " 912101035415001189 ", "kind": "警告", "amount": "1,234.5", "nodes": "a"}
    )
    assert none == {} and good is not None
    assert (good.tin, good.kind, good.amount, good.copies, good.on, good.nodes) == (
        "912101035415001189",
        Kind.WARNING,
        Decimal("1234.50"),
        1,
        None,
        ["a"],
    )


def test_a_refused_field_is_marked_invalid_and_points_at_its_message(client: TestClient[Litestar]) -> None:
    client.get("/login")
    answer = client.post(
        "/login/enterprise",
        data={"tin": "", "password": "", "captcha": "", "_csrf_token": client.cookies["etax_csrf"]},
    )
    assert answer.status_code == 400
    tin = re.search(r'<input id="f-tin"[^>]*>', answer.text)
    assert (
        tin is not None
        and 'aria-invalid="true"' in tin.group(0)
        and 'aria-describedby="err-tin"' in tin.group(0)
    )
    assert re.search(r'id="err-tin"[^>]*>请输入纳税人识别号<', answer.text)
    assert 'id="f-password"' in answer.text
    password = re.search(r'<input id="f-password"[^>]*>', answer.text)
    assert password is not None and 'aria-invalid="true"' in password.group(0)
