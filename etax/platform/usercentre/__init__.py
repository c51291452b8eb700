"""用户中心 (user centre): the platform's own functions, registered as a core plugin.

It loads through the same hooks as every plugin: it declares its functions (企业人员维护, 修改密码,
修改企业密码, 代理机构认定管理, 纳税人基本信息) and binds each route to one of them; the platform guard
decides who may open what. Templates live with the core templates under ``usercentre/``.
"""

from __future__ import annotations

from pathlib import Path

from litestar.types import ControllerRouterHandler

from etax.platform import FunctionSpec, StaticDir, hookimpl
from etax.platform.usercentre.agencies import AgencyController
from etax.platform.usercentre.functions import FUNCTIONS
from etax.platform.usercentre.identities import IdentityController
from etax.platform.usercentre.officers import OfficerController
from etax.platform.usercentre.passwords import EnterprisePasswordController, PasswordController
from etax.platform.usercentre.staff import StaffController
from etax.platform.usercentre.taxpayer_info import TaxpayerInfoController

STATIC = Path(__file__).parent / "static"


@hookimpl
def etax_functions() -> list[FunctionSpec]:
    return list(FUNCTIONS)


@hookimpl
def etax_route_handlers() -> list[ControllerRouterHandler]:
    return [
        StaffController,
        IdentityController,
        OfficerController,
        PasswordController,
        EnterprisePasswordController,
        AgencyController,
        TaxpayerInfoController,
    ]


@hookimpl
def etax_static_dirs() -> list[StaticDir]:
    """``function_tree.js`` / ``.css``: a ticked branch ticks everything below it."""
    return [StaticDir(name="usercentre", directory=str(STATIC))]
