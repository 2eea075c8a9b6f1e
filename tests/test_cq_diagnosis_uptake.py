"""Competency questions 50-53 (issue 20: no review topic under 10 claims): exosome-based diagnosis, uptake and
biodistribution, and the microRNAs exosomes carry, answered by the bundled graph."""
from __future__ import annotations

import csv
import io

from conftest import run_cli


def keys(frame) -> set[str]:
    """Every publication key behind the rows of a query answer."""
    return {key for cell in frame["publications"].dropna() for key in str(cell).split("|") if key}


def test_cq50_gpc1_exosomes_diagnose_pancreatic_cancer_from_serum(real_graph):
    answer = real_graph.query("cq50-diagnostic-exosome-markers")
    gpc1 = answer[answer["marker"] == "exo:gpc1_exosome"]
    assert {"exo:pancreatic_cancer", "exo:early_pancreatic_cancer", "exo:pancreatic_intraepithelial_neoplasia",
            "exo:tumour_burden", "exo:patient_survival"} <= set(gpc1["target"])
    assert set(gpc1["sample"]) == {"blood serum"} and keys(gpc1) == {"melo2015"}
    # the precursor lesions were detected in mice, the cancers in patients' serum
    model = dict(zip(gpc1["target"], gpc1["model_system"]))
    assert model["exo:pancreatic_intraepithelial_neoplasia"] == "mouse"
    assert model["exo:pancreatic_cancer"] == "human_samples"
    # a molecule measured in a vesicle answers too, under the vesicle it was measured in
    pdl1 = answer[answer["marker"] == "exo:CD274"].iloc[0]
    assert (pdl1["vesicle_label"], pdl1["target"]) == ("plasma exosome", "exo:anti_pd1_response")
    # organotropism (integrin alpha6-beta4 with lung metastasis) is not a diagnostic marker of a vesicle
    assert "exo:integrin_a6b4" not in set(answer["marker"])


def test_cq51_tumour_exosomes_home_to_resident_cells_of_their_metastatic_organ(real_graph):
    answer = real_graph.query("cq51-exosome-destinations-by-source")
    reached = {(r.vesicle, r.destination) for r in answer.itertuples()}
    assert {("exo:lung_tropic_exosome", "exo:lung_fibroblast"), ("exo:lung_tropic_exosome", "exo:lung_epithelial_cell"),
            ("exo:liver_tropic_exosome", "exo:kupffer_cell"),
            ("exo:brain_tropic_exosome", "exo:brain_endothelial_cell")} <= reached
    assert not {("exo:liver_tropic_exosome", "exo:lung_fibroblast"), ("exo:lung_tropic_exosome", "exo:kupffer_cell")} & reached
    # a strategy answers through its carrier: brain-endothelial exosomes took drugs into the zebrafish brain
    brain = answer[(answer["vesicle"] == "exo:brain_endothelial_exosome") & (answer["destination"] == "exo:brain")].iloc[0]
    assert (brain["model_system"], brain["producers"], brain["uptake_routes"]) == \
        ("zebrafish", "brain endothelial cell", "receptor-mediated endocytosis")
    assert "yang2015" in keys(answer) and "hoshino2015" in keys(answer)


def test_cq52_integrins_govern_uptake_and_source_and_route_govern_biodistribution(real_graph):
    answer = real_graph.query("cq52-uptake-and-biodistribution-factors")
    uptake = answer[answer["object"] == "exo:exosome_uptake"]
    assert {(r.subject, r.form, r.direction) for r in uptake.itertuples()} >= {
        ("exo:integrin_a6b4", "inhibited_form", "decreased"), ("exo:integrin_avb5", "inhibited_form", "decreased")}
    biodistribution = answer[answer["object"] == "exo:ev_biodistribution"]
    assert {"exo:ev_cell_source", "exo:administration_route", "exo:surface_modification"} <= set(biodistribution["subject"])
    assert keys(biodistribution) == {"wiklander2015"}
    routes = dict(zip(answer["subject"], answer["object"]))
    assert routes["exo:iexosome"] == "exo:exosome_macropinocytosis"
    assert routes["exo:brain_endothelial_exosome"] == "exo:receptor_mediated_endocytosis"


def test_cq53_mirnas_exosomes_carry_and_what_they_do(real_graph):
    answer = real_graph.query("cq53-exosomal-mirnas-and-effects")
    let7a = answer[answer["mirna"] == "exo:let_7a"]
    assert set(let7a["mirbase"]) == {"MIRBASE.MATURE:MIMAT0000062"}
    assert "exo:ge11_exosome" in set(let7a[let7a["role"] == "carried by"]["partner"])
    effects = let7a[let7a["role"] == "effect or use"]
    assert {"exo:HMGA2", "exo:tumour_growth"} <= set(effects["partner"])
    # what let-7a does is the paper's background, not its experiment, and the answer says so
    assert set(effects["model_system"]) == {"primary_background"}
    carriers = set(answer[(answer["mirna"] == "exo:miRNA") & (answer["role"] == "carried by")]["partner"])
    assert {"exo:mast_cell_exosome", "exo:tumour_exosome", "exo:ge11_exosome", "exo:exosome"} <= carriers
    assert {"valadi2007", "ohno2013"} <= keys(answer)


def test_no_review_topic_is_thin():
    """Issue 20: diagnosis, uptake and biodistribution each have at least 12 claims, and no topic has under 10."""
    result = run_cli("query", "--format", "csv", "--sparql", """
        PREFIX exos: <https://w3id.org/exograph/schema/>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?topic (COUNT(?claim) AS ?claims) WHERE { ?claim exos:topic/skos:notation ?topic } GROUP BY ?topic""",
                     timeout=600)
    assert result.returncode == 0, result.stderr
    counts = {row["topic"]: int(row["claims"]) for row in csv.DictReader(io.StringIO(result.stdout))}
    assert counts["diagnosis"] >= 12 and counts["biodistribution"] >= 12, counts
    assert min(counts.values()) >= 10, counts


def test_mirna_cargo_has_at_least_twelve_claims(real_graph):
    answer = real_graph.query("cq53-exosomal-mirnas-and-effects")
    assert len(answer) >= 12
