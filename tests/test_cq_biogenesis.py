"""Competency questions 12, 13, 14, 15, 17 and 18 (biogenesis, composition, isolation), answered by the bundled graph."""
from __future__ import annotations


def keys(frame) -> set[str]:
    """Every publication key behind the rows of a query answer."""
    return {key for cell in frame["publications"].dropna() for key in str(cell).split("|") if key}


def keys_of(frame, column: str, value: str) -> set[str]:
    """The publication keys behind the rows whose ``column`` equals ``value``."""
    return keys(frame[frame[column] == value])


def test_cq12_pathways_forming_intraluminal_vesicles(real_graph):
    answer = real_graph.query("cq12-ilv-formation-pathways")
    rows = {(r.pathway, r.agent) for r in answer.itertuples()}
    escrt = "exo:mvb_sorting_pathway"
    ceramide = "exo:ceramide_dependent_ilv_formation"
    # ESCRT-dependent: ESCRT-0, -I, -II and -III in multivesicular body sorting
    assert {(escrt, "exo:escrt_0"), (escrt, "exo:escrt_i"), (escrt, "exo:escrt_ii"), (escrt, "exo:escrt_iii")} <= rows
    # ESCRT-independent: ceramide made by neutral sphingomyelinase 2
    assert {(ceramide, "exo:ceramide"), (ceramide, "exo:SMPD3")} <= rows
    assert "henne2011" in keys_of(answer, "pathway", escrt)
    assert "trajkovic2008" in keys_of(answer, "pathway", ceramide)
    # the two routes are told apart, and the ESCRT complexes list their member proteins
    assert "multivesicular body sorting pathway" in answer[answer["pathway"] == ceramide]["distinguished_from"].iloc[0]
    members = dict(zip(answer["agent"], answer["members"]))
    assert {"HRS", "STAM"} <= set(members["exo:escrt_0"].split("|"))
    assert "TSG101" in members["exo:escrt_i"].split("|")
    assert "CHMP4B" in members["exo:escrt_iii"].split("|")


def test_cq13_exosome_marker_proteins(real_graph):
    answer = real_graph.query("cq13-exosome-markers")
    markers = set(answer["marker"])
    assert {"exo:CD9", "exo:CD63", "exo:CD81", "exo:TSG101", "exo:PDCD6IP"} <= markers
    for marker in ("exo:CD9", "exo:CD63", "exo:CD81", "exo:TSG101", "exo:PDCD6IP"):
        assert "thery2018" in keys_of(answer, "marker", marker)
    genes = dict(zip(answer["marker"], answer["identifier"]))
    assert genes["exo:PDCD6IP"] == "HGNC:8766"  # ALIX
    assert genes["exo:TSG101"] == "HGNC:15971"
    tetraspanins = set(answer[answer["family"].str.contains("tetraspanin", na=False)]["marker"])
    assert {"exo:CD9", "exo:CD63", "exo:CD81"} <= tetraspanins


def test_cq14_figure2_proteins(real_graph):
    answer = real_graph.query("cq14-figure2-proteins")
    proteins = set(answer["protein"])
    assert {"exo:ANPEP", "exo:LAMP1", "exo:LAMP2", "exo:IGSF8", "exo:PDCD1", "exo:CD274"} <= proteins
    genes = dict(zip(answer["protein"], answer["gene"]))
    assert genes["exo:ANPEP"] == "HGNC:500"    # CD13
    assert genes["exo:IGSF8"] == "HGNC:17813"  # PGRL, not PTGFRN
    assert "fang2022" in keys(answer)
    assert "exo:exosomal_proteins" not in proteins  # the generic class is not a Figure 2 protein


def test_cq15_nucleic_acids_carried_and_transferred(real_graph):
    answer = real_graph.query("cq15-exosomal-nucleic-acids")
    kinds = set(answer["nucleic_acid"])
    assert {"exo:mRNA", "exo:miRNA", "exo:lncRNA"} <= kinds
    for kind in ("exo:mRNA", "exo:miRNA"):
        assert "valadi2007" in keys_of(answer, "nucleic_acid", kind)
        transferred = answer[answer["nucleic_acid"] == kind]["transferred_via"].iloc[0]
        assert "exosome-mediated RNA transfer" in transferred
    assert "fang2022" in keys_of(answer, "nucleic_acid", "exo:lncRNA")
    assert "exo:nucleic_acids" not in kinds


def test_cq17_ev_reporting_guidelines(real_graph):
    answer = real_graph.query("cq17-ev-reporting-guidelines")
    assert {"exo:misev2018", "exo:misev2023"} <= set(answer["guideline"])
    assert "thery2018" in keys_of(answer, "guideline", "exo:misev2018")
    assert "welsh2024" in keys_of(answer, "guideline", "exo:misev2023")
    updates = dict(zip(answer["guideline"], answer["updates"]))
    assert "MISEV2018" in updates["exo:misev2023"].split("|")


def test_cq18_exosome_vesicle_not_rna_exosome(real_graph):
    answer = real_graph.query("cq18-exosome-vs-rna-exosome")
    assert set(answer["term"]) == {"exo:exosome"}
    assert set(answer["go_id"]) == {"GO:0070062"}
    vesicle = answer[answer["parent_go"] == "GO:1903561"]
    assert not vesicle.empty and set(vesicle["parent"]) == {"exo:extracellular_vesicle"}
    namesakes = set(vesicle["not_this_go"].dropna())
    assert "GO:0000178" in namesakes
    assert "GO:0000178" not in set(answer["go_id"]) | set(answer["parent_go"])
    assert {"fang2022", "thery2018"} & keys(vesicle)
