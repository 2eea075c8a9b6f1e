"""Competency questions for the third curation pass (issue 20): dated trial statuses, microparticle trials
kept apart from exosome trials, open-ended values, and the new studies (Andre 2002, Segura 2005, Lugini 2012),
answered by the bundled graph."""
from __future__ import annotations


def keys(frame) -> set[str]:
    """Every publication key behind the rows of a query answer."""
    return {key for cell in frame["publications"].dropna() for key in str(cell).split("|") if key}


def test_cq46_trial_status_is_dated_and_changes(real_graph):
    answer = real_graph.query("cq46-trial-status")
    readings = {(r.trial, r.status, str(r.seen), r.source) for r in answer.itertuples()}
    curcumin = {(status, seen) for trial, status, seen, _ in readings if trial == "exo:trial_nct01294072"}
    # the same record read recruiting, completed and active depending on the snapshot
    assert {("recruiting", "2014-05-28"), ("completed", "2016-04-02"), ("active_not_recruiting", "2017-03-03")} <= curcumin
    latest = {r.trial: r.status for r in answer.itertuples() if r.latest in (True, "true")}
    assert latest["exo:trial_nct01294072"] == "active_not_recruiting"
    assert latest["exo:trial_nct02657460"] == "recruiting"
    assert ("exo:trial_nct02657460", "recruiting", "2019-02-26", "registry") in readings
    vesicles = dict(zip(answer["trial"], answer["vesicles"]))
    assert vesicles["exo:trial_nct02657460"] == vesicles["exo:trial_nct03230708"] == "other extracellular vesicles"
    assert vesicles["exo:trial_nct01668849"] == vesicles["exo:trial_nct01294072"] == "exosomes"


def test_cq08_leaves_microparticle_trials_out_of_exosome_trials(real_graph):
    answer = real_graph.query("cq08-clinical-trials")
    trials = set(answer["trial"])
    assert "exo:trial_nct01668849" in trials  # grape exosomes: an exosome trial, though no drug is loaded
    assert not trials & {"exo:trial_nct02657460", "exo:trial_nct03230708"}
    carriers = real_graph.query("""
        SELECT ?carrier WHERE { exo:mtx_tumour_microparticle exos:usesCarrier ?carrier .
                                ?carrier skos:broader+ exo:extracellular_vesicle .
                                FILTER NOT EXISTS { ?carrier skos:broader* exo:exosome } }""")
    assert list(carriers["carrier"]) == ["exo:tumour_cell_microparticle"]


def test_cq47_open_values_are_bounds(real_graph):
    answer = real_graph.query("cq47-open-ended-values")
    bounds = {(r.claim, r.comparator, int(float(r.bound))) for r in answer.itertuples()}
    assert {("claim:clinical-023", "more_than", 429), ("claim:clinical-023", "more_than", 665),
            ("claim:loading-020", "up_to", 20)} <= bounds
    assert ("claim:clinical-023", "more_than", 30) not in bounds  # the closed lower ends stay exact values
    assert set(answer["comparator"]) <= {"more_than", "less_than", "up_to"}


def test_cq48_icam1_and_mhc_ii_are_required_for_priming_by_mature_dc_exosomes(real_graph):
    answer = real_graph.query("cq48-required-by-knockout")
    priming = answer[answer["needed_for"] == "exo:naive_t_cell_priming"]
    assert set(priming["molecule"]) == {"exo:ICAM1", "exo:MHC_class_II"}  # B7.2 and MFG-E8 were dispensable
    assert keys(priming) == {"segura2005"} and set(priming["form"]) == {"knockout_form"}


def test_mature_dc_exosomes_differ_from_immature_ones(real_graph):
    enriched = real_graph.query("""
        SELECT ?o ?direction WHERE { ?c rdf:subject exo:mature_dc_exosome ; rdf:object ?o ;
            biolink:object_aspect_qualifier/skos:notation "abundance" ;
            biolink:object_direction_qualifier/skos:notation ?direction ;
            biolink:publications/exos:curationKey "segura2005" }""")
    assert set(zip(enriched["o"], enriched["direction"])) == {
        ("exo:ICAM1", "increased"), ("exo:CD86", "increased"), ("exo:MHC_class_II", "increased"), ("exo:MFGE8", "decreased")}
    fold = real_graph.query("""
        SELECT ?min ?max WHERE { claim:immune-207 exos:quantity [ exos:minValue ?min ; exos:maxValue ?max ] }""")
    assert (int(fold["min"][0]), int(fold["max"][0])) == (50, 100)


def test_cq49_effusion_exosomes_carry_patients_tumour_antigens(real_graph):
    answer = real_graph.query("cq49-patient-exosome-antigens")
    pairs = {(r.exosome, r.antigen) for r in answer.itertuples()}
    assert {("exo:malignant_effusion_exosome", f"exo:{a}") for a in ("MLANA", "ERBB2", "PMEL")} <= pairs
    assert ("exo:ascites_exosome", "exo:CEACAM5") in pairs
    effusion = answer[answer["exosome"] == "exo:malignant_effusion_exosome"]
    assert keys(effusion) == {"andre2002"}


def test_nk_cell_exosomes_carry_killer_proteins_in_two_studies(real_graph):
    answer = real_graph.query("""
        SELECT ?o ?key WHERE { ?c rdf:subject exo:nk_exosome ; rdf:predicate exos:hasComponent ; rdf:object ?o ;
                                  biolink:publications/exos:curationKey ?key }""")
    found = set(zip(answer["o"], answer["key"]))
    assert {("exo:FASLG", "lugini2012"), ("exo:PRF1", "lugini2012"), ("exo:FASLG", "zhu2017"), ("exo:PRF1", "zhu2017")} <= found
    plasma = real_graph.query("""
        SELECT ?o WHERE { ?c rdf:subject exo:plasma_exosome ; rdf:predicate exos:hasComponent ; rdf:object ?o ;
                             biolink:publications/exos:curationKey "lugini2012" }""")
    assert set(plasma["o"]) == {"exo:NCAM1", "exo:PRF1"}
