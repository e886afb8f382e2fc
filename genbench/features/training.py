"""Training the embedded feature nets: deterministic on CPU, one seed, one file and a card.

``genbench features train digits-cnn --seed 0`` reproduces the shipped weights bit for bit
on the same torch version (training runs on one thread: conv backward sums in a
thread-dependent order). The card beside the weights records the command, the seed and the
test accuracy measured on the dataset's held-out split.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from genbench.errors import GenbenchError
from genbench.threads import one_cpu_thread


@dataclass(frozen=True)
class Recipe:
    """How one embedded net is trained."""

    dataset: str
    epochs: int
    batch_size: int = 64
    lr: float = 1e-3
    shift: int = 2  # random translation by up to this many pixels (zero padding)
    width: int = 32
    features: int = 128
    convs: tuple[int, ...] = (2, 2)
    batch_norm: bool = False


# shapes-cnn: the first recipe (digits-cnn's net, 32 channels at full resolution, no
# normalisation, 6 epochs) underfit at 93% train and test accuracy, mixing up the main
# shape with a same-coloured second object behind it, and cost 7 minutes an epoch. Batch
# norm, one conv at full resolution and a third stage (receptive field over the whole
# object pair) learn it in a few epochs at a fifth of the cost.
RECIPES = {
    "digits-cnn": Recipe(dataset="digits", epochs=40),
    "shapes-cnn": Recipe(
        dataset="shapes",
        epochs=8,
        batch_size=128,
        lr=3e-3,
        shift=2,
        width=16,
        convs=(1, 2, 2),
        batch_norm=True,
    ),
}


@dataclass(frozen=True)
class TrainResult:
    path: Path
    card_path: Path
    card: dict[str, Any]


def _split_tensors(dataset: str, split: str) -> tuple[Any, Any]:
    import torch

    from genbench.plugins import get_registry

    data = get_registry().datasets.get(dataset).load(split)
    indices = list(range(len(data)))
    images = torch.from_numpy(data.read("image", indices)).float() / 255.0
    labels = torch.from_numpy(data.read("label", indices)).long()
    return images, labels


def _shifted(images: Any, shift: int, generator: Any) -> Any:
    """Each image translated by its own random offset in [-shift, shift]² (zero fill)."""
    import torch
    import torch.nn.functional as F

    n, _, h, w = images.shape
    padded = F.pad(images, (shift, shift, shift, shift))
    offsets = torch.randint(0, 2 * shift + 1, (n, 2), generator=generator)
    rows = offsets[:, 0, None] + torch.arange(h)  # (n, h)
    cols = offsets[:, 1, None] + torch.arange(w)
    batch = torch.arange(n)[:, None, None]
    # gather (n, C, h, w) windows: index rows then columns per image
    picked = padded.permute(0, 2, 3, 1)[batch, rows[:, :, None], cols[:, None, :]]
    return picked.permute(0, 3, 1, 2).contiguous()


def accuracy(net: Any, images: Any, labels: Any, batch_size: int = 512) -> float:
    import torch

    correct = 0
    with torch.inference_mode():
        for start in range(0, len(images), batch_size):
            logits = net(images[start : start + batch_size])["logits"]
            correct += int((logits.argmax(1) == labels[start : start + batch_size]).sum())
    return correct / len(images)


def train_embedded(
    name: str,
    *,
    seed: int = 0,
    out: Path,
    epochs: int | None = None,
    log: Callable[[str], None] | None = None,
) -> TrainResult:
    """Train ``name`` (a key of ``RECIPES``), write ``out/<name>.safetensors`` and its card.

    ``log`` receives one line per epoch (mean loss, running train accuracy): a long CPU
    run shows its progress.
    """
    import torch

    from genbench.features.embedded import Classifier, ClassifierConfig, config_dict
    from genbench.plugins import get_registry
    from genbench.train.checkpoint import save_checkpoint

    if name not in RECIPES:
        raise GenbenchError(f"no training recipe for {name!r}; trainable: {', '.join(RECIPES)}")
    recipe = RECIPES[name]
    epochs = recipe.epochs if epochs is None else epochs
    spec = get_registry().datasets.get(recipe.dataset)
    train_x, train_y = _split_tensors(recipe.dataset, spec.reference_split)
    test_x, test_y = _split_tensors(recipe.dataset, spec.heldout_split)
    config = ClassifierConfig(
        channels=int(train_x.shape[1]),
        resolution=int(train_x.shape[-1]),
        num_classes=int(spec.num_classes or int(train_y.max()) + 1),
        width=recipe.width,
        features=recipe.features,
        convs=recipe.convs,
        batch_norm=recipe.batch_norm,
    )

    started = time.perf_counter()
    with one_cpu_thread():
        torch.manual_seed(seed)
        generator = torch.Generator().manual_seed(seed)
        net = Classifier(config)
        optimizer = torch.optim.Adam(net.parameters(), lr=recipe.lr)
        steps_per_epoch = -(-len(train_x) // recipe.batch_size)
        schedule = torch.optim.lr_scheduler.OneCycleLR(
            optimizer, max_lr=recipe.lr, total_steps=epochs * steps_per_epoch
        )
        for epoch in range(epochs):
            net.train()
            order = torch.randperm(len(train_x), generator=generator)
            loss_sum, hits = 0.0, 0
            for start in range(0, len(order), recipe.batch_size):
                idx = order[start : start + recipe.batch_size]
                batch = _shifted(train_x[idx], recipe.shift, generator)
                logits = net(batch)["logits"]
                loss = torch.nn.functional.cross_entropy(logits, train_y[idx])
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                optimizer.step()
                schedule.step()
                loss_sum += loss.item() * len(idx)
                hits += int((logits.argmax(1) == train_y[idx]).sum())
            if log is not None:
                log(
                    f"epoch {epoch + 1}/{epochs}: loss {loss_sum / len(order):.4f}, train"
                    f" accuracy {hits / len(order):.4f}, {time.perf_counter() - started:.0f} s"
                )
        net.eval()
        test_accuracy = accuracy(net, test_x, test_y)
        train_accuracy = accuracy(net, train_x, train_y)

    out = Path(out)
    path = out / f"{name}.safetensors"
    card: dict[str, Any] = {
        "name": name,
        "command": f"genbench features train {name} --seed {seed} --epochs {epochs}",
        "seed": seed,
        "dataset": recipe.dataset,
        "train_split": spec.reference_split,
        "test_split": spec.heldout_split,
        "test_accuracy": round(test_accuracy, 6),
        "train_accuracy": round(train_accuracy, 6),
        "n_train": len(train_x),
        "n_test": len(test_x),
        "recipe": {**asdict(recipe), "epochs": epochs},
        "architecture": config_dict(config),
        "torch": torch.__version__,
        "threads": 1,
        "train_seconds": round(time.perf_counter() - started, 1),
    }
    card["sha256"] = save_checkpoint(path, net.state_dict(), {"architecture": config_dict(config)})
    card_path = out / f"{name}.json"
    card_path.write_text(json.dumps(card, indent=2) + "\n")
    return TrainResult(path=path, card_path=card_path, card=card)
