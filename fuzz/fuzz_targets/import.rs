//! Rhino and hassil imports; what they write must load as intent files.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else { return };
    let Ok(src) = std::str::from_utf8(rest) else { return };
    let out = if which % 2 == 0 { hush_nlu::import::rhino("fuzz.yml", src) } else { hush_nlu::import::hassil(&[("fuzz.yaml", src)]) };
    if let Ok(yaml) = out {
        let _ = hush_nlu::IntentSet::from_sources(&[("imported.yaml", &yaml)]);
    }
});
