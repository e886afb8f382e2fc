"""Planning: defaults by task, applicability, and every problem reported up front."""

from __future__ import annotations

import pytest

import genbench
from genbench.bench.config import RunConfig
from genbench.bench.plan import default_metrics, inapplicable, make_plan
from genbench.registry import PluginRecord, Registry


def _metric(
    name: str, consumes: tuple[str, ...] = ("features",), **extra: object
) -> genbench.MetricSpec:
    return genbench.MetricSpec(
        name=name, columns=(name.replace("-", "_"),), compute=dict, consumes=consumes, **extra
    )


def _model(
    name: str, task: str = "unconditional", dataset: str = "toy", **extra: object
) -> genbench.ModelSpec:
    return genbench.ModelSpec(
        name=name,
        family=name.split(".")[0],
        task=task,
        dataset=dataset,
        load=lambda device: None,
        resolution=8,
        channels=1,
        **extra,
    )


@pytest.fixture
def registry() -> Registry:
    registry = Registry()
    record = PluginRecord("test", "1.0", "test")
    registry.add(
        "dataset",
        genbench.DatasetSpec(
            name="toy",
            tasks=("unconditional", "class-conditional", "paired-translation"),
            resolution=8,
            channels=1,
            splits={"train": 10, "test": 5},
            load=lambda split: None,
            default_features="toy-net",
            num_classes=3,
            fields=("image", "label", "edges"),
        ),
        record,
    )
    registry.add(
        "dataset",
        genbench.DatasetSpec(
            name="other",
            tasks=("unconditional",),
            resolution=8,
            channels=1,
            splits={"train": 10},
            load=lambda split: None,
            default_features="missing-net",
        ),
        record,
    )
    registry.add(
        "feature_extractor",
        genbench.FeatureExtractorSpec(
            name="toy-net", outputs={"features": 4, "logits": 3}, load=lambda device: None
        ),
        record,
    )
    registry.add(
        "feature_extractor",
        genbench.FeatureExtractorSpec(
            name="plain-net", outputs={"features": 4}, load=lambda device: None
        ),
        record,
    )
    for metric in (
        _metric("fid"),
        _metric("kid"),
        _metric("prdc"),
        _metric("is", ("logits",)),
        _metric(
            "accuracy", ("logits", "labels"), tasks=("class-conditional",), higher_is_better=True
        ),
        _metric("memorization", ("train_features",)),
        _metric("lpips", ("images", "targets"), tasks=("paired-translation",)),
        _metric("psnr", ("images", "targets"), tasks=("paired-translation",)),
    ):
        registry.add("metric", metric, record)
    registry.add("model", _model("gan.toy"), record)
    registry.add("model", _model("cgan.toy", "class-conditional", num_classes=3), record)
    registry.add("model", _model("pix.toy", "paired-translation", inputs="edges"), record)
    registry.add("model", _model("gan.other", dataset="other"), record)
    return registry


def _names(metrics: tuple[genbench.MetricSpec, ...]) -> list[str]:
    return [m.name for m in metrics]


def test_defaults_follow_the_task_and_what_is_registered(registry: Registry) -> None:
    net, plain = (
        registry.feature_extractors.get("toy-net"),
        registry.feature_extractors.get("plain-net"),
    )
    assert _names(default_metrics("unconditional", net, registry)) == [
        "fid",
        "kid",
        "prdc",
        "is",
        "memorization",
    ]
    assert _names(default_metrics("unconditional", plain, registry)) == [
        "fid",
        "kid",
        "prdc",
        "memorization",
    ]
    conditional = _names(default_metrics("class-conditional", net, registry))
    assert "accuracy" in conditional and "is" in conditional
    assert _names(default_metrics("paired-translation", net, registry)) == ["fid", "psnr", "lpips"]


def test_inapplicable_says_why(registry: Registry) -> None:
    plain = registry.feature_extractors.get("plain-net")
    accuracy = registry.metrics.get("accuracy")
    assert "applies to class-conditional" in str(inapplicable(accuracy, "unconditional", plain))
    assert "does not output" in str(
        inapplicable(registry.metrics.get("is"), "unconditional", plain)
    )
    assert inapplicable(registry.metrics.get("fid"), "text-to-image", plain) is None


def test_plan_groups_by_reference_and_skips_models_whose_defaults_are_missing(
    registry: Registry,
) -> None:
    plan = make_plan(RunConfig(), registry)
    assert [j.model.name for j in plan.jobs] == ["cgan.toy", "pix.toy", "gan.toy"]
    assert {j.group.key for j in plan.jobs} == {("toy", "image", "toy-net", "none")}
    assert [skip.model for skip in plan.skips] == ["gan.other"]
    assert "'missing-net'" in plan.skips[0].reason
    assert plan.jobs[0].n_samples == 1000 and plan.jobs[0].task == "class-conditional"
    text = plan.describe(RunConfig(), "cpu")
    assert "toy · reference train[image]" in text and "gan.toy" in text


def test_configuration_ids_ignore_how_the_work_is_done(registry: Registry) -> None:
    ids = {j.model.name: j.config_id for j in make_plan(RunConfig(), registry).jobs}
    other = make_plan(RunConfig(batch_size=3, device="cuda", out="x", isolate=True), registry)
    assert {j.model.name: j.config_id for j in other.jobs} == ids
    seeded = make_plan(RunConfig(seeds=(1,)), registry)
    assert all(j.config_id != ids[j.model.name] for j in seeded.jobs)


def test_every_problem_is_reported_at_once(registry: Registry) -> None:
    config = RunConfig(models="gan.toy,nothing.*", metrics="fid,nope", features="bad-net")
    with pytest.raises(genbench.GenbenchError) as caught:
        make_plan(config, registry)
    message = str(caught.value)
    assert "no model matches 'nothing.*'" in message and "Available models: cgan.toy" in message
    assert "no metric matches 'nope'" in message
    assert "no feature-extractor matches 'bad-net'" in message


def test_requested_metrics_that_fit_no_model_are_an_error(registry: Registry) -> None:
    with pytest.raises(genbench.GenbenchError, match="metric 'accuracy' applies to none"):
        make_plan(RunConfig(models="gan.toy", metrics="accuracy"), registry)
    plan = make_plan(RunConfig(models="gan.toy,cgan.toy", metrics="fid,accuracy"), registry)
    assert [_names(j.metrics) for j in plan.jobs] == [["fid", "accuracy"], ["fid"]]
    assert any("accuracy not computed for unconditional models" in n for n in plan.notes)


def test_bad_options_and_mismatched_datasets(registry: Registry) -> None:
    with pytest.raises(genbench.GenbenchError) as caught:
        make_plan(
            RunConfig(models="gan.toy", precision="fp8", batch_size=0, resize="bicubic"), registry
        )
    message = str(caught.value)
    assert (
        "--precision 'fp8'" in message
        and "--batch-size" in message
        and "--resize 'bicubic'" in message
    )
    registry.add(
        "model",
        genbench.ModelSpec(
            name="big.toy",
            family="big",
            task="unconditional",
            dataset="toy",
            load=lambda d: None,
            resolution=32,
            channels=3,
        ),
        PluginRecord("p", "1", "p"),
    )
    with pytest.raises(genbench.GenbenchError, match="makes 3×32² images"):
        make_plan(RunConfig(models="big.toy"), registry)
    registry.add(
        "model",
        _model("five.toy", task="class-conditional", num_classes=5),
        PluginRecord("p", "1", "p"),
    )
    with pytest.raises(genbench.GenbenchError, match="draws 5 classes but dataset 'toy' has 3"):
        make_plan(RunConfig(models="five.toy"), registry)


def test_metric_columns_may_not_shadow_metadata(registry: Registry) -> None:
    clash = genbench.MetricSpec(name="bad", columns=("seed",), compute=dict, consumes=("features",))
    registry.add("metric", clash, PluginRecord("p", "1", "p"))
    with pytest.raises(genbench.GenbenchError, match="names column\\(s\\) seed"):
        make_plan(RunConfig(models="gan.toy", metrics="bad"), registry)


def test_text_to_image_defaults_add_the_prompt_metric(registry: Registry) -> None:
    prompt = _metric("prompt-score", ("images", "prompts"), tasks=("text-to-image",))
    registry.add("metric", prompt, PluginRecord("p", "1", "p"))
    net = registry.feature_extractors.get("toy-net")
    assert _names(default_metrics("text-to-image", net, registry)) == ["fid", "prompt-score"]
    anywhere = _metric("prompt-any", ("images", "prompts"))
    assert "needs prompts" in str(inapplicable(anywhere, "unconditional", net))


def test_models_skipped_for_one_reason_share_a_note(registry: Registry) -> None:
    registry.add("model", _model("wgan.other", dataset="other"), PluginRecord("p", "1", "p"))
    plan = make_plan(RunConfig(), registry)
    assert [skip.model for skip in plan.skips] == ["gan.other", "wgan.other"]
    shared = [note for note in plan.notes if "'missing-net'" in note]
    assert len(shared) == 1 and shared[0].startswith("skipped gan.other, wgan.other: ")
