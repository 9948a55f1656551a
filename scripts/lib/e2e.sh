# The end-to-end runs' servers: a seeded database with the extra users the Playwright
# tests need, and release servers on it. Source this file, then:
#   e2e_seed                 seeds $DATABASE_URL (the demo account, two users of their own,
#                            three more accounts)
#   e2e_serve PORT [ENV=...] starts a release server on 127.0.0.1:PORT and waits for it
#   e2e_oidc PORT CONSOLE    starts the test OpenID provider for the console at CONSOLE
#   e2e_scanning_keys DIR    makes the key pair secret-scanning reports are signed with and
#                            exports TOKENSMITH_SECRET_SCANNING_KEYS (the servers) and
#                            SCANNING_KEY (the Playwright test that signs)
#   e2e_stop                 stops every server started
#   e2e_logs                 the last lines of their logs

E2E_PIDS=()
E2E_LOGS=()

e2e_seed() {
  local bin=./target/release/tokensmith acme birch cedar dogwood elm fir hazel juniper kiwi
  acme=$($bin seed-demo | awk -F'[()]' '/demo account/ {print $2}')
  # A user of its own for the Sign out everywhere test: ending all of a shared user's
  # sessions would sign out the tests running beside it.
  TOKENSMITH_PASSWORD="$TOKENSMITH_DEMO_PASSWORD" $bin create-user \
    --account "$acme" --email roaming@acme.test --name "Robin Roaming" --role analyst >/dev/null
  # And one for the Change password test, whose password it changes (and sets back).
  TOKENSMITH_PASSWORD="$TOKENSMITH_DEMO_PASSWORD" $bin create-user \
    --account "$acme" --email changer@acme.test --name "Pat Changer" --role finance >/dev/null
  # A second account, so the sandbox test can switch its API access without racing the
  # tests that flip the demo account's switch.
  birch=$($bin create-account --name "Birch Cycles" | awk '{print $NF}')
  TOKENSMITH_PASSWORD="$TOKENSMITH_DEMO_PASSWORD" $bin create-user \
    --account "$birch" --email admin@birch.test --name "Robin Birch" --role account_admin >/dev/null
  # A third, where the paging test puts 120 tokens without crowding the others' lists.
  cedar=$($bin create-account --name "Cedar Paging" | awk '{print $NF}')
  TOKENSMITH_PASSWORD="$TOKENSMITH_DEMO_PASSWORD" $bin create-user \
    --account "$cedar" --email admin@cedar.test --name "Morgan Cedar" --role account_admin >/dev/null
  # A fourth, whose users the Users tests add, disable and reset without touching anyone
  # the other tests sign in as.
  dogwood=$($bin create-account --name "Dogwood Goods" | awk '{print $NF}')
  TOKENSMITH_PASSWORD="$TOKENSMITH_DEMO_PASSWORD" $bin create-user \
    --account "$dogwood" --email admin@dogwood.test --name "Dana Dogwood" --role account_admin >/dev/null
  TOKENSMITH_PASSWORD="$TOKENSMITH_DEMO_PASSWORD" $bin create-user \
    --account "$dogwood" --email member@dogwood.test --name "Max Member" --role analyst >/dev/null
  # A user of its own for the authenticator-app test, which sets one up and signs in with it.
  TOKENSMITH_PASSWORD="$TOKENSMITH_DEMO_PASSWORD" $bin create-user \
    --account "$acme" --email totp@acme.test --name "Toni Totp" --role implementation_specialist >/dev/null
  # And one for the passkey test, which adds passkeys to it and signs in with them.
  TOKENSMITH_PASSWORD="$TOKENSMITH_DEMO_PASSWORD" $bin create-user \
    --account "$acme" --email passkey@acme.test --name "Kit Passkey" --role analyst >/dev/null
  # A sixth, whose administrator sets up single sign-on (and then requires it) with the
  # test OpenID provider, and a member it signs in.
  fir=$($bin create-account --name "Fir Federated" | awk '{print $NF}')
  TOKENSMITH_PASSWORD="$TOKENSMITH_DEMO_PASSWORD" $bin create-user \
    --account "$fir" --email admin@fir.test --name "Fran Fir" --role account_admin >/dev/null
  TOKENSMITH_PASSWORD="$TOKENSMITH_DEMO_PASSWORD" $bin create-user \
    --account "$fir" --email kim@fir.test --name "Kim Fir" --role analyst >/dev/null
  # A fifth account, whose administrator requires two-factor authentication of everyone.
  elm=$($bin create-account --name "Elm Security" | awk '{print $NF}')
  TOKENSMITH_PASSWORD="$TOKENSMITH_DEMO_PASSWORD" $bin create-user \
    --account "$elm" --email admin@elm.test --name "Eli Elm" --role account_admin >/dev/null
  TOKENSMITH_PASSWORD="$TOKENSMITH_DEMO_PASSWORD" $bin create-user \
    --account "$elm" --email member@elm.test --name "Mo Elm" --role analyst >/dev/null
  # A seventh, whose tokens need approval: its specialist requests, its administrator
  # decides (the demo account's specialist keeps creating directly for the other tests).
  hazel=$($bin create-account --name "Hazel Agency" | awk '{print $NF}')
  TOKENSMITH_PASSWORD="$TOKENSMITH_DEMO_PASSWORD" $bin create-user \
    --account "$hazel" --email admin@hazel.test --name "Hana Hazel" --role account_admin >/dev/null
  TOKENSMITH_PASSWORD="$TOKENSMITH_DEMO_PASSWORD" $bin create-user \
    --account "$hazel" --email specialist@hazel.test --name "Hugo Hazel" \
    --role implementation_specialist >/dev/null
  # An eighth, whose administrator sets up webhooks to the suite's own receiver.
  juniper=$($bin create-account --name "Juniper Labs" | awk '{print $NF}')
  TOKENSMITH_PASSWORD="$TOKENSMITH_DEMO_PASSWORD" $bin create-user \
    --account "$juniper" --email admin@juniper.test --name "Jo Juniper" --role account_admin >/dev/null
  # A ninth, whose home the home test counts: nothing else makes tokens there.
  kiwi=$($bin create-account --name "Kiwi Home" | awk '{print $NF}')
  TOKENSMITH_PASSWORD="$TOKENSMITH_DEMO_PASSWORD" $bin create-user \
    --account "$kiwi" --email admin@kiwi.test --name "Kai Kiwi" --role account_admin >/dev/null
  TOKENSMITH_PASSWORD="$TOKENSMITH_DEMO_PASSWORD" $bin create-user \
    --account "$kiwi" --email leaver@kiwi.test --name "Lee Leaver" --role analyst >/dev/null
}

e2e_serve() {
  local port=$1
  shift
  local log
  log=$(mktemp /tmp/tokensmith-e2e-server.XXXXXX)
  env LEPTOS_SITE_ADDR="127.0.0.1:$port" "$@" ./target/release/tokensmith serve >"$log" 2>&1 &
  E2E_PIDS+=($!)
  E2E_LOGS+=("$log")
  for _ in $(seq 1 100); do
    curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null && return 0
    kill -0 "${E2E_PIDS[-1]}" 2>/dev/null || { cat "$log"; return 1; }
    sleep 0.1
  done
  cat "$log"
  return 1
}

# The test OpenID provider (end2end/oidc/test-provider.mjs, npm oidc-provider) on
# 127.0.0.1:PORT, its client redirecting to the console at http://localhost:CONSOLE_PORT.
e2e_oidc() {
  local port=$1 console=$2 log
  log=$(mktemp /tmp/tokensmith-e2e-oidc.XXXXXX)
  (cd end2end && OIDC_PORT=$port OIDC_REDIRECT_URIS="http://localhost:$console/login/sso/callback" \
    exec node oidc/test-provider.mjs) >"$log" 2>&1 &
  E2E_PIDS+=($!)
  E2E_LOGS+=("$log")
  for _ in $(seq 1 100); do
    curl -fsS -o /dev/null "http://127.0.0.1:$port/.well-known/openid-configuration" 2>/dev/null && return 0
    sleep 0.1
  done
  cat "$log"
  return 1
}

e2e_scanning_keys() {
  local dir=$1 public
  openssl ecparam -name prime256v1 -genkey -noout -out "$dir/scanning-key.pem" 2>/dev/null
  public=$(openssl ec -in "$dir/scanning-key.pem" -pubout 2>/dev/null)
  python3 -c 'import json, sys; print(json.dumps({"public_keys": [{"key_identifier": "e2e-scanning-key", "key": sys.argv[1], "is_current": True}]}))' \
    "$public" >"$dir/scanning-keys.json"
  export TOKENSMITH_SECRET_SCANNING_KEYS="$dir/scanning-keys.json"
  export SCANNING_KEY="$dir/scanning-key.pem"
}

e2e_stop() {
  for pid in "${E2E_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  E2E_PIDS=()
}

e2e_logs() {
  for log in "${E2E_LOGS[@]}"; do
    echo "--- $log"
    tail -30 "$log"
  done
}
