"""The filing plugin's own table: drafts (暂存) of returns. Declarations live in the platform's ledger."""

from __future__ import annotations

from piccolo.columns import ForeignKey, Text, Timestamptz, Varchar
from piccolo.table import Table

from etax.platform.api import PlatformNow, Taxpayer


class FilingDraft(Table, tablename="filing_draft"):
    """A return saved with 暂存, one per taxpayer, form, period and mode (new or correcting)."""

    key = Varchar(length=120, unique=True)  # "<taxpayer>:<form>:<period>:<declaration number or new>"
    taxpayer = ForeignKey(references=Taxpayer, index=True)
    form_code = Varchar(length=20)
    period = Varchar(length=10)
    correcting = Varchar(length=40, default="")
    lines = Text()  # JSON object of the editable lines as typed
    saved_by = Varchar(length=120)
    saved_at = Timestamptz(default=PlatformNow())
