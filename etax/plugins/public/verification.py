"""纳税情况证明查验: anyone checks a certificate's number and verification code, without logging in.

One page for every certificate kind the platform's certificate service issues. A wrong code and an
unknown number get the same answer, and every attempt uses up the captcha, so numbers cannot be probed.
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.params import Parameter
from litestar.response import Template

from etax.platform.api import beijing, certificates, check_captcha, read_form, submitted, submitted_text
from etax.plugins.public.functions import CERTIFICATE_CHECK

FORM = "certificate_check"
NOT_FOUND = "未查询到与该证明编号和验证码相符的证明，请核对后重新输入"


class CheckForm(msgspec.Struct, kw_only=True):
    """证明编号 + 验证码 + 图形验证码."""

    number: Annotated[str, msgspec.Meta(title="证明编号", max_length=30)] = ""
    code: Annotated[str, msgspec.Meta(title="验证码", max_length=30)] = ""
    captcha: Annotated[str, msgspec.Meta(title="图形验证码", max_length=10)] = ""

    def problems(self) -> dict[str, str]:
        problems: dict[str, str] = {}
        digits = self.number.strip()
        if not digits:
            problems["number"] = "请输入证明编号"
        elif not digits.isdigit():
            problems["number"] = "证明编号应为数字"
        if not certificates.normalise_code(self.code):
            problems["code"] = "请输入证明上的验证码"
        return problems


class CertificateCheckController(Controller):
    """The public verification page."""

    path = CERTIFICATE_CHECK.url
    opt = {"function": CERTIFICATE_CHECK.code}

    @get("/")
    async def form(
        self, number: Annotated[str, Parameter(query="number", required=False, max_length=30)] = ""
    ) -> Template:
        digits = "".join(ch for ch in number if ch.isdigit())
        return Template(
            "public/certificate_check.html",
            context={"errors": {}, "number": digits, "code": "", "result": None, "checked": False},
        )

    @post("/")
    async def check(self, request: Request[Any, Any, Any]) -> Template:
        form, errors = await read_form(request, CheckForm)
        raw = await submitted(request)
        number = submitted_text(raw, "number", 30)
        code = submitted_text(raw, "code", 30)
        answer = form.captcha if form is not None else "-"
        problem = check_captcha(request, FORM, answer)  # every attempt uses the captcha up
        if form is not None and problem:
            errors = {"captcha": problem}
        result = None
        if form is not None and not errors:
            verification = await certificates.verify_certificate(form.number, form.code)
            if verification.valid:
                result = verification.certificate
            else:
                errors = {"_form": NOT_FOUND}
        return Template(
            "public/certificate_check.html",
            context={
                "errors": errors,
                "number": number,
                "code": code,
                "result": result,
                "issued": beijing(result.issued_at) if result else "",
                "checked": True,
            },
            status_code=200 if not errors else 400,
        )
