"""The bounds of a query: it runs in a forked worker process with a memory ceiling
(:data:`MEMORY_HEADROOM`), is killed at its deadline, and sends its rows back in batches (or its
result written in one format, awaited in an event loop: :meth:`Workers.answer`), so a slow
operator, an engine crash or a runaway allocation ends the worker and never the caller."""
from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import stat
import struct
import threading
import time
from typing import Any, Iterator

from ..problems import UsageError
from .errors import QueryCrashed, QueryOutOfMemory, QueryTimeout
from .replies import messages, written

MEMORY_HEADROOM = 4 << 30  # a query worker may grow by this many bytes of address space
_IDLE_WORKERS = 4  # idle workers kept per store
SLOW_AFTER = 1.0  # seconds: a query running longer gets a lower CPU priority than quick ones
SLOW_NICE = 10


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
        self._send((None, *request))
        while True:
            header = _read_exact(self.reply_fd, 8, deadline, timeout)
            data = _read_exact(self.reply_fd, struct.unpack("!Q", header)[0], deadline, timeout) if header else None
            if data is None:
                raise self._death()
            message = pickle.loads(data)
            yield message
            if message[0] in ("end", "ask", "error"):
                return

    async def answer(self, request: tuple, fmt: str, timeout: float | None) -> tuple:
        """Send a query to be written in ``fmt``; its one message, awaited in the event loop (no thread
        waits on the pipe). ``timeout`` None: no deadline."""
        import asyncio

        self._send((fmt, *request))
        data = bytearray()
        whole = self._drain(data)  # a cheap query is often answered by now: no need to wait in the loop
        if whole is None:
            loop = asyncio.get_running_loop()
            reply = loop.create_future()

            def readable() -> None:
                state = self._drain(data)
                if state is not None and not reply.done():
                    reply.set_result(state)

            def late() -> None:
                if not reply.done():
                    reply.set_exception(_late(timeout))

            loop.add_reader(self.reply_fd, readable)
            timer = None if timeout is None else loop.call_later(timeout, late)
            try:
                whole = await reply
            finally:
                loop.remove_reader(self.reply_fd)
                if timer is not None:
                    timer.cancel()
        if not whole:
            raise self._death()
        return pickle.loads(memoryview(data)[8:])

    def _send(self, message: tuple) -> None:
        """Send the worker a query; a worker that died since it was found alive is named as in mid-query."""
        try:
            _write_message(self.request_fd, message)
        except BrokenPipeError:
            raise self._death() from None

    def _drain(self, data: bytearray) -> bool | None:
        """Read into ``data`` what the worker has sent, without waiting: True once the message is whole,
        False at the end of the pipe (the worker is gone), None while more is to come."""
        try:
            while select.select([self.reply_fd], [], [], 0)[0]:
                chunk = os.read(self.reply_fd, 1 << 20)
                if not chunk:
                    return False
                data.extend(chunk)
                if len(data) >= 8 and len(data) >= 8 + struct.unpack("!Q", data[:8])[0]:
                    return True
        except OSError:
            return False
        return None

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

    def alive(self) -> bool:  # a worker killed while idle (from outside) is let go before it takes a query
        if self.pid and os.waitpid(self.pid, os.WNOHANG)[0] == self.pid:
            self.pid = 0  # reaped
        return bool(self.pid)

    def stop(self) -> None:
        for fd in (self.request_fd, self.reply_fd):
            _PARENT_FDS.discard(fd)
            os.close(fd)
        if self.pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
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
        while (header := _read_exact(request_fd, 8, None, None)) is not None:
            data = _read_exact(request_fd, struct.unpack("!Q", header)[0], None, None)
            if data is None:
                break
            fmt, *request = pickle.loads(data)  # a format: the result written in it, as one message
            for message in messages(backend, *request) if fmt is None else [written(backend, *request, fmt)]:
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
        worker = self._take()
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
            self._give_back(worker, finished and not lowered.is_set())

    async def answer(self, request: tuple, fmt: str, timeout: float | None) -> tuple:
        """The query's result written in ``fmt`` by a worker, awaited in the event loop: ("answer", bytes,
        truncated) or ("error", ...). The same bounds as :meth:`run`; the demotion is a timer of the loop."""
        import asyncio

        worker = self._take()
        lowered = threading.Event()
        demote = asyncio.get_running_loop().call_later(SLOW_AFTER, _lower_priority, worker.pid, lowered) \
            if self.lower_slow else None
        answered = False
        try:
            message = await worker.answer(request, fmt, timeout)
            answered = True
            return message
        finally:
            if demote is not None:
                demote.cancel()
            self._give_back(worker, answered and not lowered.is_set())

    def _take(self) -> _Worker:
        while True:
            with self.lock:
                worker = self.idle.pop() if self.idle else None
            if worker is None:
                return _Worker(self.backend)
            if worker.alive():
                return worker
            worker.stop()

    def _give_back(self, worker: _Worker, reusable: bool) -> None:
        """Keep a worker that finished its query at its priority; stop one that timed out, crashed,
        was abandoned mid-stream or slowed down, and any beyond :data:`_IDLE_WORKERS`."""
        if reusable:
            with self.lock:
                if len(self.idle) < _IDLE_WORKERS:
                    self.idle.append(worker)
                    return
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
            raise _late(timeout)
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _late(timeout: float) -> QueryTimeout:
    return QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped; narrow it, or allow it more time "
                        "(--timeout on the command line, timeout= in Python)")


def _limit_memory() -> None:
    try:
        import resource

        with open("/proc/self/statm") as handle:
            size = int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        resource.setrlimit(resource.RLIMIT_AS, (size + MEMORY_HEADROOM, size + MEMORY_HEADROOM))
    except (OSError, ValueError, ImportError):
        pass

