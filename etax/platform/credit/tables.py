"""纳税信用评价 results, one row per taxpayer and year (re-evaluating a year replaces its row)."""

from __future__ import annotations

from piccolo.columns import ForeignKey, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table

from etax.platform.coresys.tables import Taxpayer
from etax.platform.db.defaults import PlatformNow


class CreditEvaluation(Table, tablename="credit_evaluation"):
    id = Serial(primary_key=True)
    key = Varchar(length=30, unique=True)  # "<taxpayer>:<year>"
    taxpayer = ForeignKey(references=Taxpayer, index=True)
    year = Integer()
    score = Integer()
    level = Varchar(length=2)  # CreditLevel
    deductions = Text(default="[]")  # JSON list of {"reason", "points"}
    evaluated_by = Varchar(length=120)
    evaluated_at = Timestamptz(default=PlatformNow())
