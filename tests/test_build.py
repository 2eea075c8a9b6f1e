"""Building: byte-identical outputs, atomic writes, and the claim model in the written graph."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib import RDF, Graph, URIRef

from conftest import TESTS, run_cli

FORMATS = ("ttl", "nt", "jsonld")
EXOS = "https://w3id.org/exograph/schema/"
BIOLINK = "https://w3id.org/biolink/vocab/"


def build_to(out: Path, ontology: Path, seed: str = "0") -> dict[str, bytes]:
    env = dict(os.environ, PYTHONPATH=str(TESTS.parent), PYTHONHASHSEED=seed)
    result = subprocess.run([sys.executable, "-m", "exograph", "build", "-o", str(out), "--ontology", str(ontology)],
                            env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return {fmt: (out / f"exograph.{fmt}").read_bytes() for fmt in FORMATS}


def test_build_is_byte_identical_across_runs_and_hash_seeds(tmp_path, tiny_ontology):
    first = build_to(tmp_path / "a", tiny_ontology, seed="1")
    second = build_to(tmp_path / "b", tiny_ontology, seed="987")
    assert first == second
    assert all(first.values())


def test_built_files_hold_the_plain_triple_and_the_claim(tmp_path, tiny_ontology):
    written = build_to(tmp_path, tiny_ontology)
    for fmt, parser in (("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")):
        graph = Graph().parse(data=written[fmt], format=parser)
        claim = URIRef("https://w3id.org/exograph/claim/tiny-001")
        subject = graph.value(claim, RDF.subject)
        predicate = graph.value(claim, RDF.predicate)
        obj = graph.value(claim, RDF.object)
        assert (subject, predicate, obj) in graph, fmt
        assert str(predicate) == EXOS + "hasComponent"
        assert str(graph.value(claim, URIRef(BIOLINK + "publications"))) == "http://identifiers.org/pubmed/30089911"
        assert str(graph.value(claim, URIRef(BIOLINK + "has_evidence"))) == "http://purl.obolibrary.org/obo/ECO_0000269"
        assert str(graph.value(claim, URIRef(BIOLINK + "disease_context_qualifier"))).endswith("/entity/melanoma")


def test_build_refuses_bad_data_and_keeps_previous_outputs(tmp_path, ontology_copy):
    out = tmp_path / "out"
    before = build_to(out, ontology_copy)
    claims = ontology_copy / "curated/claims/tiny.tsv"
    claims.write_text(claims.read_text() + "tiny-999\ttumour_exosome\tcures\tCD274\tchen2018\tECO:0000269\t"
                      "A paraphrase that is long enough.\tin_vitro\t\t\t\tcomposition\tfixture\t2026-11-29\n")
    result = run_cli("build", "-o", str(out), "--ontology", str(ontology_copy))
    assert result.returncode == 1
    assert "curated/claims/tiny.tsv:7: [predicate] unknown-predicate" in result.stderr
    assert {fmt: (out / f"exograph.{fmt}").read_bytes() for fmt in FORMATS} == before


def big_ontology(folder: Path, claims: int, text: str = "Generated claim") -> Path:
    """The tiny ontology with many generated claims, so that writing takes long enough to interrupt."""
    path = folder / "curated/claims/generated.tsv"
    header = (folder / "curated/claims/tiny.tsv").read_text().splitlines()[0]
    rows = [f"gen-{i:06d}\ttumour_exosome\thasComponent\tCD274\tchen2018\tECO:0000269\t"
            f"{text} number {i} for the atomic-write test.\tin_vitro\tmelanoma\t\t\tcomposition\tfixture\t2026-11-29"
            for i in range(claims)]
    path.write_text("\n".join([header, *rows]) + "\n")
    return folder


@pytest.mark.slow
def test_a_build_killed_while_writing_leaves_the_previous_outputs_intact(tmp_path, ontology_copy):
    out = tmp_path / "out"
    previous = build_to(out, ontology_copy)
    big_ontology(ontology_copy, 4000)
    env = dict(os.environ, PYTHONPATH=str(TESTS.parent))
    process = subprocess.Popen([sys.executable, "-m", "exograph", "build", "-o", str(out), "--ontology", str(ontology_copy)],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    while not list(tmp_path.glob(".out.new-*/.exograph.*.tmp")):  # exists only while an output is being written
        assert process.poll() is None, "the build ended before it started writing"
        assert time.monotonic() < deadline
        time.sleep(0.002)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert {fmt: (out / f"exograph.{fmt}").read_bytes() for fmt in FORMATS} == previous


def test_written_files_get_the_usual_permissions(tmp_path, tiny_ontology):
    build_to(tmp_path, tiny_ontology)
    umask = os.umask(0)
    os.umask(umask)
    for fmt in FORMATS:
        assert (tmp_path / f"exograph.{fmt}").stat().st_mode & 0o777 == 0o666 & ~umask


def test_a_store_loaded_in_pieces_holds_every_triple(tiny_ontology, tmp_path, monkeypatch):
    """Large graphs reach the store in pieces of whole lines: with pieces of a few lines, the store still
    holds exactly the compiled triples."""
    import pyoxigraph as ox

    from exograph.build import build
    from exograph.namespaces import CURATED_GRAPH
    from exograph.store import files

    built = build(tiny_ontology)
    monkeypatch.setattr(files, "_LOAD_PIECE", 1000)
    files.write_store(built.ntriples, tmp_path, built.namespaces, {})
    store = ox.Store.read_only(str(tmp_path / "oxigraph"))
    dumped = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(CURATED_GRAPH))
    assert built.ntriples.count(b"\n") > 100  # so that there were many pieces
    assert sorted(dumped.splitlines()) == sorted(built.ntriples.splitlines())
