"""The bounds of a query: it runs in a forked worker process with a memory ceiling
(:data:`MEMORY_HEADROOM`), is killed at its deadline, and streams its rows back in batches, so a
slow operator, an engine crash or a runaway allocation ends the worker and never the caller."""
from __future__ import annotations

import os
import pickle
import select
import signal
import stat
import struct
import threading
import time
from typing import Any, Iterable, Iterator, Mapping

from ..problems import UsageError
from .errors import QueryCrashed, QueryOutOfMemory, QueryTimeout, QueryTooLarge, RefusedQuery
from .request import QueryDataset
from .results import QueryResult
from .terms import Term

MEMORY_HEADROOM = 4 << 30  # a query worker may grow by this many bytes of address space
_BATCH = 2000  # rows per message from a worker
_IDLE_WORKERS = 4  # idle workers kept per store
SLOW_AFTER = 1.0  # seconds: a query running longer gets a lower CPU priority than quick ones
SLOW_NICE = 10


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
    except UsageError as error:
        yield ("error", type(error).__name__, str(error))
    except RecursionError:
        yield ("error", "RefusedQuery", "the query is nested too deeply to run")
    except MemoryError:
        yield ("error", "QueryOutOfMemory", "the query needed more memory than the limit allows")
    except Exception as error:  # the engine's own evaluation errors
        yield ("error", "RefusedQuery", f"the query failed: {type(error).__name__}: {error}")


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
            raise {"QueryTimeout": QueryTimeout, "QueryTooLarge": QueryTooLarge,
                   "QueryOutOfMemory": QueryOutOfMemory}.get(message[1], RefusedQuery)(message[2])
    return result


class _Worker:
    """A forked process that runs one query at a time for a store and streams the messages back."""

    def __init__(self, backend: Any):
        request_read, self.request_fd = os.pipe()
        self.reply_fd, reply_write = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the worker: no return from here
            _close_inherited_pipes(keep={request_read, reply_write})
            _serve(backend, request_read, reply_write)
        os.close(request_read)
        os.close(reply_write)
        _PARENT_FDS.update((self.request_fd, self.reply_fd))

    def run(self, request: tuple, timeout: float | None) -> Iterator[tuple]:
        """Send a query; yield its messages until the last one (then the worker is free again).
        ``timeout`` None: no deadline."""
        deadline = None if timeout is None else time.monotonic() + timeout
        _write_message(self.request_fd, request)
        while True:
            header = _read_exact(self.reply_fd, 8, deadline, timeout)
            data = _read_exact(self.reply_fd, struct.unpack("!Q", header)[0], deadline, timeout) if header else None
            if data is None:
                raise self._death()
            message = pickle.loads(data)
            yield message
            if message[0] in ("end", "ask", "error"):
                return

    def _death(self) -> UsageError:
        """Why the worker ended mid-query: an abort or a kill is the memory ceiling (Rust aborts when an
        allocation fails), anything else (SIGSEGV, an uncaught panic) a crash of the engine."""
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        if os.WIFSIGNALED(status) and os.WTERMSIG(status) in (signal.SIGABRT, signal.SIGKILL):
            return QueryOutOfMemory("the query was stopped: it went over the worker's memory limit "
                                 f"({MEMORY_HEADROOM >> 30} GiB); narrow it")
        how = f"signal {signal.Signals(os.WTERMSIG(status)).name}" if os.WIFSIGNALED(status) else f"exit {os.WEXITSTATUS(status)}"
        return QueryCrashed(f"the query crashed the query engine ({how}) in its worker process; nothing else was "
                            "affected. Simplify the query, and please report it")

    def stop(self) -> None:
        for fd in (self.request_fd, self.reply_fd):
            _PARENT_FDS.discard(fd)
            os.close(fd)
        if self.pid:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(self.pid, 0)


_PARENT_FDS: set[int] = set()  # every worker's pipe ends in this process, closed in each new worker


def _close_inherited_pipes(keep: set[int]) -> None:
    """In a new worker: close the pipes and sockets it inherited (other workers' pipes, a browser
    driver's stdin, a Jupyter kernel's sockets), so that no peer waits on this process for an end of
    file. Regular files stay open: they are the store's own."""
    for fd in _PARENT_FDS - keep:
        os.close(fd)
    try:
        open_fds = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:  # no /proc: the other workers' pipes, closed above, are what matters most
        return
    for fd in open_fds:
        if fd <= 2 or fd in keep or fd in _PARENT_FDS:
            continue
        try:
            mode = os.fstat(fd).st_mode
        except OSError:  # the descriptor of the listing itself, already closed
            continue
        if stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
            os.close(fd)


def _serve(backend: Any, request_fd: int, reply_fd: int) -> None:
    """The worker's loop: read a request, write its messages; exit when the parent goes away."""
    code = 0
    try:
        _limit_memory()
        while True:
            header = os.read(request_fd, 8)
            if len(header) < 8:
                break
            size = struct.unpack("!Q", header)[0]
            data = b""
            while len(data) < size:
                chunk = os.read(request_fd, size - len(data))
                if not chunk:
                    raise EOFError
                data += chunk
            for message in messages(backend, *pickle.loads(data)):
                _write_message(reply_fd, message)
    except BaseException:
        code = 1
    os._exit(code)


def _write_message(fd: int, message: tuple) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(struct.pack("!Q", len(data)) + data)
    while view:
        view = view[os.write(fd, view):]


class Workers:
    """The worker processes of one store: a query takes an idle one or forks a new one. With
    ``lower_slow`` (a server sets it), a query still running after :data:`SLOW_AFTER` seconds has
    its worker's priority lowered (nice :data:`SLOW_NICE`), so that quick queries keep their share
    of the cores; such a worker is not reused (its priority cannot be raised again)."""

    def __init__(self, backend: Any):
        self.backend = backend
        self.idle: list[_Worker] = []
        self.lock = threading.Lock()
        self.lower_slow = False

    def run(self, request: tuple, timeout: float | None) -> Iterator[tuple]:
        with self.lock:
            worker = self.idle.pop() if self.idle else None
        if worker is None:
            worker = _Worker(self.backend)
        finished = False
        lowered = threading.Event()
        demote = threading.Timer(SLOW_AFTER, _lower_priority, (worker.pid, lowered)) if self.lower_slow else None
        if demote is not None:
            demote.daemon = True
            demote.start()
        try:
            for message in worker.run(request, timeout):
                finished = message[0] in ("end", "ask", "error")  # the last message: the worker is free again
                yield message
        finally:
            if demote is not None:
                demote.cancel()
            if not finished or lowered.is_set():
                worker.stop()  # timed out, crashed, abandoned mid-stream, or slowed down: that worker is done
            else:
                with self.lock:
                    keep = len(self.idle) < _IDLE_WORKERS
                    if keep:
                        self.idle.append(worker)
                if not keep:
                    worker.stop()

    def close(self) -> None:
        with self.lock:
            idle, self.idle = self.idle, []
        for worker in idle:
            worker.stop()


def _lower_priority(pid: int, lowered: threading.Event) -> None:
    """Give a long-running worker a lower CPU priority than the caller's."""
    try:
        os.setpriority(os.PRIO_PROCESS, pid, min(19, os.getpriority(os.PRIO_PROCESS, 0) + SLOW_NICE))
        lowered.set()
    except (OSError, AttributeError):  # gone already, or no priorities on this platform
        pass


def _read_exact(fd: int, size: int, deadline: float | None, timeout: float | None) -> bytes | None:
    chunks, left = [], size
    while left:
        remaining = None if deadline is None else deadline - time.monotonic()
        if remaining is not None and (remaining <= 0 or not select.select([fd], [], [], remaining)[0]):
            raise QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped; "
                               "narrow it, or raise --timeout")
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _limit_memory() -> None:
    try:
        import resource

        with open("/proc/self/statm") as handle:
            size = int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        resource.setrlimit(resource.RLIMIT_AS, (size + MEMORY_HEADROOM, size + MEMORY_HEADROOM))
    except (OSError, ValueError, ImportError):
        pass

