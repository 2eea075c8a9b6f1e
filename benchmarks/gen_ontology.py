"""A synthetic ontology folder for scale tests: the real rows plus N synthetic claims.

    python benchmarks/gen_ontology.py N OUTDIR [--seed 0] [--source ONTOLOGY] [--rows-per-file 100000]

OUTDIR receives a copy of the source folder (schema, shapes, prefixes, queries, curated tables)
and three more tables under the real headers:

- ``curated/publications.tsv`` gains round(0.077 N) synthetic publications (no identifiers,
  ``UNVERIFIED``), the ratio of the real data;
- ``curated/entities/synthetic.tsv`` (and ``synthetic-2.tsv`` ... beyond :data:`ROWS_PER_FILE`
  rows, since exograph reads no table over 64 MiB) holds round(0.64 N) synthetic entities. Each copies a random
  real entity's category and, with p = 0.5, takes that entity as ``broader``, so closures such as
  ``skos:broader*`` grow too;
- ``curated/claims/synthetic.tsv`` (and more files, as for entities) holds N synthetic claims. Each copies a random real claim (its
  predicate, evidence, model system, topic, phase and contexts) and, with p = 0.7, swaps each end
  for a synthetic entity of the same category and each cited publication for a synthetic one
  (never making a self-link, and never for ``supersedes``, whose shapes refuse cycles).
  Domain, range and SHACL therefore hold, and the real entities (exosome, CD274 ...) become hubs.
  A subject keeps no more objects of a predicate than the real subject with the most: a predicate
  functional in the real data (``subtypeOf``, ``isMarkerFor`` ...) stays functional, and a trial has
  at most the 2 phases, conditions and strategies a real trial has. A claim that would pass the
  cap takes one of its subject's objects instead (one more claim behind a triple), so hubs grow in
  claims and in subjects pointing at them, never in the values of one subject.

Every column is copied by name, so columns added to the real tables carry over. The output is the
same for the same N, seed and source; ``exograph validate --ontology OUTDIR`` reports no problem.
"""
from __future__ import annotations

import argparse
import random
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENTITIES_PER_CLAIM = 0.64
PUBLICATIONS_PER_CLAIM = 0.077
P_BROADER = 0.5
P_SWAP = 0.7
ENTITY_COLUMNS = ("subject", "object")  # claim cells swapped for a synthetic entity of the same category
KEEP_ENDS = {"supersedes"}  # swapped ends could supersede each other, which the shapes refuse
ROWS_PER_FILE = 100_000  # a 100k-row claims table is about 21 MB, well under exograph's 64 MiB per file

Table = tuple[list[str], list[dict[str, str]]]


def read_tsv(path: Path) -> Table:
    """The header and data rows (as dicts) of a curated table; comments and blank lines skipped."""
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    rows = [dict(zip(header, line.split("\t"))) for line in lines[1:] if line.strip() and not line.startswith("#")]
    return header, rows


def write_tsv(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    lines = ["\t".join(header)] + ["\t".join(row.get(column, "") for column in header) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_synthetic(folder: Path, header: list[str], rows: list[dict[str, str]], per_file: int = ROWS_PER_FILE) -> None:
    """``rows`` as ``synthetic.tsv``, then ``synthetic-2.tsv`` ... of ``per_file`` rows each."""
    for number, start in enumerate(range(0, max(len(rows), 1), per_file), 1):
        name = "synthetic.tsv" if number == 1 else f"synthetic-{number}.tsv"
        write_tsv(folder / name, header, rows[start:start + per_file])


def read_all(folder: Path) -> Table:
    """Every row of the tables in ``folder``, under the first table's header."""
    header, rows = [], []
    for path in sorted(folder.glob("*.tsv")):
        file_header, file_rows = read_tsv(path)
        header = header or file_header
        rows += file_rows
    return header, rows


def fan_out(claims: list[dict[str, str]]) -> tuple[dict[str, int], dict[tuple[str, str], list[str]]]:
    """The most objects any subject has per predicate, and each (subject, predicate)'s objects."""
    objects: dict[tuple[str, str], list[str]] = {}
    for claim in claims:
        values = objects.setdefault((claim["subject"], claim["predicate"]), [])
        if claim["object"] not in values:
            values.append(claim["object"])
    cap: dict[str, int] = {}
    for (_, predicate), values in objects.items():
        cap[predicate] = max(cap.get(predicate, 0), len(values))
    return cap, objects


def generate(n: int, out: Path, seed: int = 0, source: Path | None = None,
             per_file: int = ROWS_PER_FILE) -> dict[str, int]:
    """Write the folder; return how many synthetic claims, entities and publications it holds."""
    source = Path(source) if source else ROOT / "ontology"
    shutil.copytree(source, out, ignore=shutil.ignore_patterns("README.md", "__pycache__"), dirs_exist_ok=True)
    rng = random.Random(seed)
    curated = out / "curated"

    pub_header, publications = read_tsv(curated / "publications.tsv")
    years = sorted({row["year"] for row in publications})
    synthetic_pubs = []
    for i in range(round(PUBLICATIONS_PER_CLAIM * n)):
        year = rng.choice(years)
        synthetic_pubs.append({"key": f"synthetic{i:06d}", "citation": f"Synthetic S et al. ({year}) benchmark record {i}",
                               "year": year, "verification": "UNVERIFIED: synthetic benchmark record"})
    write_tsv(curated / "publications.tsv", pub_header, publications + synthetic_pubs)

    entity_header, entities = read_all(curated / "entities")
    category = {row["id"]: row["category"] for row in entities}
    by_category: dict[str, list[str]] = {}
    synthetic_entities = []
    for i in range(round(ENTITIES_PER_CLAIM * n)):
        model = rng.choice(entities)
        local = f"synthetic_{i:06d}"
        synthetic_entities.append({
            "id": local, "label": f"{model['label']} (synthetic {i})", "category": model["category"],
            "definition": f"A synthetic benchmark entity modelled on {model['id']}.",
            "broader": model["id"] if rng.random() < P_BROADER else ""})
        category[local] = model["category"]
        by_category.setdefault(model["category"], []).append(local)
    write_synthetic(curated / "entities", entity_header, synthetic_entities, per_file)

    claim_header, claims = read_all(curated / "claims")
    cap, objects = fan_out(claims)
    pub_keys = [row["key"] for row in synthetic_pubs]
    synthetic_claims = []
    for i in range(n):
        model = rng.choice(claims)
        claim = dict(model, id=f"synthetic-{i:06d}", curator="synthetic",
                     paraphrase=f"A synthetic benchmark claim modelled on {model['id']}.")
        for column in ENTITY_COLUMNS:
            pool = by_category.get(category.get(model[column], ""))
            if pool and model["predicate"] not in KEEP_ENDS and rng.random() < P_SWAP:
                claim[column] = rng.choice(pool)
        if claim["subject"] == claim["object"] != model["object"]:  # no self-link that the model lacks
            claim["object"] = model["object"]
        values = objects.setdefault((claim["subject"], claim["predicate"]), [])
        if claim["object"] not in values:
            if len(values) >= cap[claim["predicate"]]:
                claim["object"] = rng.choice(values)
            else:
                values.append(claim["object"])
        keys = [key.strip() for key in model.get("publications", "").split("|") if key.strip()]
        swapped = (rng.choice(pub_keys) if pub_keys and rng.random() < P_SWAP else key for key in keys)
        claim["publications"] = "|".join(dict.fromkeys(swapped))  # no key twice
        synthetic_claims.append(claim)
    write_synthetic(curated / "claims", claim_header, synthetic_claims, per_file)
    return {"claims": n, "entities": len(synthetic_entities), "publications": len(synthetic_pubs)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of synthetic claims")
    parser.add_argument("outdir", type=Path, help="folder to write; it must not exist or be empty")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--source", type=Path, help="ontology folder to extend (default: the checkout's ontology/)")
    parser.add_argument("--rows-per-file", type=int, default=ROWS_PER_FILE,
                        help=f"synthetic rows per table file (default {ROWS_PER_FILE:,})")
    args = parser.parse_args(argv)
    if args.n < 0 or args.rows_per_file < 1:
        parser.error("N must be 0 or more, and --rows-per-file 1 or more")
    if args.outdir.exists() and (not args.outdir.is_dir() or any(args.outdir.iterdir())):
        parser.error(f"{args.outdir} exists and is not an empty folder")
    counts = generate(args.n, args.outdir, args.seed, args.source, args.rows_per_file)
    print(f"wrote {args.outdir}: " + ", ".join(f"{v} synthetic {k}" for k, v in counts.items()), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
