//! The auditors' toolkit: `report` (the maturity profile for humans) and `evidence` (the index
//! of every evidence item with its status), built from the same analysis as `check`.
//!
//! [`model`] is the data every format shows; `build`, `evidence`, `plan`, `git` and `links`
//! fill it from an analysis; `markdown`, `html`, `csv`, `oscal`, `xlsx` (and serde, for JSON)
//! write it. States are enums in the model and become words only in the writers.

mod build;
mod crosswalk;
pub(crate) mod csv;
mod evidence;
mod git;
pub(crate) mod history;
pub(crate) mod html;
mod links;
pub(crate) mod markdown;
pub(crate) mod model;
pub(crate) mod narrative;
pub(crate) mod oscal;
mod plan;
pub(crate) mod since;
#[cfg(test)]
mod tests;
pub(crate) mod xlsx;

pub(crate) use build::build;
pub(crate) use evidence::all_evidence;
pub(crate) use links::{link_from, set_links};
