"""The part of SHACL that the shapes of an ontology folder use, checked in two passes over the compiled
N-Triples: no graph of the data is built, so the check keeps pace with the rows at any size.

Supported: node shapes targeting a class (with its subclasses) or the subjects of a predicate; property
shapes whose path is a predicate or its inverse; sh:class, sh:datatype, sh:nodeKind, sh:minLength,
sh:maxLength, sh:minCount, sh:maxCount, sh:in, sh:hasValue, sh:or, sh:xone, sh:and, sh:not, sh:message and
sh:deactivated; SPARQL SELECT constraints, run by Oxigraph on the triples their query reads. Shapes that
use anything else make :func:`compile_shapes` return None, and the whole SHACL engine runs instead
(:mod:`exograph.validate`). ``tests/test_shacl_engines.py`` holds this checker to pySHACL's results.
"""
from __future__ import annotations

import functools
import io
import re
from typing import Any, Iterator, NamedTuple

from rdflib import OWL, RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import Node

from .ntriples import parse_literal
from .shacl_data import query_predicates

_TYPE = f"<{RDF.type}>".encode()
_SUBCLASS = f"<{RDFS.subClassOf}>".encode()
_ABOUT_SHAPES = {RDF.type, SH.message, SH.severity, SH.name, SH.description, SH.order, SH.group, RDFS.label,
                 RDFS.comment, SH.deactivated}
_VALUE_RULES = {SH["class"], SH.datatype, SH.nodeKind, SH.minLength, SH.maxLength, SH["in"], SH.hasValue,
                SH["or"], SH.xone, SH["and"], SH["not"]}
_COUNTS = {SH.minCount, SH.maxCount}
_TARGETS = {SH.targetClass, SH.targetSubjectsOf}
_TEMPLATE = re.compile(r"\{[?$]")


class Result(NamedTuple):
    """One SHACL validation result: focus node, result path (None for a node shape's constraint), value
    (None for a count), the constraint component's local name and the shape's own message, if any."""

    focus: Node
    path: Node | None
    value: Node | None
    component: str
    message: str | None


class _Unsupported(Exception):
    """The shapes use a part of SHACL this checker leaves to the engine."""


class _Shape(NamedTuple):
    """A shape compiled to rules: (component, argument) pairs checked on each value node, its property
    shapes, the counts of a property shape, its path (predicate bytes, inverse?) and its message."""

    node: Node
    rules: tuple[tuple[str, Any], ...]
    properties: tuple["_Shape", ...]
    counts: tuple[tuple[str, int], ...] = ()
    path: tuple[bytes, bool] | None = None
    message: str | None = None


class _Sparql(NamedTuple):
    query: str
    predicates: frozenset[bytes]
    message: str | None


class _Target(NamedTuple):
    shape: _Shape
    classes: frozenset[bytes]
    subjects_of: frozenset[bytes]
    sparql: tuple[_Sparql, ...]


class Shapes(NamedTuple):
    """Compiled shapes: the targets, and the predicates whose triples the checker reads."""

    targets: tuple[_Target, ...]
    read: frozenset[bytes]
    inverse: frozenset[bytes]


def _iri(term: Node) -> bytes:
    return f"<{term}>".encode("utf-8")


def compile_shapes(shapes: Graph) -> Shapes | None:
    """The shapes as rules for :func:`check`, or None when they use a part of SHACL the checker leaves to the
    engine (a malformed shape among them: the engine reports it)."""
    try:
        return _compile(shapes)
    except _Unsupported:
        return None


def _compile(shapes: Graph) -> Shapes:
    if any(shapes.objects(None, SH.closed)) or any(shapes.subjects(RDF.type, SH.ConstraintComponent)):
        raise _Unsupported
    used = {p for p in shapes.predicates() if str(p).startswith(str(SH))}
    if used - _ABOUT_SHAPES - _VALUE_RULES - _COUNTS - _TARGETS - {SH.property, SH.path, SH.inversePath, SH.sparql,
                                                                 SH.select, SH.prefixes, SH.declare, SH.prefix,
                                                                 SH.namespace}:
        raise _Unsupported
    targets = []
    for node in sorted(set(shapes.subjects(SH.targetClass, None)) | set(shapes.subjects(SH.targetSubjectsOf, None))):
        if _deactivated(shapes, node):
            continue
        if (node, SH.path, None) in shapes or any((node, RDF.type, cls) in shapes for cls in (RDFS.Class, OWL.Class)):
            raise _Unsupported  # a property shape as a target, or implicit class targets
        targets.append(_Target(_shape(shapes, node, top=True),
                               frozenset(_iri(_named(c)) for c in shapes.objects(node, SH.targetClass)),
                               frozenset(_iri(_named(p)) for p in shapes.objects(node, SH.targetSubjectsOf)),
                               tuple(_sparql(shapes, node, c) for c in shapes.objects(node, SH.sparql)
                                     if not _deactivated(shapes, c))))
    read: set[bytes] = set()
    inverse: set[bytes] = set()
    for target in targets:
        for prop in _walk_properties(target.shape):
            (inverse if prop.path[1] else read).add(prop.path[0])
        read |= target.subjects_of
    return Shapes(tuple(targets), frozenset(read), frozenset(inverse))


def _walk_properties(shape: _Shape) -> Iterator[_Shape]:
    for prop in shape.properties:
        yield prop
        yield from _walk_properties(prop)
    for component, argument in shape.rules:
        if component in ("Or", "Xone", "And"):
            for member in argument:
                yield from _walk_properties(member)
        elif component == "Not":
            yield from _walk_properties(argument)


def _named(term: Node) -> URIRef:
    if not isinstance(term, URIRef):
        raise _Unsupported
    return term


def _deactivated(shapes: Graph, node: Node) -> bool:
    value = shapes.value(node, SH.deactivated)
    if value is not None and not (isinstance(value, Literal) and isinstance(value.value, bool)):
        raise _Unsupported
    return bool(value is not None and value.value)


def _count(value: Node) -> int:
    number = value.value if isinstance(value, Literal) else None
    if not (isinstance(number, int) and not isinstance(number, bool) and number >= 0):
        raise _Unsupported
    return number


def _component(predicate: URIRef) -> str:
    """The constraint component of a parameter: sh:minLength -> "MinLength"."""
    name = predicate.rsplit("#", 1)[1]
    return name[0].upper() + name[1:]


def _message(shapes: Graph, node: Node) -> str | None:
    messages = sorted(str(m) for m in shapes.objects(node, SH.message))
    return messages[0] if messages else None


def _list(shapes: Graph, node: Node) -> list[Node]:
    if node != RDF.nil and shapes.value(node, RDF.first) is None:
        raise _Unsupported
    return list(Collection(shapes, node))


def _shape(shapes: Graph, node: Node, top: bool = False, on_focus: bool = True, is_property: bool = False) -> _Shape:
    """A shape's rules; ``on_focus`` is False for a shape checked on value nodes (a member of sh:or on a
    property), whose own triples the checker does not hold, so it may have no property shapes."""
    if _deactivated(shapes, node) or (not is_property and any(p in _COUNTS or p == SH.path
                                                              for p in shapes.predicates(node))):
        raise _Unsupported
    rules: list[tuple[str, Any]] = []
    for predicate, value in sorted(shapes.predicate_objects(node)):
        if predicate == SH["class"]:
            rules.append(("Class", _iri(_named(value))))
        elif predicate == SH.datatype:
            rules.append(("Datatype", _named(value)))
        elif predicate == SH.nodeKind:
            rules.append(("NodeKind", _named(value)))
        elif predicate in (SH.minLength, SH.maxLength):
            rules.append((_component(predicate), _count(value)))
        elif predicate == SH["in"]:
            rules.append(("In", frozenset(_list(shapes, value))))
        elif predicate == SH.hasValue:
            rules.append(("HasValue", value))
        elif predicate in (SH["or"], SH.xone, SH["and"]):
            members = tuple(_shape(shapes, member, on_focus=on_focus) for member in _list(shapes, value))
            rules.append(({SH["or"]: "Or", SH.xone: "Xone", SH["and"]: "And"}[predicate], members))
        elif predicate == SH["not"]:
            rules.append(("Not", _shape(shapes, value, on_focus=on_focus)))
        elif predicate in (SH.targetClass, SH.targetSubjectsOf, SH.sparql) and not top:
            raise _Unsupported
    properties = tuple(_property(shapes, p) for p in sorted(shapes.objects(node, SH.property)))
    if properties and not on_focus:
        raise _Unsupported
    return _Shape(node, tuple(rules), properties, message=_message(shapes, node))


def _property(shapes: Graph, node: Node) -> _Shape:
    path = shapes.value(node, SH.path)
    if isinstance(path, URIRef):
        step = (_iri(path), False)
    elif isinstance(path, BNode) and set(shapes.predicates(path)) == {SH.inversePath}:
        step = (_iri(_named(shapes.value(path, SH.inversePath))), True)
    else:
        raise _Unsupported
    if any(shapes.objects(node, SH.sparql)) or any(shapes.objects(node, SH.property)):
        raise _Unsupported
    counts = tuple((_component(p), _count(v)) for p, v in sorted(shapes.predicate_objects(node)) if p in _COUNTS)
    shape = _shape(shapes, node, on_focus=False, is_property=True)
    return shape._replace(counts=counts, path=step, node=path)


def _sparql(shapes: Graph, shape: Node, constraint: Node) -> _Sparql:
    """A SELECT constraint with its prefixes, and the predicates its query reads."""
    select = [str(s) for s in shapes.objects(constraint, SH.select)]
    message = _message(shapes, constraint) or _message(shapes, shape)
    if len(select) != 1 or set(shapes.predicates(constraint)) - {SH.select, SH.message, SH.prefixes, SH.deactivated}:
        raise _Unsupported
    if message and _TEMPLATE.search(message):
        raise _Unsupported
    prefixes = {str(p): str(n) for declarer in shapes.objects(constraint, SH.prefixes)
                for declaration in shapes.objects(declarer, SH.declare)
                for p in shapes.objects(declaration, SH.prefix) for n in shapes.objects(declaration, SH.namespace)}
    predicates = query_predicates(select[0], prefixes)
    if predicates is None or not _binds_this_at_top(select[0], prefixes):
        raise _Unsupported
    header = "".join(f"PREFIX {p}: <{n}>\n" for p, n in sorted(prefixes.items()))
    return _Sparql(header + select[0], frozenset(_iri(URIRef(p)) for p in predicates), message)


def _binds_this_at_top(text: str, prefixes: dict[str, str]) -> bool:
    """Whether the query is a SELECT of ?this, ?value or ?path whose top group matches $this in a triple pattern,
    with no sub-select: then running it once and keeping the rows of focus nodes equals running it per focus
    node with $this pre-bound."""
    from rdflib.plugins.sparql import prepareQuery

    algebra = prepareQuery(text, initNs=prefixes).algebra
    projected = {str(v) for v in algebra.get("PV", [])}
    if "this" not in projected or not projected <= {"this", "value", "path"} or "ToMultiSet" in repr(algebra):
        return False
    node = algebra["p"]
    while node.name in ("Project", "Filter", "Distinct", "Reduced", "Extend"):
        node = node["p"]
    parts, found = [node], False
    while parts:
        part = parts.pop()
        if part.name == "Join":
            parts += [part["p1"], part["p2"]]
        elif part.name == "BGP":
            found = found or any(str(t[0]) == "this" or str(t[2]) == "this" for t in part["triples"])
    return found


# ---------------------------------------------------------------- checking
def check(ntriples: bytes, shapes: Shapes) -> list[Result]:
    """Every validation result of the shapes on the graph (its N-Triples, a triple a line)."""
    if not ntriples.endswith(b"\n"):
        ntriples += b"\n"
    first = _first_pass(ntriples, shapes)
    checker = _Checker(shapes, first)
    results = _by_subject(ntriples, shapes.read, checker)
    if results is None:  # a subject's lines apart: sorted (as the compiler writes them), they come together
        results = _by_subject(b"".join(sorted(set(io.BytesIO(ntriples)))), shapes.read, checker)
    return results + _sparql_results(shapes, first, checker)


def _by_subject(ntriples: bytes, read: frozenset[bytes], checker: "_Checker") -> list[Result] | None:
    """The results of each subject's lines, or None if the lines of a subject are not together."""
    results: list[Result] = []
    subject, values = b"", {}
    for line in io.BytesIO(ntriples):
        parts = line.split(b" ", 2)
        if len(parts) != 3:
            continue
        if parts[0] != subject:
            if parts[0] < subject:
                return None
            if subject:
                results += checker.subject(subject, values)
            subject, values = parts[0], {}
        if parts[1] in read:
            values.setdefault(parts[1], []).append(parts[2][:-3])
    if subject:
        results += checker.subject(subject, values)
    return results


class _FirstPass(NamedTuple):
    types: dict[bytes, list[bytes]]
    superclasses: dict[bytes, set[bytes]]
    inverse: dict[bytes, dict[bytes, list[bytes]]]
    subjects_of: dict[bytes, set[bytes]]
    sparql_lines: bytes


def _first_pass(ntriples: bytes, shapes: Shapes) -> _FirstPass:
    """Each node's types, each class's superclasses, the subjects of each inverse path's predicate by object,
    the subjects of the predicates that SPARQL-constrained shapes target and the lines the SPARQL constraints
    read: only the lines of those predicates are looked at, found by searching the text for them."""
    wanted = {p for target in shapes.targets for s in target.sparql for p in s.predicates}
    types: dict[bytes, list[bytes]] = {}
    superclasses: dict[bytes, set[bytes]] = {}
    inverse: dict[bytes, dict[bytes, list[bytes]]] = {p: {} for p in shapes.inverse}
    subjects_of: dict[bytes, set[bytes]] = {p: set() for t in shapes.targets if t.sparql for p in t.subjects_of}
    sparql_lines = io.BytesIO()
    for predicate in sorted({_TYPE, _SUBCLASS} | set(inverse) | set(subjects_of) | wanted):
        for subject, obj, line in _lines_of(ntriples, predicate):
            if predicate == _TYPE:
                types.setdefault(subject, []).append(obj)
            elif predicate == _SUBCLASS:
                superclasses.setdefault(subject, set()).add(obj)
            if predicate in inverse:
                inverse[predicate].setdefault(obj, []).append(subject)
            if predicate in subjects_of:
                subjects_of[predicate].add(subject)
            if predicate in wanted:
                sparql_lines.write(line)
    return _FirstPass(types, superclasses, inverse, subjects_of, sparql_lines.getvalue())


def _lines_of(ntriples: bytes, predicate: bytes) -> Iterator[tuple[bytes, bytes, bytes]]:
    """(subject, object, line) of each line whose predicate is ``predicate`` (the text is searched for it:
    far fewer steps in Python than reading every line)."""
    needle, start = b" " + predicate + b" ", 0
    while True:
        found = ntriples.find(needle, start)
        if found < 0:
            return
        begin = ntriples.rfind(b"\n", 0, found) + 1
        end = ntriples.index(b"\n", found) + 1
        start = end
        line = ntriples[begin:end]
        parts = line.split(b" ", 2)
        if len(parts) == 3 and parts[1] == predicate:  # not the predicate's IRI as an object or in a literal
            yield parts[0], parts[2][:-3], line


class _Checker:
    """The shapes made into plain functions over N-Triples terms, with the types read by the first pass."""

    def __init__(self, shapes: Shapes, first: _FirstPass):
        self.types, self.superclasses, self.inverse = first.types, first.superclasses, first.inverse
        self._closure: dict[tuple[bytes, ...], frozenset[bytes]] = {}
        self._targets: dict[tuple, list[int]] = {}
        self._plans: dict[_Shape, tuple] = {}
        self.targets = shapes.targets
        self.by_class: dict[bytes, list[int]] = {}
        self.by_predicate: dict[bytes, list[int]] = {}
        for index, target in enumerate(shapes.targets):
            for cls in target.classes:
                self.by_class.setdefault(cls, []).append(index)
            for predicate in target.subjects_of:
                self.by_predicate.setdefault(predicate, []).append(index)
        self.plans = [[self._plan(prop) for prop in target.shape.properties] for target in shapes.targets]
        self.node_tests = [[(component, self._node_test(component, argument)) for component, argument in target.shape.rules]
                           for target in shapes.targets]

    def _plan(self, prop: _Shape) -> tuple:
        """A property shape as (predicate, inverse?, path node, min count, max count, value tests, message),
        made once per shape."""
        plan = self._plans.get(prop)
        if plan is None:
            plan = self._plans[prop] = self._make_plan(prop)
        return plan

    def _make_plan(self, prop: _Shape) -> tuple:
        minimum = max((limit for component, limit in prop.counts if component == "MinCount"), default=0)
        maximum = min((limit for component, limit in prop.counts if component == "MaxCount"), default=None)
        tests = [(component, self._value_test(component, argument)) for component, argument in prop.rules]
        return (*prop.path, prop.node, minimum, maximum, tests, prop.message)

    def _node_test(self, component: str, argument: Any):
        """A function telling whether a focus node (with its objects by predicate) meets one rule."""
        if component in ("Or", "Xone", "And", "Not"):
            return lambda node, values: self.rule(component, argument, node, values)
        test = self._value_test(component, argument)
        return lambda node, values: test(node)

    def _value_test(self, component: str, argument: Any):
        """A function telling whether a value node (an N-Triples term) meets one rule."""
        if component == "Class":
            passes: dict[bytes, bool] = {}  # value nodes of a class rule are few and come again and again

            def test(node: bytes) -> bool:
                found = passes.get(node)
                if found is None:
                    found = passes[node] = self.is_instance(node, argument)
                return found
            return test
        return lambda node: self.rule(component, argument, node, None)

    def classes(self, node: bytes) -> frozenset[bytes]:
        """The classes of a node: its types and their superclasses (computed once per set of types)."""
        types = tuple(self.types.get(node, ()))
        found = self._closure.get(types)
        if found is None:
            found, todo = set(), list(types)
            while todo:
                cls = todo.pop()
                if cls not in found:
                    found.add(cls)
                    todo += self.superclasses.get(cls, ())
            found = self._closure[types] = frozenset(found)
        return found

    def is_instance(self, node: bytes, cls: bytes) -> bool:
        """sh:class: an IRI or blank node with ``cls`` among its classes."""
        return node[:1] in (b"<", b"_") and cls in self.classes(node)

    def subject(self, node: bytes, values: dict[bytes, list[bytes]]) -> list[Result]:
        """The results of every shape targeting one node, whose objects by predicate are ``values``."""
        key = (tuple(self.types.get(node, ())), tuple(values))
        targets = self._targets.get(key)
        if targets is None:
            found = {i for cls in self.classes(node) for i in self.by_class.get(cls, ())}
            found.update(i for predicate in values for i in self.by_predicate.get(predicate, ()))
            targets = self._targets[key] = sorted(found)
        results: list[Result] = []
        for index in targets:
            shape = self.targets[index].shape
            for component, test in self.node_tests[index]:
                if not test(node, values):
                    results.append(Result(_term(node), None, _term(node), component, shape.message))
            for plan in self.plans[index]:
                predicate, inverse, path, minimum, maximum, tests, message = plan
                objects = self.inverse[predicate].get(node, ()) if inverse else values.get(predicate, ())
                if len(objects) < minimum or (maximum is not None and len(objects) > maximum):
                    results += self.property_results(node, objects, plan)
                    continue
                for obj in objects:
                    for _, test in tests:
                        if not test(obj):
                            break
                    else:
                        continue
                    results += self.property_results(node, objects, plan)
                    break
        return results

    def property_results(self, node: bytes, objects: Any, plan: tuple) -> list[Result]:
        """The results of one property shape on a focus node whose values (on its path) are ``objects``."""
        _, _, path, minimum, maximum, tests, message = plan
        focus, results = _term(node), []
        if len(objects) < minimum:
            results.append(Result(focus, path, None, "MinCount", message))
        if maximum is not None and len(objects) > maximum:
            results.append(Result(focus, path, None, "MaxCount", message))
        for obj in objects:
            results += [Result(focus, path, _term(obj), component, message) for component, test in tests if not test(obj)]
        return results

    def conforms(self, node: bytes, values: dict | None, shape: _Shape) -> bool:
        """Whether a node meets a shape (a member of sh:or, sh:xone, sh:and, sh:not); ``values`` as for :meth:`rule`."""
        if not all(self.rule(component, argument, node, values) for component, argument in shape.rules):
            return False
        if values is None:
            return True
        for prop in shape.properties:
            plan = self._plan(prop)
            objects = self.inverse[plan[0]].get(node, ()) if plan[1] else values.get(plan[0], ())
            if self.property_results(node, objects, plan):
                return False
        return True

    def rule(self, component: str, argument: Any, node: bytes, values: dict | None) -> bool:
        """Whether a node meets one rule (``values``: its objects by predicate, when it is a focus node)."""
        if component == "Class":
            return self.is_instance(node, argument)
        if component == "Datatype":
            return _has_datatype(node, argument)
        if component == "NodeKind":
            return _kind(node) in _KINDS.get(argument, ())
        if component in ("MinLength", "MaxLength"):
            if node.startswith(b"_:"):
                return False
            length = len(parse_literal(node.decode("utf-8"))[0] if node[:1] == b'"' else node[1:-1].decode("utf-8"))
            return length >= argument if component == "MinLength" else length <= argument
        if component == "In":
            return _term(node) in argument
        if component == "HasValue":
            return _term(node) == argument
        if component == "Or":
            return any(self.conforms(node, values, member) for member in argument)
        if component == "Xone":
            return sum(self.conforms(node, values, member) for member in argument) == 1
        if component == "And":
            return all(self.conforms(node, values, member) for member in argument)
        return not self.conforms(node, values, argument)  # Not


_KINDS = {SH.IRI: {"iri"}, SH.BlankNode: {"blank"}, SH.Literal: {"literal"}, SH.BlankNodeOrIRI: {"blank", "iri"},
          SH.BlankNodeOrLiteral: {"blank", "literal"}, SH.IRIOrLiteral: {"iri", "literal"}}


def _kind(term: bytes) -> str:
    return {b"<": "iri", b"_": "blank"}.get(term[:1], "literal")


@functools.lru_cache(maxsize=65536)
def _term(term: bytes) -> Node:
    """An N-Triples term as an rdflib term."""
    if term.startswith(b"<"):
        return URIRef(term[1:-1].decode("utf-8"))
    if term.startswith(b"_:"):
        return BNode(term[2:].decode("utf-8"))
    text, datatype, language = parse_literal(term.decode("utf-8"))
    return Literal(text, lang=language, datatype=URIRef(datatype) if datatype else None)


def _has_datatype(term: bytes, datatype: URIRef) -> bool:
    """sh:datatype as pySHACL reads it: a well-formed literal of that datatype; a plain literal is an
    xsd:string, a tagged one an rdf:langString; every literal an rdfs:Literal."""
    if term[-1:] == b'"':  # a plain literal (most of them, each met once: not worth keeping)
        return datatype in (XSD.string, RDFS.Literal)
    return _has_datatype_kept(term, datatype)


@functools.lru_cache(maxsize=65536)
def _has_datatype_kept(term: bytes, datatype: URIRef) -> bool:
    if term[:1] != b'"':
        return False
    literal = _term(term)
    if literal.datatype == datatype:
        return literal.ill_typed is not True
    if datatype == RDFS.Literal or (datatype == RDFS.Datatype and literal.datatype is not None):
        return True
    if literal.datatype is None:
        return datatype == (RDF.langString if literal.language else XSD.string)
    return False


def _sparql_results(shapes: Shapes, first: _FirstPass, checker: _Checker) -> list[Result]:
    """The rows of each SELECT constraint, run once on a store of the triples it reads, kept for focus nodes."""
    constraints = [(target, s) for target in shapes.targets for s in target.sparql]
    if not constraints:
        return []
    from .store import ntriples_store

    store = ntriples_store(first.sparql_lines, {})
    results = set()
    for target, constraint in constraints:
        answer = store.query(constraint.query, timeout=None, limit=None)
        for row in answer.rows:
            found = dict(zip(answer.variables, row))
            this = found["this"]
            node = f"<{this}>".encode("utf-8") if isinstance(this, URIRef) else None
            if node is None or not (checker.classes(node) & target.classes
                                    or any(node in first.subjects_of[p] for p in target.subjects_of)):
                continue
            value = found.get("value")
            results.add(Result(this, found.get("path"), this if value is None else value, "SPARQL", constraint.message))
    return sorted(results)
