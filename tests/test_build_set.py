"""Build outputs as one set (issue 11, item 9): killed, interrupted or concurrent builds always
leave ttl, nt and jsonld of one build, and folders exograph did not write are never replaced."""
from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import TESTS, run_cli
from test_build import big_ontology

FORMATS = ("ttl", "nt", "jsonld")
MARKS = {"A": b"Generation A claim", "B": b"Generation B claim"}


@pytest.fixture
def generations(tmp_path, tiny_ontology) -> dict[str, Path]:
    folders = {}
    for mark in MARKS:
        folders[mark] = big_ontology(Path(shutil.copytree(tiny_ontology, tmp_path / f"ontology-{mark}")), 600,
                                     MARKS[mark].decode())
    return folders


def the_set(out: Path) -> str | None:
    """Which generation the output folder holds (None if there is none); fails on a mixed or partial set."""
    if not out.exists():
        return None
    missing = [fmt for fmt in FORMATS if not (out / f"exograph.{fmt}").is_file()]
    assert not missing, f"a partial set: no {', '.join(missing)}"
    found = set()
    for fmt in FORMATS:
        data = (out / f"exograph.{fmt}").read_bytes()
        marks = {mark for mark, text in MARKS.items() if text in data}
        assert len(marks) == 1, f"exograph.{fmt} holds {marks}"
        found |= marks
    assert len(found) == 1, f"a mixed set: {found}"
    return found.pop()


def writing(folder: Path) -> bool:
    """True once a build has begun writing an output file (a temporary file exists until it is renamed)."""
    return any(folder.glob("out/.exograph.*.tmp")) or any(folder.glob(".out.new-*/.exograph.*.tmp"))


def start_build(ontology: Path, out: Path) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(TESTS.parent))
    return subprocess.Popen([sys.executable, "-m", "exograph", "build", "--ontology", str(ontology), "-o", str(out)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["SIGKILL", "SIGINT"])
def test_builds_killed_at_random_moments_leave_one_consistent_set(tmp_path, generations, sig):
    out = tmp_path / "out"
    seed = random.randrange(10**6)
    chooser = random.Random(seed)
    previous = None
    for trial in range(8):
        mark = "AB"[trial % 2]
        process = start_build(generations[mark], out)
        if trial % 4 < 2:  # at any moment
            time.sleep(chooser.uniform(0.3, 4.0))
        else:  # while it writes, where a per-file writer leaves a mixed set
            while not writing(tmp_path) and process.poll() is None:
                time.sleep(0.002)
            time.sleep(chooser.uniform(0, 0.3))
        process.send_signal(sig)
        process.wait(timeout=120)
        now = the_set(out)
        finished = process.returncode == 0
        assert now in ({mark} if finished else {previous, mark}), f"seed {seed}, trial {trial}"
        previous = now
    assert start_build(generations["A"], out).wait(timeout=300) == 0
    assert the_set(out) == "A"
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.")]
    assert leftovers == [], "the next build clears what killed ones left, and no lock file stays"


@pytest.mark.slow
def test_concurrent_builds_of_different_inputs_take_turns(tmp_path, generations):
    out = tmp_path / "out"
    for _ in range(3):
        processes = [start_build(generations[mark], out) for mark in "ABAB"]
        for process in processes:
            assert process.wait(timeout=300) == 0, process.stderr.read()
        assert the_set(out) in MARKS


def test_build_keeps_files_it_did_not_write(tmp_path, tiny_ontology):
    out = tmp_path / "out"
    assert run_cli("build", "--ontology", str(tiny_ontology), "-o", str(out)).returncode == 0
    (out / "view.html").write_text("a page")
    assert run_cli("build", "--ontology", str(tiny_ontology), "-o", str(out)).returncode == 0
    assert (out / "view.html").read_text() == "a page"


def test_build_never_replaces_a_folder_it_did_not_write(tmp_path, tiny_ontology):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    result = run_cli("build", "--ontology", str(tiny_ontology), "-o", str(mine))
    assert result.returncode == 2 and "was not written by exograph build" in result.stderr
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]
