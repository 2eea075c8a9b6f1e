"""Competency questions 8 and 9 (clinical translation), answered by the bundled graph."""
from __future__ import annotations


def keys(frame) -> set[str]:
    """Every publication key behind the rows of a query answer."""
    return {key for cell in frame["publications"].dropna() for key in str(cell).split("|") if key}


def test_cq08_strategies_in_clinical_trials(real_graph):
    answer = real_graph.query("cq08-clinical-trials")
    rows = {(r.strategy, r.disease, r.phase) for r in answer.itertuples()}
    expected = {
        ("exo:mage3_dex_vaccine", "exo:melanoma", "exo:phase_1"),                       # Dex, melanoma
        ("exo:mage_dex_vaccine", "exo:non_small_cell_lung_cancer", "exo:phase_1"),     # Dex, NSCLC
        ("exo:ifng_dex_vaccine", "exo:non_small_cell_lung_cancer", "exo:phase_2"),     # IFN-gamma-Dex
        ("exo:aex_gmcsf_vaccine", "exo:colorectal_cancer", "exo:phase_1"),             # Aex + GM-CSF
        ("exo:curcumin_plant_exosome", "exo:colon_carcinoma", "exo:phase_1"),          # NCT01294072
        ("exo:iexosome_kras_sirna", "exo:pancreatic_ductal_adenocarcinoma", "exo:phase_1"),  # NCT03608631
    }
    assert expected <= rows
    carriers = {(r.strategy, r.carrier) for r in answer.itertuples()}
    assert {("exo:mage3_dex_vaccine", "exo:dc_exosome"), ("exo:ifng_dex_vaccine", "exo:ifng_dc_exosome"),
            ("exo:aex_gmcsf_vaccine", "exo:ascites_exosome"), ("exo:curcumin_plant_exosome", "exo:plant_exosome"),
            ("exo:iexosome_kras_sirna", "exo:msc_exosome")} <= carriers
    registry = set(answer["registry_id"].dropna())
    assert {"NCT:NCT01294072", "NCT:NCT03608631", "NCT:NCT01159288"} <= registry
    assert {"escudier2005", "morse2005", "besse2016", "dai2008"} <= keys(answer)
    # of the four published trials only Besse's carries a trial number (NCT01159288, from trials.tsv)
    published = answer[answer["publications"].fillna("") != ""]
    numbered = published.dropna(subset=["registry_id"])
    assert set(numbered["registry_id"]) == {"NCT:NCT01159288"}
    assert set(numbered["trial"]) == {"exo:trial_besse2016_nsclc"}


def test_cq09_phase2_dex_trial_outcome(real_graph):
    answer = real_graph.query("cq09-phase2-dex-outcome")
    assert set(answer["trial"]) == {"exo:trial_besse2016_nsclc"}
    outcomes = set(answer["outcome"])
    assert {"exo:outcome_primary_endpoint_not_met", "exo:outcome_disease_stabilisation",
            "exo:outcome_nk_cell_activation"} <= outcomes
    stabilisation = answer[answer["outcome"] == "exo:outcome_disease_stabilisation"]["details"].iloc[0]
    assert "32%" in stabilisation
    assert keys(answer) == {"besse2016"}
