"""Pages of 涉税事项 beyond the application forms: 开具无欠税证明 (issued at once when nothing is owed),
the certificates the bureau issued on a decision (清税证明, 税收居民身份证明, 转开的完税证明) and the list of
reported bank accounts. Every id is looked up within the visitor's own taxpayer."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.response import Redirect, Template

from etax.platform.api import (
    CertificateContent,
    CertificateError,
    CertificateField,
    CertificateKind,
    FunctionSpec,
    RecordId,
    beijing,
    certificates,
    clock,
    current_actor,
    issue_token,
    ledger_records,
    record,
    registry,
    submitted,
    submitted_text,
    token_issued,
)
from etax.plugins.matters import functions as F

STALE_FORM = "表单已失效，请刷新页面后重新提交"


async def _pdf(
    request: Request[Any, Any, Any], certificate_id: int, kind: CertificateKind
) -> Response[bytes]:
    actor = await current_actor(request)
    issued = await certificates.certificate(actor.taxpayer_id, certificate_id)
    if issued is None or issued.kind is not kind:
        raise NotFoundException("未找到该证明")
    body = certificates.certificate_pdf(issued, base_url=str(request.base_url))
    return Response(
        body,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{kind.value}-{issued.number}.pdf"'},
    )


def certificate_download(function: FunctionSpec, kind: CertificateKind) -> type[Controller]:
    """``GET <function url>/certificate/<id>``: the PDF of a certificate this function issued."""

    class CertificateDownload(Controller):
        path = f"{function.url}/certificate"
        opt = {"function": function.code}

        @get("/{certificate_id:int}")
        async def pdf(self, request: Request[Any, Any, Any], certificate_id: RecordId) -> Response[bytes]:
            return await _pdf(request, certificate_id, kind)

    CertificateDownload.__name__ = f"CertificateDownload_{function.code.replace('.', '_')}"
    return CertificateDownload


class NoArrearsController(Controller):
    """开具无欠税证明: refused, with the reasons, while anything is unfiled past its deadline or unpaid."""

    path = F.NO_ARREARS.url
    opt = {"function": F.NO_ARREARS.code}

    async def _context(self, request: Request[Any, Any, Any], error: str = "") -> dict[str, Any]:
        actor = await current_actor(request)
        left = await ledger_records.outstanding(actor.taxpayer_id)
        issued = await certificates.certificates(actor.taxpayer_id, CertificateKind.NO_ARREARS)
        return {
            "function": F.NO_ARREARS,
            "taxpayer_name": actor.taxpayer_name,
            "reasons": [*left.overdue, *left.arrears],
            "token": issue_token(request),
            "issued": issued[:10],
            "error": error,
            "beijing": beijing,
            "today": clock.today(),
        }

    @get("/")
    async def show(self, request: Request[Any, Any, Any]) -> Template:
        return Template("matters/no_arrears.html", context=await self._context(request))

    @post("/")
    async def issue(self, request: Request[Any, Any, Any]) -> Response[Any]:
        actor = await current_actor(request)
        token = submitted_text(await submitted(request), "_submission")
        if not token or not token_issued(request, token):
            return Template(
                "matters/no_arrears.html", context=await self._context(request, STALE_FORM), status_code=400
            )
        left = await ledger_records.outstanding(actor.taxpayer_id)
        reasons = [*left.overdue, *left.arrears]
        if reasons:
            await record(
                actor=actor.principal.display_name,
                acting_for=actor.taxpayer_name if actor.principal.acting_for else "",
                taxpayer_id=actor.taxpayer_id,
                action=F.NO_ARREARS.name,
                outcome="refused",
                connection=request,
                detail="；".join(reasons)[:500],
            )
            message = "存在欠税或应申报未申报记录，不能开具无欠税证明：" + "；".join(reasons[:5])
            return Template(
                "matters/no_arrears.html", context=await self._context(request, message), status_code=400
            )
        taxpayer = await registry.taxpayer_by_id(actor.taxpayer_id)
        today = clock.today()
        content = CertificateContent(
            title="无欠税证明",
            fields=[
                CertificateField("截至日期", today.isoformat()),
                CertificateField("填发日期", today.isoformat()),
            ],
            statement=f"经查询税收征管信息系统，截至{today:%Y年%m月%d日}，未发现该纳税人有欠税情形。",
            office=taxpayer.tax_office if taxpayer else "",
        )
        try:
            issued = await certificates.issue_certificate(
                CertificateKind.NO_ARREARS, actor.taxpayer_id, content, issued_by=actor.name, key=token
            )
        except CertificateError as error:
            return Template(
                "matters/no_arrears.html",
                context=await self._context(request, error.message),
                status_code=400,
            )
        await record(
            actor=actor.principal.display_name,
            acting_for=actor.taxpayer_name if actor.principal.acting_for else "",
            taxpayer_id=actor.taxpayer_id,
            action=F.NO_ARREARS.name,
            outcome="success",
            connection=request,
            target=f"证明编号 {issued.number}",
        )
        return Redirect(f"{F.NO_ARREARS.url}/{issued.id}", status_code=303)

    @get("/{certificate_id:int}")
    async def detail(self, request: Request[Any, Any, Any], certificate_id: RecordId) -> Template:
        actor = await current_actor(request)
        issued = await certificates.certificate(actor.taxpayer_id, certificate_id)
        if issued is None or issued.kind is not CertificateKind.NO_ARREARS:
            raise NotFoundException("未找到该证明")
        return Template(
            "matters/certificate.html",
            context={
                "function": F.NO_ARREARS,
                "certificate": issued,
                "pdf_url": f"{F.NO_ARREARS.url}/certificate/{issued.id}",
                "verify_path": certificates.VERIFY_PATH,
            },
        )


class BankAccountsController(Controller):
    """存款账户账号报告 › 已报告的存款账户."""

    path = f"{F.BANK_ACCOUNT.url}/accounts"
    opt = {"function": F.BANK_ACCOUNT.code}

    @get("/")
    async def accounts(self, request: Request[Any, Any, Any]) -> Template:
        actor = await current_actor(request)
        return Template(
            "matters/accounts.html",
            context={
                "function": F.BANK_ACCOUNT,
                "taxpayer_name": actor.taxpayer_name,
                "accounts": await ledger_records.bank_accounts(actor.taxpayer_id),
            },
        )


ROUTES: list[type[Controller]] = [
    NoArrearsController,
    BankAccountsController,
    certificate_download(F.NO_ARREARS, CertificateKind.NO_ARREARS),
    certificate_download(F.DEREGISTER, CertificateKind.TAX_CLEARANCE),
    certificate_download(F.RESIDENCY, CertificateKind.RESIDENCY),
    certificate_download(F.REISSUE, CertificateKind.TAX_PAYMENT),
]
