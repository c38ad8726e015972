//! The S3 XML readers (bucket listings, error bodies, multipart results) on arbitrary text: must never panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = sqlserverflex_restore::s3::xml::parse_list_objects_v2(text);
        let _ = sqlserverflex_restore::s3::xml::parse_error_body(text);
        let _ = sqlserverflex_restore::s3::xml::parse_initiate_multipart_upload(text);
        let _ = sqlserverflex_restore::s3::xml::parse_list_parts(text);
        let _ = sqlserverflex_restore::s3::xml::parse_complete_multipart_upload(text);
        let _ = sqlserverflex_restore::s3::xml::parse_list_multipart_uploads(text);
    }
});
