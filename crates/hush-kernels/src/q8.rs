//! q8_0 matrix products for the decoder's few rows: one pass over a weight
//! matrix serves every row of the batch (a beam's hypotheses side by side,
//! a prompt's tokens).
//!
//! candle's q8_0 kernel dots one activation row with one weight column at a
//! time and converts both f16 scales in every 32-value block. At Whisper
//! tiny's width (k = 384: twelve blocks a dot) that call, conversion and
//! reduction overhead is most of the work, and a step of four hypotheses
//! cost 2.8× a step of one. Here four weight columns and up to two
//! activation rows are dotted together from registers, the weights laid out
//! in the order the kernel reads them, their scales already f32. The
//! integer products and the (f16-rounded) scales are candle's; only the
//! order of the float sums differs.

use candle_core::quantized::{GgmlDType, QTensor};
use half::f16;

/// Values per q8_0 block.
const BLOCK: usize = 32;
/// Bytes of one q8_0 block in GGUF: an f16 scale, then 32 i8 values.
const BLOCK_BYTES: usize = 2 + BLOCK;
/// Weight columns (output features) dotted together.
const QUAD: usize = 4;
/// Below this many multiply-adds a product runs on the calling thread:
/// waking the pool costs more than it saves.
const PARALLEL_WORK: usize = 1 << 20;

/// A q8_0 weight matrix of `n` output features over `k` inputs, laid out
/// `[column quad][block][column in the quad][32 values]`.
pub struct Q8Matrix {
    n: usize,
    k: usize,
    qs: Vec<i8>,
    /// `[column quad][block][column in the quad]`; zero for padding columns.
    scales: Vec<f32>,
}

/// Activations quantised as candle quantises them for a q8_0 product.
struct Rows {
    qs: Vec<i8>,
    scales: Vec<f32>,
    blocks: usize,
}

impl Rows {
    fn quantize(x: &[f32], k: usize) -> Self {
        let blocks = k / BLOCK;
        let mut qs = vec![0i8; x.len()];
        let mut scales = Vec::with_capacity(x.len() / BLOCK);
        for (xs, q) in x.chunks_exact(BLOCK).zip(qs.chunks_exact_mut(BLOCK)) {
            let amax = xs.iter().fold(0f32, |m, v| m.max(v.abs()));
            let d = amax / 127.0;
            let inv = if d != 0.0 { 1.0 / d } else { 0.0 };
            for (q, &v) in q.iter_mut().zip(xs) {
                *q = (v * inv).round() as i8;
            }
            scales.push(f16::from_f32(d).to_f32());
        }
        Self { qs, scales, blocks }
    }

    fn row(&self, r: usize) -> (&[i8], &[f32]) {
        (&self.qs[r * self.blocks * BLOCK..(r + 1) * self.blocks * BLOCK], &self.scales[r * self.blocks..(r + 1) * self.blocks])
    }
}

impl Q8Matrix {
    /// The matrix of a q8_0 tensor of shape `(n, k)`; `None` for other types.
    pub fn from_qtensor(t: &QTensor) -> Option<candle_core::Result<Self>> {
        (t.dtype() == GgmlDType::Q8_0).then(|| {
            let (n, k) = t.shape().dims2()?;
            Self::from_blocks(n, k, &t.data()?)
        })
    }

    fn from_blocks(n: usize, k: usize, data: &[u8]) -> candle_core::Result<Self> {
        if !k.is_multiple_of(BLOCK) || data.len() != n * (k / BLOCK) * BLOCK_BYTES {
            candle_core::bail!("q8_0 matrix ({n}, {k}) cannot hold {} bytes", data.len());
        }
        let blocks = k / BLOCK;
        let quads = n.div_ceil(QUAD);
        let mut qs = vec![0i8; quads * QUAD * k];
        let mut scales = vec![0f32; quads * QUAD * blocks];
        for (col, row) in data.chunks_exact(blocks * BLOCK_BYTES).enumerate() {
            for (b, block) in row.chunks_exact(BLOCK_BYTES).enumerate() {
                let at = slot(col, b, blocks);
                scales[at] = f16::from_le_bytes([block[0], block[1]]).to_f32();
                for (q, &v) in qs[at * BLOCK..(at + 1) * BLOCK].iter_mut().zip(&block[2..]) {
                    *q = v as i8;
                }
            }
        }
        Ok(Self { n, k, qs, scales })
    }

    pub fn rows(&self) -> usize {
        self.n
    }

    /// Rows `ids` of the matrix as f32 (an embedding lookup), one after another.
    pub fn embedding(&self, ids: &[u32]) -> candle_core::Result<Vec<f32>> {
        let blocks = self.k / BLOCK;
        let mut out = Vec::with_capacity(ids.len() * self.k);
        for &id in ids {
            let col = id as usize;
            if col >= self.n {
                candle_core::bail!("embedding id {id} outside {} rows", self.n);
            }
            for b in 0..blocks {
                let at = slot(col, b, blocks);
                out.extend(self.qs[at * BLOCK..(at + 1) * BLOCK].iter().map(|&q| q as f32 * self.scales[at]));
            }
        }
        Ok(out)
    }

    /// `x · Wᵀ` for `x` of `m` rows of `k` values, row-major: `m` rows of `n`.
    pub fn matmul(&self, x: &[f32], m: usize) -> candle_core::Result<Vec<f32>> {
        if x.len() != m * self.k {
            candle_core::bail!("q8_0 product: {} values are not {m} rows of {}", x.len(), self.k);
        }
        let rows = Rows::quantize(x, self.k);
        let mut out = vec![0f32; m * self.n];
        let dst = Dst(out.as_mut_ptr());
        let quads = self.n.div_ceil(QUAD);
        let kernel = Kernel::detect();
        let work = |range: std::ops::Range<usize>| {
            for quad in range {
                self.quad(quad, &rows, m, &dst, kernel);
            }
        };
        if m * self.n * self.k >= PARALLEL_WORK {
            candle_core::utils::barrier_pool().execute_chunked(quads, work);
        } else {
            work(0..quads);
        }
        Ok(out)
    }

    /// The values and scales of the four columns of `quad`.
    fn quad_weights(&self, quad: usize) -> (&[i8], &[f32]) {
        let blocks = self.k / BLOCK;
        (&self.qs[quad * blocks * QUAD * BLOCK..(quad + 1) * blocks * QUAD * BLOCK], &self.scales[quad * blocks * QUAD..(quad + 1) * blocks * QUAD])
    }

    /// Every row's dot products with the four columns of `quad`.
    fn quad(&self, quad: usize, rows: &Rows, m: usize, dst: &Dst, kernel: Kernel) {
        let (w, s) = self.quad_weights(quad);
        let cols = QUAD.min(self.n - quad * QUAD);
        let write = |r: usize, dots: &[[f32; QUAD]]| {
            for (i, d) in dots.iter().enumerate() {
                for (c, &v) in d.iter().take(cols).enumerate() {
                    // SAFETY: (row r + i, column quad * QUAD + c) lies inside
                    // `out` (m × n), and only this quad's call writes it.
                    unsafe { *dst.0.add((r + i) * self.n + quad * QUAD + c) = v };
                }
            }
        };
        let mut r = 0;
        while r + 1 < m {
            write(r, &kernel.dot_rows::<2>(w, s, [rows.row(r), rows.row(r + 1)]));
            r += 2;
        }
        if r < m {
            write(r, &kernel.dot_rows::<1>(w, s, [rows.row(r)]));
        }
    }
}

/// The output buffer, shared by the pool's workers, each writing its own
/// columns.
struct Dst(*mut f32);
// SAFETY: workers write disjoint elements (see `Q8Matrix::quad`).
unsafe impl Sync for Dst {}

/// Where column `col`'s block `b` lies in the quad layout, for a matrix of
/// `blocks` blocks a column.
fn slot(col: usize, b: usize, blocks: usize) -> usize {
    ((col / QUAD) * blocks + b) * QUAD + col % QUAD
}

/// The dot-product code this CPU runs, chosen once per product rather than
/// per quad.
#[derive(Clone, Copy)]
enum Kernel {
    #[cfg(target_arch = "x86_64")]
    Avx2,
    Portable,
}

impl Kernel {
    fn detect() -> Self {
        #[cfg(target_arch = "x86_64")]
        if avx2() {
            return Self::Avx2;
        }
        Self::Portable
    }

    /// `R` activation rows dotted with a quad's four columns.
    fn dot_rows<const R: usize>(self, w: &[i8], s: &[f32], rows: [(&[i8], &[f32]); R]) -> [[f32; QUAD]; R] {
        match self {
            // SAFETY: `Avx2` is only chosen where the CPU has AVX2 and FMA.
            #[cfg(target_arch = "x86_64")]
            Self::Avx2 => unsafe { avx2::dot_rows::<R>(w, s, rows) },
            Self::Portable => dot_rows_scalar::<R>(w, s, rows),
        }
    }
}

fn dot_rows_scalar<const R: usize>(w: &[i8], s: &[f32], rows: [(&[i8], &[f32]); R]) -> [[f32; QUAD]; R] {
    let mut out = [[0f32; QUAD]; R];
    for (o, (xq, xs)) in out.iter_mut().zip(rows) {
        for (b, (x, &xd)) in xq.chunks_exact(BLOCK).zip(xs).enumerate() {
            for (c, o) in o.iter_mut().enumerate() {
                let at = b * QUAD + c;
                let wq = &w[at * BLOCK..(at + 1) * BLOCK];
                let dot: i32 = wq.iter().zip(x).map(|(&a, &b)| a as i32 * b as i32).sum();
                *o += dot as f32 * s[at] * xd;
            }
        }
    }
    out
}

#[cfg(target_arch = "x86_64")]
fn avx2() -> bool {
    static HAS: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *HAS.get_or_init(|| is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma"))
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    use super::{BLOCK, QUAD};
    use std::arch::x86_64::*;

    #[target_feature(enable = "avx2,fma")]
    fn hsum(x: __m256) -> f32 {
        let h = _mm_add_ps(_mm256_extractf128_ps(x, 1), _mm256_castps256_ps128(x));
        let h = _mm_add_ps(h, _mm_movehl_ps(h, h));
        _mm_cvtss_f32(_mm_add_ss(h, _mm_movehdup_ps(h)))
    }

    /// # Safety
    /// The CPU must have AVX2 and FMA; `w` holds `blocks × QUAD × BLOCK`
    /// values and `s` `blocks × QUAD` scales, each row `blocks × BLOCK`
    /// values and `blocks` scales (slices are indexed with bounds checks,
    /// the vector loads read exactly one block inside them).
    #[target_feature(enable = "avx2,fma")]
    pub(super) unsafe fn dot_rows<const R: usize>(w: &[i8], s: &[f32], rows: [(&[i8], &[f32]); R]) -> [[f32; QUAD]; R] {
        let blocks = s.len() / QUAD;
        let ones = _mm256_set1_epi16(1);
        let mut acc = [[_mm256_setzero_ps(); QUAD]; R];
        for b in 0..blocks {
            let mut y = [_mm256_setzero_si256(); R];
            for (y, row) in y.iter_mut().zip(&rows) {
                let block = &row.0[b * BLOCK..(b + 1) * BLOCK];
                // SAFETY: `block` is 32 bytes long.
                *y = unsafe { _mm256_loadu_si256(block.as_ptr().cast()) };
            }
            for c in 0..QUAD {
                let at = b * QUAD + c;
                let block = &w[at * BLOCK..(at + 1) * BLOCK];
                // SAFETY: `block` is 32 bytes long.
                let wv = unsafe { _mm256_loadu_si256(block.as_ptr().cast()) };
                // maddubs takes one unsigned operand: |w|, and y carrying
                // w's sign. Pairs stay within i16 (2 × 128 × 127 < 32768).
                let aw = _mm256_sign_epi8(wv, wv);
                for ((acc, y), row) in acc.iter_mut().zip(&y).zip(&rows) {
                    let sy = _mm256_sign_epi8(*y, wv);
                    let dot = _mm256_madd_epi16(_mm256_maddubs_epi16(aw, sy), ones);
                    let scale = _mm256_set1_ps(s[at] * row.1[b]);
                    acc[c] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(dot), scale, acc[c]);
                }
            }
        }
        let mut out = [[0f32; QUAD]; R];
        for (o, a) in out.iter_mut().zip(&acc) {
            for (o, a) in o.iter_mut().zip(a) {
                *o = hsum(*a);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::{Device, Tensor};

    fn values(len: usize, seed: u32) -> Vec<f32> {
        // A fixed pseudo-random spread with a few large values per block.
        (0..len as u32).map(|i| (((i.wrapping_mul(2654435761) ^ seed) % 2001) as f32 - 1000.0) / 250.0).collect()
    }

    /// The product against candle's q8_0 kernel on the same quantised
    /// weights, for batch sizes and widths the decoder uses (and a width
    /// that is no whole number of quads).
    #[test]
    fn matches_candles_q8_0_product() {
        let dev = Device::Cpu;
        for (n, k) in [(6, 64), (16, 384), (13, 96)] {
            let w = Tensor::from_vec(values(n * k, 7), (n, k), &dev).unwrap();
            let q = QTensor::quantize(&w, GgmlDType::Q8_0).unwrap();
            let ours = Q8Matrix::from_qtensor(&q).unwrap().unwrap();
            let theirs = candle_core::quantized::QMatMul::from_qtensor(q).unwrap();
            for m in 1..=5 {
                let x = values(m * k, 99 + m as u32);
                let want = candle_core::Module::forward(&theirs, &Tensor::from_vec(x.clone(), (m, k), &dev).unwrap())
                    .unwrap()
                    .flatten_all()
                    .unwrap()
                    .to_vec1::<f32>()
                    .unwrap();
                let got = ours.matmul(&x, m).unwrap();
                assert_eq!(got.len(), want.len());
                for (g, t) in got.iter().zip(&want) {
                    assert!((g - t).abs() <= 1e-4 * t.abs().max(1.0), "({n}, {k}) m={m}: {g} vs {t}");
                }
                // The portable kernel, row by row, gives the same.
                let rows = Rows::quantize(&x, k);
                let mut scalar = Vec::new();
                for r in 0..m {
                    for quad in 0..n.div_ceil(QUAD) {
                        let (w, s) = ours.quad_weights(quad);
                        scalar.extend(Kernel::Portable.dot_rows::<1>(w, s, [rows.row(r)])[0]);
                    }
                }
                for r in 0..m {
                    for c in 0..n {
                        let s = scalar[r * n.div_ceil(QUAD) * QUAD + c];
                        assert!((got[r * n + c] - s).abs() <= 1e-4 * s.abs().max(1.0), "scalar path ({n}, {k}) m={m}");
                    }
                }
            }
        }
    }

    #[test]
    fn embedding_is_the_dequantised_row() {
        let dev = Device::Cpu;
        let (n, k) = (9, 64);
        let q = QTensor::quantize(&Tensor::from_vec(values(n * k, 3), (n, k), &dev).unwrap(), GgmlDType::Q8_0).unwrap();
        let want = q.dequantize(&dev).unwrap().to_vec2::<f32>().unwrap();
        let ours = Q8Matrix::from_qtensor(&q).unwrap().unwrap();
        let got = ours.embedding(&[8, 0, 5]).unwrap();
        assert_eq!(got, [want[8].clone(), want[0].clone(), want[5].clone()].concat());
        assert!(ours.embedding(&[9]).is_err());
    }

    #[test]
    fn refuses_wrong_sizes_and_other_types() {
        assert!(Q8Matrix::from_blocks(2, 64, &[0; 10]).is_err());
        assert!(Q8Matrix::from_blocks(1, 40, &[0; 34]).is_err());
        let t = Tensor::zeros((4, 32), candle_core::DType::F32, &Device::Cpu).unwrap();
        assert!(Q8Matrix::from_qtensor(&QTensor::quantize(&t, GgmlDType::F32).unwrap()).is_none());
        let m = Q8Matrix::from_qtensor(&QTensor::quantize(&t, GgmlDType::Q8_0).unwrap()).unwrap().unwrap();
        assert!(m.matmul(&[0.0; 31], 1).is_err());
        assert_eq!(m.matmul(&[1.0; 64], 2).unwrap(), vec![0.0; 8]);
    }
}
