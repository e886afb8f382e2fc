"""The style-based generator's parts, against what the paper and the lecture write."""

from __future__ import annotations

import pytest
import torch
from genbench_stylegan.model import W_AVERAGE_DECAY, Generator, adain

torch.set_num_threads(1)

TINY = {
    "latent_dim": 8,
    "w_dim": 8,
    "mapping_depth": 2,
    "widths": {"4": 8, "8": 4},
    "channels": 3,
    "resolution": 8,
}


def tiny(**settings: float) -> Generator:
    torch.manual_seed(0)
    return Generator(**TINY, **settings)


def test_adain_gives_each_feature_map_the_styles_mean_and_deviation() -> None:
    x = torch.randn(2, 3, 5, 5) * 7 + 3
    scale, bias = torch.tensor([[2.0, 0.5, 1.0], [1.0, 3.0, 0.1]]), torch.randn(2, 3)
    out = adain(x, scale, bias)
    assert torch.allclose(out.mean(dim=(2, 3)), bias, atol=1e-5)
    assert torch.allclose(out.std(dim=(2, 3), unbiased=False), scale, atol=1e-4)


def test_truncation_pulls_every_layers_w_towards_the_tracked_mean() -> None:
    generator = tiny().train()
    z = torch.randn(64, 8)
    generator.mixing = 0.0
    for _ in range(50):
        generator.styles(z)  # training tracks w̄: a running mean from 0
    w = generator.mapping(z).detach()
    assert torch.allclose(generator.w_average, (1 - W_AVERAGE_DECAY**50) * w.mean(0), atol=1e-6)
    generator.eval()
    untruncated = generator.styles(z)
    for psi in (0.0, 0.5):
        generator.psi = psi
        expected = generator.w_average + psi * (untruncated - generator.w_average)
        assert torch.allclose(generator.styles(z), expected, atol=1e-6)
    generator.psi = 0.0  # every sample gets the mean w: only the noise tells them apart
    assert torch.equal(generator.styles(z), generator.w_average.expand(64, 4, 8))


def test_style_mixing_switches_to_a_second_w_after_one_crossover() -> None:
    generator = tiny(mixing=1.0).train()
    torch.manual_seed(3)
    ws = generator.styles(torch.randn(5, 8))
    switches = [i for i in range(1, 4) if not torch.equal(ws[:, i], ws[:, i - 1])]
    assert len(switches) == 1
    generator.mixing = 0.0
    ws = generator.styles(torch.randn(5, 8))
    assert all(torch.equal(ws[:, i], ws[:, 0]) for i in range(4))


def test_noise_enters_through_learned_per_channel_scales() -> None:
    generator = tiny().eval()
    z = torch.randn(2, 8)
    noise = generator.draw_noise(2, z.device)
    other = generator.draw_noise(2, z.device)
    assert [tuple(n.shape[1:]) for n in noise] == [(1, 4, 4), (1, 4, 4), (1, 8, 8), (1, 8, 8)]
    # B starts at zero, as in the paper's code: the noise has no effect until it is learned
    assert torch.equal(generator(z, noise), generator(z, other))
    with torch.no_grad():
        generator.synthesis.layers[2].noise_strength[1] = 0.5
    assert not torch.equal(generator(z, noise), generator(z, other))


def test_the_mapping_network_learns_a_hundred_times_slower() -> None:
    generator = tiny()
    assert all(layer.lr_multiplier == 0.01 for layer in generator.mapping.layers)
    assert all(layer.style_scale.lr_multiplier == 1.0 for layer in generator.synthesis.layers)


@pytest.mark.parametrize("psi", [1.0, 0.5])
def test_sampling_draws_z_and_noise_from_each_samples_stream(psi: float) -> None:
    from genbench_gankit.sampling import GANSampler

    from genbench import SampleRequest

    generator = tiny(psi=psi)
    with torch.no_grad():
        for layer in generator.synthesis.layers:
            layer.noise_strength.fill_(0.3)
    sampler = GANSampler(generator, 8, None)
    batch = sampler.sample(SampleRequest(seeds=[1, 2, 3]))
    assert torch.equal(sampler.sample(SampleRequest(seeds=[3]))[0], batch[2])
