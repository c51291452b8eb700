"""Errors the platform raises."""


class StartupError(Exception):
    """The application cannot start; the message says what to fix."""
