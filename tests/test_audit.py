"""One test per finding of the 2026-11-30 audit (../shared/curation/audit-2026-11.md), checking
the fixed state as a user sees it: the bundled graph loaded with ``exograph.load()`` and asked in
SPARQL. Row numbers are the audit's."""
from __future__ import annotations

import re


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
