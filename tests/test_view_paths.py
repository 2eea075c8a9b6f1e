"""Mechanism paths as the view and `exograph paths` rank them: along the claims' arrows by
default, the best-supported first, with the hops against an arrow and the net effect said."""
from __future__ import annotations

from conftest import run_cli
from exograph.mechanisms import mechanism_paths, net_effect, support

REPLICATION = ("tiny-006\ttumour_exosome\tpositivelyRegulates\tt_cell_activation\tchen2018|wolfers2001\tECO:0000269\t"
               "A second fixture claim that tumour exosomes prime T cells.\tmouse\t\tmouse\t\timmune\tfixture\t2026-11-30\n")


def test_support_weighs_each_publication_once_by_its_best_evidence():
    claims = [{"publication_keys": ["a", "b"], "evidence": "ECO:0000304"}, {"publication_keys": ["a"], "evidence": "ECO:0000269"},
              {"publication_keys": [], "evidence": "ECO:0000303"}]
    assert support(claims) == 2 + 1 + 0.5


def test_better_supported_paths_come_first(tiny_graph, ontology_copy):
    import exograph

    before = mechanism_paths(tiny_graph, "TEX", "T cell activation", max_hops=1)
    assert [path[0].predicate_label for path in before] == ["negatively regulates", "positively regulates"]  # a tie: by label
    with open(ontology_copy / "curated" / "claims" / "tiny.tsv", "a", encoding="utf-8") as table:
        table.write(REPLICATION)
    after = mechanism_paths(exograph.load(ontology_copy), "TEX", "T cell activation", max_hops=1)
    assert [(path[0].predicate_label, path[0].support) for path in after] == [("positively regulates", 4.0),
                                                                              ("negatively regulates", 2.0)]
    assert after[0][0].claims == ("claim:tiny-004", "claim:tiny-006")
    assert [net_effect(path) for path in after] == ["positive", "negative"]


def test_paths_command_follows_arrows_unless_told(tiny_ontology):
    along = run_cli("paths", "PD-1", "TEX", "--ontology", str(tiny_ontology))
    assert along.returncode == 0 and along.stdout == "" and "no path" in along.stderr
    either = run_cli("paths", "PD-1", "TEX", "--either-direction", "--ontology", str(tiny_ontology))
    assert either.returncode == 0, either.stderr
    assert either.stdout.splitlines()[0] == "1. PD-1 -> tumour-derived exosome (2 hops; weakest hop support 2; 1 against the arrow)"
    assert "PD-L1 <--has component-- tumour-derived exosome  [chen2018]" in either.stdout
    ranked = run_cli("paths", "TEX", "T cell activation", "--max-hops", "1", "--ontology", str(tiny_ontology))
    assert ranked.stdout.splitlines()[0].endswith("(1 hop; weakest hop support 2; net effect negative)")
