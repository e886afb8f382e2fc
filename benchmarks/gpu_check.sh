#!/usr/bin/env bash
# Every check that needs a GPU, in one go (a machine with CUDA and PyTorch, no network):
#
#     bash benchmarks/gpu_check.sh
#
# Installs genbench and the plugins (editable, no dependencies; wheels found in .whl/ first),
# then: tests/test_gpu.py; `genbench run --models all` on cuda in fp32 at batch sizes 64 and
# 256 and in bf16, compared with each other and with the published CPU leaderboards; feature
# extraction throughput; the k-NN metrics on the GPU; DDPM sampling by batch and micro-batch
# size, with one profiled batch. Prints everything; exits 1 if a step failed.
set -uo pipefail
cd "$(dirname "$0")/.."
py=${PYTHON:-python3}
runs=$(mktemp -d)
status=0
step() {
    echo "== $*"
    local start=$SECONDS
    "$@" || { echo "== FAILED: $*"; status=1; }
    echo "== $((SECONDS - start)) s"
}
if [ -d .whl ]; then
    "$py" -m pip install -q --no-index --no-deps --no-compile .whl/*.whl || exit 1
fi
editable=(-e .)
for plugin in plugins/*/; do editable+=(-e "$plugin"); done
"$py" -m pip install -q --no-index --no-deps --no-build-isolation "${editable[@]}" || exit 1
nvidia-smi -L
"$py" -c "import torch; print('torch', torch.__version__, 'cuda', torch.version.cuda)"
step "$py" -m pytest -q -p no:cacheprovider tests/test_gpu.py
for setting in "fp32 64" "fp32 256" "bf16 64"; do
    set -- $setting
    step genbench run --models all --device cuda --precision "$1" --batch-size "$2" \
        --no-progress --out "$runs/$1-b$2"
done
step "$py" benchmarks/compare_runs.py --published leaderboards \
    "fp32-b64=$runs/fp32-b64" "fp32-b256=$runs/fp32-b256" "bf16-b64=$runs/bf16-b64"
step "$py" benchmarks/bench_score.py --extract-only --device cuda --images 10000
step "$py" benchmarks/bench_gpu_metrics.py --large
step "$py" benchmarks/bench_sampling.py --model ddpm.digits-ddim50 --device cuda \
    --batch-sizes 64,256 --micro-batch 64,256
exit $status
