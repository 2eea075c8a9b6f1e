"""The output folder of ``exograph build``: the graph as Turtle, N-Triples and JSON-LD and its Oxigraph
store, all written from the compiled N-Triples, as one set."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from .build import Built
from .dataset import DUMP_FORMATS


def dumps(built: Built, fmt: str) -> bytes:
    """The graph in ``fmt`` (ttl, nt or jsonld): the same bytes as :func:`exograph.export.dumps` of ``built.graph``."""
    found = pieces(built, fmt)
    return found if isinstance(found, bytes) else b"".join(found)


def pieces(built: Built, fmt: str) -> bytes | Iterator[bytes]:
    """The graph in ``fmt`` as :func:`dumps` gives it, JSON-LD a node at a time (never the whole text twice)."""
    if fmt == "nt":
        return built.ntriples
    if fmt == "ttl":
        from .store import turtle

        return turtle(built.ntriples, built.namespaces)
    from . import jsonld

    texts = jsonld.pieces(built.ntriples, built.namespaces)
    if texts is None:  # what rdflib spells its own way (a blank node ...): its writer
        from .export import dumps_jsonld

        return dumps_jsonld(built.graph)
    return (text.encode("utf-8") for text in texts)


def write_outputs(built: Built, out_dir: Path, formats: tuple[str, ...] = DUMP_FORMATS) -> list[Path]:
    """Write the graph in each format, and its Oxigraph store in ``store/``, into ``out_dir``: the
    set as a whole (see :func:`exograph.atomic.write_folder_atomic`)."""
    from .atomic import write_bytes_atomic, write_folder_atomic
    from .cache import publish
    from .memory import give_back

    def fill(folder: Path) -> list[str]:
        names = []
        for fmt in formats:
            names.append(write_bytes_atomic(folder / f"exograph.{fmt}", pieces(built, fmt)).name)
            give_back()
        if "nt" in formats:  # the store is loaded from the same N-Triples
            names.append(publish(built, folder).name)
        return names

    return write_folder_atomic(out_dir, fill)
