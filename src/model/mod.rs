pub mod catalogue;
pub mod evidence;
pub mod indicators;
pub mod level;
pub(crate) mod load;
pub(crate) mod mapping;
