"""What changed between two versions of the curated data: claims added, removed and changed (by field),
entities, their mappings to standard identifiers, and publications; as text, Markdown or JSON.

A version is an ontology folder or a git revision of the checkout that holds the ontology folder.
Rows are compared as curated (cells by column name), so a column added between the versions shows
as a changed field; qualifiers and quantities count as fields of their claim.
"""
from __future__ import annotations

import io
import json
import subprocess
import tarfile
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from .paths import OntologyLayout
from .problems import DataProblems, UsageError
from .tables import Row, TableSpec, decode_lines, read_table

MAPPINGS = ("exact_match", "close_match")  # entity columns reported as mappings, one identifier at a time
PUBLICATION_IDS = ("pmid", "doi", "pmcid")
SHORT = 60  # text and Markdown show old -> new for values up to this long, else only that the field changed


@dataclass
class Version:
    """One side of a diff: where it came from and its curated rows by id."""

    source: str
    release: str | None = None
    claims: dict[str, dict[str, str]] = field(default_factory=dict)
    entities: dict[str, dict[str, str]] = field(default_factory=dict)
    publications: dict[str, dict[str, str]] = field(default_factory=dict)

    def mappings(self) -> set[tuple[str, str, str]]:
        return {(entity, column, identifier) for entity, cells in self.entities.items()
                for column in MAPPINGS for identifier in _items(cells.get(column, ""))}

    def counts(self) -> dict:
        return {"source": self.source, "version": self.release, "claims": len(self.claims),
                "entities": len(self.entities), "mappings": len(self.mappings()), "publications": len(self.publications)}


def _items(cell: str) -> list[str]:
    return [part.strip() for part in cell.split("|") if part.strip()]


def _table(path: Path, key: str, root: Path, problems: list) -> list[Row]:
    """The rows of a curated table, read with the columns its own header names (none if it is absent)."""
    if not path.is_file():
        return []
    lines, _ = decode_lines(path, str(path))
    header = tuple((lines[0] or "").split("\t")) if lines else (key,)
    table, found = read_table(path, TableSpec(path.stem, header, (key,)), root)
    problems.extend(found)
    return table.rows


def _rows(path: Path, key: str, root: Path, problems: list) -> dict[str, dict[str, str]]:
    """The cells of each row of a curated table by its ``key`` cell."""
    return {row[key]: {column: value for column, value in row.cells.items() if column != key}
            for row in _table(path, key, root, problems)}


def read_version(folder: Path, source: str, shown: str = "") -> Version:
    """The curated rows of an ontology folder; unreadable or malformed tables raise :class:`DataProblems`,
    their files prefixed with ``shown`` (which side of the diff they are on)."""
    layout = OntologyLayout(folder)
    layout.check()
    problems: list = []
    version = Version(source)
    for path in layout.claim_files:
        version.claims.update(_rows(path, "id", layout.root, problems))
    for claim, cells in _rows(layout.claim_qualifiers, "claim", layout.root, problems).items():
        version.claims.get(claim, {}).update({column: value for column, value in cells.items() if value})
    quantities: dict[str, list[str]] = {}
    for row in _table(layout.quantities, "claim", layout.root, problems):
        text = " ".join(filter(None, (row["kind"], row["comparator"], row["value"] + (f"-{row['value_max']}" if row["value_max"] else ""),
                                      row["unit"], f"({row['note']})" if row["note"] else "")))
        quantities.setdefault(row["claim"], []).append(text)
    for claim, texts in quantities.items():
        if claim in version.claims:
            version.claims[claim]["quantities"] = "; ".join(texts)
    for path in layout.entity_files:
        version.entities.update(_rows(path, "id", layout.root, problems))
    version.publications = _rows(layout.publications, "key", layout.root, problems)
    release = _rows(layout.dataset, "field", layout.root, problems).get("version")
    version.release = release.get("value") if release else None
    if problems:
        raise DataProblems([problem._replace(file=shown + problem.file) for problem in problems])
    return version


# ---------------------------------------------------------------- git revisions
def _git(args: list[str], cwd: Path) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=120)
    except FileNotFoundError:
        raise UsageError("git is not installed; give two ontology folders instead of revisions") from None
    if done.returncode:
        raise UsageError(f"git {' '.join(args)}: {done.stderr.decode('utf-8', 'replace').strip()}")
    return done.stdout


def _materialise(revision: str, ontology: Path, into: Path) -> tuple[Path, str]:
    """The ontology folder as it was at ``revision`` of its git checkout, extracted under ``into``."""
    try:
        top = Path(_git(["rev-parse", "--show-toplevel"], ontology).decode().strip())
    except UsageError:
        raise UsageError(f"'{revision}' is not a folder, and {ontology} is not in a git checkout whose revisions it could name; "
                         "give an ontology folder, or run in a checkout (or pass --ontology DIR inside one)") from None
    relative = ontology.resolve().relative_to(top.resolve()).as_posix()
    try:
        commit = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"], top).decode().strip()
    except UsageError:
        raise UsageError(f"'{revision}' is neither a folder nor a revision of the git checkout {top}") from None
    archive = _git(["archive", "--format=tar", commit, "--", relative], top)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))
    return into / relative, f"{revision} ({commit[:7]})" if not commit.startswith(revision) else commit[:7]


def _side(arg: str | None, ontology: Path, stack: ExitStack) -> Version:
    if arg is None:
        return read_version(ontology, str(ontology), f"{ontology}/")
    folder = Path(arg)
    if folder.is_dir():
        if not (folder / "schema.ttl").exists() and (folder / "ontology" / "schema.ttl").exists():
            folder = folder / "ontology"  # a checkout: its ontology folder
        return read_version(folder, arg, f"{folder}/")
    if not arg or arg.startswith("-"):
        raise UsageError(f"'{arg}' is neither a folder nor a git revision")
    into = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="exograph-diff-")))
    path, label = _materialise(arg, ontology, into)
    if not path.is_dir():
        raise UsageError(f"revision {label} has no {path.relative_to(into)} folder")
    return read_version(path, label, f"{label}:{path.relative_to(into).as_posix()}/")


def diff_versions(old: str, new: str | None, ontology: Path) -> dict:
    """Compare ``old`` with ``new`` (each an ontology folder or a git revision of ``ontology``'s
    checkout; ``new`` None is ``ontology`` as it is now) and return the report as a JSON-ready dict."""
    with ExitStack() as stack:
        before, after = _side(old, ontology, stack), _side(new, ontology, stack)
    return compare(before, after)


# ---------------------------------------------------------------- comparing
def _changed(old: dict[str, str], new: dict[str, str], skip: tuple[str, ...] = ()) -> dict[str, dict[str, str]]:
    return {column: {"old": old.get(column, ""), "new": new.get(column, "")}
            for column in sorted(old.keys() | new.keys())
            if column not in skip and old.get(column, "") != new.get(column, "")}


def _section(old: dict, new: dict, brief, skip: tuple[str, ...] = (), key_name: str = "id") -> dict:
    changed = [{key_name: key, "changes": changes} for key in sorted(old.keys() & new.keys())
               if (changes := _changed(old[key], new[key], skip))]
    return {"added": [brief(key, new[key]) for key in sorted(new.keys() - old.keys())],
            "removed": [brief(key, old[key]) for key in sorted(old.keys() - new.keys())],
            "changed": changed}


def compare(old: Version, new: Version) -> dict:
    """The report: each side's counts, then claims, entities, mappings and publications added,
    removed and changed (``changes`` maps each changed field to its old and new value)."""
    def claim(key: str, cells: dict) -> dict:
        return {"id": key, **{column: cells.get(column, "") for column in ("subject", "predicate", "object", "topic", "publications", "evidence")}}

    def entity(key: str, cells: dict) -> dict:
        return {"id": key, "label": cells.get("label", ""), "category": cells.get("category", "")}

    def publication(key: str, cells: dict) -> dict:
        return {"key": key, "citation": cells.get("citation", ""), **{column: cells.get(column, "") for column in PUBLICATION_IDS}}

    before, after = old.mappings(), new.mappings()
    mapping = lambda triple: dict(zip(("entity", "relation", "identifier"), triple))  # noqa: E731
    return {
        "old": old.counts(), "new": new.counts(),
        "claims": _section(old.claims, new.claims, claim),
        "entities": _section(old.entities, new.entities, entity, skip=MAPPINGS),
        "mappings": {"added": [mapping(t) for t in sorted(after - before)], "removed": [mapping(t) for t in sorted(before - after)]},
        "publications": _section(old.publications, new.publications, publication, key_name="key"),
    }


# ---------------------------------------------------------------- output
def _change_text(changes: dict[str, dict[str, str]], code=str) -> str:
    parts = []
    for column, values in changes.items():
        if max(len(values["old"]), len(values["new"])) <= SHORT:
            parts.append(f"{column} {code(values['old'] or '(empty)')} -> {code(values['new'] or '(empty)')}")
        else:
            parts.append(f"{column} changed")
    return "; ".join(parts)


def _claim_line(item: dict, code=str) -> str:
    cited = item["publications"] or "no publication"
    return f"{code(item['subject'])} {item['predicate']} {code(item['object'])} ({item['topic']}; {cited}; {item['evidence']})"


def _heading(report: dict, between: str = "->") -> str:
    def side(counts: dict) -> str:
        return counts["source"] + (f" (version {counts['version']})" if counts["version"] else "")

    return f"{side(report['old'])} {between} {side(report['new'])}"


def _totals(report: dict) -> list[tuple[str, int, int, int, int, str]]:
    rows = []
    for name in ("claims", "entities", "mappings", "publications"):
        section = report[name]
        changed = str(len(section["changed"])) if "changed" in section else "-"
        rows.append((name, report["old"][name], report["new"][name], len(section["added"]), len(section["removed"]), changed))
    return rows


def format_text(report: dict) -> str:
    """Counts, then one line per claim, entity, mapping and publication added (+), removed (-) or changed (~)."""
    lines = [f"exograph diff: {_heading(report)}"]
    lines += [f"{name:<13} {old:>5} -> {new:<5} +{added} -{removed}" + (f" ~{changed}" if changed != "-" else "")
              for name, old, new, added, removed, changed in _totals(report)]
    describe = {"claims": _claim_line, "entities": lambda item: f"{item['label']} ({item['category']})",
                "publications": lambda item: item["citation"]}
    for name, line in describe.items():
        section = report[name]
        for sign, kind in (("+", "added"), ("-", "removed")):
            if section[kind]:
                lines += ["", f"{name} {kind}:"]
                lines += [f"  {sign} {item.get('id') or item.get('key')}  {line(item)}" for item in section[kind]]
        if section["changed"]:
            lines += ["", f"{name} changed:"]
            lines += [f"  ~ {item.get('id') or item.get('key')}  {_change_text(item['changes'])}" for item in section["changed"]]
    for sign, kind in (("+", "added"), ("-", "removed")):
        if report["mappings"][kind]:
            lines += ["", f"mappings {kind}:"]
            lines += [f"  {sign} {m['entity']} {m['relation']} {m['identifier']}" for m in report["mappings"][kind]]
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    """Text with Markdown's inline marks escaped."""
    return "".join(f"\\{c}" if c in "\\`*_[]<|#" else c for c in text)


def _code(text: str) -> str:
    return f"`{text}`" if "`" not in text else _md(text)


def format_markdown(report: dict) -> str:
    """Release notes: a table of counts, then sections for what was added, removed and changed."""
    lines = [f"Changes from {_md(_heading(report, 'to'))}.", "",
             "| | before | after | added | removed | changed |", "| --- | ---: | ---: | ---: | ---: | ---: |"]
    lines += [f"| {name} | {old} | {new} | {added} | {removed} | {changed} |" for name, old, new, added, removed, changed in _totals(report)]
    claims = report["claims"]
    if claims["added"]:
        topics: dict[str, int] = {}
        for item in claims["added"]:
            topics[item["topic"]] = topics.get(item["topic"], 0) + 1
        lines += ["", f"### Claims added ({len(claims['added'])})", "",
                  "By topic: " + ", ".join(f"{_md(topic)} {count}" for topic, count in sorted(topics.items())) + ".", ""]
        lines += [f"- {_code(item['id'])}: {_claim_line(item, _code)}" for item in claims["added"]]
    sections = (("Claims removed", claims["removed"], lambda item: f"{_code(item['id'])}: {_claim_line(item, _code)}"),
                ("Claims changed", claims["changed"], lambda item: f"{_code(item['id'])}: {_change_text(item['changes'], _code)}"))
    entities, publications, mappings = report["entities"], report["publications"], report["mappings"]
    sections += (
        ("Entities added", entities["added"], lambda item: f"{_code(item['id'])}: {_md(item['label'])} ({item['category']})"),
        ("Entities removed", entities["removed"], lambda item: f"{_code(item['id'])}: {_md(item['label'])} ({item['category']})"),
        ("Entities changed", entities["changed"], lambda item: f"{_code(item['id'])}: {_change_text(item['changes'], _code)}"),
        ("Mappings added", mappings["added"], lambda m: f"{_code(m['entity'])} {m['relation']} {_code(m['identifier'])}"),
        ("Mappings removed", mappings["removed"], lambda m: f"{_code(m['entity'])} {m['relation']} {_code(m['identifier'])}"),
        ("Publications added", publications["added"], lambda item: f"{_code(item['key'])}: {_md(item['citation'])}"),
        ("Publications removed", publications["removed"], lambda item: f"{_code(item['key'])}: {_md(item['citation'])}"),
        ("Publications changed", publications["changed"], lambda item: f"{_code(item['key'])}: {_change_text(item['changes'], _code)}"),
    )
    for title, items, line in sections:
        if items:
            lines += ["", f"### {title} ({len(items)})", ""]
            lines += [f"- {line(item)}" for item in items]
    return "\n".join(lines) + "\n"


def format_json(report: dict) -> str:
    return json.dumps(report, indent=1, ensure_ascii=False) + "\n"


FORMATTERS = {"text": format_text, "markdown": format_markdown, "json": format_json}
