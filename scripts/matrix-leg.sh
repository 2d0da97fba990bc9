#!/usr/bin/env bash
# One secondary leg of the runtime matrix: the lifecycle subset (test/lifecycle.test.ts through the
# real Pulumi CLI: preview, up, no-op up, refresh after an out-of-band change, preview --diff,
# ignoreChanges, update, replace, protect, retainOnDelete, destroy with each onDelete mode) on a
# pinned Node.js release, with the consumer project on a given @pulumi/pulumi release.
#
# Usage: scripts/matrix-leg.sh <node-major> <pulumi-sdk-version>    e.g. 22 3.216.0
# Needs `npm ci` done (by the primary runtime); builds, finds the CLI, then runs mocha on that Node.
#
# mocha and the build run from node_modules directly, not through `npm run`: npm would warn that
# devEngines asks for Node 24, which is true for development and beside the point for this leg.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -ne 2 ]; then
  echo "usage: scripts/matrix-leg.sh <node-major> <pulumi-sdk-version>   (e.g. 22 3.216.0)" >&2
  exit 2
fi
major=$1
sdk=$2
started=$SECONDS

node_bin=$(bash scripts/node-runtime.sh "$major")
export PATH="$node_bin:$PATH"
node_version=$(node --version)
echo "matrix-leg: Node.js $node_version + @pulumi/pulumi $sdk: lifecycle subset through the real CLI" >&2

# The consumer project installs this SDK release; the banner fails the run if it (or Node) differs.
export MEDIALIVE_PULUMI_VERSION="$sdk"
export MEDIALIVE_EXPECT_NODE="${node_version#v}"

node node_modules/typescript/bin/tsc -p tsconfig.build.json
bash scripts/pulumi-cli.sh >/dev/null
status=0
node node_modules/mocha/bin/mocha.js --config test/support/lifecycle.mocharc.json || status=$?
echo "matrix-leg: Node.js $node_version + @pulumi/pulumi $sdk: $([ "$status" -eq 0 ] && echo passed || echo FAILED) in $((SECONDS - started)) s" >&2
exit "$status"
