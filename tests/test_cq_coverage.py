"""Competency questions 30-33 (the second curation pass's coverage gaps), answered by the bundled graph."""
from __future__ import annotations

import json

from conftest import run_cli
from exograph.paths import default_ontology_dir


def keys(frame, column: str = "publications") -> set[str]:
    """Every publication key behind the rows of a query answer."""
    return {key for cell in frame[column].dropna() for key in str(cell).split("|") if key}


def row_for(frame, column: str, value: str):
    rows = frame[frame[column] == value]
    assert len(rows) == 1, f"{value} in {list(frame[column])}"
    return rows.iloc[0]


def test_cq30_milk_exosomes_are_the_oral_carrier(real_graph):
    answer = real_graph.query("cq30-oral-exosome-carriers")
    assert "exo:milk_exosome" in set(answer["carrier"])
    milk = row_for(answer, "carrier", "exo:milk_exosome")
    assert {"milk", "cattle"} <= set(milk["sources"].split("|"))
    assert "munagala2016" in keys(answer[answer["carrier"] == "exo:milk_exosome"])
    # Munagala's oral claims are the authors' conclusion, so they are author statements, not experiments
    assert milk["evidence_codes"].split("|") == ["http://purl.obolibrary.org/obo/ECO_0000303"]
    # carriers given by injection only (iRGD exosomes, macrophage exosomes) are not oral carriers
    assert not {"exo:irgd_exosome", "exo:macrophage_exosome", "exo:m1_macrophage_exosome"} & set(answer["carrier"])


def test_cq31_loading_methods_fuhrmann_compared(real_graph):
    answer = real_graph.query("cq31-loading-methods-compared", publication="fuhrmann2015")
    methods = set(answer["method"])
    assert methods == {"exo:saponin_permeabilisation", "exo:extrusion", "exo:dialysis",
                       "exo:electroporation", "exo:incubation"}
    kinds = dict(zip(answer["method"], answer["kind_label"]))
    assert kinds["exo:incubation"] == "passive loading"
    assert {kinds[m] for m in methods - {"exo:incubation"}} == {"active loading"}
    saponin = row_for(answer, "method", "exo:saponin_permeabilisation")
    assert saponin["cargoes"] == "hydrophilic porphyrin"
    assert "elevenfold" in saponin["findings"]
    assert "hydrophobic porphyrin" in row_for(answer, "method", "exo:incubation")["cargoes"].split("|")


def test_cq31_answers_for_the_study_asked_and_no_other(real_graph):
    kim = real_graph.query("cq31-loading-methods-compared", publication="kim2016")
    assert set(kim["method"]) == {"exo:sonication", "exo:electroporation", "exo:incubation"}
    assert real_graph.query("cq31-loading-methods-compared", publication="nosuchstudy").empty


def test_cq31_from_the_command_line():
    result = run_cli("query", "cq31-loading-methods-compared", "--param", "publication=fuhrmann2015",
                     "--format", "json", "--ontology", str(default_ontology_dir()))
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)["results"]["bindings"]
    assert {row["method_label"]["value"] for row in rows} == {
        "saponin permeabilisation", "extrusion", "dialysis", "electroporation", "incubation (co-incubation)"}


def test_cq32_ligands_by_which_tumour_exosomes_suppress_lymphocytes(real_graph):
    answer = real_graph.query("cq32-tumour-exosome-lymphocyte-suppressors")
    assert {"exo:CD274", "exo:FASLG", "exo:TGFB1"} <= set(answer["molecule"])
    fasl = row_for(answer, "molecule", "exo:FASLG")
    assert fasl["receptors"] == "Fas (CD95)"
    assert "positively regulates T-cell apoptosis" in fasl["effects"].split("|")
    assert "abusamra2005" in fasl["publications"].split("|")
    tgfb = row_for(answer, "molecule", "exo:TGFB1")
    assert "negatively regulates lymphocyte proliferation" in tgfb["effects"].split("|")
    assert "clayton2007" in tgfb["publications"].split("|")
    pdl1 = row_for(answer, "molecule", "exo:CD274")
    assert pdl1["receptors"] == "PD-1"
    assert {"chen2018", "poggio2019"} <= set(pdl1["publications"].split("|"))


def test_cq33_exosome_molecules_that_activate_nk_cells(real_graph):
    answer = real_graph.query("cq33-nk-activating-exosome-molecules")
    pairs = {(r.molecule, r.receptor if isinstance(r.receptor, str) else None) for r in answer.itertuples()}
    assert {("exo:nkg2d_ligand", "exo:KLRK1"), ("exo:IL15RA", None), ("exo:BAG6", "exo:NCR3")} <= pairs
    viaud = answer[answer["molecule"].isin(["exo:nkg2d_ligand", "exo:IL15RA"])]
    assert {"viaud2009"} == keys(viaud)
    assert set(viaud["carried_by"]) == {"dendritic-cell-derived exosome"}


def test_besse_trial_carries_its_registry_number(real_graph):
    answer = real_graph.query(
        "SELECT ?nct WHERE { exo:trial_besse2016_nsclc skos:exactMatch ?nct }")
    assert set(answer["nct"]) == {"NCT:NCT01159288"}
