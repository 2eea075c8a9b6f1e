"""Competency questions 1, 2, 3, 10 and 11 (exosome sources, immune mechanisms) and the
contradictions query, answered by the bundled graph."""
from __future__ import annotations


def keys(frame, column: str = "publications") -> set[str]:
    """Every publication key behind the rows of a query answer."""
    return {key for cell in frame[column].dropna() for key in str(cell).split("|") if key}


def rows_where(frame, column: str, value: str):
    return frame[frame[column] == value]


def test_cq01_sources_displaying_mhc_class_ii(real_graph):
    answer = real_graph.query("cq01-mhc-class-ii-sources")
    cells = set(answer["cell"].dropna())
    assert {"exo:b_cell", "exo:dendritic_cell"} <= cells
    assert {"exo:b_cell_exosome", "exo:dc_exosome", "exo:ifng_dc_exosome"} <= set(answer["exosome"])
    assert set(answer["mhc"]) == {"exo:MHC_class_II"}
    assert "raposo1996" in keys(rows_where(answer, "cell", "exo:b_cell"))
    assert {"escudier2005", "besse2016"} <= keys(rows_where(answer, "cell", "exo:dendritic_cell"))


def test_cq02_sources_presenting_mhc_class_i_restricted_antigens(real_graph):
    answer = real_graph.query("cq02-mhc-class-i-antigen-sources")
    exosomes = set(answer["exosome"])
    assert {"exo:dc_exosome", "exo:ifng_dc_exosome", "exo:tumour_exosome"} <= exosomes
    dex = rows_where(answer, "exosome", "exo:dc_exosome")
    # dendritic-cell exosomes loaded with MHC class I-restricted MAGE peptides
    assert {"exo:MAGEA3", "exo:MAGEA4", "exo:MAGEA10"} <= set(dex["item"])
    assert "morse2005" in keys(dex[dex["route"] == "carries an MHC class I-restricted antigen"])
    assert "besse2016" in keys(rows_where(answer, "exosome", "exo:ifng_dc_exosome"))
    # tumour exosomes hand their antigens to dendritic cells for cross-priming
    tumour = rows_where(answer, "exosome", "exo:tumour_exosome")
    assert "exo:cross_presentation" in set(tumour["item"])
    assert "wolfers2001" in keys(tumour)


def test_cq03_tumour_exosome_cargo_that_suppresses_t_cells(real_graph):
    answer = real_graph.query("cq03-tumour-exosome-t-cell-suppressor")
    pairs = {(row.cargo, row.receptor) for row in answer.itertuples()}
    assert ("exo:CD274", "exo:PDCD1") in pairs  # PD-L1 acting on PD-1
    pdl1 = rows_where(answer, "cargo", "exo:CD274")
    assert {"chen2018", "poggio2019"} <= keys(pdl1)
    genes = {str(m) for m in real_graph.query(
        "SELECT ?m WHERE { VALUES ?e { exo:CD274 exo:PDCD1 } ?e skos:exactMatch ?m }")["m"]}
    assert {"HGNC:17635", "HGNC:8760"} <= genes


def test_cq10_immune_effector_cells_producing_therapeutic_exosomes(real_graph):
    answer = real_graph.query("cq10-immune-cell-exosome-therapies")
    by_cell = {cell: rows_where(answer, "cell_type", cell) for cell in set(answer["cell_type"])}
    assert {"exo:nk_cell", "exo:macrophage", "exo:dendritic_cell"} <= set(by_cell)
    nk = by_cell["exo:nk_cell"]
    assert {"melanoma", "glioblastoma"} <= keys(nk, "tumours")
    assert {"zhu2017", "zhu2018"} <= keys(nk)
    assert "kim2016" in keys(by_cell["exo:macrophage"])
    assert "paclitaxel" in " ".join(keys(by_cell["exo:macrophage"], "uses"))
    dc = by_cell["exo:dendritic_cell"]
    assert {"escudier2005", "morse2005", "besse2016", "alvarezerviti2011"} <= keys(dc)
    assert {"melanoma", "non-small cell lung cancer"} <= keys(dc, "tumours")


def test_cq11_non_immune_cells_producing_exosomes(real_graph):
    answer = real_graph.query("cq11-non-immune-exosome-sources")
    cells = set(answer["cell"])
    assert {"exo:fibroblast_like_mesenchymal_cell", "exo:reticulocyte", "exo:mast_cell", "exo:tumour_cell"} <= cells
    assert not cells & {"exo:dendritic_cell", "exo:nk_cell", "exo:macrophage", "exo:b_cell", "exo:nk92mi_cell"}
    expected = {"exo:fibroblast_like_mesenchymal_cell": {"kamerkar2017"}, "exo:reticulocyte": {"johnstone1987"},
                "exo:mast_cell": {"valadi2007"}, "exo:tumour_cell": {"wolfers2001", "chen2018"}}
    for cell, wanted in expected.items():
        assert wanted <= keys(rows_where(answer, "cell", cell)), cell


def test_contradictions_tumour_exosomes_stimulate_and_suppress_immunity(real_graph):
    answer = real_graph.query("contradictions")
    pairs = list(zip(answer["positive_claim"], answer["negative_claim"]))
    assert len(pairs) == len(set(pairs))  # each pair once
    assert all(answer["positive_predicate"] == "exos:positivelyRegulates")
    assert all(answer["negative_predicate"] == "exos:negativelyRegulates")
    clash = answer[(answer["subject"] == "exo:tumour_exosome")
                   & (answer["object"] == "exo:anticancer_immune_response")]
    assert len(clash) >= 2
    assert keys(clash, "positive_publications") == {"wolfers2001"}
    assert {"chen2018", "poggio2019"} <= keys(clash, "negative_publications")
    assert set(clash["positive_model"]) == {"mouse"}
    assert {"melanoma", "prostate cancer"} <= set(clash["negative_disease"])
    assert all(clash["positive_paraphrase"].str.len() > 20) and all(clash["negative_paraphrase"].str.len() > 20)
    cd8 = answer[(answer["subject"] == "exo:tumour_exosome") & (answer["object"] == "exo:cd8_t_cell_activation")]
    assert "chen2018" in keys(cd8, "negative_publications")
