"""Issued certificates (the ``etax_certificates`` Piccolo app)."""

from __future__ import annotations

from piccolo.columns import ForeignKey, Serial, Text, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.table import Table

from etax.platform.coresys.tables import Taxpayer
from etax.platform.db.defaults import PlatformNow


class CertificateRow(Table, tablename="certificates_certificate"):
    """One issued certificate: its number, verification code and content (JSON) as issued."""

    id = Serial(primary_key=True)
    number = Varchar(length=24, unique=True)
    code = Varchar(length=16)  # the verification code printed on the certificate
    kind = Varchar(length=20, index=True)
    taxpayer = ForeignKey(references=Taxpayer, index=True, null=True, on_delete=OnDelete.set_null)
    taxpayer_name = Varchar(length=200)
    taxpayer_tin = Varchar(length=20)
    content = Text()
    issued_by = Varchar(length=120)
    issued_at = Timestamptz(default=PlatformNow(), index=True)
    key = Varchar(length=80, unique=True)  # idempotency key of the issuing request
