"""Atomic writes: one file (temporary file, fsync, rename) or a whole folder (temporary folder,
fsync, swap), the folder under a lock so that concurrent writers never mix their files."""
from __future__ import annotations

import ctypes
import fcntl
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .problems import UsageError

MARKER = ".exograph-output"  # in every folder written by write_folder_atomic
_RENAME_EXCHANGE = 2


def write_bytes_atomic(path: Path | str, data: bytes | Iterable[bytes]) -> Path:
    """Write ``data`` (bytes, or pieces of bytes written in turn) to ``path`` so that readers see the old
    file or the whole new one."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise OSError(error.errno, error.strerror, str(path)) from None
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; give the mode a plain open() would
        with os.fdopen(fd, "wb") as handle:
            for piece in [data] if isinstance(data, bytes) else data:
                handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as error:  # ENOSPC and the like: name the file meant, not the temporary one
        Path(tmp).unlink(missing_ok=True)
        raise OSError(error.errno, error.strerror, str(path)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_text_atomic(path: Path | str, text: str) -> Path:
    return write_bytes_atomic(path, text.encode("utf-8"))


@contextmanager
def _locked(target: Path) -> Iterator[None]:
    """An exclusive lock for writing ``target``: a lock on its parent folder itself, so that no lock file
    is left beside it (released when the process ends, also when killed)."""
    fd = os.open(target.parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _fsync_tree(folder: Path) -> None:
    for path in sorted(folder.rglob("*"), reverse=True):
        if path.is_file() and not path.is_symlink():
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _exchange(new: Path, target: Path) -> None:
    """Put ``new`` at ``target`` in one step; afterwards ``new`` holds the previous folder (if any)."""
    if not target.exists():
        os.rename(new, target)
        return
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    at_fdcwd = -100
    if renameat2 is not None and renameat2(at_fdcwd, os.fsencode(new), at_fdcwd, os.fsencode(target), _RENAME_EXCHANGE) == 0:
        return
    old = new.with_name(new.name.replace(".new-", ".old-"))  # a file system without exchange: two renames
    os.rename(target, old)
    os.rename(new, target)
    os.rename(old, new)


def _recover(target: Path) -> None:
    """Undo what a writer killed mid-way left: restore a folder moved aside, drop temporary ones."""
    leftovers = sorted(target.parent.glob(f".{target.name}.old-*")) + sorted(target.parent.glob(f".{target.name}.new-*"))
    for folder in leftovers:
        if folder.is_symlink():  # an earlier version swapped a symlink given as -o, and left it here
            folder.unlink()
        elif not target.exists() and ".old-" in folder.name and (folder / MARKER).exists():
            os.rename(folder, target)
        else:
            shutil.rmtree(folder, ignore_errors=True)


def _check_replaceable(target: Path) -> None:
    if not target.exists():
        return
    if not target.is_dir():
        raise UsageError(f"{target}: exists and is not a folder; choose an output folder")
    names = {path.name for path in target.iterdir()}
    if names and MARKER not in names and not names & {"exograph.ttl", "exograph.nt", "exograph.jsonld"}:
        raise UsageError(f"{target}: exists and was not written by exograph build, which replaces the whole folder; "
                         "choose a new or empty output folder")


def write_folder_atomic(target: Path | str, fill: Callable[[Path], list[str]]) -> list[Path]:
    """Write a set of files as one: ``fill(tmp)`` writes them into a temporary folder, which is
    fsynced and swapped in for ``target``. Readers see the old set or the new one, never a mix,
    also after a kill; concurrent writers take turns. Files of ``target`` that ``fill`` does not
    write (a view.html) are kept. A symlink to a folder is written through: its target is the folder
    replaced. Returns the paths written, under ``target``."""
    given = Path(target).absolute()
    target = given.resolve() if given.is_symlink() and given.is_dir() else given
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OSError(error.errno, error.strerror, str(target)) from None
    with _locked(target):
        if given != target:
            _recover(given)
        _recover(target)
        _check_replaceable(target)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
        try:
            os.chmod(tmp, 0o777 & ~_umask())
            names = fill(tmp)
            (tmp / MARKER).write_text("written by exograph build, which replaces this folder as a whole\n")
            if target.is_dir():
                for old in target.iterdir():
                    if not (tmp / old.name).exists() and not old.is_symlink() and old.name != MARKER:
                        if old.is_dir():
                            shutil.copytree(old, tmp / old.name, copy_function=os.link)
                        else:
                            os.link(old, tmp / old.name)
            _fsync_tree(tmp)
            _exchange(tmp, target)
            _fsync_dir(target.parent)
        except OSError as error:
            if error.filename and str(error.filename).startswith(str(tmp)):
                raise OSError(error.errno, error.strerror, str(target) + str(error.filename)[len(str(tmp)):]) from None
            raise
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return [given / name for name in names]
