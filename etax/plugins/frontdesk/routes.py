"""/admin/frontdesk: the front desk's pages (前台办税员; 系统管理员 may use them too).

- ``/``: find a taxpayer by 纳税人识别号, recent registrations with their account state;
- ``/person``: 实名采集;
- ``/register``: 新办纳税人登记 (registry: taxpayer and staff; ledger: taxpayer type and 税费种认定);
- ``/taxpayers/{id}``: the registration, staff, 税费种认定 and account, with 开户 / 柜台密码重置, each of
  which answers with the printable 《电子税务局办税用户注册凭证》 (``data-print``).
Every change is audited (never with the password).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

import msgspec
from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.response import Redirect, Template

from etax.platform.api import (
    RecordId,
    Taxpayer,
    admin_page,
    beijing,
    clock,
    current_admin,
    frontdesk,
    ledger,
    normalise_code,
    read_form,
    record,
    registry,
    set_notice,
    submitted,
    submitted_list,
    submitted_text,
)

ROLE = {"admin_role": "frontdesk"}
TAX_CHOICES: dict[str, str] = {
    "vat": "增值税",
    "surcharges": "附加税费（城市维护建设税、教育费附加、地方教育附加）",
    "cit": "企业所得税（按季预缴）",
    "stamp": "印花税（按次）",
}
SURCHARGES = (ledger.TaxType.URBAN_CONSTRUCTION, ledger.TaxType.EDUCATION, ledger.TaxType.LOCAL_EDUCATION)


def admin_name(request: Request[Any, Any, Any]) -> str:
    admin = current_admin(request)
    return f"{admin.display_name}（{admin.username}）" if admin is not None else "后台"


class PersonForm(msgspec.Struct, kw_only=True):
    name: Annotated[str, msgspec.Meta(title="姓名", min_length=2, max_length=30)]
    id_number: Annotated[str, msgspec.Meta(title="居民身份证号码", min_length=15, max_length=18)]
    mobile: Annotated[str, msgspec.Meta(title="手机号码", max_length=11)]
    fixed_phone: Annotated[
        str, msgspec.Meta(title="固定电话", max_length=20, pattern=r"^$|^0\d{2,3}-?\d{7,8}$")
    ] = ""


class RegisterForm(msgspec.Struct, kw_only=True):
    tin: Annotated[str, msgspec.Meta(title="统一社会信用代码（纳税人识别号）", min_length=15, max_length=20)]
    name: Annotated[str, msgspec.Meta(title="纳税人名称", min_length=2, max_length=100)]
    taxpayer_type: Annotated[Literal["小规模纳税人", "一般纳税人"], msgspec.Meta(title="增值税纳税人类型")]
    location_class: Annotated[Literal["市区", "县城、镇", "其他"], msgspec.Meta(title="纳税人所在地")]
    tax_office: Annotated[str, msgspec.Meta(title="主管税务机关", min_length=4, max_length=100)]
    address: Annotated[str, msgspec.Meta(title="生产经营地址", min_length=5, max_length=200)]
    industry: Annotated[str, msgspec.Meta(title="行业", min_length=2, max_length=60)]
    registered_on: Annotated[dt.date, msgspec.Meta(title="登记日期")]
    legal_rep_id_number: Annotated[
        str, msgspec.Meta(title="法定代表人身份证号码", min_length=15, max_length=18)
    ]
    finance_head_id_number: Annotated[str, msgspec.Meta(title="财务负责人身份证号码", max_length=18)] = ""
    officer_id_number: Annotated[str, msgspec.Meta(title="办税员身份证号码", max_length=18)] = ""
    taxes: list[str] | str = msgspec.field(default_factory=list)  # one ticked box arrives as a plain value

    @property
    def chosen(self) -> list[str]:
        return [self.taxes] if isinstance(self.taxes, str) else list(self.taxes)

    def problems(self) -> dict[str, str]:
        unknown = [t for t in self.chosen if t not in TAX_CHOICES]
        if unknown:
            return {"taxes": "请从列表中选择税（费）种"}
        if "surcharges" in self.chosen and "vat" not in self.chosen:
            return {"taxes": "附加税费随增值税申报，请同时认定增值税"}
        if self.registered_on > clock.today():
            return {"registered_on": "登记日期不能晚于今天"}
        return {}


async def _recent() -> list[dict[str, Any]]:
    rows = (
        await Taxpayer.select(
            Taxpayer.id, Taxpayer.tin, Taxpayer.name, Taxpayer.taxpayer_type, Taxpayer.registered_on
        )
        .order_by(Taxpayer.id, ascending=False)
        .limit(20)
    )
    for row in rows:
        row["account"] = await frontdesk.has_account(int(row["id"]))
    return rows


async def _register_taxes(taxpayer_id: int, form: RegisterForm) -> list[str]:
    general = form.taxpayer_type == "一般纳税人"
    start = form.registered_on
    kind = ledger.TaxpayerKind.GENERAL if general else ledger.TaxpayerKind.SMALL
    await ledger.set_taxpayer_kind(taxpayer_id, kind, start, reference="新办纳税人登记")
    vat_period = ledger.PeriodKind.MONTH if general else ledger.PeriodKind.QUARTER
    done: list[str] = []
    if "vat" in form.chosen:
        await ledger.register_tax(taxpayer_id, ledger.TaxType.VAT, vat_period, start)
        done.append(f"增值税（按{vat_period.label}）")
    if "surcharges" in form.chosen:
        for tax in SURCHARGES:
            await ledger.register_tax(taxpayer_id, tax, vat_period, start)
        done.append("附加税费")
    if "cit" in form.chosen:
        await ledger.register_tax(taxpayer_id, ledger.TaxType.CIT, ledger.PeriodKind.QUARTER, start)
        done.append("企业所得税（按季）")
    if "stamp" in form.chosen:
        await ledger.register_tax(taxpayer_id, ledger.TaxType.STAMP, ledger.PeriodKind.EVENT, start)
        done.append("印花税（按次）")
    return done


class FrontDeskController(Controller):
    """后台 › 办税服务厅前台."""

    path = "/frontdesk"
    opt = ROLE

    @get("/")
    async def home(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        query = normalise_code(str(request.query_params.get("tin", "")))
        error = ""
        if query:
            found = await registry.taxpayer_by_tin(query)
            if found is not None:
                return Redirect(f"/admin/frontdesk/taxpayers/{found.id}")
            error = "没有这个纳税人识别号对应的纳税人，可办理新办纳税人登记"
        return admin_page(
            request,
            "frontdesk/home.html",
            {"recent": await _recent(), "query": query, "error": error},
            status=404 if error else 200,
        )

    # --- 实名采集 -----------------------------------------------------------------------------------

    async def _person_page(
        self,
        request: Request[Any, Any, Any],
        *,
        errors: dict[str, str] | None = None,
        values: dict[str, str] | None = None,
        done: Any = None,
        status: int = 200,
    ) -> Template:
        return admin_page(
            request,
            "frontdesk/person.html",
            {"errors": errors or {}, "values": values or {}, "done": done},
            status=status,
        )

    @get("/person")
    async def person_form(self, request: Request[Any, Any, Any]) -> Template:
        return await self._person_page(request)

    @post("/person")
    async def collect(self, request: Request[Any, Any, Any]) -> Template:
        form = await submitted(request)
        raw = {k: submitted_text(form, k, 20_000) for k in form}
        data, errors = await read_form(request, PersonForm)
        if data is None:
            return await self._person_page(request, errors=errors, values=raw, status=400)
        try:
            person = await frontdesk.collect_person(
                data.name, data.id_number, data.mobile, fixed_phone=data.fixed_phone
            )
        except frontdesk.CounterError as error:
            return await self._person_page(
                request, errors={error.field: error.message}, values=raw, status=400
            )
        await record(
            actor=admin_name(request),
            action="admin.frontdesk.person",
            outcome="success",
            connection=request,
            target=f"person:{person.id}",
            detail=f"{person.name} {person.id_number[:6]}********{person.id_number[-4:]}",
        )
        return await self._person_page(request, done=person)

    # --- 新办纳税人登记 ---------------------------------------------------------------------------------

    async def _register_page(
        self,
        request: Request[Any, Any, Any],
        *,
        errors: dict[str, str] | None = None,
        values: dict[str, Any] | None = None,
        status: int = 200,
    ) -> Template:
        initial = {"registered_on": clock.today().isoformat(), "taxes": ["vat", "surcharges", "cit"]}
        return admin_page(
            request,
            "frontdesk/register.html",
            {"errors": errors or {}, "values": values or initial, "choices": TAX_CHOICES},
            status=status,
        )

    @get("/register")
    async def register_form(self, request: Request[Any, Any, Any]) -> Template:
        return await self._register_page(request)

    @post("/register")
    async def register(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        form = await submitted(request)
        raw: dict[str, Any] = {k: submitted_text(form, k, 20_000) for k in form if k != "taxes"}
        raw["taxes"] = submitted_list(form, "taxes")
        data, errors = await read_form(request, RegisterForm)
        if data is None:
            return await self._register_page(request, errors=errors, values=raw, status=400)
        officers = tuple(n for n in (data.officer_id_number.strip(),) if n)
        new = frontdesk.NewTaxpayer(
            tin=data.tin,
            name=data.name,
            taxpayer_type=data.taxpayer_type,
            tax_office=data.tax_office,
            address=data.address,
            industry=data.industry,
            location_class=data.location_class,
            registered_on=data.registered_on,
            legal_rep_id_number=data.legal_rep_id_number,
            finance_head_id_number=data.finance_head_id_number,
            officer_id_numbers=officers,
        )
        try:
            taxpayer = await frontdesk.register_taxpayer(new)
        except frontdesk.CounterError as error:
            field = "officer_id_number" if error.field == "officer_id_numbers" else error.field
            return await self._register_page(request, errors={field: error.message}, values=raw, status=400)
        taxes = await _register_taxes(taxpayer.id, data)
        await record(
            actor=admin_name(request),
            action="admin.frontdesk.register",
            outcome="success",
            connection=request,
            taxpayer_id=taxpayer.id,
            target=f"{taxpayer.name} {taxpayer.tin}",
            detail="税费种认定：" + ("、".join(taxes) or "无"),
        )
        set_notice(request, f"已登记新办纳税人{taxpayer.name}，请为其开户并出具办税用户注册凭证。")
        return Redirect(f"/admin/frontdesk/taxpayers/{taxpayer.id}")

    # --- 纳税人、开户、柜台密码重置 ------------------------------------------------------------------------

    @get("/taxpayers/{taxpayer_id:int}")
    async def taxpayer(self, request: Request[Any, Any, Any], taxpayer_id: RecordId) -> Template:
        found = await registry.taxpayer_by_id(taxpayer_id)
        if found is None:
            raise NotFoundException()
        return admin_page(
            request,
            "frontdesk/taxpayer.html",
            {
                "taxpayer": found,
                "staff": await registry.registration_staff(taxpayer_id),
                "registrations": await ledger.registrations(taxpayer_id),
                "account": await frontdesk.has_account(taxpayer_id),
            },
        )

    async def _voucher(
        self, request: Request[Any, Any, Any], taxpayer_id: int, reset: bool
    ) -> Template | Redirect:
        found = await registry.taxpayer_by_id(taxpayer_id)
        if found is None:
            raise NotFoundException()
        try:
            password = await (
                frontdesk.reset_enterprise_password(taxpayer_id)
                if reset
                else frontdesk.open_account(taxpayer_id)
            )
        except frontdesk.CounterError as error:
            set_notice(request, error.message)
            return Redirect(f"/admin/frontdesk/taxpayers/{taxpayer_id}")
        await record(
            actor=admin_name(request),
            action="admin.frontdesk.reset" if reset else "admin.frontdesk.open",
            outcome="success",
            connection=request,
            taxpayer_id=taxpayer_id,
            target=f"enterprise_account:{taxpayer_id}",
            detail="出具电子税务局办税用户注册凭证",
        )
        return admin_page(
            request,
            "frontdesk/voucher.html",
            {
                "taxpayer": found,
                "password": password,
                "reset": reset,
                "issued_at": beijing(clock.now()),
                "clerk": admin_name(request),
            },
        )

    @post("/taxpayers/{taxpayer_id:int}/open")
    async def open_account(
        self, request: Request[Any, Any, Any], taxpayer_id: RecordId
    ) -> Template | Redirect:
        return await self._voucher(request, taxpayer_id, reset=False)

    @post("/taxpayers/{taxpayer_id:int}/reset")
    async def reset(self, request: Request[Any, Any, Any], taxpayer_id: RecordId) -> Template | Redirect:
        return await self._voucher(request, taxpayer_id, reset=True)
