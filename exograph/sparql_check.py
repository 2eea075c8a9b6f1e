"""A fast lexical check of SPARQL text, before any engine sees it.

:func:`scan` splits the text into code, strings, IRIs and comments the way a SPARQL lexer
does, so that a keyword inside a string, an IRI, a prefixed name or a comment never counts,
and a keyword in code always does. It runs on the raw text and on the text with ``\\uXXXX``
escapes decoded (SPARQL decodes them before parsing; Oxigraph only inside strings and IRIs),
and a query is refused if either reading holds a refused keyword. Where the two lexers could
disagree (an IRI-shaped ``<...>`` holding an apostrophe, which is either an IRI or a ``<``
comparison with a string) the text is refused as ambiguous.
"""
from __future__ import annotations

import re
import sys

QUERY_TIMEOUT = 60.0  # seconds: the default deadline of every query, in every door (the CLI's `query --timeout`)
QUERY_ROWS = 100_000  # the default row cap of every query, in every door (the CLI's `query --limit`)
MAX_QUERY_CHARS = 100_000  # named queries are 1-5 kB; a larger text is a mistake or an attack
MAX_DEPTH = 64  # Oxigraph crashes the process on groups nested thousands deep
# Operators (+ ! / | || ...) and group keywords (UNION, OPTIONAL, MINUS, BIND, GRAPH, VALUES) chained in
# one expression or group nest the engine's syntax tree one level each: Oxigraph 0.5 crashes the
# process at 10,000 '!' or '+' and at about 3,000 MINUS or BIND (main thread, 8 MB stack).
MAX_CHAIN = 1200
CHAIN_WORDS = {"UNION", "OPTIONAL", "MINUS", "BIND", "GRAPH", "VALUES"}

FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATES = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_PN_LOCAL = r"(?:[\w\-.:%]|\\[_~.\-!$&'()*+,;=/?#@%])*"
_TOKEN = re.compile(r"""
    (?P<string>'''(?:'{0,2}(?:[^'\\]|\\.))*'''|\"\"\"(?:"{0,2}(?:[^"\\]|\\.))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
   |(?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
   |(?P<comment>\#[^\n\r]*)
   |(?P<var>[?$]\w+)
   |(?P<pname>(?:[^\W\d_][\w\-.]*)?:""" + _PN_LOCAL + r""")
   |(?P<bnode>_:[\w\-.]*)
   |(?P<number>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)
   |(?P<word>[A-Za-z_]\w*)
   |(?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
   |(?P<compare>!=|<=|>=|\^\^)
   |(?P<op>\|\||&&|[!+\-*/|^])
   |(?P<open>[{(\[])
   |(?P<close>[})\]])
   |(?P<other>[^\s])
""", re.VERBOSE | re.DOTALL)


class QueryCheckError(ValueError):
    """The text is refused; ``kind`` is "service", "from", "update", "size", "depth", "syntax" or "limit"."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


class Scan:
    """What the lexer saw: code words (upper-cased) with their offsets, braces, variables, prefixes."""

    def __init__(self) -> None:
        self.words: list[tuple[str, int]] = []
        self.depth = 0
        self.chain = 0  # the most operators and group keywords open at once: brackets, plus those chained at each level
        self.braces: list[int] = []  # offsets of '{' in code
        self.variables: set[str] = set()
        self.used_prefixes: set[str] = set()
        self.declared_prefixes: set[str] = set()
        self.numbers_after: dict[str, list[str]] = {}  # LIMIT / OFFSET -> their numbers
        self.relative_iris: list[str] = []  # <...> without a scheme: they need a base IRI


def decode_escapes(text: str) -> str:
    """``\\uXXXX`` and ``\\UXXXXXXXX`` replaced by the characters they stand for."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)) if int(m.group(1) or m.group(2), 16) < 0x110000
                       else m.group(0), text)


def scan(text: str) -> Scan:
    """Lex ``text`` once; raise :class:`QueryCheckError` if the reading is ambiguous or nested too deeply.

    Besides the bracket depth it measures how deep the engine's syntax tree can get: each open
    bracket counts one, and so does each operator or group keyword chained at each open level
    (``1+1+1`` is two deep, ``!!x`` two), except inside ``VALUES`` data blocks, which hold terms only.
    """
    found = Scan()
    chained = [0]  # per open bracket level: operators and group keywords seen so far
    data = [False]  # per open bracket level: inside a VALUES data block
    values_pending = False
    previous = ""
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        value = match.group()
        if kind == "iri" and "'" in value:
            raise QueryCheckError("syntax", f"'{value}' is ambiguous (an IRI, or '<' and a string): "
                                            "put spaces around a '<' comparison")
        if kind == "iri" and not _SCHEME.match(value, 1):
            found.relative_iris.append(value)
        if kind == "word":
            upper = value.upper()
            found.words.append((upper, match.start()))
            if upper in CHAIN_WORDS and not data[-1]:
                chained[-1] += 1
                found.chain = max(found.chain, len(chained) - 1 + sum(chained))
            values_pending = values_pending or upper == "VALUES"
        elif kind == "op" and not data[-1]:
            chained[-1] += 1
            found.chain = max(found.chain, len(chained) - 1 + sum(chained))
        elif kind == "open":
            chained.append(0)
            data.append(data[-1] or (values_pending and value == "{"))
            values_pending = values_pending and value != "{"
            found.depth = max(found.depth, len(chained) - 1)
            if value == "{":
                found.braces.append(match.start())
        elif kind == "close":
            if len(chained) > 1:
                chained.pop()
                data.pop()
        elif kind == "var":
            found.variables.add(value[1:])
        elif kind == "pname":
            prefix = value.partition(":")[0]
            if previous == "PREFIX":
                found.declared_prefixes.add(prefix)
            else:
                found.used_prefixes.add(prefix)
        elif kind == "number" and previous in ("LIMIT", "OFFSET"):
            found.numbers_after.setdefault(previous, []).append(value)
        if kind not in ("comment",):
            previous = value.upper() if kind == "word" else kind
    return found


def _refuse(found: Scan, allow_from: bool) -> None:
    words = {word for word, _ in found.words}
    if "SERVICE" in words:
        raise QueryCheckError("service", "SERVICE is not allowed: exograph does not send queries to other endpoints")
    if "FROM" in words and not allow_from:
        raise QueryCheckError("from", "FROM / FROM NAMED is not allowed here: it could make the engine load graphs "
                                      "from elsewhere")
    if words & UPDATES:
        raise QueryCheckError("update", "SPARQL updates (INSERT, DELETE, LOAD, CLEAR ...) are not allowed: exograph runs queries only")
    if found.depth > MAX_DEPTH:
        raise QueryCheckError("depth", f"the query is nested {found.depth} deep; at most {MAX_DEPTH} levels of {{ }} and ( ) are allowed")
    if found.chain > MAX_CHAIN:
        raise QueryCheckError("depth", f"the query chains {found.chain:,} operators, path steps or group keywords "
                                       "(+ - * / ! | || && ^, UNION, OPTIONAL, MINUS, BIND, GRAPH, VALUES) inside one "
                                       f"another; at most {MAX_CHAIN:,} are allowed: split the expression or path")
    for keyword, numbers in found.numbers_after.items():
        for number in numbers:
            if number.isdigit() and int(number) > sys.maxsize:
                raise QueryCheckError("limit", f"{keyword} {number} is larger than any result can be; "
                                               f"use at most {sys.maxsize} (or leave it out)")


def check(text: str, allow_from: bool = False) -> tuple[str, Scan]:
    """The query form of ``text`` and its scan; :class:`QueryCheckError` if it is refused.

    ``allow_from`` lets FROM / FROM NAMED through, for an engine that only selects among the graphs
    it holds (:meth:`exograph.store.Store.query`); an engine that may fetch them (rdflib's own
    SPARQL, as SHACL-SPARQL runs it) must keep the default.
    """
    if len(text) > MAX_QUERY_CHARS:
        raise QueryCheckError("size", f"the query text has {len(text):,} characters; at most {MAX_QUERY_CHARS:,} are allowed")
    raw = scan(text)
    _refuse(raw, allow_from)
    decoded_text = decode_escapes(text)
    decoded = scan(decoded_text) if decoded_text != text else raw
    _refuse(decoded, allow_from)
    for found in (raw, decoded):
        for word, _ in found.words:
            if word in FORMS:
                return word, found
    raise QueryCheckError("syntax", "SPARQL syntax error: no SELECT, ASK, CONSTRUCT or DESCRIBE found")
