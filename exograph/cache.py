"""Built stores, keyed by a content hash of the ontology folder, in a user cache directory.

Every command that reads the graph opens the store for the folder's current hash read-only;
when there is none (first use, or the folder changed) it compiles the folder once, says so on
stderr, and writes the store beside the others. Nothing is ever written inside the package.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from .paths import PACKAGE_DIR, OntologyLayout

if TYPE_CHECKING:
    from .build import Built
    from .store import Store

STORE_FORMAT = "exograph-store-2"  # 2: the curated graph is the named graph CURATED_GRAPH
_COMPILER_SOURCES = ("build.py", "curation.py", "namespaces.py", "tables.py")


def cache_root() -> Path:
    """``$EXOGRAPH_CACHE``, else ``$XDG_CACHE_HOME/exograph``, else ``~/.cache/exograph``."""
    if os.environ.get("EXOGRAPH_CACHE"):
        return Path(os.environ["EXOGRAPH_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "exograph"


def content_hash(layout: OntologyLayout) -> str:
    """sha256 of everything the compiled graph depends on: the folder's inputs and the compiler."""
    from .store import pyoxigraph_version

    digest = hashlib.sha256(f"{STORE_FORMAT}\0{pyoxigraph_version()}\0".encode())
    for name in _COMPILER_SOURCES:
        digest.update((PACKAGE_DIR / name).read_bytes())
    for path in [layout.schema, layout.prefixes, *layout.curated_tables()]:
        digest.update(b"\0" + str(path.relative_to(layout.root)).encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"\1missing")
    return digest.hexdigest()[:32]


def meta_for(layout: OntologyLayout, key: str) -> dict:
    return {"format": STORE_FORMAT, "hash": key, "ontology": str(layout.root)}


def install(ntriples: bytes, namespaces: dict, meta: dict, target: Path) -> Path:
    """Write a store into ``target`` atomically (a temporary sibling renamed into place)."""
    from .store import write_store

    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o777 & ~umask)  # mkdtemp makes 0700; readable like any folder build writes
        write_store(ntriples, tmp, namespaces, meta)
        if target.exists():
            shutil.rmtree(target)
        os.rename(tmp, target)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
        if not (target / "meta.json").is_file():  # lost a race to an identical build: fine
            raise
    return target


def built_ntriples(built: "Built") -> bytes:
    return built.graph.serialize(format="nt", encoding="utf-8")


def fresh_store(layout: OntologyLayout, data: Iterable[Path | str] = ()) -> "Store":
    """The folder's store, opened read-only; compiled and written first if it is missing or stale."""
    from .store import open_store, read_meta

    key = content_hash(layout)
    path = cache_root() / key
    if read_meta(path) is None:
        from .build import build
        from .terms import graph_prefixes

        print(f"exograph: building the store for {layout.root} (new or changed) in {path}", file=sys.stderr)
        built = build(layout.root)
        install(built_ntriples(built), graph_prefixes(built.graph), meta_for(layout, key), path)
    return open_store(path, data)


def publish(built: "Built", out_dir: Path) -> Path:
    """Write ``out_dir/store`` from the ``exograph.nt`` that build wrote, and put a copy in the cache."""
    from .store import read_meta
    from .terms import graph_prefixes

    key = content_hash(built.layout)
    target = install((out_dir / "exograph.nt").read_bytes(), graph_prefixes(built.graph), meta_for(built.layout, key),
                     out_dir / "store")
    cached = cache_root() / key
    if read_meta(cached) is None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{key}.", dir=cached.parent))
        shutil.copytree(target, tmp, dirs_exist_ok=True)
        try:
            os.rename(tmp, cached)
        except OSError:  # another process put it there first
            shutil.rmtree(tmp, ignore_errors=True)
    return target
