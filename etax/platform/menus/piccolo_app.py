"""The menus' Piccolo app."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from etax.platform.menus.tables import (
    CustomService,
    CustomServiceItem,
    CustomServiceTaxpayer,
    Favourite,
    FeaturedService,
    MenuPackage,
    MenuPackageStep,
    MenuVersion,
)

APP_CONFIG = AppConfig(
    app_name="etax_menus",
    migrations_folder_path=str(Path(__file__).parent / "migrations"),
    table_classes=[
        Favourite,
        MenuPackage,
        MenuPackageStep,
        FeaturedService,
        MenuVersion,
        CustomService,
        CustomServiceItem,
        CustomServiceTaxpayer,
    ],
    migration_dependencies=["etax.platform.db.piccolo_app"],
    commands=[],
)
