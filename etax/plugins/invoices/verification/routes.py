"""The public 发票查验 page (no login; graphic captcha)."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.response import Template

from etax.platform import api
from etax.plugins.invoices.documents import face_context
from etax.plugins.invoices.functions import VERIFICATION
from etax.plugins.invoices.model import InvoiceError
from etax.plugins.invoices.verification.service import DAILY_LIMIT, VerifyInput, verify

CAPTCHA_FORM = "invoice_verification"


def _page(values: VerifyInput, errors: dict[str, str], status_code: int = 200, **extra: Any) -> Template:
    return Template(
        "invoices/verify.html",
        context={"values": values, "errors": errors, "limit": DAILY_LIMIT, **extra},
        status_code=status_code,
    )


class VerificationController(Controller):
    path = VERIFICATION.url
    opt = {"function": VERIFICATION.code}

    @get("/")
    async def show(self) -> Template:
        return _page(VerifyInput(), {})

    @post("/")
    async def check(self, request: Request[Any, Any, Any]) -> Template:
        raw = await api.submitted(request)
        data = {key: api.submitted_text(raw, key, 40) for key in ("number", "issue_date", "total", "captcha")}
        values = msgspec.convert(data, VerifyInput)
        problem = api.check_captcha(request, CAPTCHA_FORM, values.captcha)
        if problem:
            return _page(values, {"captcha": problem}, 400)
        client = request.client
        try:
            result = await verify(values, client.host if client else "")
        except InvoiceError as error:
            return _page(values, {error.field: error.message}, 400)
        return _page(values, {}, 200, result=result, **face_context(result.invoice))
