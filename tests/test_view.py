"""The HTML view as written: self-contained, complete for its selection, escaped, and nothing beside it."""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

import networkx
import pytest

from conftest import run_cli
from exograph.viewer import LAYOUT_THRESHOLD, View, citation, hub_layout, render_html, script_json, write_view

HOSTILE = "<img src=x onerror=alert(1)> href"
# An element that would fetch something: <script src>, <link href>, <img src>, CSS url() / @import, to http(s) or //.
ONLINE = re.compile(r"""<(?:script|link|img|iframe|source|audio|video|embed|object)\b[^>]*\b(?:src|href|data)\s*=\s*["']?\s*(?:https?:)?//"""
                    r"""|url\(\s*["']?\s*(?:https?:)?//|@import""", re.IGNORECASE)
DATA = re.compile(r'<script type="application/json" id="exograph-data">(.*?)</script>', re.DOTALL)


def page_data(page: str) -> dict:
    """The JSON the page embeds."""
    return json.loads(DATA.search(page).group(1))


def write_hostile_copy(ontology: Path) -> None:
    """Put the hostile text into a label, a definition and a paraphrase of the curation copy."""
    entities = ontology / "curated" / "entities" / "tiny.tsv"
    entities.write_text(entities.read_text(encoding="utf-8")
                        .replace("\tPD-1\t", f"\t{HOSTILE}\t")
                        .replace("A cancer of melanocytes.", f"A cancer {HOSTILE}"), encoding="utf-8")
    claims = ontology / "curated" / "claims" / "tiny.tsv"
    claims.write_text(claims.read_text(encoding="utf-8").replace("binds PD-1 on T cells.", f"binds {HOSTILE}"),
                      encoding="utf-8")


@pytest.fixture(scope="module")
def tiny_page(tiny_graph, tmp_path_factory) -> str:
    return write_view(tiny_graph, tmp_path_factory.mktemp("view") / "view.html").read_text(encoding="utf-8")


def test_page_references_no_online_resource(tiny_page):
    assert not ONLINE.findall(tiny_page)
    assert tiny_page.count("<script") == tiny_page.count("<script>") + 1  # only inline scripts, plus the data block
    assert '<script type="application/json" id="exograph-data">' in tiny_page


@pytest.mark.parametrize("selection", [{}, {"focus": "exo:PDCD1", "hops": 2}, {"categories": "Protein"},
                                       {"predicates": ["interactsWith", "hasComponent"]},
                                       {"query": "SELECT ?x WHERE { ?x a exos:Protein }"}])
def test_every_node_and_claim_of_the_selection_is_in_the_page(tiny_graph, tmp_path, selection):
    network = tiny_graph.to_networkx(**selection)
    data = page_data(write_view(tiny_graph, tmp_path / "view.html", **selection).read_text(encoding="utf-8"))
    assert [node["id"] for node in data["nodes"]] == list(network.nodes)
    assert [(edge["from"], edge["to"], edge["id"]) for edge in data["edges"]] == list(network.edges(keys=True))
    assert set(data["details"]["nodes"]) == set(network.nodes)
    assert set(data["details"]["edges"]) == {key for _, _, key in network.edges(keys=True)}


def test_the_whole_real_graph_is_in_the_page(real_graph, tmp_path):
    stats = real_graph.stats()
    data = page_data(write_view(real_graph, tmp_path / "view.html").read_text(encoding="utf-8"))
    assert (len(data["nodes"]), len(data["edges"])) == (stats["entities"], stats["claims"])


def test_focus_and_hops_narrow_the_view(tiny_graph, tmp_path):
    one = page_data(write_view(tiny_graph, tmp_path / "a.html", focus="PD-1").read_text(encoding="utf-8"))
    two = page_data(write_view(tiny_graph, tmp_path / "b.html", focus="PD-1", hops=2).read_text(encoding="utf-8"))
    assert {node["id"] for node in one["nodes"]} == {"exo:PDCD1", "exo:CD274"}
    assert {node["id"] for node in two["nodes"]} == {"exo:PDCD1", "exo:CD274", "exo:tumour_exosome"}
    assert one["title"] == "exograph: focus PD-1"


def test_category_selection_keeps_only_that_category(tiny_graph, tmp_path):
    data = page_data(write_view(tiny_graph, tmp_path / "v.html", categories=["Protein"]).read_text(encoding="utf-8"))
    assert data["nodes"]
    assert {info["category"] for info in data["details"]["nodes"].values()} == {"protein"}
    assert [entry["category"] for entry in data["legend"]] == ["protein"]


def test_node_and_claim_details_carry_what_the_panels_show(tiny_page):
    data = page_data(tiny_page)
    pd_l1 = data["details"]["nodes"]["exo:CD274"]
    assert pd_l1["synonyms"] == ["B7-H1", "CD274"]
    assert pd_l1["links"] == [{"text": "HGNC:17635 (exact match)", "url": "http://identifiers.org/hgnc/17635"}]
    claim = data["details"]["edges"]["claim:tiny-003"]
    assert claim["facets"]["model_system"] == ["mouse"]
    assert claim["facets"]["disease"] == ["melanoma"]  # a context entity by its label
    assert claim["facets"]["publication"] == ["Chen G et al. (2018) Nature"]
    assert claim["sources"] == ["PMID:30089911"]
    assert data["publications"]["PMID:30089911"] == {
        "text": "Chen G et al. (2018) Nature", "citation": "Chen G et al. (2018) Nature 560(7718):382-386", "key": "chen2018",
        "links": [{"text": "PubMed", "url": "https://pubmed.ncbi.nlm.nih.gov/30089911"},
                  {"text": "DOI", "url": "https://doi.org/10.1038/s41586-018-0392-8"}],
        "pmid": "30089911", "doi": "10.1038/s41586-018-0392-8", "note": "VERIFIED: pmid doi pmcid"}
    assert (claim["predicate_curie"], claim["evidence_code"]) == ("exos:negativelyRegulates", "ECO:0000269")  # for the export
    assert claim["evidence"]["url"] == "http://purl.obolibrary.org/obo/ECO_0000269"
    assert data["details"]["edges"]["claim:tiny-004"]["facets"]["phase"] == ["pre clinical research phase"]  # words, not enums
    text_only = data["publications"]["pub:textonly2000"]
    assert text_only["text"] == "Text Only A et al. (2000) Fixture Journal" and text_only["links"] == []
    assert text_only["note"] == "UNVERIFIED ids: cite only as text"  # the page says why there is no link


def test_replications_conflicts_and_qualifiers_reach_the_page(tiny_graph):
    network = tiny_graph.to_networkx()
    replicate = dict(network.edges["exo:CD274", "exo:PDCD1", "claim:tiny-002"], publications=["PMID:11231627"],
                     publication_keys=["wolfers2001"])
    network.add_edge("exo:CD274", "exo:PDCD1", "claim:tiny-902", **replicate)
    network.edges["exo:tumour_exosome", "exo:CD274", "claim:tiny-001"].update(
        object_aspect_qualifier="abundance", subject_form_or_variant_qualifier="exo:CD274", quantities="30-150 nm|2 ug")
    data = page_data(render_html(network))
    assert ["claim:tiny-002", "claim:tiny-902"] in data["groups"]
    edges = data["details"]["edges"]
    assert edges["claim:tiny-003"]["conflict"] and edges["claim:tiny-004"]["conflict"]
    assert not edges["claim:tiny-002"]["conflict"]
    assert edges["claim:tiny-001"]["qualifiers"] == [
        ["Object aspect", "abundance"], ["Quantities", "30-150 nm; 2 ug"], ["Subject form or variant", "PD-L1"]]
    drawn = {edge["id"]: edge for edge in data["edges"]}
    assert drawn["claim:tiny-003"]["arrows"]["to"]["type"] == "bar" and drawn["claim:tiny-003"]["dashes"]
    assert drawn["claim:tiny-003"]["width"] > 1 and "width" not in drawn["claim:tiny-001"]


@pytest.mark.parametrize("text, short", [
    ("Chen G et al. (2018) Nature 560(7718):382-386", "Chen G et al. (2018) Nature"),
    ("Besse B et al. (2016) OncoImmunology 5(4):e1071008", "Besse B et al. (2016) OncoImmunology"),
    ("Thery C, Witwer KW (2018) J Extracell Vesicles 7(1):1535750", "Thery C, Witwer KW (2018) J Extracell Vesicles"),
    ("Baietti MF et al. (2012) Nat Cell Biol pp. 677-685", "Baietti MF et al. (2012) Nat Cell Biol"),  # pages, not journal
    ("a citation in no known form", "a citation in no known form"),
])
def test_citation_keeps_first_author_year_and_journal(text, short):
    assert citation(text) == short


def test_style_legend_and_parallel_claims(tiny_page):
    data = page_data(tiny_page)
    shapes = {node["id"]: (node["shape"], node["color"]) for node in data["nodes"]}
    assert shapes["exo:CD274"] == shapes["exo:PDCD1"] != shapes["exo:melanoma"]
    assert sum(entry["count"] for entry in data["legend"]) == len(data["nodes"])
    degree = {node["id"]: node["value"] for node in data["nodes"]}
    assert degree["exo:tumour_exosome"] > degree["exo:PDCD1"]
    parallel = [edge for edge in data["edges"] if {edge["from"], edge["to"]} == {"exo:tumour_exosome", "exo:t_cell_activation"}]
    assert len(parallel) == 2 and parallel[0].get("smooth") != parallel[1].get("smooth")
    assert {edge["label"] for edge in parallel} == {"negatively regulates", "positively regulates"}


def test_hostile_text_is_inert_in_the_file(ontology_copy, tmp_path):
    import exograph

    write_hostile_copy(ontology_copy)
    graph = exograph.load(ontology_copy)
    page = write_view(graph, tmp_path / "view.html", focus=HOSTILE).read_text(encoding="utf-8")
    assert "<img" not in page.lower()
    assert html.escape(f"exograph: focus {HOSTILE}") in page  # the title, escaped
    data = page_data(page)
    assert data["details"]["nodes"]["exo:PDCD1"]["label"] == HOSTILE  # the data survives, as text
    assert not any(node.get("title") for node in data["nodes"] + data["edges"])  # no vis tooltips at all


def test_links_are_only_http_pages():
    network = networkx.MultiDiGraph()
    network.add_node("exo:a", label="a", exact_matches=["javascript:alert(1)", "GO:0070062"])
    network.add_node("exo:b", label="b")
    network.add_edge("exo:a", "exo:b", key="claim:x", predicate_label="p", evidence="javascript:alert(1)",
                     publications=["javascript:alert(1)", "DOI:10.1038/85438"], publication_keys=["bad", "good"])
    data = page_data(render_html(network))
    assert [link["url"] for link in data["details"]["nodes"]["exo:a"]["links"]] == [
        None, "http://purl.obolibrary.org/obo/GO_0070062"]
    claim = data["details"]["edges"]["claim:x"]
    assert [data["publications"][curie]["links"][0]["url"] for curie in claim["sources"]] == [None, "https://doi.org/10.1038/85438"]
    assert claim["evidence"]["url"] is None


def test_script_json_cannot_close_its_script():
    value = {"text": "</script><script>alert(1)</script><!-- & \u2028"}
    encoded = script_json(value)
    assert not set("<>&") & set(encoded)
    assert json.loads(encoded) == value


def test_large_networks_are_laid_out_in_python_without_physics():
    network = networkx.MultiDiGraph()
    network.add_nodes_from((f"exo:n{i}", {"label": f"n{i}"}) for i in range(LAYOUT_THRESHOLD + 1))
    network.add_edges_from((f"exo:n{i // 2}", f"exo:n{i}", f"claim:{i}", {"predicate_label": "p"})
                           for i in range(1, LAYOUT_THRESHOLD + 1))
    data = page_data(render_html(network))
    assert data["options"]["physics"]["enabled"] is False and data["large"] is True
    assert all(isinstance(node["x"], float) and isinstance(node["y"], float) for node in data["nodes"])
    assert not any("label" in edge or "dashes" in edge for edge in data["edges"])  # vis would draw every label
    positions = hub_layout(network)
    assert len(set(positions.values())) == network.number_of_nodes()


def test_small_networks_stabilise_with_physics(tiny_page):
    data = page_data(tiny_page)
    assert data["options"]["physics"]["enabled"] is True and data["large"] is False
    assert not any("x" in node for node in data["nodes"])
    assert data["options"]["edges"]["scaling"]["label"]["drawThreshold"] > data["options"]["edges"]["font"]["size"]


def test_nothing_is_written_beside_the_output(tiny_graph, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_view(tiny_graph, tmp_path / "out" / "view.html")
    assert [path.relative_to(tmp_path).as_posix() for path in sorted(tmp_path.rglob("*"))] == ["out", "out/view.html"]


def test_view_shows_inline_in_jupyter(tiny_graph):
    view = tiny_graph.view()
    assert isinstance(view, View) and view.path is None
    assert (view.nodes, view.claims) == (7, 5)
    frame = view._repr_html_()
    assert frame.startswith('<iframe srcdoc="') and "<script" not in frame
    assert "allow-forms" in frame and "allow-downloads" in frame and "allow-same-origin" not in frame
    assert html.unescape(re.search(r'srcdoc="([^"]*)"', frame).group(1)) == view.page


def test_cli_view_writes_the_page_and_says_where(tiny_ontology, tmp_path):
    target = tmp_path / "pages" / "tiny.html"
    result = run_cli("view", "-o", str(target), "--focus", "exo:CD274", "--ontology", str(tiny_ontology), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert str(target) in result.stdout and target.resolve().as_uri() in result.stdout
    assert {node["id"] for node in page_data(target.read_text(encoding="utf-8"))["nodes"]} == {
        "exo:CD274", "exo:PDCD1", "exo:tumour_exosome"}
    assert sorted(path.name for path in tmp_path.rglob("*")) == ["pages", "tiny.html"]


def test_cli_view_default_path(tiny_ontology, tmp_path):
    result = run_cli("view", "--ontology", str(tiny_ontology), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "exograph-out" / "view.html").is_file()


def test_cli_view_usage_errors(tiny_ontology, tmp_path):
    for args in (["--hops", "2"], ["--category", "NoSuchClass"], ["--focus", "no such thing"]):
        result = run_cli("view", *args, "--ontology", str(tiny_ontology), cwd=tmp_path)
        assert result.returncode == 2, args
        assert result.stderr.startswith("exograph: error:")
    assert not any(tmp_path.iterdir())


def test_cli_view_help_names_every_option():
    result = run_cli("view", "--help")
    assert result.returncode == 0
    for option in ("--output", "--focus", "--hops", "--category", "--predicate", "--query", "--ontology"):
        assert option in result.stdout
