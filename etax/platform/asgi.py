"""The ASGI application uvicorn workers import (``etax.platform.asgi:app``)."""

from etax import startup_collector
from etax.platform.app import create_app

app = create_app()
startup_collector.settle(freeze=True)  # what start-up built lives as long as the worker
