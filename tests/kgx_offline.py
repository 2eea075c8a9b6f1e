"""Run the real ``kgx`` command line offline: ``python kgx_offline.py validate -i tsv NODES EDGES``.

kgx (through bmt) downloads the Biolink Model, its predicate map and its JSON-LD context from
GitHub when it is imported. This runner gives it the same model from the ``biolink-model``
package instead (schema YAML and prefix map, plus our own prefixes exo, exos and claim); kgx's
own validator then runs unchanged.
"""
from __future__ import annotations

import json
import sys
import types
from pathlib import Path

import biolink_model
import bmt.toolkit

MODEL = Path(biolink_model.__path__[0])
bmt.toolkit.Toolkit.__init__.__defaults__ = (str(MODEL / "schema" / "biolink_model.yaml"), "predicate_mapping.yaml")
bmt.toolkit.requests = types.SimpleNamespace(get=lambda url: types.SimpleNamespace(text="{}"))  # predicate map: unused

import kgx.config  # noqa: E402

# Biolink's prefixes, and ours: our concepts have no identifiers under a registered prefix.
OURS = {"exo": "https://w3id.org/exograph/entity/", "exos": "https://w3id.org/exograph/schema/",
        "claim": "https://w3id.org/exograph/claim/"}
kgx.config.jsonld_context_map["biolink"] = {**json.loads(
    (MODEL / "prefixmaps" / "biolink-model-prefix-map.json").read_text(encoding="utf-8")), **OURS}

from kgx.cli import cli  # noqa: E402

if __name__ == "__main__":
    sys.exit(cli(sys.argv[1:]))
