"""The certificate service: issue a certificate with a number and verification code, render its PDF,
and verify it for anyone (the public 纳税情况证明查验 page in ``plugins/public``).

Every kind (税收完税证明, 无欠税证明, 清税证明, 中国税收居民身份证明) is issued and verified here, so the one
public page verifies them all. The content is stored as issued (JSON) and the verification page shows it
back, so a tampered paper copy is caught by comparing. A wrong code and an unknown number get the same
public answer: numbers cannot be probed.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from enum import StrEnum
from typing import Any

import msgspec

from etax.platform import clock
from etax.platform.certificates.tables import CertificateRow
from etax.platform.coresys.tables import Taxpayer
from etax.platform.db.integrity import is_unique_violation
from etax.platform.pdf import new_pdf, pdf_bytes, qr_png

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I
CODE_LENGTH = 12
VERIFY_PATH = "/public/certificate-check"


class CertificateKind(StrEnum):
    """Which certificate."""

    TAX_PAYMENT = "tax_payment"  # 税收完税证明（表格式）
    NO_ARREARS = "no_arrears"  # 无欠税证明
    TAX_CLEARANCE = "tax_clearance"  # 清税证明
    RESIDENCY = "residency"  # 中国税收居民身份证明

    @property
    def label(self) -> str:
        return {
            "tax_payment": "税收完税证明",
            "no_arrears": "无欠税证明",
            "tax_clearance": "清税证明",
            "residency": "中国税收居民身份证明",
        }[self.value]

    @property
    def prefix(self) -> str:
        return {"tax_payment": "1", "no_arrears": "2", "tax_clearance": "3", "residency": "4"}[self.value]


class CertificateField(msgspec.Struct, frozen=True):
    """A labelled value in the certificate's header (填发日期, 纳税人识别号 …)."""

    label: str
    value: str


class CertificateContent(msgspec.Struct, frozen=True, kw_only=True):
    """What the certificate says: header fields, an optional table and a closing statement."""

    title: str
    fields: list[CertificateField] = []
    headers: list[str] = []
    rows: list[list[str]] = []
    total: str = ""  # e.g. 金额合计 text
    statement: str = ""  # e.g. "兹证明上述纳税人……"
    office: str = ""  # 税务机关


class Certificate(msgspec.Struct, frozen=True, kw_only=True):
    """An issued certificate."""

    id: int
    number: str
    code: str
    kind: CertificateKind
    taxpayer_id: int | None
    taxpayer_name: str
    taxpayer_tin: str
    content: CertificateContent
    issued_by: str
    issued_at: dt.datetime


class VerificationStatus(StrEnum):
    VALID = "valid"
    WRONG_CODE = "wrong_code"
    UNKNOWN = "unknown"


class Verification(msgspec.Struct, frozen=True, kw_only=True):
    """The answer to a check: the certificate only when number and code match."""

    status: VerificationStatus
    certificate: Certificate | None = None

    @property
    def valid(self) -> bool:
        return self.status is VerificationStatus.VALID


class CertificateError(Exception):
    """A refused issue, with a Chinese message."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def _certificate(row: dict[str, Any]) -> Certificate:
    taxpayer = row["taxpayer"]
    return Certificate(
        id=int(row["id"]),
        number=row["number"],
        code=row["code"],
        kind=CertificateKind(row["kind"]),
        taxpayer_id=int(taxpayer) if taxpayer is not None else None,
        taxpayer_name=row["taxpayer_name"],
        taxpayer_tin=row["taxpayer_tin"],
        content=msgspec.json.decode(row["content"], type=CertificateContent),
        issued_by=row["issued_by"],
        issued_at=row["issued_at"],
    )


def new_code() -> str:
    """A random verification code (12 characters without look-alikes)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """A typed code with spaces and dashes removed, upper-cased."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


async def issue_certificate(
    kind: CertificateKind,
    taxpayer_id: int,
    content: CertificateContent,
    *,
    issued_by: str,
    key: str,
) -> Certificate:
    """Issue a certificate for a taxpayer: a new number and code; a replay of ``key`` returns the same one."""
    if not key or len(key) > 80:
        raise CertificateError("表单已失效，请刷新页面后重新提交")
    existing = await CertificateRow.select().where(CertificateRow.key == key).first()
    if existing is not None:
        if existing["taxpayer"] != taxpayer_id:
            raise CertificateError("表单已失效，请刷新页面后重新提交")
        return _certificate(existing)
    taxpayer = await Taxpayer.select(Taxpayer.name, Taxpayer.tin).where(Taxpayer.id == taxpayer_id).first()
    if taxpayer is None:
        raise CertificateError("未找到纳税人")
    today = clock.today()
    for _ in range(5):
        number = f"{kind.prefix}{today:%Y%m%d}{secrets.randbelow(10**9):09d}"
        try:
            rows = await CertificateRow.insert(
                CertificateRow(
                    number=number,
                    code=new_code(),
                    kind=kind.value,
                    taxpayer=taxpayer_id,
                    taxpayer_name=taxpayer["name"],
                    taxpayer_tin=taxpayer["tin"],
                    content=msgspec.json.encode(content).decode(),
                    issued_by=issued_by,
                    issued_at=clock.utcnow(),
                    key=key,
                )
            ).returning(*CertificateRow.all_columns())
            return _certificate(rows[0])
        except Exception as error:
            if not is_unique_violation(error):
                raise
            replay = await CertificateRow.select().where(CertificateRow.key == key).first()
            if replay is not None:
                return _certificate(replay)
    raise CertificateError("证明编号生成失败，请稍后重试")


async def verify_certificate(number: str, code: str) -> Verification:
    """Check a certificate number and verification code (constant-time on the code)."""
    number = "".join(ch for ch in number if ch.isdigit())[:24]
    row = await CertificateRow.select().where(CertificateRow.number == number).first() if number else None
    if row is None:
        return Verification(status=VerificationStatus.UNKNOWN)
    if not hmac.compare_digest(str(row["code"]).encode(), normalise_code(code).encode()):
        return Verification(status=VerificationStatus.WRONG_CODE)
    return Verification(status=VerificationStatus.VALID, certificate=_certificate(row))


async def certificates(taxpayer_id: int, kind: CertificateKind | None = None) -> list[Certificate]:
    """The taxpayer's certificates, newest first."""
    query = CertificateRow.select().where(CertificateRow.taxpayer == taxpayer_id)
    if kind is not None:
        query = query.where(CertificateRow.kind == kind.value)
    return [_certificate(r) for r in await query.order_by(CertificateRow.id, ascending=False)]


async def certificate(taxpayer_id: int, certificate_id: int) -> Certificate | None:
    """One certificate of the taxpayer (``None`` for another taxpayer's)."""
    row = (
        await CertificateRow.select()
        .where((CertificateRow.id == certificate_id) & (CertificateRow.taxpayer == taxpayer_id))
        .first()
    )
    return _certificate(row) if row else None


def verify_url(certificate: Certificate, base_url: str = "") -> str:
    """The public verification link printed as a QR code (number pre-filled; the code is typed)."""
    return f"{base_url.rstrip('/')}{VERIFY_PATH}?number={certificate.number}"


def certificate_pdf(certificate: Certificate, *, base_url: str = "") -> bytes:
    """The certificate as a one-page (or longer) A4 PDF with number, code and a QR link to 证明查验."""
    content = certificate.content
    landscape = len(content.headers) > 5
    pdf = new_pdf(orientation="landscape" if landscape else "portrait")
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_font("noto-cjk", "B", 18)
    pdf.cell(width, 12, content.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("noto-cjk", "", 9)
    pdf.cell(width, 6, f"证明编号：{certificate.number}", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("noto-cjk", "", 10.5)
    fields = [
        CertificateField("纳税人识别号", certificate.taxpayer_tin),
        CertificateField("纳税人名称", certificate.taxpayer_name),
        *content.fields,
    ]
    for field in fields:
        pdf.multi_cell(width, 7, f"{field.label}：{field.value}", new_x="LMARGIN", new_y="NEXT")
    if content.headers:
        pdf.ln(2)
        pdf.set_font("noto-cjk", "", 9)
        with pdf.table(text_align="CENTER", line_height=6) as table:
            header = table.row()
            for cell in content.headers:
                header.cell(cell)
            for values in content.rows:
                row = table.row()
                for cell in values:
                    row.cell(cell)
    if content.total:
        pdf.ln(2)
        pdf.set_font("noto-cjk", "B", 10.5)
        pdf.multi_cell(width, 7, content.total, new_x="LMARGIN", new_y="NEXT")
    if content.statement:
        pdf.ln(2)
        pdf.set_font("noto-cjk", "", 10.5)
        pdf.multi_cell(width, 7, content.statement, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    top = pdf.get_y()
    if top > pdf.h - 55:
        pdf.add_page()
        top = pdf.get_y()
    pdf.image(qr_png(verify_url(certificate, base_url), scale=3), x=pdf.l_margin, y=top, w=32, h=32)
    pdf.set_xy(pdf.l_margin + 38, top)
    pdf.set_font("noto-cjk", "", 10)
    issued = clock.to_beijing(certificate.issued_at)
    lines = [
        f"税务机关：{content.office or '国家税务总局'}",
        f"填发日期：{issued:%Y年%m月%d日}",
        f"验证码：{certificate.code}",
        "查验：电子税务局 公众服务 > 查验服务 > 纳税情况证明查验，或扫描左侧二维码，",
        "输入证明编号和验证码核对本证明内容。",
    ]
    for text in lines:
        pdf.set_x(pdf.l_margin + 38)
        pdf.cell(width - 38, 6, text, new_x="LMARGIN", new_y="NEXT")
    return pdf_bytes(pdf)
