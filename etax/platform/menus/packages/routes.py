"""套餐业务 pages: ``/packages`` (the packages the visitor may open) and ``/packages/{id}`` (one package,
walked step by step: 第 2 步 / 共 4 步).

Both are bound to the function 套餐业务 (open to everyone); each package is then guarded by its own
audience through the platform's access decision (an enterprise package sends anonymous visitors to
the login page and refuses natural persons). Each step says whether the visitor may open its
function, and the function's own route decides.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get
from litestar.exceptions import NotFoundException
from litestar.params import QueryParameter
from litestar.response import Template

from etax.platform import access
from etax.platform.context import Visitor
from etax.platform.functions import Audience, FunctionSpec
from etax.platform.ids import RecordId
from etax.platform.menus.packages.forms import MAX_STEPS
from etax.platform.menus.packages.model import package
from etax.platform.menus.packages.search import refresh_before_request
from etax.platform.menus.packages.view import home_packages, walk
from etax.platform.runtime import get_runtime

PACKAGES = FunctionSpec(
    code="menus.packages",
    name="套餐业务",
    path=("个性化办税", "套餐及组合业务", "套餐业务"),
    url="/packages",
    keywords=("套餐", "组合业务", "一站式", "套餐办理"),
    initials=("tcyw",),
    audiences=frozenset({Audience.PUBLIC}),
    grant="everyone",
    description="税务机关编排的套餐业务：把一件事涉及的多个功能按顺序组合，逐步办理。",
)

Step = Annotated[int, QueryParameter(ge=1, le=MAX_STEPS + 1)]


class PackageController(Controller):
    """The packages list and one package's walk."""

    path = PACKAGES.url
    opt = {"function": PACKAGES.code}

    @get("/", cache=False, before_request=refresh_before_request)
    async def listing(self, request: Request[Any, Any, Any], visitor: Visitor) -> Template:
        """The published packages the visitor may open, their own audience's first."""
        items = await home_packages(get_runtime(request.app).registry, visitor)
        return Template("menus/packages.html", context={"items": items})

    @get("/{package_id:int}", name="package", cache=False, before_request=refresh_before_request)
    async def package_page(
        self, request: Request[Any, Any, Any], visitor: Visitor, package_id: RecordId, step: Step = 1
    ) -> Template:
        """The package's steps with the current one opened; ``step`` = total + 1 is the summary."""
        record = await package(package_id)
        if record is None or not record.published:
            raise NotFoundException("该套餐不存在或已被撤回")
        decision = access.decide_audiences(visitor, access.menu_audiences(record.audience))
        await access.require(request, decision, "该套餐业务")
        runtime = get_runtime(request.app)
        return Template("menus/package.html", context={"walk": walk(runtime.registry, visitor, record, step)})
