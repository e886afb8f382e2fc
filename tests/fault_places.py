"""Places that cannot take a file, made for real: a read-only or a full file system (a tmpfs
mounted for the test), a path under a regular file. Running as root, permission bits are
not enforced, so a read-only place is a read-only mount; where mounting is not permitted
(and the tests run as root) the tests that need one are skipped, and the path-under-a-file
tests, which need nothing, still run."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Room left on the "full" file system: less than any file the tests write.
FULL_SIZE = "16k"


def _mount(path: Path, options: str) -> str | None:
    """Mount a tmpfs at ``path``; None on success, else why not."""
    try:
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)],
            capture_output=True,
            text=True,
            timeout=30,
        )
    except OSError as error:
        return str(error)
    return None if done.returncode == 0 else (done.stderr.strip() or "mount failed")


@pytest.fixture
def place(tmp_path: Path) -> Iterator[Callable[[str], Path]]:
    """``place(kind)``: a folder where writing fails, ``kind`` one of ``read-only``
    (EROFS), ``full`` (ENOSPC: a 16 KiB tmpfs, filled) or ``under-file`` (a path whose
    parent is a regular file: ENOTDIR/EEXIST)."""
    mounted: list[Path] = []

    def make(kind: str) -> Path:
        if kind == "under-file":
            blocker = tmp_path / "a-file"
            blocker.write_text("not a folder")
            return blocker / "inside"
        folder = tmp_path / kind
        folder.mkdir()
        if kind == "read-only" and os.geteuid() != 0:
            folder.chmod(0o555)  # enforced for users other than root
            return folder
        options = {"read-only": "ro,size=64k", "full": f"size={FULL_SIZE}"}[kind]
        why = _mount(folder, options)
        if why is not None:
            pytest.skip(f"cannot mount a tmpfs for a {kind} folder here: {why}")
        mounted.append(folder)
        if kind == "full":
            handle = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT)
            try:
                while os.write(handle, b"\0" * 4096):
                    pass
            except OSError:  # ENOSPC: full
                pass
            finally:
                os.close(handle)
        return folder

    yield make
    for folder in mounted:
        subprocess.run(["umount", str(folder)], check=False, timeout=30)


def leftovers(*folders: Path) -> list[Path]:
    """Temporary files or folders a write left behind (``.name.*.partial`` / ``.old``)."""
    found = []
    for folder in folders:
        if folder.is_dir():
            found += [p for p in folder.rglob(".*") if p.suffix in (".partial", ".old")]
    return found
