// The browser scripts of public/ as the site serves them: without their comment lines and
// indentation (the sources keep both for their readers), each with its .br and .gz beside
// it. cargo-leptos copies public/ as it is; run this after each `cargo leptos build`
// (scripts/run and scripts/test do). Measured on 2026-12-08: /enhance.js 2,490 → 1,433 B of
// brotli, on every page with code.
// Usage: node scripts/lib/strip-scripts.mjs [site root, default target/site]
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const root = new URL("../../", import.meta.url).pathname;
const site = process.argv[2] ?? join(root, "target/site");

// Whole-line comments only, and leading spaces: none of these scripts has a string or
// template that spans lines, and `node --check` below refuses a result that doesn't parse.
function strip(source) {
  return source
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("//"))
    .join("\n")
    .concat("\n");
}

// `node --check` reads a .js file here as a script that it doesn't check: a .mjs copy.
const scratch = mkdtempSync(join(tmpdir(), "strip-scripts-"));
for (const name of ["enhance.js", "islands.js", "passkey.js"]) {
  const text = strip(readFileSync(join(root, "public", name), "utf8"));
  const copy = join(scratch, `${name}.mjs`);
  writeFileSync(copy, text);
  execFileSync(process.execPath, ["--check", copy], { stdio: "inherit" });
  const target = join(site, name);
  writeFileSync(target, text);
  const brotli = { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT };
  writeFileSync(`${target}.br`, brotliCompressSync(text, { params: brotli }));
  writeFileSync(`${target}.gz`, gzipSync(text, { level: 9 }));
}
rmSync(scratch, { recursive: true });
