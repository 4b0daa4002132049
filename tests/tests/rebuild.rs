//! Proves that spec changes rebuild the generated API: an app crate (`fixtures/rebuild-app`) is
//! copied to a temporary folder and built; then a spec is edited and a spec file added, with no
//! Rust change, and the rebuilt app shows the new parameter and the new method.
//!
//! It runs a nested `cargo build --offline` with a target folder of its own under
//! `CARGO_TARGET_TMPDIR`, kept between runs, so only the first run compiles `bitrix-rest`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const PING_WITH_COUNT: &str = r#"method = "demo.ping"
scope = "demo"
summary = "Answers pong."
idempotent = true

[[params]]
name = "ID"
type = "integer"
required = true

[[params]]
name = "COUNT"
type = "integer"
description = "How many pongs."

[result]
type = "boolean"
"#;

const PONG: &str = r#"method = "demo.pong"
scope = "demo"
summary = "Answers ping."

[result]
type = "boolean"
"#;

#[test]
fn editing_and_adding_specs_rebuilds_the_api() {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let app = tmp.join("rebuild-app");
    let target = tmp.join("rebuild-target");
    copy_fixture(&app);

    // 1. As shipped: `COUNT` is not a parameter (it lands in `extra`), `demo.pong` does not exist.
    let built = cargo(&app, &target, &["build", "--bin", "rebuild-app"]);
    assert_success(&built, "first build");
    assert_eq!(
        run(&target, "rebuild-app"),
        "demo.ping idempotent=false extra=[\"COUNT\"]"
    );
    let probe = cargo(&app, &target, &["build", "--bin", "probe"]);
    assert!(
        !probe.status.success(),
        "the probe must not compile before the spec edits"
    );
    let errors = String::from_utf8_lossy(&probe.stderr);
    assert!(errors.contains("Pong"), "{errors}");
    assert!(errors.contains("count"), "{errors}");

    // 2. Edit the spec: a new parameter and `idempotent`. Only the spec changes.
    write(&app.join("specs/demo/demo.ping.toml"), PING_WITH_COUNT);
    let built = cargo(&app, &target, &["build", "--bin", "rebuild-app"]);
    assert_success(&built, "build after editing a spec");
    assert_recompiled(&built);
    assert_eq!(
        run(&target, "rebuild-app"),
        "demo.ping idempotent=true extra=[]"
    );

    // 3. Add a spec file: the build notices the new file, and the new method exists.
    write(&app.join("specs/demo/demo.pong.toml"), PONG);
    let built = cargo(&app, &target, &["build", "--bin", "rebuild-app"]);
    assert_success(&built, "build after adding a spec");
    assert_recompiled(&built);
    let probe = cargo(&app, &target, &["build", "--bin", "probe"]);
    assert_success(&probe, "probe build after the spec edits");
    assert_eq!(run(&target, "probe"), "demo.ping demo.pong");

    // 4. Nothing changed: no rebuild.
    let built = cargo(&app, &target, &["build", "--bin", "rebuild-app"]);
    assert_success(&built, "build without changes");
    let log = String::from_utf8_lossy(&built.stderr);
    assert!(
        !log.contains("Compiling rebuild-app"),
        "rebuilt without a change:\n{log}"
    );
}

/// Copies the fixture to `to`, writing `Cargo.toml` with the workspace's absolute path and the
/// workspace's `Cargo.lock` (so the offline build uses the versions already downloaded).
fn copy_fixture(to: &Path) {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let workspace = manifest.parent().expect("workspace folder");
    let from = manifest.join("fixtures").join("rebuild-app");
    if to.exists() {
        std::fs::remove_dir_all(to).expect("remove the previous copy");
    }
    copy_dir(&from, to);
    let toml = std::fs::read_to_string(to.join("Cargo.toml.in")).expect("read Cargo.toml.in");
    let workspace = workspace.to_str().expect("a UTF-8 workspace path");
    write(
        &to.join("Cargo.toml"),
        &toml.replace("@WORKSPACE@", workspace),
    );
    std::fs::remove_file(to.join("Cargo.toml.in")).expect("remove Cargo.toml.in");
    std::fs::copy(
        Path::new(workspace).join("Cargo.lock"),
        to.join("Cargo.lock"),
    )
    .expect("copy Cargo.lock");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create folder");
    for entry in std::fs::read_dir(from).expect("read fixture folder") {
        let entry = entry.expect("fixture entry");
        let path = entry.path();
        let dest = to.join(entry.file_name());
        if path.is_dir() {
            copy_dir(&path, &dest);
        } else {
            std::fs::copy(&path, &dest).expect("copy fixture file");
        }
    }
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

fn cargo(app: &Path, target: &Path, args: &[&str]) -> Output {
    let cargo = std::env::var_os("CARGO").map_or_else(|| PathBuf::from("cargo"), PathBuf::from);
    Command::new(cargo)
        .args(args)
        .arg("--offline")
        .current_dir(app)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_BUILD_RUSTFLAGS")
        .output()
        .expect("run cargo")
}

fn run(target: &Path, bin: &str) -> String {
    let out = Command::new(target.join("debug").join(bin))
        .output()
        .unwrap_or_else(|e| panic!("run {bin}: {e}"));
    assert!(out.status.success(), "{bin} failed: {out:?}");
    String::from_utf8(out.stdout)
        .expect("UTF-8 output")
        .trim()
        .to_string()
}

fn assert_success(out: &Output, what: &str) {
    assert!(
        out.status.success(),
        "{what} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn assert_recompiled(out: &Output) {
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(
        log.contains("Compiling rebuild-app"),
        "the spec change did not rebuild the app:\n{log}"
    );
}
