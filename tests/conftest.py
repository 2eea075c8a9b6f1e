"""Shared fixtures: the real graph built once per session, a tiny fixture ontology, and a CLI runner."""
from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

import exograph
from exograph.paths import default_ontology_dir

# Built stores go to a throwaway cache (inherited by every CLI subprocess), never to ~/.cache,
# and the cache goes when the session ends.
if "EXOGRAPH_CACHE" not in os.environ:
    os.environ["EXOGRAPH_CACHE"] = tempfile.mkdtemp(prefix="exograph-test-cache-")
    atexit.register(shutil.rmtree, os.environ["EXOGRAPH_CACHE"], ignore_errors=True)
TESTS = Path(__file__).resolve().parent
FIXTURE_DATA = TESTS / "fixtures" / "tiny"  # curated rows and queries; schema and shapes are the real ones
# a value for each parameter that the named queries declare (# param:)
SAMPLE_PARAMS = {"entity": "exo:CD274", "text": "dendritic", "direction": "decreased", "publication": "fuhrmann2015"}


def make_tiny_ontology(target: Path) -> Path:
    """An ontology folder: the real schema, shapes and prefixes with the tiny fixture's rows."""
    real = default_ontology_dir()
    shutil.copytree(FIXTURE_DATA, target)
    for name in ("schema.ttl", "shapes.ttl", "prefixes.tsv"):
        shutil.copy(real / name, target / name)
    return target


@pytest.fixture(scope="session")
def real_graph() -> exograph.KnowledgeGraph:
    """The bundled curated graph, built once."""
    return exograph.load()


@pytest.fixture(scope="session")
def tiny_ontology(tmp_path_factory) -> Path:
    """The tiny fixture ontology folder (read-only use)."""
    return make_tiny_ontology(tmp_path_factory.mktemp("tiny") / "ontology")


@pytest.fixture(scope="session")
def tiny_graph(tiny_ontology) -> exograph.KnowledgeGraph:
    """The tiny fixture graph: the real schema with a handful of rows."""
    return exograph.load(tiny_ontology)


@pytest.fixture
def ontology_copy(tmp_path) -> Path:
    """A writable copy of the tiny fixture ontology, to break in a test."""
    return make_tiny_ontology(tmp_path / "ontology")


@pytest.fixture
def real_ontology_copy(tmp_path) -> Path:
    """A writable copy of the bundled ontology folder."""
    target = tmp_path / "ontology"
    shutil.copytree(default_ontology_dir(), target)
    return target


def run_cli(*args: str, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run ``python -m exograph ARGS`` as a user would and capture its output."""
    env = dict(os.environ, PYTHONPATH=str(TESTS.parent))
    return subprocess.run([sys.executable, "-m", "exograph", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)
