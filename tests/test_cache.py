"""The store cache: safe when many cold commands start at once, healed when damaged, skipped when
it cannot be written, pruned, listed and cleared; and `build` leaves nothing in the working folder."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import TESTS, make_tiny_ontology, run_cli

QUERY = ("claims-by-subject", "--param", "subject=exo:CD274", "--format", "csv")
API = ("import sys, exograph; r = exograph.load(sys.argv[1]).run('claims-by-subject', {'subject': 'exo:CD274'}); "
       "sys.stdout.write(r.serialize('csv').decode())")


def _env(cache: Path) -> dict:
    return dict(os.environ, EXOGRAPH_CACHE=str(cache), PYTHONPATH=str(TESTS.parent))


def _query(ontology: Path, cache: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "exograph", "query", *QUERY, "--ontology", str(ontology)],
                          env=_env(cache), capture_output=True, text=True, timeout=300)


def _stores(cache: Path) -> list[str]:
    return sorted(path.name for path in cache.iterdir() if path.is_dir() and not path.name.startswith("."))


def test_thirty_concurrent_cold_commands_give_thirty_exact_answers(tiny_ontology, tmp_path):
    expected = _query(tiny_ontology, tmp_path / "reference")
    assert expected.returncode == 0 and expected.stdout.count("\n") > 1, expected.stderr
    answers = []
    for round_ in range(5):
        cache = tmp_path / f"cache{round_}"  # empty: every command of the round is a first use
        commands = [[sys.executable, "-m", "exograph", "query", *QUERY, "--ontology", str(tiny_ontology)]
                    if n % 2 else [sys.executable, "-c", API, str(tiny_ontology)] for n in range(6)]
        running = [subprocess.Popen(command, env=_env(cache), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                   for command in commands]
        for process in running:
            out, err = process.communicate(timeout=600)
            answers.append((process.returncode, out.replace("\r\n", "\n"), err))
        assert len(_stores(cache)) == 1
    wrong = [(code, err) for code, out, err in answers if code != 0 or out != expected.stdout.replace("\r\n", "\n")]
    assert wrong == [] and len(answers) == 30


def _scribble(store: Path, keep_mtime: bool) -> None:
    """Scribble into every .sst; with ``keep_mtime``, put the mtimes back, so that only Oxigraph can tell."""
    for sst in (store / "oxigraph").glob("*.sst"):
        info = sst.stat()
        with open(sst, "r+b") as handle:
            handle.seek(100)
            handle.write(b"\xff" * 14)
        if keep_mtime:
            os.utime(sst, ns=(info.st_atime_ns, info.st_mtime_ns))


@pytest.mark.parametrize("damage", ["delete CURRENT", "truncate an sst", "scribble", "scribble, mtime kept",
                                    "delete meta.json"])
def test_a_damaged_store_is_rebuilt_once_with_one_line(tiny_ontology, tmp_path, damage):
    cache = tmp_path / "cache"
    expected = _query(tiny_ontology, cache)
    (store,) = [cache / name for name in _stores(cache)]
    if damage == "delete CURRENT":
        (store / "oxigraph" / "CURRENT").unlink()
    elif damage == "truncate an sst":
        sst = max((store / "oxigraph").glob("*.sst"), key=lambda path: path.stat().st_size)
        os.truncate(sst, sst.stat().st_size // 2)
    elif damage.startswith("scribble"):
        _scribble(store, keep_mtime="kept" in damage)
    else:
        (store / "meta.json").unlink()
    healed = _query(tiny_ontology, cache)
    assert healed.returncode == 0 and healed.stdout == expected.stdout
    assert healed.stderr.count("\n") == 1 and "is damaged" in healed.stderr and "rebuilding it" in healed.stderr
    again = _query(tiny_ontology, cache)
    assert again.stdout == expected.stdout and again.stderr == ""


def test_a_cache_that_cannot_be_written_is_skipped_with_one_line(tiny_ontology, tmp_path):
    cache = tmp_path / "not-a-folder"
    cache.write_text("a file where the cache should be\n")
    expected = _query(tiny_ontology, tmp_path / "reference")
    result = _query(tiny_ontology, cache)
    assert result.returncode == 0 and result.stdout == expected.stdout
    assert result.stderr.count("\n") == 1 and f"cannot write the store cache {cache}" in result.stderr
    built = subprocess.run([sys.executable, "-m", "exograph", "build", "-o", str(tmp_path / "out"),
                            "--ontology", str(tiny_ontology)], env=_env(cache), capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    assert {p.name for p in (tmp_path / "out").iterdir()} >= {"exograph.ttl", "exograph.nt", "exograph.jsonld", "store"}
    assert built.stderr.count("cannot write the store cache") == 1


def test_old_stores_are_pruned_but_not_one_in_use(tmp_path):
    from exograph.cache import KEEP

    ontology = make_tiny_ontology(tmp_path / "ontology")
    cache = tmp_path / "cache"
    claims = ontology / "curated" / "claims" / "tiny.tsv"
    holder = subprocess.Popen([sys.executable, "-c", "import sys, exograph; g = exograph.load(sys.argv[1]); "
                               "print(len(g), flush=True); sys.stdin.read()", str(ontology)],
                              env=_env(cache), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert int(holder.stdout.readline()) > 0
        (first,) = _stores(cache)
        for version in range(KEEP + 1):  # each edit is a new graph, so a new store
            claims.write_text(claims.read_text(encoding="utf-8").replace("fixture\t", f"fixture{version}\t", 1),
                              encoding="utf-8")
            assert _query(ontology, cache).returncode == 0
            time.sleep(0.01)
        kept = _stores(cache)
        assert first in kept and len(kept) == KEEP + 1  # the newest KEEP, and the one a process still uses
    finally:
        holder.communicate("", timeout=60)
    listed = run_cli_env(cache, "cache", "list")
    assert listed.returncode == 0 and len(listed.stdout.splitlines()) == KEEP + 1 and "idle" in listed.stdout
    (cache / ".not-ours").mkdir()  # EXOGRAPH_CACHE may be a folder that holds other things: never removed
    (cache / "notes").mkdir()
    cleared = run_cli_env(cache, "cache", "clear")
    assert cleared.returncode == 0 and f"removed {KEEP + 1} store(s)" in cleared.stderr
    assert _stores(cache) == ["notes"] and (cache / ".not-ours").is_dir()
    assert _query(ontology, cache).returncode == 0  # and the next command builds it again


def run_cli_env(cache: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "exograph", *args], env=_env(cache), capture_output=True, text=True,
                          timeout=300)


def test_an_edit_that_keeps_size_and_mtime_is_still_seen(tmp_path):
    ontology = make_tiny_ontology(tmp_path / "ontology")
    cache = tmp_path / "cache"
    claims = ontology / "curated" / "claims" / "tiny.tsv"
    before = _query(ontology, cache)
    touched = _query(ontology, cache)
    assert touched.stderr == ""
    os.utime(claims)  # a new mtime, the same bytes: the same graph, no rebuild
    assert _query(ontology, cache).stderr == ""
    info = claims.stat()
    text = claims.read_text(encoding="utf-8")
    claims.write_text(text.replace("PD-L1 binds PD-1", "PD-L1 binds PD-2"), encoding="utf-8")  # same size
    os.utime(claims, ns=(info.st_atime_ns, info.st_mtime_ns))  # touch -r: the same mtime
    assert claims.stat().st_size == info.st_size
    after = _query(ontology, cache)
    assert "building the store" in after.stderr and after.stdout == before.stdout


def test_build_leaves_nothing_in_the_working_folder_and_writes_through_a_symlink(tiny_ontology, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    result = run_cli("build", "--ontology", str(tiny_ontology), cwd=work)
    assert result.returncode == 0, result.stderr
    assert sorted(os.listdir(work)) == ["exograph-out"]
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to("real")
    for _ in range(2):
        result = run_cli("build", "-o", str(tmp_path / "link"), "--ontology", str(tiny_ontology))
        assert result.returncode == 0, result.stderr
        assert (tmp_path / "link").is_symlink() and (real / "exograph.ttl").is_file()
        assert sorted(os.listdir(tmp_path)) == ["link", "real", "work"]
