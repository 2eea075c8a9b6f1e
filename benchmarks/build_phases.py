"""Where `exograph build` spends its CPU: each phase timed in one process, with the peak resident size after it.

    python benchmarks/build_phases.py ONTOLOGY_DIR

Phases: compile (rows -> sorted N-Triples), SHACL (exograph.shacl_core on those N-Triples), each RDF
writer writing its file (N-Triples, Turtle, JSON-LD) and the on-disk store (Oxigraph's bulk load and
optimize). CPU time is
process time (all threads), so it holds on a loaded machine; compare whole builds with
``/usr/bin/time -v python -m exograph build``.
"""
from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def phase(name: str, work: Callable[[], Any]) -> Any:
    start = time.process_time()
    result = work()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    print(f"{name:8s} {time.process_time() - start:7.2f} s CPU   peak so far {peak:5.2f} GiB", flush=True)
    return result


def main(ontology: str) -> None:
    from exograph.atomic import write_bytes_atomic
    from exograph.build import build
    from exograph.memory import give_back
    from exograph.outputs import pieces
    from exograph.store import write_store
    from exograph.validate import shacl_problems

    built = phase("compile", lambda: build(ontology))
    problems = phase("SHACL", lambda: shacl_problems(built))
    give_back()  # as `exograph build` does between its phases
    if problems:
        sys.exit(f"{len(problems)} SHACL problem(s), the first: {problems[0]}")
    with tempfile.TemporaryDirectory() as folder:
        for fmt in ("nt", "ttl", "jsonld"):  # written to a file as `exograph build` writes it
            phase(fmt, lambda: write_bytes_atomic(Path(folder) / f"exograph.{fmt}", pieces(built, fmt)))
            give_back()
        phase("store", lambda: write_store(built.ntriples, Path(folder), built.namespaces, {}))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
