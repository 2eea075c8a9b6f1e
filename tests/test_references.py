"""Every publication identifier and trial number in the curated data was verified.

The verified tables live beside the project in ``../shared/curation/`` (the curators' room, not
part of the package). A PMID, DOI or PMCID that is not the verified one of its reference, or an
NCT number that is not in the verified trials table, fails here. Outside CI the check is skipped
when that folder is not there; under CI it must be.
"""
from __future__ import annotations

import csv
import os
import re
from pathlib import Path

import pytest

from exograph.paths import default_ontology_dir

SHARED = Path(__file__).resolve().parents[2] / "shared" / "curation"
COLUMNS = ("pmid", "doi", "pmcid")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def verified_columns(status: str) -> set[str]:
    """The identifier columns a status marks as seen: ``VERIFIED: pmid doi; pmcid secondary (...)``
    gives pmid, doi and pmcid, and so does ``...; pmcid seen on its PMC page (2026-12)`` (a later
    check); ``not seen`` and ``UNVERIFIED`` give none."""
    if not status.startswith("VERIFIED"):
        return set()
    seen: set[str] = set()
    for number, segment in enumerate(status.split(":", 1)[1].split(";")):
        words = re.sub(r"\(.*?\)", " ", segment).split()
        if "not" in words:
            continue
        if number == 0 or "secondary" in words or "seen" in words:
            seen |= {word for word in words if word in COLUMNS}
    return seen


@pytest.fixture(scope="module")
def verified() -> Path:
    if not SHARED.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{SHARED} is missing: CI must check identifiers against the verified tables")
        pytest.skip(f"{SHARED} is not beside this checkout")
    return SHARED


def test_publication_identifiers_are_the_verified_ones(verified):
    references = {row["key"]: row for row in _rows(verified / "references.tsv")}
    wrong = []
    for row in _rows(default_ontology_dir() / "curated" / "publications.tsv"):
        reference = references.get(row["key"])
        for column in COLUMNS:
            value = row[column].strip()
            if not value:
                continue
            if reference is None:
                wrong.append(f"{row['key']}: {column} {value} cites a reference that references.tsv does not hold")
            elif value.lower() != reference[column].strip().lower():
                wrong.append(f"{row['key']}: {column} {value} is not the verified {reference[column] or '(none)'}")
            elif column not in verified_columns(reference["status"]):
                wrong.append(f"{row['key']}: {column} {value} is not marked verified ({reference['status']})")
    assert not wrong, "\n".join(wrong)


def test_trial_numbers_are_verified(verified):
    trials = {row["nct"] for row in _rows(verified / "trials.tsv")}
    curated = default_ontology_dir() / "curated"
    cited = set()
    for path in curated.rglob("*.tsv"):
        cited |= set(re.findall(r"NCT\d{8}", path.read_text(encoding="utf-8")))
    assert cited, "the curated data should name the registered trials"
    assert cited <= trials, f"trial numbers not in trials.tsv: {sorted(cited - trials)}"
