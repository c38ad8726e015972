//! Everything S3: the addresses users write, where requests go (endpoint, URL style, signing
//! region), AWS Signature Version 4, the signed requests as data (reads for the preflight, the
//! multipart upload), and the answers (headers, XML bodies, errors). Pure: sending them is the
//! wasm side's job.

pub mod address;
pub mod endpoint;
pub mod error;
pub mod fields;
pub mod multipart;
pub mod request;
pub mod response;
pub mod sigv4;
pub mod xml;

pub use address::{BucketAddress, S3Uri};
pub use endpoint::{host_info, EndpointOptions, HostInfo, S3Endpoint, UrlStyle};
pub use error::S3RequestError;
pub use request::{get_object_range, get_object_suffix, head_object, list_objects_v2, MAX_LIST_KEYS};
pub use response::{
    classify, object_meta_from_head, parse_content_range, s3_error, ContentRange, ObjectMeta, S3Error, S3ErrorKind,
};
pub use sigv4::{Credentials, Payload};
