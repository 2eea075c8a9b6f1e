"""The wheel carries the ontology: installed into a fresh virtual environment, it answers from any folder."""
from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
                   check=True, capture_output=True, timeout=300)
    return next(out.glob("exograph-*.whl"))


@pytest.mark.slow
def test_wheel_contains_the_ontology_folder(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    for required in ("exograph/ontology/schema.ttl", "exograph/ontology/shapes.ttl", "exograph/ontology/prefixes.tsv",
                     "exograph/ontology/curated/publications.tsv", "exograph/ontology/queries/"):
        assert any(name.startswith(required) for name in names), required


@pytest.mark.slow
def test_installed_wheel_answers_queries_from_another_directory(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    # dependencies come from this interpreter's site-packages; exograph itself only from the wheel
    venv.EnvBuilder(system_site_packages=True, with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q", str(wheel)],
                   check=True, capture_output=True, timeout=300)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = subprocess.run([str(python), "-c", "import exograph; print(exograph.__file__)"], cwd=elsewhere,
                           capture_output=True, text=True, check=True)
    assert str(env_dir) in where.stdout, "exograph must be imported from the installed wheel"
    exograph_cmd = env_dir / "bin" / "exograph"
    result = subprocess.run([str(exograph_cmd), "query", "--sparql", "SELECT ?label WHERE { exo:CD274 rdfs:label ?label }"],
                            cwd=elsewhere, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["label", "PD-L1"]
    queries = subprocess.run([str(exograph_cmd), "queries"], cwd=elsewhere, capture_output=True, text=True, timeout=120)
    assert queries.returncode == 0 and queries.stdout.strip()
    assert list(elsewhere.iterdir()) == [], "a query writes nothing into the working directory"
