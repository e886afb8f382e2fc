"""Writing files: atomically, with the umask's mode, and with errors a user can act on.

Every file genbench leaves behind is either whole or absent, is readable by whoever the
user's umask lets read it (a shared ``GENBENCH_HOME``, a web-served leaderboard folder),
and a folder that cannot be written (read-only, full, a path under a file) is one
``GenbenchError`` naming it, raised before the work whose result it would hold.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

from genbench.errors import GenbenchError

# Errors that mean "this place cannot take the file", as opposed to a failing source (a
# network read inside a write block keeps its own error).
_WRITE_ERRNOS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is exhausted",
    errno.EFBIG: "the file is larger than this file system or process allows",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EEXIST: "a part of the path is a file, not a folder",
    errno.EISDIR: "it is a folder",
}


class WriteError(GenbenchError):
    """A file could not be written where it was asked to be (read-only, full, no folder)."""

    def __init__(self, path: Path, error: OSError) -> None:
        self.path = path
        self.reason = f"{_WRITE_ERRNOS[error.errno or 0]} ({error.strerror or error})"
        super().__init__(
            f"cannot write {path}: {self.reason}. Choose a writable folder or free space;"
            " nothing was left half-written there"
        )


@contextlib.contextmanager
def _writing(path: Path) -> Iterator[None]:
    """Turn an ``OSError`` of writing ``path`` into a :class:`WriteError`."""
    try:
        yield
    except OSError as error:
        if error.errno in _WRITE_ERRNOS:
            raise WriteError(path, error) from error
        raise


def _hidden_name(target: Path, kind: str) -> Path:
    return target.with_name(f".{target.name}.{secrets.token_hex(6)}.{kind}")


def _new_file(target: Path) -> Path:
    """An empty new file beside ``target``, created with mode 0666 less the umask (``mkstemp``
    would make it 0600, and the rename would hand that mode to the final file)."""
    while True:
        temp = _hidden_name(target, "partial")
        try:
            os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            continue
        return temp


def _sync_folder(folder: Path) -> None:
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; write it inside the block.

    On success the file is flushed to disk and renamed over ``path`` (and the folder entry
    flushed), so a crash or SIGKILL at any moment leaves the old file or the new one, never
    half of one. On an exception the temporary file is removed. A place that cannot take
    the file (read-only, full, not a folder) raises a ``GenbenchError`` naming ``path``.
    """
    target = Path(path)
    with _writing(target):
        target.parent.mkdir(parents=True, exist_ok=True)
        temp = _new_file(target)
    try:
        with _writing(target):
            yield temp
            with open(temp, "rb") as handle:
                os.fsync(handle.fileno())
            os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)
    _sync_folder(target.parent)


@contextlib.contextmanager
def atomic_folder(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a new empty folder beside ``path``; fill it inside the block.

    On success it takes the place of ``path`` (an earlier folder there is removed whole, so
    no file of it survives beside the new ones); on an exception it is removed. A crash
    leaves the old folder or the new one at ``path`` (or, between two renames, neither),
    never a mix of both; what a crash leaves beside it is hidden (``.name.*``).
    """
    target = Path(path)
    temp = _hidden_name(target, "partial")
    with _writing(target):
        target.parent.mkdir(parents=True, exist_ok=True)
        temp.mkdir()
    try:
        with _writing(target):
            yield temp
            _swap_folder(temp, target)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise


def _swap_folder(new: Path, target: Path) -> None:
    old = _hidden_name(target, "old") if target.exists() else None
    if old is not None:
        os.replace(target, old)
    try:
        os.replace(new, target)
    except OSError:
        if old is not None:
            os.replace(old, target)
        raise
    _sync_folder(target.parent)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def check_writable(path: str | os.PathLike[str], what: str, *, folder: bool = True) -> Path:
    """Raise a ``GenbenchError`` unless ``path`` can be written: a folder in which a file can
    be created, or with ``folder=False`` a file that is no folder, in such a folder. Checked
    before the work, so that minutes of computing are not lost to it; a missing folder is
    not made here (a run stopped by a later check leaves nothing behind): the probe file is
    created in its nearest existing parent."""
    place = Path(path)
    if place.exists() and place.is_dir() != folder:
        kind = "a file, not a folder" if folder else "a folder, not a file"
        raise GenbenchError(f"{what} {place} is {kind}; give another path")
    parent = place if folder else place.parent
    existing = parent.absolute()
    while not existing.exists():
        existing = existing.parent
    with _writing(place):
        if not existing.is_dir():
            parent.mkdir(parents=True, exist_ok=True)  # fails: a part of the path is a file
        _new_file(existing / "write-check").unlink()
    return place
