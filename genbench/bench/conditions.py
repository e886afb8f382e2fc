"""The condition of every sample, by its index in the run (never by batch or process).

- unconditional: nothing;
- class-conditional: balanced labels, sample i gets label ``i % num_classes``;
- paired and unpaired translation: the held-out split's ``model.inputs`` field of image
  ``i % len(split)`` is the input; its ``model.targets`` field is the ground truth the output
  is compared with (for unpaired data it stays hidden from the model);
- text-to-image: prompt ``i % len(prompts)`` from ``--prompts FILE`` or the held-out
  split's ``caption`` field.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from genbench.bench.plan import TRANSLATION, Job
from genbench.errors import GenbenchError
from genbench.seeding import sample_seeds
from genbench.spec import SampleRequest

if TYPE_CHECKING:
    import numpy as np


class Conditions:
    """Builds the ``SampleRequest`` of any set of sample indices of one job."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.model = job.model
        self._split: Any = None
        self._prompts: list[str] | None = None

    @property
    def heldout(self) -> Any:
        """The held-out split, opened on first use (translation and captions only)."""
        if self._split is None:
            dataset = self.job.group.dataset
            self._split = dataset.load(dataset.heldout_split)
            if len(self._split) == 0:
                raise GenbenchError(
                    f"dataset {dataset.name!r}: split {dataset.heldout_split!r} is empty"
                )
        return self._split

    def _rows(self, indices: Sequence[int]) -> list[int]:
        size = len(self.heldout)
        return [i % size for i in indices]

    def prompts(self) -> list[str]:
        if self._prompts is None:
            if self.job.prompts:
                path = Path(self.job.prompts)
                try:
                    lines = path.read_text(encoding="utf-8").splitlines()
                except OSError as error:
                    raise GenbenchError(f"cannot read prompts file {path}: {error}") from error
                self._prompts = [line.strip() for line in lines if line.strip()]
            else:
                rows = range(len(self.heldout))
                self._prompts = [str(p) for p in self.heldout.read("caption", rows)]
            if not self._prompts:
                raise GenbenchError(f"no prompts for model {self.model.name!r}: the list is empty")
        return self._prompts

    def request(self, indices: Sequence[int]) -> SampleRequest:
        """Seeds, indices and the task's condition of the given samples."""
        import torch

        indices = [int(i) for i in indices]
        seeds = sample_seeds(self.job.seed, indices)
        task = self.model.task
        if task == "class-conditional":
            assert self.model.num_classes is not None  # checked by ModelSpec
            labels = [i % self.model.num_classes for i in indices]
            return SampleRequest(seeds=seeds, indices=indices, labels=labels)
        if task in TRANSLATION:
            assert self.model.inputs is not None  # checked by ModelSpec
            inputs = self.heldout.read(self.model.inputs, self._rows(indices))
            return SampleRequest(seeds=seeds, indices=indices, inputs=torch.from_numpy(inputs))
        if task == "text-to-image":
            return SampleRequest(seeds=seeds, indices=indices, prompts=self.prompts_of(indices))
        return SampleRequest(seeds=seeds, indices=indices)

    def labels(self, indices: Sequence[int]) -> np.ndarray | None:
        """The labels requested of class-conditional samples, or the labels of translation
        samples' ground truth when the dataset has them (None otherwise)."""
        import numpy as np

        if self.model.task in TRANSLATION and "label" in self.heldout.fields:
            return self.heldout.read("label", self._rows(indices))
        if self.model.task != "class-conditional":
            return None
        assert self.model.num_classes is not None
        return np.asarray(indices, dtype=np.int64) % self.model.num_classes

    def prompts_of(self, indices: Sequence[int]) -> list[str] | None:
        """The prompt of each text-to-image sample (None for other tasks)."""
        if self.model.task != "text-to-image":
            return None
        prompts = self.prompts()
        return [prompts[i % len(prompts)] for i in indices]

    def targets(self, indices: Sequence[int]) -> np.ndarray | None:
        """The ground truth of translation samples (None for other tasks)."""
        if self.model.task not in TRANSLATION:
            return None
        return self.heldout.read(self.model.targets, self._rows(indices))
