//! Sound-card input through cpal, at the device's own rate and sample
//! format; conversion happens in the capture path.

use crate::capture::{capture, Capture, CaptureWriter};
use crate::source::{Running, Source, SourceInfo};
use crate::AudioError;
use cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
use cpal::{FromSample, SampleFormat, SizedSample};
use std::time::Duration;

/// An input device as the host lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputDevice {
    pub name: String,
    pub is_default: bool,
    /// The device's default configuration, when it can tell.
    pub sample_rate: Option<u32>,
    pub channels: Option<u16>,
    pub format: Option<String>,
}

/// The input devices of the default host (ALSA on Linux).
pub fn input_devices() -> Result<Vec<InputDevice>, AudioError> {
    let host = cpal::default_host();
    let default = host.default_input_device().map(|d| d.to_string());
    let devices = host.input_devices().map_err(|e| AudioError::Device(format!("cannot list input devices: {e}")))?;
    Ok(devices
        .map(|d| {
            let name = d.to_string();
            let config = d.default_input_config().ok();
            InputDevice {
                is_default: default.as_deref() == Some(name.as_str()),
                sample_rate: config.as_ref().map(|c| c.sample_rate()),
                channels: config.as_ref().map(|c| c.channels()),
                format: config.as_ref().map(|c| c.sample_format().to_string()),
                name,
            }
        })
        .collect())
}

/// Opens an input device (`None`: the default one) and starts capturing.
/// A device that fails later (unplugged) makes the capture's next read an
/// [`AudioError::Device`].
pub fn open_microphone(name: Option<&str>, capacity: Duration) -> Result<(Source, Capture), AudioError> {
    let host = cpal::default_host();
    let device = match name {
        None => host.default_input_device().ok_or_else(|| AudioError::NoDevice { name: "default".into(), available: list_names(&host) })?,
        Some(want) => {
            let devices = host.input_devices().map_err(|e| AudioError::Device(format!("cannot list input devices: {e}")))?;
            let mut found = None;
            for d in devices {
                if d.to_string() == want {
                    found = Some(d);
                    break;
                }
            }
            found.ok_or_else(|| AudioError::NoDevice { name: want.into(), available: list_names(&host) })?
        }
    };
    let device_name = device.to_string();
    let config = device.default_input_config().map_err(|e| AudioError::Device(format!("{device_name}: no usable input configuration: {e}")))?;
    let (rate, channels, format) = (config.sample_rate(), config.channels(), config.sample_format());
    let (writer, capture) = capture(rate, channels, capacity)?;
    let stream_config = config.config();
    let stream = match format {
        SampleFormat::F32 => build::<f32>(&device, stream_config, writer),
        SampleFormat::I16 => build::<i16>(&device, stream_config, writer),
        SampleFormat::I32 => build::<i32>(&device, stream_config, writer),
        SampleFormat::U16 => build::<u16>(&device, stream_config, writer),
        SampleFormat::I8 => build::<i8>(&device, stream_config, writer),
        SampleFormat::U8 => build::<u8>(&device, stream_config, writer),
        SampleFormat::F64 => build::<f64>(&device, stream_config, writer),
        other => return Err(AudioError::Unsupported(format!("{device_name}: sample format {other}"))),
    }
    .map_err(|e| AudioError::Device(format!("{device_name}: cannot open the input stream: {e}")))?;
    stream.play().map_err(|e| AudioError::Device(format!("{device_name}: cannot start capturing: {e}")))?;
    let info = SourceInfo { name: device_name, sample_rate: rate, channels, format: format.to_string() };
    Ok((Source::from_parts(info, Running::Microphone(stream)), capture))
}

fn list_names(host: &cpal::Host) -> Vec<String> {
    host.input_devices().map(|ds| ds.map(|d| d.to_string()).collect()).unwrap_or_default()
}

fn build<T>(device: &cpal::Device, config: cpal::StreamConfig, writer: CaptureWriter) -> Result<cpal::Stream, cpal::Error>
where
    T: SizedSample + Send + 'static,
    f32: FromSample<T>,
{
    // Both callbacks need the writer: the data one to write, the error one
    // to report a lost device.
    let writer = std::sync::Arc::new(parking_lot::Mutex::new(writer));
    let on_error = writer.clone();
    let mut converted: Vec<f32> = Vec::new();
    device.build_input_stream::<T, _, _>(
        config,
        move |data: &[T], _| {
            converted.clear();
            converted.extend(data.iter().map(|&s| <f32 as FromSample<T>>::from_sample_(s)));
            let mut w = writer.lock();
            if let Err(e) = w.write(&converted) {
                w.fail(e.to_string());
            }
            zeroize::Zeroize::zeroize(&mut converted);
        },
        move |e| {
            // Overruns are counted by the ring; anything else ends the stream.
            if e.kind() != cpal::ErrorKind::Xrun {
                on_error.lock().fail(format!("the input device failed: {e}"));
            }
        },
        None,
    )
}
