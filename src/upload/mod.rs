//! Uploading backups to S3, in the core: the order the files go in, the multipart plan (part size,
//! ranges, what a resumed upload still sends, progress figures) and the check that the completed
//! object is the parts sent.
//! Pure: the wasm side reads the files and sends the requests (`s3::multipart` builds them).

pub mod order;
pub mod part_digest;
pub mod plan;

pub use plan::PartPlan;
