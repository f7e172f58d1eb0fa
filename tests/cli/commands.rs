//! The command line as users and scripts see it: clap's own consistency checks, the `--help`
//! text of every command pinned in tests/snapshots/help/, and `init --model` loading a
//! catalogue the way `check` does.
//!
//! Regenerate the help snapshots with `UPDATE_SNAPSHOTS=1 cargo test --test cli commands::` after an
//! intended change, and read the diff.

use crate::common::*;
use clap::CommandFactory;
use smm_lint::cli::Cli;
use std::path::PathBuf;
use std::process::Command;

fn update() -> bool {
    std::env::var_os("UPDATE_SNAPSHOTS").is_some()
}

#[test]
fn the_command_line_definition_is_consistent() {
    Cli::command().debug_assert();
}

/// Every command's name, and the top level as `None`.
fn commands() -> Vec<Option<String>> {
    let mut names = vec![None];
    names.extend(
        Cli::command()
            .get_subcommands()
            .filter(|c| c.get_name() != "help")
            .map(|c| Some(c.get_name().to_owned())),
    );
    names
}

fn snapshot_path(command: Option<&str>) -> PathBuf {
    repo()
        .join("tests/snapshots/help")
        .join(format!("{}.txt", command.unwrap_or("smm-lint")))
}

/// `smm-lint [COMMAND] --help` through the built binary, at a fixed width.
fn help(command: Option<&str>) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_smm-lint"))
        .args(command)
        .arg("--help")
        .env("COLUMNS", "100")
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs");
    assert_eq!(code(&out), 0, "{command:?}: {}", stderr(&out));
    stdout(&out)
}

#[test]
fn every_command_help_matches_its_snapshot() {
    let mut stale = Vec::new();
    for command in commands() {
        let command = command.as_deref();
        let path = snapshot_path(command);
        let actual = help(command);
        if update() {
            std::fs::create_dir_all(path.parent().expect("a directory")).expect("mkdir");
            std::fs::write(&path, &actual).expect("write snapshot");
            continue;
        }
        let expected = std::fs::read_to_string(&path).unwrap_or_default();
        if expected != actual {
            stale.push(format!(
                "{}\n--- expected\n{expected}\n--- actual\n{actual}",
                path.display()
            ));
        }
    }
    assert!(
        stale.is_empty(),
        "help snapshots out of date; rerun with UPDATE_SNAPSHOTS=1:\n{}",
        stale.join("\n")
    );
}

#[test]
fn no_help_snapshot_is_left_for_a_command_that_is_gone() {
    let expected: std::collections::BTreeSet<PathBuf> = commands()
        .iter()
        .map(|c| snapshot_path(c.as_deref()))
        .collect();
    let dir = repo().join("tests/snapshots/help");
    let stray: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/snapshots/help exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| !expected.contains(p))
        .collect();
    assert!(stray.is_empty(), "{stray:?}");
}

/// A catalogue file that extends the built-in one with a domain and a subdomain, and one that
/// extends it in turn with a practice in that subdomain.
const BASE: &str = "id: acme-base\nextends: iic-smm\ndomains:\n  - id: institutional\n    name: Institutional\nsubdomains:\n  - id: training\n    domain: institutional\n    name: Training\n";
const ACME: &str = "id: acme\nextends: base.yaml\npractices:\n  - id: security-awareness-training\n    subdomain: training\n    name: Security awareness training\n";

fn init_with_model(dir: &std::path::Path) -> std::process::Output {
    run(
        dir,
        &[
            "init",
            "--yes",
            "--profile",
            "demo",
            "--model",
            "models/acme.yaml",
            "--target",
            "security-awareness-training=2/general",
            "--today",
            TODAY,
        ],
    )
}

#[test]
fn init_follows_the_extends_chain_of_its_model_as_check_does() {
    let dir = tempfile::tempdir().expect("temp dir");
    write_tree(
        dir.path(),
        &[("models/base.yaml", BASE), ("models/acme.yaml", ACME)],
    );
    let out = init_with_model(dir.path());
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        dir.path()
            .join("institutional/security-awareness-training.md")
            .is_file(),
        "the practice of the extension at the end of the chain is scaffolded"
    );
    let (_, json) = check_json(dir.path(), &[]);
    let rules: std::collections::BTreeSet<&str> = diagnostics(&json)
        .iter()
        .filter_map(|d| d["rule"].as_str())
        .collect();
    assert_eq!(
        rules.into_iter().collect::<Vec<_>>(),
        ["below-target"],
        "check reads the scaffold with the same catalogue"
    );
}

#[test]
fn init_refuses_a_model_that_check_would_refuse() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cycle = BASE.replace("extends: iic-smm", "extends: acme.yaml");
    write_tree(
        dir.path(),
        &[("models/base.yaml", &cycle), ("models/acme.yaml", ACME)],
    );
    let out = init_with_model(dir.path());
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(stderr(&out).contains("cycle"), "{}", stderr(&out));
    assert!(
        !dir.path().join("profile.md").exists(),
        "nothing is written"
    );
}
