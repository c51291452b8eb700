"""The bank gateway (税库银 / TIPS): what a real bank connection implements, and a development bank.

:class:`BankGateway` is the interface: verify a 三方协议 and debit an account through it. Both carry
the bureau's request id, and a real connection must be idempotent on it (TIPS transaction serials are).

:class:`DevelopmentBank` answers deterministically by account number, with realistic latency:

- verification fails when the account number ends in ``0`` (户名与账号不符) or the account name
  differs from the taxpayer's name;
- a debit fails when the account number ends in ``4`` (账户余额不足);
- every other request succeeds; latency is 150–450 ms, fixed per request id
  (``ETAX_BANK_LATENCY_MS=0`` turns it off, e.g. for bulk demo data).

The development bank remembers its debits per request id (``debits``), so a replayed request returns
the first answer and the tests can count deductions.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import threading
from decimal import Decimal
from typing import Protocol

import msgspec

BANKS: dict[str, str] = {
    "102": "中国工商银行",
    "103": "中国农业银行",
    "104": "中国银行",
    "105": "中国建设银行",
    "301": "交通银行",
    "308": "招商银行",
    "313": "盛京银行",
}


class VerifyRequest(msgspec.Struct, frozen=True, kw_only=True):
    """验证三方协议: does this account exist under this name at this bank?"""

    request_id: str
    agreement_number: str
    bank_code: str
    account_number: str
    account_name: str
    taxpayer_name: str
    taxpayer_code: str


class DebitRequest(msgspec.Struct, frozen=True, kw_only=True):
    """扣款: debit ``amount`` from the agreement's account."""

    request_id: str  # the payment's idempotency key
    agreement_number: str
    bank_code: str
    account_number: str
    amount: Decimal


class BankAnswer(msgspec.Struct, frozen=True, kw_only=True):
    """The bank's answer: success, its serial number and a message in Chinese."""

    ok: bool
    serial: str
    message: str


class BankGateway(Protocol):
    """A bank connection (through TIPS). Both calls must be idempotent on ``request_id``."""

    async def verify(self, request: VerifyRequest) -> BankAnswer: ...

    async def debit(self, request: DebitRequest) -> BankAnswer: ...


class DevelopmentBank:
    """A deterministic bank for development and tests (see the module docstring)."""

    def __init__(self, latency_ms: int | None = None) -> None:
        env = os.environ.get("ETAX_BANK_LATENCY_MS", "")
        self.latency_ms = latency_ms if latency_ms is not None else (int(env) if env.isdigit() else None)
        self.debits: dict[str, BankAnswer] = {}
        self.debit_calls = 0
        self._lock = threading.Lock()  # loops change between test clients; no await inside

    async def _wait(self, request_id: str) -> None:
        digest = int(hashlib.sha256(request_id.encode()).hexdigest()[:8], 16)
        if self.latency_ms is None:
            delay = 0.15 + (digest % 300) / 1000
        else:
            delay = self.latency_ms / 1000
        if delay > 0:
            await asyncio.sleep(delay)

    @staticmethod
    def _serial(prefix: str, request_id: str) -> str:
        return prefix + hashlib.sha256(request_id.encode()).hexdigest()[:16].upper()

    async def verify(self, request: VerifyRequest) -> BankAnswer:
        await self._wait(request.request_id)
        if request.bank_code not in BANKS:
            return BankAnswer(
                ok=False, serial="", message="该银行暂不支持网签三方协议，请到银行柜台签订纸质协议"
            )
        if request.account_number.endswith("0"):
            return BankAnswer(ok=False, serial="", message="验证失败：账户名称与账号不符")
        if request.account_name.strip() != request.taxpayer_name.strip():
            return BankAnswer(ok=False, serial="", message="验证失败：账户名称与纳税人名称不一致")
        return BankAnswer(ok=True, serial=self._serial("V", request.request_id), message="三方协议验证成功")

    async def debit(self, request: DebitRequest) -> BankAnswer:
        with self._lock:
            known = self.debits.get(request.request_id)
            if known is not None:
                return known
            self.debit_calls += 1
        await self._wait(request.request_id)
        if request.account_number.endswith("4"):
            answer = BankAnswer(ok=False, serial="", message="扣款失败：账户余额不足")
        elif request.amount <= 0:
            answer = BankAnswer(ok=False, serial="", message="扣款失败：扣款金额应大于零")
        else:
            answer = BankAnswer(
                ok=True, serial=self._serial("B", request.request_id), message="三方协议扣款成功"
            )
        self.debits[request.request_id] = answer
        return answer


_gateway: BankGateway = DevelopmentBank()


def bank_gateway() -> BankGateway:
    """The bank gateway in use."""
    return _gateway


def set_bank_gateway(gateway: BankGateway) -> None:
    """Install a bank gateway (a real TIPS connection, or a development bank with other settings)."""
    global _gateway
    _gateway = gateway
