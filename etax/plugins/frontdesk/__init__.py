"""办税服务厅前台 (the bureau's front desk, back office, role 前台办税员): 实名采集 of a person, 新办纳税人登记
in the core registry with its 税费种认定 in the ledger, 开户 with a printable 《电子税务局办税用户注册凭证》
carrying the 企业登录密码, and 柜台密码重置 — so new enterprises and people exist without the demo loader.

The pages write through the platform's front-desk registry service (``api.frontdesk``) and the ledger;
the plain enterprise password is shown once, on the printed voucher, and never stored or logged.
"""

from __future__ import annotations

from pathlib import Path

from litestar.types import ControllerRouterHandler

from etax.platform.api import NavItem, hookimpl
from etax.plugins.frontdesk.routes import FrontDeskController


@hookimpl
def etax_admin_route_handlers() -> list[ControllerRouterHandler]:
    return [FrontDeskController]


@hookimpl
def etax_admin_nav() -> list[NavItem]:
    return [
        NavItem(
            label="办税服务厅前台",
            url="/admin/frontdesk",
            requirement="frontdesk",
            description="实名采集、新办纳税人登记、开户（注册凭证）和柜台密码重置。",
        )
    ]


@hookimpl
def etax_template_dirs() -> list[str]:
    return [str(Path(__file__).parent / "templates")]
