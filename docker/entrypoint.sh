#!/bin/sh
# TextTune container entrypoint (the image runs it under tini).
#
#   serve            default: in the API roles (TEXTTUNE_ROLE=api or all) apply pending
#                    database migrations first, then start the server; a worker never
#                    migrates (it waits until the API has)
#   migrate          apply pending migrations and exit
#   migrate-status   list pending migrations
#   migrate-revert   revert the last applied migration
#   invite [email]   print a one-time sign-up code (REGISTRATION=invite; e.g. the first admin)
#   healthcheck      what the container HEALTHCHECK runs
#   fake-space       the demo Gradio server (docker compose --profile demo)
#   anything else    run as a command (e.g. sh)
set -eu

APP_DIR="${APP_DIR:-/app}"
API="$APP_DIR/dist/apps/api"
role="${TEXTTUNE_ROLE:-all}"
command="${1:-serve}"
if [ "$#" -gt 0 ]; then shift; fi

case "$command" in
  serve)
    case "$role" in
      api | all)
        # Migrations run under a Postgres advisory lock: API replicas starting together
        # apply each one once. Without DATABASE_URL (embedded Postgres, role all) the
        # server applies them itself at start.
        if [ -n "${DATABASE_URL:-}" ]; then
          echo "texttune: applying database migrations (TEXTTUNE_ROLE=$role)"
          node "$API/database/cli.js" run
        fi
        ;;
      worker) ;;
      *)
        echo "texttune: TEXTTUNE_ROLE must be all, api or worker (got \"$role\")" >&2
        exit 64
        ;;
    esac
    exec node "$API/main.js" "$@"
    ;;
  migrate) exec node "$API/database/cli.js" run ;;
  migrate-status) exec node "$API/database/cli.js" status ;;
  migrate-revert) exec node "$API/database/cli.js" revert ;;
  invite) exec node "$API/database/cli.js" invite "$@" ;;
  healthcheck) exec node "$APP_DIR/docker/healthcheck.cjs" "$@" ;;
  fake-space) exec node "$APP_DIR/dist/tools/fake-space/main.js" "$@" ;;
  *) exec "$command" "$@" ;;
esac
