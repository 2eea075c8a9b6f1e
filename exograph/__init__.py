"""exograph: a curated, provenance-backed knowledge graph of exosomes as drug carriers in cancer immunotherapy."""
from __future__ import annotations

import sys
from typing import Any

from .problems import DataProblems, Problem, UsageError


class _QuietRdflib:
    """An import hook that gives rdflib's logger a NullHandler when rdflib is first imported: rdflib logs
    tracebacks for ill-typed literals, which exograph reports itself. A command that never imports
    rdflib (a query) then never imports logging either (8-10 ms)."""

    quiet = False

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
        if name == "rdflib" and not self.quiet:
            self.quiet = True
            import logging

            logging.getLogger("rdflib").addHandler(logging.NullHandler())
        return None  # the other finders import it


_HOOK = _QuietRdflib()
if "rdflib" in sys.modules:
    _HOOK.find_spec("rdflib")
else:
    sys.meta_path.insert(0, _HOOK)

__all__ = ["KnowledgeGraph", "DataProblems", "Problem", "UsageError", "load", "query", "to_networkx", "view"]
__version__ = "0.1.0"
_API = {"KnowledgeGraph", "load", "query", "to_networkx", "view"}


def __getattr__(name: str) -> Any:
    """The API is imported on first use, so that ``exograph --help`` starts fast."""
    if name in _API:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'exograph' has no attribute {name!r}")
