"""Changing applications: submit, resubmit after 需补正, decide — each one transaction with its reminder.

* The number is the year and a 6-digit sequence from a per-year counter row incremented atomically
  (``UPDATE … RETURNING``) inside the submitting transaction, and is a unique column.
* The form's idempotency key is a unique column: a double click or a replayed request finds (or, when
  it races, collides with) the first application and is answered with it; nothing is stored twice.
* Every status change writes its history event, a 服务提醒 for the enterprise and an audit entry in
  the same transaction, and only from the status it was decided on (a stale decision changes nothing).
* Uploaded files are written before the transaction and removed again when it does not commit.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import msgspec

from etax.platform import audit, clock
from etax.platform.application_spec import (
    ACTION_LABELS,
    COMMENT_REQUIRED,
    CORRECTION,
    SUBMITTED,
    TRANSITIONS,
    ApplicationRecord,
    ApplicationSpec,
    Decision,
    DecisionAction,
    Status,
)
from etax.platform.applications.common import BEIJING
from etax.platform.applications.documents import DocumentView, insert_document
from etax.platform.applications.queries import find_by_submission, get_record
from etax.platform.applications.tables import (
    Application,
    ApplicationAttachment,
    ApplicationCounter,
    ApplicationEvent,
    ServiceReminder,
)
from etax.platform.applications.uploads import CheckedFile, remove, store
from etax.platform.db.integrity import is_unique_violation, write_transaction
from etax.platform.forms import encode
from etax.platform.messaging import service as messaging

MAX_SEQUENCE = 999_999
REMINDER_PHRASES: dict[str, str] = {
    "已提交": "已提交，请等待税务机关受理",
    "受理中": "已受理，正在办理",
    "已办结": "已办结",
    "不予受理": "不予受理，请查看税务机关意见",
    "需补正": "需要补正，请按税务机关意见补正后重新提交",
}


class ApplicationError(Exception):
    """The change cannot be made; the message says why, in Chinese."""


class Who(msgspec.Struct, frozen=True, kw_only=True):
    """Who makes a change, for the record and the audit log."""

    actor: str
    acting_for: str = ""
    ip: str = ""


class Attachments(msgspec.Struct, frozen=True, kw_only=True):
    """The attachments of a submission: 电子资料 already held, and new files (checked, not yet stored)."""

    existing: list[DocumentView] = msgspec.field(default_factory=list)
    new: list[CheckedFile] = msgspec.field(default_factory=list)
    new_title: str = ""


def reminder_title(function_name: str, number: str, status: str) -> str:
    return f"您的{function_name}申请（{number}）{REMINDER_PHRASES.get(status, status)}"


async def _next_number(year: int) -> str:
    await ApplicationCounter.insert(ApplicationCounter(year=year, last=0)).on_conflict(action="DO NOTHING")
    rows = (
        await ApplicationCounter.update({ApplicationCounter.last: ApplicationCounter.last + 1})
        .where(ApplicationCounter.year == year)
        .returning(ApplicationCounter.last)
    )
    sequence = int(rows[0]["last"])
    if sequence > MAX_SEQUENCE:
        raise ApplicationError("本年度申请编号已用完，请联系税务机关")
    return f"{year}{sequence:06d}"


async def _status_changed(
    *,
    application_id: int,
    taxpayer_id: int,
    function_name: str,
    number: str,
    action: str,
    status: Status,
    who: Who,
    comment: str = "",
    data: str = "",
) -> None:
    """History event, 服务提醒 and audit entry of one status change (inside the caller's transaction)."""
    await ApplicationEvent(
        application=application_id, action=action, status=status, actor=who.actor, comment=comment, data=data
    ).save()
    await ServiceReminder(
        taxpayer=taxpayer_id,
        application=application_id,
        title=reminder_title(function_name, number, status)[:200],
        status=status,
    ).save()
    # The same change as a message in 互动中心 › 我的消息, with the bureau's comment.
    title = reminder_title(function_name, number, status)[:200]
    body = f"您的{function_name}申请（编号{number}）当前状态：{status}。" + (
        f"\n税务机关意见：{comment}" if comment else ""
    )
    await messaging.send(
        submission=f"{messaging.APPLICATION_EVENT_PREFIX}{application_id}:{uuid.uuid4().hex}",
        title=title,
        body=body,
        taxpayer_id=taxpayer_id,
    )
    label = {"submit": "提交", "resubmit": "补正提交"}.get(action) or ACTION_LABELS.get(action, action)
    await audit.record(  # joins the caller's transaction
        actor=who.actor,
        acting_for=who.acting_for,
        taxpayer_id=taxpayer_id,
        action=f"application.{action}",
        target=f"{function_name} {number}",
        ip=who.ip,
        outcome="success",
        detail=f"{label}：{status}" + (f"；意见：{comment}" if comment else ""),
    )


async def _attach(
    application_id: int, taxpayer_id: int, files: Attachments, stored: list[str], actor: str
) -> None:
    for document in files.existing:
        await ApplicationAttachment(
            key=f"{application_id}:{document.id}",
            application=application_id,
            document=document.id,
            title=document.title,
            kind=document.kind,
        ).save()
    for checked, storage_name in zip(files.new, stored, strict=True):
        title = files.new_title or checked.filename.rsplit(".", 1)[0] or checked.filename
        document_id = await insert_document(taxpayer_id, title, checked, storage_name, actor)
        await ApplicationAttachment(
            key=f"{application_id}:{document_id}",
            application=application_id,
            document=document_id,
            title=title[:100],
            kind=checked.kind,
        ).save()


def _store_all(var_dir: Path, files: Attachments) -> list[str]:
    stored: list[str] = []
    try:
        for checked in files.new:
            stored.append(store(var_dir, checked))
    except BaseException:
        for name in stored:
            remove(var_dir, name)
        raise
    return stored


class _Replayed(Exception):
    def __init__(self, application_id: int) -> None:
        self.application_id = application_id


async def submit(
    *,
    var_dir: Path,
    spec: ApplicationSpec,
    function_name: str,
    taxpayer_id: int,
    form: msgspec.Struct,
    submission: str,
    files: Attachments,
    who: Who,
) -> tuple[int, bool]:
    """Create the application; returns ``(id, created)`` — ``created`` is False for a replayed form."""
    stored = _store_all(var_dir, files)
    try:
        async with write_transaction(Application):
            existing = await find_by_submission(submission, taxpayer_id)
            if existing is not None:
                raise _Replayed(existing.id)
            number = await _next_number(clock.utcnow().astimezone(BEIJING).year)
            data = encode(form)
            application = Application(
                number=number,
                submission=submission,
                function=spec.function,
                function_name=function_name,
                matter_code=spec.matter_code,
                taxpayer=taxpayer_id,
                status=SUBMITTED,
                data=data,
                submitted_by=who.actor[:120],
            )
            await application.save()
            application_id = int(application.id)
            await _attach(application_id, taxpayer_id, files, stored, who.actor)
            await _status_changed(
                application_id=application_id,
                taxpayer_id=taxpayer_id,
                function_name=function_name,
                number=number,
                action="submit",
                status=SUBMITTED,
                who=who,
                data=data,
            )
    except _Replayed as replay:
        for name in stored:
            remove(var_dir, name)
        return replay.application_id, False
    except BaseException as exc:
        for name in stored:
            remove(var_dir, name)
        if is_unique_violation(exc):
            raced = await find_by_submission(submission, taxpayer_id)
            if raced is not None:
                return raced.id, False
        raise
    return application_id, True


async def resubmit(
    *,
    var_dir: Path,
    record: ApplicationRecord,
    form: msgspec.Struct,
    files: Attachments,
    who: Who,
) -> bool:
    """Resubmit a corrected application (需补正 → 已提交), replacing its data and attachments.

    Returns False, changing nothing, when the application is no longer waiting for a correction
    (e.g. the same correction was already sent by a double click).
    """
    stored = _store_all(var_dir, files)
    try:
        async with write_transaction(Application):
            data = encode(form)
            changed = (
                await Application.update(
                    {
                        Application.status: SUBMITTED,
                        Application.data: data,
                        Application.round: Application.round + 1,
                        Application.comment: "",
                        Application.updated_at: clock.utcnow(),
                    }
                )
                .where(
                    (Application.id == record.id)
                    & (Application.taxpayer == record.taxpayer_id)
                    & (Application.status == CORRECTION)
                )
                .returning(Application.id)
            )
            if not changed:
                raise _Replayed(record.id)
            await ApplicationAttachment.delete().where(ApplicationAttachment.application == record.id)
            await _attach(record.id, record.taxpayer_id, files, stored, who.actor)
            await _status_changed(
                application_id=record.id,
                taxpayer_id=record.taxpayer_id,
                function_name=record.function_name,
                number=record.number,
                action="resubmit",
                status=SUBMITTED,
                who=who,
                data=data,
            )
    except _Replayed:
        for name in stored:
            remove(var_dir, name)
        return False
    except BaseException:
        for name in stored:
            remove(var_dir, name)
        raise
    return True


async def decide(
    application_id: int,
    action: DecisionAction,
    comment: str,
    who: Who,
    *,
    expected: Status | None = None,
) -> tuple[ApplicationRecord, Decision]:
    """Record a reviewer's decision; raise :class:`ApplicationError` when it is not possible now.

    ``expected`` is the status the reviewer saw: if it changed meanwhile, nothing is decided.
    """
    comment = comment.strip()
    if action in COMMENT_REQUIRED and not comment:
        raise ApplicationError(f"选择“{ACTION_LABELS[action]}”时请填写处理意见，告知纳税人原因")
    if len(comment) > 500:
        raise ApplicationError("处理意见不能超过500个字")
    async with write_transaction(Application):
        record = await get_record(application_id)
        if record is None:
            raise ApplicationError("申请不存在")
        if expected is not None and record.status != expected:
            raise ApplicationError(f"该申请的状态已变为“{record.status}”，请核对后重新处理")
        after = TRANSITIONS.get(record.status, {}).get(action)
        if after is None:
            raise ApplicationError(f"该申请当前状态为“{record.status}”，不能“{ACTION_LABELS[action]}”")
        at = clock.utcnow()
        changed = (
            await Application.update(
                {Application.status: after, Application.comment: comment, Application.updated_at: at}
            )
            .where((Application.id == application_id) & (Application.status == record.status))
            .returning(Application.id)
        )
        if not changed:
            raise ApplicationError("该申请的状态已发生变化，请刷新后重新处理")
        await _status_changed(
            application_id=application_id,
            taxpayer_id=record.taxpayer_id,
            function_name=record.function_name,
            number=record.number,
            action=action,
            status=after,
            who=who,
            comment=comment,
        )
    decided = await get_record(application_id)
    assert decided is not None
    decision = Decision(
        action=action, status_before=record.status, status=after, comment=comment, reviewer=who.actor, at=at
    )
    return decided, decision
