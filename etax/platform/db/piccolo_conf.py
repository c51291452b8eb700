"""Piccolo configuration: the engine and the registry of Piccolo apps (core and plugins)."""

from piccolo.conf.apps import AppRegistry

from etax.platform.db.apps import app_modules
from etax.platform.db.engine import database_url, make_engine

DB = make_engine(database_url())


def __getattr__(name: str) -> AppRegistry:
    # Built on first use: listing plugin apps loads the plugins, whose tables need ``DB`` above.
    if name == "APP_REGISTRY":
        return AppRegistry(apps=app_modules())
    raise AttributeError(name)
