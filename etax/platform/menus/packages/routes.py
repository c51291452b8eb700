"""``/packages/{id}``: a published 套餐业务, walked step by step (第 2 步 / 共 4 步).

The route is the platform's (declared public); each package is guarded by its own audience through
the platform's access decision (an enterprise package sends anonymous visitors to the login page and
refuses natural persons). Each step then says whether the visitor may open its function, and the
function's own route decides.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, QueryParameter
from litestar.response import Template

from etax.platform import access
from etax.platform.menus.packages.forms import MAX_STEPS
from etax.platform.menus.packages.model import package
from etax.platform.menus.packages.view import walk
from etax.platform.runtime import get_runtime

Step = Annotated[int, QueryParameter(ge=1, le=MAX_STEPS + 1)]


@get("/packages/{package_id:int}", name="package", cache=False)
async def package_page(
    request: Request[Any, Any, Any], package_id: FromPath[int], step: Step = 1
) -> Template:
    """The package's steps with the current one opened; ``step`` = total + 1 is the summary."""
    record = await package(package_id)
    if record is None or not record.published:
        raise NotFoundException("该套餐不存在或已被撤回")
    runtime = get_runtime(request.app)
    principal = await runtime.principal_of(request)
    await access.require(
        request, access.decide_audiences(principal, access.menu_audiences(record.audience)), "该套餐业务"
    )
    return Template("menus/package.html", context={"walk": walk(runtime.registry, principal, record, step)})


PACKAGE_ROUTE_HANDLERS: list[Any] = [package_page]
