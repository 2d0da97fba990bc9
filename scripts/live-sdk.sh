#!/usr/bin/env bash
# Prints the path of a Python that has Huawei Cloud's official Live SDK (huaweicloudsdklive 3.1.219)
# installed, creating its virtual environment once and reusing it afterwards. Dev-only: the
# conformance test (test/liveSdkConformance.test.ts) drives the simulator with that SDK.
#
# The venv lives in the cache, outside the repository: $MEDIALIVE_CACHE_DIR, else
# ${XDG_CACHE_HOME:-~/.cache}/pulumi-huaweicloud-medialive, then live-sdk-3.1.219/. It is built
# with `python3 -m venv` from test/conformance/requirements.txt, every package pinned and hashed
# (`pip install --require-hashes --only-binary=:all:`), in a temporary folder that is renamed into
# place only once the SDK imports, so an interrupted run never leaves a half environment behind.
# Needs python3 >= 3.11 with its venv module, and PyPI reachable the first time.
#
# Usage: scripts/live-sdk.sh
# stdout: one line, the absolute path of the venv's python. Progress goes to stderr.
set -euo pipefail

readonly LIVE_SDK_VERSION="3.1.219"
readonly MIN_PYTHON="3.11"

repo_root="$(cd "$(dirname "$0")/.." && pwd)"
requirements="$repo_root/test/conformance/requirements.txt"
cache_root="${MEDIALIVE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-huaweicloud-medialive}"
venv_dir="$cache_root/live-sdk-$LIVE_SDK_VERSION"
# A hash of the requirements file names the build: editing the pins makes a new venv.
stamp_file="$venv_dir/requirements.sha256"

log() { echo "live-sdk: $*" >&2; }

if [ $# -gt 0 ]; then
  log "takes no arguments (got '$*')"
  exit 2
fi

if ! command -v python3 >/dev/null 2>&1; then
  log "python3 is not installed: install Python >= $MIN_PYTHON with its venv module"
  exit 1
fi
# Hash with Python rather than sha256sum, which macOS lacks.
requirements_hash=$(python3 -c 'import hashlib, sys
print(hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest())' "$requirements")

published_hash() { cat "$stamp_file" 2>/dev/null || true; }

if [ -x "$venv_dir/bin/python" ] && [ "$(published_hash)" = "$requirements_hash" ]; then
  echo "$venv_dir/bin/python"
  exit 0
fi

if ! python3 -c "import sys; sys.exit(sys.version_info < (${MIN_PYTHON/./, }))"; then
  log "python3 is $(python3 --version 2>&1); the pinned wheels need Python >= $MIN_PYTHON"
  exit 1
fi

started=$SECONDS
mkdir -p "$cache_root"
# Built beside its final place (same file system) so that publishing is one rename.
work=$(mktemp -d "$cache_root/.live-sdk-$LIVE_SDK_VERSION.XXXXXX")
trap 'rm -rf "$work"' EXIT
log "creating the venv of huaweicloudsdklive $LIVE_SDK_VERSION with $(python3 --version 2>&1)" \
  "(once; 10-20 s)"
if ! python3 -m venv "$work/venv" >&2; then
  log "python3 -m venv failed: install its venv module" \
    "(Debian and Ubuntu: apt-get install python3-venv)"
  exit 1
fi
# A find-links folder from the environment or a pip.conf could offer other builds of a pinned
# version, which the hashes would refuse: only the index is asked.
PIP_FIND_LINKS="" "$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check \
  --no-input --require-hashes --only-binary=:all: -r "$requirements" >&2
"$work/venv/bin/python" -c "import huaweicloudsdkcore, huaweicloudsdklive.v1" >&2
echo "$requirements_hash" >"$work/venv/requirements.sha256"

# The venv's python finds its packages through pyvenv.cfg beside it, so the folder can move (only
# the unused activate and pip scripts keep the old path). A stale venv (other pins) is set aside
# first; if a concurrent run published first, its venv is used and this one dropped.
if [ -e "$venv_dir" ] && [ "$(published_hash)" != "$requirements_hash" ]; then
  mv "$venv_dir" "$work/stale"
fi
python3 -c 'import os, sys
try:
    os.rename(sys.argv[1], sys.argv[2])
except OSError:
    pass' "$work/venv" "$venv_dir"
if [ "$(published_hash)" != "$requirements_hash" ]; then
  log "could not publish the venv at $venv_dir"
  exit 1
fi
log "ready in $((SECONDS - started)) s:" \
  "$("$venv_dir/bin/python" --version 2>&1), huaweicloudsdklive $LIVE_SDK_VERSION"
echo "$venv_dir/bin/python"
