//! Signed requests of a multipart upload (S3 API reference): CreateMultipartUpload, UploadPart,
//! ListParts, CompleteMultipartUpload, AbortMultipartUpload, ListMultipartUploads, and PutObject
//! for files small enough for one request. Part bodies are described by their payload hash (or
//! `UNSIGNED-PAYLOAD`); the bindings attach the bytes.

use serde::Serialize;

use super::endpoint::S3Endpoint;
use super::error::S3RequestError;
use super::request::{signed, signed_with_payload};
use super::sigv4::uri::uri_encode_into;
use super::sigv4::{Credentials, Payload};
use crate::http::request::HttpRequest;
use crate::input::shape::Shape;

/// A part the server already holds (from ListParts, or remembered from the interrupted run).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DonePart {
    pub part_number: u32,
    pub size: u64,
    /// Without quotes; `None` where the listing gave none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
}

impl DonePart {
    /// A part as serialized (`{ partNumber, size, etag? }`), e.g. in an upload's resume value.
    pub fn from_json(value: &serde_json::Value, path: &str) -> Result<DonePart, String> {
        let shape = Shape::of(value, path)?;
        Ok(DonePart {
            part_number: shape.need("partNumber", shape.int("partNumber")?)?,
            size: shape.need("size", shape.int("size")?)?,
            etag: shape.string("etag")?,
        })
    }
}

/// `<object URL>?<query>` with the upload ID percent-encoded.
fn object_url_with(endpoint: &S3Endpoint, query: &str, upload_id: &str) -> Result<String, S3RequestError> {
    let mut url = endpoint.object_url()?;
    url.push('?');
    url.push_str(query);
    if !upload_id.is_empty() {
        if !query.is_empty() {
            url.push('&');
        }
        url.push_str("uploadId=");
        uri_encode_into(upload_id.as_bytes(), false, &mut url);
    }
    Ok(url)
}

/// PutObject of the whole file.
pub fn put_object(
    endpoint: &S3Endpoint,
    payload: Payload,
    credentials: &Credentials,
    time: i64,
) -> Result<HttpRequest, S3RequestError> {
    signed_with_payload("PUT", endpoint.object_url()?, Vec::new(), payload, endpoint, credentials, time)
}

/// `POST <key>?uploads`: starts an upload; the answer names its upload ID.
pub fn create_multipart_upload(
    endpoint: &S3Endpoint,
    credentials: &Credentials,
    time: i64,
) -> Result<HttpRequest, S3RequestError> {
    signed("POST", object_url_with(endpoint, "uploads", "")?, Vec::new(), endpoint, credentials, time)
}

/// `PUT <key>?partNumber=N&uploadId=…` with the part's bytes.
pub fn upload_part(
    endpoint: &S3Endpoint,
    upload_id: &str,
    part_number: u32,
    payload: Payload,
    credentials: &Credentials,
    time: i64,
) -> Result<HttpRequest, S3RequestError> {
    let url = object_url_with(endpoint, &format!("partNumber={part_number}"), upload_id)?;
    signed_with_payload("PUT", url, Vec::new(), payload, endpoint, credentials, time)
}

/// `GET <key>?uploadId=…[&part-number-marker=M]`: the parts the server holds, 1000 a page.
pub fn list_parts(
    endpoint: &S3Endpoint,
    upload_id: &str,
    part_number_marker: Option<u32>,
    credentials: &Credentials,
    time: i64,
) -> Result<HttpRequest, S3RequestError> {
    let query = part_number_marker.map(|m| format!("part-number-marker={m}")).unwrap_or_default();
    signed("GET", object_url_with(endpoint, &query, upload_id)?, Vec::new(), endpoint, credentials, time)
}

/// `POST <key>?uploadId=…` with the part list; `parts` are `(number, ETag without quotes)` in order.
pub fn complete_multipart_upload(
    endpoint: &S3Endpoint,
    upload_id: &str,
    parts: &[(u32, String)],
    credentials: &Credentials,
    time: i64,
) -> Result<HttpRequest, S3RequestError> {
    let body = complete_body(parts);
    let headers = vec![("content-type".to_owned(), "application/xml".to_owned())];
    let url = object_url_with(endpoint, "", upload_id)?;
    let payload = Payload::of_body(body.as_bytes());
    let mut request = signed_with_payload("POST", url, headers, payload, endpoint, credentials, time)?;
    request.body = Some(body);
    Ok(request)
}

/// `DELETE <key>?uploadId=…`: removes the upload and every part sent for it.
pub fn abort_multipart_upload(
    endpoint: &S3Endpoint,
    upload_id: &str,
    credentials: &Credentials,
    time: i64,
) -> Result<HttpRequest, S3RequestError> {
    signed("DELETE", object_url_with(endpoint, "", upload_id)?, Vec::new(), endpoint, credentials, time)
}

/// `GET <bucket>?uploads&prefix=…`: unfinished uploads under a prefix.
pub fn list_multipart_uploads(
    endpoint: &S3Endpoint,
    prefix: &str,
    credentials: &Credentials,
    time: i64,
) -> Result<HttpRequest, S3RequestError> {
    let mut url = endpoint.bucket_url();
    url.push_str("?prefix=");
    uri_encode_into(prefix.as_bytes(), false, &mut url);
    url.push_str("&uploads=");
    signed("GET", url, Vec::new(), endpoint, credentials, time)
}

/// `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"…"</ETag></Part>…`.
pub fn complete_body(parts: &[(u32, String)]) -> String {
    let mut body = String::with_capacity(parts.len().saturating_mul(96).saturating_add(64));
    body.push_str("<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
    for (number, etag) in parts {
        body.push_str("<Part><PartNumber>");
        body.push_str(&number.to_string());
        body.push_str("</PartNumber><ETag>\"");
        for c in etag.chars() {
            match c {
                '&' => body.push_str("&amp;"),
                '<' => body.push_str("&lt;"),
                '>' => body.push_str("&gt;"),
                '"' => body.push_str("&quot;"),
                c => body.push(c),
            }
        }
        body.push_str("\"</ETag></Part>");
    }
    body.push_str("</CompleteMultipartUpload>");
    body
}
