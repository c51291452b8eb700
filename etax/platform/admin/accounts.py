"""Administrator accounts: creation (``etax admin create``), the login look-up, status.

The password check itself is the platform's one credential check (:mod:`etax.platform.auth.credentials`,
called by :mod:`etax.platform.admin.login`): 5 wrong passwords lock the account for 30 minutes, with the
count and the lock on the account's own row, reserved before each check.
"""

from __future__ import annotations

import datetime as dt
import re

import msgspec

from etax.platform import clock
from etax.platform.admin.common import beijing
from etax.platform.admin.roles import ROLE_LABELS, ROLES, is_role
from etax.platform.admin.tables import AdminUser
from etax.platform.auth.passwords import hash_password, password_problem
from etax.platform.db.integrity import is_unique_violation

MAX_FAILURES = 5  # the taxpayers' rule (etax.platform.auth.credentials), applied by the same check
USERNAME_PATTERN = re.compile(r"^[a-z][a-z0-9_.-]{2,39}$")
WRONG_CREDENTIALS = "用户名或密码错误"


class AdminAccountError(Exception):
    """An administrator account cannot be created or changed; the message says why, in Chinese."""


class AdminView(msgspec.Struct, frozen=True, kw_only=True):
    """An administrator as pages and the guard see them."""

    id: int
    username: str
    display_name: str
    role: str
    active: bool = True

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)

    @property
    def actor(self) -> str:
        """How the audit log names this administrator."""
        return f"admin:{self.username}"


def account_problems(username: str, display_name: str, role: str, password: str) -> list[str]:
    """What is wrong with a new administrator's details (empty when they are fine)."""
    found: list[str] = []
    if not USERNAME_PATTERN.match(username):
        found.append("用户名须以小写字母开头，由3至40位小写字母、数字、下划线、点或连字符组成")
    if not display_name.strip() or len(display_name.strip()) > 50:
        found.append("请填写姓名（不超过50个字）")
    if not is_role(role):
        found.append(f"角色须为 {'、'.join(f'{r}（{ROLE_LABELS[r]}）' for r in ROLES)} 之一")
    problem = password_problem(password)
    if problem:
        found.append(problem)
    return found


async def create_admin(username: str, display_name: str, role: str, password: str) -> AdminView:
    """Create an administrator; raise :class:`AdminAccountError` for bad details or a taken username."""
    problems = account_problems(username, display_name, role, password)
    if problems:
        raise AdminAccountError("；".join(problems))
    admin = AdminUser(
        username=username,
        display_name=display_name.strip(),
        role=role,
        password_hash=await hash_password(password),
    )
    try:
        await admin.save()
    except Exception as error:
        if is_unique_violation(error):
            raise AdminAccountError(f"用户名 {username} 已被使用") from error
        raise
    return AdminView(id=admin.id, username=username, display_name=admin.display_name, role=role)


def _view(row: dict[str, object]) -> AdminView:
    return msgspec.convert(row, AdminView, strict=False)


VIEW_COLUMNS = (AdminUser.id, AdminUser.username, AdminUser.display_name, AdminUser.role, AdminUser.active)


async def active_admin(admin_id: int) -> AdminView | None:
    """The administrator ``admin_id`` if the account exists and is active."""
    row = (
        await AdminUser.select(*VIEW_COLUMNS)
        .where((AdminUser.id == admin_id) & AdminUser.active.eq(True))
        .first()
    )
    return None if row is None else _view(row)


class AdminAccountRow(AdminView, frozen=True, kw_only=True):
    """An administrator with the status the accounts page shows."""

    locked_until: dt.datetime | None = None
    last_login_at: dt.datetime | None = None

    @property
    def locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > clock.utcnow()

    @property
    def locked_text(self) -> str:
        return beijing(self.locked_until) if self.locked else ""

    @property
    def last_login(self) -> str:
        return beijing(self.last_login_at)


class AdminLoginRow(AdminView, frozen=True, kw_only=True):
    """An active administrator with the password hash, for the credential check."""

    password_hash: str

    @property
    def view(self) -> AdminView:
        return AdminView(
            id=self.id,
            username=self.username,
            display_name=self.display_name,
            role=self.role,
            active=self.active,
        )


async def list_admins() -> list[AdminAccountRow]:
    """Every administrator with status columns, for the accounts page."""
    rows = await AdminUser.select(*VIEW_COLUMNS, AdminUser.locked_until, AdminUser.last_login_at).order_by(
        AdminUser.username
    )
    return [msgspec.convert(row, AdminAccountRow, strict=False) for row in rows]


async def login_row(username: str) -> AdminLoginRow | None:
    """The active administrator ``username`` with the password hash (for the credential check)."""
    row = (
        await AdminUser.select(*VIEW_COLUMNS, AdminUser.password_hash)
        .where((AdminUser.username == username) & AdminUser.active.eq(True))
        .first()
    )
    return None if row is None else msgspec.convert(row, AdminLoginRow, strict=False)


async def logged_in(admin_id: int) -> None:
    await AdminUser.update({AdminUser.last_login_at: clock.utcnow()}).where(AdminUser.id == admin_id)


async def set_active(admin_id: int, active: bool) -> bool:
    """Activate or deactivate an administrator (a deactivated one is logged out at the next request)."""
    rows = (
        await AdminUser.update({AdminUser.active: active})
        .where(AdminUser.id == admin_id)
        .returning(AdminUser.id)
    )
    return bool(rows)


async def unlock(admin_id: int) -> bool:
    """Lift a lockout and forget the counted failures."""
    rows = (
        await AdminUser.update({AdminUser.failed_attempts: 0, AdminUser.locked_until: None})
        .where(AdminUser.id == admin_id)
        .returning(AdminUser.id)
    )
    return bool(rows)
