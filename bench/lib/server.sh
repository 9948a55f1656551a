# Sourced by bench scripts: one release server over a fresh SQLite database (or
# BENCH_DATABASE_URL) with the demo account, signed in as its administrator; the site (the
# build's JS, wasm and CSS) from target/site, or BENCH_SITE_ROOT to compare another build.
#   bench_serve PORT   starts it; sets $work (removed on exit), $db_dir and $base
#   bench_sign_in      sets $cookie
#   bench_contact      prints the administrator's user id (a token's primary contact)

bench_serve() {
  [ -x target/release/tokensmith ] \
    || { echo "build first: cargo leptos build --release --precompress --split" >&2; exit 1; }
  work=$(mktemp -d)
  db_dir="$work"
  base="http://127.0.0.1:$1"
  export DATABASE_URL="${BENCH_DATABASE_URL:-sqlite://$work/bench.db}" LEPTOS_SITE_ADDR="127.0.0.1:$1"
  export LEPTOS_SITE_ROOT="${BENCH_SITE_ROOT:-target/site}" TOKENSMITH_DEMO_PASSWORD=bench-password-123 RUST_LOG=warn
  ./target/release/tokensmith seed-demo >/dev/null
  ./target/release/tokensmith serve >"$work/server.log" 2>&1 &
  bench_server=$!
  trap 'kill $bench_server 2>/dev/null || true; rm -rf "$work"' EXIT
  for _ in $(seq 1 100); do curl -fsS -o /dev/null "$base/healthz" 2>/dev/null && return; sleep 0.1; done
  echo "the server did not start: $(tail -5 "$work/server.log")" >&2
  exit 1
}

bench_sign_in() {
  cookie=$(curl -s -o /dev/null -D - -H 'Sec-Fetch-Site: same-origin' \
    --data 'email=admin%40acme.test&password=bench-password-123' "$base/login" \
    | awk -F'[ ;]' 'tolower($1)=="set-cookie:" {printf "%s%s", sep, $2; sep="; "}')
  [ -n "$cookie" ] || { echo "sign-in failed" >&2; exit 1; }
}

bench_contact() {
  curl -s -X POST -H "Cookie: $cookie" -H 'Sec-Fetch-Site: same-origin' "$base/api/list_contacts" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])'
}
