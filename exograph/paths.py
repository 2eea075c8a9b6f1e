"""The one place that knows where exograph's files are, and how to read them safely."""
from __future__ import annotations

import os
import stat
from pathlib import Path

from .problems import UsageError

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"  # the HTML view's page, script and style table
ENV_ONTOLOGY = "EXOGRAPH_ONTOLOGY"
MAX_FILE_BYTES = 64 * 1024 * 1024  # no curated table, schema or query comes near this
WHY = {
    "--ontology": "given with --ontology",
    ENV_ONTOLOGY: f"from ${ENV_ONTOLOGY}",
    "checkout": "this checkout's ontology/",
    "bundled": "the copy that comes with the package",
    "editable": "the ontology/ of the checkout this editable install comes from",
}
ORDER_HELP = ("the ontology folder is --ontology DIR, else $EXOGRAPH_ONTOLOGY, else ./ontology when the "
              "working directory is an exograph checkout, else the copy bundled with the package (in an editable "
              "install: the ontology/ of its checkout)")


def default_ontology_dir() -> Path:
    """The ontology folder shipped in the wheel, or the checkout's ``ontology/`` next to the package."""
    bundled = PACKAGE_DIR / "ontology"
    if bundled.is_dir():
        return bundled
    return PACKAGE_DIR.parent / "ontology"


def _is_checkout(folder: Path) -> bool:
    """True if ``folder`` is an exograph source checkout (its pyproject names the project)."""
    try:
        pyproject = (folder / "pyproject.toml").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return 'name = "exograph"' in pyproject and (folder / "ontology" / "schema.ttl").is_file()


def resolve_ontology(arg: str | os.PathLike | None) -> tuple[Path, str]:
    """The ontology folder to use and why: ``--ontology``, ``EXOGRAPH_ONTOLOGY``, ``checkout``, else ``bundled``
    (a wheel's copy) or ``editable`` (an editable install's checkout, found beside the package)."""
    if arg is not None and str(arg) != "":
        return Path(arg).resolve(), "--ontology"
    if os.environ.get(ENV_ONTOLOGY):
        return Path(os.environ[ENV_ONTOLOGY]).resolve(), ENV_ONTOLOGY
    if _is_checkout(Path.cwd()):
        return (Path.cwd() / "ontology").resolve(), "checkout"
    folder = default_ontology_dir()
    return folder, "bundled" if installed_copy(folder) else "editable"


def installed_copy(folder: Path) -> bool:
    """True for the ontology folder inside an installed package (which exograph never writes)."""
    return Path(folder).resolve() == (PACKAGE_DIR / "ontology").resolve()


def regular_file(path: Path | str) -> os.stat_result:
    """The stat of a regular file; ``OSError`` saying what the path is otherwise (a directory, a FIFO ...)."""
    try:
        info = os.stat(path)
    except OSError as error:
        raise OSError(error.errno, _reason(error), str(path)) from None
    if not stat.S_ISREG(info.st_mode):
        kind = "a directory" if stat.S_ISDIR(info.st_mode) else "a FIFO" if stat.S_ISFIFO(info.st_mode) \
            else "a device" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode) else "not a regular file"
        raise OSError(0, f"is {kind}, not a regular file", str(path))
    return info


def read_regular(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes.

    FIFOs, devices, directories, symlink loops and oversized files raise ``OSError`` with a
    message saying what the path is, before anything blocks or fills memory.
    """
    info = regular_file(path)
    if info.st_size > limit:
        raise OSError(0, f"is {info.st_size} bytes, more than the {limit}-byte limit", str(path))
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        raise OSError(error.errno, _reason(error), str(path)) from None
    with os.fdopen(fd, "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise OSError(0, f"is more than the {limit}-byte limit", str(path))
    return data


def _reason(error: OSError) -> str:
    if error.errno is not None and error.errno == 40:  # ELOOP
        return "is a symlink loop"
    return (error.strerror or str(error)).lower()


def describe_os_error(error: OSError) -> str:
    """``PATH: what is wrong`` for an OSError raised by exograph or the system."""
    where = error.filename if error.filename is not None else ""
    reason = error.strerror or str(error)
    if error.errno == 28:
        reason = "no space left on the device"
    return f"{where}: {reason}" if where else reason


class OntologyLayout:
    """Where each input lives inside one ontology folder (the resolved default or a user's copy)."""

    def __init__(self, root: Path | str | None = None):
        self.root, self.why = resolve_ontology(root)

    def check(self) -> None:
        """Raise :class:`UsageError` unless the folder holds schema.ttl, prefixes.tsv and curated/publications.tsv."""
        missing = [p for p in (self.schema, self.prefixes, self.publications) if not p.exists()]
        if not self.root.is_dir() or missing:
            what = self.root if not self.root.is_dir() else missing[0]
            raise UsageError(f"{what}: not found; an ontology folder holds schema.ttl, prefixes.tsv and curated/")

    def writable(self, why: str) -> None:
        """Raise :class:`UsageError` if this is the package's copy, or a folder found only as the package's fallback
        (``why`` from :func:`resolve_ontology`): exograph changes a folder the user named or stands in."""
        if installed_copy(self.root):
            raise UsageError(f"{self.root} is the copy inside the installed package, which exograph never changes; "
                             "run in a checkout or pass --ontology DIR (or set $EXOGRAPH_ONTOLOGY)")
        if why == "editable":
            raise UsageError(f"{self.root} is the ontology/ of the checkout this editable install comes from, found "
                             "because the working directory is not a checkout; to change it, run in that checkout "
                             "or pass --ontology DIR (or set $EXOGRAPH_ONTOLOGY)")

    @property
    def schema(self) -> Path:
        return self.root / "schema.ttl"

    @property
    def shapes(self) -> Path:
        return self.root / "shapes.ttl"

    @property
    def prefixes(self) -> Path:
        return self.root / "prefixes.tsv"

    @property
    def curated(self) -> Path:
        return self.root / "curated"

    @property
    def publications(self) -> Path:
        return self.curated / "publications.tsv"

    @property
    def entity_files(self) -> list[Path]:
        return sorted((self.curated / "entities").glob("*.tsv"))

    @property
    def claim_files(self) -> list[Path]:
        return sorted((self.curated / "claims").glob("*.tsv"))

    @property
    def claim_qualifiers(self) -> Path:
        """Optional: qualifiers of claims, one row per claim."""
        return self.curated / "claim_qualifiers.tsv"

    @property
    def quantities(self) -> Path:
        """Optional: numbers with units that claims' sources state, one row per number."""
        return self.curated / "quantities.tsv"

    @property
    def trial_status(self) -> Path:
        """Optional: dated registry statuses of clinical trials, one row per reading."""
        return self.curated / "trial_status.tsv"

    @property
    def dataset(self) -> Path:
        """Optional: the release metadata (version, date, licence ...), one field per row."""
        return self.curated / "dataset.tsv"

    @property
    def queries(self) -> Path:
        return self.root / "queries"

    def curated_tables(self) -> list[Path]:
        """Every curated TSV, in a stable order."""
        optional = [path for path in (self.claim_qualifiers, self.quantities, self.trial_status, self.dataset)
                    if path.is_file()]
        return [self.publications, *self.entity_files, *self.claim_files, *optional]
