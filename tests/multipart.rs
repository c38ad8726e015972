#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]
//! Multipart upload requests and the documents S3 answers with. The signatures themselves are
//! covered by tests/sigv4.rs and verified end to end by s3s-fs in tests/js/upload.test.mjs; here:
//! URLs, methods, payload hashes, bodies and parsing.

use sqlserverflex_restore::s3::multipart::DonePart;
use sqlserverflex_restore::s3::multipart::{
    abort_multipart_upload, complete_body, complete_multipart_upload, create_multipart_upload, list_multipart_uploads,
    list_parts, put_object, upload_part,
};
use sqlserverflex_restore::s3::sigv4::{sha256_hex, Credentials, Payload, UNSIGNED_PAYLOAD};
use sqlserverflex_restore::s3::xml::{
    parse_complete_multipart_upload, parse_initiate_multipart_upload, parse_list_multipart_uploads, parse_list_parts,
    S3XmlError,
};
use sqlserverflex_restore::s3::{EndpointOptions, S3Endpoint};
use sqlserverflex_restore::util::secret::Secret;

const TIME: i64 = 1_369_353_600;
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

fn credentials() -> Credentials {
    Credentials::new("AKIAIOSFODNN7EXAMPLE", Secret::new(SECRET))
}

fn endpoint() -> S3Endpoint {
    // Keys come from local file names, so they may hold spaces that addresses may not.
    S3Endpoint::parse("s3://object.storage.eu01.onstackit.cloud/bkt/up/", &EndpointOptions::default())
        .unwrap()
        .with_key("up/a b.bak")
}

const OBJECT: &str = "https://object.storage.eu01.onstackit.cloud/bkt/up/a%20b.bak";

#[test]
fn builds_each_multipart_call() {
    let c = credentials();
    let e = endpoint();
    let create = create_multipart_upload(&e, &c, TIME).unwrap();
    assert_eq!((create.method, create.url.as_str()), ("POST", format!("{OBJECT}?uploads").as_str()));

    let part = upload_part(&e, "id/+=", 7, Payload::Unsigned, &c, TIME).unwrap();
    assert_eq!(part.method, "PUT");
    assert_eq!(part.url, format!("{OBJECT}?partNumber=7&uploadId=id%2F%2B%3D"));
    assert_eq!(part.header("x-amz-content-sha256"), Some(UNSIGNED_PAYLOAD));
    assert!(part.body.is_none(), "the bindings attach the bytes");

    let hashed = put_object(&e, Payload::of_body(b"abc"), &c, TIME).unwrap();
    assert_eq!((hashed.method, hashed.url.as_str()), ("PUT", OBJECT));
    assert_eq!(hashed.header("x-amz-content-sha256"), Some(sha256_hex(b"abc").as_str()));
    assert_ne!(
        hashed.header("authorization"),
        put_object(&e, Payload::Unsigned, &c, TIME).unwrap().header("authorization"),
        "the payload hash is part of the signature"
    );

    assert_eq!(list_parts(&e, "u1", None, &c, TIME).unwrap().url, format!("{OBJECT}?uploadId=u1"));
    assert_eq!(
        list_parts(&e, "u1", Some(1000), &c, TIME).unwrap().url,
        format!("{OBJECT}?part-number-marker=1000&uploadId=u1")
    );
    let abort = abort_multipart_upload(&e, "u1", &c, TIME).unwrap();
    assert_eq!((abort.method, abort.url.as_str()), ("DELETE", format!("{OBJECT}?uploadId=u1").as_str()));
    let pending = list_multipart_uploads(&e, "up/", &c, TIME).unwrap();
    assert_eq!(pending.url, "https://object.storage.eu01.onstackit.cloud/bkt/?prefix=up%2F&uploads=");

    let complete = complete_multipart_upload(&e, "u1", &[(1, "e1".into()), (2, "e2".into())], &c, TIME).unwrap();
    let body = complete.body.clone().unwrap();
    assert_eq!(complete.header("x-amz-content-sha256"), Some(sha256_hex(body.as_bytes()).as_str()));
    assert_eq!(complete.header("content-type"), Some("application/xml"));
    assert!(body.contains("<Part><PartNumber>2</PartNumber><ETag>\"e2\"</ETag></Part>"));
    assert!(!format!("{complete:?}").contains(SECRET));
}

#[test]
fn escapes_etags_in_the_completion_body() {
    assert!(complete_body(&[(1, "a<&>\"".into())]).contains("<ETag>\"a&lt;&amp;&gt;&quot;\"</ETag>"));
}

#[test]
fn a_key_ending_in_slash_is_not_an_object() {
    let e = endpoint().with_key("up/");
    assert!(create_multipart_upload(&e, &credentials(), TIME).is_err());
}

#[test]
fn reads_the_multipart_documents() {
    let initiate = r#"<?xml version="1.0" encoding="UTF-8"?>
<InitiateMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>b</Bucket><Key>k</Key>
<UploadId>VXBsb2FkIElE</UploadId></InitiateMultipartUploadResult>"#;
    assert_eq!(parse_initiate_multipart_upload(initiate).unwrap(), "VXBsb2FkIElE");
    assert_eq!(
        parse_initiate_multipart_upload("<InitiateMultipartUploadResult/>"),
        Err(S3XmlError::MissingElement { element: "UploadId" })
    );

    let parts = r#"<ListPartsResult><IsTruncated>true</IsTruncated><NextPartNumberMarker>2</NextPartNumberMarker>
<Part><PartNumber>2</PartNumber><ETag>"b"</ETag><Size>5</Size></Part>
<Part><PartNumber>1</PartNumber><Size>5242880</Size></Part></ListPartsResult>"#;
    let listed = parse_list_parts(parts).unwrap();
    assert!(listed.is_truncated);
    assert_eq!(listed.next_part_number_marker, Some(2));
    assert_eq!(
        listed.parts,
        vec![
            DonePart { part_number: 2, size: 5, etag: Some("b".into()) },
            DonePart { part_number: 1, size: 5_242_880, etag: None },
        ]
    );
    assert!(parse_list_parts("<ListPartsResult><Part><Size>1</Size></Part></ListPartsResult>").is_err());
    assert!(parse_list_parts("<ListPartsResult><Part><PartNumber>x</PartNumber></Part></ListPartsResult>").is_err());

    let done = "<CompleteMultipartUploadResult><ETag>&quot;abc-3&quot;</ETag></CompleteMultipartUploadResult>";
    assert_eq!(parse_complete_multipart_upload(done).unwrap(), Some("abc-3".into()));
    assert!(matches!(
        parse_complete_multipart_upload("<Error><Code>InternalError</Code></Error>"),
        Err(S3XmlError::UnexpectedRoot { .. })
    ));

    let pending = "<ListMultipartUploadsResult><IsTruncated>false</IsTruncated><NextKeyMarker></NextKeyMarker>\
        <Upload><Key>up/a.bak</Key><UploadId>u1</UploadId><Initiated>2026-01-01T00:00:00.000Z</Initiated></Upload>\
        </ListMultipartUploadsResult>";
    let pending = parse_list_multipart_uploads(pending).unwrap();
    assert_eq!(pending.uploads.len(), 1);
    assert_eq!(pending.uploads[0].upload_id, "u1");
    assert_eq!(pending.next_key_marker, None);
}
