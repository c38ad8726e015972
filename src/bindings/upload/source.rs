//! Reading the JS sources: checked reads, part bodies (a streamed Blob slice or hashed bytes).

use js_sys::{Function, Promise, Reflect, Uint8Array};
use sha2::{Digest, Sha256};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::options::{Integrity, Settings};
use crate::bindings::js_error::details;
use crate::part_digest::{Md5Sum, PartDigest};
use crate::sigv4::{hex, Payload};

const HASH_WINDOW: u32 = 65_536;

#[derive(Clone)]
pub(super) struct Source {
    pub(super) name: String,
    pub(super) size: u64,
    pub(super) handle: JsValue,
}

fn changed(source: &Source, offset: u64, length: u64, got: u64) -> JsValue {
    details("SOURCE_CHANGED").error(
        "ValidationError",
        &format!("{} gave {got} bytes at offset {offset} instead of {length}: did the file change?", source.name),
    )
}

/// `length` bytes at `offset` from the JS source, checked: a short read means the file changed.
pub(super) async fn read(source: &Source, offset: u64, length: u64) -> Result<Uint8Array, JsValue> {
    let read = Reflect::get(&source.handle, &JsValue::from_str("read"))?.dyn_into::<Function>()?;
    let pending = read.call2(&source.handle, &JsValue::from(offset as f64), &JsValue::from(length as f64))?;
    let bytes = JsFuture::from(Promise::resolve(&pending)).await?;
    let bytes = if bytes.is_instance_of::<Uint8Array>() { bytes.unchecked_into() } else { Uint8Array::new(&bytes) };
    if u64::from(bytes.length()) != length {
        return Err(changed(source, offset, length, u64::from(bytes.length())));
    }
    Ok(bytes)
}

/// A request body as it is sent: the JS value fetch takes, its payload hash, and its MD5 when the
/// upload verifies what is stored.
pub(super) struct PartBody {
    pub(super) body: JsValue,
    pub(super) payload: Payload,
    pub(super) md5: Option<Md5Sum>,
}

/// A part's body. Parts that need neither a payload hash nor an MD5 go as the source's `slice` when
/// it has one (a Blob: fetch streams it from disk, nothing is copied); the others are read as bytes,
/// digested in one pass, and those bytes are sent.
pub(super) async fn part_body(
    source: &Source,
    offset: u64,
    length: u64,
    settings: &Settings,
) -> Result<PartBody, JsValue> {
    let md5 = settings.integrity != Integrity::None;
    let slice = Reflect::get(&source.handle, &JsValue::from_str("slice"))?.dyn_into::<Function>().ok();
    if let (Some(slice), false, false) = (slice, settings.hash_payload, md5) {
        let blob = slice.call2(&source.handle, &JsValue::from(offset as f64), &JsValue::from(length as f64))?;
        let size = Reflect::get(&blob, &JsValue::from_str("size"))?.as_f64();
        if size != Some(length as f64) {
            return Err(changed(source, offset, length, size.unwrap_or(0.0) as u64));
        }
        return Ok(PartBody { body: blob, payload: Payload::Unsigned, md5: None });
    }
    let bytes = read(source, offset, length).await?;
    let (payload, md5) = digest(&bytes, settings.hash_payload, md5);
    Ok(PartBody { body: bytes.into(), payload, md5 })
}

/// The SHA-256 payload hash and the MD5 of a JS byte array, as asked, in one pass through a 64 KiB
/// window of wasm memory.
fn digest(bytes: &Uint8Array, sha256: bool, md5: bool) -> (Payload, Option<Md5Sum>) {
    let mut sha = sha256.then(Sha256::new);
    let mut sum = md5.then(PartDigest::new);
    let mut window = vec![0u8; HASH_WINDOW as usize];
    let mut at = 0u32;
    while at < bytes.length() {
        let end = at.saturating_add(HASH_WINDOW).min(bytes.length());
        let Some(chunk) = window.get_mut(..end.saturating_sub(at) as usize) else { break };
        bytes.subarray(at, end).copy_to(chunk);
        if let Some(sha) = sha.as_mut() {
            sha.update(&*chunk);
        }
        if let Some(sum) = sum.as_mut() {
            sum.update(chunk);
        }
        at = end;
    }
    let payload = sha.map_or(Payload::Unsigned, |sha| Payload::Sha256Hex(hex(&sha.finalize())));
    (payload, sum.map(PartDigest::finish))
}
