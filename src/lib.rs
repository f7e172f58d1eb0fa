pub mod date;
pub mod diagnostic;
pub mod document;
pub mod model;
pub mod rules;
pub mod source;
pub mod suggest;
