//! One file of an upload: its source, the S3 path and object endpoint it goes to, and its number in
//! the stripe set.

use super::source::Source;
use crate::s3::S3Endpoint;

/// A file to upload, checked: where it is read from and where it goes.
pub(super) struct Target {
    pub(super) source: Source,
    pub(super) path: String,
    pub(super) number: i32,
    pub(super) endpoint: S3Endpoint,
}
