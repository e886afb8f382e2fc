#!/usr/bin/env bash
# Sets up .venv: torch, genbench and every plugin under plugins/ (editable); --test adds the
# test extras (pytest and the reference implementations the agreement tests compare with).
# GENBENCH_TORCH overrides the torch requirement, e.g. GENBENCH_TORCH="torch torchvision".
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$python" -m venv .venv
# shellcheck disable=SC1091
. .venv/bin/activate
# torch first and alone, so that no other package's range pulls a different build.
# shellcheck disable=SC2086
pip install --quiet ${GENBENCH_TORCH:-torch==2.14.1 torchvision==0.29.1}
extras=""
[ "${1:-}" = "--test" ] && extras="[test]"
# The browser test (tests/test_site_browser.py) drives Debian's chromium through its
# chromedriver; installed here when missing and allowed (root with apt-get, as in CI).
if [ -n "$extras" ] && ! { command -v chromium && command -v chromedriver; } >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        export DEBIAN_FRONTEND=noninteractive
        { apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null; } ||
            echo "warning: apt-get could not install chromium chromium-driver" >&2
    else
        echo "note: install chromium and chromium-driver (Debian) for the browser test" >&2
    fi
fi
plugins=()
for plugin in plugins/*/; do
    [ -f "$plugin/pyproject.toml" ] && plugins+=(-e "$plugin")
done
pip install --quiet -e ".$extras" "${plugins[@]}"
genbench plugins
