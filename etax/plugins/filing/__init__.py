"""税费申报及缴纳: returns declared as data and computed by one engine, filed on the platform's ledger.

- ``engine`` / ``forms``: the returns (增值税一般纳税人, 小规模纳税人, 企业所得税预缴 A类, 财产和行为税合并申报)
  declared once as data; one engine computes, validates and lays them out;
- ``policy.toml``: rates, thresholds and reliefs as dated data;
- ``service``: checks before filing, pre-fill (发票 through ``api.invoice_figures``, 系统带出 from the
  ledger), drafts (暂存) and the ledger requests of a computed return;
- ``routes``: the return pages (htmx recompute, 预览, 提交, 回执), 申报记录查询或作废, 更正申报, 逾期申报;
- ``todo``: 我的待办 entries for every return due;
- ``etax forms compute``: the engine on the command line (hook ``etax_cli_commands``);
- ``payment``: 网签三方协议, 税款缴纳, 开具税收完税证明 (its functions, routes and templates are included
  in this plugin's hooks below).
"""

from __future__ import annotations

from pathlib import Path

from litestar.types import ControllerRouterHandler

from etax.platform.api import CliCommand, FunctionSpec, MessageSource, StaticDir, hookimpl
from etax.plugins.filing import payment
from etax.plugins.filing.cli import COMPUTE
from etax.plugins.filing.functions import FUNCTIONS
from etax.plugins.filing.routes import ROUTE_HANDLERS
from etax.plugins.filing.todo import ReturnsDue

HERE = Path(__file__).parent


@hookimpl
def etax_functions() -> list[FunctionSpec]:
    return [*FUNCTIONS, *payment.FUNCTIONS]


@hookimpl
def etax_route_handlers() -> list[ControllerRouterHandler]:
    return [*ROUTE_HANDLERS, *payment.ROUTES]


@hookimpl
def etax_template_dirs() -> list[str]:
    return [str(HERE / "templates"), *payment.TEMPLATE_DIRS]


@hookimpl
def etax_static_dirs() -> list[StaticDir]:
    return [StaticDir(name="filing", directory=str(HERE / "static"))]


@hookimpl
def etax_piccolo_apps() -> list[str]:
    return ["etax.plugins.filing.piccolo_app"]


@hookimpl
def etax_message_sources() -> list[MessageSource]:
    return [ReturnsDue()]


@hookimpl
def etax_cli_commands() -> list[CliCommand]:
    return [COMPUTE]
