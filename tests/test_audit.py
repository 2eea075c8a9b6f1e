"""One test per finding of the 2026-11-30 audit (../shared/curation/audit-2026-11.md), checking
the fixed state as a user sees it: the bundled graph loaded with ``exograph.load()`` and asked in
SPARQL. Row numbers are the audit's."""
from __future__ import annotations

import re

import pytest

CLOSE = "http://www.w3.org/2004/02/skos/core#closeMatch"  # no prefix for skos in query answers


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
    # Kamerkar's carriers are fibroblast-like-cell exosomes, kept apart from MSC exosomes (December audit, item 4)
    assert claims_of(real_graph, "exo:fibroblast_like_cell_exosome", "exos:hasAdvantage", "exo:circulation_stability")


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
    assert row["p"] == "exos:correlatesWith"  # the pair itself was corrected in December (test_dec_item01)
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
def test_row11_figure_claims_say_what_the_captions_say(real_graph):
    for n in range(11, 24):
        row = claim(real_graph, f"review-{n:03d}")
        assert row["publications"] == {"fang2022"} and row["evidence"] == "ECO:0000304"
        assert "caption" in row["paraphrase"], n
        assert "membrane proteins" not in row["paraphrase"], n  # the caption says 'membrane and inside'
    for gene in ("exo:PDCD1", "exo:CD274"):  # kept as the review's own, generic statement
        assert claims_of(real_graph, "exo:exosome", "exos:hasComponent", gene)
    row = claim(real_graph, "review-024")
    assert (row["p"], row["o"]) == ("exos:usedFor", "exo:cancer_treatment")
    assert claims_of(real_graph, "exo:exosome_drug_delivery_system", "exos:treats", "exo:cancer") == []


def test_row12_plasma_membrane_origin_is_on_the_broad_definition_only(real_graph):
    assert claims_of(real_graph, "exo:exosome", "exos:derivesFrom", "exo:plasma_membrane") == []
    row = claim(real_graph, "biogenesis-030")
    assert (row["s"], row["o"], row["publications"]) == (
        "exo:exosome_broad_definition", "exo:plasma_membrane", {"pegtel2019"})
    assert claims_of(real_graph, "exo:exosome", "exos:derivesFrom", "exo:intraluminal_vesicle")


def test_row13_gw4869_target_is_background_not_tested(real_graph):
    row = claim(real_graph, "biogenesis-024")
    assert (row["evidence"], row["model"]) == ("ECO:0000304", "exos:model_primary_background")


def test_row14_poggio_secretion_claims_name_prostate_cancer(real_graph):
    for claim_id in ("biogenesis-027", "biogenesis-028"):
        assert claim(real_graph, claim_id)["disease"] == "exo:prostate_cancer"


def test_row15_kamerkar_producer_cells_are_not_forced_into_one_cell_type(real_graph):
    for claim_id in ("sources-018", "engineering-016"):
        assert claim(real_graph, claim_id)["o"] == "exo:fibroblast_like_mesenchymal_cell"
    matches = real_graph.query("""
        SELECT ?p ?m WHERE { exo:fibroblast_like_mesenchymal_cell ?p ?m . FILTER(?p IN (skos:exactMatch, skos:closeMatch)) }""")
    assert set(zip(matches["p"], matches["m"])) == {(CLOSE, "CL:0000057"), (CLOSE, "CL:0000134")}


def test_row16_and_row13_background_statements_are_not_review_statements(real_graph):
    row = claim(real_graph, "applications-020")
    assert (row["evidence"], row["model"]) == ("ECO:0000304", "exos:model_primary_background")
    reviews = {"fang2022", "thery2002", "kalluri2020", "pegtel2019", "henne2011", "thery2018", "welsh2024"}
    misfiled = real_graph.query("""
        SELECT ?c (GROUP_CONCAT(?key; separator="|") AS ?keys) WHERE {
          ?c exos:modelSystem exos:model_review ; biolink:publications/exos:curationKey ?key } GROUP BY ?c""")
    primary_only = [c for c, keys in zip(misfiled["c"], misfiled["keys"]) if not set(keys.split("|")) & reviews]
    assert primary_only == []  # a claim filed as a review statement cites at least one review


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


def test_row18_family_level_chaperones_are_close_matches(real_graph):
    for entity, gene in (("exo:HSP90AA1", "HGNC:5253"), ("exo:HSPA1A", "HGNC:5232")):
        frame = real_graph.query(f"SELECT ?p WHERE {{ {entity} ?p {gene} }}")
        assert set(frame["p"]) == {CLOSE}, entity


def test_row19_cd9_is_not_presented_as_a_generic_marker(real_graph):
    row = claim(real_graph, "composition-001")
    assert "not found on EVs of every cell type" in row["paraphrase"]
    assert "no such protein is exclusive to exosomes" in row["paraphrase"]


def test_row20_nk_exosome_killing_is_only_close_to_the_cell_mediated_go_term(real_graph):
    frame = real_graph.query("SELECT ?p WHERE { exo:nk_cytotoxicity_against_tumour ?p GO:0002420 }")
    assert set(frame["p"]) == {CLOSE}
    for claim_id in ("immune-040", "immune-041"):
        assert claim(real_graph, claim_id)["o"] == "exo:nk_cytotoxicity_against_tumour"


@pytest.mark.parametrize("claim_id", ["advantages_challenges-025", "advantages_challenges-026"])
def test_row21_tumour_material_safety_is_curator_inference(real_graph, claim_id):
    row = claim(real_graph, claim_id)
    assert (row["o"], row["evidence"]) == ("exo:tumour_material_safety", "ECO:0000305")
    assert row["paraphrase"].startswith("Curator's inference")


def test_row22_johnstones_suggestion_is_not_a_direct_assay(real_graph):
    row = claim(real_graph, "biogenesis-043")
    assert row["evidence"] == "ECO:0000303" and row["publications"] == {"johnstone1987"}
    assert "suggested" in row["paraphrase"]


# ---------------------------------------------------------------- entity table
def entity(graph, local: str) -> dict:
    """An entity's label, definition, synonyms and mappings, as a user sees them."""
    frame = graph.query(f"""
        SELECT ?label ?definition
               (GROUP_CONCAT(DISTINCT COALESCE(?alt, ""); separator="|") AS ?synonyms)
               (GROUP_CONCAT(DISTINCT COALESCE(STR(?exact), ""); separator="|") AS ?exact)
        WHERE {{ exo:{local} rdfs:label ?label ; skos:definition ?definition .
                OPTIONAL {{ exo:{local} skos:altLabel ?alt }} OPTIONAL {{ exo:{local} skos:exactMatch ?exact }} }}
        GROUP BY ?label ?definition""")
    assert len(frame) == 1, local
    row = frame.iloc[0].to_dict()
    for key in ("synonyms", "exact"):
        row[key] = set(filter(None, str(row[key]).split("|")))
    return row


def test_entity_mesenchymal_stem_cell_label_is_the_cl_name(real_graph):
    row = entity(real_graph, "mesenchymal_stem_cell")
    assert row["label"] == "mesenchymal stem cell"  # CL:0000134's only name
    assert "fibroblast" not in row["definition"]
    assert "mesenchymal stromal cell" in row["synonyms"]


def test_entity_ceramide_is_not_defined_by_one_route(real_graph):
    definition = entity(real_graph, "ceramide")["definition"]
    assert "de novo" in definition and "sphingomyelin" in definition


def test_entity_cd63_does_not_claim_the_lamp3_name(real_graph):
    row = entity(real_graph, "CD63")
    assert not {s for s in row["synonyms"] if s.replace("-", "").upper() == "LAMP3"}


def test_entity_pdac_is_not_all_pancreatic_cancer(real_graph):
    assert "pancreatic cancer" not in entity(real_graph, "pancreatic_ductal_adenocarcinoma")["synonyms"]


def test_entity_circulation_stability_is_relative_to_liposomes(real_graph):
    assert "liposomes" in entity(real_graph, "circulation_stability")["definition"]


def test_entity_immune_effector_grouping_drops_the_misleading_synonym(real_graph):
    assert "immune effector cell" not in entity(real_graph, "immune_effector_cell")["synonyms"]


def test_entity_gapdh_and_bace1_have_their_hgnc_ids(real_graph):
    assert entity(real_graph, "GAPDH")["exact"] == {"http://identifiers.org/hgnc/4141"}
    assert entity(real_graph, "BACE1")["exact"] == {"http://identifiers.org/hgnc/933"}


# ---------------------------------------------------------------- December 2026 audit, section 6.2
def quantities(graph, claim_id: str) -> list[tuple]:
    """(kind, value, min, max, comparator) of each quantity of a claim, as a user queries them."""
    frame = graph.query(f"""
        SELECT ?kind ?value ?min ?max ?comparator WHERE {{
          claim:{claim_id} exos:quantity ?q . ?q exos:quantityKind/skos:notation ?kind .
          OPTIONAL {{ ?q exos:value ?value }} OPTIONAL {{ ?q exos:minValue ?min ; exos:maxValue ?max }}
          OPTIONAL {{ ?q exos:comparator/skos:notation ?comparator }} }}""")
    clean = lambda v: None if v is None or v != v else (int(v) if float(v) == int(float(v)) else float(v))
    return sorted(((r.kind, clean(r.value), clean(r.min), clean(r.max), r.comparator if isinstance(r.comparator, str) else None)
                   for r in frame.itertuples()), key=str)


def test_dec_item01_mhc_class_ii_not_bag6_correlates_with_nk_function(real_graph):
    row = claim(real_graph, "immune-002")
    assert (row["s"], row["p"], row["o"]) == ("exo:MHC_class_II", "exos:correlatesWith", "exo:positive_regulation_nk_cytotoxicity")
    assert claims_of(real_graph, "exo:BAG6", "exos:correlatesWith", "exo:positive_regulation_nk_cytotoxicity") == []
    assert claims_of(real_graph, "exo:MHC_class_II", "exos:correlatesWith", "exo:BAG6")  # relations-005 keeps the BAG6 link


def test_dec_item02_incubation_loss_is_not_pinned_on_the_sonicated_product(real_graph):
    assert claims_of(real_graph, "exo:exoptx", "exos:loadedBy", "exo:incubation") == []
    assert claims_of(real_graph, "exo:paclitaxel", "exos:loadedBy", "exo:incubation") == ["loading-012"]


def test_dec_item03_title_only_synergy_is_an_author_statement(real_graph):
    row = claim(real_graph, "applications-047")
    assert row["evidence"] == "ECO:0000303" and "results were not" in row["paraphrase"]
    assert claim(real_graph, "immune-082")["evidence"] == "ECO:0000303"


def test_dec_item04_kamerkar_carriers_are_not_msc_exosomes(real_graph):
    msc = set(real_graph.query("SELECT ?x WHERE { ?x skos:broader+ exo:msc_exosome }")["x"])
    assert "exo:iexosome" not in msc and "exo:gmp_iexosome" in msc
    fibro = set(real_graph.query("SELECT ?x WHERE { ?x skos:broader+ exo:fibroblast_like_cell_exosome }")["x"])
    assert fibro == {"exo:iexosome"}
    assert claim(real_graph, "sources-018")["s"] == "exo:fibroblast_like_cell_exosome"
    kamerkar_on_msc = real_graph.query("""
        SELECT ?c WHERE { ?c rdf:subject exo:msc_exosome ; biolink:publications/exos:curationKey "kamerkar2017" }""")
    assert kamerkar_on_msc.empty
    assert "fibroblast-like mesenchymal cell exosome" not in entity(real_graph, "msc_exosome")["synonyms"]


def test_dec_item05_open_durations_are_bounds_not_range_ends(real_graph):
    assert quantities(real_graph, "clinical-023") == sorted([
        ("duration", 30, None, None, None), ("duration", 429, None, None, "more_than"),
        ("duration", 52, None, None, None), ("duration", 665, None, None, "more_than")], key=str)
    open_ranges = real_graph.query("""
        SELECT ?q WHERE { ?q exos:maxValue ?m ; exos:comparator ?c . FILTER(?c != exos:comparator_about) }""")
    assert open_ranges.empty


def test_dec_item06_a_grade_3_toxicity_is_an_adverse_event_count(real_graph):
    kinds = {q[0] for q in quantities(real_graph, "clinical-035")}
    assert kinds == {"adverse_event_count", "patient_count"}


def test_dec_item07_bioreactor_nta_and_tem_describe_the_msc_exosomes(real_graph):
    for claim_id in ("isolation-027", "isolation-028"):
        row = claim(real_graph, claim_id)
        assert row["o"] == "exo:msc_exosome" and "before" in row["paraphrase"], claim_id


@pytest.mark.parametrize("claim_id, expected", [
    ("immune-068", [("assessed_count", 14, None, None, None), ("responder_count", 7, None, None, None)]),
    ("loading-020", [("proportion", 20, None, None, "up_to")]),
    ("advantages_challenges-037", [("increase", 60, None, None, "more_than")]),
    ("loading-023", [("fold_change", 11, None, None, "up_to")]),
    ("sources-042", [("diameter", None, 80, 200, None)]),
])
def test_dec_item08_stated_numbers_are_quantities(real_graph, claim_id, expected):
    assert quantities(real_graph, claim_id) == sorted(expected, key=str)


def test_dec_item09_nct03608631_is_metastatic_disease(real_graph):
    assert "metastatic" in claim(real_graph, "clinical-060")["paraphrase"]


def test_dec_item10_no_curator_rationale_in_engineering_034(real_graph):
    assert "cannot be engineered" not in claim(real_graph, "engineering-034")["paraphrase"]
