"""Routes of the public-service plugin, each bound to one of its functions."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, QueryParameter
from litestar.response import Template

from etax.platform.api import (
    Principal,
    RecordId,
    Visitor,
    announcement_audiences,
    check_captcha,
    count_announcements,
    get_announcement,
    list_announcements,
    normalise_code,
    read_form,
    registry,
    tin_problem,
)
from etax.plugins.public.functions import ANNOUNCEMENTS, GENERAL_TAXPAYER, KNOWLEDGE, TAXPAYER_STATUS
from etax.plugins.public.knowledge import ARTICLES, BY_SLUG, FAQ, GUIDE

PAGE_SIZE = 10


def _audiences(visitor: Principal | None) -> list[str]:
    """Everyone reads public announcements; logged-in visitors also those for their audience."""
    return sorted(audience.value for audience in announcement_audiences(visitor))


class AnnouncementController(Controller):
    """通知公告: list and detail."""

    path = "/public/announcements"
    opt = {"function": ANNOUNCEMENTS.code}

    @get("/")
    async def listing(self, visitor: Visitor, page: Annotated[int, QueryParameter(ge=1)] = 1) -> Template:
        audiences = _audiences(visitor)
        total = await count_announcements(audiences=audiences)
        items = await list_announcements(limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE, audiences=audiences)
        pages = max(1, -(-total // PAGE_SIZE))
        return Template(
            "public/announcements.html",
            context={"items": items, "page": page, "pages": pages, "total": total},
        )

    @get("/{announcement_id:int}")
    async def detail(self, visitor: Visitor, announcement_id: RecordId) -> Template:
        item = await get_announcement(announcement_id, audiences=_audiences(visitor))
        if item is None:
            raise NotFoundException()
        return Template("public/announcement.html", context={"item": item})


class KnowledgeController(Controller):
    """咨询辅导: the FAQ and guides."""

    path = "/public/faq"
    opt = {"function": KNOWLEDGE.code}

    @get("/")
    async def listing(self) -> Template:
        groups = [(label, [a for a in ARTICLES if a.category == label]) for label in (GUIDE, FAQ)]
        return Template("public/faq.html", context={"groups": groups})

    @get("/{slug:str}")
    async def article(self, slug: FromPath[str]) -> Template:
        article = BY_SLUG.get(slug)
        if article is None:
            raise NotFoundException()
        return Template("public/article.html", context={"article": article})


class TinQuery(msgspec.Struct, kw_only=True):
    """纳税人识别号 + 图形验证码."""

    tin: Annotated[str, msgspec.Meta(title="纳税人识别号", max_length=40)] = ""
    captcha: Annotated[str, msgspec.Meta(title="验证码", max_length=10)] = ""

    def problems(self) -> dict[str, str]:
        problem = tin_problem(normalise_code(self.tin))
        return {"tin": problem} if problem else {}


async def _tin_query(request: Request[Any, Any, Any], form_name: str, template: str) -> Template:
    form, errors = await read_form(request, TinQuery)
    raw_tin = str((await request.form()).get("tin", ""))[:40]
    if form is not None:
        problem = check_captcha(request, form_name, form.captcha)
        if problem:
            errors = {"captcha": problem}
    else:
        check_captcha(request, form_name, "-")  # a failed attempt uses the captcha up
    record = None
    if form is not None and not errors:
        record = await registry.taxpayer_by_tin(normalise_code(form.tin))
        if record is None:
            errors = {"tin": "未查询到该纳税人识别号的登记信息，请核对后重新输入"}
    return Template(
        template,
        context={"errors": errors, "tin": raw_tin, "record": record, "queried": True},
        status_code=200 if not errors else 400,
    )


class PublicQueryController(Controller):
    """公众查询: 纳税人状态查询 and 一般纳税人资格查询 over the core registry."""

    path = "/public"

    @get("/taxpayer-status", opt={"function": TAXPAYER_STATUS.code})
    async def status_form(self) -> Template:
        return Template("public/taxpayer_status.html", context={"errors": {}, "tin": "", "record": None})

    @post("/taxpayer-status", opt={"function": TAXPAYER_STATUS.code})
    async def status_query(self, request: Request[Any, Any, Any]) -> Template:
        return await _tin_query(request, "taxpayer_status", "public/taxpayer_status.html")

    @get("/general-taxpayer", opt={"function": GENERAL_TAXPAYER.code})
    async def general_form(self) -> Template:
        return Template("public/general_taxpayer.html", context={"errors": {}, "tin": "", "record": None})

    @post("/general-taxpayer", opt={"function": GENERAL_TAXPAYER.code})
    async def general_query(self, request: Request[Any, Any, Any]) -> Template:
        return await _tin_query(request, "general_taxpayer", "public/general_taxpayer.html")
