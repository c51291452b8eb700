"""The 蓝字发票开具 form: typed values out of the posted fields, or the first problem in Chinese."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

import msgspec

from etax.plugins.invoices.model import InvoiceError, InvoiceKind, InvoiceView, IssueInput, ItemInput

DEFAULT_ROWS = 3
MAX_ROWS = 100
ROW_FIELDS = ("name", "spec", "unit", "qty", "price", "amount", "rate")


class RowValues(msgspec.Struct, kw_only=True):
    """A line as typed (strings), to show the form again."""

    name: str = ""
    spec: str = ""
    unit: str = ""
    qty: str = ""
    price: str = ""
    amount: str = ""
    rate: str = "13"

    @property
    def blank(self) -> bool:
        return not (self.name or self.qty or self.price or self.amount)


class FormValues(msgspec.Struct, kw_only=True):
    kind: str = InvoiceKind.SPECIAL.value
    buyer_is_person: bool = False
    buyer_tin: str = ""
    buyer_name: str = ""
    price_inclusive: bool = False
    remark: str = ""
    rows: list[RowValues] = msgspec.field(default_factory=list)


def values_from(form: Mapping[str, str]) -> FormValues:
    """The posted fields as typed strings; blank rows are kept so the form shows what was typed."""
    try:
        count = max(1, min(MAX_ROWS, int(form.get("rows", DEFAULT_ROWS))))
    except ValueError:
        count = DEFAULT_ROWS
    rows = [
        RowValues(**{field: str(form.get(f"{field}_{index}", "")).strip()[:100] for field in ROW_FIELDS})
        for index in range(count)
    ]
    return FormValues(
        kind=str(form.get("kind", InvoiceKind.SPECIAL.value)),
        buyer_is_person=form.get("buyer_is_person") in ("on", "1", "true"),
        buyer_tin=str(form.get("buyer_tin", "")).strip()[:20],
        buyer_name=str(form.get("buyer_name", "")).strip()[:100],
        price_inclusive=form.get("price_inclusive") == "1",
        remark=str(form.get("remark", "")).strip()[:200],
        rows=rows,
    )


def values_of(invoice: InvoiceView) -> FormValues:
    """复制开票: a new form filled from an issued invoice (same buyer, lines and amounts)."""
    rows = [
        RowValues(
            name=item.name,
            spec=item.specification,
            unit=item.unit,
            qty=f"{item.quantity:f}" if item.quantity is not None else "",
            price=f"{item.unit_price:f}" if item.unit_price is not None else "",
            amount=f"{item.amount:.2f}",
            rate=f"{item.rate:f}",
        )
        for item in invoice.items
    ]
    return FormValues(
        kind=invoice.kind.value,
        buyer_is_person=invoice.buyer_is_person,
        buyer_tin=invoice.buyer_tin,
        buyer_name=invoice.buyer_name,
        remark=invoice.remark,
        rows=rows or [RowValues()],
    )


def _decimal(text: str, label: str, line: int) -> Decimal | None:
    if not text:
        return None
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise InvoiceError(f"第{line}行：{label}应为数字", "items") from None
    if not value.is_finite() or abs(value) >= Decimal("1e12"):
        raise InvoiceError(f"第{line}行：{label}不正确", "items")
    return value


def parse(values: FormValues) -> IssueInput:
    """The issue input, or :class:`InvoiceError` for a field that is not even a number."""
    try:
        kind = InvoiceKind(values.kind)
    except ValueError:
        raise InvoiceError("请选择发票种类", "kind") from None
    items: list[ItemInput] = []
    for line, row in enumerate((r for r in values.rows if not r.blank), start=1):
        amount = _decimal(row.amount, "金额", line)
        quantity = _decimal(row.qty, "数量", line)
        price = _decimal(row.price, "单价", line)
        rate = _decimal(row.rate.rstrip("%"), "税率", line)
        if rate is None:
            raise InvoiceError(f"第{line}行：请选择税率", "items")
        if amount is None:
            if quantity is None or price is None:
                raise InvoiceError(f"第{line}行：请填写金额（或数量和单价）", "items")
            amount = (quantity * price).quantize(Decimal("0.01"))
        items.append(
            ItemInput(
                name=row.name,
                specification=row.spec[:40],
                unit=row.unit[:10],
                quantity=quantity,
                unit_price=price,
                amount=amount,
                rate=rate,
            )
        )
    return IssueInput(
        kind=kind,
        buyer_tin=values.buyer_tin,
        buyer_name=values.buyer_name,
        buyer_is_person=values.buyer_is_person,
        price_inclusive=values.price_inclusive,
        remark=values.remark,
        items=tuple(items),
    )
