"""What a query's worker sends back, and what the caller makes of it: the rows as a stream of
messages (head, batches of rows, end), or the whole result written in one format as one message;
an error as a message that names its exception."""
from __future__ import annotations

from typing import Any, Iterable, Iterator, Mapping

from ..problems import UsageError
from .errors import QueryOutOfMemory, QueryTimeout, QueryTooLarge, RefusedQuery
from .request import QueryDataset
from .results import TABLE_FORMATS, QueryResult
from .terms import Term

_BATCH = 2000  # rows per message from a worker


def messages(engine: Any, text: str, form: str, bindings: Mapping[str, Term], prefixes: Mapping[str, str],
              limit: int | None, dataset: QueryDataset = QueryDataset()) -> Iterator[tuple]:
    """The result as a stream of messages: head, row batches, end (with the truncated flag)."""
    try:
        result = engine.run(text, form, bindings, prefixes, dataset)
        if form == "ASK":
            yield ("ask", result)
            return
        if form in ("CONSTRUCT", "DESCRIBE"):
            names, rows = [], result
        else:
            names, rows = result
        yield ("head", names)
        batch: list = []
        count = 0
        for row in rows:
            if limit is not None and count >= limit:
                yield ("rows", batch)
                yield ("end", True)
                return
            batch.append(row)
            count += 1
            if len(batch) >= _BATCH:
                yield ("rows", batch)
                batch = []
        yield ("rows", batch)
        yield ("end", False)
    except Exception as error:
        yield _failure(error)


def _failure(error: Exception) -> tuple:
    """The message of a query that failed while it ran."""
    if isinstance(error, UsageError):
        return ("error", type(error).__name__, str(error))
    if isinstance(error, RecursionError):
        return ("error", "RefusedQuery", "the query is nested too deeply to run")
    if isinstance(error, MemoryError):
        return ("error", "QueryOutOfMemory", "the query needed more memory than the limit allows")
    return ("error", "RefusedQuery", f"the query failed: {type(error).__name__}: {error}")  # the engine's own errors


def written(engine: Any, text: str, form: str, bindings: Mapping[str, Term], prefixes: Mapping[str, str],
            limit: int | None, dataset: QueryDataset, fmt: str) -> tuple:
    """The result written in ``fmt`` as one message, ("answer", bytes, truncated), or an error message.
    Oxigraph writes a SELECT's solutions itself; anything else is written by :mod:`.results` from the rows."""
    try:
        if form == "SELECT" and fmt in TABLE_FORMATS and hasattr(engine, "write"):
            return ("answer", *engine.write(text, bindings, prefixes, dataset, limit, fmt))
        result = collect(form, messages(engine, text, form, bindings, prefixes, limit, dataset), prefixes)
        return ("answer", result.serialize(fmt), result.truncated)
    except Exception as error:
        return _failure(error)


def failed(message: tuple) -> UsageError:
    """The exception an error message stands for."""
    kinds = {"QueryTimeout": QueryTimeout, "QueryTooLarge": QueryTooLarge, "QueryOutOfMemory": QueryOutOfMemory}
    return kinds.get(message[1], RefusedQuery)(message[2])


def collect(form: str, messages: Iterable[tuple], namespaces: Mapping[str, str]) -> QueryResult:
    result = QueryResult(form, namespaces=dict(namespaces))
    for message in messages:
        if message[0] == "ask":
            result.boolean = message[1]
        elif message[0] == "head":
            result.variables = message[1]
        elif message[0] == "rows":
            result.terms.extend(message[1])
        elif message[0] == "end":
            result.truncated = message[1]
        elif message[0] == "error":
            raise failed(message)
    return result
