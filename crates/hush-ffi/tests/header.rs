//! include/hush.h is what cbindgen makes of the crate now.

use std::path::Path;

#[test]
fn the_committed_header_is_current() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")).expect("cbindgen.toml");
    let bindings = cbindgen::generate_with_config(crate_dir, config).expect("the crate parses");
    let mut generated = Vec::new();
    bindings.write(&mut generated);
    let path = crate_dir.join("../../include/hush.h");
    if std::env::var_os("HUSH_WRITE_HEADER").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read(&path).unwrap_or_default();
    assert!(committed == generated, "include/hush.h is out of date: run `make header`");
}
