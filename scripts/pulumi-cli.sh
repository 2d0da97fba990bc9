#!/usr/bin/env bash
# Prints the path of a `pulumi` CLI recent enough for this project, building it when none is found.
#
# Order: $MEDIALIVE_PULUMI_CLI (a path to a pulumi binary), then `pulumi` on PATH when its version is
# at least the pinned one, then the cache (built once from Pulumi's published Go module and reused).
# The Pulumi CLI is Go code published as github.com/pulumi/pulumi/pkg/v3; the Go module proxy serves
# it, so a machine with Go and no other download source can still have the real engine.
#
# Usage: scripts/pulumi-cli.sh [--with-yaml]
#   --with-yaml  also build the YAML language host (github.com/pulumi/pulumi-yaml) beside the CLI,
#                where the CLI finds it as a bundled plugin.
# stdout: one line, the absolute path of the pulumi binary. Progress goes to stderr.
set -euo pipefail

readonly PULUMI_VERSION="3.274.1"
readonly PULUMI_YAML_VERSION="1.25.0"
# pkg/v3's own go.mod replaces this module; a wrapper module must repeat the replace to build.
readonly CLIPBOARD_REPLACE="github.com/atotto/clipboard=github.com/tgummerer/clipboard@v0.0.0-20241001131231-d02d263e614e"

with_yaml=false
for argument in "$@"; do
  case "$argument" in
    --with-yaml) with_yaml=true ;;
    *) echo "pulumi-cli: unknown argument '$argument' (expected --with-yaml)" >&2; exit 2 ;;
  esac
done

cache_root="${MEDIALIVE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-huaweicloud-medialive}"
install_dir="$cache_root/pulumi-v$PULUMI_VERSION"
bin_dir="$install_dir/bin"
repo_root="$(cd "$(dirname "$0")/.." && pwd)"

log() { echo "pulumi-cli: $*" >&2; }

# version_at_least A B: true when dotted version A >= B.
version_at_least() {
  [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n 1)" = "$2" ]
}

yaml_host_present() { [ -x "$(dirname "$1")/pulumi-language-yaml" ]; }

if [ -n "${MEDIALIVE_PULUMI_CLI:-}" ]; then
  if [ ! -x "$MEDIALIVE_PULUMI_CLI" ]; then
    log "MEDIALIVE_PULUMI_CLI=$MEDIALIVE_PULUMI_CLI is not an executable file"
    exit 1
  fi
  echo "$MEDIALIVE_PULUMI_CLI"
  exit 0
fi

if on_path=$(command -v pulumi 2>/dev/null); then
  found=$("$on_path" version 2>/dev/null | sed 's/^v//' || true)
  if [ -n "$found" ] && version_at_least "$found" "$PULUMI_VERSION" &&
    { [ "$with_yaml" = false ] || yaml_host_present "$on_path"; }; then
    echo "$on_path"
    exit 0
  fi
  log "ignoring pulumi $found on PATH (need >= $PULUMI_VERSION$([ "$with_yaml" = true ] && echo ' with pulumi-language-yaml beside it'))"
fi

# The Node.js dynamic-provider plugin is a launcher script inside @pulumi/pulumi; beside the CLI it is
# found as a bundled plugin (no "using it from PATH" warning on every run). It resolves the provider
# host from the program's directory, so which copy of the script sits here does not matter.
bundle_nodejs_plugin() {
  local script="$repo_root/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs"
  if [ ! -x "$1/pulumi-resource-pulumi-nodejs" ] && [ -f "$script" ]; then
    install -m 0755 "$script" "$1/pulumi-resource-pulumi-nodejs"
  fi
}

if [ -x "$bin_dir/pulumi" ] && { [ "$with_yaml" = false ] || yaml_host_present "$bin_dir/pulumi"; }; then
  bundle_nodejs_plugin "$bin_dir"
  echo "$bin_dir/pulumi"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  log "Go is not installed: install Go >= 1.26.6 (https://go.dev/doc/install) to build the Pulumi CLI, or put pulumi >= $PULUMI_VERSION on PATH"
  exit 1
fi

# Long builds print a line every 20 s so a CI log never looks hung.
heartbeat() {
  local what=$1 started=$SECONDS
  while sleep 20; do log "still building $what ($((SECONDS - started)) s)"; done
}

# build_module NAME MODULE VERSION PACKAGE LDFLAGS [REPLACE]: builds PACKAGE from a throw-away wrapper module.
build_module() {
  local name=$1 module=$2 version=$3 package=$4 ldflags=$5 replace=${6:-}
  local work
  work=$(mktemp -d)
  # shellcheck disable=SC2064 # expand now: the trap must remove this build's folder
  trap "rm -rf '$work'" RETURN
  log "building $name v$version from the Go module $module (a few minutes on a cold cache)"
  (
    cd "$work"
    go mod init medialive-pulumi-cli-build >/dev/null 2>&1
    [ -z "$replace" ] || go mod edit -replace "$replace"
    go get "$module@v$version" >&2
    go get "$package@v$version" >&2
    heartbeat "$name" &
    local beat=$!
    trap 'kill $beat 2>/dev/null || true' EXIT
    mkdir -p "$install_dir.partial/bin"
    go build -trimpath -ldflags "$ldflags" -o "$install_dir.partial/bin/$name" "$package"
  )
}

started=$SECONDS
rm -rf "$install_dir.partial"
if [ -x "$bin_dir/pulumi" ]; then
  cp -a "$install_dir/." "$install_dir.partial/"
else
  build_module pulumi github.com/pulumi/pulumi/pkg/v3 "$PULUMI_VERSION" \
    github.com/pulumi/pulumi/pkg/v3/cmd/pulumi \
    "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION" \
    "$CLIPBOARD_REPLACE"
fi
if [ "$with_yaml" = true ]; then
  build_module pulumi-language-yaml github.com/pulumi/pulumi-yaml "$PULUMI_YAML_VERSION" \
    github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml \
    "-s -w -X github.com/pulumi/pulumi-yaml/pkg/version.Version=v$PULUMI_YAML_VERSION"
fi
bundle_nodejs_plugin "$install_dir.partial/bin"
# Publish the finished folder in one rename so an interrupted build never leaves a half CLI behind.
rm -rf "$install_dir"
mv "$install_dir.partial" "$install_dir"
log "ready in $((SECONDS - started)) s: pulumi $("$bin_dir/pulumi" version)"
echo "$bin_dir/pulumi"
