//! The S3 XML readers (bucket listings, error bodies) on arbitrary text: must never panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = sqlserverflex_restore::s3_xml::parse_list_objects_v2(text);
        let _ = sqlserverflex_restore::s3_xml::parse_error_body(text);
    }
});
