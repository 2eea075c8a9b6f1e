"""A lint for named queries: shapes whose cost grows with the graph instead of with the answer.

It reads the query text (no SPARQL engine), group by group, where a group is the text between
one ``{`` and its ``}`` without the groups nested in it, and warns on:

- ``claim-product``: two or more variables typed ``exos:Claim`` in one group. Engines may join
  them as a product of all claims; reach each claim from a bound entity (``rdf:subject``/``rdf:object``).
- ``path-in-claim-group``: a ``*`` property path in a group that also matches claims, where it is
  evaluated for every candidate claim. Compute the closure once in a sub-select (or a FILTER EXISTS).
- ``filter-join-in-optional``: a FILTER comparing two variables (``=``, ``IN``, ``sameTerm``) inside
  OPTIONAL, which enumerates every pair before filtering. Join on the shared variables instead.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .problems import Problem, display_path

_TOKEN = re.compile(r"""
    (?P<space>\s+) | (?P<comment>\#[^\n]*)
  | (?P<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<var>[?$][A-Za-z0-9_]+)
  | (?P<name>[A-Za-z_][\w.-]*:[\w.-]*|:[\w.-]*|[A-Za-z_][\w-]*)
  | (?P<op>!=|<=|>=|&&|\|\||[{}()\[\].;,*+?/|^=<>!])
  | (?P<other>\S)""", re.X)
_CLAIM_TYPES = {"exos:Claim", "<https://w3id.org/exograph/schema/Claim>"}
_TYPE = {"a", "rdf:type", "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"}
_KEYWORDS = {"FILTER", "BIND", "VALUES", "OPTIONAL", "MINUS", "UNION", "SELECT", "DISTINCT", "REDUCED", "WHERE",
             "GRAPH", "SERVICE", "AS", "EXISTS", "NOT", "ORDER", "GROUP", "BY", "LIMIT", "OFFSET", "HAVING"}
_REIFICATION = {"rdf:subject", "rdf:predicate", "rdf:object"}
HINTS = {
    "claim-product": "bind each claim through rdf:subject / rdf:object of an entity already bound, and drop the extra `a exos:Claim`",
    "path-in-claim-group": "compute the closure once, in a sub-select { SELECT ?x WHERE { ?x p* c } } or a FILTER EXISTS",
    "filter-join-in-optional": "join on the shared variable itself (use the same variable name) instead of comparing in a FILTER",
}


@dataclass
class _Token:
    kind: str
    text: str
    line: int
    glued: bool  # no white space before it


@dataclass
class _Group:
    opener: str  # the keyword before "{": OPTIONAL, EXISTS, WHERE, UNION ... or ""
    tokens: list[_Token] = field(default_factory=list)


def _tokens(text: str) -> list[_Token]:
    tokens, line, glued = [], 1, False
    for match in _TOKEN.finditer(text):
        kind, value = match.lastgroup, match.group()
        if kind in ("space", "comment"):
            glued = False
        else:
            tokens.append(_Token(kind, value, line, glued))
            glued = True
        line += value.count("\n")
    return tokens


def _groups(tokens: list[_Token]) -> list[_Group]:
    """Every ``{ ... }`` group with its own tokens (nested groups left out)."""
    done, stack = [], [_Group("")]
    for index, token in enumerate(tokens):
        if token.text == "{":
            before = tokens[index - 1].text.upper() if index else ""
            stack.append(_Group(before))
        elif token.text == "}" and len(stack) > 1:
            done.append(stack.pop())
        else:
            stack[-1].tokens.append(token)
    return done + stack


def _triples(tokens: list[_Token]):
    """(subject, predicate, object, line) of the triple patterns of a group; a path is one predicate."""
    subject = predicate = None
    expect, depth = "subject", 0
    for token in tokens:
        if token.text in ("(", "["):
            if depth == 0 and expect == "predicate":
                predicate = _Token("path", "(path)", token.line, False)
            depth += 1
            continue
        if token.text in (")", "]"):
            depth -= 1
            if depth == 0 and predicate is not None and predicate.kind == "path":
                expect = "object"
            continue
        if depth:
            continue
        if token.text == ".":
            expect = "subject"
        elif token.text == ";":
            expect = "predicate"
        elif token.text == ",":
            expect = "object"
        elif token.text in ("/", "|") and expect == "object":
            expect = "predicate"  # the path goes on: keep the first step as the predicate's name
        elif token.kind == "name" and token.text.upper() in _KEYWORDS:
            expect = "subject"
        elif token.kind in ("var", "iri", "name", "string"):
            if expect == "subject":
                subject, predicate, expect = token, None, "predicate"
            elif expect == "predicate":
                predicate = predicate if predicate is not None and predicate.kind == "path" else token
                expect = "object"
            elif expect == "object" and subject is not None and predicate is not None:
                yield subject.text, predicate.text, token.text, token.line


def _filter_joins(tokens: list[_Token]):
    """Lines of FILTERs that compare two variables."""
    for index, token in enumerate(tokens):
        if token.text.upper() != "FILTER":
            continue
        depth, body = 0, []
        for inner in tokens[index + 1:]:
            depth += inner.text == "("
            depth -= inner.text == ")"
            body.append(inner)
            if depth == 0:
                break
        for i, inner in enumerate(body[1:-1], start=1):
            left, right = body[i - 1], body[i + 1]
            if inner.text == "=" and left.kind == "var" and right.kind == "var":
                yield token.line
                break
            if inner.text.upper() == "IN" and left.kind == "var" and any(t.kind == "var" for t in body[i + 1:]):
                yield token.line
                break
            if inner.text.lower() == "sameterm" and sum(t.kind == "var" for t in body[i + 1:i + 5]) >= 2:
                yield token.line
                break


def lint_query(text: str) -> list[tuple[int, str, str]]:
    """(line, rule, message) for each costly shape in one query text."""
    found = []
    for group in _groups(_tokens(text)):
        triples = list(_triples(group.tokens))
        claims: dict[str, int] = {}
        for subject, predicate, obj, line in triples:
            if predicate in _TYPE and obj in _CLAIM_TYPES and subject.startswith(("?", "$")):
                claims.setdefault(subject, line)
        if len(claims) >= 2:
            names = sorted(claims, key=claims.get)
            found.append((claims[names[1]], "claim-product",
                          f"{len(claims)} variables typed exos:Claim in one group ({', '.join(names)})"))
        driven = claims or any(predicate in _REIFICATION for _, predicate, _, _ in triples)
        if driven:
            for index, token in enumerate(group.tokens):
                previous = group.tokens[index - 1] if index else None
                if token.text == "*" and token.glued and previous is not None and previous.text.upper() != "SELECT" \
                        and (previous.kind in ("name", "iri") or previous.text == ")"):
                    found.append((token.line, "path-in-claim-group",
                                  f"the path {previous.text if previous.text != ')' else '(...)'}* is evaluated for each claim of its group"))
        if group.opener == "OPTIONAL":
            for line in _filter_joins(group.tokens):
                found.append((line, "filter-join-in-optional", "a FILTER compares two variables inside OPTIONAL"))
    return sorted(set(found))


def lint_queries(folder: Path, root: Path | None = None) -> list[Problem]:
    """Warnings for every ``*.rq`` file of ``folder``, each naming FILE:line."""
    warnings = []
    for path in sorted(Path(folder).glob("*.rq")):
        shown = display_path(path, root)
        for line, rule, message in lint_query(path.read_text(encoding="utf-8")):
            warnings.append(Problem(shown, line, "", rule, message, HINTS[rule]))
    return warnings
