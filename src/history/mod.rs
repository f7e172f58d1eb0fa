//! `history`: the profile tree as of each commit that touched it, analysed with the same code as
//! `check`, read from git blobs (no checkout, nothing written).

// The command that fills the model is not wired in yet.
#[allow(dead_code)]
pub(crate) mod model;
// Wired into the command with the engine.
#[allow(dead_code)]
pub(crate) mod facts;
#[cfg(test)]
pub(crate) mod testing;
