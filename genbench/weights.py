"""The weights store: every weights file genbench reads, addressed by its sha256.

A file is found, in order: a ``--weights NAME=PATH`` override (the user's explicit choice,
used as given and recorded by its own sha256), the file a package ships (``Weights.path``),
the store ``GENBENCH_HOME/weights/<sha256>/<filename>``, and last a download from
``Weights.urls`` unless ``GENBENCH_OFFLINE=1``. Whatever comes from a package, the store or
the network is checked against the registered sha256 and refused on a mismatch. A missing
file is an error naming it and the command that provides it: nothing falls back to random
weights. Files load with safetensors or ``torch.load(weights_only=True)``, never pickle.
"""

from __future__ import annotations

import difflib
import json
import os
import pickle
import re
import shutil
import urllib.request
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from genbench.errors import GenbenchError, UnknownNameError, safetensors_conversion
from genbench.files import atomic_path
from genbench.home import offline, subdir
from genbench.spec import Weights
from genbench.train.checkpoint import sha256_file

if TYPE_CHECKING:
    import torch

# What plugins use (docs/plugins.md, "Shipping weights"); the rest serves the core.
__all__ = ["load_state_dict", "resolve"]

# Files genbench knows that no registered spec ships (the LPIPS backbones are read by a
# metric, not a feature extractor). The feature extractors' own files come from their specs.
LPIPS_ALEXNET = Weights(
    name="lpips-alexnet",
    filename="alexnet-owt-7be5be79.pth",
    sha256="7be5be791159472b1fbf3c69796f7cb30dca7ad8466c2df70058c37116cdee02",
    urls=("https://download.pytorch.org/models/alexnet-owt-7be5be79.pth",),
    size=244408911,
    license="BSD-3-Clause (torchvision ImageNet weights)",
)
LPIPS_VGG16 = Weights(
    name="lpips-vgg16",
    filename="vgg16-397923af.pth",
    sha256="397923af8e79cdbb6a7127f12361acd7a2f83e06b05044ddf496e83de57a5bf0",
    urls=("https://download.pytorch.org/models/vgg16-397923af.pth",),
    size=553433881,
    license="BSD-3-Clause (torchvision ImageNet weights)",
)
STANDALONE_WEIGHTS = (LPIPS_ALEXNET, LPIPS_VGG16)

# ``--weights NAME=PATH`` for this process (set by the CLI, read by ``resolve``). They are
# mirrored in this variable (JSON) so worker processes (``run --isolate``) use them too.
OVERRIDES_ENV = "GENBENCH_WEIGHTS"
_overrides: dict[str, Path] = {
    name: Path(path) for name, path in json.loads(os.environ.get(OVERRIDES_ENV) or "{}").items()
}
# sha256 of files already hashed in this process, keyed by (path, size, mtime).
_digests: dict[tuple[str, int, int], str] = {}


def known_weights() -> dict[str, Weights]:
    """Every weights file genbench knows: standalone ones and those of registered specs."""
    from genbench.plugins import get_registry

    registry = get_registry()
    found = {w.name: w for w in STANDALONE_WEIGHTS}
    for catalog in (registry.feature_extractors, registry.models):
        for spec in catalog:
            if spec.weights is not None:
                found.setdefault(spec.weights.name, spec.weights)
    return found


def lookup(weights: Weights | str) -> Weights:
    if isinstance(weights, Weights):
        return weights
    known = known_weights()
    if weights not in known:
        raise UnknownNameError("weight", weights, known)
    return known[weights]


def set_overrides(pairs: Iterable[str] | Mapping[str, str | os.PathLike[str]]) -> None:
    """Use these files instead of the registered ones, e.g. ``["inception-v3-fid=./w.pth"]``.

    Replaces earlier overrides; an empty argument clears them.
    """
    items = pairs.items() if isinstance(pairs, Mapping) else (_split_pair(p) for p in pairs)
    parsed: dict[str, Path] = {}
    for name, value in items:
        path = Path(value).expanduser()
        if not path.is_file():
            raise GenbenchError(f"--weights {name}={value}: no such file")
        parsed[name] = path.resolve()
    _overrides.clear()
    _overrides.update(parsed)
    os.environ[OVERRIDES_ENV] = json.dumps({name: str(path) for name, path in parsed.items()})


def check_override_names(pairs: Iterable[str]) -> list[str]:
    """``--weights NAME=PATH`` pairs with NAME made the weights' own name, so a model's name
    (``ddpm.digits`` for ``ddpm-digits``) or a feature net's works too.

    Refuses a NAME that no weights file, model or feature net has (the file would be ignored
    while the user believes the run uses it), and a model that loads no weights file.
    """
    from genbench.plugins import get_registry

    registry = get_registry()
    known = known_weights()
    aliases = {name: name for name in known}
    plugins: dict[str, str] = {}
    for net in registry.feature_extractors:  # one without a pinned file takes its own name
        aliases.setdefault(net.name, net.weights.name if net.weights else net.name)
    for model in registry.models:
        aliases.setdefault(model.name, model.weights.name if model.weights else "")
        plugins[model.name] = model.plugin
    canonical = []
    for pair in pairs:
        name, value = _split_pair(pair)
        if name not in aliases:
            close = difflib.get_close_matches(name, sorted(aliases), n=3, cutoff=0.5)
            hint = f" Did you mean {', '.join(close)}?" if close else ""
            raise GenbenchError(
                f"--weights {name}={value}: no weights, model or feature net is named"
                f" {name!r}.{hint} See the weights' names with `genbench weights list`"
            )
        if not aliases[name]:
            raise GenbenchError(
                f"--weights {name}={value}: {name!r} loads no weights file (plugin"
                f" {plugins[name]}; a baseline or a model that builds its"
                " own), so there is nothing to replace; benchmark another model's checkpoint"
                " with --weights MODEL=PATH"
            )
        canonical.append(f"{aliases[name]}={value}")
    return canonical


def _split_pair(pair: str) -> tuple[str, str]:
    name, sep, value = pair.partition("=")
    if not sep or not name or not value:
        raise GenbenchError(f"--weights expects NAME=PATH, got {pair!r}")
    return name, value


def override(name: str) -> Path | None:
    """The ``--weights NAME=PATH`` file given for ``name``, if any."""
    return _overrides.get(name)


def store_path(weights: Weights) -> Path:
    """Where the store keeps (or would keep) this file."""
    return subdir("weights") / weights.sha256 / weights.filename


def digest(path: Path) -> str:
    """The file's sha256, hashed once per process unless the file changes."""
    stat = path.stat()
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    if key not in _digests:
        _digests[key] = sha256_file(path)
    return _digests[key]


def describe(weights: Weights) -> str:
    """The expected file: its name, size, sha256 and where it is published."""
    size = f", {weights.size:,} bytes" if weights.size else ""
    where = f", published at {' or '.join(weights.urls)}" if weights.urls else ""
    return f"{weights.filename}{size}, sha256 {weights.sha256}{where}"


def remedy(weights: Weights) -> str:
    """What a user who cannot download does: the same advice online and offline."""
    return (
        f"Copy that file onto this machine (e.g. from ~/.cache/torch/hub/checkpoints or"
        f" another machine) and run `genbench weights import {weights.name} FILE`, or pass"
        f" `--weights {weights.name}=FILE` to one command"
    )


def _checked(weights: Weights, path: Path, origin: str) -> Path:
    actual = digest(path)
    if actual != weights.sha256:
        raise GenbenchError(
            f"weights {weights.name!r}: {origin} {path} has sha256 {actual}, expected"
            f" {weights.sha256}; the file is corrupt or another file. Replace it with"
            f" `genbench weights fetch {weights.name}` or"
            f" `genbench weights import {weights.name} PATH`"
        )
    return path


def resolve(weights: Weights | str) -> Path:
    """The verified local file for ``weights`` (a spec or a known name); see the module doc."""
    spec = lookup(weights)
    if spec.name in _overrides:
        return _overrides[spec.name]
    if spec.path and Path(spec.path).is_file():
        return _checked(spec, Path(spec.path), "packaged file")
    stored = store_path(spec)
    if stored.is_file():
        return _checked(spec, stored, "stored file")
    if spec.path:  # a plugin's own file: the store never had it
        raise GenbenchError(
            f"weights {spec.name!r}: the file its plugin ships, {spec.path}, is missing;"
            f" reinstall the plugin, or pass a file of your own with `--weights {spec.name}=PATH`"
        )
    if spec.urls and not offline():
        return fetch(spec)  # its failure says the same as below
    why = "GENBENCH_OFFLINE=1 is set" if spec.urls else "it has no download URL"
    online = f", or run `genbench weights fetch {spec.name}` online" if spec.urls else ""
    raise GenbenchError(
        f"weights {spec.name!r} are not in the store {stored.parent} and {why}. genbench"
        f" expects {describe(spec)}. {remedy(spec)}{online}"
    )


def resolved_sha256(weights: Weights | str) -> str:
    """The sha256 of the file ``resolve`` returns (an override's own digest)."""
    spec = lookup(weights)
    return digest(_overrides[spec.name]) if spec.name in _overrides else spec.sha256


def _install(weights: Weights, fill: Any, origin: str) -> Path:
    """Write the store file atomically: ``fill(handle)`` writes it, then it is verified."""
    target = store_path(weights)
    with atomic_path(target) as partial:
        with open(partial, "wb") as out:
            fill(out)
        actual = digest(partial)
        if actual != weights.sha256:  # name the origin: the temporary file means nothing
            raise GenbenchError(
                f"{origin} gave {partial.stat().st_size:,} bytes of sha256 {actual}, not the"
                f" expected {describe(weights)}"
            )
    return target


def import_file(weights: Weights | str, source: str | os.PathLike[str]) -> Path:
    """Copy a file from anywhere (e.g. the torch hub cache) into the store, verified first."""
    spec = lookup(weights)
    path = Path(source).expanduser()
    if not path.is_file():
        raise GenbenchError(
            f"cannot import {spec.name!r}: {path} is not a file; genbench expects {describe(spec)}"
        )
    actual = digest(path)
    if actual != spec.sha256:
        raise GenbenchError(
            f"cannot import {spec.name!r}: {path} ({path.stat().st_size:,} bytes) has sha256"
            f" {actual}, so it is another file (or damaged); genbench expects {describe(spec)}."
            " Nothing was imported"
        )
    with open(path, "rb") as src:
        return _install(spec, lambda out: shutil.copyfileobj(src, out, 1 << 20), str(path))


def fetch(weights: Weights | str) -> Path:
    """Download into the store from the first URL that works, verified."""
    spec = lookup(weights)
    if offline() or not spec.urls:
        why = "GENBENCH_OFFLINE=1 is set" if spec.urls else "they have no download URL"
        raise GenbenchError(
            f"cannot fetch {spec.name!r}: {why}. genbench expects {describe(spec)}. {remedy(spec)}"
        )
    failures = []
    for url in spec.urls:
        try:
            with urllib.request.urlopen(url, timeout=60) as response:  # https only
                return _install(spec, lambda out: shutil.copyfileobj(response, out, 1 << 20), url)
        except (OSError, GenbenchError) as error:
            failures.append(f"{url}: {error}")
    raise GenbenchError(
        f"could not fetch {spec.name!r} ({'; '.join(failures)}). genbench expects"
        f" {describe(spec)}. {remedy(spec)}"
    )


def non_reference(weights: Weights | None) -> str:
    """A warning when ``weights`` resolve to another file than the registered one ("" if
    not): numbers made with it are not comparable with anyone else's."""
    if weights is None or weights.name not in _overrides:
        return ""
    sha = resolved_sha256(weights)
    if sha == weights.sha256:
        return ""
    return (
        f"non-reference weights: {weights.name} from {_overrides[weights.name]} (sha256"
        f" {sha[:12]}…, the reference is {weights.sha256[:12]}…)"
    )


def space_name(name: str, weights: Weights | None) -> str:
    """A feature space's name: the net's, with ``@`` and the sha256 prefix of its weights
    when they are not the reference file, so such numbers never pass for the reference's."""
    if non_reference(weights):
        assert weights is not None
        return f"{name}@{resolved_sha256(weights)[:8]}"
    return name


def status(weights: Weights) -> tuple[str, Path | None]:
    """("ok" | "missing" | "corrupt" | "override", path) without downloading anything."""
    if weights.name in _overrides:
        return "override", _overrides[weights.name]
    candidates = [Path(weights.path)] if weights.path else []
    candidates.append(store_path(weights))
    for path in candidates:
        if path.is_file():
            return ("ok" if digest(path) == weights.sha256 else "corrupt"), path
    return "missing", None


def load_state_dict(path: Path) -> dict[str, torch.Tensor]:
    """Tensors of a safetensors file or of a ``torch.save``'d state dict (no pickle code)."""
    import torch

    if path.suffix == ".safetensors":
        from safetensors.torch import load_file

        return load_file(str(path))
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as error:
        # torch's own message advises weights_only=False, i.e. running the file's code
        found = re.search(r"GLOBAL ([\w.]+)", str(error))
        what = f" (such as {found.group(1)})" if found else ""
        raise GenbenchError(
            f"{path} holds pickled Python objects{what} besides tensors, and genbench never"
            f" unpickles weights (that can run any code). {safetensors_conversion(path)}"
        ) from error
    except Exception as error:  # torch raises several types for a damaged file
        reason = " ".join(str(error).split())
        raise GenbenchError(f"{path} is not a loadable state dict: {reason}") from error
    if not isinstance(state, dict):
        raise GenbenchError(f"{path} holds a {type(state).__name__}, not a state dict")
    return state
