"""Problem records: every data problem names its file, 1-based line, column and rule."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
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
        return f"{where}:{column} {self.rule}: {self.message}{hint}"

    def as_dict(self) -> dict:
        return asdict(self)


class DataProblems(Exception):
    """Raised when curated data cannot be compiled; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__(f"{len(self.problems)} data problem(s)")


class UsageError(Exception):
    """A request the user can correct: unknown query name, bad parameter, refused SPARQL."""


def display_path(path: Path, root: Path | None = None) -> str:
    """A path as a user reads it: relative to ``root`` (or the working directory) when inside it."""
    path = Path(path)
    for base in (root, Path.cwd()):
        if base is not None:
            try:
                return str(path.resolve().relative_to(Path(base).resolve()))
            except ValueError:
                pass
    return str(path)
