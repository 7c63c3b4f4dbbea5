"""Domain errors: each carries a field path and a Chinese message a person can act on."""
from __future__ import annotations


class DomainError(Exception):
    """Base of every error the user can understand and fix."""

    def __init__(self, message: str, path: str = "") -> None:
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path
        self.message = message


class ValidationError(DomainError):
    """A field holds a value the rules refuse.

    Args:
        path: where the value sits, e.g. ``parties[0].id_number``.
        message: what is wrong, in Chinese.
    """

    def __init__(self, path: str, message: str) -> None:
        super().__init__(message, path)

    def at(self, prefix: str) -> ValidationError:
        """The same error seen from an enclosing object (``prefix.path``)."""
        if not prefix:
            return self
        return ValidationError(f"{prefix}.{self.path}" if self.path else prefix, self.message)


class ValidationErrors(DomainError):
    """Several validation errors found at once (all of them are reported)."""

    def __init__(self, errors: list[ValidationError]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(str(e) for e in self.errors))

    def lines(self) -> list[str]:
        return [f"{e.path}: {e.message}" if e.path else e.message for e in self.errors]


class TransitionError(DomainError):
    """A lifecycle move that the transition table forbids."""


class ConflictError(DomainError):
    """Someone else changed the record since it was read (optimistic locking)."""


class NotFoundError(DomainError):
    """A referenced record does not exist."""


class PermissionDenied(DomainError):
    """The current user may not do this."""


class AccountDisabled(PermissionDenied):
    """The acting account was deactivated since it logged in: its next action is refused."""


DATABASE_WAITING = "数据库正被其他操作占用，正在等待……"
DATABASE_BUSY = "数据库繁忙（其他操作长时间占用），本次操作未写入任何数据，请稍后重试"


class DatabaseBusy(DomainError):
    """The database stayed occupied by other writers longer than a write may wait; nothing was written."""

    def __init__(self, message: str = DATABASE_BUSY) -> None:
        super().__init__(message)
