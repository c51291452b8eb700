"""Payment pages of the filing plugin: 网签三方协议, 税款缴纳, 开具税收完税证明（表格式）.

The logic lives in the platform (``api.ledger``: agreements, unpaid items with 滞纳金, ``pay`` with one
deduction per key; ``api.certificates``: numbered, verifiable certificates). The filing plugin's hooks
include what this package lists:

- ``FUNCTIONS`` — its function declarations (``etax_functions``);
- ``ROUTES`` — its controllers (``etax_route_handlers``);
- ``TEMPLATE_DIRS`` — its template directory (``etax_template_dirs``).
"""

from __future__ import annotations

from pathlib import Path

from etax.plugins.filing.payment.functions import AGREEMENT, FUNCTIONS, PAYMENT, TAX_CERTIFICATE
from etax.plugins.filing.payment.routes import ROUTES

TEMPLATE_DIRS: tuple[str, ...] = (str(Path(__file__).parent / "templates"),)

__all__ = ["AGREEMENT", "FUNCTIONS", "PAYMENT", "ROUTES", "TAX_CERTIFICATE", "TEMPLATE_DIRS"]
