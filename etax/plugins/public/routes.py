"""Routes of the public-service plugin, each bound to one of its functions."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, QueryParameter
from litestar.response import Template

from etax.platform.api import (
    Pager,
    Principal,
    RecordId,
    Visitor,
    announcement_audiences,
    check_captcha,
    count_announcements,
    get_announcement,
    is_resident_id,
    list_announcements,
    lookup_code_problem,
    mask_id_number,
    mask_name,
    normalise_code,
    read_form,
    registry,
    submitted,
    submitted_text,
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
        pager = Pager.at(page, total=total, size=PAGE_SIZE)
        items = await list_announcements(limit=pager.size, offset=pager.offset, audiences=audiences)
        return Template("public/announcements.html", context={"items": items, "pager": pager})

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
    """纳税人识别号 (or, for individual businesses and natural persons, 居民身份证号码) + 图形验证码."""

    tin: Annotated[str, msgspec.Meta(title="纳税人识别号或居民身份证号码", max_length=40)] = ""
    captcha: Annotated[str, msgspec.Meta(title="验证码", max_length=10)] = ""

    def problems(self) -> dict[str, str]:
        problem = lookup_code_problem(normalise_code(self.tin))
        return {"tin": problem} if problem else {}


class StatusResult(msgspec.Struct, frozen=True, kw_only=True):
    """What a public query shows about one taxpayer (an enterprise, individual business or person)."""

    tin: str
    name: str
    status: str
    tax_office: str
    taxpayer_type: str
    general_since: dt.date | None = None
    is_person: bool = False


async def _lookup(code: str, *, persons: bool) -> StatusResult | None:
    """The taxpayer registered under ``code`` (a 纳税人识别号, or the ID number an individual
    business is registered under); with ``persons``, a natural person by ID number as well."""
    record = await registry.taxpayer_by_tin(code)
    if record is not None:
        return StatusResult(
            tin=record.tin,
            name=record.name,
            status=record.status,
            tax_office=record.tax_office,
            taxpayer_type=record.taxpayer_type,
            general_since=record.general_since,
        )
    if persons and is_resident_id(code):
        person = await registry.person_by_id_number(code)
        if person is not None:
            return StatusResult(
                tin=mask_id_number(code),
                name=mask_name(person.name),
                status="正常" if person.real_name_collected else "未完成实名采集",
                tax_office="",
                taxpayer_type="自然人",
                is_person=True,
            )
    return None


async def _tin_query(request: Request[Any, Any, Any], form_name: str, template: str) -> Template:
    form, errors = await read_form(request, TinQuery)
    raw_tin = submitted_text(await submitted(request), "tin", 40)
    if form is not None:
        problem = check_captcha(request, form_name, form.captcha)
        if problem:
            errors = {"captcha": problem}
    else:
        check_captcha(request, form_name, "-")  # a failed attempt uses the captcha up
    record = None
    if form is not None and not errors:
        code = normalise_code(form.tin)
        record = await _lookup(code, persons=form_name == "taxpayer_status")
        if record is None:
            errors = {
                "tin": "未查询到以该居民身份证号码登记的纳税人，请核对后重新输入"
                if is_resident_id(code)
                else "未查询到该纳税人识别号的登记信息，请核对后重新输入"
            }
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
