//! The end-to-end tests, as one test crate: one module per area, sharing the helpers in
//! `tests/common` and `tests/fix_support`. One crate links the library once and lets libtest run
//! every test in parallel in one process; so no test may change the process's working directory
//! or environment (each runs the binary as a child process with its own).
//!
//! `cargo test NAME` selects by the test's path, e.g. `cargo test evidence_stale` or
//! `cargo test hostile::`. The long runs (mutation, fix properties, proptest) take their case
//! counts from the environment; see CONTRIBUTING.md, "Long test runs".

#[path = "../common/mod.rs"]
mod common;
#[path = "../fix_support/mod.rs"]
mod fix_support;

mod approve;
mod audit;
mod bad_input;
mod base;
mod base_online_safety;
// FIFOs, symbolic links, modes and `OsStrExt` paths: the attempts these reproduce are Unix ones.
#[cfg(unix)]
mod boundary;
mod bounded;
mod catalogue;
mod cli;
mod commands;
mod docs;
mod examples;
mod fix;
mod fix_properties;
mod fix_safety;
mod github;
mod history;
#[cfg(unix)]
mod hostile;
mod indicators;
mod init;
mod layering;
mod mappings;
mod messages;
mod mutation;
mod no_cascade;
mod online;
mod oscal;
mod output_safety;
mod properties;
mod report_complete;
mod report_truth;
mod rule_fixtures;
mod sarif;
#[cfg(unix)]
mod security;
#[cfg(unix)]
mod signoff_and_paths;
mod streaming;
#[cfg(unix)]
mod writes;
mod xlsx;
