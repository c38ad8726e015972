//! The multipart upload documents (S3 API reference): `InitiateMultipartUploadResult`,
//! `ListPartsResult`, `CompleteMultipartUploadResult` and `ListMultipartUploadsResult`.

use serde::Serialize;

use super::document::{entries, number, owned, root_named, truncated, unquote_etag, S3XmlError};
use crate::s3::multipart::DonePart;

/// The upload ID of CreateMultipartUpload.
pub fn parse_initiate_multipart_upload(xml: &str) -> Result<String, S3XmlError> {
    let root = root_named(xml, "InitiateMultipartUploadResult")?;
    owned(&root, "UploadId")
        .map(|id| id.trim().to_owned())
        .filter(|id| !id.is_empty())
        .ok_or(S3XmlError::MissingElement { element: "UploadId" })
}

/// One page of ListParts.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListPartsResult {
    pub parts: Vec<DonePart>,
    pub is_truncated: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_part_number_marker: Option<u32>,
}

pub fn parse_list_parts(xml: &str) -> Result<ListPartsResult, S3XmlError> {
    let root = root_named(xml, "ListPartsResult")?;
    let parts = entries(&root, "Part", |part| {
        let part_number = number(part, "PartNumber")?
            .and_then(|n| u32::try_from(n).ok())
            .ok_or(S3XmlError::MissingElement { element: "PartNumber" })?;
        let size = number(part, "Size")?.ok_or(S3XmlError::MissingElement { element: "Size" })?;
        let etag = part.child_text("ETag").map(unquote_etag).filter(|e| !e.is_empty());
        Ok(DonePart { part_number, size, etag })
    })?;
    let marker = number(&root, "NextPartNumberMarker")?.and_then(|n| u32::try_from(n).ok());
    Ok(ListPartsResult { parts, is_truncated: truncated(&root)?, next_part_number_marker: marker })
}

/// CompleteMultipartUpload's answer: the object's ETag. (A 200 may carry an `<Error>` instead;
/// the caller checks for that first.)
pub fn parse_complete_multipart_upload(xml: &str) -> Result<Option<String>, S3XmlError> {
    let root = root_named(xml, "CompleteMultipartUploadResult")?;
    Ok(root.child_text("ETag").map(unquote_etag).filter(|e| !e.is_empty()))
}

/// One unfinished upload of ListMultipartUploads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PendingUpload {
    pub key: String,
    pub upload_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub initiated: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListMultipartUploadsResult {
    pub uploads: Vec<PendingUpload>,
    pub is_truncated: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_key_marker: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_upload_id_marker: Option<String>,
}

pub fn parse_list_multipart_uploads(xml: &str) -> Result<ListMultipartUploadsResult, S3XmlError> {
    let root = root_named(xml, "ListMultipartUploadsResult")?;
    let uploads = entries(&root, "Upload", |upload| {
        Ok(PendingUpload {
            key: owned(upload, "Key").ok_or(S3XmlError::MissingElement { element: "Key" })?,
            upload_id: owned(upload, "UploadId").ok_or(S3XmlError::MissingElement { element: "UploadId" })?,
            initiated: upload.child_text("Initiated").map(|t| t.trim().to_owned()),
        })
    })?;
    let non_empty = |name: &str| owned(&root, name).filter(|t| !t.is_empty());
    Ok(ListMultipartUploadsResult {
        uploads,
        is_truncated: truncated(&root)?,
        next_key_marker: non_empty("NextKeyMarker"),
        next_upload_id_marker: non_empty("NextUploadIdMarker"),
    })
}
