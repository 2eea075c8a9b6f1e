"""The ``exograph`` command: parse arguments, call one library function, print, exit.

Exit codes: 0 ok, 1 data problems, 2 usage error or crash. Messages go to stderr.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Callable

from .problems import DataProblems, UsageError

OK, DATA_PROBLEMS, USAGE = 0, 1, 2


def _graph(args):
    from .api import load

    return load(args.ontology, engine=args.engine, data=getattr(args, "data", None) or ())


def _print_problems(problems) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{len(problems)} problem(s) found", file=sys.stderr)


# ---------------------------------------------------------------- commands
def cmd_build(args) -> int:
    from .build import build, write_outputs
    from .validate import shacl_problems

    built = build(args.ontology)
    problems = shacl_problems(built)
    if problems:
        raise DataProblems(problems)
    from .cache import publish

    for path in write_outputs(built, Path(args.output)):
        print(f"wrote {path}")
    print(f"wrote {publish(built, Path(args.output))}")
    return OK


def cmd_validate(args) -> int:
    from .validate import validate

    problems = validate(args.ontology)
    if problems:
        _print_problems(problems)
        return DATA_PROBLEMS
    print("no problems found", file=sys.stderr)
    return OK


def cmd_tidy(args) -> int:
    from .atomic import write_text_atomic
    from .paths import OntologyLayout
    from .tables import canonical_text

    layout = OntologyLayout(args.ontology)
    for path in layout.curated_tables():
        text = path.read_text(encoding="utf-8")
        if canonical_text(text) != text:
            write_text_atomic(path, canonical_text(text))
            print(f"tidied {path}", file=sys.stderr)
    return OK


def cmd_queries(args) -> int:
    from .paths import OntologyLayout
    from .queries import named_queries

    for name, query in named_queries(OntologyLayout(args.ontology).queries).items():
        print(f"{name}\t{query.title}")
    return OK


def cmd_query(args) -> int:
    from .queries import parse_param

    if bool(args.name) == bool(args.sparql):
        raise UsageError("give a query NAME or FILE.rq, or --sparql 'TEXT' (one of them)")
    if args.timeout <= 0:
        raise UsageError("--timeout must be more than 0 seconds")
    if args.limit < 0:
        raise UsageError("--limit must be 0 (no cap) or more")
    graph = _graph(args)
    params = dict(parse_param(p, graph.prefixes) for p in args.param)
    result = graph.run(args.name or args.sparql, params, timeout=args.timeout, limit=args.limit or None)
    if args.format == "table":
        from .table import format_result

        print(format_result(result, graph.prefixes))
    else:
        sys.stdout.write(result.serialize(args.format).decode("utf-8"))
    if result.truncated:
        print(f"exograph: the result was cut at {args.limit} rows; raise --limit (0 for no cap) to see more",
              file=sys.stderr)
    return OK


def cmd_export(args) -> int:
    from .export import export

    for path in export(_graph(args), args.format, args.output):
        print(f"wrote {path}", file=sys.stderr)
    return OK


def cmd_paths(args) -> int:
    from .mechanisms import format_path, mechanism_paths

    paths = mechanism_paths(_graph(args), args.source, args.target, args.max_hops, args.directed)
    for number, path in enumerate(paths[:args.limit], 1):
        print(format_path(number, path))
    if not paths:
        print(f"no path of at most {args.max_hops} hops", file=sys.stderr)
    elif len(paths) > args.limit:
        print(f"{len(paths) - args.limit} more path(s); raise --limit to see them", file=sys.stderr)
    return OK


def cmd_stats(args) -> int:
    from .stats import format_stats

    stats = _graph(args).stats()
    print(json.dumps(stats, indent=2) if args.json else format_stats(stats))
    return OK


def cmd_view(args) -> int:
    from .viewer import write_view

    path = write_view(_graph(args), args.output, focus=args.focus, hops=args.hops, categories=args.category,
                      predicates=args.predicate, query=args.query)
    print(f"wrote {path}; open {path.resolve().as_uri()} in a browser (works offline)")
    return OK


# ---------------------------------------------------------------- parser
def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--ontology", metavar="DIR", help="ontology folder to use (default: the bundled one)")
    common.add_argument("--engine", choices=["oxigraph", "rdflib"], default="oxigraph",
                        help="SPARQL engine: oxigraph (default, fast) or rdflib (the reference)")
    parser = argparse.ArgumentParser(
        prog="exograph",
        description="A curated knowledge graph of exosomes as drug carriers in cancer immunotherapy.",
        epilog="Exit codes: 0 ok, 1 data problems, 2 usage error or crash.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def add(name: str, func: Callable, help_text: str) -> argparse.ArgumentParser:
        command = sub.add_parser(name, parents=[common], help=help_text, description=help_text)
        command.set_defaults(func=func)
        return command

    command = add("build", cmd_build, "Validate the curated data and write the graph as Turtle, N-Triples and JSON-LD.")
    command.add_argument("-o", "--output", default="exograph-out", metavar="DIR", help="output folder (default: exograph-out)")
    add("validate", cmd_validate, "Report every problem in the curated data as file:line [column] rule: message.")
    add("tidy", cmd_tidy, "Rewrite the curated tables in canonical form: rows sorted by id, no blank lines.")
    add("queries", cmd_queries, "List the named queries: id, then title.")
    command = add("query", cmd_query, "Run a named query, an .rq file or SPARQL text.")
    command.add_argument("name", nargs="?", metavar="NAME|FILE.rq", help="a named query (see `exograph queries`) or a file")
    command.add_argument("--sparql", metavar="TEXT", help="SPARQL query text")
    command.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                         help="bind ?NAME to VALUE (a CURIE, <IRI>, \"literal\" or text); repeatable")
    command.add_argument("--format", choices=["table", "csv", "tsv", "json", "xml", "ttl", "nt", "jsonld"], default="table",
                         help="table (default); SPARQL 1.1 results as csv, tsv, json or xml; "
                              "a CONSTRUCT or DESCRIBE graph as ttl, nt or jsonld")
    command.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS",
                         help="stop the query after this many seconds (default: 60)")
    command.add_argument("--limit", type=int, default=100_000, metavar="N",
                         help="keep at most N rows, with a notice if more were cut (default: 100000; 0: no cap)")
    command.add_argument("--data", nargs="+", metavar="FILE", default=[],
                         help="RDF files (.nt, .ttl, .nq, ...) to query beside the graph, each as the named graph "
                              "<file:///its/path> (N-Quads and TriG keep their own graphs)")
    command = add("export", cmd_export, "Write the graph (ttl, nt, jsonld) or its claim network (the other formats) in one format.")
    command.add_argument("--format", required=True, choices=["ttl", "nt", "jsonld", "graphml", "gexf", "cyjs", "node-link", "kgx"],
                         help="kgx writes PATH_nodes.tsv and PATH_edges.tsv, or nodes.tsv and edges.tsv in PATH if it is a folder")
    command.add_argument("-o", "--output", required=True, metavar="PATH")
    command = add("paths", cmd_paths, "List the chains of claims between two concepts, each hop with its publications.")
    command.add_argument("source", metavar="FROM", help="a CURIE (exo:CD47, HGNC:1682), label or synonym")
    command.add_argument("target", metavar="TO", help="a CURIE, label or synonym")
    command.add_argument("--max-hops", type=int, default=4, metavar="N", help="longest path, in claims (default: 4)")
    command.add_argument("--limit", type=int, default=20, metavar="N", help="print at most N paths, shortest first (default: 20)")
    command.add_argument("--directed", action="store_true", help="follow claims only from subject to object")
    command = add("stats", cmd_stats, "Counts by class, predicate, publication, evidence type and topic.")
    command.add_argument("--json", action="store_true", help="print a JSON object")
    command = add("view", cmd_view, "Write the interactive HTML view of the claim network: one file that works offline.")
    command.add_argument("-o", "--output", default="exograph-out/view.html", metavar="FILE",
                         help="the page to write (default: exograph-out/view.html)")
    command.add_argument("--focus", metavar="CURIE", help="only this concept's neighbourhood (a CURIE, label or synonym)")
    command.add_argument("--hops", type=int, metavar="N", help="neighbourhood radius in claims (default: 1; needs --focus)")
    command.add_argument("--category", action="append", metavar="CLASS",
                         help="only entities of this class or its subclasses (Protein, 'cell type'); repeatable")
    command.add_argument("--predicate", action="append", metavar="PREDICATE",
                         help="only claims with this predicate (treats, 'has component'); repeatable")
    command.add_argument("--query", metavar="FILE.rq", help="only what a SPARQL query selects (a named query or an .rq file)")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except DataProblems as problems:
        _print_problems(problems.problems)
        return DATA_PROBLEMS
    except (UsageError, FileNotFoundError) as error:
        print(f"exograph: error: {error}", file=sys.stderr)
        return USAGE
    except KeyboardInterrupt:
        return USAGE
    except BrokenPipeError:
        return OK
    except Exception as error:  # a crash: say what, without a traceback
        print(f"exograph: internal error: {type(error).__name__}: {error}", file=sys.stderr)
        return USAGE


if __name__ == "__main__":
    sys.exit(main())
