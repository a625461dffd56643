//! GELU in the exact (erf) form Whisper and MiniLM were trained with.

use candle_core::{DType, Tensor};

/// GELU of every value. On the CPU the error function is a rational
/// approximation over the whole slice, which the compiler vectorises;
/// candle's `gelu_erf` calls libm's `erff` value by value, and that was a
/// tenth of a clip's recognition time. Elsewhere candle's op.
pub fn gelu(x: &Tensor) -> candle_core::Result<Tensor> {
    if !x.device().is_cpu() || x.dtype() != DType::F32 {
        return x.gelu_erf();
    }
    let mut v = x.flatten_all()?.to_vec1::<f32>()?;
    for v in v.iter_mut() {
        *v = 0.5 * *v * (1.0 + erf(*v * std::f32::consts::FRAC_1_SQRT_2));
    }
    Tensor::from_vec(v, x.shape(), x.device())
}

/// erf(x) as x·P(x²)/Q(x²) on x clamped to ±4 (where erf is 1 in f32):
/// the rational approximation of XLA and Eigen, within 1e-6 of libm's.
pub fn erf(x: f32) -> f32 {
    let x = x.clamp(-4.0, 4.0);
    let x2 = x * x;
    let p = [-2.726_142_3e-10, 2.770_681_4e-8, -2.101_024e-6, -5.692_506_4e-5, -7.349_906_3e-4, -2.954_6e-3, -1.609_603_3e-2];
    let q = [-1.456_607_2e-5, -2.133_740_6e-4, -1.682_827e-3, -7.373_329_3e-3, -1.426_474e-2];
    let num = p.iter().fold(0.0, |acc, c| acc * x2 + c) * x;
    let den = q.iter().fold(0.0, |acc, c| acc * x2 + c);
    num / den
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::Device;

    #[test]
    fn erf_is_libms_within_a_millionth() {
        let mut worst = 0f32;
        for i in -60_000..=60_000 {
            let x = i as f32 / 10_000.0;
            worst = worst.max((erf(x) - candle_core::cpu::erf::erf_f32(x)).abs());
        }
        assert!(worst < 1e-6, "worst {worst}");
        let t = Tensor::new(&[[-3.0f32, -0.5, 0.0, 0.7, 2.5]], &Device::Cpu).unwrap();
        let want = t.gelu_erf().unwrap().to_vec2::<f32>().unwrap();
        let got = gelu(&t).unwrap().to_vec2::<f32>().unwrap();
        for (g, w) in got[0].iter().zip(&want[0]) {
            assert!((g - w).abs() < 1e-6, "{g} vs {w}");
        }
    }
}
