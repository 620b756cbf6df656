#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| xuncha_fuzz::evidence(data));
