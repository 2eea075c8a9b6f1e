"""exograph: a curated, provenance-backed knowledge graph of exosomes as drug carriers in cancer immunotherapy."""
from __future__ import annotations

import logging
from typing import Any

from .problems import DataProblems, Problem, UsageError

logging.getLogger("rdflib").addHandler(logging.NullHandler())  # rdflib logs tracebacks for ill-typed literals; we report them

__all__ = ["KnowledgeGraph", "DataProblems", "Problem", "UsageError", "load", "query", "to_networkx", "view"]
__version__ = "0.1.0"
_API = {"KnowledgeGraph", "load", "query", "to_networkx", "view"}


def __getattr__(name: str) -> Any:
    """The API is imported on first use, so that ``exograph --help`` starts fast."""
    if name in _API:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'exograph' has no attribute {name!r}")
