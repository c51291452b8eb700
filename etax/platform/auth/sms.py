"""SMS codes and the gateway that sends them.

Codes are 6 digits, valid 5 minutes, one use, at most 5 tries (each reserved atomically before the
comparison), and a new one for the same
number and purpose can be asked for only after 60 seconds. The bundled development gateway writes
messages to an outbox (table and console); production mode refuses it unless a real gateway is set
with :func:`set_gateway` (e.g. by a plugin's ``etax_startup``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import secrets
from typing import Protocol, runtime_checkable

import msgspec

from etax.platform.auth.tables import SmsCode, SmsOutbox

log = logging.getLogger("etax.sms")

CODE_LIFETIME = dt.timedelta(minutes=5)
RESEND_AFTER = dt.timedelta(seconds=60)
MAX_WRONG_TRIES = 5


@runtime_checkable
class SmsGateway(Protocol):
    """Sends one text message."""

    production_ready: bool

    async def send(self, mobile: str, text: str) -> None: ...


class DevOutboxGateway:
    """Development gateway: the message goes to the outbox table and the console, nowhere else."""

    production_ready = False

    async def send(self, mobile: str, text: str) -> None:
        await SmsOutbox(mobile=mobile, text=text).save()
        log.warning("SMS to %s: %s", mobile, text)


_gateway: SmsGateway = DevOutboxGateway()


def set_gateway(gateway: SmsGateway) -> None:
    """Replace the gateway (a plugin providing a real SMS service calls this at start-up)."""
    global _gateway
    _gateway = gateway


def gateway() -> SmsGateway:
    return _gateway


class SmsError(Exception):
    """A Chinese message for the user."""


def _digest(mobile: str, purpose: str, code: str) -> str:
    return hmac.new(f"{mobile}|{purpose}".encode(), code.encode(), hashlib.sha256).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def send_code(mobile: str, purpose: str, *, production: bool) -> None:
    """Send a new code to ``mobile`` for ``purpose``; raise :class:`SmsError` when refused."""
    if production and not _gateway.production_ready:
        raise SmsError("短信服务未配置，暂时无法发送验证码，请联系主管税务机关")
    latest = (
        await SmsCode.select(SmsCode.sent_at)
        .where((SmsCode.mobile == mobile) & (SmsCode.purpose == purpose))
        .order_by(SmsCode.sent_at, ascending=False)
        .first()
    )
    if latest is not None and _now() - latest["sent_at"] < RESEND_AFTER:
        wait = int((RESEND_AFTER - (_now() - latest["sent_at"])).total_seconds()) + 1
        raise SmsError(f"验证码已发送，请{wait}秒后再重新获取")
    code = f"{secrets.randbelow(1_000_000):06d}"
    await SmsCode(
        mobile=mobile,
        purpose=purpose,
        code_hash=_digest(mobile, purpose, code),
        expires_at=_now() + CODE_LIFETIME,
    ).save()
    await _gateway.send(mobile, f"【电子税务局】您的验证码为{code}，5分钟内有效。请勿泄露给他人。")


async def check_code(mobile: str, purpose: str, code: str) -> str | None:
    """Check and consume a code: None when right, else a Chinese message."""
    code = code.strip()
    if not (len(code) == 6 and code.isdigit()):
        return "请输入6位数字短信验证码"
    row = (
        await SmsCode.select()
        .where((SmsCode.mobile == mobile) & (SmsCode.purpose == purpose) & (SmsCode.used == False))  # noqa: E712
        .order_by(SmsCode.sent_at, ascending=False)
        .first()
    )
    if row is None:
        return "请先获取短信验证码"
    if row["expires_at"] < _now():
        return "短信验证码已过期，请重新获取"
    # Reserve one of the code's tries before comparing: one conditional UPDATE … RETURNING, so of any
    # number of simultaneous requests at most MAX_WRONG_TRIES compare a code.
    tried = (
        await SmsCode.update({SmsCode.attempts: SmsCode.attempts + 1})
        .where(
            (SmsCode.id == row["id"]) & (SmsCode.attempts < MAX_WRONG_TRIES) & (SmsCode.used == False)  # noqa: E712
        )
        .returning(SmsCode.attempts)
    )
    if not tried:
        return "短信验证码错误次数过多，请重新获取"
    if not hmac.compare_digest(row["code_hash"], _digest(mobile, purpose, code)):
        left = MAX_WRONG_TRIES - int(tried[0]["attempts"])
        return f"短信验证码错误，还可尝试{left}次" if left > 0 else "短信验证码错误次数过多，请重新获取"
    # One use: only the request that flips ``used`` wins, even if two arrive at once.
    flipped = (
        await SmsCode.update({SmsCode.used: True}, force=True)
        .where(
            (SmsCode.id == row["id"]) & (SmsCode.used == False)  # noqa: E712
        )
        .returning(SmsCode.id)
    )
    return None if flipped else "短信验证码已使用，请重新获取"


class OutboxRow(msgspec.Struct, frozen=True, kw_only=True):
    """One message the development gateway 'sent'."""

    id: int
    mobile: str
    text: str
    sent_at: dt.datetime


async def outbox(limit: int = 50) -> list[OutboxRow]:
    """The newest development-outbox messages."""
    rows = (
        await SmsOutbox.select(SmsOutbox.id, SmsOutbox.mobile, SmsOutbox.text, SmsOutbox.sent_at)
        .order_by(SmsOutbox.id, ascending=False)
        .limit(limit)
    )
    return [msgspec.convert(row, OutboxRow) for row in rows]
