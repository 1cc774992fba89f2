#!/bin/sh
# TextTune proxy entrypoint (runs under tini as the unprivileged user of the image).
#
#   serve        default: write the nginx configuration from the environment, make a
#                self-signed certificate when none is mounted, run nginx in the foreground
#   config       print the configuration serve would use, and check it (nginx -t)
#   healthcheck  what the HEALTHCHECK runs: nginx answers on the plain HTTP port
#
# Environment (docker-compose.yml passes them; docs/deploy.md, "The proxy"):
#   API_UPSTREAM      host:port of the API (api:4000)
#   HTTPS_PORT        the HTTPS port browsers use (for FORCE_HTTPS redirects; 8443)
#   FORCE_HTTPS       true: plain HTTP answers 301 to HTTPS (except /v1/health)
#   TRUST_PROXY       true: another proxy in front sets X-Forwarded-For/-Proto; trusted
#                     from TRUST_PROXY_FROM (default: private networks)
#   BODY_LIMIT        the API's JSON body limit (1mb); reference uploads get their own 21m
#   AUDIO_DIR         where the shared audio volume is mounted, read-only (/data/storage)
#   TLS_DIR           tls.crt + tls.key (mounted; generated self-signed when absent)
#   TLS_SERVER_NAME   the name in a generated certificate (default: localhost)
#   AUDIO_OFFLOAD_SIGNING_KEY  the API's key for signed audio URLs (32-128 of A-Z a-z 0-9 _ -);
#                     unset: a random one, so no signed URL is accepted
set -eu

API_UPSTREAM="${API_UPSTREAM:-api:4000}"
HTTPS_PORT="${HTTPS_PORT:-8443}"
AUDIO_DIR="${AUDIO_DIR:-/data/storage}"
TLS_DIR="${TLS_DIR:-/etc/texttune/tls}"
RUN_DIR="${RUN_DIR:-/tmp/nginx}"
CONF="$RUN_DIR/nginx.conf"
TEMPLATES="${TEMPLATES:-/etc/texttune}"

is_true() { case "$(printf '%s' "${1:-}" | tr 'A-Z' 'a-z')" in true | 1 | yes) return 0 ;; *) return 1 ;; esac; }
log() { printf '{"level":"%s","time":"%s","msg":"texttune-proxy: %s"}\n' "$1" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$2"; }

# nginx sizes (1m, 512k) from the API's BODY_LIMIT (1mb, 100kb, 2048b).
nginx_size() {
  value=$(printf '%s' "$1" | tr 'A-Z' 'a-z')
  case "$value" in
    *mb) echo "${value%mb}m" ;;
    *kb) echo "${value%kb}k" ;;
    *b) echo "${value%b}" ;;
    *) log error "BODY_LIMIT must look like 100kb or 1mb (got \"$1\")" >&2; exit 64 ;;
  esac
}

ensure_certificate() {
  if [ -s "$TLS_DIR/tls.crt" ] && [ -s "$TLS_DIR/tls.key" ]; then
    log info "TLS: using the certificate in $TLS_DIR/tls.crt ($(openssl x509 -noout -subject -enddate -in "$TLS_DIR/tls.crt" | tr '\n' ' '))"
    return
  fi
  name="${TLS_SERVER_NAME:-localhost}"
  if ! [ -w "$TLS_DIR" ]; then
    log error "TLS: no tls.crt and tls.key in $TLS_DIR, and it is read-only: mount your certificate there, or a writable volume for a self-signed one" >&2
    exit 78
  fi
  umask 077
  openssl req -x509 -newkey rsa:2048 -sha256 -days 825 -nodes -subj "/CN=$name" \
    -addext "subjectAltName=DNS:$name,DNS:localhost,IP:127.0.0.1" \
    -keyout "$TLS_DIR/tls.key" -out "$TLS_DIR/tls.crt" 2>/dev/null
  log warn "TLS: no certificate was mounted at $TLS_DIR, so a SELF-SIGNED one for \"$name\" was generated (valid 825 days; browsers will warn). Mount your own tls.crt and tls.key there for production (docs/deploy.md, TLS)"
}

render() {
  mkdir -p "$RUN_DIR/cache" "$RUN_DIR/client-body"
  if [ -n "${AUDIO_OFFLOAD_SIGNING_KEY:-}" ]; then
    signing_key="$AUDIO_OFFLOAD_SIGNING_KEY"
    if ! printf '%s' "$signing_key" | grep -Eqx '[A-Za-z0-9_-]{32,128}'; then
      log error "AUDIO_OFFLOAD_SIGNING_KEY must be 32-128 letters, digits, _ or - (e.g. openssl rand -hex 32), the same as the API's" >&2
      exit 64
    fi
    signed_urls="accepted (AUDIO_OFFLOAD_SIGNING_KEY)"
  else
    signing_key=$(openssl rand -hex 32)
    signed_urls="refused (no AUDIO_OFFLOAD_SIGNING_KEY)"
  fi
  client_max_body_size=$(nginx_size "${BODY_LIMIT:-1mb}")
  if is_true "${FORCE_HTTPS:-false}"; then http_mode=redirect; else http_mode=serve; fi
  if is_true "${TRUST_PROXY:-false}"; then
    real_ip=""
    for net in ${TRUST_PROXY_FROM:-10.0.0.0/8 172.16.0.0/12 192.168.0.0/16 127.0.0.1/32 fd00::/8}; do real_ip="${real_ip}set_real_ip_from $net; "; done
    real_ip="${real_ip}real_ip_header X-Forwarded-For; real_ip_recursive on;"
    forwarded_proto='$forwarded_proto_from_front'
  else
    real_ip="# TRUST_PROXY=false: the client is whoever connects"
    forwarded_proto='$scheme'
  fi
  case "$HTTPS_PORT" in 443) https_authority='$host' ;; *) https_authority="\$host:$HTTPS_PORT" ;; esac
  # Only these placeholders are replaced; nginx's own $variables stay as they are.
  substitute() {
      sed -e "s|@API_UPSTREAM@|$API_UPSTREAM|g" \
      -e "s|@AUDIO_DIR@|${AUDIO_DIR%/}/|g" \
      -e "s|@TLS_DIR@|$TLS_DIR|g" \
      -e "s|@RUN_DIR@|$RUN_DIR|g" \
      -e "s|@CLIENT_MAX_BODY_SIZE@|$client_max_body_size|g" \
      -e "s|@REAL_IP@|$real_ip|g" \
      -e "s|@FORWARDED_PROTO@|$forwarded_proto|g" \
      -e "s|@HTTPS_AUTHORITY@|$https_authority|g" \
      -e "s|@AUDIO_OFFLOAD_SIGNING_KEY@|$signing_key|g" "$1"
  }
  substitute "$TEMPLATES/site.conf.template" > "$RUN_DIR/texttune-site.conf"
  substitute "$TEMPLATES/nginx.conf.template" > "$CONF.tmp"
  if [ "$http_mode" = redirect ]; then
    sed -i -e '/@HTTP_SERVE_BEGIN@/,/@HTTP_SERVE_END@/d' -e '/@HTTP_REDIRECT_BEGIN@\|@HTTP_REDIRECT_END@/d' "$CONF.tmp"
  else
    sed -i -e '/@HTTP_REDIRECT_BEGIN@/,/@HTTP_REDIRECT_END@/d' -e '/@HTTP_SERVE_BEGIN@\|@HTTP_SERVE_END@/d' "$CONF.tmp"
  fi
  mv "$CONF.tmp" "$CONF"
  log info "configuration: API at $API_UPSTREAM, audio from $AUDIO_DIR, plain HTTP ${http_mode}s (FORCE_HTTPS=${FORCE_HTTPS:-false}), TRUST_PROXY=${TRUST_PROXY:-false}, request bodies up to $client_max_body_size, signed audio URLs $signed_urls"
}

command="${1:-serve}"
case "$command" in
  serve)
    ensure_certificate
    render
    exec nginx -c "$CONF" -g 'daemon off;'
    ;;
  config)
    ensure_certificate >&2
    render >&2
    # The signing key stays out of what is printed.
    sed "s|$signing_key|<AUDIO_OFFLOAD_SIGNING_KEY>|g" "$CONF" "$RUN_DIR/texttune-site.conf"
    nginx -t -c "$CONF" -g 'daemon off;'
    ;;
  healthcheck)
    # nginx itself answers on the plain port in both modes (no redirect, no upstream);
    # bash's /dev/tcp, as the image has no HTTP client.
    exec bash -c 'exec 3<>/dev/tcp/127.0.0.1/8080 && printf "GET /_texttune/proxy-health HTTP/1.0\r\nHost: localhost\r\n\r\n" >&3 && head -n 1 <&3 | grep -q " 200 "'
    ;;
  *) exec "$command" "$@" ;;
esac
