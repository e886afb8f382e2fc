"""pix2pix: the generator contract, losses that fall on a fixed batch, the PatchGAN the
model card states, and shipped weights that reproduce their pinned outputs."""

from __future__ import annotations

import pytest
import torch
from genbench_gankit.patchgan import PatchDiscriminator
from genbench_gankit.translation_checks import losses_on_a_fixed_batch, sample_digest
from genbench_pix2pix.recipe import FIELDS, RECIPE
from genbench_pix2pix.train import Pix2pixTrainer

import genbench
from genbench.testing import assert_model_conforms

torch.set_num_threads(1)

# sha256 of genbench_gankit.translation_checks.sample_digest, pinned at release
PINNED_SAMPLES = {
    "pix2pix.shapes-edges": "dd738c86fa0e588f1dc9da28f3f75df3a2915ab9e8fb62a277b3d9707078305b",
    "pix2pix.shapes-gray": "7916a3de35638cd4f4f2e8b9eb130b18043b90feb178d4f9fd06c001f7415a44",
    "pix2pix.shapes-semantic": "72f0ee5737f82e529db6d7ffb3d70e4cb59e4331b51d8c15abbd7e0c4f2aa980",
}


@pytest.mark.parametrize("name", FIELDS)
def test_model_conforms(name: str) -> None:
    assert_model_conforms(name)


@pytest.mark.slow  # ~3 CPU-s: 8 steps of a 1.8 M U-Net and its PatchGAN
def test_training_steps_lower_the_losses_on_a_fixed_batch() -> None:
    torch.manual_seed(0)
    losses = losses_on_a_fixed_batch(Pix2pixTrainer("pix2pix.shapes-semantic", RECIPE, "cpu"))
    for key in ("d_loss", "g_l1"):
        assert losses[-1][key] < losses[0][key], key


def test_the_patchgan_judges_16_pixel_patches_of_the_32_pixel_images() -> None:
    for fields in FIELDS.values():
        channels = fields.network_channels + 3  # the input and the image, stacked
        layers = RECIPE.patch_layers
        assert PatchDiscriminator(channels, 8, layers).receptive_field == 16


def test_dropout_at_sampling_makes_the_seed_matter() -> None:
    spec = genbench.get_registry().models.get("pix2pix.shapes-semantic")
    data = genbench.get_registry().datasets.get("shapes").load("test")
    inputs = torch.from_numpy(data.read("semantic", [0, 0]))
    images = spec.load("cpu").sample(genbench.SampleRequest(seeds=[1, 2], inputs=inputs))
    assert not torch.equal(images[0], images[1])


@pytest.mark.parametrize("name", FIELDS)
def test_shipped_weights_reproduce_the_pinned_samples(name: str) -> None:
    assert sample_digest(name) == PINNED_SAMPLES[name]


def test_keep_luma_gives_the_output_the_inputs_luma() -> None:
    from genbench_pix2pix.model import LUMA, UNetGenerator

    torch.manual_seed(0)
    network = UNetGenerator(in_channels=1, out_channels=3, keep_luma=True)
    grey = torch.rand(2, 1, 32, 32) * 2 - 1
    out = network(grey)
    luma = sum(weight * out[:, c : c + 1] for c, weight in enumerate(LUMA))
    torch.testing.assert_close(luma, grey)
    assert out.std(dim=1).mean() > 0.01  # colour is still the network's: channels differ
    with pytest.raises(ValueError, match="1 → 3"):
        UNetGenerator(in_channels=10, out_channels=3, keep_luma=True)
