"""Property (issue 11, item 4): whatever Unicode a curator types into the cells, validation either
reports a located problem, or the graph builds and every written file parses back."""
from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings, strategies as st
from rdflib import Graph

from exograph.build import build
from exograph.outputs import write_outputs
from exograph.validate import validate
from conftest import make_tiny_ontology

TEXT = st.one_of(st.text(st.characters(exclude_categories=("Cs",)), max_size=30),  # any character a file can hold
                 st.text(st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp")), max_size=30))  # and printable ones
FILES = {"curated/entities/tiny.tsv", "curated/claims/tiny.tsv", "curated/publications.tsv"}


def append(folder: Path, relative: str, cells: list[str]) -> None:
    path = folder / relative
    path.write_bytes(path.read_bytes() + "\t".join(cells).encode("utf-8") + b"\n")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(label=TEXT, definition=TEXT, synonym=TEXT, paraphrase=TEXT, citation=TEXT, doi=TEXT)
def test_any_cells_fail_with_a_located_problem_or_build_and_parse_back(label, definition, synonym, paraphrase, citation, doi):
    with tempfile.TemporaryDirectory() as scratch:
        folder = make_tiny_ontology(Path(scratch) / "ontology")
        # the generated text follows a valid start, so that the shapes' length rules can pass
        append(folder, "curated/publications.tsv", ["gen2026", "Cited as " + citation, "2026", "", f"10.1234/x{doi}", "",
                                                    "generated"])
        append(folder, "curated/entities/tiny.tsv", ["generated", "label " + label, "Protein", "A definition: " + definition,
                                                     synonym, "", "", ""])
        append(folder, "curated/claims/tiny.tsv", ["gen-001", "tumour_exosome", "hasComponent", "generated", "gen2026",
                                                   "ECO:0000269", "A paraphrase long enough: " + paraphrase, "in_vitro",
                                                   "", "", "", "composition", "fixture", "2026-11-29"])
        problems = validate(folder)
        event("built" if not problems else "problems: " + ", ".join(sorted({p.rule for p in problems})))
        if problems:
            for problem in problems:
                assert problem.file in FILES and problem.line > 0, problem
            return
        built = build(folder)
        for path in write_outputs(built, Path(scratch) / "out"):
            if path.is_dir():  # the Oxigraph store, loaded from the N-Triples
                continue
            parsed = Graph().parse(path, format={".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld"}[path.suffix])
            assert len(parsed) == len(built.graph), path.name
