"""Running and checking Piccolo migrations for the core and every plugin app."""

from __future__ import annotations

from piccolo.apps.migrations.commands.check import CheckMigrationManager
from piccolo.apps.migrations.commands.forwards import run_forwards

from etax.platform.errors import StartupError


async def migrate() -> None:
    """Apply every pending migration of every app (``etax db migrate``)."""
    response = await run_forwards(app_name="all", migration_id="all", fake=False)
    if not response.success:
        raise StartupError(f"数据库迁移失败: {response.message}")


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
