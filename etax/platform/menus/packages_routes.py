"""``/packages/{id}``: a published 套餐业务, walked step by step (第 2 步 / 共 4 步).

The page belongs to the platform, not to a function: anyone may open a published package; each
step then says whether the visitor may open its function, and the function's own route decides.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, get
from litestar.exceptions import NotFoundException
from litestar.params import QueryParameter
from litestar.response import Template

from etax.platform.ids import RecordId
from etax.platform.menus.packages import package
from etax.platform.menus.packages_forms import MAX_STEPS
from etax.platform.menus.packages_view import walk
from etax.platform.runtime import get_runtime

Step = Annotated[int, QueryParameter(ge=1, le=MAX_STEPS + 1)]


@get("/packages/{package_id:int}", name="package", cache=False)
async def package_page(request: Request[Any, Any, Any], package_id: RecordId, step: Step = 1) -> Template:
    """The package's steps with the current one opened; ``step`` = total + 1 is the summary."""
    record = await package(package_id)
    if record is None or not record.published:
        raise NotFoundException("该套餐不存在或已被撤回")
    runtime = get_runtime(request.app)
    principal = await runtime.principal_of(request)
    return Template("menus/package.html", context={"walk": walk(runtime.registry, principal, record, step)})


PACKAGE_ROUTE_HANDLERS: list[Any] = [package_page]
