"""exograph: a curated, provenance-backed knowledge graph of exosomes as drug carriers in cancer immunotherapy."""
from .api import KnowledgeGraph, load, query
from .problems import DataProblems, Problem, UsageError

__all__ = ["KnowledgeGraph", "DataProblems", "Problem", "UsageError", "load", "query"]
__version__ = "0.1.0"
