"""Built stores, keyed by a content hash of the ontology folder, in a user cache directory.

Every command that reads the graph opens the store for the folder's current hash read-only;
when there is none (first use, or the folder changed) it compiles the folder once, says so on
stderr, and writes the store beside the others. Nothing is ever written inside the package.

Safe under concurrency: building, publishing and pruning hold one lock (``.lock`` in the
cache root), a store appears by one rename, and a complete store is never replaced unless it
is damaged. A process using a store holds a shared lock on its ``meta.json``, so pruning skips
it. A damaged store (a file changed since it was written, or one Oxigraph cannot open) is
rebuilt once; a cache that cannot be written is skipped with one line on stderr.
"""
from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import sys
import weakref
import zlib
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from .paths import PACKAGE_DIR, OntologyLayout

if TYPE_CHECKING:
    from .build import Built
    from .store import Store

STORE_FORMAT = "exograph-store-2"  # 2: the curated graph is the named graph CURATED_GRAPH
KEEP = 4  # stores kept in the cache (the newest); older ones are pruned unless in use
_COMPILER_SOURCES = ("build.py", "curation.py", "dataset.py", "namespaces.py", "ntriples.py", "tables.py")
_MANIFESTS = ".manifests"
_KEY = re.compile(r"[0-9a-f]{32}")  # a store's folder name; nothing else in the cache root is ever removed
_VOLATILE = {"LOCK", "LOG"}  # files of a store that Oxigraph may touch; the others never change


def cache_root() -> Path:
    """``$EXOGRAPH_CACHE``, else ``$XDG_CACHE_HOME/exograph``, else ``~/.cache/exograph``."""
    if os.environ.get("EXOGRAPH_CACHE"):
        return Path(os.environ["EXOGRAPH_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "exograph"


# ---------------------------------------------------------------- keys
def _inputs(layout: OntologyLayout) -> list[tuple[str, Path]]:
    """(name in the hash, path) of everything the compiled graph depends on: the compiler and the folder's inputs."""
    return [(f"\0compiler/{name}", PACKAGE_DIR / name) for name in _COMPILER_SOURCES] + \
           [(str(path.relative_to(layout.root)), path) for path in [layout.schema, layout.prefixes, *layout.curated_tables()]]


def content_hash(layout: OntologyLayout) -> str:
    """sha256 of everything the compiled graph depends on: the folder's inputs and the compiler."""
    import hashlib  # only when a folder changed: loading OpenSSL costs a fresh store's command 3 ms

    from .store import pyoxigraph_version

    digest = hashlib.sha256(f"{STORE_FORMAT}\0{pyoxigraph_version()}\0".encode())
    for name, path in _inputs(layout):
        if name.startswith("\0compiler/"):
            digest.update(path.read_bytes())
            continue
        digest.update(b"\0" + name.encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"\1missing")
    return digest.hexdigest()[:32]


def _manifest(layout: OntologyLayout) -> list:
    """(name, size, mtime_ns, ctime_ns) of every input: any write changes one of them (``touch -r`` the ctime)."""
    from .store import pyoxigraph_version

    rows: list = [STORE_FORMAT, pyoxigraph_version()]
    for name, path in _inputs(layout):
        try:
            info = os.stat(path)
            rows.append([name, info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino])
        except OSError:
            rows.append([name, None])
    return rows


def store_key(layout: OntologyLayout) -> str:
    """The folder's :func:`content_hash`, read from a manifest of file stats when none changed
    (no file is read); recomputed, and the manifest rewritten when the cache is writable, otherwise."""
    manifest = _manifest(layout)
    folder = str(layout.root.resolve()).encode()  # the manifest's name: two checksums (a clash costs a rehash, never a wrong key)
    path = cache_root() / _MANIFESTS / f"{zlib.crc32(folder):08x}{zlib.adler32(folder):08x}.json"
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
        if saved["manifest"] == manifest:
            return saved["key"]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    key = content_hash(layout)
    from .atomic import write_text_atomic  # only here: its ctypes import costs a fresh store's command 2-4 ms

    try:
        write_text_atomic(path, json.dumps({"manifest": manifest, "key": key}))
    except OSError:  # a read-only cache: hash every time
        pass
    return key


def meta_for(layout: OntologyLayout, key: str) -> dict:
    return {"format": STORE_FORMAT, "hash": key, "ontology": str(layout.root)}


# ---------------------------------------------------------------- writing stores
def _file_stats(folder: Path) -> dict[str, list[int]]:
    return {path.name: [path.stat().st_size, path.stat().st_mtime_ns] for path in sorted((folder / "oxigraph").iterdir())
            if path.name not in _VOLATILE and not path.name.startswith("LOG")}


def _seal(folder: Path) -> None:
    """Record the size and mtime of the store's files in its meta.json, to see later whether one changed."""
    meta_path = folder / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["files"] = _file_stats(folder)
    meta_path.write_text(json.dumps(meta, indent=1, sort_keys=True), encoding="utf-8")


def _new_folder(parent: Path, name: str) -> Path:
    import tempfile  # here and in _remove: opening a store needs no temporary folder (tempfile costs 2 ms)

    tmp = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o777 & ~umask)  # mkdtemp makes 0700; readable like any folder build writes
    return tmp


def install(ntriples: bytes, namespaces: dict, meta: dict, target: Path) -> Path:
    """Write a store into the new folder ``target`` (a temporary sibling renamed into place).
    The caller makes sure nobody else writes ``target`` (a private folder, or :func:`_locked`)."""
    from .store import write_store

    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = _new_folder(target.parent, target.name)
    try:
        write_store(ntriples, tmp, namespaces, meta)
        _seal(tmp)
        os.rename(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


@contextmanager
def _locked(root: Path) -> Iterator[None]:
    """The cache's lock (``root/.lock``): one process at a time builds, publishes or prunes."""
    root.mkdir(parents=True, exist_ok=True)
    fd = os.open(root / ".lock", os.O_RDWR | os.O_CREAT, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def damage(path: Path) -> str | None:
    """Why the store at ``path`` cannot be used (missing, or a file changed since it was written), or None."""
    from .store import read_meta

    if not path.exists():
        return "missing"
    meta = read_meta(path)
    if meta is None:
        return "meta.json is missing or unreadable"
    try:
        found = _file_stats(path)
    except OSError as error:
        return f"{error.filename}: {error.strerror}"
    expected = meta.get("files") or {}
    for name in sorted(set(expected) | set(found)):
        if found.get(name) != expected.get(name):
            return f"oxigraph/{name} is {'missing' if name not in found else 'not as written'}"
    return None


def _put(path: Path, fill: Callable[[Path], Any]) -> None:
    """Under the lock: ``fill`` a temporary folder and move it to ``path`` in one step. A store already at
    ``path`` (damaged, or the caller would not be here) is swapped out and removed; a process that still
    has it open keeps its open files."""
    from .atomic import _exchange

    tmp = _new_folder(path.parent, path.name)
    try:
        fill(tmp)
        _exchange(tmp, path)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# ---------------------------------------------------------------- using stores
def _open_held(path: Path, data: list) -> "Store":
    """Open the store read-only, holding a shared lock on its meta.json while it lives (pruning skips it)."""
    from .store import open_store

    fd = os.open(path / "meta.json", os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
        store = open_store(path, data)
    except BaseException:
        os.close(fd)
        raise
    weakref.finalize(store, os.close, fd)
    return store


def fresh_store(layout: OntologyLayout, data: Iterable[Any] = ()) -> "Store":
    """The folder's store, opened read-only; compiled and written first if it is missing, stale or damaged
    (rebuilt once, with one line on stderr). When the cache cannot be written, the graph is compiled into
    an in-memory store instead, also with one line on stderr."""
    root = cache_root()
    data = list(data)
    try:
        key = store_key(layout)
    except OSError:
        key = content_hash(layout)
    path = root / key
    built: list = []

    def write(target: Path) -> None:  # rdflib and the compiler are imported only here: opening a store needs neither
        from .store import write_store

        if not built:
            built.append(_compile(layout))
        write_store(built[0].ntriples, target, built[0].namespaces, meta_for(layout, key))
        _seal(target)

    def rebuild(why: str | None) -> None:
        with _locked(root):
            problem = damage(path)  # another process may have written it meanwhile
            if problem is None and why is None:
                return
            if problem == "missing":
                print(f"exograph: building the store for {layout.root} (new or changed) in {path}", file=sys.stderr)
            else:
                print(f"exograph: the cached store {path} is damaged ({problem or why}); rebuilding it", file=sys.stderr)
            _put(path, write)
            prune(root)

    try:
        if damage(path) is not None:
            rebuild(None)
    except OSError as error:
        return _in_memory(layout, built, data, root, error)
    try:
        return _open_held(path, data)
    except (OSError, RuntimeError) as error:  # damaged in a way the file stats do not show: rebuild once
        try:
            rebuild(f"{type(error).__name__}: {error}")
        except OSError as write_error:
            return _in_memory(layout, built, data, root, write_error)
        return _open_held(path, data)


def _compile(layout: OntologyLayout) -> "Built":
    from .build import build

    return build(layout.root)


def _unwritable(root: Path, error: OSError, instead: str) -> None:
    """One stderr line: the cache cannot be written, and what the command does instead."""
    from .paths import describe_os_error

    print(f"exograph: cannot write the store cache {root} ({describe_os_error(error)}); {instead}", file=sys.stderr)


def _in_memory(layout: OntologyLayout, built: list, data: list, root: Path, error: OSError) -> "Store":
    from .store import ntriples_store

    _unwritable(root, error, "using an in-memory store (set EXOGRAPH_CACHE to a writable folder to keep it)")
    compiled = built[0] if built else _compile(layout)
    return ntriples_store(compiled.ntriples, compiled.namespaces, data)


def publish(built: "Built", out_dir: Path) -> Path:
    """Write ``out_dir/store`` from the compiled N-Triples, and put a copy in the cache (skipped, with
    one line on stderr, when the cache cannot be written)."""
    key = content_hash(built.layout)
    target = install(built.ntriples, built.namespaces, meta_for(built.layout, key), out_dir / "store")
    root = cache_root()
    try:
        with _locked(root):
            if damage(root / key) is not None:
                _put(root / key, lambda tmp: shutil.copytree(target, tmp, dirs_exist_ok=True))
                prune(root)
    except OSError as error:
        _unwritable(root, error, "skipped it (the output folder has its own store/)")
    return target


# ---------------------------------------------------------------- listing and pruning
def stores(root: Path | None = None) -> list[dict]:
    """The cached stores, newest first: key, path, ontology, triples, bytes, built (mtime) and in_use."""
    from .store import read_meta

    root = root or cache_root()
    found = []
    for path in sorted(root.iterdir()) if root.is_dir() else []:
        meta = read_meta(path) if _KEY.fullmatch(path.name) and path.is_dir() else None
        if meta is None or not str(meta.get("format", "")).startswith("exograph-store-"):
            continue
        size = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
        found.append({"key": path.name, "path": str(path), "ontology": meta.get("ontology", ""),
                      "triples": meta.get("triples"), "bytes": size, "built": (path / "meta.json").stat().st_mtime,
                      "in_use": _in_use(path)})
    return sorted(found, key=lambda store: store["built"], reverse=True)


def _in_use(path: Path) -> bool:
    try:
        fd = os.open(path / "meta.json", os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return False
    except BlockingIOError:
        return True
    finally:
        os.close(fd)


def _remove(root: Path, path: Path) -> bool:
    """Remove a store nobody uses (moved aside first, so no reader finds half of it); False if in use."""
    fd = os.open(path / "meta.json", os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        import tempfile

        aside = Path(tempfile.mkdtemp(prefix=f".{path.name}.old-", dir=root))
        os.rename(path, aside / "store")
        shutil.rmtree(aside, ignore_errors=True)
        return True
    finally:
        os.close(fd)


def prune(root: Path, keep: int = KEEP) -> None:
    """Under the lock: drop the leftovers of killed writers, and all but the ``keep`` newest stores not in use."""
    for leftover in root.glob(".*"):  # only the temporary folders this module makes: .KEY.XXXXXXXX, .KEY.old-XXXXXXXX
        if _KEY.fullmatch(leftover.name.split(".")[1] if leftover.name.count(".") >= 2 else "") and leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)
    for store in stores(root)[keep:]:
        _remove(root, Path(store["path"]))


def clear(root: Path | None = None) -> tuple[int, int]:
    """Remove every cached store not in use, and the manifests; (removed, kept because in use)."""
    root = root or cache_root()
    if not root.is_dir():
        return 0, 0
    removed = kept = 0
    with _locked(root):
        prune(root, keep=len(stores(root)))  # leftovers only
        for store in stores(root):
            if _remove(root, Path(store["path"])):
                removed += 1
            else:
                kept += 1
        shutil.rmtree(root / _MANIFESTS, ignore_errors=True)
    return removed, kept
