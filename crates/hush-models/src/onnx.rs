//! The float initializers (weights) of an ONNX model, read straight from
//! its protobuf bytes.
//!
//! Only what a weight import needs: `ModelProto.graph` (field 7) →
//! `GraphProto.initializer` (field 5) → `TensorProto` name (8), dims (1),
//! data type (2), raw_data (9) or float_data (4). The graph's operators are
//! not read (the caller knows the architecture), so no protobuf code
//! generator or ONNX runtime is needed. Every length is checked against the
//! bytes that are there before anything is allocated for it.

/// One weight tensor.
#[derive(Debug, Clone, PartialEq)]
pub struct Initializer {
    pub name: String,
    pub dims: Vec<usize>,
    pub data: Vec<f32>,
}

/// A tensor rank beyond this is not a weight.
const MAX_RANK: usize = 8;
/// ONNX's TensorProto.DataType FLOAT.
const FLOAT: u64 = 1;

/// The graph's initializers, in file order.
pub fn initializers(bytes: &[u8]) -> Result<Vec<Initializer>, String> {
    let mut graph = None;
    for field in Fields(bytes) {
        if let (7, Value::Bytes(b)) = field? {
            graph = Some(b);
        }
    }
    let graph = graph.ok_or("no graph (not an ONNX model)")?;
    let mut out = Vec::new();
    for field in Fields(graph) {
        if let (5, Value::Bytes(t)) = field? {
            out.push(tensor(t).map_err(|e| format!("initializer {}: {e}", out.len()))?);
        }
    }
    Ok(out)
}

fn tensor(bytes: &[u8]) -> Result<Initializer, String> {
    let (mut name, mut dims, mut data_type, mut raw, mut floats) = (None, Vec::new(), None, None, Vec::new());
    for field in Fields(bytes) {
        match field? {
            (1, Value::Varint(d)) => dims.push(d),
            (1, Value::Bytes(packed)) => {
                let mut r = Reader(packed);
                while !r.0.is_empty() {
                    dims.push(r.varint()?);
                }
            }
            (2, Value::Varint(t)) => data_type = Some(t),
            (4, Value::Fixed32(f)) => floats.push(f32::from_bits(f)),
            (4, Value::Bytes(packed)) => {
                if packed.len() % 4 != 0 {
                    return Err("float_data is not whole floats".into());
                }
                floats.extend(packed.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])));
            }
            (8, Value::Bytes(n)) => name = Some(String::from_utf8(n.to_vec()).map_err(|_| "a name that is not UTF-8")?),
            (9, Value::Bytes(r)) => raw = Some(r),
            (14, Value::Varint(1)) => return Err("weights in an external file are not read".into()),
            _ => {}
        }
        if dims.len() > MAX_RANK {
            return Err(format!("more than {MAX_RANK} dimensions"));
        }
    }
    let name = name.ok_or("no name")?;
    if data_type != Some(FLOAT) {
        return Err(format!("{name}: data type {data_type:?}; only float weights are read"));
    }
    let dims: Vec<usize> = dims.into_iter().map(usize::try_from).collect::<Result<_, _>>().map_err(|_| format!("{name}: a dimension too large"))?;
    let count = dims.iter().try_fold(1usize, |n, &d| n.checked_mul(d)).ok_or_else(|| format!("{name}: dimensions overflow"))?;
    let data = match raw {
        Some(raw) => {
            if raw.len() != count.saturating_mul(4) {
                return Err(format!("{name}: {} bytes of data for {count} floats", raw.len()));
            }
            raw.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect()
        }
        None if floats.len() == count => floats,
        None => return Err(format!("{name}: {} floats for dimensions {dims:?}", floats.len())),
    };
    Ok(Initializer { name, dims, data })
}

enum Value<'a> {
    Varint(u64),
    Fixed32(u32),
    Bytes(&'a [u8]),
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn varint(&mut self) -> Result<u64, String> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let (&b, rest) = self.0.split_first().ok_or("truncated varint")?;
            self.0 = rest;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err("varint longer than 10 bytes".into())
    }

    fn take(&mut self, n: u64) -> Result<&'a [u8], String> {
        let n = usize::try_from(n).ok().filter(|&n| n <= self.0.len()).ok_or_else(|| format!("a field of {n} bytes where {} remain", self.0.len()))?;
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }
}

/// The fields of one message, in order.
struct Fields<'a>(&'a [u8]);

impl<'a> Iterator for Fields<'a> {
    type Item = Result<(u64, Value<'a>), String>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.0.is_empty() {
            return None;
        }
        let mut r = Reader(self.0);
        let field = (|| {
            let key = r.varint()?;
            let value = match key & 7 {
                0 => Value::Varint(r.varint()?),
                1 => {
                    r.take(8)?;
                    Value::Varint(0)
                }
                2 => {
                    let n = r.varint()?;
                    Value::Bytes(r.take(n)?)
                }
                5 => {
                    let b = r.take(4)?;
                    Value::Fixed32(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                }
                w => return Err(format!("wire type {w} is not read")),
            };
            Ok((key >> 3, value))
        })();
        // After an error the message is not read further.
        self.0 = if field.is_ok() { r.0 } else { &[] };
        Some(field)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn varint(mut v: u64, out: &mut Vec<u8>) {
        while v >= 0x80 {
            out.push((v as u8) | 0x80);
            v >>= 7;
        }
        out.push(v as u8);
    }

    fn field(n: u64, bytes: &[u8], out: &mut Vec<u8>) {
        varint(n << 3 | 2, out);
        varint(bytes.len() as u64, out);
        out.extend_from_slice(bytes);
    }

    fn model(tensors: &[Vec<u8>]) -> Vec<u8> {
        let mut graph = Vec::new();
        field(1, b"an unread node", &mut graph);
        for t in tensors {
            field(5, t, &mut graph);
        }
        let mut m = vec![0x08, 0x08]; // ir_version 8
        field(7, &graph, &mut m);
        m
    }

    fn tensor(name: &str, dims: &[u64], data: &[f32], packed_dims: bool) -> Vec<u8> {
        let mut t = Vec::new();
        if packed_dims {
            let mut p = Vec::new();
            dims.iter().for_each(|&d| varint(d, &mut p));
            field(1, &p, &mut t);
        } else {
            for &d in dims {
                varint(1 << 3, &mut t);
                varint(d, &mut t);
            }
        }
        t.extend([2 << 3, 1]);
        field(8, name.as_bytes(), &mut t);
        let raw: Vec<u8> = data.iter().flat_map(|f| f.to_le_bytes()).collect();
        field(9, &raw, &mut t);
        t
    }

    #[test]
    fn reads_initializers_with_plain_or_packed_dims() {
        let m = model(&[tensor("w", &[2, 3], &[1.0, 2.0, 3.0, 4.0, 5.0, -6.5], false), tensor("b", &[2], &[0.5, 0.25], true)]);
        let got = initializers(&m).unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!((got[0].name.as_str(), got[0].dims.clone(), got[0].data[5]), ("w", vec![2, 3], -6.5));
        assert_eq!((got[1].name.as_str(), got[1].dims.clone(), got[1].data.clone()), ("b", vec![2], vec![0.5, 0.25]));
    }

    #[test]
    fn lying_or_cut_files_are_refused_with_the_reason() {
        // Dimensions that promise more than the data holds.
        let m = model(&[tensor("w", &[1 << 20, 1 << 20], &[1.0], false)]);
        assert!(initializers(&m).unwrap_err().contains("4 bytes of data"), "{:?}", initializers(&m));
        let ok = model(&[tensor("w", &[2], &[1.0, 2.0], false)]);
        for cut in [1, ok.len() / 2, ok.len() - 1] {
            assert!(initializers(&ok[..cut]).is_err(), "cut at {cut}");
        }
        assert_eq!(initializers(b"").unwrap_err(), "no graph (not an ONNX model)");
        let m = model(&[tensor("w", &[1 << 40, 1 << 30], &[1.0], false)]);
        assert!(initializers(&m).unwrap_err().contains("overflow"));
    }
}
