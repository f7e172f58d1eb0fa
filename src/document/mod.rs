pub mod body;
pub mod fields;
pub mod split;
pub mod yaml;
