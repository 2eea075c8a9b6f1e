"""`exograph diff OLD NEW`: what changed between two versions of the curated data, from folders and
from git revisions, as text, Markdown and JSON."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import make_tiny_ontology, run_cli


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def change(folder: Path) -> Path:
    """The tiny ontology with one claim added, one removed, one changed (evidence, paraphrase and a
    qualifier), an entity added, a label and two mappings changed, a publication added and one's DOI dropped."""
    curated = folder / "curated"
    claims = curated / "claims/tiny.tsv"
    edit(claims, "tiny-002\tCD274\tinteractsWith\tPDCD1\tchen2018\tECO:0000269\tExosomal PD-L1 binds PD-1 on T cells.",
         "tiny-002\tCD274\tinteractsWith\tPDCD1\tchen2018\tECO:0000314\tExosomal PD-L1 binds PD-1 on CD8 T cells.")
    lines = claims.read_text(encoding="utf-8").splitlines()
    lines = [line for line in lines if not line.startswith("tiny-005\t")]
    lines.append("tiny-006\tdc_exosome\tsubtypeOf\texosome\ttextonly2001\tECO:0000304\t"
                 "Dendritic-cell exosomes are a kind of exosome (a fixture claim).\treview\t\t\t\tbiogenesis\tfixture\t2026-12-01")
    claims.write_text("\n".join(lines) + "\n", encoding="utf-8")
    quantities = curated / "quantities.tsv"
    quantities.write_text(quantities.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    edit(curated / "claim_qualifiers.tsv", "\tCD274\t\tdecreased\t", "\tCD274\t\tincreased\t")
    entities = curated / "entities/tiny.tsv"
    edit(entities, "mouse\thouse mouse\t", "mouse\tmouse\t")
    edit(entities, "inhibitory receptor of T cells.\tCD279\tHGNC:8760\t", "inhibitory receptor of T cells.\tCD279\t\t")
    edit(entities, "Exosomes released by cancer cells.\tTEX\t\t\t", "Exosomes released by cancer cells.\tTEX\t\tGO:0070062\t")
    entities.write_text(entities.read_text(encoding="utf-8") +
                        "dc_exosome\tdendritic-cell-derived exosome\tExosomeType\tExosomes released by dendritic cells.\t\t\t\texosome\n",
                        encoding="utf-8")
    publications = curated / "publications.tsv"
    edit(publications, "\t11231627\t10.1038/85438\t\tVERIFIED: pmid doi", "\t11231627\t\t\tVERIFIED: pmid")
    publications.write_text(publications.read_text(encoding="utf-8") +
                            "textonly2001\tText Only B et al. (2001) Fixture Journal\t2001\t\t\t\tUNVERIFIED ids: cite only as text\n",
                            encoding="utf-8")
    edit(curated / "dataset.tsv", "version\t0.0.1", "version\t0.0.2")
    return folder


@pytest.fixture(scope="module")
def versions(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("diff")
    old = make_tiny_ontology(root / "old")
    new = change(make_tiny_ontology(root / "new"))
    assert run_cli("validate", "--ontology", str(new)).returncode == 0  # the changed fixture is itself valid
    return old, new


def diff(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return run_cli("diff", *args, cwd=cwd)


def test_json_names_every_claim_entity_mapping_and_publication_change(versions):
    old, new = versions
    result = diff(str(old), str(new), "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["old"] | {"source": ""} == {"source": "", "version": "0.0.1", "claims": 5, "entities": 7, "mappings": 6, "publications": 3}
    assert report["new"] | {"source": ""} == {"source": "", "version": "0.0.2", "claims": 5, "entities": 8, "mappings": 6, "publications": 4}
    claims = report["claims"]
    assert [c["id"] for c in claims["added"]] == ["tiny-006"]
    assert claims["added"][0] | {} == {"id": "tiny-006", "subject": "dc_exosome", "predicate": "subtypeOf", "object": "exosome",
                                       "topic": "biogenesis", "publications": "textonly2001", "evidence": "ECO:0000304"}
    assert [c["id"] for c in claims["removed"]] == ["tiny-005"]
    assert claims["changed"] == [
        {"id": "tiny-002", "changes": {
            "evidence": {"old": "ECO:0000269", "new": "ECO:0000314"},
            "paraphrase": {"old": "Exosomal PD-L1 binds PD-1 on T cells.", "new": "Exosomal PD-L1 binds PD-1 on CD8 T cells."}}},
        {"id": "tiny-003", "changes": {"object_direction_qualifier": {"old": "decreased", "new": "increased"}}},
    ]
    assert report["entities"]["added"] == [{"id": "dc_exosome", "label": "dendritic-cell-derived exosome", "category": "ExosomeType"}]
    assert report["entities"]["removed"] == []
    assert report["entities"]["changed"] == [{"id": "mouse", "changes": {"label": {"old": "house mouse", "new": "mouse"}}}]
    assert report["mappings"] == {
        "added": [{"entity": "tumour_exosome", "relation": "close_match", "identifier": "GO:0070062"}],
        "removed": [{"entity": "PDCD1", "relation": "exact_match", "identifier": "HGNC:8760"}]}
    publications = report["publications"]
    assert [p["key"] for p in publications["added"]] == ["textonly2001"] and publications["removed"] == []
    assert publications["changed"] == [{"key": "wolfers2001", "changes": {
        "doi": {"old": "10.1038/85438", "new": ""}, "verification": {"old": "VERIFIED: pmid doi", "new": "VERIFIED: pmid"}}}]


def test_quantities_count_as_a_field_of_their_claim(versions, tmp_path):
    old, _ = versions
    new = make_tiny_ontology(tmp_path / "new")
    edit(new / "curated/quantities.tsv", "tiny-005\tdiameter\t30\t150", "tiny-005\tdiameter\t30\t200")
    report = json.loads(diff(str(old), str(new), "--format", "json").stdout)
    changes = report["claims"]["changed"][0]
    assert changes["id"] == "tiny-005"
    assert changes["changes"]["quantities"]["new"].startswith("diameter 30-200 UO:0000018")


def test_text_and_markdown_say_the_same(versions):
    old, new = versions
    text = diff(str(old), str(new))
    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    assert lines[0] == f"exograph diff: {old} (version 0.0.1) -> {new} (version 0.0.2)"
    assert "claims            5 -> 5     +1 -1 ~2" in lines
    assert "  + tiny-006  dc_exosome subtypeOf exosome (biogenesis; textonly2001; ECO:0000304)" in lines
    assert "  - tiny-005  tumour_exosome subtypeOf exosome (biogenesis; textonly2000; ECO:0000304)" in lines
    assert ("  ~ tiny-002  evidence ECO:0000269 -> ECO:0000314; paraphrase Exosomal PD-L1 binds PD-1 on T cells. -> "
            "Exosomal PD-L1 binds PD-1 on CD8 T cells.") in lines
    assert "  - PDCD1 exact_match HGNC:8760" in lines and "  + tumour_exosome close_match GO:0070062" in lines
    markdown = diff(str(old), str(new), "--format", "markdown").stdout
    assert "| claims | 5 | 5 | 1 | 1 | 2 |" in markdown
    assert "### Claims added (1)\n\nBy topic: biogenesis 1.\n\n- `tiny-006`: `dc_exosome` subtypeOf `exosome`" in markdown
    assert "### Claims changed (2)\n\n- `tiny-002`: evidence `ECO:0000269` -> `ECO:0000314`" in markdown
    assert "### Mappings removed (1)\n\n- `PDCD1` exact_match `HGNC:8760`" in markdown
    assert "### Publications added (1)\n\n- `textonly2001`: Text Only B et al. (2001) Fixture Journal" in markdown
    assert "### Publications changed (1)\n\n- `wolfers2001`: doi `10.1038/85438` -> `(empty)`" in markdown
    assert "  ~ wolfers2001  doi 10.1038/85438 -> (empty); verification VERIFIED: pmid doi -> VERIFIED: pmid" in lines
    assert "### Entities removed" not in markdown  # empty sections are left out


def test_two_git_revisions_of_a_checkout(versions, tmp_path):
    old, new = versions
    repo = tmp_path / "repo"
    shutil.copytree(old, repo / "ontology")
    git = ["git", "-c", "user.name=test", "-c", "user.email=test@example.org", "-C", str(repo)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "old"], check=True)
    shutil.rmtree(repo / "ontology")
    shutil.copytree(new, repo / "ontology")
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "new"], check=True)
    folders = json.loads(diff(str(old), str(new), "--format", "json").stdout)
    for side in ("old", "new"):
        del folders[side]["source"]
    ontology = str(repo / "ontology")
    for args in (("HEAD~1", "HEAD"), ("HEAD~1",), ("HEAD~1", str(repo))):
        result = diff(*args, "--format", "json", "--ontology", ontology)
        assert result.returncode == 0, result.stderr
        report = json.loads(result.stdout)
        assert report["old"]["source"].startswith("HEAD~1 (")
        for side in ("old", "new"):
            del report[side]["source"]
        assert report == folders, args
    unchanged = json.loads(diff("HEAD", "--format", "json", "--ontology", ontology).stdout)
    assert unchanged["claims"] == {"added": [], "removed": [], "changed": []}


def test_unknown_revision_and_folder_outside_git_are_usage_errors(versions, tmp_path):
    old, new = versions
    outside = make_tiny_ontology(tmp_path / "outside")
    result = diff("HEAD", "--ontology", str(outside))
    assert result.returncode == 2 and "is not a folder, and" in result.stderr and "not in a git checkout" in result.stderr
    result = diff("no-such-revision", str(new), "--ontology", str(Path(__file__).parents[1] / "ontology"))
    assert result.returncode == 2 and "'no-such-revision' is neither a folder nor a revision of the git checkout" in result.stderr
    assert result.stdout == ""


def test_a_malformed_row_is_a_data_problem_named_by_line(versions, tmp_path):
    old, _ = versions
    broken = make_tiny_ontology(tmp_path / "broken")
    claims = broken / "curated/claims/tiny.tsv"
    claims.write_text(claims.read_text(encoding="utf-8") + "tiny-007\tonly three\tcells\n", encoding="utf-8")
    result = diff(str(old), str(broken))
    assert result.returncode == 1
    assert f"{broken}/curated/claims/tiny.tsv:7: malformed-row" in result.stderr and result.stdout == ""
