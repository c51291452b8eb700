"""管理员账户 (系统管理员): the administrators, deactivation and reactivation, lifting a lockout.

Accounts are created on the command line (``etax admin create``); a deactivated administrator is
logged out at the next request (the guard re-reads the account every time).
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.response import Redirect, Template

from etax.platform import audit
from etax.platform.admin import accounts
from etax.platform.admin.common import set_notice
from etax.platform.admin.forms import ActiveForm
from etax.platform.admin.rendering import admin_page, page_admin
from etax.platform.admin.roles import ADMIN_ROLE_OPT
from etax.platform.forms import read_form
from etax.platform.ids import RecordId

LIST_URL = "/admin/accounts"


class AccountAdmin(Controller):
    """/admin/accounts — 系统管理员 only."""

    path = "/accounts"
    opt = {ADMIN_ROLE_OPT: "system"}

    @get("/", name="admin_accounts", cache=False)
    async def listing(self, request: Request[Any, Any, Any]) -> Template:
        return admin_page(request, "admin/accounts.html", {"accounts": await accounts.list_admins()})

    @post("/{admin_id:int}/active", name="admin_account_active")
    async def set_active(self, request: Request[Any, Any, Any], admin_id: RecordId) -> Redirect:
        """停用 or 启用 an administrator (never oneself: someone must stay able to log in)."""
        admin = page_admin(request)
        assert admin is not None  # the guard let only a logged-in administrator through
        form, errors = await read_form(request, ActiveForm)
        if form is None:
            set_notice(request, next(iter(errors.values())), error=True)
            return Redirect(LIST_URL, status_code=303)
        active = form.active == "1"
        if admin_id == admin.id and not active:
            set_notice(request, "不能停用自己的账户", error=True)
            return Redirect(LIST_URL, status_code=303)
        if not await accounts.set_active(admin_id, active):
            raise NotFoundException("该管理员不存在")
        await audit.record(
            actor=admin.actor,
            action="admin.account.activate" if active else "admin.account.deactivate",
            outcome="success",
            connection=request,
            target=f"admin:{admin_id}",
        )
        set_notice(request, "账户已启用" if active else "账户已停用，该管理员已被登出")
        return Redirect(LIST_URL, status_code=303)

    @post("/{admin_id:int}/unlock", name="admin_account_unlock")
    async def unlock(self, request: Request[Any, Any, Any], admin_id: RecordId) -> Redirect:
        """解除锁定: forget the wrong passwords counted so far."""
        admin = page_admin(request)
        assert admin is not None  # the guard let only a logged-in administrator through
        if not await accounts.unlock(admin_id):
            raise NotFoundException("该管理员不存在")
        await audit.record(
            actor=admin.actor,
            action="admin.account.unlock",
            outcome="success",
            connection=request,
            target=f"admin:{admin_id}",
        )
        set_notice(request, "已解除锁定")
        return Redirect(LIST_URL, status_code=303)
