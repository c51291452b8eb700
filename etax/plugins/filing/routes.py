"""The filing pages: one controller per return (landing with the periods due, the form with live
recompute, 暂存, 预览, 提交, confirmation), 申报记录查询或作废, 更正申报 and 逾期申报.

Every handler is bound to one of the plugin's functions; the platform's guard decides who may open
it, and :func:`current_actor` gives the taxpayer (an agency acting for its client gets the client).
Bad input of any kind answers with a Chinese message and writes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import FormMultiDict
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from etax.platform.api import (
    Actor,
    beijing,
    clock,
    current_actor,
    issue_token,
    ledger,
    pop_notice,
    record,
    set_notice,
    submitted,
    submitted_text,
    token_issued,
)
from etax.platform.api import ledger as L
from etax.plugins.filing import functions as F
from etax.plugins.filing import pdfs
from etax.plugins.filing.engine import Computation, FormSpec, Kind, compute, display, is_zero_return
from etax.plugins.filing.payment.functions import PAYMENT
from etax.plugins.filing.periods import Period
from etax.plugins.filing.service import (
    BY_FORM,
    RETURNS,
    FilingRefused,
    ReturnKind,
    Situation,
    decision_prefill,
    drop_draft,
    invoice_prefill,
    load_draft,
    period_from_dates,
    recompute,
    requests_for,
    return_for,
    save_draft,
    situation,
    source_prefill,
    system_lines,
    taxpayer_prefill,
)

MAX_FIELD = 40  # characters of one posted value (a number or a choice)
MAX_FIELDS = 600


async def posted(request: Request[Any, Any, Any]) -> tuple[dict[str, str], str]:
    """The posted lines (code → text) and any problem with the post itself."""
    raw: FormMultiDict = await request.form()
    values: dict[str, str] = {}
    for key in raw:
        if key.startswith("_"):
            continue
        value = raw.get(key)
        if not isinstance(value, str):
            return {}, "提交的内容格式不正确"
        if len(value) > MAX_FIELD:
            return {}, f"栏次“{key[:20]}”的内容过长"
        values[key] = value
    if len(values) > MAX_FIELDS:
        return {}, "提交的栏次过多"
    return values, ""


def hidden(raw: Mapping[str, str | list[str]], name: str) -> str:
    return submitted_text(raw, name, 20_000).strip()[:80]


def agency_of(actor: Actor) -> tuple[int | None, str]:
    if actor.principal.acting_for:
        return actor.principal.taxpayer_id, actor.principal.taxpayer_name
    return None, ""


def typed_values(form: FormSpec, result: Computation, typed: dict[str, str]) -> dict[str, str]:
    """What each editable input shows: what was typed (even if wrong), else the value."""
    shown: dict[str, str] = {}
    for line in form.lines.values():
        if not line.editable:
            continue
        if line.code in typed:
            shown[line.code] = typed[line.code]
        else:
            value = result.values[line.code]
            shown[line.code] = "" if value == 0 and not isinstance(value, str) else str(value)
    return shown


def form_context(
    ret: ReturnKind,
    where: Situation,
    result: Computation,
    typed: dict[str, str],
    **extra: Any,
) -> dict[str, Any]:
    form = ret.form
    return {
        "ret": ret,
        "function": ret.function,
        "form": form,
        "where": where,
        "result": result,
        "shown": typed_values(form, result, typed),
        "display": display,
        "Kind": Kind,
        "correct": where.correcting.number if where.correcting else "",
        "today": clock.today(),
        **extra,
    }


def refused(function: Any, message: str, status: int = 400, back: str = "") -> Template:
    return Template(
        "filing/refused.html",
        context={"function": function, "message": message, "back": back or function.url},
        status_code=status,
    )


def _lines_of(result: Computation) -> dict[str, str]:
    return {code: str(value) for code, value in result.values.items()}


async def _initial(
    request: Request[Any, Any, Any], ret: ReturnKind, actor: Actor, where: Situation
) -> tuple[dict[str, str], str]:
    """The starting values of the form: a draft, the declaration being corrected, or pre-fill."""
    form, period = ret.form, where.period
    correcting = where.correcting.number if where.correcting else ""
    draft = await load_draft(actor.taxpayer_id, form, period, correcting)
    if draft is not None:
        return draft.lines, f"已载入{beijing(draft.saved_at)}暂存的数据（{draft.saved_by}）"
    if where.correcting is not None:
        stored = await ledger.declaration_lines(actor.taxpayer_id, where.correcting.id)
        lines = stored.lines if stored is not None else {}
        return {c: v for c, v in lines.items() if c in form.lines and form.lines[c].editable}, (
            f"已载入申报序号{where.correcting.number}的申报数据，修改后提交更正申报"
        )
    values = await taxpayer_prefill(form, actor.taxpayer_id)
    from etax.platform.api import invoice_figures

    figures = await invoice_figures(request, actor.taxpayer_id, period.start, period.end)
    prefilled = invoice_prefill(form, figures)
    sources = await source_prefill(ret, actor.taxpayer_id, period)
    decided, notes = await decision_prefill(ret, actor.taxpayer_id, period)
    if prefilled:
        notes.append(f"已根据本期发票数据预填{len(prefilled)}项，请核对")
    if sources:
        notes.append("房产、土地税源已从上次申报带出，如有变化请修改")
    return {**values, **sources, **decided, **prefilled}, "；".join(notes)


def return_controller(ret: ReturnKind) -> type[Controller]:
    """The pages of one return, mounted at its function's url."""
    spec = ret.function

    class ReturnController(Controller):
        path = spec.url
        opt = {"function": spec.code}

        @get("/")
        async def landing(
            self, request: Request[Any, Any, Any], period: FromQuery[str] = "", correct: FromQuery[str] = ""
        ) -> Template | Redirect:
            actor = await current_actor(request)
            if not period:
                return Template(
                    "filing/landing.html",
                    context={
                        "function": spec,
                        "ret": ret,
                        "rows": await _periods(ret, actor.taxpayer_id),
                        "notice": pop_notice(request),
                        "today": clock.today(),
                    },
                )
            try:
                where = await situation(ret, actor.taxpayer_id, period, correcting=correct[:40])
            except FilingRefused as refusal:
                return refused(spec, refusal.message, status=200)
            if where.existing is not None and where.correcting is None:
                return Template(
                    "filing/already_filed.html",
                    context={"function": spec, "where": where, "ret": ret, "today": clock.today()},
                )
            typed, note = await _initial(request, ret, actor, where)
            try:
                result = await recompute(ret, actor.taxpayer_id, where.period, typed)
            except FilingRefused as refusal:
                return refused(spec, refusal.message, status=200)
            return Template(
                "filing/form.html",
                context=form_context(ret, where, result, typed, note=note, show_errors=False),
            )

        @post("/compute")
        async def recompute_lines(self, request: Request[Any, Any, Any]) -> Template:
            """htmx: recompute the return from the edited lines; answers the computed cells out of band."""
            actor = await current_actor(request)
            values, problem = await posted(request)
            raw = await submitted(request)
            try:
                period = Period.parse(hidden(raw, "_period"))
                result = await recompute(ret, actor.taxpayer_id, period, values)
            except Exception as exc:  # a wrong period or policy gap: say so in the message area
                message = getattr(exc, "message", None) or (exc.args[0] if exc.args else "无法计算")
                return Template(
                    "filing/_problems.html", context={"problems": [str(message)]}, status_code=400
                )
            return Template(
                "filing/_recompute.html",
                context={
                    "form": ret.form,
                    "result": result,
                    "display": display,
                    "Kind": Kind,
                    "problems": [*([problem] if problem else []), *result.problems],
                },
            )

        @post("/save")
        async def save(self, request: Request[Any, Any, Any]) -> Template | Redirect:
            """暂存: keep what was typed (even with problems) for later."""
            return await _save_or_preview(request, ret, preview=False)

        @post("/preview")
        async def preview(self, request: Request[Any, Any, Any]) -> Template | Redirect:
            return await _save_or_preview(request, ret, preview=True)

        @post("/submit")
        async def submit(self, request: Request[Any, Any, Any]) -> Template | Redirect:
            return await _submit(request, ret)

        @get("/done/{number:str}")
        async def done(self, request: Request[Any, Any, Any], number: FromPath[str]) -> Template:
            actor = await current_actor(request)
            found = await ledger.declaration_by_number(actor.taxpayer_id, number[:40])
            if found is None or found.form_code != ret.form.code:
                return refused(spec, "未找到该申报记录", status=404)
            batch = await ledger.declarations_of_batch(actor.taxpayer_id, found.batch)
            return Template(
                "filing/done.html",
                context={
                    "function": spec,
                    "ret": ret,
                    "main": found,
                    "batch": batch,
                    "period": period_from_dates(found.period_kind, found.period_start),
                    "total": sum((d.amounts.payable for d in batch), L.money(0)),
                    "payment_url": PAYMENT.url,
                    "beijing": beijing,
                },
            )

    ReturnController.__name__ = f"{ret.form.code}Controller"
    return ReturnController


async def _periods(ret: ReturnKind, taxpayer_id: int) -> list[dict[str, Any]]:
    """The return's periods over the last two years, newest first, with what can be done."""
    today = clock.today()
    rows = await ledger.obligations(taxpayer_id, today - dt.timedelta(days=730), today)
    found: list[dict[str, Any]] = []
    seen: set[tuple[str, dt.date]] = set()
    for o in sorted(rows, key=lambda o: (o.period_start, o.tax_type.value), reverse=True):
        if o.tax_type not in ret.tax_types or o.period_kind not in (
            L.PeriodKind.MONTH,
            L.PeriodKind.QUARTER,
            L.PeriodKind.YEAR,
        ):
            continue
        if ret.main is not L.TaxType.VAT or o.tax_type is L.TaxType.VAT:
            period = period_from_dates(o.period_kind, o.period_start)
            if ret.any_of and (period.code, o.period_start) in seen:
                continue
            seen.add((period.code, o.period_start))
            if period.kind not in ret.form.period_kinds:
                continue
            declaration = o.declaration
            found.append(
                {
                    "period": period,
                    "obligation": o,
                    "declaration": declaration,
                    "can_void": declaration is not None
                    and declaration.paid == 0
                    and today <= declaration.deadline,
                }
            )
    return found[:24]


async def _save_or_preview(
    request: Request[Any, Any, Any], ret: ReturnKind, *, preview: bool
) -> Template | Redirect:
    spec = ret.function
    actor = await current_actor(request)
    values, problem = await posted(request)
    raw = await submitted(request)
    correct = hidden(raw, "_correct")
    try:
        where = await situation(ret, actor.taxpayer_id, hidden(raw, "_period"), correcting=correct)
    except FilingRefused as refusal:
        return refused(spec, refusal.message)
    if problem:
        return refused(spec, problem)
    try:
        result = await recompute(ret, actor.taxpayer_id, where.period, values)
    except FilingRefused as refusal:
        return refused(spec, refusal.message)
    if not preview:
        typed = {
            code: v for code, v in values.items() if code in ret.form.lines and ret.form.lines[code].editable
        }
        await save_draft(actor.taxpayer_id, ret.form, where.period, correct, typed, actor.name)
        note = "已暂存，下次打开本所属期申报表时自动载入"
        return Template(
            "filing/form.html",
            context=form_context(ret, where, result, values, note=note, show_errors=True),
        )
    if not result.ok:
        return Template(
            "filing/form.html",
            context=form_context(ret, where, result, values, show_errors=True),
            status_code=400,
        )
    if where.existing is not None and where.correcting is None:
        return Template(
            "filing/already_filed.html",
            context={"function": spec, "where": where, "ret": ret, "today": clock.today()},
            status_code=409,
        )
    return Template(
        "filing/preview.html",
        context={
            **form_context(ret, where, result, values, show_errors=False),
            "token": issue_token(request),
            "zero": is_zero_return(ret.form, result),
            "editable": {
                c: v for c, v in values.items() if c in ret.form.lines and ret.form.lines[c].editable
            },
        },
    )


async def _submit(request: Request[Any, Any, Any], ret: ReturnKind) -> Template | Redirect:
    spec = ret.function
    actor = await current_actor(request)
    values, problem = await posted(request)
    raw = await submitted(request)
    token = hidden(raw, "_submission")
    correct = hidden(raw, "_correct")
    if problem:
        return refused(spec, problem)
    if not token or not token_issued(request, token):
        return refused(spec, "表单已失效，请重新预览后提交")
    try:
        where = await situation(ret, actor.taxpayer_id, hidden(raw, "_period"), correcting=correct)
        result = await recompute(ret, actor.taxpayer_id, where.period, values)
        if not result.ok:
            return Template(
                "filing/form.html",
                context=form_context(ret, where, result, values, show_errors=True),
                status_code=400,
            )
        agency_id, agency_name = agency_of(actor)
        requests = requests_for(
            ret,
            where,
            result,
            taxpayer_id=actor.taxpayer_id,
            filed_by=actor.name,
            submission=token,
            agency_taxpayer_id=agency_id,
            agency_name=agency_name,
        )
        if where.correcting is not None:
            filed = await ledger.correct_declarations(actor.taxpayer_id, where.correcting.id, requests)
        else:
            filed = await ledger.file_declarations(requests)
    except FilingRefused as refusal:
        return refused(spec, refusal.message)
    except L.AlreadyFiled as already:
        return refused(
            spec, already.message, status=409, back=f"{spec.url}?period={values.get('_period', '')}"
        )
    except L.LedgerError as error:
        return refused(spec, error.message)
    await drop_draft(actor.taxpayer_id, ret.form, where.period, correct)
    main = filed[0]
    await record(
        actor=actor.principal.display_name,
        acting_for=actor.taxpayer_name if actor.principal.acting_for else "",
        taxpayer_id=actor.taxpayer_id,
        action="更正申报" if where.correcting else spec.name,
        outcome="success",
        connection=request,
        target=f"申报序号 {main.number}",
        detail=f"{ret.form.name} {where.period.label} {main.kind.label}",
    )
    return Redirect(f"{spec.url}/done/{main.number}", status_code=303)


class RecordsController(Controller):
    """申报记录查询或作废: the taxpayer's declarations, printable returns, PDFs and 作废."""

    path = F.RECORDS.url
    opt = {"function": F.RECORDS.code}

    @get("/")
    async def listing(
        self, request: Request[Any, Any, Any], before: FromQuery[int | None] = None
    ) -> Template:
        actor = await current_actor(request)
        rows = await ledger.declarations(actor.taxpayer_id, before_id=before, limit=30)
        today = clock.today()
        return Template(
            "filing/records.html",
            context={
                "function": F.RECORDS,
                "rows": [
                    {
                        "d": d,
                        "period": period_from_dates(d.period_kind, d.period_start)
                        if d.period_kind is not L.PeriodKind.EVENT
                        else None,
                        "can_void": d.status is L.DeclarationStatus.FILED
                        and d.paid == 0
                        and today <= d.deadline,
                        "form": BY_FORM.get(d.form_code),
                    }
                    for d in rows
                ],
                "next_before": rows[-1].id if len(rows) == 30 else None,
                "notice": pop_notice(request),
                "beijing": beijing,
            },
        )

    @get("/{number:str}")
    async def show(self, request: Request[Any, Any, Any], number: FromPath[str]) -> Template:
        actor = await current_actor(request)
        loaded = await _declaration_with_lines(actor, number)
        if isinstance(loaded, str):
            return refused(F.RECORDS, loaded, status=404)
        declaration, ret, result = loaded
        return Template(
            "filing/declaration.html",
            context={
                "function": F.RECORDS,
                "d": declaration,
                "ret": ret,
                "form": ret.form,
                "result": result,
                "display": display,
                "Kind": Kind,
                "period": period_from_dates(declaration.period_kind, declaration.period_start),
                "batch": await ledger.declarations_of_batch(actor.taxpayer_id, declaration.batch),
                "taxpayer": actor.taxpayer_name,
                "beijing": beijing,
            },
        )

    @get("/{number:str}/return.pdf")
    async def return_pdf(
        self, request: Request[Any, Any, Any], number: FromPath[str]
    ) -> Response[bytes] | Template:
        actor = await current_actor(request)
        loaded = await _declaration_with_lines(actor, number)
        if isinstance(loaded, str):
            return refused(F.RECORDS, loaded, status=404)
        declaration, ret, result = loaded
        content = pdfs.return_pdf(ret.form, declaration, result, actor.taxpayer_name)
        return _pdf(content, f"申报表-{declaration.number}.pdf")

    @get("/{number:str}/receipt.pdf")
    async def receipt_pdf(
        self, request: Request[Any, Any, Any], number: FromPath[str]
    ) -> Response[bytes] | Template:
        actor = await current_actor(request)
        found = await ledger.declaration_by_number(actor.taxpayer_id, number[:40])
        if found is None:
            return refused(F.RECORDS, "未找到该申报记录", status=404)
        batch = await ledger.declarations_of_batch(actor.taxpayer_id, found.batch)
        ret = BY_FORM.get(found.form_code)
        content = pdfs.receipt_pdf(
            found, batch, actor.taxpayer_name, ret.form.name if ret else found.form_code
        )
        return _pdf(content, f"申报回执-{found.number}.pdf")

    @post("/{number:str}/void")
    async def void(self, request: Request[Any, Any, Any], number: FromPath[str]) -> Template | Redirect:
        actor = await current_actor(request)
        reason = submitted_text(await submitted(request), "reason", 20_000)
        found = await ledger.declaration_by_number(actor.taxpayer_id, number[:40])
        if found is None:
            return refused(F.RECORDS, "未找到该申报记录", status=404)
        try:
            voided = await ledger.void_declaration(actor.taxpayer_id, found.id, reason=reason, by=actor.name)
        except L.LedgerError as error:
            return refused(F.RECORDS, error.message)
        await record(
            actor=actor.principal.display_name,
            acting_for=actor.taxpayer_name if actor.principal.acting_for else "",
            taxpayer_id=actor.taxpayer_id,
            action="作废申报",
            outcome="success",
            connection=request,
            target=f"申报序号 {found.number}",
            detail="、".join(d.tax_type.label for d in voided),
        )
        set_notice(request, f"已作废申报序号{found.number}（{'、'.join(d.tax_type.label for d in voided)}）")
        return Redirect(F.RECORDS.url, status_code=303)


async def _declaration_with_lines(
    actor: Actor, number: str
) -> tuple[L.Declaration, ReturnKind, Computation] | str:
    found = await ledger.declaration_by_number(actor.taxpayer_id, number[:40])
    if found is None:
        return "未找到该申报记录"
    ret = BY_FORM.get(found.form_code)
    stored = await ledger.declaration_lines(actor.taxpayer_id, found.id)
    if ret is None or stored is None:
        return "该申报记录没有可显示的申报表"
    period = period_from_dates(found.period_kind, found.period_start)
    form = ret.form
    if stored.lines and not any(code in form.lines for code in stored.lines):
        return "该申报记录为批量导入的历史数据，没有逐栏申报表，请查看申报回执"
    inputs = {c: v for c, v in stored.lines.items() if c in form.lines and form.lines[c].editable}
    system = {c: v for c, v in stored.lines.items() if c in form.lines and form.lines[c].kind is Kind.SYSTEM}
    return found, ret, compute(form, period, inputs, system=system, strict=False)


def _pdf(content: bytes, filename: str) -> Response[bytes]:
    from urllib.parse import quote

    return Response(
        content,
        media_type="application/pdf",
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"},
    )


class CorrectionController(Controller):
    """更正申报: the live declarations, each opening its return in correction mode."""

    path = F.CORRECTION.url
    opt = {"function": F.CORRECTION.code}

    @get("/")
    async def listing(self, request: Request[Any, Any, Any]) -> Template:
        actor = await current_actor(request)
        rows = await ledger.declarations(actor.taxpayer_id, statuses=(L.DeclarationStatus.FILED,), limit=60)
        items = []
        seen: set[str] = set()
        for d in rows:
            ret = BY_FORM.get(d.form_code)
            if ret is None or d.batch in seen or d.period_kind is L.PeriodKind.EVENT:
                continue
            seen.add(d.batch)
            period = period_from_dates(d.period_kind, d.period_start)
            items.append({"d": d, "ret": ret, "period": period})
        return Template(
            "filing/correction.html", context={"function": F.CORRECTION, "items": items, "beijing": beijing}
        )


class LateController(Controller):
    """逾期申报: periods past their deadline and not filed, each opening its return."""

    path = F.LATE.url
    opt = {"function": F.LATE.code}

    @get("/")
    async def listing(self, request: Request[Any, Any, Any]) -> Template:
        actor = await current_actor(request)
        today = clock.today()
        rows = await ledger.obligations(actor.taxpayer_id, today - dt.timedelta(days=730), today)
        items = []
        for o in rows:
            if o.status is not L.ObligationStatus.OVERDUE or o.period_kind is L.PeriodKind.EVENT:
                continue
            ret = await return_for(actor.taxpayer_id, o.tax_type)
            if ret is None or (ret.main is not o.tax_type and not ret.any_of):
                continue
            items.append({"o": o, "ret": ret, "period": period_from_dates(o.period_kind, o.period_start)})
        return Template("filing/late.html", context={"function": F.LATE, "items": items})


ROUTE_HANDLERS: list[type[Controller]] = [
    *(return_controller(ret) for ret in RETURNS),
    RecordsController,
    CorrectionController,
    LateController,
]

__all__ = ["ROUTE_HANDLERS", "system_lines"]
