"""N-Triples terms and lines spelt as rdflib's N-Triples writer spells them, so that the compiler
writes the graph's lines directly (no rdflib graph on the build path) and the files stay
byte-identical to those written from an rdflib graph."""
from __future__ import annotations

import functools
import io
import re
from typing import Iterable, Iterator

XSD = "http://www.w3.org/2001/XMLSchema#"
_UNESCAPE = re.compile(r'\\([\\n"r])')
_SLICE = 100_000  # lines encoded at a time
_UNESCAPED = {"\\": "\\", "n": "\n", '"': '"', "r": "\r"}


def iri(value: str) -> str:
    return f"<{value}>"


def literal(text: str, datatype: str | None = None) -> str:
    """A literal as rdflib writes it: backslash, newline, quote and carriage return escaped, the rest raw."""
    escaped = text.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"').replace("\r", "\\r")
    return f'"{escaped}"^^<{datatype}>' if datatype else f'"{escaped}"'


@functools.lru_cache(maxsize=65536)
def typed(text: str, datatype: str) -> str:
    """A typed literal in the lexical form rdflib gives it (``Literal(text, datatype=...)`` normalises some)."""
    from rdflib import Literal, URIRef

    return literal(str(Literal(text, datatype=URIRef(datatype))), datatype)


def line(subject: str, predicate: str, obj: str) -> str:
    return f"{subject} {predicate} {obj} ."


def document(lines: list[str]) -> bytes:
    """The N-Triples file: distinct lines, sorted, UTF-8 (what ``exograph build`` writes). Sorts ``lines`` in
    place and encodes them a slice at a time, so that the text is never held twice."""
    lines.sort()
    out, chunk, previous = io.BytesIO(), [], None
    for text in lines:
        if text != previous:
            chunk.append(text)
            previous = text
        if len(chunk) == _SLICE:
            out.write(("\n".join(chunk) + "\n").encode("utf-8"))
            chunk = []
    if chunk:
        out.write(("\n".join(chunk) + "\n").encode("utf-8"))
    return out.getvalue() or b"\n"


def count(document: bytes) -> int:
    """The number of triples of a :func:`document` (one distinct triple a line; an empty graph is one newline)."""
    return document.count(b"\n") if document.strip() else 0


def split(text: str) -> tuple[str, str, str]:
    """(subject, predicate, object) terms of one line of :func:`document`."""
    subject, predicate, rest = text.split(" ", 2)
    return subject, predicate, rest[:-2]


def triples(ntriples: bytes) -> Iterator[tuple[str, str, str]]:
    """The (subject, predicate, object) terms of each line of an N-Triples document written by :func:`document`,
    read a line at a time."""
    for raw in io.BytesIO(ntriples):
        if raw != b"\n":
            yield split(raw.decode("utf-8").rstrip("\n"))


def parse_literal(term: str) -> tuple[str, str | None, str | None]:
    """(text, datatype, language) of a literal term."""
    end = term.rindex('"')
    text = _UNESCAPE.sub(lambda match: _UNESCAPED[match.group(1)], term[1:end])
    rest = term[end + 1:]
    if rest.startswith("^^<"):
        return text, rest[3:-1], None
    return text, None, rest[1:] or None
