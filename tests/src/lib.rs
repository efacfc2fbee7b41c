//! Integration tests of `cookie-policy` live in `tests/`; this library is empty.
