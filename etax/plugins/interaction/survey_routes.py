"""纳税人满意度调查: /interaction/surveys (taxpayers answer once) and /admin/surveys (内容管理员 compose,
publish, see the results with SVG charts, export CSV)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.response import Redirect, Template

from etax.platform.api import (
    CurrentActor,
    NavItem,
    RecordId,
    admin_page,
    clock,
    current_admin,
    pop_notice,
    record,
    set_notice,
    submitted,
    submitted_list,
    submitted_text,
)
from etax.plugins.interaction.functions import SURVEY
from etax.plugins.interaction.survey import (
    SurveyError,
    has_answered,
    in_audience,
    open_surveys,
    read_answers,
    results,
    results_csv,
    save_survey,
    set_published,
    submit,
    survey,
    surveys,
)

SURVEY_NAV = NavItem(
    label="满意度调查",
    url="/admin/surveys",
    requirement="content",
    description="编写和发布纳税人满意度调查问卷，查看统计图表、导出CSV",
)
EXAMPLE = "单选|您对办税服务厅的整体评价|满意;基本满意;不满意\n多选|您常用的办税渠道|电子税务局;办税服务厅;手机APP\n评分|电子税务局的易用性\n文本|其他意见和建议"


class SurveyController(Controller):
    """互动中心 › 纳税人满意度调查."""

    path = SURVEY.url
    opt = {"function": SURVEY.code}

    @get("/", cache=False)
    async def listing(self, request: Request[Any, Any, Any], actor: CurrentActor) -> Template:
        return Template(
            "interaction/surveys.html",
            context={"items": await open_surveys(actor.taxpayer_id), "notice": pop_notice(request)},
        )

    @get("/{survey_id:int}", cache=False)
    async def form(
        self, request: Request[Any, Any, Any], actor: CurrentActor, survey_id: RecordId
    ) -> Template:
        view = await survey(survey_id)
        if view is None or not view.is_open(clock.today()) or not await in_audience(view, actor.taxpayer_id):
            raise NotFoundException()
        answered = await has_answered(view.id, actor.taxpayer_id)
        return Template(
            "interaction/survey.html",
            context={"s": view, "answered": answered, "notice": pop_notice(request), "given": {}},
        )

    @post("/{survey_id:int}")
    async def answer(
        self, request: Request[Any, Any, Any], actor: CurrentActor, survey_id: RecordId
    ) -> Template | Redirect:
        view = await survey(survey_id)
        if view is None or not view.is_open(clock.today()) or not await in_audience(view, actor.taxpayer_id):
            raise NotFoundException()
        form = await submitted(request)
        given = {key: submitted_list(form, key, 600) for key in form if key.startswith("q")}
        try:
            answers = read_answers(view, given)
        except SurveyError as error:
            return Template(
                "interaction/survey.html",
                context={
                    "s": view,
                    "answered": False,
                    "notice": {"text": error.message, "error": True},
                    "given": given,
                },
                status_code=400,
            )
        stored = await submit(view, actor.taxpayer_id, answers)
        if stored:
            await record(
                actor=actor.name,
                taxpayer_id=actor.taxpayer_id,
                action="interaction.survey.answer",
                outcome="success",
                connection=request,
                target=str(view.id),
                detail=view.title,
            )
        set_notice(
            request,
            "感谢您的参与，问卷已提交" if stored else "您已提交过本问卷，每户只能提交一次",
            error=not stored,
        )
        return Redirect(SURVEY.url, status_code=303)


class SurveyAdmin(Controller):
    """/admin/surveys — 内容管理员 (系统管理员 too)."""

    path = "/surveys"
    opt = {"admin_role": "content"}

    @get("/", cache=False)
    async def listing(self, request: Request[Any, Any, Any]) -> Template:
        return admin_page(
            request,
            "interaction/admin_surveys.html",
            {"items": await surveys(), "example": EXAMPLE, "values": {}, "today": clock.today()},
        )

    @post("/")
    async def create(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        form = await submitted(request)
        values = {
            k: submitted_text(form, k, 5000)
            for k in ("title", "description", "tax_office", "opens_on", "closes_on", "questions")
        }
        admin = current_admin(request)
        try:
            survey_id = await save_survey(**values, by=admin.display_name if admin else "")
        except SurveyError as error:
            set_notice(request, error.message, error=True)
            return admin_page(
                request,
                "interaction/admin_surveys.html",
                {
                    "items": await surveys(),
                    "example": EXAMPLE,
                    "values": values,
                    "today": clock.today(),
                    "problem": error.message,
                },
                status=400,
            )
        await self._audit(request, "create", survey_id, values["title"])
        set_notice(request, "问卷已保存（未发布）")
        return Redirect(f"/admin/surveys/{survey_id}", status_code=303)

    @get("/{survey_id:int}", cache=False)
    async def detail(self, request: Request[Any, Any, Any], survey_id: RecordId) -> Template:
        view = await survey(survey_id)
        if view is None:
            raise NotFoundException("没有这份问卷")
        count, found = await results(view)
        return admin_page(
            request, "interaction/admin_survey.html", {"s": view, "count": count, "results": found}
        )

    @post("/{survey_id:int}/publish")
    async def publish(self, request: Request[Any, Any, Any], survey_id: RecordId) -> Redirect:
        view = await survey(survey_id)
        if view is None:
            raise NotFoundException("没有这份问卷")
        shown = submitted_text(await submitted(request), "published") == "1"
        await set_published(view.id, shown)
        await self._audit(request, "publish" if shown else "withdraw", view.id, view.title)
        set_notice(request, "问卷已发布" if shown else "问卷已撤回")
        return Redirect(f"/admin/surveys/{survey_id}", status_code=303)

    @get("/{survey_id:int}/results.csv", cache=False)
    async def export(self, request: Request[Any, Any, Any], survey_id: RecordId) -> Response[str]:
        view = await survey(survey_id)
        if view is None:
            raise NotFoundException("没有这份问卷")
        await self._audit(request, "export", view.id, view.title)
        return Response(
            await results_csv(view),
            media_type="text/csv; charset=utf-8",
            headers={"content-disposition": f'attachment; filename="survey-{view.id}.csv"'},
        )

    @staticmethod
    async def _audit(request: Request[Any, Any, Any], action: str, survey_id: int, title: str) -> None:
        admin = current_admin(request)
        await record(
            actor=admin.actor if admin else "admin:?",
            action=f"admin.survey.{action}",
            outcome="success",
            connection=request,
            target=str(survey_id),
            detail=title,
        )
