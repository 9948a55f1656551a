# nginx (Debian's package) in front of Tokensmith instances, for the end-to-end run and the
# benchmarks. Source this file, then:
#   nginx_start LISTEN_PORT UPSTREAM_PORT...   starts it on 127.0.0.1:LISTEN_PORT
#   nginx_stop                                  stops it and removes its directory

nginx_start() {
  local listen=$1
  shift
  NGINX_DIR=$(mktemp -d /tmp/tokensmith-nginx.XXXXXX)
  # nginx's workers (not root) buffer request bodies under it.
  chmod 755 "$NGINX_DIR"
  local upstreams="" port
  for port in "$@"; do
    upstreams+="        server 127.0.0.1:$port max_fails=0;"$'\n'
  done
  local template
  template="$(dirname "${BASH_SOURCE[0]}")/nginx.conf.template"
  awk -v dir="$NGINX_DIR" -v listen="127.0.0.1:$listen" -v up="$upstreams" '
    /@UPSTREAMS@/ { printf "%s", up; next }
    { gsub(/@DIR@/, dir); gsub(/@LISTEN@/, listen); print }
  ' "$template" >"$NGINX_DIR/nginx.conf"
  nginx -c "$NGINX_DIR/nginx.conf" -p "$NGINX_DIR" -e "$NGINX_DIR/error.log" \
    || { cat "$NGINX_DIR/error.log"; return 1; }
}

nginx_stop() {
  [ -n "${NGINX_DIR:-}" ] || return 0
  [ -f "$NGINX_DIR/nginx.pid" ] && kill "$(cat "$NGINX_DIR/nginx.pid")" 2>/dev/null || true
  sleep 0.2
  rm -rf "$NGINX_DIR"
  NGINX_DIR=
}
