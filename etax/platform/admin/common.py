"""Small helpers of the back office: time zone, unique violations, submission tokens, notices."""

from __future__ import annotations

import secrets

from etax.platform import clock
from etax.platform.web.notices import pop_notice as pop_notice
from etax.platform.web.notices import set_notice as set_notice

BEIJING = clock.BEIJING


beijing = clock.beijing_minute


def submission_token() -> str:
    """A one-time token for a creating form: stored in a unique column, so a form is saved once."""
    return secrets.token_urlsafe(24)
