"""etax — an open electronic tax bureau (电子税务局) portal."""

import os

from etax import lazy_black, startup_collector

# Start-up: fewer garbage collections while etax is imported and its application built (restored by
# etax.platform.app.create_app; see etax/startup_collector.py).
startup_collector.defer()

# Piccolo finds its engine through the module named here; every etax table uses it.
os.environ.setdefault("PICCOLO_CONF", "etax.platform.db.piccolo_conf")

__version__ = "0.1.0"

# Start-up: Piccolo's import of the code formatter black is deferred to its first use (never, when serving).
lazy_black.install()
