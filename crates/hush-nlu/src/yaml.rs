//! YAML read into a small tree that remembers where each node was, so that
//! every problem in an intent file can be reported at its line and column.

use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};

#[derive(Debug, Clone)]
pub struct Node {
    /// 1-based line and column of the node's first character.
    pub line: usize,
    pub col: usize,
    /// The scalar was written in quotes: its text starts one column later.
    pub quoted: bool,
    pub kind: Kind,
}

#[derive(Debug, Clone)]
pub enum Kind {
    Null,
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

/// A YAML syntax error: 1-based line and column, and saphyr's message.
pub struct YamlError {
    pub line: usize,
    pub col: usize,
    pub message: String,
}

/// Largest intent file: generous for imported contexts, small enough that
/// nothing downstream is slowed by one.
pub const MAX_BYTES: usize = 4 << 20;

/// Deepest nesting of sequences and mappings: intent files need four.
/// saphyr's loader and [`convert`] recurse once per level.
pub const MAX_DEPTH: usize = 64;

pub fn parse(src: &str) -> Result<Node, YamlError> {
    if src.len() > MAX_BYTES {
        return Err(YamlError { line: 1, col: 1, message: format!("file of {} bytes: intent files are at most {MAX_BYTES}", src.len()) });
    }
    check_depth(src)?;
    let docs = MarkedYaml::load_from_str(src).map_err(|e| YamlError { line: e.marker().line(), col: e.marker().col() + 1, message: e.info().to_string() })?;
    let chars: Vec<char> = src.chars().collect();
    Ok(docs.first().map_or(Node { line: 1, col: 1, quoted: false, kind: Kind::Null }, |d| convert(d, &chars)))
}

/// Walks the parser's events (no recursion) and refuses nesting deeper
/// than [`MAX_DEPTH`] before anything recursive sees the file.
fn check_depth(src: &str) -> Result<(), YamlError> {
    let mut depth = 0usize;
    for event in saphyr_parser::Parser::new_from_str(src) {
        let (event, span) = match event {
            Ok(e) => e,
            // The loader reports syntax errors with the same position.
            Err(_) => return Ok(()),
        };
        match event {
            saphyr_parser::Event::SequenceStart(..) | saphyr_parser::Event::MappingStart(..) => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(YamlError { line: span.start.line(), col: span.start.col() + 1, message: format!("nested more than {MAX_DEPTH} levels deep") });
                }
            }
            saphyr_parser::Event::SequenceEnd | saphyr_parser::Event::MappingEnd => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

fn convert(n: &MarkedYaml, chars: &[char]) -> Node {
    let start = n.span.start;
    let kind = match &n.data {
        YamlData::Value(s) => match s {
            Scalar::Null => Kind::Null,
            Scalar::Boolean(b) => Kind::Str(b.to_string()),
            Scalar::Integer(i) => Kind::Str(i.to_string()),
            Scalar::FloatingPoint(f) => Kind::Str(f.to_string()),
            Scalar::String(s) => Kind::Str(s.to_string()),
        },
        YamlData::Representation(s, _, _) => Kind::Str(s.to_string()),
        YamlData::Sequence(v) => Kind::Seq(v.iter().map(|x| convert(x, chars)).collect()),
        YamlData::Mapping(m) => Kind::Map(m.iter().map(|(k, v)| (convert(k, chars), convert(v, chars))).collect()),
        _ => Kind::Null,
    };
    let quoted = matches!(chars.get(start.index()), Some('"') | Some('\''));
    Node { line: start.line(), col: start.col() + 1, quoted, kind }
}

/// The value of `key` among a mapping's entries.
pub fn lookup<'a>(entries: &'a [(Node, Node)], key: &str) -> Option<&'a Node> {
    entries.iter().find(|(k, _)| k.as_str() == Some(key)).map(|(_, v)| v)
}

impl Node {
    /// The value of `key` when this is a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.kind {
            Kind::Map(m) => lookup(m, key),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn what(&self) -> &'static str {
        match self.kind {
            Kind::Null => "nothing",
            Kind::Str(_) => "a string",
            Kind::Seq(_) => "a list",
            Kind::Map(_) => "a mapping",
        }
    }
}
