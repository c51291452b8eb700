"""PDF documents with Chinese text (returns, certificates, invoices) and QR codes.

fpdf2 writes the PDF and embeds a subset of Debian's Noto Sans CJK (package ``fonts-noto-cjk``, installed
by the Makefile's ``system-deps``), so a one-page certificate stays a few kilobytes; segno draws QR codes.
Both are imported on first use, not at start-up (fpdf2 alone costs about half a second to import).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fpdf import FPDF

CJK_FONT_DIRS = (Path("/usr/share/fonts/opentype/noto"), Path("/usr/share/fonts/truetype/noto"))
CJK_REGULAR = "NotoSansCJK-Regular.ttc"
CJK_BOLD = "NotoSansCJK-Bold.ttc"
FONT = "noto-cjk"


class FontMissing(RuntimeError):
    """The CJK font is not installed (``apt-get install fonts-noto-cjk``)."""


def _font(name: str) -> Path:
    for directory in CJK_FONT_DIRS:
        if (directory / name).is_file():
            return directory / name
    raise FontMissing(f"缺少中文字体 {name}：请安装 fonts-noto-cjk")


def new_pdf(*, orientation: str = "portrait") -> FPDF:
    """An A4 document with the CJK font registered as ``noto-cjk`` (regular and bold) and selected."""
    from fpdf import FPDF

    pdf = FPDF(orientation="landscape" if orientation == "landscape" else "portrait", format="A4")
    pdf.add_font(FONT, "", str(_font(CJK_REGULAR)))
    pdf.add_font(FONT, "B", str(_font(CJK_BOLD)))
    pdf.set_font(FONT, size=11)
    pdf.set_auto_page_break(auto=True, margin=15)
    return pdf


def pdf_bytes(pdf: FPDF) -> bytes:
    """The finished document."""
    return bytes(pdf.output())


def qr_png(data: str, *, scale: int = 4) -> io.BytesIO:
    """A QR code of ``data`` as PNG, ready for ``pdf.image(...)`` or an HTTP response."""
    import segno

    buffer = io.BytesIO()
    segno.make(data, error="m").save(buffer, kind="png", scale=scale, border=2)
    buffer.seek(0)
    return buffer
