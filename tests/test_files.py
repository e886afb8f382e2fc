"""genbench.files: atomic writes keep the umask's mode, replace folders whole, and turn a
place that cannot take a file into one GenbenchError naming it, leaving nothing behind."""

from __future__ import annotations

import errno
import os
import stat
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # the fault tests' helpers (importlib mode)
from fault_places import leftovers, place  # noqa: F401  # `place` is a fixture

from genbench.errors import GenbenchError
from genbench.files import WriteError, atomic_folder, atomic_path, check_writable


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask():
    """Set the process umask for one test (and restore it)."""
    previous = os.umask(0o022)
    yield lambda mask: os.umask(mask)
    os.umask(previous)


@pytest.mark.parametrize("mask", [0o022, 0o002, 0o077])
def test_atomic_files_get_the_umask_mode(tmp_path, umask, mask):
    umask(mask)
    target = tmp_path / "result.json"
    with atomic_path(target) as temp:
        temp.write_text("{}")
    assert _mode(target) == 0o666 & ~mask


def test_overwriting_sets_the_umask_mode_again(tmp_path, umask):
    # mkstemp made every file 0600, and rewriting a 0644 file left it 0600
    umask(0o022)
    target = tmp_path / "table.csv"
    target.write_text("old")
    target.chmod(0o600)
    with atomic_path(target) as temp:
        temp.write_text("new")
    assert target.read_text() == "new" and _mode(target) == 0o644


def test_atomic_folder_replaces_the_old_folder_whole(tmp_path):
    out = tmp_path / "export"
    with atomic_folder(out) as folder:
        for i in range(5):
            (folder / f"{i}.png").write_bytes(b"x")
    with atomic_folder(out) as folder:
        (folder / "0.png").write_bytes(b"y")
    assert sorted(p.name for p in out.iterdir()) == ["0.png"]
    assert not leftovers(tmp_path)


def test_a_failed_folder_write_keeps_the_old_folder(tmp_path):
    out = tmp_path / "export"
    out.mkdir()
    (out / "kept.png").write_bytes(b"x")
    with pytest.raises(RuntimeError), atomic_folder(out) as folder:
        (folder / "new.png").write_bytes(b"y")
        raise RuntimeError("interrupted")
    assert sorted(p.name for p in out.iterdir()) == ["kept.png"]
    assert not leftovers(tmp_path)


@pytest.mark.parametrize("kind", ["read-only", "full", "under-file"])
def test_unwritable_places_are_one_error_naming_the_file(place, kind):  # noqa: F811
    folder = place(kind)
    target = folder / "stats.npz"
    with pytest.raises(WriteError) as failed, atomic_path(target) as temp:
        temp.write_bytes(b"\0" * 65536)  # more than the full disk has left
    message = str(failed.value)
    assert str(target) in message and "\n" not in message
    assert not target.exists()
    assert not leftovers(folder if folder.is_dir() else folder.parent)


def test_a_full_disk_reported_by_fsync_is_the_same_error(tmp_path, monkeypatch):
    # Some file systems (NFS, quotas) report ENOSPC only when the data is flushed.
    target = tmp_path / "row.json"
    target.write_text("old")

    def full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(WriteError, match="the disk is full"), atomic_path(target) as temp:
        temp.write_text("new")
    assert target.read_text() == "old"
    assert not leftovers(tmp_path)


def test_errors_of_the_source_are_not_blamed_on_the_target(tmp_path):
    with pytest.raises(ConnectionResetError), atomic_path(tmp_path / "w.bin"):
        raise ConnectionResetError(errno.ECONNRESET, "reset by peer")


@pytest.mark.parametrize("kind", ["read-only", "under-file"])
def test_check_writable_refuses_before_any_work(place, kind):  # noqa: F811
    folder = place(kind)
    with pytest.raises(GenbenchError, match="cannot write"):
        check_writable(folder / "run", "--out")
    with pytest.raises(GenbenchError, match="cannot write"):
        check_writable(folder / "s.npz", "--save-stats", folder=False)


def test_check_writable_tells_files_from_folders(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(GenbenchError, match=r"--out .*file is a file, not a folder"):
        check_writable(tmp_path / "file", "--out")
    with pytest.raises(GenbenchError, match="is a folder, not a file"):
        check_writable(tmp_path, "--save-stats", folder=False)
    # a missing folder is probed in its nearest existing parent, not made: a run stopped by a
    # later check leaves nothing behind
    assert check_writable(tmp_path / "new" / "run", "--out") == tmp_path / "new" / "run"
    assert not (tmp_path / "new").exists()
    with pytest.raises(GenbenchError, match="a part of the path is a file"):
        check_writable(tmp_path / "file" / "run", "--out")
    assert not leftovers(tmp_path)
