# Sourced by scripts/run and scripts/test: installs whatever the build and the tests
# need on a fresh Debian machine, and skips what is already there.
# Only crates.io, npm and Debian's apt are reachable, so nothing here downloads a
# prebuilt binary: cargo-leptos finds wasm-bindgen and wasm-opt on PATH instead.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export PATH="$HOME/.cargo/bin:$ROOT/end2end/node_modules/.bin:$PATH"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

CARGO_LEPTOS_VERSION=0.3.10
WASM_BINDGEN_VERSION=0.2.130
STANDARDWEBHOOKS_VERSION=1.3.0
SCHEMATHESIS_VERSION=4.32.5

# A step's header, with the seconds since the script began (what each step costs in CI).
step() { printf '\n==> %s  [%d s]\n' "$*" "$SECONDS"; }

apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    step "apt-get install ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

setup_build() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    step "rustup target add wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  fi
  rustup component list --installed | grep -q '^clippy' || rustup component add clippy
  rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt
  if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
    step "cargo install cargo-leptos $CARGO_LEPTOS_VERSION (once)"
    # Its release profile asks for fat LTO in one codegen unit: a long single-threaded
    # link for a build tool. Without them it builds sooner and runs the same.
    CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
      cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked
  fi
  if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
    step "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION"
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
  fi
  if [ ! -x "$ROOT/end2end/node_modules/.bin/wasm-opt" ] || [ ! -d "$ROOT/end2end/node_modules/@playwright/test" ]; then
    step "npm ci (binaryen's wasm-opt, Playwright)"
    (cd "$ROOT/end2end" && npm ci --no-audit --no-fund)
  fi
}

setup_test() {
  # PostgreSQL: the server tests run on it too (a throwaway cluster, scripts/lib/postgres.sh).
  # nginx: the second end-to-end run goes through it to two instances.
  apt_install chromium curl postgresql nginx openssl
  # The mail tests deliver to a real SMTP server: Python's aiosmtpd, from PyPI.
  if ! python3 -c "import aiosmtpd" 2>/dev/null; then
    step "pip install aiosmtpd"
    python3 -m pip install --quiet aiosmtpd
  fi
  # The webhook process test's receiver verifies signatures with the specification's own
  # library (PyPI standardwebhooks).
  if ! python3 -c "import standardwebhooks" 2>/dev/null; then
    step "pip install standardwebhooks $STANDARDWEBHOOKS_VERSION"
    python3 -m pip install --quiet "standardwebhooks==$STANDARDWEBHOOKS_VERSION"
  fi
  # Property-based tests of the APIs from their OpenAPI document (test_schemathesis.py).
  if [ "$(python3 -c "import importlib.metadata as m; print(m.version('schemathesis'))" 2>/dev/null)" != "$SCHEMATHESIS_VERSION" ]; then
    step "pip install schemathesis $SCHEMATHESIS_VERSION"
    python3 -m pip install --quiet "schemathesis==$SCHEMATHESIS_VERSION"
  fi
  # The API reference test validates /openapi.json with it.
  if ! python3 -c "import openapi_spec_validator" 2>/dev/null; then
    step "pip install openapi-spec-validator"
    python3 -m pip install --quiet openapi-spec-validator
  fi
}
