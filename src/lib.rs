//! hush
