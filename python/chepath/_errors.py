"""chepath's exceptions: every failure names the file (and line) and says what to do.

    ChepathError            any chepath failure (``exit_code`` as the CLI would exit)
    ├── ReadError           a file or directory could not be read (also an ``OSError``)
    ├── WriteError          an output could not be written (also an ``OSError``; ``file``,
    │                       and the OS's reason in ``found``)
    ├── FormatError         a file was read but is not what it should be (``file``, ``line``,
    │                       ``expected``, ``found``, ``hint``)
    ├── InputError          inputs that do not fit together (a network that does not
    │                       validate, a missing state, a structure of another size)
    ├── UsageError          a bad argument (also a ``ValueError``)
    └── CheckFailed         ``check(..., raise_on_failure=True)``: a value is off
"""

from __future__ import annotations

from typing import Optional

from . import _chepath


class ChepathError(Exception):
    """A chepath failure. ``str(e)`` is the full message the CLI prints."""

    kind: str = "error"

    def __init__(
        self,
        message: str,
        file: Optional[str] = None,
        line: Optional[int] = None,
        expected: Optional[str] = None,
        found: Optional[str] = None,
        hint: Optional[str] = None,
        exit_code: int = 1,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.expected = expected
        self.found = found
        self.hint = hint
        self.exit_code = exit_code

    def __str__(self) -> str:
        return self.message


class ReadError(ChepathError, OSError):
    """A file or directory could not be read: missing, permissions, I/O (CLI exit 3)."""

    kind = "io"

    def __str__(self) -> str:
        return self.message


class WriteError(ChepathError, OSError):
    """An output file or directory could not be written (CLI exit 3)."""

    kind = "write"

    def __str__(self) -> str:
        return self.message


class FormatError(ChepathError):
    """A file was read but could not be parsed (CLI exit 4)."""

    kind = "format"


class InputError(ChepathError):
    """Inputs that do not fit together or cannot give the answer asked for (CLI exit 4)."""

    kind = "input"


class UsageError(ChepathError, ValueError):
    """A bad argument (CLI exit 2)."""

    kind = "usage"

    def __str__(self) -> str:
        return self.message


class CheckFailed(ChepathError):
    """A checked value is outside its tolerance or missing (CLI exit 6)."""

    kind = "check"


_BY_KIND = {c.kind: c for c in (ReadError, WriteError, FormatError, InputError, UsageError)}


def _convert(e: "_chepath.Failure") -> ChepathError:
    """The chepath exception for a failure raised by the Rust library."""
    kind, message, file, line, expected, found, hint, code = e.args
    cls = _BY_KIND.get(kind, ChepathError)
    return cls(message, file, line, expected, found, hint, code)
