"""The invoice as a document: the official 数电发票 face as PDF (with its QR code) and as structured XML.

The PDF follows the layout of the 电子发票（增值税专用发票／普通发票）: title, QR code and 发票号码 /
开票日期 at the top, 购买方 and 销售方 side by side, the item table, 合计, 价税合计 in capitals and
figures, 备注 and 开票人. It is drawn with the platform's PDF helper (CJK font subset, segno QR).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

from etax.platform import api
from etax.plugins.invoices.model import InvoiceView
from etax.plugins.invoices.money import capitals

INK = (128, 64, 32)  # the brown-red of the printed frame
BLACK = (0, 0, 0)


def _money(value: Decimal) -> str:
    return f"{value:,.2f}"


def _plain(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}"


def red_remark(invoice: InvoiceView) -> str:
    if invoice.is_red and invoice.original_number:
        return f"被红冲蓝字数电发票号码：{invoice.original_number}"
    return ""


def invoice_pdf(invoice: InvoiceView) -> bytes:
    """One A4 landscape page with the invoice face."""
    pdf = api.new_pdf(orientation="landscape")
    pdf.add_page()
    left, width = 15.0, 267.0
    pdf.set_draw_color(*INK)
    pdf.set_text_color(*INK)
    pdf.image(api.qr_png(invoice.qr_payload(), scale=3), x=left, y=10, w=24, h=24)
    pdf.set_font("noto-cjk", "B", 18)
    pdf.set_xy(left + 40, 14)
    pdf.cell(width - 110, 10, invoice.title, align="C")
    pdf.set_font("noto-cjk", "", 10)
    for offset, (label, value) in enumerate(
        (("发票号码：", invoice.number), ("开票日期：", f"{invoice.issue_date:%Y年%m月%d日}"))
    ):
        pdf.set_xy(left + width - 75, 13 + offset * 7)
        pdf.set_text_color(*INK)
        pdf.cell(20, 6, label)
        pdf.set_text_color(*BLACK)
        pdf.cell(55, 6, value)
    if invoice.is_red:
        pdf.set_text_color(200, 0, 0)
        pdf.set_xy(left + 40, 25)
        pdf.cell(width - 110, 6, "（红字）", align="C")
    top = 38.0
    half = width / 2
    pdf.set_text_color(*INK)
    pdf.rect(left, top, width, 24)
    pdf.line(left + half, top, left + half, top + 24)
    parties = (
        ("购买方信息", invoice.buyer_name, invoice.buyer_tin),
        ("销售方信息", invoice.seller_name, invoice.seller_tin),
    )
    for index, (label, name, tin) in enumerate(parties):
        x = left + index * half
        pdf.set_xy(x + 2, top + 2)
        pdf.set_text_color(*INK)
        pdf.cell(half - 4, 6, label)
        pdf.set_xy(x + 2, top + 9)
        pdf.cell(12, 6, "名称：")
        pdf.set_text_color(*BLACK)
        pdf.cell(half - 18, 6, name)
        pdf.set_xy(x + 2, top + 16)
        pdf.set_text_color(*INK)
        pdf.cell(44, 6, "统一社会信用代码/纳税人识别号：")
        pdf.set_text_color(*BLACK)
        pdf.cell(half - 50, 6, tin)
    columns = (
        ("项目名称", 62.0, "L"),
        ("规格型号", 30.0, "L"),
        ("单位", 16.0, "C"),
        ("数量", 27.0, "R"),
        ("单价", 33.0, "R"),
        ("金额", 35.0, "R"),
        ("税率/征收率", 26.0, "C"),
        ("税额", 38.0, "R"),
    )
    y = top + 26
    pdf.set_xy(left, y)
    pdf.set_text_color(*INK)
    for label, w, _align in columns:
        pdf.cell(w, 7, label, align="C")
    y += 7
    pdf.set_text_color(*BLACK)
    pdf.set_font("noto-cjk", "", 9)
    for item in invoice.items:
        values = (
            item.name,
            item.specification,
            item.unit,
            _plain(item.quantity),
            _plain(item.unit_price),
            _money(item.amount),
            item.rate_text,
            _money(item.tax),
        )
        pdf.set_xy(left, y)
        for (_label, w, align), value in zip(columns, values, strict=True):
            pdf.cell(w, 6, value, align=align)
        y += 6
        if y > 150:
            break
    y = max(y + 2, top + 80)
    pdf.set_font("noto-cjk", "", 10)
    pdf.set_xy(left, y)
    pdf.set_text_color(*INK)
    pdf.cell(62, 7, "合　　计", align="C")
    pdf.set_text_color(*BLACK)
    pdf.set_xy(left + 62 + 30 + 16 + 27 + 33, y)
    pdf.cell(35, 7, "¥" + _money(invoice.amount), align="R")
    pdf.set_xy(left + width - 38, y)
    pdf.cell(38, 7, "¥" + _money(invoice.tax), align="R")
    pdf.rect(left, top + 24, width, y + 7 - top - 24)
    y += 7
    pdf.rect(left, y, width, 9)
    pdf.set_xy(left + 2, y + 1.5)
    pdf.set_text_color(*INK)
    pdf.cell(40, 6, "价税合计（大写）")
    pdf.set_text_color(*BLACK)
    pdf.cell(120, 6, capitals(invoice.total))
    pdf.set_text_color(*INK)
    pdf.cell(20, 6, "（小写）")
    pdf.set_text_color(*BLACK)
    pdf.cell(60, 6, "¥" + _money(invoice.total))
    y += 9
    pdf.rect(left, y, width, 18)
    pdf.set_xy(left + 2, y + 2)
    pdf.set_text_color(*INK)
    pdf.cell(12, 6, "备注")
    pdf.set_text_color(*BLACK)
    remark = "；".join(part for part in (red_remark(invoice), invoice.remark) if part)
    pdf.multi_cell(width - 18, 6, remark)
    pdf.set_xy(left, y + 20)
    pdf.set_text_color(*INK)
    pdf.cell(16, 6, "开票人：")
    pdf.set_text_color(*BLACK)
    pdf.cell(60, 6, invoice.issuer)
    return api.pdf_bytes(pdf)


def invoice_xml(invoice: InvoiceView) -> bytes:
    """The invoice as structured data (the fields of the face, in the spirit of the 数电发票 XML/OFD)."""
    root = ET.Element("EInvoice", {"version": "1.0"})
    header = ET.SubElement(root, "Header")
    for tag, value in (
        ("InvoiceNumber", invoice.number),
        ("InvoiceType", invoice.kind_label),
        ("IssueDate", invoice.issue_date.isoformat()),
        ("Colour", "红字" if invoice.is_red else "蓝字"),
        ("Status", invoice.status.value),
        ("OriginalInvoiceNumber", invoice.original_number),
    ):
        ET.SubElement(header, tag).text = value
    seller = ET.SubElement(root, "Seller")
    ET.SubElement(seller, "Name").text = invoice.seller_name
    ET.SubElement(seller, "TaxID").text = invoice.seller_tin
    buyer = ET.SubElement(root, "Buyer")
    ET.SubElement(buyer, "Name").text = invoice.buyer_name
    ET.SubElement(buyer, "TaxID").text = invoice.buyer_tin
    ET.SubElement(buyer, "NaturalPerson").text = "Y" if invoice.buyer_is_person else "N"
    items = ET.SubElement(root, "Items")
    for item in invoice.items:
        line = ET.SubElement(items, "Item", {"line": str(item.line)})
        for tag, value in (
            ("Name", item.name),
            ("Specification", item.specification),
            ("Unit", item.unit),
            ("Quantity", _plain(item.quantity)),
            ("UnitPrice", _plain(item.unit_price)),
            ("Amount", f"{item.amount:.2f}"),
            ("TaxRate", f"{item.rate / 100:.2f}"),
            ("TaxAmount", f"{item.tax:.2f}"),
        ):
            ET.SubElement(line, tag).text = value
    totals = ET.SubElement(root, "Totals")
    ET.SubElement(totals, "Amount").text = f"{invoice.amount:.2f}"
    ET.SubElement(totals, "TaxAmount").text = f"{invoice.tax:.2f}"
    ET.SubElement(totals, "TotalWithTax").text = f"{invoice.total:.2f}"
    ET.SubElement(totals, "TotalInCapitals").text = capitals(invoice.total)
    ET.SubElement(root, "Remark").text = "；".join(p for p in (red_remark(invoice), invoice.remark) if p)
    ET.SubElement(root, "Issuer").text = invoice.issuer
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data
