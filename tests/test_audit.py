"""One test per finding of the 2026-11-30 audit (../shared/curation/audit-2026-11.md), checking
the fixed state as a user sees it: the bundled graph loaded with ``exograph.load()`` and asked in
SPARQL. Row numbers are the audit's."""
from __future__ import annotations

import re

import pytest


def claim(graph, claim_id: str) -> dict:
    """One claim node's triple and provenance, as CURIEs (lists pipe-joined)."""
    frame = graph.query(f"""
        SELECT ?s ?p ?o ?evidence ?model ?paraphrase
               (GROUP_CONCAT(DISTINCT COALESCE(?key, ""); separator="|") AS ?publications)
               (SAMPLE(?d) AS ?disease)
        WHERE {{
          claim:{claim_id} rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; biolink:has_evidence ?evidence ;
                           exos:modelSystem ?model ; exos:paraphrase ?paraphrase .
          OPTIONAL {{ claim:{claim_id} biolink:publications/exos:curationKey ?key }}
          OPTIONAL {{ claim:{claim_id} biolink:disease_context_qualifier ?d }}
        }} GROUP BY ?s ?p ?o ?evidence ?model ?paraphrase""")
    assert len(frame) == 1, f"claim {claim_id} is missing or ambiguous"
    row = frame.iloc[0].to_dict()
    row["publications"] = set(filter(None, str(row["publications"] or "").split("|")))
    return row


def ask(graph, text: str) -> bool:
    return bool(len(graph.query(text)))


def claims_of(graph, subject: str, predicate: str, obj: str) -> list[str]:
    """Ids of the claims asserting SUBJECT PREDICATE OBJECT (all CURIEs)."""
    frame = graph.query(f"SELECT ?c WHERE {{ ?c rdf:subject {subject} ; rdf:predicate {predicate} ; rdf:object {obj} }}")
    return sorted(str(c).split(":", 1)[1] for c in frame["c"])


# ---------------------------------------------------------------- wrong
def test_row01_clearance_challenge_is_for_exosomes_without_cd47(real_graph):
    assert claims_of(real_graph, "exo:msc_exosome", "exos:hasChallenge", "exo:rapid_clearance") == []
    row = claim(real_graph, "advantages_challenges-014")
    assert (row["s"], row["o"]) == ("exo:cd47_deficient_exosome", "exo:rapid_clearance")
    assert claims_of(real_graph, "exo:msc_exosome", "exos:hasAdvantage", "exo:circulation_stability")


def test_row02_low_loading_belongs_to_incubation_not_to_exoptx(real_graph):
    assert claims_of(real_graph, "exo:exoptx", "exos:hasChallenge", "exo:loading_efficiency") == []
    row = claim(real_graph, "advantages_challenges-015")
    assert (row["s"], row["o"], row["publications"]) == ("exo:incubation", "exo:loading_efficiency", {"kim2016"})
    assert claims_of(real_graph, "exo:exoptx", "exos:loadedBy", "exo:sonication")


def test_row03_drug_carriers_are_not_a_kind_of_immunotherapy(real_graph):
    row = claim(real_graph, "review-009")
    assert (row["s"], row["p"], row["o"]) == ("exo:exosome_drug_delivery_system", "exos:usedFor", "exo:cancer_immunotherapy")
    narrower = set(real_graph.query(
        "SELECT ?x WHERE { ?x (skos:broader|exos:subtypeOf)+ exo:cancer_immunotherapy }")["x"])
    assert not narrower & {"exo:exoptx", "exo:ev_doxorubicin_electroporation", "exo:rvg_exosome_sirna",
                           "exo:exosome_curcumin", "exo:exosome_drug_delivery_system"}
    assert {"exo:dex_vaccine", "exo:aex_vaccine"} <= narrower  # the vaccines still are


# ---------------------------------------------------------------- overstated
def test_row04_dex_scale_up_challenge_is_curator_inference(real_graph):
    row = claim(real_graph, "advantages_challenges-021")
    assert (row["s"], row["o"], row["evidence"]) == ("exo:dc_exosome", "exo:scalable_production", "ECO:0000305")
    assert claims_of(real_graph, "exo:trial_morse2005_nsclc", "exos:hasOutcome", "exo:outcome_feasible_manufacture")


def test_row05_low_immunogenicity_is_claimed_for_self_derived_rvg_exosomes_only(real_graph):
    assert claims_of(real_graph, "exo:dc_exosome", "exos:hasAdvantage", "exo:low_immunogenicity") == []
    row = claim(real_graph, "advantages_challenges-001")
    assert (row["s"], row["o"], row["publications"]) == ("exo:rvg_exosome", "exo:low_immunogenicity", {"alvarezerviti2011"})


def test_row06_bag6_and_nk_function_only_correlate(real_graph):
    row = claim(real_graph, "immune-002")
    assert (row["s"], row["p"]) == ("exo:BAG6", "exos:correlatesWith")
    assert claims_of(real_graph, "exo:BAG6", "exos:participatesIn", "exo:positive_regulation_nk_cytotoxicity") == []


@pytest.mark.parametrize("claim_id, outcome", [("immune-025", "exo:outcome_nk_cell_activation"),
                                               ("immune-026", "exo:outcome_t_cell_response"),
                                               ("immune-036", "exo:outcome_nk_cell_activation")])
def test_row07_single_arm_trial_effects_are_outcomes_not_regulation(real_graph, claim_id, outcome):
    row = claim(real_graph, claim_id)
    assert (row["p"], row["o"]) == ("exos:hasOutcome", outcome)
    causal = real_graph.query("""
        SELECT ?c WHERE { ?c rdf:predicate exos:positivelyRegulates ; exos:modelSystem exos:model_human_trial ;
                             biolink:publications/exos:curationKey ?key . FILTER(?key IN ("morse2005", "besse2016")) }""")
    assert causal.empty  # the single-arm Dex trials support no causal claim (Dai 2008's two randomised arms do)


def test_row08_exosomal_pdl1_loss_is_a_target_not_a_treatment(real_graph):
    assert claims_of(real_graph, "exo:exosomal_pdl1_suppression", "exos:treats", "exo:prostate_cancer") == []
    row = claim(real_graph, "immune-035")
    assert (row["p"], row["o"], row["disease"]) == ("exos:targets", "exo:prostate_cancer", "exo:prostate_cancer")
    assert "before implanting" in row["paraphrase"]


def test_row09_mhc_class_ii_is_not_claimed_for_exosomes_in_general(real_graph):
    assert claims_of(real_graph, "exo:exosome", "exos:hasComponent", "exo:MHC_class_II") == []
    row = claim(real_graph, "review-005")
    assert (row["s"], row["o"]) == ("exo:dc_exosome", "exo:MHC_class_II")


@pytest.mark.parametrize("claim_id", ["review-004", "review-005", "review-006", "review-007"])
def test_row10_splitting_mhc_into_classes_is_curator_inference(real_graph, claim_id):
    row = claim(real_graph, claim_id)
    assert row["evidence"] == "ECO:0000305"
    assert "fang2022" in row["publications"]
    assert "Figure 2 lists MHC" not in row["paraphrase"]


# ---------------------------------------------------------------- imprecise
def test_row17_registry_facts_carry_the_registry_evidence_code(real_graph):
    ids = [f"clinical-{n:03d}" for n in range(54, 64)]
    for claim_id in ids:
        row = claim(real_graph, claim_id)
        assert row["evidence"] == "ECO:0007759", claim_id
        assert row["publications"] == set(), claim_id
        assert re.search(r"ClinicalTrials.gov (record )?NCT0", row["paraphrase"]), claim_id
    unseen = [claim(real_graph, f"clinical-{n:03d}")["paraphrase"] for n in range(59, 64)]
    assert all("registry page itself was not seen" in text for text in unseen)
    assert all("From the trial registration" not in text for text in unseen)
    label = real_graph.query('SELECT ?l WHERE { ECO:0007759 a exos:EvidenceType ; rdfs:label ?l }')["l"]
    assert list(label) == ["curator inference from database used in manual assertion"]
