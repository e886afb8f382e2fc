"""A tiny genbench plugin for the harness tests: a dataset, a feature space, metrics and
models (good ones and broken ones), all small enough to benchmark in a fraction of a second.

Tests install it as a real distribution (``install_plugin`` fixture), so it is discovered
through its entry point in subprocesses (``--isolate``, torchrun) too.
"""

from __future__ import annotations

import os
import signal
import time

import genbench
import genbench.seeding

SIZE = 8
CLASSES = 4
SPLITS = {"train": 160, "test": 64}


def _image(index: int, split: str):
    """Image ``index`` of a split: a bright square whose corner is set by the label."""
    import numpy as np

    rng = np.random.default_rng([index, 0 if split == "train" else 1])
    label = index % CLASSES
    image = rng.integers(0, 60, (1, SIZE, SIZE))
    row, col = divmod(label, 2)
    top, left = row * 4 + rng.integers(0, 2), col * 4 + rng.integers(0, 2)
    image[0, top : top + 3, left : left + 3] = 200 + rng.integers(0, 55)
    return image.astype(np.uint8)


class TinySplit:
    fields = ("image", "label", "edges", "domain_a", "domain_b", "caption")

    def __init__(self, split: str) -> None:
        self.split = split

    def __len__(self) -> int:
        return SPLITS[self.split]

    def read(self, field, indices):
        import numpy as np

        indices = list(indices)
        if field == "label":
            return np.asarray([i % CLASSES for i in indices], dtype=np.int64)
        if field == "caption":
            return np.asarray([f"a square in corner {i % CLASSES}" for i in indices])
        images = (
            np.stack([_image(i, self.split) for i in indices])
            if indices
            else np.zeros((0, 1, SIZE, SIZE), np.uint8)
        )
        if field in ("edges", "domain_b"):
            return (255 - images).astype(np.uint8)
        return images


class TinyFeatures:
    """2×2 average pooling (16 features) and per-quadrant brightness (4 logits)."""

    def __call__(self, images):
        import torch

        x = images.float() / 255
        pooled = torch.nn.functional.avg_pool2d(x, 2).flatten(1)
        quadrants = torch.nn.functional.avg_pool2d(x, 4).flatten(1) * 10
        return {"features": pooled, "logits": quadrants}


def _load_features(device, resize="none", weights_path=None):
    return TinyFeatures()


class Generator:
    """Images from per-sample noise; ``kind`` picks the (mis)behaviour."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def sample(self, request):
        import torch

        noise = genbench.seeding.PerSampleNoise(request.seeds)
        n = len(request)
        if os.environ.get("TINY_SLOW") == "1":  # lets a test kill the run mid-way
            time.sleep(0.002 * n)
        base = noise.rand(1, SIZE, SIZE) * 80
        if self.kind == "crash" and os.environ.get("TINY_ALLOW_CRASH") == "1":
            os.kill(os.getpid(), signal.SIGKILL)
        if self.kind in ("sample-error", "crash"):
            raise RuntimeError("the tiny generator broke on purpose")
        if self.kind == "exit":
            raise SystemExit(0)
        if self.kind == "interrupt" and os.environ.get("TINY_ALLOW_INTERRUPT") == "1":
            raise KeyboardInterrupt
        if self.kind in ("hang", "swallow") and os.environ.get("TINY_ALLOW_HANG") == "1":
            try:
                time.sleep(3600)
            except BaseException:  # a plugin that hides the watchdog's stop
                if self.kind == "hang":
                    raise
        if self.kind == "batchy":  # the contract broken: noise per batch, from its first seed
            generator = torch.Generator().manual_seed(request.seeds[0])
            base = torch.rand(n, 1, SIZE, SIZE, generator=generator) * 80
        if self.kind == "cond":
            corner = torch.zeros(n, 1, SIZE, SIZE)
            for i, label in enumerate(request.labels):
                row, col = divmod(int(label), 2)
                corner[i, 0, row * 4 : row * 4 + 3, col * 4 : col * 4 + 3] = 160
            base = base + corner
        if self.kind == "text":
            labels = [int(prompt.rsplit(" ", 1)[-1]) for prompt in request.prompts]
            return Generator("cond").sample(genbench.SampleRequest(request.seeds, labels=labels))
        if self.kind in ("pix", "cycle"):
            base = (255 - request.inputs.float()) * 0.9 + base * 0.1
        if self.kind == "float":
            return base / 255
        if self.kind == "unit-range":
            return (base / 80).round().to(torch.uint8)  # 0..1 cast to uint8: black
        if self.kind == "nan":
            return (base * float("nan")).to(torch.uint8)
        if self.kind == "constant":
            return (
                torch.arange(SIZE * SIZE, dtype=torch.uint8)
                .reshape(1, 1, SIZE, SIZE)
                .repeat(n, 1, 1, 1)
            )
        if self.kind == "shape":
            return base[:, :, :4].to(torch.uint8)
        if self.kind == "channels":
            return base.repeat(1, 3, 1, 1).to(torch.uint8)
        return base.clamp(0, 255).to(torch.uint8)


def _loader(kind: str):
    def load(device):
        if kind == "load-error":
            raise FileNotFoundError("tiny weights are missing on purpose")
        if kind == "exit-load":
            raise SystemExit("the tiny plugin ends the program on purpose")
        return Generator(kind)

    return load


def _train(**options):
    raise NotImplementedError("the tiny models are not trained")


def _model(name: str, kind: str, task: str = "unconditional", **extra) -> genbench.ModelSpec:
    return genbench.ModelSpec(
        name=name,
        family=name.split(".")[0],
        task=task,
        dataset="tiny",
        load=_loader(kind),
        resolution=SIZE,
        channels=1,
        **extra,
    )


def _mean_distance(inputs):
    import numpy as np

    real = np.asarray(inputs.real["features"], dtype=np.float64)
    fake = np.asarray(inputs.fake["features"], dtype=np.float64)
    return {
        "tiny_mean": float(((real.mean(0) - fake.mean(0)) ** 2).sum()),
        "tiny_spread": float(fake.std(0).sum()),
    }


def _accuracy(inputs):
    import numpy as np

    return {"tiny_acc": float((np.argmax(inputs.fake["logits"], 1) == inputs.labels).mean())}


def _pixel(inputs):
    import numpy as np

    return {
        "tiny_l1": float(np.abs(inputs.images.astype(float) - inputs.targets.astype(float)).mean())
    }


def _prompt_match(inputs):
    """Share of images whose brightest quadrant is the corner their prompt asked for."""
    import numpy as np

    quadrants = inputs.images.reshape(len(inputs.images), 2, 4, 2, 4).mean((2, 4)).reshape(-1, 4)
    asked = np.asarray([int(p.rsplit(" ", 1)[-1]) for p in inputs.prompts])
    return {"tiny_prompt": float((quadrants.argmax(1) == asked).mean())}


def _nearest_train(inputs):
    import numpy as np

    fake, train = inputs.fake["features"], inputs.train["features"]
    distances = ((fake[:, None, :] - train[None, :, :]) ** 2).sum(-1)
    return {"tiny_nn": float(np.sqrt(distances.min(1)).mean())}


def _broken_metric(inputs):
    raise ValueError("this metric is broken on purpose")


@genbench.hookimpl
def genbench_register_datasets(register):
    register(
        genbench.DatasetSpec(
            name="tiny",
            tasks=(
                "unconditional",
                "class-conditional",
                "paired-translation",
                "unpaired-translation",
                "text-to-image",
            ),
            resolution=SIZE,
            channels=1,
            splits=SPLITS,
            load=TinySplit,
            default_features="tiny-pool",
            num_classes=CLASSES,
            fields=TinySplit.fields,
            n_samples=40,
        )
    )


@genbench.hookimpl
def genbench_register_feature_extractors(register):
    register(
        genbench.FeatureExtractorSpec(
            name="tiny-pool",
            outputs={"features": 16, "logits": CLASSES},
            load=_load_features,
        )
    )


@genbench.hookimpl
def genbench_register_metrics(register):
    register(
        genbench.MetricSpec(
            name="tiny-mean",
            columns=("tiny_mean", "tiny_spread"),
            compute=_mean_distance,
            consumes=("features",),
        )
    )
    register(
        genbench.MetricSpec(
            name="tiny-acc",
            columns=("tiny_acc",),
            compute=_accuracy,
            consumes=("logits", "labels"),
            tasks=("class-conditional",),
            higher_is_better=True,
        )
    )
    register(
        genbench.MetricSpec(
            name="tiny-pixel",
            columns=("tiny_l1",),
            compute=_pixel,
            consumes=("images", "targets"),
            tasks=("paired-translation", "unpaired-translation"),
        )
    )
    register(
        genbench.MetricSpec(
            name="tiny-prompt",
            columns=("tiny_prompt",),
            compute=_prompt_match,
            consumes=("images", "prompts"),
            tasks=("text-to-image",),
            higher_is_better=True,
        )
    )
    register(
        genbench.MetricSpec(
            name="tiny-nn",
            columns=("tiny_nn",),
            compute=_nearest_train,
            consumes=("train_features",),
        )
    )
    register(
        genbench.MetricSpec(
            name="tiny-broken",
            columns=("tiny_broken",),
            compute=_broken_metric,
            consumes=("features",),
        )
    )


@genbench.hookimpl
def genbench_register_models(register):
    register(
        _model(
            "tiny.good",
            "good",
            info={"nfe": 1},
            paper="https://example.org/tiny",
            license="MIT",
            description="noise with a square",
            train=_train,
            recipe={"steps": 3, "lr": 0.001},
        )
    )
    register(_model("tiny.cond", "cond", task="class-conditional", num_classes=CLASSES))
    register(_model("tiny.pix", "pix", task="paired-translation", inputs="edges"))
    register(
        _model("tiny.cycle", "cycle", "unpaired-translation", inputs="domain_a", targets="domain_b")
    )
    register(_model("tiny.text", "text", task="text-to-image"))
    for kind in (
        "load-error",
        "sample-error",
        "float",
        "unit-range",
        "nan",
        "constant",
        "shape",
        "channels",
    ):
        register(_model(f"broken.{kind}", kind))
    register(_model("crash.kill", "crash"))
    # Faults of issue #20: ending or hanging the run, and breaking the seed contract.
    register(_model("exit.load", "exit-load"))
    register(_model("exit.sample", "exit"))
    register(_model("hang.sample", "hang"))
    register(_model("hang.swallowed", "swallow"))
    register(_model("user.interrupt", "interrupt"))
    register(_model("batchy.noise", "batchy"))
