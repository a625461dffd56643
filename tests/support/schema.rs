//! Checks JSON lines against `docs/turn.schema.json`, the one schema of
//! turns, events and errors (with boon, a JSON Schema 2020-12 validator, so
//! the file itself is what is tested). Included with `#[path]` by the tests
//! of each command that writes it and of the C ABI.

use std::sync::OnceLock;

static SCHEMA: OnceLock<(boon::Schemas, boon::SchemaIndex)> = OnceLock::new();

/// Panics, naming what is wrong, unless `line` follows the schema.
pub fn assert_schema(line: &serde_json::Value) {
    let (schemas, index) = SCHEMA.get_or_init(|| {
        // The including test's crate is the root or a member of crates/.
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .ancestors()
            .map(|d| d.join("docs/turn.schema.json"))
            .find(|p| p.exists())
            .expect("docs/turn.schema.json above the crate");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut schemas = boon::Schemas::new();
        let mut compiler = boon::Compiler::new();
        compiler.add_resource("turn.schema.json", serde_json::from_str::<serde_json::Value>(&text).expect("the schema is JSON")).unwrap();
        let index = compiler.compile("turn.schema.json", &mut schemas).unwrap_or_else(|e| panic!("the schema compiles: {e}"));
        (schemas, index)
    });
    if let Err(e) = schemas.validate(line, *index) {
        panic!("not schema 1: {e:#}\n{line:#}");
    }
}
