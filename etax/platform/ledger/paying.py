"""The shared step of a payment page: pay, once, the unpaid items a taxpayer ticked.

A payment page (税款缴纳 of the filing plugin, a regional plugin's 社保费缴纳, …) lists the items it offers —
the ledger's :func:`~etax.platform.ledger.unpaid` items, or a subset of them — and posts back the page's
token (``_token``, from :func:`~etax.platform.applications.common.issue_token`) with the ids of the chosen
declarations (checkboxes named ``declaration``). :func:`pay_chosen` does the rest, the same for every page:

- a token this session was not given (an old tab, a forged form): refused, nothing paid;
- a token already used (a double click, a replayed form): the payment it made, not a second one;
- nothing ticked, or an id the page does not offer (tampered, or paid meanwhile): refused, nothing paid;
- otherwise the ledger deducts through the 三方协议 (its refusal — no agreement, a bank failure — is passed
  on) and the audit log records who paid what, acting for whom, and the bank's answer.

The page decides how a refusal looks (the page again with the message, or a refusal page) and where the
payment's result is shown. Plugins reach it as ``api.pay_chosen``.
"""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable
from typing import Any

import msgspec
from litestar import Request

from etax.platform.applications.common import submitted_token
from etax.platform.audit import record
from etax.platform.context import Actor
from etax.platform.forms import submitted, submitted_list
from etax.platform.functions import FunctionSpec
from etax.platform.ledger.service import pay, payment_by_key
from etax.platform.ledger.types import LedgerError, Payment, PaymentStatus, UnpaidItem
from etax.platform.money import format_money

STALE_FORM = "表单已失效，请刷新页面后重新提交"

MAX_CHOSEN = 100_000
"""Ids read from one posted form at the most (each at most 20,000 characters, checked to be short ids)."""


class PaymentRefusal(enum.Enum):
    """Why nothing was paid."""

    STALE = "stale"  # the form's token was not issued to this session
    NONE_CHOSEN = "none_chosen"  # nothing ticked
    NOT_OFFERED = "not_offered"  # an id the page does not offer (tampered, or paid meanwhile)
    LEDGER = "ledger"  # the ledger or the bank refused (its message says why)


class PaymentAttempt(msgspec.Struct, frozen=True, kw_only=True):
    """The outcome of :func:`pay_chosen`: the payment (new, or the one this form already made), or why not."""

    payment: Payment | None = None
    refusal: PaymentRefusal | None = None
    message: str = ""  # the refusal, in Chinese


def _refused(refusal: PaymentRefusal, message: str) -> PaymentAttempt:
    return PaymentAttempt(refusal=refusal, message=message)


async def pay_chosen(
    request: Request[Any, Any, Any],
    actor: Actor,
    function: FunctionSpec,
    offered: Callable[[int], Awaitable[list[UnpaidItem]]],
    *,
    items_word: str,
) -> PaymentAttempt:
    """Pay the items ticked on ``function``'s page for ``actor``'s taxpayer.

    ``offered`` gives the items the page offers a taxpayer (``ledger.unpaid`` or a subset of it);
    ``items_word`` names them in messages (``"缴税项目"``, ``"缴费项目"``). The audit entry is recorded
    under ``function.name``.
    """
    form = await submitted(request)
    token = submitted_token(form, request)
    if token is None:
        return _refused(PaymentRefusal.STALE, STALE_FORM)
    done = await payment_by_key(actor.taxpayer_id, token)
    if done is not None:
        return PaymentAttempt(payment=done)
    raw_ids = submitted_list(form, "declaration", 20_000, MAX_CHOSEN)
    if not raw_ids:
        return _refused(PaymentRefusal.NONE_CHOSEN, f"请选择{items_word}")
    open_ids = {item.declaration.id for item in await offered(actor.taxpayer_id)}
    if not all(v.isdigit() and len(v) < 12 for v in raw_ids) or not {int(v) for v in raw_ids} <= open_ids:
        return _refused(PaymentRefusal.NOT_OFFERED, f"所选{items_word}不存在或已缴纳，请刷新后重新选择")
    try:
        payment = await pay(actor.taxpayer_id, [int(v) for v in raw_ids], key=token, requested_by=actor.name)
    except LedgerError as error:
        return _refused(PaymentRefusal.LEDGER, error.message)
    await record(
        actor=actor.principal.display_name,
        acting_for=actor.taxpayer_name if actor.principal.acting_for else "",
        taxpayer_id=actor.taxpayer_id,
        action=function.name,
        outcome="success" if payment.status is PaymentStatus.SUCCEEDED else "failure",
        connection=request,
        target=f"缴款 {payment.voucher_number or payment.id}",
        detail=f"{payment.status.label} {format_money(payment.amount)}元 {payment.message}",
    )
    return PaymentAttempt(payment=payment)
