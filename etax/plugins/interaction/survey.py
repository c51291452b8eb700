"""纳税人满意度调查: surveys composed in the back office, answered once per taxpayer, results with charts.

A survey has single-choice, multiple-choice, 1–5 rating and free-text questions, an audience (every
enterprise, or those of one tax office), open and close dates (platform clock) and is published by an
administrator. A taxpayer answers once: ``interaction_survey_response.key`` (``survey:taxpayer``) is
unique, so a second submission — or two at once — stores nothing. Results count each option (bar charts
rendered on the server as SVG) and export as CSV.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from enum import StrEnum

import msgspec

from etax.platform.api import clock, is_unique_violation, registry
from etax.plugins.interaction.tables import Survey, SurveyResponse

RATINGS = ("1", "2", "3", "4", "5")
MAX_QUESTIONS = 20
TEXT_MAX = 500


class QuestionKind(StrEnum):
    SINGLE = "单选"
    MULTIPLE = "多选"
    RATING = "评分"
    TEXT = "文本"


class Question(msgspec.Struct, frozen=True, kw_only=True):
    kind: QuestionKind
    text: str
    options: tuple[str, ...] = ()

    @property
    def choices(self) -> tuple[str, ...]:
        return RATINGS if self.kind is QuestionKind.RATING else self.options


class SurveyView(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    title: str
    description: str
    tax_office: str
    opens_on: dt.date
    closes_on: dt.date
    published: bool
    questions: tuple[Question, ...]

    def is_open(self, today: dt.date) -> bool:
        return self.published and self.opens_on <= today <= self.closes_on


class SurveyError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def parse_questions(text: str) -> tuple[Question, ...]:
    """One question a line: ``单选|题目|选项1;选项2``, ``多选|…|…``, ``评分|题目``, ``文本|题目``."""
    found: list[Question] = []
    for number, line in enumerate((t.strip() for t in text.splitlines()), start=1):
        if not line:
            continue
        parts = [p.strip() for p in line.replace("｜", "|").split("|")]
        if parts[0] not in {k.value for k in QuestionKind} or len(parts) < 2 or not parts[1]:
            raise SurveyError(f"第{number}行应为“单选|题目|选项1;选项2”、“多选|…”、“评分|题目”或“文本|题目”")
        kind = QuestionKind(parts[0])
        options: tuple[str, ...] = ()
        if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            options = tuple(
                o.strip()
                for o in (parts[2] if len(parts) > 2 else "").replace("；", ";").split(";")
                if o.strip()
            )
            if not 2 <= len(options) <= 10 or len(set(options)) != len(options):
                raise SurveyError(f"第{number}行的选择题应有2至10个互不相同的选项，用分号分隔")
        if len(parts[1]) > 100 or any(len(o) > 40 for o in options):
            raise SurveyError(f"第{number}行：题目不超过100个字，选项不超过40个字")
        found.append(Question(kind=kind, text=parts[1], options=options))
    if not 1 <= len(found) <= MAX_QUESTIONS:
        raise SurveyError(f"问卷应有1至{MAX_QUESTIONS}道题")
    return tuple(found)


def questions_text(questions: tuple[Question, ...]) -> str:
    return "\n".join(
        f"{q.kind.value}|{q.text}" + (f"|{';'.join(q.options)}" if q.options else "") for q in questions
    )


def _view(row: dict[str, object]) -> SurveyView:
    questions = msgspec.json.decode(str(row["questions"]), type=tuple[Question, ...])
    return msgspec.convert({**row, "questions": questions}, SurveyView, strict=False)


_COLUMNS = (
    Survey.id,
    Survey.title,
    Survey.description,
    Survey.tax_office,
    Survey.opens_on,
    Survey.closes_on,
    Survey.published,
    Survey.questions,
)


def _clean(text: str) -> str:
    return "".join(ch for ch in text if ch in "\n\t" or ch.isprintable())


async def save_survey(
    *, title: str, description: str, tax_office: str, opens_on: str, closes_on: str, questions: str, by: str
) -> int:
    title, description, tax_office, questions = (
        _clean(title).strip(),
        _clean(description),
        _clean(tax_office),
        _clean(questions),
    )
    if not title or len(title) > 100:
        raise SurveyError("请填写问卷标题（不超过100个字）")
    try:
        opens, closes = dt.date.fromisoformat(opens_on.strip()), dt.date.fromisoformat(closes_on.strip())
    except ValueError as error:
        raise SurveyError("开始和结束日期格式应为 YYYY-MM-DD") from error
    if closes < opens:
        raise SurveyError("结束日期不能早于开始日期")
    parsed = parse_questions(questions)
    rows = await Survey.insert(
        Survey(
            title=title,
            description=description.strip()[:1000],
            tax_office=tax_office.strip()[:100],
            opens_on=opens,
            closes_on=closes,
            questions=msgspec.json.encode(parsed).decode(),
            created_by=by[:120],
        )
    ).returning(Survey.id)
    return int(rows[0]["id"])


async def set_published(survey_id: int, published: bool) -> None:
    await Survey.update({Survey.published: published}).where(Survey.id == survey_id)


async def surveys(*, published_only: bool = False) -> list[SurveyView]:
    query = Survey.select(*_COLUMNS).order_by(Survey.id, ascending=False)
    if published_only:
        query = query.where(Survey.published.eq(True))
    return [_view(r) for r in await query]


async def survey(survey_id: int) -> SurveyView | None:
    row = await Survey.select(*_COLUMNS).where(Survey.id == survey_id).first()
    return _view(row) if row else None


async def in_audience(view: SurveyView, taxpayer_id: int) -> bool:
    if not view.tax_office:
        return True
    record = await registry.taxpayer_by_id(taxpayer_id)
    return record is not None and record.tax_office == view.tax_office


async def open_surveys(taxpayer_id: int) -> list[tuple[SurveyView, bool]]:
    """The surveys open to the taxpayer today, each with whether they answered it."""
    today = clock.today()
    answered = {
        int(r["survey"])
        for r in await SurveyResponse.select(SurveyResponse.survey).where(
            SurveyResponse.taxpayer == taxpayer_id
        )
    }
    return [
        (s, s.id in answered)
        for s in await surveys(published_only=True)
        if s.is_open(today) and await in_audience(s, taxpayer_id)
    ]


async def has_answered(survey_id: int, taxpayer_id: int) -> bool:
    return await SurveyResponse.exists().where(SurveyResponse.key == f"{survey_id}:{taxpayer_id}")


def read_answers(view: SurveyView, form: dict[str, list[str]]) -> list[list[str]]:
    """The form's answers, one list per question, checked against the questions (Chinese messages)."""
    answers: list[list[str]] = []
    for index, question in enumerate(view.questions):
        given = [v.strip() for v in form.get(f"q{index}", []) if v.strip()]
        label = f"第{index + 1}题"
        if question.kind is QuestionKind.TEXT:
            text = "".join(ch for ch in (given[0] if given else "") if ch.isprintable() or ch == "\n")
            if len(text) > TEXT_MAX:
                raise SurveyError(f"{label}不超过{TEXT_MAX}个字")
            answers.append([text] if text else [])
            continue
        if not given:
            raise SurveyError(f"请回答{label}")
        if any(g not in question.choices for g in given) or len(set(given)) != len(given):
            raise SurveyError(f"{label}的选项无效")
        if question.kind is not QuestionKind.MULTIPLE and len(given) != 1:
            raise SurveyError(f"{label}只能选一项")
        answers.append(given)
    return answers


async def submit(view: SurveyView, taxpayer_id: int, answers: list[list[str]]) -> bool:
    """Store the taxpayer's answers; False when they had already answered (the unique key refused it)."""
    try:
        await SurveyResponse.insert(
            SurveyResponse(
                key=f"{view.id}:{taxpayer_id}",
                survey=view.id,
                taxpayer=taxpayer_id,
                answers=msgspec.json.encode(answers).decode(),
                submitted_at=clock.now(),
            )
        )
    except Exception as error:
        if is_unique_violation(error):
            return False
        raise
    return True


class Bar(msgspec.Struct, frozen=True):
    label: str
    count: int
    width: int  # of 300 px


class QuestionResult(msgspec.Struct, frozen=True, kw_only=True):
    question: Question
    bars: tuple[Bar, ...] = ()
    texts: tuple[str, ...] = ()
    average: str = ""

    @property
    def height(self) -> int:
        return 28 * len(self.bars) + 8


async def _responses(survey_id: int) -> list[list[list[str]]]:
    rows = (
        await SurveyResponse.select(SurveyResponse.answers)
        .where(SurveyResponse.survey == survey_id)
        .order_by(SurveyResponse.id)
    )
    return [msgspec.json.decode(str(r["answers"]), type=list[list[str]]) for r in rows]


async def results(view: SurveyView) -> tuple[int, list[QuestionResult]]:
    """How many answered, and per question the counts of each option (or the texts, the average rating)."""
    responses = await _responses(view.id)
    found: list[QuestionResult] = []
    for index, question in enumerate(view.questions):
        given = [r[index] for r in responses if index < len(r)]
        if question.kind is QuestionKind.TEXT:
            found.append(QuestionResult(question=question, texts=tuple(g[0] for g in given if g)))
            continue
        counts = {choice: 0 for choice in question.choices}
        for answer in given:
            for choice in answer:
                if choice in counts:
                    counts[choice] += 1
        top = max(counts.values()) or 1
        bars = tuple(Bar(label, count, round(300 * count / top)) for label, count in counts.items())
        average = ""
        if question.kind is QuestionKind.RATING and given:
            average = f"{sum(int(a[0]) for a in given if a) / len(given):.2f}"
        found.append(QuestionResult(question=question, bars=bars, average=average))
    return len(responses), found


async def results_csv(view: SurveyView) -> str:
    """Every response as a CSV row (UTF-8 with BOM for spreadsheet programs); no taxpayer identities."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["序号", *[f"{i + 1}. {q.text}" for i, q in enumerate(view.questions)]])
    for number, response in enumerate(await _responses(view.id), start=1):
        writer.writerow([number, *["；".join(a) for a in response]])
    return "\ufeff" + buffer.getvalue()
