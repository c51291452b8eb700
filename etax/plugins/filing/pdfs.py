"""PDFs of a filed return and of its confirmation (申报回执), through the platform's PDF helper."""

from __future__ import annotations

from decimal import Decimal

from etax.platform.api import beijing, new_pdf, pdf_bytes
from etax.platform.api import ledger as L
from etax.plugins.filing.engine import Computation, FormSpec, display
from etax.plugins.filing.service import period_from_dates


def _header(pdf: object, title: str, lines: list[str]) -> None:
    from fpdf import FPDF

    assert isinstance(pdf, FPDF)
    pdf.add_page()
    pdf.set_font("noto-cjk", "B", 14)
    pdf.multi_cell(0, 8, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("noto-cjk", "", 9)
    for line in lines:
        pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def return_pdf(form: FormSpec, declaration: L.Declaration, result: Computation, taxpayer_name: str) -> bytes:
    """The return as filed: header, every table; grids list their non-zero cells with 行/列 and label."""
    pdf = new_pdf()
    period = period_from_dates(declaration.period_kind, declaration.period_start)
    _header(
        pdf,
        form.title,
        [
            f"纳税人名称：{taxpayer_name}    税款所属期：{declaration.period_start} 至 {declaration.period_end}（{period.label}）",
            f"申报序号：{declaration.number}    申报日期：{beijing(declaration.filed_at)}    申报类型："
            f"{declaration.kind.label}    状态：{declaration.status.label}    金额单位：{form.unit}",
        ],
    )
    header = [line for line in form.header]
    if header:
        pdf.multi_cell(
            0,
            5,
            "；".join(f"{line.label}：{display(line, result.values[line.code])}" for line in header),
            new_x="LMARGIN",
            new_y="NEXT",
        )
    for section in form.sections:
        pdf.set_font("noto-cjk", "B", 10)
        pdf.multi_cell(0, 7, section.title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("noto-cjk", "", 8)
        single = len(section.columns) == 1
        with pdf.table(col_widths=(12, 110, 50) if single else (12, 60, 70, 40), line_height=5) as table:
            head = table.row()
            for text in ("栏次", "项目", section.columns[0]) if single else ("行次", "项目", "栏目", "金额"):
                head.cell(text)
            for row in section.rows:
                cells = [(i, line) for i, line in enumerate(row.cells) if line is not None]
                if single:
                    line = row.cells[0]
                    if line is None:
                        continue
                    out = table.row()
                    out.cell(row.no)
                    out.cell(row.label)
                    out.cell(display(line, result.values[line.code]))
                    continue
                for index, line in cells:
                    value = result.values[line.code]
                    if isinstance(value, Decimal) and value == 0:
                        continue
                    out = table.row()
                    out.cell(row.no)
                    out.cell(row.label)
                    out.cell(section.columns[index])
                    out.cell(display(line, value))
        pdf.ln(2)
    pdf.set_font("noto-cjk", "", 9)
    agency = f"    代理机构：{declaration.agency_name}" if declaration.agency_name else ""
    pdf.multi_cell(0, 6, f"经办人：{declaration.filed_by}{agency}", new_x="LMARGIN", new_y="NEXT")
    return pdf_bytes(pdf)


def receipt_pdf(main: L.Declaration, batch: list[L.Declaration], taxpayer_name: str, form_name: str) -> bytes:
    """申报回执: what was filed, the declaration numbers and the amounts to pay, with the deadline."""
    pdf = new_pdf()
    _header(
        pdf,
        "申报回执",
        [
            f"纳税人名称：{taxpayer_name}",
            f"申报表：{form_name}",
            f"税款所属期：{main.period_start} 至 {main.period_end}",
            f"申报日期：{beijing(main.filed_at)}    申报类型：{main.kind.label}",
            f"经办人：{main.filed_by}" + (f"    代理机构：{main.agency_name}" if main.agency_name else ""),
        ],
    )
    with pdf.table(col_widths=(50, 40, 30, 30, 30), line_height=6) as table:
        head = table.row()
        for text in ("申报序号", "征收项目", "应纳税额", "应补（退）税额", "状态"):
            head.cell(text)
        total = Decimal("0.00")
        for d in batch:
            row = table.row()
            row.cell(d.number)
            row.cell(d.tax_type.label)
            row.cell(f"{d.amounts.tax:,.2f}")
            row.cell(f"{d.amounts.payable:,.2f}")
            row.cell(d.status.label)
            if d.status is L.DeclarationStatus.FILED:
                total += d.amounts.payable
    pdf.ln(3)
    pdf.multi_cell(
        0,
        6,
        f"本次申报应缴税（费）合计：{total:,.2f} 元；缴款期限：{main.payment_deadline}。"
        "逾期缴纳的，自缴款期限次日起按日加收万分之五的滞纳金。",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.multi_cell(0, 6, "您的申报已成功受理。", new_x="LMARGIN", new_y="NEXT")
    return pdf_bytes(pdf)
