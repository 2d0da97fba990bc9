#!/usr/bin/env bash
# Prepares what the Python and Go examples (examples/python, examples/go) need to run, once, and
# prints where it is. test/languageExamples.test.ts runs both through the real Pulumi CLI; `npm test`
# runs this script first, so the test run itself downloads nothing.
#
#   python  a venv with Pulumi's Python SDK (examples/python/requirements.txt: pulumi 3.272.0 and
#           everything it installs, pinned and hashed, `pip install --require-hashes
#           --only-binary=:all:`) and the generated SDK, built from a copy of sdk/python (a build in
#           place would leave build/ and *.egg-info in sdk/, which the sdkgen test compares).
#   go      examples/go compiled against the generated sdk/go (a replace in its go.mod) and
#           github.com/pulumi/pulumi/sdk/v3 v3.274.1; the build fills the Go module cache from
#           the module proxy when the modules are missing there (go.sum pins them).
#
# Both live in the cache, outside the repository: $MEDIALIVE_CACHE_DIR, else
# ${XDG_CACHE_HOME:-~/.cache}/pulumi-huaweicloud-medialive, then example-python/ and example-go/.
# Each carries a stamp, a hash of every file it was made from (requirements, the SDK, the Go
# sources and the interpreter's or toolchain's version), and is remade when that changes, e.g.
# after npm run sdkgen (the venv then only gets the new SDK). Each is built in a temporary folder renamed into place once it works, so an
# interrupted run never leaves a half environment behind. Needs python3 >= 3.11 with its venv
# module, Go >= 1.26.6, and PyPI and the Go module proxy reachable the first time.
#
# Usage: scripts/example-runtimes.sh
# stdout: two lines, `python <the venv's python>` and `go <the compiled example>`. Progress goes to
# stderr.
set -euo pipefail

readonly MIN_PYTHON="3.11"
readonly MIN_GO="1.26.6"

repo_root="$(cd "$(dirname "$0")/.." && pwd)"
cache_root="${MEDIALIVE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-huaweicloud-medialive}"
python_dir="$cache_root/example-python"
go_dir="$cache_root/example-go"
go_binary="$go_dir/medialive-go"

log() { echo "example-runtimes: $*" >&2; }

if [ $# -gt 0 ]; then
  log "takes no arguments (got '$*')"
  exit 2
fi
for tool in python3 go; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    log "$tool is not installed: install Python >= $MIN_PYTHON (with its venv module) and Go >= $MIN_GO"
    exit 1
  fi
done

# fingerprint LABEL PATH...: a sha256 over LABEL and every file below the PATHs (relative name and
# content, sorted), without caches a build or an import may leave there. Python rather than
# sha256sum, which macOS lacks.
fingerprint() {
  python3 - "$repo_root" "$@" <<'PYTHON'
import hashlib, os, sys
root, label, paths = sys.argv[1], sys.argv[2], sys.argv[3:]
digest = hashlib.sha256(label.encode() + b"\0")
files = []
for path in paths:
    full = os.path.join(root, path)
    if os.path.isfile(full):
        files.append(path)
        continue
    for folder, subfolders, names in os.walk(full):
        subfolders[:] = [d for d in subfolders if d not in ("__pycache__", "build") and not d.endswith(".egg-info")]
        files += [os.path.relpath(os.path.join(folder, name), root) for name in names]
for path in sorted(files):
    digest.update(path.encode() + b"\0")
    with open(os.path.join(root, path), "rb") as file:
        digest.update(file.read() + b"\0")
print(digest.hexdigest())
PYTHON
}

stamp_of() { cat "$1/sources.sha256" 2>/dev/null || true; }

# publish BUILT FINAL HASH: renames BUILT to FINAL unless a concurrent run published the same build
# first; a stale FINAL (other sources) is set aside into the build's folder, which the caller removes.
publish() {
  local built=$1 final=$2 hash=$3
  if [ -e "$final" ] && [ "$(stamp_of "$final")" != "$hash" ]; then
    mv "$final" "$(dirname "$built")/stale"
  fi
  python3 -c 'import os, sys
try:
    os.rename(sys.argv[1], sys.argv[2])
except OSError:
    pass' "$built" "$final"
  if [ "$(stamp_of "$final")" != "$hash" ]; then
    log "could not publish $final"
    exit 1
  fi
}

mkdir -p "$cache_root"
work=$(mktemp -d "$cache_root/.example-runtimes.XXXXXX")
trap 'rm -rf "$work"' EXIT

# --- Python -------------------------------------------------------------------------------------
# The stamp holds two hashes: the pins (with the interpreter's version) and the generated SDK. When
# only the SDK changed (npm run sdkgen), a copy of the venv gets the new SDK: no PyPI, seconds.
requirements_hash=$(fingerprint "python $(python3 --version 2>&1)" examples/python/requirements.txt)
python_hash="$requirements_hash $(fingerprint sdk sdk/python)"
if [ ! -x "$python_dir/bin/python" ] || [ "$(stamp_of "$python_dir")" != "$python_hash" ]; then
  started=$SECONDS
  if [ -x "$python_dir/bin/python" ] && [ "$(stamp_of "$python_dir" | cut -d ' ' -f 1)" = "$requirements_hash" ]; then
    log "installing the regenerated sdk/python into a copy of the examples' Python venv"
    cp -a "$python_dir" "$work/venv"
  else
    if ! python3 -c "import sys; sys.exit(sys.version_info < (${MIN_PYTHON/./, }))"; then
      log "python3 is $(python3 --version 2>&1); the pinned wheels need Python >= $MIN_PYTHON"
      exit 1
    fi
    log "creating the Python venv of the examples with $(python3 --version 2>&1) (once; 10-40 s)"
    if ! python3 -m venv "$work/venv" >&2; then
      log "python3 -m venv failed: install its venv module" \
        "(Debian and Ubuntu: apt-get install python3-venv)"
      exit 1
    fi
    # Only the index is asked: a find-links folder could offer other builds, which the hashes refuse.
    PIP_FIND_LINKS="" "$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check \
      --no-input --require-hashes --only-binary=:all: \
      -r "$repo_root/examples/python/requirements.txt" >&2
  fi
  cp -R "$repo_root/sdk/python" "$work/sdk-python"
  "$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
    --no-index --no-deps --no-build-isolation --force-reinstall "$work/sdk-python" >&2
  "$work/venv/bin/python" -c "import pulumi.automation, pulumi_huaweicloud_medialive" >&2
  echo "$python_hash" >"$work/venv/sources.sha256"
  publish "$work/venv" "$python_dir" "$python_hash"
  log "Python venv ready in $((SECONDS - started)) s: $python_dir"
fi

# --- Go -----------------------------------------------------------------------------------------
go_version=$(go env GOVERSION)
if [ "$(printf '%s\n%s\n' "$MIN_GO" "${go_version#go}" | sort -V | head -n 1)" != "$MIN_GO" ]; then
  log "go is $go_version; github.com/pulumi/pulumi/sdk/v3 v3.274.1 needs Go >= $MIN_GO"
  exit 1
fi
# The module files and the Go sources (not the README): what the binary is built from.
go_hash=$(cd "$repo_root" && fingerprint "$go_version" examples/go/go.mod examples/go/go.sum \
  examples/go/*.go sdk/go)
if [ ! -x "$go_binary" ] || [ "$(stamp_of "$go_dir")" != "$go_hash" ]; then
  started=$SECONDS
  log "compiling examples/go with $go_version" \
    "(once; 2-4 minutes with empty Go caches, seconds with a warm build cache)"
  mkdir -p "$work/go"
  # GOTOOLCHAIN=local: never fetch another toolchain; -mod=readonly: go.mod and go.sum stay as
  # checked in (a missing module is downloaded and checked against go.sum).
  (cd "$repo_root/examples/go" &&
    GOTOOLCHAIN=local GOFLAGS=-mod=readonly go build -trimpath -o "$work/go/medialive-go" .)
  echo "$go_hash" >"$work/go/sources.sha256"
  publish "$work/go" "$go_dir" "$go_hash"
  log "Go example ready in $((SECONDS - started)) s: $go_binary"
fi

echo "python $python_dir/bin/python"
echo "go $go_binary"
