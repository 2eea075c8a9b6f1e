"""Named SPARQL queries: ``ontology/queries/NAME.rq`` files with a comment header.

Header lines, before the query text::

    # title: One line saying what the query answers
    # description: Longer text (may repeat)
    # param: name  what the parameter means (may repeat)
    # param: name [IRI]  a parameter whose value is a node of the graph
    # param: name  "one" or "other"  a parameter that takes only these values (quoted, joined by , or "or")

Every declared parameter must be given, and no other. An ``[IRI]`` parameter takes a CURIE,
an ``<IRI>``, a full IRI, or a label, synonym or local id that names one entity. A parameter
whose description is only quoted values takes one of those values and nothing else.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Mapping

from .paths import read_regular
from .problems import UsageError, display_path

if TYPE_CHECKING:
    from rdflib.term import Node

    from .namespaces import PrefixMap

_HEADER = re.compile(r"^#\s*(title|description|param)\s*:\s*(.*)$")
_PARAM = re.compile(r"^[?$]?(\w+)\s*(\[IRI\])?\s*(.*)$")
_CHOICES = re.compile(r'^"[^"]*"(?:\s*(?:,|\bor\b)\s*"[^"]*")+$')
_IRI = re.compile(r'^[^<>"{}|^`\\\x00-\x20]*$')
_FULL_IRI = re.compile(r"^https?://\S+$")
_N3_LITERAL = re.compile(r'^"((?:[^"\\]|\\.)*)"(?:@([A-Za-z]+(?:-[A-Za-z0-9]+)*)|\^\^(\S+))?$')


class NamedQuery:
    """A query and what its file declares: ``params`` maps each parameter to what it means,
    ``iri_params`` are those declared [IRI]; ``declared`` for a query file (whose # param: lines say
    every parameter), not ad-hoc text."""

    def __init__(self, name: str, path: Path, text: str, declared: bool = False):
        self.name, self.path, self.text, self.declared = name, path, text, declared
        self.title = self.description = ""
        self.params: dict[str, str] = {}
        self.iri_params: set[str] = set()

    @property
    def allowed(self) -> dict[str, list[str]]:
        """The values each parameter is limited to (those whose description is only quoted values)."""
        return {name: re.findall(r'"([^"]*)"', meaning) for name, meaning in self.params.items()
                if _CHOICES.match(meaning.strip())}

    def check_params(self, given: Mapping[str, object] | Iterable[str], how: str = "--param {name}=VALUE") -> None:
        """Raise :class:`UsageError` for a missing or unknown parameter, naming the declared ones, and
        for a value outside a parameter's allowed values (when ``given`` maps names to values).
        ``how`` says how a parameter is given (``{name}`` is filled in): a CLI flag by default."""
        if not self.declared:  # ad-hoc text: the store refuses names that are not its variables
            return
        declared = ", ".join(self.params) or "none"
        for name in given:
            if name not in self.params:
                import difflib  # only for the error: a query's start pays for no import it does not use

                close = difflib.get_close_matches(name, self.params, n=1, cutoff=0.5)
                hint = f"did you mean {close[0]}? " if close else ""
                raise UsageError(f"query '{self.name}' has no parameter '{name}'; {hint}its parameters: {declared}")
        missing = [name for name in self.params if name not in given]
        if missing:
            raise UsageError(f"query '{self.name}' needs {how.format(name=missing[0])} ({self.params[missing[0]] or 'no description'}); "
                             f"its parameters: {declared}")
        if isinstance(given, Mapping):
            for name, values in self.allowed.items():
                value = str(given[name]).strip().strip('"')  # text, or an N3 literal "text"
                if value not in values:
                    choices = " or ".join(f'"{v}"' for v in values)
                    raise UsageError(f"query '{self.name}' takes {name} {choices}, not \"{value}\"")

    def signature(self) -> str:
        """The parameters as ``name=IRI, text=TEXT, direction=increased|decreased`` (empty if none)."""
        return ", ".join(f"{name}={self._kind(name)}" for name in self.params)

    def _kind(self, name: str) -> str:
        if name in self.allowed:
            return "|".join(self.allowed[name])
        return "IRI" if name in self.iri_params else "TEXT"


def read_query(path: Path, shown: str | None = None) -> NamedQuery:
    """A query file with its header; ``UsageError`` naming ``FILE:line`` if it is not UTF-8 text."""
    shown = shown or display_path(path)
    try:
        raw = read_regular(path)
    except OSError as error:
        raise UsageError(f"{shown}: {error.strerror}") from None
    try:
        text = raw.decode("utf-8").lstrip("\ufeff")
    except UnicodeDecodeError as error:
        line = raw[:error.start].count(b"\n") + 1
        raise UsageError(f"{shown}:{line}: byte {error.start + 1} of the file is not UTF-8; save the query as UTF-8") from None
    query = NamedQuery(path.stem, path, text, declared=True)
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
            param = _PARAM.match(value.strip())
            if param:
                name, iri, meaning = param.groups()
                query.params[name] = meaning.strip()
                if iri:
                    query.iri_params.add(name)
    return query


def query_files(folder: Path) -> dict[str, Path]:
    """Every ``*.rq`` file of the folder by its id (the file name without ``.rq``), unread."""
    return {path.stem: path for path in sorted(folder.glob("*.rq"))}


def named_queries(folder: Path) -> dict[str, NamedQuery]:
    """Every readable ``*.rq`` file of the folder by its id; see :func:`read_queries` for the others."""
    return read_queries(folder)[0]


def read_queries(folder: Path, root: Path | None = None) -> tuple[dict[str, NamedQuery], list[str]]:
    """The readable named queries, and an error (``FILE:line: ...``) for each file that is not."""
    found, errors = {}, []
    for name, path in query_files(folder).items():
        try:
            found[name] = read_query(path, display_path(path, root))
        except UsageError as error:
            errors.append(str(error))
    return found, errors


def resolve(name_or_text: str, folder: Path) -> NamedQuery:
    """A named query, a path to an ``.rq`` file, or SPARQL text itself."""
    catalogue = query_files(folder)
    if name_or_text in catalogue:
        return read_query(catalogue[name_or_text])
    candidate = Path(name_or_text)
    if name_or_text.endswith(".rq"):
        if not candidate.is_file():
            raise UsageError(f"{name_or_text}: no such query file")
        return read_query(candidate)
    if any(space in name_or_text.strip() for space in " \t\n"):  # query names never hold spaces
        return NamedQuery("<text>", Path("<text>"), name_or_text)
    raise UsageError(unknown_query(name_or_text, catalogue, "`exograph queries` lists them"))


def unknown_query(name: str, names: Iterable[str], listing: str) -> str:
    """The message for a query name that is not in ``names``: the close ones, else where ``listing`` is."""
    import difflib

    close = difflib.get_close_matches(name, list(names), n=3)
    return f"unknown query '{name}'; " + (f"did you mean {', '.join(close)}?" if close else listing)


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


def node_term(value: object, prefixes: "PrefixMap", exists: Callable[[str], bool],
              entities: Callable[[], list[tuple[str, dict]]]) -> tuple:
    """The node an [IRI] parameter value names, as the store's term: an RDF term, ``<IRI>``, a CURIE
    or full IRI for which ``exists(iri)``, or a label, synonym or local id of one of ``entities()``
    (see :func:`exograph.network.match_entity`; else a did-you-mean error)."""
    if type(value) is not str or value.startswith("<"):  # rdflib terms are str subclasses
        return param_term(value, prefixes)
    text = value.strip()
    iri = None
    if _FULL_IRI.match(text):
        iri = text
    elif prefixes.check(text) is None:
        iri = prefixes.expand_iri(text)
    if iri is not None and exists(iri):
        return ("i", iri)
    from .network import match_entity

    candidates = entities()
    return ("i", dict(candidates)[match_entity(candidates, text)]["iri"])


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


def parse_param(assignment: str) -> tuple[str, str]:
    """``name=value`` from the command line -> (name, value)."""
    name, sep, value = assignment.partition("=")
    if not sep or not name.strip():
        raise UsageError(f"--param wants name=value, got '{assignment}'")
    return name.strip().lstrip("?$"), value
