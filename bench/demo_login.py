"""The demo enterprise's 普通登录 walk for the bench scripts: 和信's company password, then 张伟 with his
personal password (the server runs in dev mode with ``ETAX_CAPTCHA_TEST_ANSWER=TEST`` and the demo world).

One walk, two drivers: :func:`log_in` for ``httpx.Client`` and :func:`log_in_async` for
``httpx.AsyncClient`` (over HTTP or in-process through ``httpx.ASGITransport``). Each answers whether the
walk ended logged in; the session is in the client's cookies.
"""

from __future__ import annotations

import re

import httpx

STAFF_OPTION = re.compile(r'value="(\d+)"[^>]*><span class="person-name">张\*')
DONE = (302, 303)


def enterprise_form(token: str) -> dict[str, str]:
    from etax.platform.demo import TAXPAYERS

    return {
        "tin": str(TAXPAYERS[0]["tin"]),
        "password": "Hexin@2026",
        "captcha": "TEST",
        "agree": "on",
        "next": "/",
        "_csrf_token": token,
    }


def staff_form(staff_page: str, token: str) -> dict[str, str] | None:
    """张伟's choice on the staff page, or None when the page does not list him."""
    match = STAFF_OPTION.search(staff_page)
    return None if match is None else {"staff": match.group(1), "method": "password", "_csrf_token": token}


def password_form(token: str) -> dict[str, str]:
    return {"password": "Zhangwei@2026", "_csrf_token": token}


def log_in(client: httpx.Client) -> bool:
    client.get("/login")
    token = client.cookies.get("etax_csrf") or ""
    step = client.post("/login/enterprise", data=enterprise_form(token), follow_redirects=False)
    staff = staff_form(client.get("/login/enterprise/staff").text, token)
    if step.status_code not in DONE or staff is None:
        return False
    client.post("/login/enterprise/staff", data=staff, follow_redirects=False)
    done = client.post("/login/enterprise/password", data=password_form(token), follow_redirects=False)
    return done.status_code in DONE


async def log_in_async(client: httpx.AsyncClient) -> bool:
    await client.get("/login")
    token = client.cookies.get("etax_csrf") or ""
    step = await client.post("/login/enterprise", data=enterprise_form(token), follow_redirects=False)
    staff = staff_form((await client.get("/login/enterprise/staff")).text, token)
    if step.status_code not in DONE or staff is None:
        return False
    await client.post("/login/enterprise/staff", data=staff, follow_redirects=False)
    done = await client.post("/login/enterprise/password", data=password_form(token), follow_redirects=False)
    return done.status_code in DONE
