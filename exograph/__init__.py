"""exograph: a curated, provenance-backed knowledge graph of exosomes as drug carriers in cancer immunotherapy."""
import logging

logging.getLogger("rdflib").addHandler(logging.NullHandler())  # rdflib logs tracebacks for ill-typed literals; we report them

from .api import KnowledgeGraph, load, query, to_networkx, view
from .problems import DataProblems, Problem, UsageError

__all__ = ["KnowledgeGraph", "DataProblems", "Problem", "UsageError", "load", "query", "to_networkx", "view"]
__version__ = "0.1.0"
