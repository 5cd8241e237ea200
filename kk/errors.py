"""The one error family of kk.

Services raise these with a message fit for a user; faces turn them into exit code 1
(CLI) or a notification (TUI). Anything else escaping a service is a bug.
"""

from __future__ import annotations


class KkError(Exception):
    """A domain error: the message is shown to the user as it is."""

    exit_code = 1

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        #: The field the error is about, as its JSON key (``postal_code``), if any.
        self.field = field

    def __str__(self) -> str:
        return self.message


class NotFound(KkError):
    """The addressed record does not exist (or is not visible)."""


class ValidationFailed(KkError):
    """A value is not acceptable; ``field`` names it."""


class Conflict(KkError):
    """The change clashes with the current state (archived, duplicate, …)."""


class PermissionDenied(KkError):
    """The acting user may not do this."""
