//! A GGUF header walked and checked before candle reads it: candle trusts
//! the file (an alignment of 0 divides by zero, a string length of 2⁶⁴
//! is allocated), so every count, length, alignment and tensor extent is
//! checked here against the file's real size first. Nothing is allocated
//! from a header field before it is checked.

use std::io::Read;

/// Header fields beyond which a file is not a Whisper model.
const MAX_TENSORS: u64 = 100_000;
const MAX_KEYS: u64 = 100_000;
const MAX_DIMS: u32 = 4;
/// Array nesting: GGUF allows arrays of arrays; no model needs more.
const MAX_ARRAY_DEPTH: u32 = 4;

/// Checks a GGUF file of `len` bytes read from `r` (at its start).
pub fn check_header(r: &mut impl Read, len: u64) -> Result<(), String> {
    let mut h = Header { r, pos: 0, len };
    if h.u32()? != 0x4655_4747 {
        return Err("not a GGUF file (bad magic)".into());
    }
    let version = h.u32()?;
    if !(2..=3).contains(&version) {
        return Err(format!("GGUF version {version} is not supported (2 or 3 are)"));
    }
    let tensors = h.u64()?;
    let keys = h.u64()?;
    if tensors > MAX_TENSORS || keys > MAX_KEYS {
        return Err(format!("{tensors} tensors and {keys} metadata keys: not a model"));
    }
    let mut alignment = 32u64;
    for _ in 0..keys {
        let key = h.string()?;
        let ty = h.u32()?;
        // candle drops trailing NULs from names, so "general.alignment\0"
        // is the alignment key to it and must be checked as one here.
        if key.trim_end_matches('\0') == "general.alignment" {
            if ty != 4 {
                return Err(format!("general.alignment has type {ty}, not u32"));
            }
            alignment = h.u32()? as u64;
            if alignment == 0 || !alignment.is_power_of_two() {
                return Err(format!("general.alignment {alignment} is not a power of two"));
            }
        } else {
            h.value(ty, 0)?;
        }
    }
    let mut extents = Vec::new();
    for _ in 0..tensors {
        let name = h.string()?;
        let n_dims = h.u32()?;
        if n_dims == 0 || n_dims > MAX_DIMS {
            return Err(format!("tensor {name}: {n_dims} dimensions"));
        }
        let mut elems = 1u64;
        for _ in 0..n_dims {
            elems = elems.checked_mul(h.u64()?).ok_or_else(|| format!("tensor {name}: its size overflows"))?;
        }
        let ty = h.u32()?;
        let (block, bytes) = ggml_block(ty).ok_or_else(|| format!("tensor {name}: unknown type {ty}"))?;
        if !elems.is_multiple_of(block) {
            return Err(format!("tensor {name}: {elems} values do not fill blocks of {block}"));
        }
        let size = (elems / block).checked_mul(bytes).ok_or_else(|| format!("tensor {name}: its size overflows"))?;
        let offset = h.u64()?;
        if offset % alignment != 0 {
            return Err(format!("tensor {name}: offset {offset} is not aligned to {alignment}"));
        }
        extents.push((name, offset, size));
    }
    let data = h.pos.div_ceil(alignment).checked_mul(alignment).ok_or("the data offset overflows")?;
    for (name, offset, size) in extents {
        let end = data.checked_add(offset).and_then(|s| s.checked_add(size));
        if end.is_none_or(|e| e > len) {
            return Err(format!("tensor {name}: its {size} bytes at offset {offset} lie beyond the file's {len} bytes"));
        }
    }
    Ok(())
}

/// Values per block and bytes per block of a ggml type.
fn ggml_block(ty: u32) -> Option<(u64, u64)> {
    Some(match ty {
        0 => (1, 4),
        1 | 30 => (1, 2),
        2 => (32, 18),
        3 => (32, 20),
        6 => (32, 22),
        7 => (32, 24),
        8 => (32, 34),
        9 => (32, 36),
        10 => (256, 84),
        11 => (256, 110),
        12 => (256, 144),
        13 => (256, 176),
        14 => (256, 210),
        15 => (256, 292),
        _ => return None,
    })
}

struct Header<'r, R> {
    r: &'r mut R,
    pos: u64,
    len: u64,
}

impl<R: Read> Header<'_, R> {
    /// Skips or reads `n` bytes, refusing what the file cannot hold.
    fn bytes(&mut self, n: u64, keep: bool) -> Result<Vec<u8>, String> {
        if n > self.len.saturating_sub(self.pos) {
            return Err(format!("a field of {n} bytes at offset {} runs past the file's {} bytes", self.pos, self.len));
        }
        let mut out = Vec::new();
        let got = if keep {
            self.r.by_ref().take(n).read_to_end(&mut out)
        } else {
            std::io::copy(&mut self.r.by_ref().take(n), &mut std::io::sink()).map(|n| n as usize)
        }
        .map_err(|e| e.to_string())?;
        if got as u64 != n {
            return Err(format!("the header ends early at offset {}", self.pos + got as u64));
        }
        self.pos += n;
        Ok(out)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], String> {
        let v = self.bytes(N as u64, true)?;
        v.try_into().map_err(|_| "short read".to_string())
    }

    fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    fn u64(&mut self) -> Result<u64, String> {
        Ok(u64::from_le_bytes(self.array()?))
    }

    fn string(&mut self) -> Result<String, String> {
        let n = self.u64()?;
        if n > 1 << 16 {
            return Err(format!("a name of {n} bytes"));
        }
        String::from_utf8(self.bytes(n, true)?).map_err(|_| "a name is not UTF-8".to_string())
    }

    /// Skips a metadata value of type `ty`.
    fn value(&mut self, ty: u32, depth: u32) -> Result<(), String> {
        let fixed = match ty {
            0 | 1 | 7 => 1,
            2 | 3 => 2,
            4..=6 => 4,
            10..=12 => 8,
            8 => {
                let n = self.u64()?;
                return self.bytes(n, false).map(drop);
            }
            9 => {
                if depth >= MAX_ARRAY_DEPTH {
                    return Err("arrays nested too deep".into());
                }
                let inner = self.u32()?;
                let n = self.u64()?;
                // Each element takes at least a byte: a count the file
                // cannot hold is refused before it is walked.
                if n > self.len.saturating_sub(self.pos) {
                    return Err(format!("an array of {n} values runs past the file"));
                }
                for _ in 0..n {
                    self.value(inner, depth + 1)?;
                }
                return Ok(());
            }
            other => return Err(format!("unknown metadata type {other}")),
        };
        self.bytes(fixed, false).map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    /// A minimal GGUF: one f32 tensor of 4 values, optional alignment key.
    fn gguf(alignment: Option<u32>, offset: u64, dims: &[u64]) -> Vec<u8> {
        gguf_keyed(b"general.alignment", alignment, offset, dims)
    }

    fn gguf_keyed(key: &[u8], alignment: Option<u32>, offset: u64, dims: &[u64]) -> Vec<u8> {
        let mut b = Vec::new();
        b.extend_from_slice(&0x4655_4747u32.to_le_bytes());
        b.extend_from_slice(&3u32.to_le_bytes());
        b.extend_from_slice(&1u64.to_le_bytes());
        b.extend_from_slice(&(alignment.is_some() as u64).to_le_bytes());
        if let Some(a) = alignment {
            b.extend_from_slice(&(key.len() as u64).to_le_bytes());
            b.extend_from_slice(key);
            b.extend_from_slice(&4u32.to_le_bytes());
            b.extend_from_slice(&a.to_le_bytes());
        }
        b.extend_from_slice(&1u64.to_le_bytes());
        b.push(b'w');
        b.extend_from_slice(&(dims.len() as u32).to_le_bytes());
        for d in dims {
            b.extend_from_slice(&d.to_le_bytes());
        }
        b.extend_from_slice(&0u32.to_le_bytes());
        b.extend_from_slice(&offset.to_le_bytes());
        while b.len() % 32 != 0 {
            b.push(0);
        }
        b.extend_from_slice(&[0u8; 16]);
        b
    }

    fn check(b: &[u8]) -> Result<(), String> {
        check_header(&mut Cursor::new(b), b.len() as u64)
    }

    #[test]
    fn a_good_header_passes() {
        check(&gguf(None, 0, &[4])).unwrap();
        check(&gguf(Some(32), 0, &[2, 2])).unwrap();
    }

    #[test]
    fn bad_headers_are_refused() {
        assert!(check(&gguf(Some(0), 0, &[4])).unwrap_err().contains("alignment 0"));
        assert!(check(&gguf(Some(3), 0, &[4])).unwrap_err().contains("power of two"));
        assert!(check(&gguf(None, 32, &[4])).unwrap_err().contains("beyond the file"));
        assert!(check(&gguf(None, 0, &[u64::MAX, 4])).unwrap_err().contains("overflows"));
        assert!(check(&gguf(None, 0, &[1 << 40])).unwrap_err().contains("beyond the file"));
        assert!(check(&gguf(None, 0, &[])).unwrap_err().contains("0 dimensions"));
        // Found by the gguf fuzz target in CI: candle read this key as the
        // alignment and divided by its 0.
        assert!(check(&gguf_keyed(b"general.alignment\0\0", Some(0), 0, &[4])).unwrap_err().contains("alignment 0"));
        let mut huge_name = gguf(None, 0, &[4]);
        huge_name[24..32].copy_from_slice(&u64::MAX.to_le_bytes());
        assert!(check(&huge_name).is_err());
        let b = gguf(None, 0, &[4]);
        for cut in 0..b.len() - 16 {
            assert!(check(&b[..cut]).is_err(), "cut at {cut}");
        }
    }
}
