"""Password hashing (argon2id, off the event loop, bounded concurrency) and strength rules."""

from __future__ import annotations

import asyncio
import re

import anyio.to_thread
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

RESET_PASSWORD = "111111"  # what 重置密码 sets (the seed); the account must change it at next login

_hasher = PasswordHasher()  # argon2id with the library's defaults (~64 MiB, a few hundred ms)
_slots = asyncio.Semaphore(4)  # at most this many hashes at once per worker: bounds memory under load


async def hash_password(password: str) -> str:
    """An argon2id hash of ``password``, computed in a worker thread."""
    async with _slots:
        return await anyio.to_thread.run_sync(_hasher.hash, password)


async def verify_password(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``password_hash`` (False for an empty or malformed hash)."""
    if not password_hash:
        return False

    def _verify() -> bool:
        try:
            return _hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    async with _slots:
        return await anyio.to_thread.run_sync(_verify)


def password_problem(password: str, *, old: str = "") -> str | None:
    """Why ``password`` is too weak for a new password, or None.

    Rules: 8 to 20 characters; at least two of letters, digits and symbols; not a run of one
    character; not the reset password 111111; different from the old one.
    """
    if not 8 <= len(password) <= 20:
        return "密码长度应为8至20位"
    if re.search(r"\s", password):
        return "密码不能包含空格"
    kinds = sum(bool(re.search(pattern, password)) for pattern in (r"[A-Za-z]", r"\d", r"[^A-Za-z\d]"))
    if kinds < 2:
        return "密码须至少包含字母、数字、符号中的两种"
    if len(set(password)) == 1 or password == RESET_PASSWORD:
        return "密码过于简单，请重新设置"
    if old and password == old:
        return "新密码不能与旧密码相同"
    return None
