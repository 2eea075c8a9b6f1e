"""Named SPARQL queries: ``ontology/queries/NAME.rq`` files with a comment header.

Header lines, before the query text::

    # title: One line saying what the query answers
    # description: Longer text (may repeat)
    # param: name  what the parameter means (may repeat)
"""
from __future__ import annotations

import difflib
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from typing import TYPE_CHECKING

from .problems import UsageError

if TYPE_CHECKING:
    from rdflib.term import Node

    from .namespaces import PrefixMap

_HEADER = re.compile(r"^#\s*(title|description|param)\s*:\s*(.*)$")
_IRI = re.compile(r'^[^<>"{}|^`\\\x00-\x20]*$')
_N3_LITERAL = re.compile(r'^"((?:[^"\\]|\\.)*)"(?:@([A-Za-z]+(?:-[A-Za-z0-9]+)*)|\^\^(\S+))?$')


@dataclass
class NamedQuery:
    name: str
    path: Path
    text: str
    title: str = ""
    description: str = ""
    params: dict[str, str] = field(default_factory=dict)


def read_query(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    query = NamedQuery(path.stem, path, text)
    for line in text.splitlines():
        match = _HEADER.match(line.strip())
        if not match:
            if line.strip() and not line.lstrip().startswith("#"):
                break
            continue
        key, value = match.groups()
        if key == "title":
            query.title = value.strip()
        elif key == "description":
            query.description = " ".join(filter(None, [query.description, value.strip()]))
        else:
            name, _, meaning = value.strip().partition(" ")
            query.params[name.lstrip("?$")] = meaning.strip()
    return query


def named_queries(folder: Path) -> dict[str, NamedQuery]:
    """Every ``*.rq`` file of the folder by its id (the file name without ``.rq``)."""
    return {path.stem: read_query(path) for path in sorted(folder.glob("*.rq"))}


def resolve(name_or_text: str, folder: Path) -> NamedQuery:
    """A named query, a path to an ``.rq`` file, or SPARQL text itself."""
    catalogue = named_queries(folder)
    if name_or_text in catalogue:
        return catalogue[name_or_text]
    candidate = Path(name_or_text)
    if name_or_text.endswith(".rq"):
        if not candidate.is_file():
            raise UsageError(f"{name_or_text}: no such query file")
        return read_query(candidate)
    if any(space in name_or_text.strip() for space in " \t\n"):  # query names never hold spaces
        return NamedQuery("<text>", Path("<text>"), name_or_text)
    close = difflib.get_close_matches(name_or_text, catalogue, n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else "; `exograph queries` lists them"
    raise UsageError(f"unknown query '{name_or_text}'{hint}")


XSD = "http://www.w3.org/2001/XMLSchema#"


def to_term(value: object, prefixes: "PrefixMap") -> "Node":
    """A parameter value as an rdflib term (see :func:`param_term`)."""
    from .store import to_rdflib

    return to_rdflib(param_term(value, prefixes))


def param_term(value: object, prefixes: "PrefixMap") -> tuple:
    """A parameter value as the store's engine-neutral term.

    RDF terms pass through; a CURIE with a declared prefix or an ``<IRI>`` becomes an IRI;
    N3 literals (``"3"^^xsd:integer``, ``"x"@en``) are parsed; numbers and booleans become
    typed literals; any other text is a plain string literal.
    """
    if isinstance(value, tuple):
        return value
    if "rdflib" in sys.modules:
        from rdflib.term import Node

        if isinstance(value, Node):
            from .store import from_rdflib

            return from_rdflib(value)
    if isinstance(value, bool):
        return ("l", str(value).lower(), XSD + "boolean", None)
    if isinstance(value, int):
        return ("l", str(value), XSD + "integer", None)
    if isinstance(value, float):
        return ("l", repr(value), XSD + "double", None)
    text = str(value)
    if text.startswith("<") and text.endswith(">"):
        if not _IRI.match(text[1:-1]):
            raise UsageError(f"{text} is not one IRI: an IRI holds no spaces, quotes, braces or angle brackets")
        return ("i", text[1:-1])
    if text.startswith('"'):
        return _n3_literal(text, prefixes)
    if prefixes.check(text) is None:
        return ("i", prefixes.expand_iri(text))
    return ("l", text, None, None)


def _n3_literal(text: str, prefixes: "PrefixMap") -> tuple:
    """A whole N3 literal: ``"text"``, ``"text"@en`` or ``"3"^^xsd:integer``; anything more is an error."""
    match = _N3_LITERAL.match(text)
    if not match:
        raise UsageError(f"cannot read {text} as one RDF literal (\"text\", \"text\"@lang or \"value\"^^datatype)")
    value, language, datatype = match.groups()
    value = re.sub(r"\\(.)", r"\1", value)
    if datatype is None:
        return ("l", value, None, language)
    if datatype.startswith("<") and datatype.endswith(">"):
        return ("l", value, datatype[1:-1], None)
    if datatype.startswith("xsd:"):
        return ("l", value, XSD + datatype[4:], None)
    if prefixes.check(datatype) is None:
        return ("l", value, prefixes.expand_iri(datatype), None)
    raise UsageError(f"unknown datatype {datatype} in {text}")


def parse_param(assignment: str, prefixes: "PrefixMap") -> tuple[str, tuple]:
    """``name=value`` from the command line -> (name, the store's term)."""
    name, sep, value = assignment.partition("=")
    if not sep or not name.strip():
        raise UsageError(f"--param wants name=value, got '{assignment}'")
    return name.strip().lstrip("?$"), param_term(value, prefixes)
