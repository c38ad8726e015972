#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]
//! From the S3 addresses users write to signed HeadObject, ranged GetObject and ListObjectsV2
//! requests, and reading what S3 answers. Expected signatures were computed independently (Python
//! hashlib/hmac) from the canonical requests written in the comments.

use serde_json::json;
use sqlserverflex_restore::http::request::HttpRequest;
use sqlserverflex_restore::s3::address::BucketAddress;
use sqlserverflex_restore::s3::sigv4::{Credentials, SigV4Error, EMPTY_PAYLOAD_SHA256};
use sqlserverflex_restore::s3::{
    get_object_range, get_object_suffix, head_object, list_objects_v2, object_meta_from_head, parse_content_range,
    s3_error, ContentRange, EndpointOptions, ObjectMeta, S3Endpoint, S3ErrorKind, S3RequestError, UrlStyle,
};
use sqlserverflex_restore::util::secret::Secret;

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
/// 2013-05-24T00:00:00Z.
const TIME: i64 = 1_369_353_600;
const STACKIT: &str = "s3://object.storage.eu01.onstackit.cloud/my-bucket/backups/db.bak";

fn credentials() -> Credentials {
    Credentials::new("AKIAIOSFODNN7EXAMPLE", Secret::new(SECRET))
}

fn endpoint(address: &str) -> S3Endpoint {
    S3Endpoint::parse(address, &EndpointOptions::default()).unwrap()
}

fn with(override_endpoint: Option<&str>, region: Option<&str>, default_region: &str) -> EndpointOptions {
    EndpointOptions {
        endpoint_override: override_endpoint.map(str::to_owned),
        region_override: region.map(str::to_owned),
        default_region: default_region.to_owned(),
    }
}

// ---------------------------------------------------------------------------------------------
// Endpoints

#[test]
fn stackit_addresses_are_path_style_in_their_region() {
    let e = endpoint(STACKIT);
    assert_eq!(
        e,
        S3Endpoint {
            base_url: "https://object.storage.eu01.onstackit.cloud".to_owned(),
            bucket: "my-bucket".to_owned(),
            key: "backups/db.bak".to_owned(),
            region: "eu01".to_owned(),
            style: UrlStyle::Path,
        }
    );
    assert_eq!(e.object_url().unwrap(), "https://object.storage.eu01.onstackit.cloud/my-bucket/backups/db.bak");
    assert_eq!(e.bucket_url(), "https://object.storage.eu01.onstackit.cloud/my-bucket/");
    assert_eq!(
        serde_json::to_value(&e).unwrap(),
        json!({"baseUrl": "https://object.storage.eu01.onstackit.cloud", "bucket": "my-bucket",
               "key": "backups/db.bak", "region": "eu01", "style": "path"})
    );

    let bucket = BucketAddress::parse("s3://Object.Storage.eu01.onstackit.cloud/my-bucket/backups").unwrap();
    let e = S3Endpoint::from_bucket_address(&bucket, &EndpointOptions::default()).unwrap();
    assert_eq!((e.bucket.as_str(), e.key.as_str(), e.region.as_str()), ("my-bucket", "backups/", "eu01"));
    assert_eq!(e.with_key("backups/db.bak"), endpoint(STACKIT));
}

#[test]
fn aws_virtual_hosted_addresses_keep_their_host_and_use_https() {
    // The OpenAPI example's form.
    let e = endpoint("http://my-bucket.s3.eu-central-1.amazonaws.com/backups/db.bak");
    assert_eq!(e.base_url, "https://my-bucket.s3.eu-central-1.amazonaws.com");
    assert_eq!((e.bucket.as_str(), e.key.as_str(), e.region.as_str()), ("my-bucket", "backups/db.bak", "eu-central-1"));
    assert_eq!(e.style, UrlStyle::VirtualHosted);
    assert_eq!(e.object_url().unwrap(), "https://my-bucket.s3.eu-central-1.amazonaws.com/backups/db.bak");
    assert_eq!(e.bucket_url(), "https://my-bucket.s3.eu-central-1.amazonaws.com/");

    let e = endpoint("https://my.dotted.bucket.s3.amazonaws.com/");
    assert_eq!((e.bucket.as_str(), e.key.as_str(), e.region.as_str()), ("my.dotted.bucket", "", "us-east-1"));
}

#[test]
fn aws_path_style_and_other_hosts() {
    let e = endpoint("https://s3.amazonaws.com/bucket/k.bak");
    assert_eq!((e.bucket.as_str(), e.region.as_str(), e.style), ("bucket", "us-east-1", UrlStyle::Path));
    let e = endpoint("s3://s3.eu-west-3.amazonaws.com/bucket/k.bak");
    assert_eq!((e.base_url.as_str(), e.region.as_str()), ("https://s3.eu-west-3.amazonaws.com", "eu-west-3"));

    let options = with(None, None, "eu-west-3");
    let e = S3Endpoint::parse("https://minio.example:9000/bucket/dir/k.bak", &options).unwrap();
    assert_eq!(e.base_url, "https://minio.example:9000");
    assert_eq!((e.bucket.as_str(), e.key.as_str(), e.region.as_str()), ("bucket", "dir/k.bak", "eu-west-3"));
    let e = S3Endpoint::parse("https://minio.example/bucket/k", &with(None, Some("custom-1"), "x")).unwrap();
    assert_eq!(e.region, "custom-1");
    let e = S3Endpoint::parse(STACKIT, &with(None, Some(" "), "x")).unwrap();
    assert_eq!(e.region, "eu01", "a blank override does not count");
    assert_eq!(
        S3Endpoint::parse("https://minio.example/bucket/k", &with(None, None, " ")),
        Err(S3RequestError::MissingRegion)
    );
}

#[test]
fn plain_http_stays_only_for_loopback() {
    assert_eq!(endpoint("http://127.0.0.1:9000/bucket/k").base_url, "http://127.0.0.1:9000");
    assert_eq!(endpoint("http://localhost/bucket/k").base_url, "http://localhost");
    assert_eq!(endpoint("http://[::1]:9000/bucket/k").base_url, "http://[::1]:9000");
    assert_eq!(endpoint("http://minio.example:9000/bucket/k").base_url, "https://minio.example:9000");
    assert_eq!(endpoint("s3://127.0.0.1:9000/bucket/k").base_url, "https://127.0.0.1:9000");
}

#[test]
fn an_endpoint_override_replaces_scheme_and_host_only() {
    let local = with(Some("http://127.0.0.1:9000/"), None, "us-east-1");
    let e = S3Endpoint::parse(STACKIT, &local).unwrap();
    assert_eq!(e.object_url().unwrap(), "http://127.0.0.1:9000/my-bucket/backups/db.bak");
    assert_eq!(e.region, "eu01");

    let e = S3Endpoint::parse("https://my-bucket.s3.eu-central-1.amazonaws.com/k.bak", &local).unwrap();
    assert_eq!((e.style, e.region.as_str()), (UrlStyle::Path, "eu-central-1"));
    assert_eq!(e.object_url().unwrap(), "http://127.0.0.1:9000/my-bucket/k.bak");

    for ok in ["http://localhost:9000", "http://[::1]:9000", "https://s3.internal.example", "https://h.example:8443/"] {
        assert!(S3Endpoint::parse(STACKIT, &with(Some(ok), None, "x")).is_ok(), "{ok}");
    }
    for (bad, error) in [
        ("http://minio.example:9000", S3RequestError::InsecureEndpoint),
        ("http://10.0.0.1:9000", S3RequestError::InsecureEndpoint),
        ("https://h.example/prefix", S3RequestError::InvalidEndpoint),
        ("s3://h.example", S3RequestError::InvalidEndpoint),
        ("ftp://h.example", S3RequestError::InvalidEndpoint),
        ("127.0.0.1:9000", S3RequestError::InvalidEndpoint),
        ("https://user@h.example", S3RequestError::InvalidEndpoint),
    ] {
        assert_eq!(S3Endpoint::parse(STACKIT, &with(Some(bad), None, "x")), Err(error), "{bad}");
    }
}

#[test]
fn https_paths_are_decoded_and_s3_paths_taken_literally() {
    let e = endpoint("https://h.example/bucket/my%20db%2B1.bak");
    assert_eq!(e.key, "my db+1.bak");
    assert_eq!(e.object_url().unwrap(), "https://h.example/bucket/my%20db%2B1.bak");
    let e = endpoint("s3://h.example/bucket/100%25.bak");
    assert_eq!(e.key, "100%25.bak");
    assert_eq!(e.object_url().unwrap(), "https://h.example/bucket/100%2525.bak");
    let e = endpoint("s3://h.example/bucket/Übersicht/東京~(1).bak");
    assert_eq!(e.object_url().unwrap(), "https://h.example/bucket/%C3%9Cbersicht/%E6%9D%B1%E4%BA%AC~%281%29.bak");
}

#[test]
fn addresses_without_bucket_or_key_are_errors() {
    let options = EndpointOptions::default();
    assert_eq!(S3Endpoint::parse("https://h.example/", &options), Err(S3RequestError::MissingBucket));
    assert_eq!(S3Endpoint::parse("https://h.example", &options), Err(S3RequestError::MissingBucket));
    assert!(matches!(S3Endpoint::parse("bucket/key", &options), Err(S3RequestError::InvalidAddress(_))));
    assert!(matches!(S3Endpoint::parse("https://h/b c", &options), Err(S3RequestError::InvalidAddress(_))));
    assert_eq!(
        S3Endpoint::parse("https://h.example/b/%FF", &options).map(|_| ()).unwrap_err().code(),
        "invalid_address"
    );

    let bucket = endpoint("s3://h.example/bucket/");
    assert_eq!(bucket.object_url(), Err(S3RequestError::MissingKey));
    assert_eq!(bucket.with_key("dir/").object_url(), Err(S3RequestError::MissingKey));
    for key in ["a/../b.bak", "./b.bak", "a/.", ".."] {
        assert_eq!(bucket.with_key(key).object_url(), Err(S3RequestError::UnaddressableKey), "{key}");
    }
    assert!(bucket.with_key("a/.../b..bak").object_url().is_ok());
}

// ---------------------------------------------------------------------------------------------
// Requests

fn authorization(signed_headers: &str, signature: &str) -> String {
    format!(
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/eu01/s3/aws4_request, \
         SignedHeaders={signed_headers}, Signature={signature}"
    )
}

fn stackit_object() -> S3Endpoint {
    endpoint(STACKIT).with_key("backups/db 1.bak")
}

const OBJECT_URL: &str = "https://object.storage.eu01.onstackit.cloud/my-bucket/backups/db%201.bak";

#[test]
fn head_object_is_signed_for_the_objects_region() {
    // HEAD\n/my-bucket/backups/db%201.bak\n\nhost:object.storage.eu01.onstackit.cloud\n
    // x-amz-content-sha256:<empty hash>\nx-amz-date:20130524T000000Z\n\nhost;x-amz-content-sha256;x-amz-date\n<empty hash>
    let request = head_object(&stackit_object(), &credentials(), TIME).unwrap();
    assert_eq!(
        request,
        HttpRequest {
            method: "HEAD",
            url: OBJECT_URL.to_owned(),
            headers: vec![
                (
                    "authorization".to_owned(),
                    authorization(
                        "host;x-amz-content-sha256;x-amz-date",
                        "1b3e8475c15b40f2e9dc8800b977acedf16252472f5df6df9dc41838c5d4f356"
                    )
                ),
                ("x-amz-content-sha256".to_owned(), EMPTY_PAYLOAD_SHA256.to_owned()),
                ("x-amz-date".to_owned(), "20130524T000000Z".to_owned()),
            ],
            body: None,
        }
    );
}

#[test]
fn ranged_gets_sign_their_range_header() {
    let request = get_object_range(&stackit_object(), 0, 65_535, &credentials(), TIME).unwrap();
    assert_eq!((request.method, request.url.as_str()), ("GET", OBJECT_URL));
    assert_eq!(request.header("range"), Some("bytes=0-65535"));
    assert_eq!(
        request.header("authorization"),
        Some(
            authorization(
                "host;range;x-amz-content-sha256;x-amz-date",
                "871ee9cc201ed7546d250ea1c653e75add8520fd4fe40472d0a90b76482b9ceb"
            )
            .as_str()
        )
    );

    let request = get_object_suffix(&stackit_object(), 65_536, &credentials(), TIME).unwrap();
    assert_eq!(request.header("range"), Some("bytes=-65536"));
    assert_eq!(
        request.header("authorization"),
        Some(
            authorization(
                "host;range;x-amz-content-sha256;x-amz-date",
                "c148e1dc8816579c672cdad12e2383be461d20f7d66cc34ebdc713dfcd4cfa05"
            )
            .as_str()
        )
    );

    assert!(get_object_range(&stackit_object(), 7, 7, &credentials(), TIME).is_ok());
    assert!(get_object_range(&stackit_object(), 0, u64::MAX, &credentials(), TIME).is_ok());
    assert_eq!(get_object_range(&stackit_object(), 8, 7, &credentials(), TIME), Err(S3RequestError::InvalidRange));
    assert_eq!(get_object_suffix(&stackit_object(), 0, &credentials(), TIME), Err(S3RequestError::InvalidRange));
    let bucket_only = endpoint(STACKIT).with_key("");
    assert_eq!(get_object_range(&bucket_only, 0, 1, &credentials(), TIME), Err(S3RequestError::MissingKey));
}

#[test]
fn list_objects_v2_encodes_prefix_and_token() {
    let token = "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=";
    let request = list_objects_v2(&endpoint(STACKIT), "backups/", Some(token), 1000, &credentials(), TIME).unwrap();
    assert_eq!(
        request.url,
        "https://object.storage.eu01.onstackit.cloud/my-bucket/?list-type=2&prefix=backups%2F\
         &continuation-token=1ueGcxLPRx1Tr%2FXYExHnhbYLgveDs2J%2Fwm36Hy4vbOwM%3D&max-keys=1000"
    );
    // Canonical query: continuation-token=…&list-type=2&max-keys=1000&prefix=backups%2F
    assert_eq!(
        request.header("authorization"),
        Some(
            authorization(
                "host;x-amz-content-sha256;x-amz-date",
                "c5b5bd5fb61d23fbadb1df0d9e4019e52196d9dd5c57d0cb8dfeefe78d7f51f3"
            )
            .as_str()
        )
    );

    let virtual_hosted = endpoint("https://my-bucket.s3.eu-central-1.amazonaws.com/");
    let request = list_objects_v2(&virtual_hosted, "Über sicht/", None, 0, &credentials(), TIME).unwrap();
    assert_eq!(
        request.url,
        "https://my-bucket.s3.eu-central-1.amazonaws.com/?list-type=2&prefix=%C3%9Cber%20sicht%2F&max-keys=1"
    );
    assert!(request.header("authorization").unwrap().contains("/eu-central-1/s3/aws4_request"));
    let request = list_objects_v2(&virtual_hosted, "", None, 5000, &credentials(), TIME).unwrap();
    assert!(request.url.ends_with("?list-type=2&prefix=&max-keys=1000"));
}

#[test]
fn session_tokens_travel_as_a_header() {
    let creds = credentials().with_session_token(Secret::new("session-token"));
    let request = head_object(&endpoint(STACKIT), &creds, TIME).unwrap();
    assert_eq!(request.header("x-amz-security-token"), Some("session-token"));
    assert!(request.header("authorization").unwrap().contains("x-amz-date;x-amz-security-token,"));
}

#[test]
fn requests_and_errors_never_show_secrets() {
    let creds = credentials().with_session_token(Secret::new("session-token"));
    let request = get_object_range(&endpoint(STACKIT), 0, 9, &creds, TIME).unwrap();
    let debug = format!("{request:?} {creds:?}");
    assert!(!debug.contains(SECRET) && !debug.contains("session-token") && !debug.contains("Signature="), "{debug}");

    let error = head_object(&endpoint(STACKIT), &creds, -5).unwrap_err();
    assert_eq!(error, S3RequestError::Signing(SigV4Error::InvalidTime));
    assert_eq!(
        serde_json::to_value(error).unwrap(),
        json!({"code": "invalid_time", "message": "the signing time must lie between 1970 and 9999"})
    );
    let error = S3RequestError::InsecureEndpoint;
    assert_eq!(error.code(), "insecure_endpoint");
    assert!(error.to_string().contains("https://"));
    let bad_key = Credentials::new("AK/IA", Secret::new(SECRET));
    let error = head_object(&endpoint(STACKIT), &bad_key, TIME).unwrap_err();
    assert!(!format!("{error:?} {error}").contains(SECRET));
}

// ---------------------------------------------------------------------------------------------
// Responses

#[test]
fn head_responses_give_size_etag_and_date() {
    let meta =
        object_meta_from_head(200, Some("1048576"), Some("\"abc-2\""), Some("Wed, 12 Oct 2009 17:50:00 GMT")).unwrap();
    assert_eq!(
        meta,
        ObjectMeta {
            size: 1_048_576,
            etag: Some("abc-2".to_owned()),
            last_modified: Some("Wed, 12 Oct 2009 17:50:00 GMT".to_owned())
        }
    );
    assert_eq!(
        serde_json::to_value(&meta).unwrap(),
        json!({"size": 1_048_576, "etag": "abc-2", "lastModified": "Wed, 12 Oct 2009 17:50:00 GMT"})
    );
    assert_eq!(object_meta_from_head(200, Some(" 0 "), None, None).unwrap().size, 0);

    let missing = object_meta_from_head(200, None, None, None).unwrap_err();
    assert_eq!((missing.kind, missing.code.as_str()), (S3ErrorKind::Other, "InvalidResponse"));
    assert!(object_meta_from_head(200, Some("-1"), None, None).is_err());
    assert!(object_meta_from_head(200, Some("12a"), None, None).is_err());

    let not_found = object_meta_from_head(404, None, None, None).unwrap_err();
    assert_eq!((not_found.kind, not_found.status, not_found.code.as_str()), (S3ErrorKind::NotFound, 404, "HTTP_404"));
    assert_eq!(object_meta_from_head(403, Some("5"), None, None).unwrap_err().kind, S3ErrorKind::AccessDenied);
    assert_eq!(object_meta_from_head(500, None, None, None).unwrap_err().kind, S3ErrorKind::Other);
}

#[test]
fn errors_are_classified_by_code_then_status() {
    let signature = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SignatureDoesNotMatch</Code>\
        <Message>The request signature we calculated does not match the signature you provided. Check your key and signing method.</Message>\
        <AWSAccessKeyId>AKIAIOSFODNN7EXAMPLE</AWSAccessKeyId><StringToSign>AWS4-HMAC-SHA256 secret-ish</StringToSign>\
        <CanonicalRequest>GET /</CanonicalRequest><RequestId>4442587FB7D0A2F9</RequestId><HostId>h</HostId></Error>";
    let error = s3_error(403, signature, Some("ignored-header-id"));
    assert_eq!(error.kind, S3ErrorKind::AccessDenied);
    assert_eq!(error.code, "SignatureDoesNotMatch");
    assert!(error.message.starts_with("The request signature we calculated"));
    assert_eq!(error.request_id.as_deref(), Some("4442587FB7D0A2F9"));
    let shown = format!("{} {:?} {}", error, error, serde_json::to_string(&error).unwrap());
    assert!(!shown.contains("AKIA") && !shown.contains("StringToSign") && !shown.contains("CanonicalRequest"));
    assert_eq!(
        serde_json::to_value(&error).unwrap()["kind"],
        "access_denied",
        "kinds serialise in snake_case like the crate's other codes"
    );

    let kind = |status: u16, code: &str| s3_error(status, &format!("<Error><Code>{code}</Code></Error>"), None).kind;
    assert_eq!(kind(403, "InvalidAccessKeyId"), S3ErrorKind::AccessDenied);
    assert_eq!(kind(403, "AccessDenied"), S3ErrorKind::AccessDenied);
    assert_eq!(kind(400, "ExpiredToken"), S3ErrorKind::AccessDenied);
    assert_eq!(kind(400, "AuthorizationHeaderMalformed"), S3ErrorKind::AccessDenied);
    assert_eq!(kind(404, "NoSuchKey"), S3ErrorKind::NotFound);
    assert_eq!(kind(404, "NoSuchBucket"), S3ErrorKind::NotFound);
    assert_eq!(kind(400, "NoSuchKey"), S3ErrorKind::NotFound);
    assert_eq!(kind(404, "SomethingElse"), S3ErrorKind::NotFound);
    assert_eq!(kind(400, "InvalidArgument"), S3ErrorKind::Other);
    assert_eq!(kind(416, "InvalidRange"), S3ErrorKind::Other);
    assert_eq!(kind(503, "SlowDown"), S3ErrorKind::Other);

    let gateway = s3_error(502, "<html><body>Bad Gateway</body></html>", Some(" tx-1 "));
    assert_eq!((gateway.kind, gateway.code.as_str()), (S3ErrorKind::Other, "HTTP_502"));
    assert_eq!(gateway.message, "S3 answered HTTP 502");
    assert_eq!(gateway.request_id.as_deref(), Some("tx-1"));
    let denied = s3_error(403, "", None);
    assert!(denied.message.contains("access key"), "{}", denied.message);
    assert_eq!(denied.request_id, None);

    let long = format!("<Error><Code>{}</Code><Message>{}</Message></Error>", "C".repeat(200), "m".repeat(5000));
    let error = s3_error(400, &long, None);
    assert_eq!((error.code.len(), error.message.len()), (64, 512));
}

#[test]
fn content_ranges_give_the_object_size() {
    let range = |first, last, total| Some(ContentRange { first, last, total });
    assert_eq!(parse_content_range("bytes 0-65535/1048576"), range(Some(0), Some(65_535), Some(1_048_576)));
    assert_eq!(
        parse_content_range("bytes 983040-1048575/1048576"),
        range(Some(983_040), Some(1_048_575), Some(1_048_576))
    );
    assert_eq!(parse_content_range("bytes 0-9/*"), range(Some(0), Some(9), None));
    assert_eq!(parse_content_range("bytes */1048576"), range(None, None, Some(1_048_576)));
    for bad in [
        "",
        "bytes",
        "bytes */*",
        "bytes 5-4/10",
        "bytes 0-10/10",
        "items 0-1/2",
        "bytes 0-1",
        "bytes -1-2/3",
        "bytes 0-+1/3",
    ] {
        assert_eq!(parse_content_range(bad), None, "{bad}");
    }
}
