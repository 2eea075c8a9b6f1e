"""The November reports' findings (issue 11), each reproduced as a user meets it: through the
CLI as a subprocess, or the Python API. Numbers refer to the issue's items."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import exograph
from exograph.problems import UsageError
from conftest import TESTS, run_cli

ROOT = TESTS.parent
CLAIMS = "curated/claims/tiny.tsv"
NEW_CLAIM = ("tiny-900\ttumour_exosome\thasComponent\tPDCD1\tchen2018\tECO:0000269\t"
             "A paraphrase long enough to satisfy the shape.\tin_vitro\t\t\t\tcomposition\tfixture\t2026-11-29")


def append_line(path: Path, line: str | bytes) -> int:
    """Append a line; return its 1-based number."""
    data = path.read_bytes()
    path.write_bytes(data + (line if isinstance(line, bytes) else line.encode("utf-8")) + b"\n")
    return data.count(b"\n") + 1


def fake_checkout(tmp_path: Path, ontology: Path) -> Path:
    """A folder laid out like an exograph checkout, holding a copy of ``ontology``."""
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    shutil.copy(ROOT / "pyproject.toml", checkout)
    shutil.copytree(ontology, checkout / "ontology")
    return checkout


def no_traceback(result: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr


# ---------------------------------------------------------------- 1. which ontology folder
def test_validate_in_a_checkout_reads_the_checkout_not_the_bundled_copy(tmp_path, tiny_ontology):
    checkout = fake_checkout(tmp_path, tiny_ontology)
    line = append_line(checkout / "ontology" / CLAIMS, NEW_CLAIM.replace("PDCD1", "NOPE"))
    result = run_cli("validate", cwd=checkout)
    assert result.returncode == 1, result.stderr
    assert f"curated/claims/tiny.tsv:{line}: [object] unknown-entity" in result.stderr
    assert f"exograph: ontology {checkout / 'ontology'} (this checkout's ontology/)" in result.stderr.splitlines()


def test_environment_variable_names_the_folder(tmp_path, ontology_copy):
    append_line(ontology_copy / CLAIMS, NEW_CLAIM.replace("PDCD1", "NOPE"))
    env_result = subprocess.run([*_python_m(), "validate"], cwd=tmp_path, capture_output=True, text=True,
                                env=dict(_env(), EXOGRAPH_ONTOLOGY=str(ontology_copy)), timeout=120)
    assert env_result.returncode == 1
    assert f"exograph: ontology {ontology_copy} (from $EXOGRAPH_ONTOLOGY)" in env_result.stderr
    given = run_cli("validate", "--ontology", str(ontology_copy), cwd=tmp_path)
    assert given.returncode == 1 and "exograph: ontology" not in given.stderr  # an explicit choice needs no note


def test_ontology_option_before_the_command(tiny_ontology):
    result = run_cli("--ontology", str(tiny_ontology), "stats", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["claims"] == 5


def test_help_says_how_the_folder_is_chosen_and_which_it_is(tmp_path):
    result = run_cli("validate", "--help", cwd=tmp_path)
    text = " ".join(result.stdout.split())
    assert "else $EXOGRAPH_ONTOLOGY, else ./ontology when the working directory is an exograph checkout" in text
    assert "(now: " in text


def _env() -> dict:
    return dict(os.environ, PYTHONPATH=str(ROOT))


def _python_m() -> list[str]:
    return [sys.executable, "-m", "exograph"]


# ---------------------------------------------------------------- 2. parameters
def test_missing_parameter_is_a_usage_error_naming_it():
    result = run_cli("query", "claims-about")
    assert result.returncode == 2
    assert "needs --param entity=VALUE" in result.stderr and result.stdout == ""


def test_misspelt_parameter_gets_did_you_mean():
    result = run_cli("query", "claims-about", "--param", "entitiy=exo:CD274", "--format", "csv")
    assert result.returncode == 2
    assert "has no parameter 'entitiy'; did you mean entity?" in result.stderr and result.stdout == ""


def test_unknown_parameter_of_sparql_text_is_refused(tiny_ontology):
    result = run_cli("query", "--sparql", "SELECT ?s WHERE { ?s a ?o }", "--param", "foo=bar", "--ontology", str(tiny_ontology))
    assert result.returncode == 2 and "no variable ?foo" in result.stderr


@pytest.mark.parametrize("value", ["exo:CD274", "CD274", "PD-L1", "pd-l1", "<https://w3id.org/exograph/entity/CD274>",
                                   "https://w3id.org/exograph/entity/CD274"])
def test_entity_parameter_takes_curie_label_synonym_or_iri(value, real_graph):
    result = run_cli("query", "claims-about", "--param", f"entity={value}", "--format", "csv")
    assert result.returncode == 0, result.stderr
    expected = real_graph.query("claims-about", entity="exo:CD274")
    assert len(expected) > 5 and len(result.stdout.strip().splitlines()) == len(expected) + 1  # header + PD-L1's claims


def test_unknown_entity_value_gets_did_you_mean():
    result = run_cli("query", "claims-about", "--param", "entity=PD-L")
    assert result.returncode == 2
    assert "did you mean" in result.stderr and "exo:CD274" in result.stderr


def test_queries_lists_each_querys_parameters():
    result = run_cli("queries")
    lines = dict(line.split("\t", 1) for line in result.stdout.splitlines())
    assert lines["claims-about"].endswith("\t--param entity=IRI")
    assert lines["find-entity"].endswith("\t--param text=TEXT")


def test_python_keywords_are_checked_and_values_resolved(real_graph):
    with pytest.raises(UsageError, match="did you mean entity"):
        real_graph.query("claims-about", entty="exo:CD274")
    with pytest.raises(UsageError, match="needs --param entity"):
        real_graph.query("claims-about")
    expected = real_graph.query("claims-about", entity="exo:CD274")
    assert len(expected) > 5
    assert real_graph.query("claims-about", entity="https://w3id.org/exograph/entity/CD274").equals(expected)
    assert real_graph.query("claims-about", entity="PD-L1").equals(expected)
    assert isinstance(UsageError("x"), ValueError)


# ---------------------------------------------------------------- 3. prefixes.tsv
PREFIX_FAULTS = {
    "short row": ("append", "FOO\thttp://example.org/foo/", "malformed-row"),
    "bad regex": ("append", "FOO\thttp://e.org/\t^[0-9+$\tx", "bad-pattern"),
    "duplicate prefix": ("append", "GO\thttp://example.org/go/\t^\\d+$\tdup", "duplicate-prefix"),
    "duplicate expansion": ("append", "GO2\thttp://purl.obolibrary.org/obo/GO_\t^\\d+$\tx", "duplicate-expansion"),
    "expansion not an IRI": ("append", "FOO\thttp://exa mple.org/\t^\\d+$\tx", "bad-expansion"),
    "non-UTF-8 byte": ("append", b"FOO\thttp://e.org/caf\xe9/\t^\\d+$\tx", "bad-encoding"),
    "renamed column": ("header", "prefix\texpansion\tpattern\tnote", "bad-header"),
}


@pytest.mark.parametrize("fault", PREFIX_FAULTS)
def test_prefixes_tsv_problems_are_located(ontology_copy, fault):
    how, text, rule = PREFIX_FAULTS[fault]
    path = ontology_copy / "prefixes.tsv"
    if how == "append":
        line = append_line(path, text)
    else:
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        path.write_text(text + "\n" + "".join(lines[1:]), encoding="utf-8")
        line = 1
    result = run_cli("validate", "--ontology", str(ontology_copy))
    no_traceback(result)
    assert result.returncode == 1
    assert f"prefixes.tsv:{line}:" in result.stderr and rule in result.stderr
    assert len(result.stderr.splitlines()) <= 3, "the prefix problem alone, not hundreds of echoes"
    build = run_cli("build", "--ontology", str(ontology_copy), "-o", str(ontology_copy.parent / "out"))
    assert build.returncode == 1 and not (ontology_copy.parent / "out").exists()


def test_prefixes_tsv_with_a_bom_is_read(ontology_copy):
    path = ontology_copy / "prefixes.tsv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    result = run_cli("validate", "--ontology", str(ontology_copy))
    assert result.returncode == 0, result.stderr


# ---------------------------------------------------------------- 4. validate passes => build succeeds
SICI_DOI = "10.1002/(SICI)1097-4636(199709)36:3<292::AID-JBM3>3.0.CO;2-E"


@pytest.mark.parametrize("doi, encoded", [
    (SICI_DOI, "10.1002/(SICI)1097-4636(199709)36:3%3C292::AID-JBM3%3E3.0.CO;2-E"),
    ("10.1234/x[1]#2%", "10.1234/x%5B1%5D%232%25"),  # brackets, a "#" that would start a fragment, a stray "%"
])
def test_doi_with_characters_an_iri_cannot_hold_validates_and_builds(tmp_path, ontology_copy, doi, encoded):
    publications = ontology_copy / "curated/publications.tsv"
    publications.write_text(publications.read_text(encoding="utf-8").replace("10.1038/85438", doi), encoding="utf-8")
    assert run_cli("validate", "--ontology", str(ontology_copy)).returncode == 0
    result = run_cli("build", "--ontology", str(ontology_copy), "-o", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    from rdflib import Graph, URIRef

    graph = Graph().parse(tmp_path / "out" / "exograph.nt", format="nt")
    assert any(graph.triples((None, None, URIRef("http://identifiers.org/doi/" + encoded))))


def test_ill_typed_literal_in_schema_is_a_located_problem(ontology_copy):
    schema = ontology_copy / "schema.ttl"
    line = append_line(schema, '\n<urn:x> <urn:y> "forty"^^<http://www.w3.org/2001/XMLSchema#integer> .') + 1
    result = run_cli("validate", "--ontology", str(ontology_copy))
    no_traceback(result)
    assert result.returncode == 1
    assert f"schema.ttl:{line}: ill-typed-literal: 'forty' is not a valid xsd:integer" in result.stderr


def test_ill_typed_date_gives_no_traceback(ontology_copy):
    line = append_line(ontology_copy / CLAIMS, NEW_CLAIM.replace("2026-11-29", "2026-13-45"))
    result = run_cli("validate", "--ontology", str(ontology_copy))
    no_traceback(result)
    assert f"tiny.tsv:{line}: [date] ill-typed-literal" in result.stderr


# ---------------------------------------------------------------- 6. the other internal errors
def test_one_non_utf8_query_fails_alone(ontology_copy):
    (ontology_copy / "queries" / "broken.rq").write_bytes(b"# title: caf\xe9\nSELECT * {}\n")
    listed = run_cli("queries", "--ontology", str(ontology_copy))
    assert listed.returncode == 1 and listed.stdout.startswith("claims-by-subject\t")
    assert "queries/broken.rq:1: byte 13 of the file is not UTF-8" in listed.stderr
    other = run_cli("query", "claims-by-subject", "--param", "subject=exo:tumour_exosome", "--ontology", str(ontology_copy))
    assert other.returncode == 0, other.stderr
    text = run_cli("query", "--sparql", "ASK { ?s ?p ?o }", "--format", "json", "--ontology", str(ontology_copy))
    assert text.returncode == 0, text.stderr
    broken = run_cli("query", "broken", "--ontology", str(ontology_copy))
    assert broken.returncode == 2 and "broken.rq:1:" in broken.stderr
    validated = run_cli("validate", "--ontology", str(ontology_copy))
    assert validated.returncode == 1 and "queries/broken.rq:1: bad-query" in validated.stderr


def test_validate_parses_every_query(ontology_copy):
    (ontology_copy / "queries" / "typo.rq").write_text("# title: typo\nSELECT ?s\nWHERE { ?s ?p ?o ", encoding="utf-8")
    result = run_cli("validate", "--ontology", str(ontology_copy))
    assert result.returncode == 1 and "queries/typo.rq:" in result.stderr and "bad-query" in result.stderr
    named = run_cli("query", "typo", "--ontology", str(ontology_copy))
    assert named.returncode == 2 and "typo.rq: SPARQL syntax error" in named.stderr


def unreadable_run(*args: str) -> subprocess.CompletedProcess:
    """Run the CLI without root's right to read any file, so that chmod 000 bites."""
    import sys

    if not shutil.which("setpriv"):
        pytest.skip("needs setpriv to drop root's right to read any file")
    caps = "-dac_override,-dac_read_search"
    return subprocess.run(["setpriv", f"--inh-caps={caps}", f"--bounding-set={caps}", sys.executable, "-m", "exograph", *args],
                          env=_env(), capture_output=True, text=True, timeout=120)


def test_missing_schema_is_exit_2(ontology_copy):
    (ontology_copy / "schema.ttl").unlink()
    result = run_cli("validate", "--ontology", str(ontology_copy))
    no_traceback(result)
    assert result.returncode == 2 and "schema.ttl" in result.stderr


@pytest.mark.parametrize("name", ["schema.ttl", "shapes.ttl"])
def test_unreadable_schema_or_shapes_is_exit_2(ontology_copy, name):
    (ontology_copy / name).chmod(0)
    result = unreadable_run("validate", "--ontology", str(ontology_copy))
    no_traceback(result)
    assert result.returncode == 2 and f"{name}: permission denied" in result.stderr.lower()


def test_missing_shapes_is_exit_2(ontology_copy):
    (ontology_copy / "shapes.ttl").unlink()
    result = run_cli("validate", "--ontology", str(ontology_copy))
    assert result.returncode == 2 and "shapes.ttl" in result.stderr


@pytest.mark.parametrize("command", ["validate", "build"])
def test_missing_claims_folder_is_a_located_problem_not_an_empty_graph(ontology_copy, tmp_path, command):
    shutil.rmtree(ontology_copy / "curated" / "claims")
    out = tmp_path / "out"
    args = ("build", "-o", str(out)) if command == "build" else ("validate",)
    result = run_cli(*args, "--ontology", str(ontology_copy))
    no_traceback(result)
    assert result.returncode == 1 and "curated/claims: no-claims: no claim tables" in result.stderr
    assert not out.exists()


def test_a_full_disk_names_the_file_and_keeps_the_old_set(tmp_path, tiny_ontology):
    import resource
    import sys

    out = tmp_path / "out"
    assert run_cli("build", "--ontology", str(tiny_ontology), "-o", str(out)).returncode == 0
    before = {path.name: path.read_bytes() for path in out.glob("exograph.*")}

    def small_files():  # writes past 20 kB fail with EFBIG, as a full disk fails with ENOSPC
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))

    result = subprocess.run([sys.executable, "-m", "exograph", "build", "--ontology", str(tiny_ontology), "-o", str(out)],
                            env=_env(), capture_output=True, text=True, preexec_fn=small_files, timeout=120)
    no_traceback(result)
    assert result.returncode == 2
    assert f"exograph: error: {out}/exograph." in result.stderr
    assert {path.name: path.read_bytes() for path in out.glob("exograph.*")} == before and (out / "store").is_dir()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.new")] == []


# ---------------------------------------------------------------- 7. special files under curated/
def _special(folder: Path, kind: str) -> Path:
    path = folder / "curated/claims/special.tsv"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-zero":
        path.symlink_to("/dev/zero")
    elif kind == "loop":
        path.symlink_to(path)
    elif kind == "directory":
        path.mkdir()
    elif kind == "huge":
        with open(path, "wb") as handle:
            handle.truncate(65 * 1024 * 1024)  # sparse: no disk used
    return path


@pytest.mark.parametrize("kind, message", [("fifo", "is a FIFO"), ("dev-zero", "is a device"), ("loop", "symlink loop"),
                                           ("directory", "is a directory"), ("huge", "limit")])
def test_special_files_under_curated_are_located_errors(ontology_copy, kind, message):
    _special(ontology_copy, kind)
    for command in ("validate", "build", "tidy"):
        extra = ["-o", str(ontology_copy.parent / "out")] if command == "build" else []
        result = run_cli(command, "--ontology", str(ontology_copy), *extra, timeout=60)
        no_traceback(result)
        assert result.returncode in (1, 2), command
        assert "curated/claims/special.tsv" in result.stderr and message in result.stderr, (command, result.stderr)


def test_unreadable_table_is_a_located_error(ontology_copy):
    (ontology_copy / CLAIMS).chmod(0)
    result = unreadable_run("validate", "--ontology", str(ontology_copy))
    no_traceback(result)
    assert result.returncode == 1 and "curated/claims/tiny.tsv" in result.stderr and "permission denied" in result.stderr


# ---------------------------------------------------------------- 8. encodings
def test_bom_is_accepted_and_tidy_removes_it(ontology_copy):
    path = ontology_copy / CLAIMS
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert run_cli("validate", "--ontology", str(ontology_copy)).returncode == 0
    assert run_cli("tidy", "--ontology", str(ontology_copy)).returncode == 0
    assert not path.read_bytes().startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize("newline", [b"\r\n", b"\r"])
def test_tidy_normalises_crlf_and_cr_only(ontology_copy, newline):
    path = ontology_copy / CLAIMS
    original = path.read_bytes()
    path.write_bytes(original.replace(b"\n", newline))
    assert run_cli("validate", "--ontology", str(ontology_copy)).returncode == 0
    result = run_cli("tidy", "--ontology", str(ontology_copy))
    assert result.returncode == 0 and "tidied" in result.stderr
    assert path.read_bytes() == original


def test_latin1_is_located_with_byte_offset_and_tidy_changes_nothing(ontology_copy):
    path = ontology_copy / CLAIMS
    line = append_line(path, NEW_CLAIM.replace("A paraphrase", "A caf\xe9 paraphrase").encode("latin-1"))
    before = path.read_bytes()
    offset = before.index(b"caf\xe9") + 3
    result = run_cli("validate", "--ontology", str(ontology_copy))
    assert result.returncode == 1
    assert f"tiny.tsv:{line}: bad-encoding: byte" in result.stderr and f"(byte {offset} of the file)" in result.stderr
    tidy = run_cli("tidy", "--ontology", str(ontology_copy))
    no_traceback(tidy)
    assert tidy.returncode == 1 and f"tiny.tsv:{line}: bad-encoding" in tidy.stderr
    assert path.read_bytes() == before


@pytest.mark.parametrize("control", ["\x00", "\x0b", "\x0c", "\x7f", "\x1b[31m"])
def test_control_characters_in_cells_are_located_and_never_echoed_raw(ontology_copy, control):
    line = append_line(ontology_copy / CLAIMS, NEW_CLAIM.replace("A paraphrase", f"A{control} paraphrase"))
    result = run_cli("validate", "--ontology", str(ontology_copy))
    assert result.returncode == 1
    assert f"tiny.tsv:{line}: [paraphrase] control-character" in result.stderr
    assert control not in result.stderr


def test_unknown_entity_echo_is_escaped(ontology_copy):
    append_line(ontology_copy / CLAIMS, NEW_CLAIM.replace("PDCD1", "X\x1b[2J"))
    result = run_cli("validate", "--ontology", str(ontology_copy))
    assert result.returncode == 1 and "\x1b" not in result.stderr and "\\x1b[2J" in result.stderr


# ---------------------------------------------------------------- the CLI a researcher expects
def test_version():
    result = run_cli("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"exograph {exograph.__version__}"


HEAVY = ("rdflib", "pyoxigraph", "pandas", "networkx", "pyshacl_turbo", "pyvis", "requests")


@pytest.mark.parametrize("args, light", [
    (("--help",), HEAVY),  # a shell's first touch imports none of the heavy libraries
    (("queries",), HEAVY),
    (("query", "claims-about", "--param", "entity=exo:CD274"), ("rdflib",) + HEAVY[2:]),  # the query path: the store alone
    (("query", "claims-about", "--param", "entity=exo:CD274", "--format", "csv"), ("xml", "http", "email")),  # no XML stack unless XML is written
    # nor what only an error, a shell's completion, rdflib's log or a write needs
    (("query", "claims-about", "--param", "entity=exo:CD274"), ("difflib", "argcomplete", "logging", "traceback", "ctypes",
                                                                 "_hashlib")),
])
def test_cold_commands_import_only_what_they_need(args, light):
    assert run_cli(*args).returncode == 0  # the first query may build the store (which needs rdflib); this one reuses it
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "exograph", *args], capture_output=True, text=True,
                            env=_env(), timeout=120)
    assert result.returncode == 0, result.stderr
    imported = {line.split("|")[-1].strip().split(".")[0] for line in result.stderr.splitlines() if line.startswith("import time:")}
    assert not imported & set(light)


def test_mistyped_command_gets_did_you_mean():
    result = run_cli("stat")
    assert result.returncode == 2 and "did you mean stats?" in result.stderr


def test_mistyped_query_predicate_and_category_get_did_you_mean(tiny_ontology, tmp_path):
    query = run_cli("query", "claims-abut", "--param", "entity=exo:CD274")
    assert query.returncode == 2 and "did you mean claims-about?" in query.stderr
    predicate = run_cli("view", "--predicate", "treat", "-o", str(tmp_path / "v.html"), "--ontology", str(tiny_ontology))
    assert predicate.returncode == 2 and "did you mean treats?" in predicate.stderr
    category = run_cli("view", "--category", "protien", "-o", str(tmp_path / "v.html"), "--ontology", str(tiny_ontology))
    assert category.returncode == 2 and "did you mean protein?" in category.stderr
    claim = run_cli("validate", "--ontology", str(_with_claim(tmp_path, tiny_ontology, "interactWith")))
    assert "did you mean interactsWith" in claim.stderr


def _with_claim(tmp_path: Path, ontology: Path, predicate: str) -> Path:
    copy = tmp_path / "copy"
    shutil.copytree(ontology, copy)
    append_line(copy / CLAIMS, NEW_CLAIM.replace("hasComponent", predicate))
    return copy


def test_validate_json(ontology_copy):
    line = append_line(ontology_copy / CLAIMS, NEW_CLAIM.replace("PDCD1", "NOPE"))
    result = run_cli("validate", "--format", "json", "--ontology", str(ontology_copy))
    assert result.returncode == 1
    problems = json.loads(result.stdout)
    assert {"file": "curated/claims/tiny.tsv", "line": line, "column": "object", "rule": "unknown-entity"}.items() \
        <= problems[0].items()


def test_paths_json(tiny_ontology):
    result = run_cli("paths", "tumour-derived exosome", "PD-1", "--format", "json", "--ontology", str(tiny_ontology))
    assert result.returncode == 0, result.stderr
    paths = json.loads(result.stdout)
    assert paths and paths[0][0]["subject"] == "exo:tumour_exosome" and paths[0][-1]["object"] == "exo:PDCD1"
    assert all("publications" in hop and "claims" in hop for path in paths for hop in path)


def test_shell_completion_lists_commands_and_queries(tmp_path):
    pytest.importorskip("argcomplete")
    import sys

    def complete(line: str) -> set[str]:
        out = tmp_path / "completions"
        env = dict(_env(), _ARGCOMPLETE="1", COMP_LINE=line, COMP_POINT=str(len(line)), _ARGCOMPLETE_IFS="\n",
                   _ARGCOMPLETE_STDOUT_FILENAME=str(out))
        subprocess.run([sys.executable, "-m", "exograph"], env=env, capture_output=True, timeout=60)
        return set(out.read_text().split())

    assert {"query", "queries"} <= complete("exograph que")
    assert "claims-about" in complete("exograph query claims-")


def test_progress_line_only_on_a_terminal():
    import io

    from exograph.progress import progress

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal, pipe = Terminal(), io.StringIO()
    import threading

    for stream in (terminal, pipe):
        shown = threading.Event()
        with progress("building the graph", stream=stream, delay=0):
            shown.wait(0.5)  # the timer thread prints at once with delay 0
    assert terminal.getvalue() == "exograph: building the graph ...\n"
    assert pipe.getvalue() == ""
