"""Graphic captchas (图形验证码): the answer stays server-side in the session, one use, expiring."""

from __future__ import annotations

import secrets
import time
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from captcha.image import ImageCaptcha

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
LENGTH = 4
LIFETIME_SECONDS = 300
SESSION_KEY = "captcha"


@cache
def _image() -> ImageCaptcha:
    """The image drawer, made at the first captcha shown (Pillow is not loaded at start-up)."""
    from captcha.image import ImageCaptcha

    return ImageCaptcha(width=120, height=44, font_sizes=(30, 34, 36))


def _store(session: dict[str, Any]) -> dict[str, Any]:
    store = session.get(SESSION_KEY)
    if not isinstance(store, dict):
        store = {}
    return store


def new_challenge(session: dict[str, Any], form: str) -> bytes:
    """Create a new answer for ``form``, keep it in the session, and return the PNG to show."""
    answer = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    store = _store(session)
    store[form] = {"answer": answer, "expires": time.time() + LIFETIME_SECONDS}
    session[SESSION_KEY] = store
    return _image().generate(answer).getvalue()


def check(session: dict[str, Any], form: str, given: str, test_answer: str = "") -> str | None:
    """Check and consume the answer for ``form``; return a Chinese error message or None when right.

    ``test_answer`` is the dev-mode ``ETAX_CAPTCHA_TEST_ANSWER`` (settings refuse it in production).
    """
    given = given.strip().upper()
    if not given:
        return "请输入验证码"
    if test_answer and given == test_answer.upper():
        return None
    store = _store(session)
    entry = store.pop(form, None)
    session[SESSION_KEY] = store
    if not isinstance(entry, dict):
        return "验证码已失效，请点击图片刷新后重新输入"
    if float(entry.get("expires", 0)) < time.time():
        return "验证码已过期，请点击图片刷新后重新输入"
    if not secrets.compare_digest(str(entry.get("answer", "")), given):
        return "验证码错误，请重新输入"
    return None
