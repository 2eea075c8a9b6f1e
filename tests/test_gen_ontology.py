"""benchmarks/gen_ontology.py: a synthetic ontology folder that validates and grows the real hubs."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import run_cli

GENERATOR = Path(__file__).resolve().parent.parent / "benchmarks" / "gen_ontology.py"


def generate(n: int, out: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(GENERATOR), str(n), str(out), *extra],
                          capture_output=True, text=True, timeout=120)


def tables(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.tsv"))}


def test_a_few_hundred_synthetic_claims_validate(tmp_path):
    out = tmp_path / "ont"
    assert generate(300, out).returncode == 0
    claims = (out / "curated" / "claims" / "synthetic.tsv").read_text().splitlines()
    assert len(claims) == 301 and claims[0].startswith("id\tsubject\tpredicate\tobject")
    assert len((out / "curated" / "entities" / "synthetic.tsv").read_text().splitlines()) == 1 + 192
    assert sum("synthetic" in line for line in (out / "curated" / "publications.tsv").read_text().splitlines()) == 23
    # the real hubs grow: some synthetic claims keep a real entity as an end
    assert any("\texosome\t" in f"\t{line}\t" for line in claims[1:])
    result = run_cli("validate", "--ontology", str(out))
    assert result.returncode == 0, result.stderr
    assert "no problems found" in result.stderr


def most_objects(claims: Path) -> dict[str, int]:
    """Per predicate, the most distinct objects one subject has in the claim tables under ``claims``."""
    objects: dict[tuple[str, str], set[str]] = {}
    for path in claims.glob("*.tsv"):
        lines = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines() if line and line[0] != "#"]
        for row in (dict(zip(lines[0], cells)) for cells in lines[1:]):
            objects.setdefault((row["subject"], row["predicate"]), set()).add(row["object"])
    most: dict[str, int] = {}
    for (_, predicate), values in objects.items():
        most[predicate] = max(most.get(predicate, 0), len(values))
    return most


def test_no_subject_gets_more_objects_of_a_predicate_than_any_real_one(tmp_path):
    """The synthetic hubs grow in claims, not in values a real subject never has so many of: a
    predicate functional in the real data stays functional (cq08's trials once had 50 phases)."""
    real = most_objects(Path(__file__).resolve().parent.parent / "ontology" / "curated" / "claims")
    assert real["subtypeOf"] == real["isMarkerFor"] == 1 and real["hasPhase"] == 2  # the real data, as curated
    out = tmp_path / "ont"
    assert generate(1000, out).returncode == 0
    assert most_objects(out / "curated" / "claims") == real
    synthetic = (out / "curated" / "claims" / "synthetic.tsv").read_text().splitlines()
    assert len(synthetic) == 1001  # a claim over the cap is kept, behind a triple that exists


def test_same_seed_same_folder_other_seed_other_claims(tmp_path):
    for name, seed in (("a", "1"), ("b", "1"), ("c", "2")):
        assert generate(50, tmp_path / name, "--seed", seed).returncode == 0
    assert tables(tmp_path / "a") == tables(tmp_path / "b")
    assert tables(tmp_path / "a") != tables(tmp_path / "c")


def test_large_tables_are_split_into_files_exograph_reads_as_one(tmp_path):
    """exograph reads no table over 64 MiB, so a million claims go to several files; the rows are
    those of one file, in order, and the folder validates."""
    assert generate(250, tmp_path / "one").returncode == 0
    assert generate(250, tmp_path / "split", "--rows-per-file", "100").returncode == 0
    claims = tmp_path / "split" / "curated" / "claims"
    files = [claims / name for name in ("synthetic.tsv", "synthetic-2.tsv", "synthetic-3.tsv")]
    assert sorted(p.name for p in claims.glob("synthetic*")) == sorted(p.name for p in files)
    lines = [p.read_text().splitlines() for p in files]
    assert [len(part) for part in lines] == [101, 101, 51] and lines[0][0] == lines[1][0] == lines[2][0]
    single = (tmp_path / "one" / "curated" / "claims" / "synthetic.tsv").read_text().splitlines()
    assert lines[0] + lines[1][1:] + lines[2][1:] == single
    result = run_cli("validate", "--ontology", str(tmp_path / "split"))
    assert result.returncode == 0, result.stderr


def test_refuses_a_folder_that_holds_files(tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    result = generate(10, tmp_path)
    assert result.returncode == 2 and "not an empty folder" in result.stderr
    assert (tmp_path / "keep.txt").read_text() == "mine"
