"""在线交互 › 留言咨询: a taxpayer asks, a consultant (admin role ``consultant``) answers from a queue.

- a question has a category, a title and the text (HTML is escaped wherever it is shown); a replayed
  form (the one-time ``submission``) is one thread;
- the answer is due within :data:`ANSWER_WORKING_DAYS` working days of the question (the platform
  calendar); the queue lists waiting threads by deadline and flags overdue ones;
- answering is one conditional update (a thread is answered once) and sends the answer to the
  taxpayer's 我的消息 (unread, it is a 服务提醒 on the home page);
- an answered thread may be published: it then appears, without the taxpayer's name, in 自助查询
  (public), searchable by any word of its title, question or answer.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

import msgspec

from etax.platform.api import BEIJING, CalendarUnavailable, calendar, clock, send_message
from etax.plugins.interaction.tables import ConsultThread

ANSWER_WORKING_DAYS = 3
TITLE_MAX = 100
QUESTION_MIN, QUESTION_MAX = 5, 2000
ANSWER_MAX = 4000


class ConsultCategory(StrEnum):
    INVOICE = "发票"
    FILING = "申报纳税"
    RELIEF = "税收优惠"
    REGISTRATION = "登记"
    SOCIAL = "社保费"
    PORTAL = "电子税务局操作"
    OTHER = "其他"


class ThreadStatus(StrEnum):
    WAITING = "waiting"
    ANSWERED = "answered"

    @property
    def label(self) -> str:
        return {"waiting": "待答复", "answered": "已答复"}[self.value]


class ConsultError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ThreadView(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    taxpayer: int
    asked_by: str
    category: str
    title: str
    question: str
    asked_at: dt.datetime
    due_on: dt.date
    status: ThreadStatus
    answer: str
    answered_by: str
    answered_at: dt.datetime | None
    published: bool

    @property
    def overdue(self) -> bool:
        """Waiting past its deadline, or answered after it."""
        if self.status is ThreadStatus.WAITING:
            return clock.today() > self.due_on
        return self.answered_at is not None and self.answered_at.astimezone(BEIJING).date() > self.due_on

    @property
    def asked_text(self) -> str:
        return f"{self.asked_at.astimezone(BEIJING):%Y-%m-%d %H:%M}"

    @property
    def answered_text(self) -> str:
        return f"{self.answered_at.astimezone(BEIJING):%Y-%m-%d %H:%M}" if self.answered_at else ""


_COLUMNS = (
    ConsultThread.id,
    ConsultThread.taxpayer,
    ConsultThread.asked_by,
    ConsultThread.category,
    ConsultThread.title,
    ConsultThread.question,
    ConsultThread.asked_at,
    ConsultThread.due_on,
    ConsultThread.status,
    ConsultThread.answer,
    ConsultThread.answered_by,
    ConsultThread.answered_at,
    ConsultThread.published,
)


def _view(row: dict[str, object]) -> ThreadView:
    return msgspec.convert(row, ThreadView, strict=False)


def _clean(text: str) -> str:
    return "".join(ch for ch in text if ch in "\n\t" or ch.isprintable()).strip()


async def ask(
    *, taxpayer_id: int, asked_by: str, category: str, title: str, question: str, submission: str
) -> ThreadView:
    """Record a question; a replayed ``submission`` answers with the same thread."""
    earlier = await ConsultThread.select(*_COLUMNS).where(ConsultThread.submission == submission).first()
    if earlier is not None:
        if int(str(earlier["taxpayer"])) != taxpayer_id:
            raise ConsultError("表单已失效，请重新打开页面")
        return _view(earlier)
    title, question = _clean(title), _clean(question)
    if category not in {c.value for c in ConsultCategory}:
        raise ConsultError("请选择咨询类别")
    if not title or len(title) > TITLE_MAX:
        raise ConsultError(f"请填写标题（不超过{TITLE_MAX}个字）")
    if not QUESTION_MIN <= len(question) <= QUESTION_MAX:
        raise ConsultError(f"问题描述应为{QUESTION_MIN}至{QUESTION_MAX}个字")
    try:
        due = (await calendar()).add_workdays(clock.today(), ANSWER_WORKING_DAYS)
    except CalendarUnavailable:
        due = clock.today() + dt.timedelta(days=ANSWER_WORKING_DAYS + 2)
    await ConsultThread.insert(
        ConsultThread(
            submission=submission[:64],
            taxpayer=taxpayer_id,
            asked_by=asked_by[:120],
            category=category,
            title=title,
            question=question,
            asked_at=clock.now(),
            due_on=due,
        )
    ).on_conflict(target=ConsultThread.submission, action="DO NOTHING")
    row = await ConsultThread.select(*_COLUMNS).where(ConsultThread.submission == submission[:64]).first()
    assert row is not None
    return _view(row)


async def threads_of(taxpayer_id: int, limit: int = 50) -> list[ThreadView]:
    rows = (
        await ConsultThread.select(*_COLUMNS)
        .where(ConsultThread.taxpayer == taxpayer_id)
        .order_by(ConsultThread.id, ascending=False)
        .limit(limit)
    )
    return [_view(r) for r in rows]


async def thread(thread_id: int, taxpayer_id: int | None = None) -> ThreadView | None:
    """One thread (``taxpayer_id`` given: only that taxpayer's)."""
    query = ConsultThread.select(*_COLUMNS).where(ConsultThread.id == thread_id)
    if taxpayer_id is not None:
        query = query.where(ConsultThread.taxpayer == taxpayer_id)
    row = await query.first()
    return _view(row) if row else None


async def queue(status: ThreadStatus | None, limit: int = 200) -> list[ThreadView]:
    """The consultants' queue: waiting threads by deadline first; answered ones newest first."""
    query = ConsultThread.select(*_COLUMNS)
    if status is not None:
        query = query.where(ConsultThread.status == status.value)
    rows = (
        await query.order_by(ConsultThread.status, ascending=False)
        .order_by(ConsultThread.due_on)
        .order_by(ConsultThread.id)
        .limit(limit)
    )
    return [_view(r) for r in rows]


async def answer(thread_id: int, text: str, *, by: str) -> ThreadView:
    """Answer a waiting thread once; the answer goes to the taxpayer's 我的消息 (a 服务提醒 while unread)."""
    text = _clean(text)
    if not 2 <= len(text) <= ANSWER_MAX:
        raise ConsultError(f"答复应为2至{ANSWER_MAX}个字")
    done = (
        await ConsultThread.update(
            {
                ConsultThread.status: ThreadStatus.ANSWERED.value,
                ConsultThread.answer: text,
                ConsultThread.answered_by: by[:120],
                ConsultThread.answered_at: clock.now(),
            }
        )
        .where((ConsultThread.id == thread_id) & (ConsultThread.status == ThreadStatus.WAITING.value))
        .returning(ConsultThread.id)
    )
    if not done:
        raise ConsultError("该咨询已答复")
    view = await thread(thread_id)
    assert view is not None
    await send_message(
        taxpayer_id=view.taxpayer,
        title=f"您的咨询已答复：{view.title}"[:200],
        body=f"您于{view.asked_text}提交的咨询“{view.title}”已答复：\n\n{text}\n\n可在 互动中心 › 在线交互 › 留言咨询 查看。",
        submission=f"consult:{thread_id}",
        sender="咨询专员",
    )
    return view


async def publish(thread_id: int, published: bool) -> ThreadView:
    """Publish an answered thread to 自助查询 (or withdraw it)."""
    done = (
        await ConsultThread.update({ConsultThread.published: published})
        .where((ConsultThread.id == thread_id) & (ConsultThread.status == ThreadStatus.ANSWERED.value))
        .returning(ConsultThread.id)
    )
    if not done:
        raise ConsultError("只能发布已答复的咨询")
    view = await thread(thread_id)
    assert view is not None
    return view


async def published_answers(words: str = "", limit: int = 50) -> list[ThreadView]:
    """Published answers, newest first; with ``words``, those whose title, question or answer hold every word."""
    rows = (
        await ConsultThread.select(*_COLUMNS)
        .where(ConsultThread.published.eq(True))
        .order_by(ConsultThread.answered_at, ascending=False)
        .limit(max(limit, 500))
    )
    parts = [w for w in words.split() if w][:5]
    found = [
        _view(r)
        for r in rows
        if all(any(p in str(r[k]) for k in ("title", "question", "answer", "category")) for p in parts)
    ]
    return found[:limit]


async def published_ids() -> list[int]:
    """The ids of the published answers, in order (the search documents' version is made from them)."""
    rows = (
        await ConsultThread.select(ConsultThread.id)
        .where(ConsultThread.published.eq(True))
        .order_by(ConsultThread.id)
    )
    return [int(r["id"]) for r in rows]
