"""Running and checking Piccolo migrations for the core and every plugin app."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

from piccolo.apps.migrations.tables import Migration
from piccolo.conf.apps import Finder

from etax.platform.dataversion import install_triggers
from etax.platform.errors import StartupError


async def migrate() -> list[str]:
    """Apply every pending migration of every app (``etax db migrate``); returns what was applied.

    Piccolo's own per-app report ("N migrations already complete") is confusing on a fresh database
    (it counts the apps' bookkeeping), so it is kept out of the output: the caller reports the list
    of applied migrations instead, and a failure carries Piccolo's report.
    """
    # Piccolo's migration commands (its auto-migration machinery) are imported only to migrate: the
    # start-up check below does without them.
    from piccolo.apps.migrations.commands.forwards import run_forwards

    before = await pending()
    report = io.StringIO()
    with contextlib.redirect_stdout(report):
        response = await run_forwards(app_name="all", migration_id="all", fake=False)
    if not response.success:
        raise StartupError(f"数据库迁移失败: {response.message}\n{report.getvalue()}")
    await install_triggers()  # every watched table, plugins' new ones too (etax.platform.dataversion)
    still = set(await pending())
    return [name for name in before if name not in still]


def migration_summary(applied: list[str]) -> str:
    """One line for people: what ``migrate`` applied."""
    if not applied:
        return "数据库已是最新，没有需要应用的迁移"
    return f"已应用 {len(applied)} 个迁移：" + "，".join(applied)


# A migration file's ``ID = "2026-11-26T20:57:44:676382"`` line, as ``piccolo migrations new`` writes it.
_ID_LINE = re.compile(r"""^ID\s*=\s*["']([^"']+)["']\s*$""", re.MULTILINE)


def _migration_ids() -> list[tuple[str, str]] | None:
    """Every app's migration IDs, read from the files' ``ID = …`` lines without importing them
    (``None`` if a file has no such line: then Piccolo's own check, which imports them, decides)."""
    found: list[tuple[str, str]] = []
    for module in Finder().get_app_modules():
        config = module.APP_CONFIG
        for path in Path(config.resolved_migrations_folder_path).glob("*.py"):
            if path.name == "__init__.py":
                continue
            match = _ID_LINE.search(path.read_text(encoding="utf-8"))
            if match is None:
                return None
            found.append((config.app_name, match.group(1)))
    return sorted(found)


async def pending() -> list[str]:
    """Migrations not yet applied, as ``app:migration_id``.

    One query for the applied ones, compared with the IDs in the apps' migration files (Piccolo's
    check would import every migration module and ask once per migration: a tenth of a start-up).
    """
    known = _migration_ids()
    if known is None:
        from piccolo.apps.migrations.commands.check import CheckMigrationManager

        statuses = await CheckMigrationManager(app_name="all").get_migration_statuses()
        return [f"{s.app_name}:{s.migration_id}" for s in statuses if not s.has_ran]
    if not await Migration.table_exists():
        await Migration.create_table()
    rows = await Migration.select(Migration.app_name, Migration.name)
    applied = {(row["app_name"], row["name"]) for row in rows}
    return [f"{app}:{migration_id}" for app, migration_id in known if (app, migration_id) not in applied]


async def check_migrations() -> None:
    """Stop start-up when migrations are pending (they are never applied silently)."""
    missing = await pending()
    if missing:
        raise StartupError(
            f"database has {len(missing)} pending migration(s) ({', '.join(missing[:3])}…): run `etax db migrate`"
        )
