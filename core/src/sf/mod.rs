//! placeholder: replaced by the structured-field reader
