"""Opaque, signed pagination cursors bound to one list, one scope (taxpayer) and one set of filters.

A cursor is ``<payload>.<signature>``, both base64url: the payload names the list, the scope, a
fingerprint of the filters, the direction and the sort-key values of the row to seek from; the
signature is an HMAC-SHA256 with the application's secret key. A visitor can bookmark a cursor but
cannot forge or alter one, and a cursor made for another list or another taxpayer is refused with a
message instead of being followed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Sequence
from typing import Any

import msgspec

SIGNATURE_BYTES = 16
MAX_CURSOR = 1000


class CursorPayload(msgspec.Struct, frozen=True, array_like=True):
    listing: str
    scope: str
    fingerprint: str
    backward: bool
    key: list[Any]


class CursorError(Exception):
    """A cursor that cannot be followed; ``str(error)`` is the Chinese message for the visitor."""


def fingerprint(params: Sequence[tuple[str, str]]) -> str:
    """A short digest of the canonical filters."""
    return hashlib.sha256(msgspec.json.encode(list(params))).hexdigest()[:16]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(secret: str, payload: str) -> str:
    return _b64(hmac.new(secret.encode(), payload.encode(), hashlib.sha256).digest()[:SIGNATURE_BYTES])


def encode_cursor(secret: str, payload: CursorPayload) -> str:
    body = _b64(msgspec.json.encode(payload))
    return f"{body}.{_sign(secret, body)}"


def decode_cursor(secret: str, cursor: str, *, listing: str, scope: str, filters: str) -> CursorPayload:
    """The payload of a cursor made for this list, scope and filters; :class:`CursorError` otherwise."""
    body, _, signature = cursor.partition(".")
    if len(cursor) > MAX_CURSOR or not body or not hmac.compare_digest(signature, _sign(secret, body)):
        raise CursorError("翻页链接无效或已被修改，已为您显示第一页")
    try:
        payload = msgspec.json.decode(_unb64(body), type=CursorPayload)
    except (ValueError, msgspec.DecodeError) as error:  # pragma: no cover - signed by us
        raise CursorError("翻页链接无效，已为您显示第一页") from error
    if payload.listing != listing:
        raise CursorError("该翻页链接属于其他查询，不能在本查询中使用，已为您显示第一页")
    if payload.scope != scope:
        raise CursorError("该翻页链接属于其他纳税人，不能使用，已为您显示第一页")
    if payload.fingerprint != filters:
        raise CursorError("查询条件已改变，已为您显示第一页")
    return payload
