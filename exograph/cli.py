# PYTHON_ARGCOMPLETE_OK
"""The ``exograph`` command: parse arguments, call one library function, print, exit.

Exit codes: 0 ok, 1 data problems, 2 usage error, environment problem or crash. Messages go to stderr.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Callable

from . import __version__
from .paths import ORDER_HELP, WHY, OntologyLayout, describe_os_error, resolve_ontology
from .problems import DataProblems, Problem, UsageError, display_path, printable
from .progress import progress
from .namespaces import CURATED_GRAPH

OK, DATA_PROBLEMS, USAGE = 0, 1, 2


def _graph(args):
    from .api import load

    with progress(f"loading the graph of {args.ontology_dir}"):
        return load(args.ontology_dir, engine=args.engine, data=getattr(args, "data", None) or ())


def _from_here(problem: Problem, root: Path) -> Problem:
    """``problem`` with its file (relative to the ontology folder ``root``) as it opens from the working directory."""
    return problem._replace(file=display_path(root / problem.file)) if problem.file else problem


def _print_problems(problems: list[Problem], root: Path) -> None:
    for problem in problems:
        print(_from_here(problem, root), file=sys.stderr)
    print(f"{len(problems)} problem(s) found", file=sys.stderr)


# ---------------------------------------------------------------- commands
def cmd_build(args) -> int:
    from .build import build
    from .memory import give_back
    from .outputs import write_outputs
    from .validate import shacl_problems

    with progress(f"building the graph from {args.ontology_dir}"):
        built = build(args.ontology_dir)
        problems = shacl_problems(built)
        give_back()
    if problems:
        raise DataProblems(problems)
    with progress(f"writing {args.output}"):
        written = write_outputs(built, Path(args.output))
    for path in written:
        print(f"wrote {path}")
    return OK


def cmd_validate(args) -> int:
    from .lint import lint_queries
    from .paths import OntologyLayout
    from .validate import validate

    with progress(f"validating {args.ontology_dir}"):
        problems = validate(args.ontology_dir)
    layout = OntologyLayout(args.ontology_dir)
    warnings = lint_queries(layout.queries, layout.root)
    for warning in warnings:  # costly query shapes: reported on stderr, never a reason to fail
        print(f"warning: {_from_here(warning, layout.root)}", file=sys.stderr)
    if args.format == "json":  # paths relative to the ontology folder, as the problems' own
        print(json.dumps([problem.as_dict() for problem in problems], indent=1, ensure_ascii=True))
    elif problems:
        _print_problems(problems, layout.root)
    if problems:
        return DATA_PROBLEMS
    suffix = f" ({len(warnings)} query warning(s))" if warnings else ""
    print(f"no problems found{suffix}", file=sys.stderr)
    return OK


def cmd_tidy(args) -> int:
    from .atomic import write_text_atomic
    from .paths import read_regular
    from .problems import display_path
    from .tables import canonical_text, decode_lines

    layout = OntologyLayout(args.ontology_dir)
    layout.check()
    layout.writable(args.ontology_why)
    problems, tidied = [], {}
    for path in layout.curated_tables():
        lines, bad = decode_lines(path, display_path(path, layout.root))  # raises OSError for a FIFO, device, ...
        problems += bad
        if not bad:
            text = "\n".join(lines) + "\n" if lines else ""
            if canonical_text(text).encode("utf-8") != read_regular(path):
                tidied[path] = canonical_text(text)
    if problems:  # change nothing until every table can be read
        raise DataProblems(problems)
    for path, text in tidied.items():
        write_text_atomic(path, text)
        print(f"tidied {display_path(path)}", file=sys.stderr)
    print(f"{len(layout.curated_tables()) - len(tidied)} table(s) already in canonical form", file=sys.stderr)
    return OK


def cmd_queries(args) -> int:
    from .queries import read_queries

    layout = OntologyLayout(args.ontology_dir)
    layout.check()
    queries, errors = read_queries(layout.queries)
    for name, query in queries.items():
        signature = query.signature()
        print(f"{name}\t{query.title}" + (f"\t--param {' --param '.join(signature.split(', '))}" if signature else ""))
    for error in errors:
        print(f"exograph: error: {error}", file=sys.stderr)
    return DATA_PROBLEMS if errors else OK


def cmd_query(args) -> int:
    from .queries import parse_param

    if bool(args.name) == bool(args.sparql):
        taken = args.data[-1] if args.data and not args.name else None  # neither given: --data may have taken the NAME
        if taken and not any(map(os.path.exists, (taken, taken.partition("=")[0]))):
            raise UsageError(f"'{taken}' was read as a --data file: put the query NAME before --data")
        raise UsageError("give a query NAME or FILE.rq, or --sparql 'TEXT' (one of them)")
    if args.timeout <= 0:
        raise UsageError("--timeout must be more than 0 seconds")
    if args.limit < 0:
        raise UsageError("--limit must be 0 (no cap) or more")
    if args.endpoint:
        from . import remote
        from .namespaces import PrefixMap
        from .queries import resolve

        layout = OntologyLayout(args.ontology_dir)
        prefixes = PrefixMap.read(layout.prefixes)
        named = resolve(args.name or args.sparql, layout.queries)
        result = remote.query(args.endpoint, named, dict(map(parse_param, args.param)), prefixes,
                              deadline=args.timeout, trust_env=args.trust_env)
    else:
        graph = _graph(args)
        prefixes = graph.prefixes
        params = dict(parse_param(p) for p in args.param)
        result = graph.run(args.name or args.sparql, params, timeout=args.timeout, limit=args.limit or None,
                           base=args.base)
    if args.format == "table":
        from .table import format_result

        text = format_result(result, prefixes)
        print(printable(text) if sys.stdout.isatty() else text)
    else:
        sys.stdout.write(result.serialize(args.format).decode("utf-8"))
    if result.truncated:
        print(f"exograph: the result was cut at {args.limit} rows; raise --limit (0 for no cap) to see more",
              file=sys.stderr)
    return OK


def cmd_push(args) -> int:
    import tempfile

    from .remote import NotStored, check_graph_iri, clean_url, push

    endpoint = clean_url(args.endpoint)  # a wrong URL or graph IRI is said before the graph is loaded
    check_graph_iri(args.graph)
    graph = _graph(args)
    with tempfile.TemporaryDirectory(prefix="exograph-push-") as folder:
        path = Path(folder) / "graph.nt"
        with path.open("wb") as file:  # written by the engine, never held in memory as a whole
            graph.store.ntriples(file)
        try:
            pushed = push(path, len(graph), endpoint, args.graph, sparql=args.sparql, deadline=args.deadline,
                          trust_env=args.trust_env)
        except NotStored as error:
            print(printable(f"exograph: error: {error}"), file=sys.stderr)
            return DATA_PROBLEMS
    print(f"pushed {pushed.triples} triples to graph <{args.graph}> at {endpoint} "
          f"in {pushed.seconds:.1f} s (the store holds {pushed.triples})", file=sys.stderr)
    return OK


def cmd_export(args) -> int:
    from .export import export

    for path in export(_graph(args), args.format, args.output):
        print(f"wrote {path}", file=sys.stderr)
    return OK


def cmd_paths(args) -> int:
    from .mechanisms import format_path, hop_dict, mechanism_paths

    paths = mechanism_paths(_graph(args), args.source, args.target, args.max_hops, not args.either_direction)
    if args.format == "json":
        print(json.dumps([[hop_dict(hop) for hop in path] for path in paths[:args.limit]], indent=1, ensure_ascii=False))
    else:
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


def cmd_diff(args) -> int:
    from .diff import FORMATTERS, diff_versions

    with progress(f"comparing {args.old} with {args.new or args.ontology_dir}"):
        report = diff_versions(args.old, args.new, args.ontology_dir)
    sys.stdout.write(FORMATTERS[args.format](report))
    return OK


def cmd_serve(args) -> int:
    from .server import serve

    if args.timeout <= 0:
        raise UsageError("--timeout must be more than 0 seconds")
    if args.max_rows < 0:
        raise UsageError("--max-rows must be 0 (no cap) or more")
    if args.grace is not None and args.grace < 0:
        raise UsageError("--grace must be 0 seconds or more")
    serve(_graph(args), args.host, args.port, args.timeout, args.max_rows or None, args.grace)
    return OK


def cmd_view(args) -> int:
    from .atomic import write_text_atomic
    from .viewer import make_view

    view = make_view(_graph(args), focus=args.focus, hops=args.hops, categories=args.category,
                     predicates=args.predicate, query=args.query)
    if not view.claims:  # an empty page looks like a broken one: write nothing, and say why
        print(f"exograph: warning: the selection holds {view.nodes} node(s) and no claim, so {args.output} was not "
              "written; a claim stays only when both its ends pass --category, --query and --focus", file=sys.stderr)
        return DATA_PROBLEMS
    path = write_text_atomic(Path(args.output), view.page)
    print(f"wrote {path} ({view.nodes} nodes, {view.claims} claims); open {path.resolve().as_uri()} in a browser (works offline)")
    return OK


def cmd_cache(args) -> int:
    from .cache import cache_root, clear, stores

    if args.action == "clear":
        removed, kept = clear()
        print(f"removed {removed} store(s) from {cache_root()}" + (f"; kept {kept} in use" if kept else ""), file=sys.stderr)
        return OK
    found = stores()
    for store in found:
        print(f"{store['key']}\t{store['bytes'] / 1e6:.1f} MB\t{store['triples']} triples\t"
              f"{'in use' if store['in_use'] else 'idle'}\t{store['ontology']}")
    print(f"{len(found)} store(s) in {cache_root()}", file=sys.stderr)
    return OK


# ---------------------------------------------------------------- parser
class _Parser(argparse.ArgumentParser):
    """argparse with "did you mean" for a mistyped subcommand or choice."""

    def error(self, message: str):
        if "invalid choice:" in message:  # "argument --format: invalid choice: 'x' (choose from ...)"
            failed = message.removeprefix("argument ").split(": invalid choice:", 1)[0]
            wrong = message.split("invalid choice: ", 1)[1].split("'")[1]
            names = [str(choice) for action in self._actions if action.choices
                     and argparse._get_action_name(action) == failed for choice in action.choices]
            import difflib

            close = difflib.get_close_matches(wrong, names, n=3, cutoff=0.5)
            if close:
                message = f"{message.split(' (choose', 1)[0]}; did you mean {' or '.join(close)}?"
        super().error(message)


def _ontology_help() -> str:
    try:
        folder, why = resolve_ontology(None)
    except OSError:
        return f"ontology folder; {ORDER_HELP}"
    return f"ontology folder; {ORDER_HELP} (now: {folder}, {WHY[why]})"


def _query_names(prefix: str, parsed_args, **_) -> list[str]:
    """Shell completion of named queries."""
    from .queries import query_files

    try:
        folder = OntologyLayout(getattr(parsed_args, "ontology", None)).queries
        return [name for name in query_files(folder) if name.startswith(prefix)]
    except (OSError, UsageError):
        return []


def _data_option(command: argparse.ArgumentParser, what: str) -> None:
    command.add_argument("--data", nargs="+", metavar="FILE[=IRI]", default=[],
                         help=f"{what}, each in a named graph of its own: <file:///its/path>, or the IRI given as "
                              "FILE=IRI. N-Quads and TriG keep their graph names; their lines without one go to "
                              f"the file's graph. The curated graph is <{CURATED_GRAPH}>, never written by --data")


class _Unbuilt:
    """Stands in for a command the command line does not name: its arguments are never made."""

    def add_argument(self, *args, **kwargs) -> "_Unbuilt":
        return self


def _named_command(argv: list[str]) -> str | None:
    """The command ``argv`` names, when only that command's parser is needed; None when every
    command must be built: top-level help, shell completion, or no command named."""
    if "_ARGCOMPLETE" in os.environ:
        return None
    tokens = iter(argv)
    for token in tokens:
        if token in ("-h", "--help"):
            return None
        if token == "--ontology":
            next(tokens, None)
        elif not token.startswith("-"):
            return token
    return None


def _parser(named: str | None = None) -> argparse.ArgumentParser:
    """The command-line parser; with ``named``, only that command's arguments are built (argparse takes
    about 1 ms per command, a tenth of a cold query's own work), or all of them if it is no command."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--ontology", metavar="DIR", default=argparse.SUPPRESS, help=_ontology_help())
    common.add_argument("--engine", choices=["oxigraph", "rdflib"], default="oxigraph",
                        help="SPARQL engine: oxigraph (default, fast) or rdflib (the reference)")
    parser = _Parser(
        prog="exograph",
        description="A curated knowledge graph of exosomes as drug carriers in cancer immunotherapy. "
                    f"Commands read one ontology folder: {ORDER_HELP}; each says on stderr which one it found.",
        epilog="Exit codes: 0 ok, 1 data problems, 2 usage error, environment problem or crash.")
    parser.add_argument("--version", action="version", version=f"exograph {__version__}")
    parser.add_argument("--ontology", metavar="DIR", help=_ontology_help())
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True, parser_class=_Parser)

    def add(name: str, func: Callable, help_text: str) -> argparse.ArgumentParser | _Unbuilt:
        if named is not None and name != named:
            return _Unbuilt()
        command = sub.add_parser(name, parents=[common], help=help_text, description=help_text)
        command.set_defaults(func=func)
        return command

    command = add("build", cmd_build, "Validate the curated data and write the graph as Turtle, N-Triples and JSON-LD.")
    command.add_argument("-o", "--output", default="exograph-out", metavar="DIR",
                         help="output folder, replaced as a whole (default: exograph-out)")
    command = add("validate", cmd_validate, "Report every problem in the curated data as file:line [column] rule: message.")
    command.add_argument("--format", choices=["text", "json"], default="text",
                         help="text on stderr (default), or a JSON list of problems on stdout")
    add("tidy", cmd_tidy, "Rewrite the curated tables in canonical form: rows sorted by id, no blank lines, LF line ends, no BOM.")
    add("queries", cmd_queries, "List the named queries: id, title and the parameters each takes.")
    command = add("query", cmd_query, "Run a named query, an .rq file or SPARQL text.")
    name = command.add_argument("name", nargs="?", metavar="NAME|FILE.rq", help="a named query (see `exograph queries`) or a file")
    name.completer = _query_names
    command.add_argument("--sparql", metavar="TEXT", help="SPARQL query text")
    command.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                         help="bind ?NAME to VALUE (a CURIE, <IRI>, \"literal\" or text; an entity parameter also takes "
                              "a label or synonym); every parameter the query declares, and only those; repeatable")
    command.add_argument("--format", choices=["table", "csv", "tsv", "json", "xml", "ttl", "nt", "jsonld", "rdfxml"], default="table",
                         help="table (default); SPARQL 1.1 results as csv, tsv, json or xml; "
                              "a CONSTRUCT or DESCRIBE graph as ttl, nt or jsonld")
    command.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS",
                         help="stop the query after this many seconds (default: 60)")
    command.add_argument("--endpoint", metavar="URL",
                         help="run it at this SPARQL endpoint instead of locally, by GET or form POST; labels and "
                              "synonyms are looked up there; --timeout is then the whole command's deadline "
                              "(credentials: see `exograph push --help`)")
    command.add_argument("--trust-env", action="store_true",
                         help="with --endpoint: use ~/.netrc and the proxy variables (HTTP_PROXY, ...); off by default")
    command.add_argument("--limit", type=int, default=100_000, metavar="N",
                         help="keep at most N rows, with a notice if more were cut (default: 100000; 0: no cap)")
    command.add_argument("--base", metavar="IRI",
                         help="resolve the relative IRIs of the query against this IRI (without it they are refused)")
    _data_option(command, "RDF files (.nt, .ttl, .nq, .trig, .jsonld, .rdf) to query beside the graph")
    command = add("export", cmd_export, "Write the graph (ttl, nt, jsonld) or its claim network (the other formats) in one format.")
    command.add_argument("--format", required=True, choices=["ttl", "nt", "jsonld", "graphml", "gexf", "cyjs", "node-link", "kgx", "sssom"],
                         help="kgx writes PATH_nodes.tsv and PATH_edges.tsv, or nodes.tsv and edges.tsv in PATH if it is a folder")
    command.add_argument("-o", "--output", required=True, metavar="PATH")
    command = add("paths", cmd_paths, "List the chains of claims between two concepts, each hop with its publications.")
    command.add_argument("source", metavar="FROM", help="a CURIE (exo:CD47, HGNC:1682), label or synonym")
    command.add_argument("target", metavar="TO", help="a CURIE, label or synonym")
    command.add_argument("--max-hops", type=int, default=4, metavar="N", help="longest path, in claims (default: 4)")
    command.add_argument("--limit", type=int, default=20, metavar="N", help="print the N best paths, ranked by evidence (default: 20)")
    command.add_argument("--either-direction", action="store_true",
                         help="also follow claims from object to subject (marked <--), except claims of effect")
    command.add_argument("--format", choices=["text", "json"], default="text",
                         help="text (default), or a JSON list of paths, each a list of hops")
    command = add("stats", cmd_stats, "Counts by class, predicate, publication, evidence type and topic.")
    command.add_argument("--json", action="store_true", help="print a JSON object")
    command = add("diff", cmd_diff, "What changed between two versions of the curated data: claims added, removed and "
                  "changed (by field), entities, mappings to standard identifiers and publications.")
    command.add_argument("old", metavar="OLD", help="an ontology folder (or a checkout holding one), or a git revision "
                         "(HEAD~3, a tag, a commit) of the checkout that holds the ontology folder")
    command.add_argument("new", metavar="NEW", nargs="?",
                         help="the same kinds of version (default: the ontology folder as it is now)")
    command.add_argument("--format", choices=["text", "markdown", "json"], default="text",
                         help="text (default), Markdown for release notes, or a JSON object")
    if named in (None, "push"):  # only push's help needs the remote module's texts (importing it costs 10 ms)
        from .remote import CREDENTIALS, DEFAULT_GRAPH

        command = add("push", cmd_push, "Load the graph into a triple store (SPARQL 1.1 Graph Store HTTP Protocol), "
                      "replacing the named graph there, then count the graph's triples at the store. "
                      f"Credentials come from the environment only: {CREDENTIALS}. Exit 1 if the store holds "
                      "other than what was sent.")
        command.add_argument("--endpoint", required=True, metavar="URL",
                             help="the store's Graph Store endpoint (Oxigraph: http://HOST:PORT/store; Virtuoso: "
                                  "http://HOST:PORT/sparql-graph-crud-auth)")
        command.add_argument("--graph", default=DEFAULT_GRAPH, metavar="IRI",
                             help=f"the named graph to replace, an absolute IRI (default: {DEFAULT_GRAPH})")
        command.add_argument("--sparql", metavar="URL",
                             help="the store's SPARQL query endpoint, where the pushed triples are counted (default: "
                                  "found for Oxigraph, Virtuoso, Fuseki and GraphDB paths; else the graph is read back)")
        command.add_argument("--deadline", "--timeout", type=float, default=600.0, metavar="SECONDS",
                             help="give up after this long in all, retries and waits included (default: 600)")
        command.add_argument("--trust-env", action="store_true",
                             help="use ~/.netrc and the proxy variables (HTTP_PROXY, ...); off by default")
    command = add("serve", cmd_serve, "Serve the graph read-only over HTTP: a SPARQL 1.1 endpoint, named queries and a query page.")
    command.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only)")
    command.add_argument("--port", type=int, default=7878, help="port to listen on (default: 7878)")
    command.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS",
                         help="stop a query after this long and answer 503 (default: 30)")
    command.add_argument("--max-rows", type=int, default=100_000, metavar="N",
                         help="cut results after N rows and say so in a header (default: 100000; 0: no cap)")
    command.add_argument("--grace", type=float, metavar="SECONDS",
                         help="on Ctrl-C or SIGTERM, let queries under way run this long, then answer 503 "
                              "(default: --timeout + 5, so each query ends by its own deadline)")
    _data_option(command, "also serve these RDF files (.nt, .ttl, .nq, .trig, .jsonld, .rdf)")
    command = add("cache", cmd_cache, "List the built stores in the cache (newest first), or remove those not in use.")
    command.add_argument("action", choices=["list", "clear"], help="list: key, size, triples, in use, ontology folder; "
                         "clear: remove every store no process is using (each is rebuilt when next needed)")
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
    if named is not None and named not in sub.choices:  # no command of that name: all of them, for the did-you-mean
        return _parser()
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser(_named_command(sys.argv[1:] if argv is None else argv))
    if "_ARGCOMPLETE" in os.environ:  # a shell asks for completions (argcomplete's own test; its import costs 10-25 ms)
        try:
            import argcomplete

            argcomplete.autocomplete(parser)
        except ImportError:  # completion is optional
            pass
    args = parser.parse_args(argv)
    try:
        args.ontology_dir, args.ontology_why = resolve_ontology(args.ontology)
        if args.ontology_why != "--ontology":  # say which folder an implicit choice found
            print(f"exograph: ontology {args.ontology_dir} ({WHY[args.ontology_why]})", file=sys.stderr)
        return args.func(args)
    except DataProblems as problems:
        _print_problems(problems.problems, Path(args.ontology_dir))
        return DATA_PROBLEMS
    except UsageError as error:
        print(printable(f"exograph: error: {error}"), file=sys.stderr)
        return USAGE
    except OSError as error:  # a file that cannot be read or written, a full disk: name it
        if isinstance(error, BrokenPipeError):
            return _quiet_broken_pipe()
        print(printable(f"exograph: error: {describe_os_error(error)}"), file=sys.stderr)
        return USAGE
    except KeyboardInterrupt:
        return USAGE
    except Exception as error:  # a crash: say what, without a traceback
        print(printable(f"exograph: internal error: {type(error).__name__}: {error}"), file=sys.stderr)
        return USAGE


def _quiet_broken_pipe() -> int:
    """The reader went away (``| head``): stop quietly, also when Python flushes stdout at exit."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return OK


def run() -> None:
    """The ``exograph`` command: :func:`main`, then the process ends as soon as its output is flushed.
    The interpreter's teardown (freeing every module, joining the store's threads) costs a query about
    15 ms and does nothing a finished command needs: outputs are written atomically and closed, and a
    query worker ends when this process's pipe to it closes."""
    code = main()
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        code = _quiet_broken_pipe()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
