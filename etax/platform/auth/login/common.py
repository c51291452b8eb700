"""Helpers shared by the login paths: in-progress login state, ``next`` targets, masking, captcha."""

from __future__ import annotations

import re
import time
from typing import Any, Literal

import msgspec
from litestar import Request

from etax.platform import audit, captcha, clock
from etax.platform.auth.sessions import rotate_session_id
from etax.platform.runtime import get_runtime

FLOW_KEY = "login_flow"
NEXT_KEY = "login_next"
FLOW_LIFETIME_SECONDS = 15 * 60
BEIJING = clock.BEIJING
MOBILE_PATTERN = re.compile(r"^1[3-9]\d{9}$")

FlowKind = Literal["enterprise", "agency", "quick", "register", "np_recover", "ent_recover"]


class LoginFlow(msgspec.Struct, kw_only=True):
    """A login (or registration, or recovery) in progress, kept server-side in the session.

    Ids here were established by the server after a check; forms never carry them.
    """

    kind: FlowKind
    started: float
    taxpayer_id: int | None = None
    staff_id: int | None = None
    person_id: int | None = None
    account_id: int | None = None
    mobile: str = ""
    next: str = "/"


async def start_flow(request: Request[Any, Any, Any], flow: LoginFlow) -> None:
    """Remember ``flow`` (replacing any earlier flow of the same kind) under a new session id.

    A flow starts after a check the visitor passed (a password, an identity, a code): the session
    now carries more than before, so it continues under an id no one could have planted.
    """
    await rotate_session_id(request)
    _store_flow(request, flow)


def _store_flow(request: Request[Any, Any, Any], flow: LoginFlow) -> None:
    flows = request.session.get(FLOW_KEY)
    flows = dict(flows) if isinstance(flows, dict) else {}
    flows[flow.kind] = msgspec.to_builtins(flow)
    request.session[FLOW_KEY] = flows


def get_flow(request: Request[Any, Any, Any], kind: FlowKind) -> LoginFlow | None:
    """The flow of ``kind`` if one was started and has not expired."""
    flows = request.session.get(FLOW_KEY)
    data = flows.get(kind) if isinstance(flows, dict) else None
    if data is None:
        return None
    try:
        flow = msgspec.convert(data, LoginFlow)
    except msgspec.ValidationError:
        return None
    if flow.kind != kind or time.time() - flow.started > FLOW_LIFETIME_SECONDS:
        clear_flow(request, kind)
        return None
    return flow


def update_flow(request: Request[Any, Any, Any], flow: LoginFlow, **changes: Any) -> LoginFlow:
    """Store ``flow`` with ``changes`` applied and return it."""
    updated = msgspec.structs.replace(flow, **changes)
    _store_flow(request, updated)
    return updated


def clear_flow(request: Request[Any, Any, Any], kind: FlowKind) -> None:
    flows = request.session.get(FLOW_KEY)
    if isinstance(flows, dict) and kind in flows:
        flows = dict(flows)
        del flows[kind]
        request.session[FLOW_KEY] = flows


def new_flow(kind: FlowKind, **values: Any) -> LoginFlow:
    return LoginFlow(kind=kind, started=time.time(), **values)


def safe_next(value: str | None) -> str:
    """A local path to return to after login; anything else (other sites, login pages) becomes ``/``."""
    if not value or not value.startswith("/") or value.startswith("//") or len(value) > 500:
        return "/"
    if "\\" in value or any(ord(ch) < 32 for ch in value):
        return "/"
    if value.startswith(("/login", "/logout", "/dev/")):
        return "/"
    return value


def is_mobile(text: str) -> bool:
    """Whether ``text`` is a mainland mobile number (11 digits starting 13–19)."""
    return bool(MOBILE_PATTERN.match(text.strip()))


beijing_time = clock.beijing_minute


def check_captcha(request: Request[Any, Any, Any], form_name: str, given: str) -> str | None:
    """Check and consume the graphic captcha of ``form_name`` (the dev test answer counts in dev mode)."""
    settings = get_runtime(request.app).settings
    test_answer = "" if settings.production else settings.captcha_test_answer
    return captcha.check(request.session, form_name, given, test_answer)


def spend_captcha(request: Request[Any, Any, Any], form_name: str) -> None:
    """Use up the captcha of ``form_name`` after a form that failed before the captcha was read."""
    captcha.check(request.session, form_name, "-", "")


def client_ip(request: Request[Any, Any, Any]) -> str:
    return audit.client_ip(request)


def production(request: Request[Any, Any, Any]) -> bool:
    return get_runtime(request.app).settings.production
