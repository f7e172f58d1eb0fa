pub mod date;
pub mod document;
pub mod model;
pub mod source;
