"""The search key shared by the CLI's label resolution and the view's search (exograph/normalise.py).

The view applies the same tables in JavaScript; tests/test_view_browser.py checks that the page
computes the same keys as :func:`exograph.normalise.key` for the names below.
"""
from __future__ import annotations

import pytest

from conftest import run_cli
from exograph.normalise import key

# (typed, name in the graph): the same key
SAME = [
    ("PD L1", "PD-L1"), ("pdl1", "PD-L1"), ("MHC II", "MHC class II"), ("MHC-II", "MHC class II"),
    ("mhc 2", "MHC class II"), ("IFN gamma", "IFN-γ"), ("interferon-gamma", "interferon gamma"), ("IFN-γ", "interferon gamma"),
    ("tumor exosome", "tumour exosome"), ("Tumor-derived exosome", "tumour-derived exosome"), ("SIRPα", "SIRP-alpha"),
    ("NK cell", "natural killer cell"), ("T-cell activation", "T cell activation"), ("characterization", "characterisation"),
    ("IL-2 signaling", "IL-2 signalling"), ("EVs", "extracellular vesicles"), ("  PD\u2011L1 ", "PD-L1"),
]
# names a researcher tells apart: different keys
DIFFERENT = [("MHC class I", "MHC class II"), ("PD-1", "PD-L1"), ("interferon gamma", "interferon-gamma production"),
             ("CD4", "CD40")]


@pytest.mark.parametrize(("typed", "name"), SAME)
def test_spellings_of_one_name_share_a_key(typed, name):
    assert key(typed) == key(name)


@pytest.mark.parametrize(("one", "other"), DIFFERENT)
def test_different_names_keep_different_keys(one, other):
    assert key(one) != key(other)


def test_short_words_keep_their_endings():
    assert key("size") == "size" and key("organize") == "organise"  # -ize only after two letters more


def test_cli_resolves_a_normalised_label_as_the_view_does(tiny_ontology):
    exact = run_cli("query", "claims-about", "--param", "entity=exo:CD274")  # the bundled graph
    spaced = run_cli("query", "claims-about", "--param", "entity=PD L1")
    assert exact.returncode == 0 and spaced.returncode == 0, spaced.stderr
    assert spaced.stdout == exact.stdout and "PD-L1" in spaced.stdout
    british = run_cli("paths", "tumor derived exosome", "T-cell activation", "--max-hops", "1", "--ontology", str(tiny_ontology))
    assert british.returncode == 0, british.stderr
    assert british.stdout.splitlines()[0].startswith("1. tumour-derived exosome -> T cell activation")
    unknown = run_cli("query", "claims-about", "--param", "entity=PD L9")
    assert unknown.returncode != 0 and "unknown concept 'PD L9'" in unknown.stderr and unknown.stdout == ""
