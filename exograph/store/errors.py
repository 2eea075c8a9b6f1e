"""Query errors: what a caller of :meth:`exograph.store.Store.query` may catch."""
from __future__ import annotations

from ..problems import UsageError


class RefusedQuery(UsageError):
    """A query that is not allowed to run (or cannot be read)."""


class QueryTimeout(UsageError):
    """A query that ran past its time limit and was stopped."""


class QueryTooLarge(UsageError):
    """A query whose text, or whose memory while running, is over the limit."""


class QueryOutOfMemory(QueryTooLarge):
    """A query that went over its worker's memory ceiling while running."""


class QueryCrashed(UsageError):
    """A query that crashed the engine in its worker process (the caller goes on)."""

