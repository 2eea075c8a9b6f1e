"""The wheel carries the ontology: installed into a fresh virtual environment, it answers from any folder."""
from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run(command: list[str], **options) -> subprocess.CompletedProcess:
    """Run a command; on failure, show what it printed (not just its exit status)."""
    result = subprocess.run(command, capture_output=True, text=True, **options)
    assert result.returncode == 0, f"{' '.join(command)} exited {result.returncode}\n{result.stdout}\n{result.stderr}"
    return result


def dependency_dirs() -> list[str]:
    """Where this interpreter finds its installed packages (a venv's, and the system's if it sees them)."""
    return [entry for entry in sys.path if entry.endswith(("site-packages", "dist-packages")) and Path(entry).is_dir()]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)], timeout=300)
    return next(out.glob("exograph-*.whl"))


@pytest.mark.slow
def test_wheel_contains_the_ontology_folder(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    for required in ("exograph/ontology/schema.ttl", "exograph/ontology/shapes.ttl", "exograph/ontology/prefixes.tsv",
                     "exograph/ontology/curated/publications.tsv", "exograph/ontology/queries/"):
        assert any(name.startswith(required) for name in names), required


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh venv holding the wheel. Its dependencies come from the interpreter running the tests,
    through a .pth file: a venv made from a venv with system_site_packages would see the base
    interpreter's packages instead, not this one's (the newcomer report's failure)."""
    env_dir = tmp_path_factory.mktemp("installed") / "venv"
    venv.EnvBuilder(system_site_packages=False, with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site = run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip()
    Path(site, "test-dependencies.pth").write_text("\n".join(dependency_dirs()) + "\n")
    run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q", str(wheel)], timeout=300)
    return env_dir


@pytest.mark.slow
def test_installed_wheel_answers_queries_from_another_directory(installed, tmp_path):
    python, exograph_cmd = installed / "bin" / "python", installed / "bin" / "exograph"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = run([str(python), "-c", "import exograph; print(exograph.__file__)"], cwd=elsewhere)
    assert str(installed) in where.stdout, "exograph must be imported from the installed wheel"
    result = run([str(exograph_cmd), "query", "--sparql", "SELECT ?label WHERE { exo:CD274 rdfs:label ?label }"],
                 cwd=elsewhere, timeout=120)
    assert result.stdout.split() == ["label", "PD-L1"]
    assert "(the copy that comes with the package)" in result.stderr
    queries = run([str(exograph_cmd), "queries"], cwd=elsewhere, timeout=120)
    assert queries.stdout.strip()
    assert list(elsewhere.iterdir()) == [], "a query writes nothing into the working directory"


@pytest.mark.slow
def test_installed_copy_is_never_written(installed, tmp_path):
    tidy = subprocess.run([str(installed / "bin" / "exograph"), "tidy"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert tidy.returncode == 2
    assert "the copy inside the installed package, which exograph never changes" in tidy.stderr


@pytest.mark.slow
def test_a_checkout_is_read_even_with_the_wheel_installed(installed, tmp_path):
    """The quick start's `pip install .` then `exograph validate` in the checkout reads the checkout."""
    import shutil

    checkout = tmp_path / "checkout"
    shutil.copytree(ROOT / "ontology", checkout / "ontology")
    shutil.copy(ROOT / "pyproject.toml", checkout)
    claims = sorted((checkout / "ontology/curated/claims").glob("*.tsv"))[0]
    lines = claims.read_text(encoding="utf-8").splitlines()
    cells = lines[-1].split("\t")
    cells[0], cells[3] = "zz-999", "NOPE"
    claims.write_text("\n".join([*lines, "\t".join(cells)]) + "\n", encoding="utf-8")
    result = subprocess.run([str(installed / "bin" / "exograph"), "validate"], cwd=checkout, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    assert "unknown entity 'NOPE'" in result.stderr and "(this checkout's ontology/)" in result.stderr
