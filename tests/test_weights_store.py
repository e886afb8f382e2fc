"""The weights store: precedence, sha256 checks, offline errors, the CLI."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner

import genbench
from genbench import weights as store
from genbench.cli import build_cli
from genbench.errors import GenbenchError


def _file(path: Path, content: bytes) -> tuple[Path, str]:
    path.write_bytes(content)
    return path, hashlib.sha256(content).hexdigest()


@pytest.fixture(autouse=True)
def _fresh_store(tmp_path, monkeypatch):
    monkeypatch.setenv("GENBENCH_HOME", str(tmp_path / "home"))
    yield
    store.set_overrides({})


@pytest.fixture
def blob(tmp_path: Path) -> tuple[Path, genbench.Weights]:
    path, sha = _file(tmp_path / "blob.bin", b"weights of a tiny net")
    return path, genbench.Weights(
        name="tiny", sha256=sha, filename="tiny.bin", urls=("https://example.invalid/tiny.bin",)
    )


def test_missing_file_offline_names_file_and_commands(blob):
    _, spec = blob
    with pytest.raises(GenbenchError) as error:
        store.resolve(spec)
    message = str(error.value)
    assert "tiny.bin" in message
    assert "genbench weights fetch tiny" in message
    assert "genbench weights import tiny FILE" in message
    assert "GENBENCH_OFFLINE" in message


def test_the_remedy_is_the_same_online_after_failed_downloads(blob, tmp_path, monkeypatch):
    """Without GENBENCH_OFFLINE, once every URL has failed, the user learns what to do."""
    _, spec = blob
    with pytest.raises(GenbenchError) as offline:
        store.resolve(spec)
    monkeypatch.delenv("GENBENCH_OFFLINE")
    gone = genbench.Weights(
        name="tiny", sha256=spec.sha256, filename="tiny.bin", urls=((tmp_path / "no").as_uri(),)
    )
    with pytest.raises(GenbenchError) as online:
        store.resolve(gone)
    remedy = store.remedy(spec)
    assert remedy in str(offline.value) and remedy in str(online.value)
    assert "could not fetch 'tiny'" in str(online.value) and spec.sha256 in str(online.value)


def test_import_then_resolve_from_store(blob):
    path, spec = blob
    stored = store.import_file(spec, path)
    assert stored == store.store_path(spec)
    assert stored.parent.name == spec.sha256
    assert store.resolve(spec) == stored
    assert store.status(spec) == ("ok", stored)


def test_import_refuses_mismatching_file(blob, tmp_path):
    _, spec = blob
    other, _ = _file(tmp_path / "other.bin", b"something else")
    with pytest.raises(GenbenchError, match="expects") as refused:
        store.import_file(spec, other)
    # what was found, what was expected, and no temporary path or rerun of this same command
    message = str(refused.value)
    found = hashlib.sha256(b"something else").hexdigest()
    assert str(other) in message and found in message and "14 bytes" in message
    assert f"tiny.bin, sha256 {spec.sha256}, published at https://example.invalid" in message
    assert ".partial" not in message and "weights import" not in message
    assert not store.store_path(spec).exists()
    assert not list(store.store_path(spec).parent.glob("*.partial"))


def test_corrupt_stored_file_refused_on_load(blob):
    path, spec = blob
    stored = store.import_file(spec, path)
    stored.write_bytes(b"bit rot")
    with pytest.raises(GenbenchError, match="corrupt"):
        store.resolve(spec)
    assert store.status(spec)[0] == "corrupt"


def test_packaged_path_is_verified(blob, tmp_path):
    path, spec = blob
    packaged = genbench.Weights(name="tiny", sha256=spec.sha256, path=str(path))
    assert store.resolve(packaged) == path
    path.write_bytes(b"tampered")
    with pytest.raises(GenbenchError, match="packaged file"):
        store.resolve(packaged)


def test_override_wins_and_reports_its_own_sha(blob, tmp_path):
    path, spec = blob
    store.import_file(spec, path)
    mine, mine_sha = _file(tmp_path / "mine.bin", b"my fine-tuned weights")
    store.set_overrides([f"tiny={mine}"])
    assert store.resolve(spec) == mine.resolve()
    assert store.resolved_sha256(spec) == mine_sha != spec.sha256


def test_override_parsing_errors(tmp_path):
    with pytest.raises(GenbenchError, match="NAME=PATH"):
        store.set_overrides(["no-equals-sign"])
    with pytest.raises(GenbenchError, match="no such file"):
        store.set_overrides([f"x={tmp_path / 'absent'}"])


def test_known_weights_include_standalone_and_registered():
    known = store.known_weights()
    assert {"lpips-alexnet", "lpips-vgg16", "digits-cnn", "inception-v3-fid"} <= set(known)
    with pytest.raises(genbench.UnknownNameError):
        store.lookup("no-such-weights")


def test_load_state_dict_refuses_pickled_code(tmp_path, capsys):
    import pickle

    bad = tmp_path / "evil.pth"

    class Evil:
        def __reduce__(self):
            return (print, ("ran code",))

    bad.write_bytes(pickle.dumps(Evil()))
    with pytest.raises(GenbenchError) as refused:
        store.load_state_dict(bad)
    message = str(refused.value)
    assert "ran code" not in capsys.readouterr().out
    # torch's own advice (retry with weights_only=False) is not passed on: the message says
    # how to convert the file once instead.
    assert "never unpickles" in message and "Re-running" not in message and "\n" not in message
    converted = tmp_path / "evil.safetensors"
    convert = f"save_file(torch.load('{bad}', weights_only=False), '{converted}')"
    assert convert in message


def test_refused_pickle_names_the_object_it_holds(tmp_path):
    import torch

    saved = tmp_path / "checkpoint.pth"
    torch.save({"w": torch.zeros(2), "where": Path("runs")}, saved)
    with pytest.raises(GenbenchError, match=r"objects \(such as pathlib.PosixPath\) besides"):
        store.load_state_dict(saved)


def test_torch_save_file_where_safetensors_expected_says_how_to_convert(tmp_path):
    import torch

    from genbench.train.checkpoint import load_checkpoint

    saved = tmp_path / "g.pt"
    torch.save({"w": torch.zeros(2)}, saved)
    with pytest.raises(GenbenchError, match=r"it is a torch\.save file\. If you trust the file"):
        load_checkpoint(saved)
    text = tmp_path / "g.txt"
    text.write_text("not weights")
    with pytest.raises(GenbenchError, match="not a valid safetensors file") as plain:
        load_checkpoint(text)
    assert "torch.save" not in str(plain.value)


@pytest.fixture
def builtins_only(monkeypatch):
    """Only the built-in plugins: another plugin's files must not decide an exit code."""
    monkeypatch.setenv("GENBENCH_LOAD_PLUGINS", "")
    genbench.reset_registry()
    yield
    genbench.reset_registry()


def test_cli_import_list_verify(blob, builtins_only):
    path, _ = blob
    spec = store.lookup("digits-cnn")
    runner = CliRunner()
    cli = build_cli()
    listed = runner.invoke(cli, ["weights", "list", "--json"])
    assert listed.exit_code == 0, listed.output
    assert "inception-v3-fid" in listed.output
    # importing the wrong bytes under a known name is refused with exit code 2
    refused = runner.invoke(cli, ["weights", "import", "digits-cnn", str(path)])
    assert refused.exit_code == 2
    assert "genbench expects" in refused.output
    imported = runner.invoke(cli, ["weights", "import", "digits-cnn", spec.path])
    assert imported.exit_code == 0, imported.output
    verified = runner.invoke(cli, ["weights", "verify"])
    assert verified.exit_code == 0, verified.output
    assert "digits-cnn" in verified.output


def test_fetch_downloads_verifies_and_resolve_uses_it(blob, tmp_path, monkeypatch):
    path, spec = blob
    monkeypatch.delenv("GENBENCH_OFFLINE")
    local = genbench.Weights(name="tiny", sha256=spec.sha256, urls=(path.as_uri(),))
    assert store.resolve(local) == store.store_path(local)  # fetched on first use
    assert store.store_path(local).read_bytes() == path.read_bytes()
    wrong = genbench.Weights(name="tiny", sha256="0" * 64, urls=(path.as_uri(),))
    with pytest.raises(GenbenchError, match="could not fetch"):
        store.fetch(wrong)
    assert not store.store_path(wrong).exists()
