"""Competency questions that need qualifiers or quantities (issue 14), answered by the bundled graph."""
from __future__ import annotations

from decimal import Decimal


def test_cq40_methods_that_raise_loading(real_graph):
    answer = real_graph.query("cq40-loading-raised-by-method")
    triples = {(r.cargo, r.method, r.direction) for r in answer.itertuples()}
    assert {("exo:paclitaxel", "exo:sonication", "increased"), ("exo:paclitaxel", "exo:incubation", "decreased"),
            ("exo:doxorubicin", "exo:electroporation", "increased")} <= triples
    # electroporation loaded less paclitaxel than sonication (loading-011), never more
    assert {d for cargo, method, d in triples if (cargo, method) == ("exo:paclitaxel", "exo:electroporation")} == {"decreased"}
    raised = answer[answer["direction"] == "increased"]
    assert "kim2016" in set(raised[raised["method"] == "exo:sonication"]["publications"])


def test_cq41_interventions_that_lower_exosomal_pdl1(real_graph):
    lowered = real_graph.query("cq41-exosomal-pdl1-modulators", direction="decreased")
    assert {(r.agent, r.form) for r in lowered.itertuples()} >= {("exo:RAB27A", "knockout_form"), ("exo:SMPD3", "knockout_form")}
    assert set(lowered["publications"]) == {"poggio2019"}
    assert set(lowered["direction"]) == {"decreased"}
    raised = real_graph.query("cq41-exosomal-pdl1-modulators", direction="increased")
    assert "exo:IFNG" in set(raised["agent"])
    assert {"chen2018", "poggio2019"} <= set(raised[raised["agent"] == "exo:IFNG"]["publications"])


def test_cq42_vesicle_sizes_in_nanometres(real_graph):
    answer = real_graph.query("cq42-vesicle-sizes")
    ranges = {(r.claim, Decimal(str(r.min_nm)), Decimal(str(r.max_nm))) for r in answer.itertuples() if r.min_nm is not None and r.min_nm == r.min_nm}
    assert ("claim:biogenesis-034", Decimal("40"), Decimal("160")) in ranges      # Kalluri and LeBleu: exosomes
    assert ("claim:biogenesis-030", Decimal("30"), Decimal("200")) in ranges      # Pegtel and Gould's broad definition
    assert ("claim:clinical-049", Decimal("60"), Decimal("90")) in ranges         # Dai: ascites exosomes
    small_ev = answer[answer["claim"] == "claim:isolation-009"].iloc[0]
    assert (Decimal(str(small_ev["value_nm"])), small_ev["comparator"]) == (Decimal("200"), "less_than")


def test_cq43_patients_per_trial(real_graph):
    answer = real_graph.query("cq43-trial-patient-counts")
    patients = {r.trial: int(r.patients) for r in answer.itertuples()}
    assert patients["exo:trial_escudier2005_melanoma"] == 15
    assert patients["exo:trial_morse2005_nsclc"] == 13
    assert patients["exo:trial_besse2016_nsclc"] == 22
    assert patients["exo:trial_dai2008_colorectal"] == 40


def test_cq44_exosomal_pdl1_predicts_response_to_anti_pd1(real_graph):
    answer = real_graph.query("cq44-correlates-and-biomarkers")
    biomarker = answer[answer["relation"] == "is biomarker for"]
    row = biomarker[biomarker["subject_label"] == "PD-L1"].iloc[0]
    assert (row["object_label"], row["measured_in"], row["direction"]) == ("response to anti-PD-1 therapy", "plasma exosome", "increased")
    assert row["publications"] == "chen2018"
    correlations = {(r.subject_label, r.object_label) for r in answer.itertuples() if r.relation == "correlates with"}
    assert {("PD-L1", "interferon gamma"), ("MHC class II", "BAG6")} <= correlations


def test_cq45_misev2023_is_the_current_guideline(real_graph):
    answer = real_graph.query("cq45-current-guidelines")
    assert list(answer["label"]) == ["MISEV2023"]
    assert set(answer["replaces"].iloc[0].split("|")) == {"MISEV2018", "MISEV2014"}
