"""What a completed (办结) application changes, written only through platform services.

``apply(application)`` is called by ``etax_application_decided`` after the decision is committed. Every
effect is idempotent (a replayed hook changes nothing twice): registry upserts, ledger rows keyed by the
application number, certificates keyed by it. Each effect writes an audit entry and, where the
taxpayer gets something (a certificate), a message in 我的消息 with its link.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from etax.platform.api import (
    ApplicationRecord,
    CertificateContent,
    CertificateField,
    CertificateKind,
    StaffRole,
    certificates,
    clock,
    format_money,
    ledger,
    ledger_records,
    record,
    registry,
    registry_changes,
    send_message,
)
from etax.plugins.matters import forms
from etax.plugins.matters import functions as F
from etax.plugins.matters.rules import PERIOD_BY_LABEL, TAX_BY_LABEL, fixed_monthly_tax

BUREAU = "税务机关"
ROLE_BY_LABEL = {
    "办税员": StaffRole.TAX_OFFICER,
    "财务负责人": StaffRole.FINANCE_HEAD,
    "法定代表人": StaffRole.LEGAL_REP,
}
SINGLE_ROLES = frozenset({StaffRole.LEGAL_REP, StaffRole.FINANCE_HEAD})

Effect = Callable[[ApplicationRecord], Awaitable[str]]


async def _audit(application: ApplicationRecord, what: str, outcome: str = "success") -> None:
    await record(
        actor=BUREAU,
        action=f"{application.function_name}办结生效",
        outcome="success" if outcome == "success" else "refused",
        taxpayer_id=application.taxpayer_id,
        target=f"申请 {application.number}",
        detail=what,
    )


async def _office(taxpayer_id: int) -> str:
    taxpayer = await registry.taxpayer_by_id(taxpayer_id)
    return taxpayer.tax_office if taxpayer else ""


async def _issue(
    application: ApplicationRecord, kind: CertificateKind, content: CertificateContent, url: str
) -> str:
    issued = await certificates.issue_certificate(
        kind, application.taxpayer_id, content, issued_by=BUREAU, key=f"matters:{application.number}"
    )
    await send_message(
        title=f"{kind.label}已出具（证明编号 {issued.number}）",
        body=f"您申请的{application.function_name}（申请编号 {application.number}）已办结，"
        f"{kind.label}编号 {issued.number}，验证码 {issued.code}。下载：{url}/certificate/{issued.id}",
        submission=f"matters-cert:{application.number}",
        taxpayer_id=application.taxpayer_id,
        sender=BUREAU,
    )
    return f"出具{kind.label} {issued.number}"


# --- 综合信息报告 ------------------------------------------------------------------------------------


async def bank_account(application: ApplicationRecord) -> str:
    form = application.form_as(forms.BankAccountForm)
    code = next((c for c, name in ledger.BANKS.items() if name == form.bank), "")
    existing = await ledger_records.bank_accounts(application.taxpayer_id, open_only=True)
    if any(a.account_number == form.account_number for a in existing):
        return f"账号 {form.account_number} 已在册"
    account = await ledger_records.report_bank_account(
        application.taxpayer_id,
        bank_code=code,
        bank_name=form.bank,
        account_number=form.account_number,
        account_name=form.account_name.strip(),
        account_type=form.account_type,
        opened_on=form.opened_on,
        reference=application.number,
    )
    return f"存款账户 {account.bank_name} {account.account_number} 已登记"


async def accounting(application: ApplicationRecord) -> str:
    form = application.form_as(forms.AccountingForm)
    filing = await ledger_records.record_filing(
        application.taxpayer_id,
        "财务会计制度",
        "财务会计制度及核算软件备案",
        {
            "财务会计制度": form.system,
            "会计核算软件": form.software,
            "折旧方法": form.depreciation,
            "低值易耗品摊销方法": form.low_value,
        },
        form.valid_from,
        reference=application.number,
    )
    return f"备案 {filing.title}（{form.system}，{form.software}）"


async def registration_change(application: ApplicationRecord) -> str:
    form = application.form_as(forms.RegistrationChangeForm)
    role = ROLE_BY_LABEL[form.role]
    number = form.id_number.strip().upper()
    if form.change == "删除":
        await registry_changes.remove_staff_link(application.taxpayer_id, id_number=number, role=role)
        return f"删除{form.role} {form.name}"
    if role in SINGLE_ROLES:
        for entry in await registry.registration_staff(application.taxpayer_id):
            if entry.role == role.value and entry.person.id_number != number:
                await registry_changes.remove_staff_link(
                    application.taxpayer_id, id_number=entry.person.id_number, role=role
                )
    entry = await registry_changes.set_staff_link(
        application.taxpayer_id,
        name=form.name,
        id_number=number,
        role=role,
        mobile=form.mobile.strip(),
        fixed_phone=form.fixed_phone.strip(),
    )
    return f"{form.role} {entry.person.name} 登记移动电话 {entry.registered_mobile}"


async def general_taxpayer(application: ApplicationRecord) -> str:
    form = application.form_as(forms.GeneralTaxpayerForm)
    created = await ledger_records.become_general(
        application.taxpayer_id, form.effective_from, reference=application.number
    )
    await registry_changes.set_general_since(application.taxpayer_id, form.effective_from)
    taxes = "、".join(r.tax_type.label for r in created) or "无"
    return f"自{form.effective_from.isoformat()}起为一般纳税人，按月认定：{taxes}"


async def tax_kinds(application: ApplicationRecord) -> str:
    form = application.form_as(forms.TaxKindsForm)
    tax = TAX_BY_LABEL[form.tax]
    if form.change == "新增认定":
        for reg in await ledger.registrations(application.taxpayer_id):
            if reg.tax_type is tax and reg.valid_from == form.day and reg.valid_to is None:
                return f"{form.tax}认定已在册"
        reg = await ledger.register_tax(
            application.taxpayer_id, tax, PERIOD_BY_LABEL[form.period], form.day, item=form.item.strip()
        )
        await registry_changes.set_registered_tax(application.taxpayer_id, form.tax, True)
        return f"新增认定 {form.tax}（{reg.period_kind.label}）自{form.day.isoformat()}起"
    ended = 0
    for reg in await ledger.registrations(application.taxpayer_id):
        if reg.tax_type is tax and (reg.valid_to is None or reg.valid_to > form.day):
            await ledger.end_registration(application.taxpayer_id, reg.id, max(form.day, reg.valid_from))
            ended += 1
    today = clock.today()
    still = any(
        r.tax_type is tax and (r.valid_to is None or r.valid_to >= today)
        for r in await ledger.registrations(application.taxpayer_id)
    )
    await registry_changes.set_registered_tax(application.taxpayer_id, form.tax, still)
    return f"终止认定 {form.tax}（{ended}项）至{form.day.isoformat()}"


async def suspend(application: ApplicationRecord) -> str:
    form = application.form_as(forms.SuspendForm)
    await ledger_records.record_filing(
        application.taxpayer_id,
        "停业",
        "停业登记",
        {"停业原因": form.reason},
        form.start,
        valid_to=form.end,
        reference=application.number,
    )
    await registry_changes.set_status(application.taxpayer_id, "停业")
    return f"停业 {form.start.isoformat()} 至 {form.end.isoformat()}"


async def resume(application: ApplicationRecord) -> str:
    form = application.form_as(forms.ResumeForm)
    await ledger_records.record_filing(
        application.taxpayer_id,
        "复业",
        "复业登记",
        {"情况说明": form.note},
        form.resume_on,
        reference=application.number,
    )
    await registry_changes.set_status(application.taxpayer_id, "正常")
    return f"复业 {form.resume_on.isoformat()}"


async def deregister(application: ApplicationRecord) -> str:
    form = application.form_as(forms.DeregisterForm)
    left = await ledger_records.outstanding(application.taxpayer_id)
    if not left.clear:
        items = "；".join([*left.unfiled, *left.unpaid][:5])
        await send_message(
            title="清税未通过：存在未申报或未缴款事项",
            body=f"注销税务登记（申请编号 {application.number}）办结时发现：{items}。请申报、缴清税款后重新申请。",
            submission=f"matters-clear-refused:{application.number}",
            taxpayer_id=application.taxpayer_id,
            sender=BUREAU,
        )
        return f"未清税：{items}"
    today = clock.today()
    ended = await ledger_records.end_all_registrations(application.taxpayer_id, today)
    await registry_changes.set_status(application.taxpayer_id, "注销")
    content = CertificateContent(
        title="清税证明",
        fields=[
            CertificateField("注销原因", form.reason),
            CertificateField("申请编号", application.number),
            CertificateField("填发日期", today.isoformat()),
        ],
        statement="经审核，所有税务事项均已结清，特此证明。",
        office=await _office(application.taxpayer_id),
    )
    issued = await _issue(application, CertificateKind.TAX_CLEARANCE, content, F.DEREGISTER.url)
    return f"终止认定{ended}项，状态注销；{issued}"


# --- 税收减免 --------------------------------------------------------------------------------------


async def relief(application: ApplicationRecord) -> str:
    form = application.form_as(forms.ReliefForm)
    tax = TAX_BY_LABEL[form.tax]
    for existing in await ledger.reliefs(application.taxpayer_id, tax):
        if existing.reference == application.number:
            return f"减免 {existing.code} 已在册"
    added = await ledger.add_relief(
        application.taxpayer_id,
        tax,
        form.code,
        form.name.strip(),
        form.valid_from,
        valid_to=form.valid_to,
        reference=application.number,
    )
    return f"{form.tax} 减免性质 {added.code} {added.name} {form.valid_from.isoformat()}至{form.valid_to.isoformat()}"


# --- 证明开具 --------------------------------------------------------------------------------------


async def residency(application: ApplicationRecord) -> str:
    form = application.form_as(forms.ResidencyForm)
    content = CertificateContent(
        title="中国税收居民身份证明",
        fields=[
            CertificateField("证明所属年度", f"{form.year}年"),
            CertificateField("对方国家（地区）", form.counterpart),
            CertificateField("收入类型", form.income),
            CertificateField("开具用途", form.purpose),
        ],
        statement=f"兹证明上述纳税人为{form.year}年度中国税收居民。",
        office=await _office(application.taxpayer_id),
    )
    return await _issue(application, CertificateKind.RESIDENCY, content, F.RESIDENCY.url)


async def reissue(application: ApplicationRecord) -> str:
    form = application.form_as(forms.ReissueForm)
    payment = await forms.paid_voucher(application.taxpayer_id, form.voucher_number)
    if payment is None:
        return "未找到缴款记录，未出具"
    rows = [
        [
            payment.voucher_number,
            item.tax_type.label,
            item.tax_type.label,
            f"{item.period_start.isoformat()}至{item.period_end.isoformat()}",
            payment.paid_on.isoformat() if payment.paid_on else "",
            format_money(item.tax + item.late_fee),
        ]
        for item in payment.items
    ]
    content = CertificateContent(
        title="中华人民共和国税收完税证明",
        fields=[
            CertificateField("填发日期", clock.today().isoformat()),
            CertificateField("转开原因", form.purpose),
        ],
        headers=["原凭证号", "税种", "品目名称", "税款所属时期", "入（退）库日期", "实缴（退）金额"],
        rows=rows,
        total=f"金额合计：{format_money(payment.amount)}",
        office=await _office(application.taxpayer_id),
    )
    return await _issue(application, CertificateKind.TAX_PAYMENT, content, F.REISSUE.url)


# --- 税务行政许可 ----------------------------------------------------------------------------------


async def filing_extension(application: ApplicationRecord) -> str:
    form = application.form_as(forms.FilingExtensionForm)
    granted = await ledger.grant_extension(
        application.taxpayer_id,
        ledger.ExtensionKind.FILING,
        TAX_BY_LABEL[form.tax],
        form.period_start,
        form.new_deadline,
        reference=application.number,
    )
    return (
        f"{form.tax} 所属期起{form.period_start.isoformat()} 申报期限延至{granted.new_deadline.isoformat()}"
    )


async def payment_extension(application: ApplicationRecord) -> str:
    form = application.form_as(forms.PaymentExtensionForm)
    found = await ledger.declaration_by_number(application.taxpayer_id, form.declaration_number)
    if found is None:
        return "未找到申报记录"
    granted = await ledger.grant_extension(
        application.taxpayer_id,
        ledger.ExtensionKind.PAYMENT,
        found.tax_type,
        found.period_start,
        form.new_deadline,
        reference=application.number,
    )
    return f"申报 {found.number} 缴款期限延至{granted.new_deadline.isoformat()}，期间不加收滞纳金"


# --- 核定管理 --------------------------------------------------------------------------------------


async def fixed_amount(application: ApplicationRecord) -> str:
    form = application.form_as(forms.FixedAmountForm)
    for existing in await ledger.fixed_amounts(application.taxpayer_id):
        if existing.reference == application.number:
            return "定额已在册"
    tax = fixed_monthly_tax(form.monthly_sales)
    await ledger.set_fixed_amount(
        application.taxpayer_id,
        ledger.TaxType.VAT,
        form.monthly_sales,
        tax,
        form.valid_from,
        valid_to=form.valid_to,
        reference=application.number,
    )
    return f"核定月销售额{format_money(form.monthly_sales)}元，月应纳增值税{format_money(tax)}元"


EFFECTS: dict[str, Effect] = {
    F.BANK_ACCOUNT.code: bank_account,
    F.ACCOUNTING.code: accounting,
    F.REGISTRATION_CHANGE.code: registration_change,
    F.GENERAL_TAXPAYER.code: general_taxpayer,
    F.TAX_KINDS.code: tax_kinds,
    F.SUSPEND.code: suspend,
    F.RESUME.code: resume,
    F.DEREGISTER.code: deregister,
    F.RELIEF_FILING.code: relief,
    F.RELIEF_APPROVAL.code: relief,
    F.RESIDENCY.code: residency,
    F.REISSUE.code: reissue,
    F.FILING_EXTENSION.code: filing_extension,
    F.PAYMENT_EXTENSION.code: payment_extension,
    F.FIXED_AMOUNT.code: fixed_amount,
}


async def apply(application: ApplicationRecord) -> None:
    """The effect of a completed application of this plugin (nothing for another plugin's)."""
    effect = EFFECTS.get(application.function)
    if effect is None:
        return
    what = await effect(application)
    await _audit(application, what)
