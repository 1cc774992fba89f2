#!/bin/sh
# The two commands on a fresh machine: in a new container from the node base image, with
# nothing else installed (no compiler, no Python, no Postgres, no Redis, no Chromium),
# as root, `npm ci && npm test` on this repository's committed tree (HEAD, so uncommitted
# changes are not tested). The test preflight (tools/test-preflight) installs the Debian
# packages the tests drive and provisions Postgres and Redis itself.
#
#   tools/deploy-smoke/fresh-test.sh                 # node:20-bookworm-slim
#   NODE_IMAGE=node:22-bookworm-slim tools/deploy-smoke/fresh-test.sh
#   tools/deploy-smoke/fresh-test.sh -- apps/api     # extra arguments go to jest
#
# Needs Docker and the base image (without a registry: docs/deploy.md, "Offline installs").
# The container reaches the npm registry and the Debian mirror. It prints the toolchain
# check, `npm ci`'s outcome and jest's summary, keeps the whole log in $LOG (a temporary
# file unless set) and exits with `npm test`'s status.
set -eu
cd "$(dirname "$0")/../.."

NODE_IMAGE="${NODE_IMAGE:-node:20-bookworm-slim}"
DOCKER="${DOCKER:-docker}"
[ -x /usr/bin/docker ] && DOCKER="${DOCKER_CLI:-/usr/bin/docker}"
[ "${1:-}" = "--" ] && shift
LOG="${LOG:-$(mktemp -t texttune-fresh-test.XXXXXX.log)}"
name="texttune-fresh-test-$$"

if ! "$DOCKER" image inspect "$NODE_IMAGE" >/dev/null 2>&1; then
  echo "fresh-test: the base image $NODE_IMAGE is not here; pull it, or build the local stand-ins (docs/deploy.md, \"Offline installs\")." >&2
  exit 2
fi

cleanup() { "$DOCKER" rm -f "$name" >/dev/null 2>&1 || true; }
trap cleanup EXIT INT TERM

# The container's script: prove the toolchain is absent, then the two commands.
inner='
set -u
cd /src
echo "== node $(node -v), npm $(npm -v), uid $(id -u)"
missing=""
for tool in cc gcc g++ make python3 python; do command -v "$tool" >/dev/null 2>&1 && missing="$missing $tool"; done
if [ -n "$missing" ]; then echo "== NOT FRESH: the image has build tools:$missing"; exit 3; fi
echo "== no compiler, make or Python in the image"
start=$(date +%s)
if ! npm ci --no-audit --no-fund; then echo "== npm ci FAILED"; exit 4; fi
echo "== npm ci succeeded in $(( $(date +%s) - start )) s"
start=$(date +%s)
npm test -- --ci "$@"
status=$?
echo "== npm test exited $status after $(( $(date +%s) - start )) s"
exit $status
'

echo "fresh-test: $(git rev-parse --short HEAD) in a new $NODE_IMAGE container; log: $LOG"
"$DOCKER" create --name "$name" --user 0:0 --workdir /src --entrypoint sh "$NODE_IMAGE" -c "$inner" fresh-test "$@" >/dev/null
git archive --format=tar --prefix=src/ HEAD | "$DOCKER" cp - "$name:/"
set +e
"$DOCKER" start -a "$name" >"$LOG" 2>&1
status=$?
set -e

grep -E '^== |^Test Suites:|^Tests:|^Snapshots:|^Time:|\[test preflight\]' "$LOG" || true
if [ "$status" -ne 0 ]; then
  echo "fresh-test: FAILED (exit $status); failing suites:"
  grep -E '^FAIL ' "$LOG" | sort -u || true
fi
exit "$status"
