//! The README's configuration reference against the code: every environment variable the
//! server's or the app's source reads is documented in the table, and the table documents
//! nothing the code doesn't read.

use std::collections::BTreeSet;
use std::path::Path;

/// Variables the code doesn't name but its libraries read, documented all the same.
const READ_BY_LIBRARIES: [&str; 1] = ["RUST_LOG"];

/// Every `"NAME"` literal in the `.rs` files under `folder` that names a variable.
fn named_in(folder: &Path, found: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            named_in(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            for piece in text.split('"').skip(1).step_by(2) {
                let variable = piece.starts_with("TOKENSMITH_")
                    || piece.starts_with("LEPTOS_")
                    || piece == "DATABASE_URL";
                let shaped = piece
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
                if variable && shaped {
                    found.insert(piece.to_string());
                }
            }
        }
    }
}

#[test]
fn the_readme_documents_every_variable_the_code_reads_and_no_other() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut in_code = BTreeSet::new();
    named_in(&root.join("server/src"), &mut in_code);
    named_in(&root.join("app/src"), &mut in_code);
    in_code.extend(READ_BY_LIBRARIES.iter().map(|v| v.to_string()));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let table = readme
        .split("\n## Configuration\n")
        .nth(1)
        .expect("a Configuration section")
        .split("\n## ")
        .next()
        .unwrap();
    let documented: BTreeSet<String> = table
        .lines()
        .filter_map(|line| line.strip_prefix("| `")?.split('`').next())
        .map(str::to_string)
        .collect();
    let missing: Vec<_> = in_code.difference(&documented).collect();
    assert!(
        missing.is_empty(),
        "read by the code, not in the README's table: {missing:?}"
    );
    let stale: Vec<_> = documented.difference(&in_code).collect();
    assert!(
        stale.is_empty(),
        "in the README's table, read by no code: {stale:?}"
    );
    assert!(
        in_code.len() > 20,
        "the scan finds the variables: {in_code:?}"
    );
}

#[test]
fn the_systemd_example_sets_only_documented_variables() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let unit = readme
        .split("```ini\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a systemd unit in the README");
    let mut in_code = BTreeSet::new();
    named_in(&root.join("server/src"), &mut in_code);
    let set: Vec<&str> = unit
        .lines()
        .filter_map(|line| line.strip_prefix("Environment=")?.split('=').next())
        .collect();
    assert!(set.len() >= 5, "{unit}");
    for variable in set {
        assert!(in_code.contains(variable), "{variable} is read by no code");
    }
    assert!(unit.contains("ExecStart=/usr/local/bin/tokensmith serve"));
}
