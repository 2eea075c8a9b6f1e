"""The notebooks: committed without outputs, and each runs top to bottom without a cell error."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))
CELL_TIMEOUT = 300  # seconds per cell


def test_the_numbered_notebooks_exist():
    names = [path.name for path in PATHS]
    assert names[:4] == ["01-quick-start.ipynb", "02-network-analysis.ipynb",
                         "03-comparing-exosome-sources.ipynb", "04-evidence.ipynb"]


@pytest.mark.parametrize("path", PATHS, ids=[path.name for path in PATHS])
def test_notebook_is_committed_without_outputs(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    dirty = [number for number, cell in enumerate(notebook["cells"], 1) if cell["cell_type"] == "code"
             and (cell.get("outputs") or cell.get("execution_count") is not None)]
    assert not dirty, f"{path.name}: cells {dirty} hold outputs; clear all outputs in Jupyter, then save"
    assert notebook["metadata"].get("kernelspec", {}).get("name") == "python3"


def _files(folder: Path) -> set[Path]:
    return {path for path in folder.rglob("*") if "__pycache__" not in path.parts}


@pytest.mark.slow
@pytest.mark.parametrize("path", PATHS, ids=[path.name for path in PATHS])
def test_notebook_runs_top_to_bottom(path, monkeypatch):
    nbclient = pytest.importorskip("nbclient")
    import nbformat

    # the kernel inherits this environment: headless plots, and the checkout's package even if not installed
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    before = _files(NOTEBOOKS) | set(ROOT.iterdir())
    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(notebook, timeout=CELL_TIMEOUT, kernel_name="python3",
                                     resources={"metadata": {"path": str(NOTEBOOKS)}})
    client.execute()  # raises CellExecutionError, naming the cell, on the first error
    assert _files(NOTEBOOKS) | set(ROOT.iterdir()) == before, "the notebook wrote files into the repository"
