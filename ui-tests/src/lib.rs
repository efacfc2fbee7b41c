//! The UI tests of `cookie-policy` live in `tests/ui.rs`, their cases in
//! `ui/`; this library is empty.
