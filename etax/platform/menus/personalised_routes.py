"""The 个性化办税 centre page (``/menu/个性化办税`` and its three sections), served by the menus plugin.

It shows the bureau's compositions, so it belongs to menus rather than the core's generic menu page; the
route is bound to 套餐业务, a function every visitor holds.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.exceptions import NotFoundException
from litestar.response import Template

from etax.platform.context import Visitor
from etax.platform.menus import personalised
from etax.platform.menus.packages.routes import PACKAGES
from etax.platform.runtime import get_runtime


@get(
    [f"/menu/{personalised.CENTRE}", f"/menu/{personalised.CENTRE}/{{section:str}}"],
    name="personalised",
    opt={"function": PACKAGES.code},
    cache=False,
)
async def personalised_page(request: Request[Any, Any, Any], visitor: Visitor, section: str = "") -> Template:
    """套餐及组合业务, 特色业务 and 定制业务 as this visitor may see them (one section, or all three)."""
    if section and section not in personalised.SECTIONS:
        raise NotFoundException()
    view = await personalised.personalised(get_runtime(request.app).registry, visitor, section)
    trail = [personalised.CENTRE, section] if section else [personalised.CENTRE]
    return Template("menus/personalised.html", context={"view": view, "trail": trail})
