"""Competency questions 4, 5, 6, 7 and 16 (drug loading, engineering, applications), answered by the bundled graph."""
from __future__ import annotations


def keys(frame) -> set[str]:
    """Every publication key behind the rows of a query answer."""
    return {key for cell in frame["publications"].dropna() for key in str(cell).split("|") if key}


def rows_for(frame, column: str, value: str):
    """The rows of a query answer whose ``column`` holds ``value``."""
    return frame[frame[column] == value]


def test_cq04_loading_methods_for_sirna(real_graph):
    answer = real_graph.query("cq04-sirna-loading-methods")
    assert "exo:electroporation" in set(answer["method"])
    electroporation = rows_for(answer, "method", "exo:electroporation")
    assert {"alvarezerviti2011", "kamerkar2017"} <= keys(electroporation)
    cargoes = set(electroporation["cargoes"].iloc[0].split("|"))
    assert {"KRAS G12D siRNA", "BACE1 siRNA", "GAPDH siRNA"} <= cargoes


def test_cq05_loading_methods_for_chemotherapeutics(real_graph):
    answer = real_graph.query("cq05-drug-loading-methods")
    pairs = {(r.drug, r.method) for r in answer.itertuples()}
    assert {("exo:paclitaxel", "exo:sonication"), ("exo:paclitaxel", "exo:incubation"),
            ("exo:doxorubicin", "exo:electroporation")} <= pairs
    paclitaxel = rows_for(answer, "drug", "exo:paclitaxel")
    assert {"kim2016"} <= keys(paclitaxel[paclitaxel["method"].isin(["exo:sonication", "exo:incubation"])])
    doxorubicin = rows_for(answer, "drug", "exo:doxorubicin")
    assert {"lennaard2021"} <= keys(doxorubicin[doxorubicin["method"] == "exo:electroporation"])


def test_cq06_delivered_cargo_and_cancer(real_graph):
    answer = real_graph.query("cq06-delivered-cargo-by-cancer")
    pairs = {(r.cargo, r.disease) for r in answer.itertuples()}
    assert {
        ("exo:let_7a", "exo:breast_cancer"),                                   # Ohno 2013
        ("exo:kras_g12d_sirna", "exo:pancreatic_ductal_adenocarcinoma"),       # Kamerkar 2017
        ("exo:paclitaxel", "exo:pulmonary_metastasis"),                        # Kim 2016
        ("exo:curcumin", "exo:colon_carcinoma"),                               # NCT01294072
    } <= pairs
    assert "exo:doxorubicin" in set(answer["cargo"])                           # Lennaard 2021
    expected_keys = {
        "exo:let_7a": "ohno2013",
        "exo:kras_g12d_sirna": "kamerkar2017",
        "exo:paclitaxel": "kim2016",
        "exo:doxorubicin": "lennaard2021",
    }
    for cargo, key in expected_keys.items():
        assert key in keys(rows_for(answer, "cargo", cargo)), cargo


def test_cq07_targeting_ligands_scaffolds_and_targets(real_graph):
    answer = real_graph.query("cq07-targeting-ligands")
    triples = {(r.ligand, r.scaffold, r.target) for r in answer.itertuples()}
    assert {("exo:RVG_peptide", "exo:LAMP2", "exo:brain"),
            ("exo:GE11_peptide", "exo:PDGFR_TMD", "exo:EGFR")} <= triples
    assert "alvarezerviti2011" in keys(rows_for(answer, "ligand", "exo:RVG_peptide"))
    assert "ohno2013" in keys(rows_for(answer, "ligand", "exo:GE11_peptide"))


def test_cq16_therapy_against_undruggable_oncogene(real_graph):
    answer = real_graph.query("cq16-undruggable-oncogene-therapy")
    rows = {(r.strategy, r.target, r.disease) for r in answer.itertuples()}
    assert ("exo:iexosome_kras_sirna", "exo:KRAS_G12D", "exo:pancreatic_ductal_adenocarcinoma") in rows
    iexosomes = rows_for(answer, "strategy", "exo:iexosome_kras_sirna")
    assert "kamerkar2017" in keys(iexosomes)
    assert "KRAS G12D siRNA" in iexosomes["cargoes"].iloc[0].split("|")
