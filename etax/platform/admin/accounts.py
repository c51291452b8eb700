"""Administrator accounts: creation (``etax admin create``), password checks with lockout, status.

Lockout follows the taxpayers' rule: 5 wrong passwords in a row lock the account for 30 minutes. The
counter and the lock live on the account's own row (an atomic ``UPDATE … RETURNING``), so they hold
across worker processes and restarts; a locked account's password is not even checked.
"""

from __future__ import annotations

import datetime as dt
import re

import msgspec

from etax.platform.admin.common import beijing, is_unique_violation, now
from etax.platform.admin.roles import ROLE_LABELS, ROLES, is_role
from etax.platform.admin.tables import AdminUser
from etax.platform.auth.passwords import hash_password, password_problem, verify_password

MAX_FAILURES = 5
LOCK_DURATION = dt.timedelta(minutes=30)
USERNAME_PATTERN = re.compile(r"^[a-z][a-z0-9_.-]{2,39}$")
WRONG_CREDENTIALS = "用户名或密码错误"

_dummy_hash: list[str] = []


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


class LoginResult(msgspec.Struct, frozen=True, kw_only=True):
    """The outcome of one administrator login attempt."""

    admin: AdminView | None = None
    message: str = ""
    locked: bool = False  # the account is locked (before or because of this attempt)
    newly_locked: bool = False  # this attempt locked it


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


async def list_admins() -> list[dict[str, object]]:
    """Every administrator with status columns, for the accounts page."""
    rows = await AdminUser.select(
        *VIEW_COLUMNS, AdminUser.locked_until, AdminUser.last_login_at, AdminUser.created_at
    ).order_by(AdminUser.username)
    for row in rows:
        locked = row["locked_until"]
        row["locked"] = isinstance(locked, dt.datetime) and locked > now()
        row["role_label"] = ROLE_LABELS.get(str(row["role"]), str(row["role"]))
        row["last_login"] = beijing(row["last_login_at"])
        row["locked_text"] = beijing(locked) if row["locked"] else ""
    return rows


def lock_message(until: dt.datetime) -> str:
    return f"密码连续输错{MAX_FAILURES}次，该账户已被锁定30分钟，请于{beijing(until)}（北京时间）后再试"


async def _burn_time(password: str) -> None:
    """Spend what a real check costs, so unknown usernames answer as slowly as known ones."""
    if not _dummy_hash:
        _dummy_hash.append(await hash_password("etax-admin-dummy-1"))
    await verify_password(_dummy_hash[0], password)


async def _count_failure(admin_id: int) -> LoginResult:
    rows = (
        await AdminUser.update({AdminUser.failed_attempts: AdminUser.failed_attempts + 1})
        .where(AdminUser.id == admin_id)
        .returning(AdminUser.failed_attempts)
    )
    count = int(rows[0]["failed_attempts"]) if rows else MAX_FAILURES
    if count >= MAX_FAILURES:
        until = now() + LOCK_DURATION
        await AdminUser.update({AdminUser.failed_attempts: 0, AdminUser.locked_until: until}).where(
            AdminUser.id == admin_id
        )
        return LoginResult(message=lock_message(until), locked=True, newly_locked=True)
    left = MAX_FAILURES - count
    return LoginResult(
        message=f"{WRONG_CREDENTIALS}，连续输错{MAX_FAILURES}次将锁定账户30分钟，您还可以尝试{left}次"
    )


async def authenticate(username: str, password: str) -> LoginResult:
    """Check an administrator's username and password, counting failures and locking at the fifth."""
    row = (
        await AdminUser.select(
            *VIEW_COLUMNS, AdminUser.password_hash, AdminUser.failed_attempts, AdminUser.locked_until
        )
        .where(AdminUser.username == username)
        .first()
    )
    if row is None or not row["active"]:
        await _burn_time(password)
        return LoginResult(message=WRONG_CREDENTIALS)
    locked_until = row["locked_until"]
    if isinstance(locked_until, dt.datetime) and locked_until > now():
        return LoginResult(message=lock_message(locked_until), locked=True)
    if not await verify_password(str(row["password_hash"]), password):
        return await _count_failure(int(row["id"]))
    await AdminUser.update(
        {AdminUser.failed_attempts: 0, AdminUser.locked_until: None, AdminUser.last_login_at: now()}
    ).where(AdminUser.id == row["id"])
    return LoginResult(admin=_view(row))


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
