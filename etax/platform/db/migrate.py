"""Running and checking Piccolo migrations for the core and every plugin app."""

from __future__ import annotations

import contextlib
import io

from piccolo.apps.migrations.commands.check import CheckMigrationManager
from piccolo.apps.migrations.commands.forwards import run_forwards

from etax.platform.errors import StartupError


async def migrate() -> list[str]:
    """Apply every pending migration of every app (``etax db migrate``); returns what was applied.

    Piccolo's own per-app report ("N migrations already complete") is confusing on a fresh database
    (it counts the apps' bookkeeping), so it is kept out of the output: the caller reports the list
    of applied migrations instead, and a failure carries Piccolo's report.
    """
    before = await pending()
    report = io.StringIO()
    with contextlib.redirect_stdout(report):
        response = await run_forwards(app_name="all", migration_id="all", fake=False)
    if not response.success:
        raise StartupError(f"数据库迁移失败: {response.message}\n{report.getvalue()}")
    still = set(await pending())
    return [name for name in before if name not in still]


def migration_summary(applied: list[str]) -> str:
    """One line for people: what ``migrate`` applied."""
    if not applied:
        return "数据库已是最新，没有需要应用的迁移"
    return f"已应用 {len(applied)} 个迁移：" + "，".join(applied)


async def pending() -> list[str]:
    """Migrations not yet applied, as ``app:migration_id``."""
    statuses = await CheckMigrationManager(app_name="all").get_migration_statuses()
    return [f"{s.app_name}:{s.migration_id}" for s in statuses if not s.has_ran]


async def check_migrations() -> None:
    """Stop start-up when migrations are pending (they are never applied silently)."""
    missing = await pending()
    if missing:
        raise StartupError(
            f"database has {len(missing)} pending migration(s) ({', '.join(missing[:3])}…): run `etax db migrate`"
        )
