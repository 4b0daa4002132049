//! Snapshot tests: small pages in the reference's shape (`tests/pages/`) are imported and every
//! written spec, plus the report, is compared with `tests/snapshots/`. `UPDATE_SNAPSHOTS=1`
//! rewrites the snapshots. The real reference is imported only when `B24_DOCS` names it.

use std::path::{Path, PathBuf};

use bitrix_specs::import::{import, Report};

fn pages() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pages")
}

fn snapshots() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots")
}

/// A fresh, empty folder in the temp dir, removed again when dropped.
struct Scratch(PathBuf);

impl std::ops::Deref for Scratch {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn scratch(name: &str) -> Scratch {
    let dir = std::env::temp_dir().join(format!("bitrix-specs-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    Scratch(dir)
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    out.sort();
    out
}

fn report_text(r: &Report) -> String {
    let mut lines = vec![format!(
        "methods {} written {} hand {} loose {} todo {} failed {}",
        r.methods,
        r.written,
        r.hand,
        r.loose,
        r.todo_points,
        r.failed.len()
    )];
    lines.extend(r.notes.iter().cloned());
    lines.extend(r.repaired.iter().cloned());
    lines.extend(r.skipped.iter().cloned());
    lines.extend(r.failed.iter().cloned());
    lines.join("\n") + "\n"
}

fn compare(expected: &Path, actual: &str, update: bool, mismatches: &mut Vec<String>) {
    if update {
        std::fs::create_dir_all(expected.parent().unwrap()).unwrap();
        std::fs::write(expected, actual).unwrap();
        return;
    }
    match std::fs::read_to_string(expected) {
        Ok(e) if e == actual => {}
        Ok(e) => mismatches.push(format!(
            "{} differs:\n--- expected\n{e}\n--- actual\n{actual}",
            expected.display()
        )),
        Err(_) => mismatches.push(format!("{} is missing", expected.display())),
    }
}

#[test]
fn pages_match_snapshots() {
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let out = scratch("snap");
    let report = import(&pages(), &out, false).unwrap();
    let mut mismatches = Vec::new();
    let written = files(&out);
    for f in &written {
        let actual = std::fs::read_to_string(out.join(f)).unwrap();
        compare(&snapshots().join(f), &actual, update, &mut mismatches);
    }
    compare(
        &snapshots().join("report.txt"),
        &report_text(&report),
        update,
        &mut mismatches,
    );
    if !update {
        // No snapshot without a written spec.
        for f in files(&snapshots()) {
            let extra = ["report.txt", "drift.txt", "COVERAGE.md"];
            if !extra.iter().any(|e| f == Path::new(e)) && !written.contains(&f) {
                mismatches.push(format!("{} was not written", f.display()));
            }
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n\n"));
}

#[test]
fn written_specs_validate() {
    let out = scratch("valid");
    let report = import(&pages(), &out, false).unwrap();
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    let sources = bitrix_codegen::load_dir(&out).unwrap();
    let checked = bitrix_codegen::check_all(&sources);
    let problems: Vec<String> = checked.problems.iter().map(|p| p.to_string()).collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(checked.methods.len(), report.written);
}

#[test]
fn second_run_changes_nothing() {
    let out = scratch("twice");
    let first = import(&pages(), &out, false).unwrap();
    assert!(first.changed > 0);
    let second = import(&pages(), &out, false).unwrap();
    assert_eq!(second.changed, 0);
    assert_eq!(second.written, first.written);
}

#[test]
fn hand_finished_spec_is_kept() {
    let out = scratch("hand");
    let hand = "method = \"demo.thing.get\"\nscope = \"demo\"\n\n[result]\ntype = \"any\"\n";
    std::fs::create_dir_all(out.join("demo")).unwrap();
    std::fs::write(out.join("demo/demo.thing.get.toml"), hand).unwrap();
    let report = import(&pages(), &out, false).unwrap();
    assert_eq!(report.hand, 1);
    let after = std::fs::read_to_string(out.join("demo/demo.thing.get.toml")).unwrap();
    assert_eq!(after, hand);
}

#[test]
fn real_reference_when_present() {
    let Some(dir) = std::env::var_os("B24_DOCS").map(PathBuf::from) else {
        eprintln!("B24_DOCS not set: skipped");
        return;
    };
    if !dir.join("api-reference").is_dir() {
        eprintln!("{} has no api-reference/: skipped", dir.display());
        return;
    }
    let out = scratch("real");
    let report = import(&dir, &out, false).unwrap();
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    assert!(report.written >= 1450, "only {} specs", report.written);
    let sources = bitrix_codegen::load_dir(&out).unwrap();
    let checked = bitrix_codegen::check_all(&sources);
    assert!(
        checked.problems.is_empty(),
        "{:?}",
        checked.problems.first()
    );
}

#[test]
fn drift_reports_changed_facts_and_coverage_counts() {
    let out = scratch("drift");
    import(&pages(), &out, false).unwrap();
    let clean = bitrix_specs::drift::drift(&pages(), &out).unwrap();
    assert!(clean.is_empty(), "{clean:?}");
    // A hand-finished copy that lost a parameter and an error row, plus a spec with no page.
    let path = out.join("demo/demo.thing.update.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text
        .replace("origin = \"import\"\n", "")
        .replace("[[params]]\nname = \"CLIENT_ID\"\ntype = \"string\"\n", "")
        .replace(
            "[[errors]]\ncode = \"THING_NOT_FOUND\"\ndescription = \"Thing not found\"\n",
            "",
        );
    std::fs::write(&path, text).unwrap();
    // A hand-finished spec that settled a todo point (the union `mode`): not reported again.
    let path = out.join("demo/demo.thing.get.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let start = text.find("todo = [").unwrap();
    let end = start + text[start..].find("]\n").unwrap() + 2;
    let text = format!("{}{}", &text[..start], &text[end..])
        .replace("origin = \"import\"\n", "")
        .replace(
            "name = \"mode\"\ntype = \"any\"",
            "name = \"mode\"\ntype = \"string\"\nrequired = true",
        );
    std::fs::write(&path, text).unwrap();
    std::fs::write(
        out.join("demo/demo.gone.toml"),
        "method = \"demo.gone\"\nscope = \"demo\"\n\n[result]\ntype = \"any\"\n",
    )
    .unwrap();
    let lines = bitrix_specs::drift::drift(&pages(), &out).unwrap();
    let expected_path = snapshots().join("drift.txt");
    let actual = lines
        .iter()
        .map(|l| l.replace(&out.display().to_string(), "OUT"))
        .collect::<Vec<_>>()
        .join("\n")
        + "\n";
    let mut mismatches = Vec::new();
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    compare(&expected_path, &actual, update, &mut mismatches);
    let coverage = bitrix_specs::coverage::coverage(&pages(), &out).unwrap();
    let coverage = std::fs::read_to_string(coverage).unwrap();
    compare(
        &snapshots().join("COVERAGE.md"),
        &coverage,
        update,
        &mut mismatches,
    );
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n\n"));
}

#[test]
fn reviewed_differences_are_not_reported_and_stale_reviews_are() {
    let out = scratch("reviewed");
    import(&pages(), &out, false).unwrap();
    let path = out.join("demo/demo.thing.update.toml");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("origin = \"import\"\n", "")
        .replace("[[params]]\nname = \"CLIENT_ID\"\ntype = \"string\"\n", "");
    // The dropped parameter is reviewed; the second entry names a difference that does not occur.
    let reviewed = "\n[[reviewed]]\ndrift = \"parameter `CLIENT_ID` is new in the reference\"\nwhy = \"the runtime sends it\"\n\n[[reviewed]]\ndrift = \"error `GONE` is new in the reference\"\nwhy = \"stale\"\n";
    std::fs::write(&path, format!("{text}{reviewed}")).unwrap();
    let checked = bitrix_codegen::check_all(&bitrix_codegen::load_dir(&out).unwrap());
    assert!(
        checked.problems.is_empty(),
        "{:?}",
        checked.problems.first()
    );
    let lines = bitrix_specs::drift::drift(&pages(), &out).unwrap();
    assert_eq!(
        lines,
        ["demo.thing.update: reviewed difference no longer found (remove it from [[reviewed]]): error `GONE` is new in the reference"]
    );
}

#[test]
fn mark_restores_scopes_and_marks_reads_and_stats_count_them() {
    let out = scratch("mark");
    import(&pages(), &out, false).unwrap();
    // Two hand-finished specs as older imports left them: a read without `idempotent`, and a
    // dotted scope written with `_`.
    let list = out.join("demo/demo.entry.list.toml");
    let text = std::fs::read_to_string(&list)
        .unwrap()
        .replace("origin = \"import\"\n", "")
        .replace("idempotent = true\n", "");
    std::fs::write(&list, text).unwrap();
    let update = out.join("demo/demo.entry.update.toml");
    let text = std::fs::read_to_string(&update)
        .unwrap()
        .replace("origin = \"import\"\n", "")
        .replace("scope = \"demo.b2e\"", "scope = \"demo_b2e\"");
    std::fs::write(&update, text).unwrap();
    let before = bitrix_specs::stats::stats(&out).unwrap();
    assert_eq!(before.reads_not_idempotent, ["demo.entry.list"]);
    assert!(before.any_fields > 0 && before.with_todo > 0, "{before:?}");
    let marked = bitrix_specs::mark::mark(Some(&pages()), &out).unwrap();
    assert_eq!(marked.idempotent, std::slice::from_ref(&list));
    assert_eq!(marked.scope, std::slice::from_ref(&update));
    let text = std::fs::read_to_string(&list).unwrap();
    assert!(
        text.contains("scope = \"demo\"\nidempotent = true\n"),
        "{text}"
    );
    assert!(std::fs::read_to_string(&update)
        .unwrap()
        .contains("scope = \"demo.b2e\"\n"));
    let after = bitrix_specs::stats::stats(&out).unwrap();
    assert!(after.reads_not_idempotent.is_empty());
    assert_eq!(after.any_fields, before.any_fields);
    // A second run changes nothing, and the specs still validate.
    let again = bitrix_specs::mark::mark(Some(&pages()), &out).unwrap();
    assert!(again.idempotent.is_empty() && again.scope.is_empty());
    let checked = bitrix_codegen::check_all(&bitrix_codegen::load_dir(&out).unwrap());
    assert!(
        checked.problems.is_empty(),
        "{:?}",
        checked.problems.first()
    );
}

#[test]
fn coverage_lists_methods_checked_against_recorded_answers() {
    let out = scratch("recorded");
    import(&pages(), &out, false).unwrap();
    let recorded = scratch("recorded-cases");
    std::fs::write(
        recorded.join("001-demo.thing.get.json"),
        r#"{"method": "demo.thing.get", "status": 200, "response": {"result": {}}}"#,
    )
    .unwrap();
    std::fs::write(
        recorded.join("002-batch.demo.thing.get.json"),
        r#"{"method": "batch", "inner_method": "DEMO.THING.GET", "response": {"result": {}}}"#,
    )
    .unwrap();
    let path = bitrix_specs::coverage::coverage_with(&pages(), &out, Some(&recorded)).unwrap();
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains("- **demo**: `demo.thing.get` (2)"), "{text}");
    let all = text.lines().find(|l| l.starts_with("| **all**")).unwrap();
    assert!(all.ends_with("| 1 | 2 |"), "{all}");
}
