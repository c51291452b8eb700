"""税费申报及缴纳: returns declared as data and computed by one engine, filed on the platform's ledger.

- ``engine`` / ``forms``: the returns (增值税一般纳税人, 小规模纳税人, 企业所得税预缴 A类, 财产和行为税合并申报)
  declared once as data; one engine computes, validates and lays them out;
- ``policy.toml``: rates, thresholds and reliefs as dated data;
- ``etax forms compute``: the engine on the command line (hook ``etax_cli_commands``).
"""

from __future__ import annotations

from etax.platform.api import CliCommand, hookimpl
from etax.plugins.filing.cli import COMPUTE


@hookimpl
def etax_cli_commands() -> list[CliCommand]:
    return [COMPUTE]
