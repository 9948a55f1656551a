//! Notes whether cargo-leptos builds this wasm with `--split`: it then links with
//! `--emit-relocs`, which wasm-split needs. Without it the islands would never hydrate
//! (their chunks would import `__wasm_split_placeholder__`), so `lib.rs` refuses to build.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(wasm_split)");
    println!("cargo::rerun-if-env-changed=CARGO_ENCODED_RUSTFLAGS");
    let flags = std::env::var("CARGO_ENCODED_RUSTFLAGS").unwrap_or_default();
    if flags
        .split('\x1f')
        .any(|flag| flag.contains("--emit-relocs"))
    {
        println!("cargo::rustc-cfg=wasm_split");
    }
}
