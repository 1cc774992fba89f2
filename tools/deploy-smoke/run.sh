#!/bin/sh
# TextTune deploy smoke test: builds the images, brings the stack up with whichever
# Compose is installed (or as a Docker Swarm stack with --swarm), checks it as an operator
# would, tears it down, prints a table and exits non-zero on any failure.
#
#   tools/deploy-smoke/run.sh            # Compose (v2 `docker compose`, else v1 `docker-compose`)
#   tools/deploy-smoke/run.sh --swarm    # docker stack deploy on this machine's (single-node) swarm
#   tools/deploy-smoke/run.sh --keep     # leave the stack running afterwards (to look around)
#   tools/deploy-smoke/run.sh --no-build # use the texttune:local and texttune-proxy:local images as they are
#
# Needs Docker (BuildKit), Node 20+ and this repository's node_modules (for the schema
# check). Without an image registry, load or build the base images first (docs/deploy.md,
# "Offline installs"). Takes 5-15 minutes; it is not part of .ci/run.
set -eu
cd "$(dirname "$0")/../.."
exec node tools/deploy-smoke/smoke.mjs "$@"
