//! smm-lint: lint an IoT Security Maturity Model profile kept as Markdown documents.
//!
//! `main` parses the arguments (`cli`) and calls `commands::run`, which dispatches to one module
//! per command (`commands::{check, report, evidence, history, pin, approve, init, rules,
//! describe}`) and owns the exit status (0, 1, 2). Each command builds one `context::Context`
//! (current directory, `--today`, settings from `.smm-lint.yaml`, the run's cache) and runs the
//! pipeline below, each stage in its own module:
//!
//! ```text
//! args (cli) → commands::<name> → context (cwd, --today, settings + .smm-lint.yaml: config,
//!      the run's cache)
//!   → discover (walk, walk up to the profile) → load + parse each file (yaml: front matter
//!      split, YAML with spans; document: typed schema, Markdown body)
//!   → build profiles (profile: catalogue from model, target inheritance) → checks (one module
//!      per family) → sink (severity overrides, waivers, order)
//!   → report (check: human | json | github | sarif | summary-md; Format::reporter)
//!     or audit (report, evidence) → stdout, or a file through write
//! ```
//!
//! Nothing outside `commands` imports from it. Documents are parsed independently of each
//! other; checks read them and never mutate shared state.
//!
//! ## Layers
//!
//! A module imports only from its own layer or the layers below it, and no two modules import
//! each other, directly or round a loop. `tests/cli/layering.rs` reads this picture and holds the
//! `crate::` paths of `src/` to it.
//!
//! ```text
//! main                                        ← arguments in, exit status out
//!    ↓
//! commands                                    ← one room per command
//!    ↓
//! report, audit                               ← renderers of a run's findings
//!    ↓
//! analysis, history                          ← load → profiles → checks → sink (now; as of commits)
//!    ↓
//! checks, fix, gap, profile, base, online, sink, approval
//!                                             ← rules over whole profiles; findings to a verdict
//!    ↓
//! discover, load, document                    ← files on disk to parsed documents
//!    ↓
//! context, settings, config, cli              ← what a run is told
//!    ↓
//! model, diagnostic, rules                    ← the catalogue, the finding, the rule registry
//!    ↓
//! yaml, text, write, read, stdout, paths, date, source, error, log, cache, git
//!                                             ← leaves: no imports from the layers above
//! ```

mod analysis;
mod approval;
mod audit;
mod base;
mod cache;
mod checks;
pub mod cli;
pub mod commands;
#[doc(hidden)]
pub mod config;
#[doc(hidden)]
pub mod context;
#[doc(hidden)]
pub mod date;
#[doc(hidden)]
pub mod diagnostic;
#[doc(hidden)]
pub mod discover;
#[doc(hidden)]
pub mod document;
#[doc(hidden)]
pub mod error;
mod fix;
#[doc(hidden)]
pub mod gap;
mod git;
mod history;
#[doc(hidden)]
pub mod load;
mod log;
#[doc(hidden)]
pub mod model;
#[doc(hidden)]
pub mod online;
mod paths;
mod profile;
mod read;
#[doc(hidden)]
pub mod report;
#[doc(hidden)]
pub mod rules;
#[doc(hidden)]
pub mod settings;
#[doc(hidden)]
pub mod sink;
#[doc(hidden)]
pub mod source;
#[doc(hidden)]
pub mod stdout;
#[doc(hidden)]
pub mod text;
mod write;
#[doc(hidden)]
pub mod yaml;
