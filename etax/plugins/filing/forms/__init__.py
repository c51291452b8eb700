"""Every return the filing plugin knows, declared once as data (see :mod:`etax.plugins.filing.engine`)."""

from __future__ import annotations

from etax.plugins.filing.engine import EngineError, FormSpec
from etax.plugins.filing.forms.cit import CIT_PREPAY
from etax.plugins.filing.forms.property_behaviour import PROPERTY_BEHAVIOUR
from etax.plugins.filing.forms.vat_general import VAT_GENERAL
from etax.plugins.filing.forms.vat_small import VAT_SMALL

FORMS: dict[str, FormSpec] = {
    form.code: form for form in (VAT_GENERAL, VAT_SMALL, CIT_PREPAY, PROPERTY_BEHAVIOUR)
}
# Short names for the command line (``etax forms compute vat-general ...``).
ALIASES: dict[str, str] = {
    "vat-general": VAT_GENERAL.code,
    "vat-small": VAT_SMALL.code,
    "cit": CIT_PREPAY.code,
    "property-behaviour": PROPERTY_BEHAVIOUR.code,
}


def form_named(name: str) -> FormSpec:
    """The form with code or short name ``name``."""
    code = ALIASES.get(name, name).upper()
    form = FORMS.get(code)
    if form is None:
        known = "、".join(f"{alias}（{code}）" for alias, code in ALIASES.items())
        raise EngineError(f"没有申报表“{name}”，可用：{known}")
    return form


__all__ = ["ALIASES", "CIT_PREPAY", "FORMS", "PROPERTY_BEHAVIOUR", "VAT_GENERAL", "VAT_SMALL", "form_named"]
