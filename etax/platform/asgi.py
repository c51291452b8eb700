"""The ASGI application uvicorn workers import (``etax.platform.asgi:app``)."""

from etax.platform.app import create_app

app = create_app()
