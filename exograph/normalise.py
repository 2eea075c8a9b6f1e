"""Search keys for names, shared by the CLI's label resolution and the HTML view's search.

A key ignores case, spaces, hyphens and other punctuation, writes Greek letters as their names
(``IFN-γ`` and ``IFN gamma`` agree), US spellings as British ones (``tumor`` -> ``tumour``) and the
field's shorthands in full (``MHC II`` -> ``MHC class II``, ``IFN`` -> ``interferon``). The view
gets :func:`tables` as data and applies the same steps in JavaScript (``templates/view.js``,
``searchKey``); ``tests/test_normalise.py`` checks that both give the same keys.
"""
from __future__ import annotations

import re
import unicodedata

GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "ɣ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta", "η": "eta",
    "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu", "ν": "nu", "ξ": "xi", "π": "pi", "ρ": "rho",
    "σ": "sigma", "ς": "sigma", "τ": "tau", "υ": "upsilon", "φ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega",
}
# US -> British, whole words; the endings below cover -ize / -ization.
SPELLINGS = {
    "tumor": "tumour", "tumors": "tumours", "tumoral": "tumoural", "color": "colour", "colors": "colours",
    "signaling": "signalling", "labeled": "labelled", "labeling": "labelling", "behavior": "behaviour",
    "leukemia": "leukaemia", "anemia": "anaemia", "hematopoietic": "haematopoietic", "hemoglobin": "haemoglobin",
    "hematological": "haematological", "esophageal": "oesophageal", "estrogen": "oestrogen", "pediatric": "paediatric",
    "edema": "oedema", "fetal": "foetal", "gynecologic": "gynaecologic", "orthopedic": "orthopaedic",
    "center": "centre", "fiber": "fibre", "favorable": "favourable", "modeling": "modelling",
}
ENDINGS = (("ization", "isation"), ("izations", "isations"), ("izing", "ising"), ("ized", "ised"), ("izes", "ises"),
           ("ize", "ise"), ("yzed", "ysed"), ("yze", "yse"))
# The field's shorthands, as whole words after the steps above -> in full.
SHORTHANDS = {
    "mhc ii": "mhc class ii", "mhc 2": "mhc class ii", "mhc class 2": "mhc class ii",
    "mhc i": "mhc class i", "mhc 1": "mhc class i", "mhc class 1": "mhc class i",
    "hla ii": "hla class ii", "hla i": "hla class i",
    "ifn": "interferon", "nk": "natural killer", "evs": "extracellular vesicles", "ev": "extracellular vesicle",
}
SEPARATORS = r"[^\p{L}\p{N}]+"  # what splits words, as a JavaScript pattern (flag u); Python: _SEPARATORS
_SEPARATORS = re.compile(r"[\W_]+")
# Typo tolerance (the view's search): a word of at least this many characters may differ by this many edits.
TYPOS = ((4, 1), (8, 2))


def _ending(word: str) -> str:
    for us, british in ENDINGS:
        if word.endswith(us) and len(word) > len(us) + 1:
            return word[: -len(us)] + british
    return word


def words(text: str) -> list[str]:
    """The normalised words of ``text``: lower case, Greek letters named, British spelling, shorthands in full."""
    text = unicodedata.normalize("NFKC", text).lower()
    for letter, name in GREEK.items():
        text = text.replace(letter, f" {name} ")
    parts = [_ending(SPELLINGS.get(word, word)) for word in _SEPARATORS.split(text) if word]
    joined = " ".join(parts)
    for short, full in SHORTHANDS.items():
        joined = re.sub(f"(?<![^ ]){short}(?![^ ])", full, joined)
    return joined.split()


def key(text: str) -> str:
    """The search key of ``text``: its normalised words run together (``PD L1``, ``PD-L1``, ``pdl1`` -> ``pdl1``)."""
    return "".join(words(text))


def tables() -> dict:
    """The rules as data for the view's script (one source of truth)."""
    return {"greek": GREEK, "spellings": SPELLINGS, "endings": ENDINGS, "shorthands": SHORTHANDS,
            "separators": SEPARATORS, "typos": TYPOS}
