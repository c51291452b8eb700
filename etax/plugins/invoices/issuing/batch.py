"""批量开具: invoices from an uploaded XLSX, each checked and issued on its own, with a row-by-row report.

The sheet's first row is the header (the template's column names); rows with the same 序号 form one
invoice (its lines). An invoice whose rows have a problem is not issued and its rows carry the message;
the others are issued through the same service as the form (quota, numbering, audit).
"""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal, InvalidOperation

import msgspec

from etax.plugins.invoices.issuing.service import issue
from etax.plugins.invoices.model import InvoiceError, InvoiceKind, IssueInput, ItemInput, Who

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 500
HEADER = (
    "序号",
    "发票种类",
    "购买方纳税人识别号",
    "购买方名称",
    "项目名称",
    "规格型号",
    "单位",
    "数量",
    "单价",
    "金额",
    "税率",
)
KINDS = {"专票": InvoiceKind.SPECIAL, "普票": InvoiceKind.ORDINARY}
KINDS.update({kind.label: kind for kind in InvoiceKind})


class RowResult(msgspec.Struct, frozen=True, kw_only=True):
    row: int  # the sheet's row number
    group: str  # 序号
    ok: bool
    message: str  # 发票号码 when issued, else the problem


def template_bytes() -> bytes:
    """The template: the header and two example rows (one invoice of two lines)."""
    from openpyxl import Workbook  # imported on first use, not at start-up

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "批量开具"
    sheet.append(list(HEADER))
    sheet.append(
        ["1", "专票", "91210102MA0Y8K3P1T", "", "*信息技术服务*软件开发", "", "项", "1", "1000", "1000", "6"]
    )
    sheet.append(
        ["1", "专票", "91210102MA0Y8K3P1T", "", "*计算机*服务器", "R740", "台", "2", "3000", "6000", "13"]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _number(value: str, label: str) -> Decimal | None:
    if not value:
        return None
    try:
        number = Decimal(value.replace(",", "").rstrip("%"))
    except InvalidOperation:
        raise InvoiceError(f"{label}应为数字") from None
    if not number.is_finite():
        raise InvoiceError(f"{label}应为数字")
    return number


def read_sheet(data: bytes) -> list[tuple[int, dict[str, str]]]:
    """The data rows (row number, column → text), or :class:`InvoiceError` for an unreadable file."""
    if len(data) > MAX_BYTES:
        raise InvoiceError("文件不能超过2MB")
    if not data.startswith(b"PK"):
        raise InvoiceError("请上传Excel文件（.xlsx），可先下载模板填写")
    try:
        from openpyxl import load_workbook  # imported on first use, not at start-up

        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise InvoiceError("无法读取该Excel文件，请使用模板填写后上传") from None
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [_text(value) for value in next(rows, ())]
    missing = [name for name in HEADER if name not in header]
    if missing:
        raise InvoiceError(f"表头缺少：{'、'.join(missing)}，请使用模板")
    found: list[tuple[int, dict[str, str]]] = []
    for number, values in enumerate(rows, start=2):
        cells = {
            name: _text(values[header.index(name)]) if header.index(name) < len(values) else ""
            for name in HEADER
        }
        if not any(cells.values()):
            continue
        found.append((number, cells))
        if len(found) > MAX_ROWS:
            raise InvoiceError(f"一次最多导入{MAX_ROWS}行")
    if not found:
        raise InvoiceError("文件中没有发票数据")
    return found


def _invoice(rows: list[tuple[int, dict[str, str]]]) -> IssueInput:
    first = rows[0][1]
    kind = KINDS.get(first["发票种类"])
    if kind is None:
        raise InvoiceError("发票种类应为“专票”或“普票”")
    items = []
    for _row, cells in rows:
        for name in ("发票种类", "购买方纳税人识别号", "购买方名称"):
            if cells[name] and cells[name] != first[name]:
                raise InvoiceError(f"同一序号的{name}必须一致")
        quantity = _number(cells["数量"], "数量")
        price = _number(cells["单价"], "单价")
        amount = _number(cells["金额"], "金额")
        rate = _number(cells["税率"], "税率")
        if rate is None:
            raise InvoiceError("请填写税率")
        if rate < 1 and rate != 0:
            rate *= 100  # 0.13 → 13
        if amount is None:
            if quantity is None or price is None:
                raise InvoiceError("请填写金额（或数量和单价）")
            amount = (quantity * price).quantize(Decimal("0.01"))
        items.append(
            ItemInput(
                name=cells["项目名称"][:100],
                specification=cells["规格型号"][:40],
                unit=cells["单位"][:10],
                quantity=quantity,
                unit_price=price,
                amount=amount,
                rate=rate.normalize(),
            )
        )
    return IssueInput(
        kind=kind, buyer_tin=first["购买方纳税人识别号"], buyer_name=first["购买方名称"], items=tuple(items)
    )


async def issue_batch(data: bytes, who: Who) -> list[RowResult]:
    """Issue every invoice of the sheet that passes the checks; one result per sheet row."""
    groups: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for number, cells in read_sheet(data):
        groups.setdefault(cells["序号"] or f"行{number}", []).append((number, cells))
    results: list[RowResult] = []
    for group, rows in groups.items():
        try:
            invoice = await issue(_invoice(rows), who)
        except InvoiceError as error:
            results += [RowResult(row=n, group=group, ok=False, message=error.message) for n, _ in rows]
        else:
            results += [RowResult(row=n, group=group, ok=True, message=invoice.number) for n, _ in rows]
    return sorted(results, key=lambda result: result.row)
