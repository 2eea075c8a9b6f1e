"""Problem records: every data problem names its file, 1-based line, column and rule."""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import NamedTuple

_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


def printable(text: str) -> str:
    """Text safe for a terminal: control characters (ESC, NUL, CR ...) and BOMs shown as ``\\xNN`` / ``\\uNNNN``."""
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text)


class Problem(NamedTuple):  # not a dataclass: importing dataclasses costs every command about 15 ms
    """One thing wrong with the curated data, located where a curator can fix it."""

    file: str
    line: int
    column: str
    rule: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        column = f" [{self.column}]" if self.column else ""
        hint = f" -> {self.hint}" if self.hint else ""
        return printable(f"{where}:{column} {self.rule}: {self.message}{hint}")

    def as_dict(self) -> dict:
        return self._asdict()


class DataProblems(Exception):
    """Raised when curated data cannot be compiled; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__(f"{len(self.problems)} data problem(s)")


class UsageError(ValueError):
    """A request the user can correct: unknown query name, bad parameter, refused SPARQL."""


def display_path(path: Path, root: Path | None = None) -> str:
    """A path as a user reads it: relative to ``root`` (or the working directory) when inside it."""
    path = Path(os.path.abspath(path))  # a symlink is shown where it is, not where it points
    for base in (root, Path.cwd()):
        if base is not None:
            for candidate in (path, _resolved(path)):
                try:
                    return str(candidate.relative_to(Path(base).resolve()))
                except ValueError:
                    pass
    return str(path)


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return path
