"""Why a login that was valid has ended mid-session, so the visitor is told rather than silently sent
to the login page. The principal is re-read on every request; when the session still holds a login
but the principal no longer resolves, :func:`ended_login_notice` names the reason (a key of the login
page's notices) and the session is cleared.
"""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection

from etax.platform.auth.principal import session_auth
from etax.platform.auth.tables import StaffMember

FROZEN = "frozen"
FROZEN_NOTICE = (
    "您的办税人员身份已被企业冻结，本次登录已结束。"
    "如需继续办税，请联系企业法定代表人或财务负责人在【企业人员维护】中为您解冻。"
)
ENDED_STATE = "etax_login_ended"


async def ended_login_notice(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    """The notice key when the session's login has ended because the staff member was frozen."""
    if ENDED_STATE in connection.state:
        value = connection.state[ENDED_STATE]
        return str(value) if value else None
    auth = session_auth(connection)
    reason: str | None = None
    if auth is not None and auth.staff_id is not None:
        row = await StaffMember.select(StaffMember.frozen).where(StaffMember.id == auth.staff_id).first()
        if row is not None and row["frozen"]:
            reason = FROZEN
    connection.state[ENDED_STATE] = reason or ""
    return reason


def login_url_with_notice(url: str, notice: str | None) -> str:
    """``url`` (a ``/login?next=…`` address) carrying the notice key."""
    if not notice:
        return url
    return url + ("&" if "?" in url else "?") + f"notice={notice}"
