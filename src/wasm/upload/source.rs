//! The JS sources: checked into `Source`s (every bad entry an issue with its path), checked reads,
//! part bodies (a streamed Blob slice or hashed bytes).

use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use sha2::{Digest, Sha256};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::input::issue::{IssueCode, Issues, Location};
use crate::s3::address::unsafe_object_name;
use crate::s3::sigv4::Payload;
use crate::upload::plan;
use crate::util::hex;
use crate::wasm::js_error::details;
use crate::wasm::webcrypto;

const HASH_WINDOW: u32 = 65_536;

#[derive(Clone)]
pub(super) struct Source {
    pub(super) name: String,
    pub(super) size: u64,
    pub(super) handle: JsValue,
}

/// The JS sources, checked. `object_names`: the names become object keys (upload), so they must be
/// safe ones (`s3::address::unsafe_object_name`); for `inspectFiles` a name is only a label.
pub(super) fn read_sources(sources: &Array, object_names: bool, issues: &mut Issues) -> Vec<Source> {
    let at = Location::new("files", "/files");
    if sources.length() == 0 {
        issues.error(&at, IssueCode::Required, "must list at least one backup file");
    }
    let mut out: Vec<Source> = Vec::new();
    for (i, handle) in sources.iter().enumerate() {
        let file_at = at.index(i);
        let name = Reflect::get(&handle, &JsValue::from_str("name")).ok().and_then(|n| n.as_string());
        let size = Reflect::get(&handle, &JsValue::from_str("size")).ok().and_then(|s| s.as_f64());
        let readable = Reflect::get(&handle, &JsValue::from_str("read")).is_ok_and(|r| r.is_function());
        let Some(name) = name.filter(|n| is_plain_name(n)) else {
            issues.error(
                &file_at,
                IssueCode::Format,
                "needs a file name without '/' or '\\' (the object key's last part)",
            );
            continue;
        };
        let Some(size) = size.filter(|s| *s >= 0.0 && s.fract() == 0.0 && *s <= plan::MAX_OBJECT_SIZE as f64) else {
            issues.error(&file_at, IssueCode::Format, "has no valid size (at most 5 TiB)");
            continue;
        };
        if !readable {
            issues.error(&file_at, IssueCode::Type, "must be a File, a Blob or a file path");
            continue;
        }
        if let Some(message) = unsafe_object_name(&name).filter(|_| object_names) {
            issues.error(&file_at, IssueCode::Format, message);
            continue;
        }
        if out.iter().any(|s| s.name == name) {
            issues.error(&file_at, IssueCode::Duplicate, format!("{name} is listed twice (object names must differ)"));
            continue;
        }
        out.push(Source { name, size: size as u64, handle });
    }
    out
}

fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && !name.contains(['/', '\\'])
        && !name.chars().any(char::is_control)
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

/// A request body as it is sent: the JS value fetch takes, and its payload hash.
pub(super) struct PartBody {
    pub(super) body: JsValue,
    pub(super) payload: Payload,
    /// The source's reused buffer behind `body`, handed back when the body is dropped.
    _lease: Option<Lease>,
}

/// A part the source read into a buffer it reuses (`readPart`): released when dropped, that is once
/// the part's answer arrived or its send failed or was abandoned, never while fetch may still read it.
struct Lease(JsValue);

impl Drop for Lease {
    fn drop(&mut self) {
        if let Ok(release) = Reflect::get(&self.0, &JsValue::from_str("release")).and_then(|f| f.dyn_into::<Function>())
        {
            let _ = release.call0(&self.0);
        }
    }
}

/// Is `fetch` the runtime's own? Only its handling of a lent buffer's body is what `readPart` checked;
/// a caller's fetch may read that body in ways it did not.
pub(super) fn is_runtime_fetch(fetch: &Function) -> bool {
    Reflect::get(&js_sys::global(), &JsValue::from_str("fetch")).is_ok_and(|f| Object::is(&f, fetch))
}

fn method(source: &Source, name: &str) -> Option<Function> {
    Reflect::get(&source.handle, &JsValue::from_str(name)).ok()?.dyn_into::<Function>().ok()
}

/// A part's body. A source with `readPart` (Node paths) lends a reused buffer when `lend` (the
/// runtime's own fetch sends it): its bytes are hashed when signed (by the source when it gives
/// `sha256`) and go as the `body` paired with them, which fetch sends without a copy. Otherwise
/// unsigned parts go as the source's `slice` when it has one (a Blob: fetch streams it from disk,
/// nothing is copied), and signed ones are read as bytes and those bytes are sent. The SHA-256 is
/// taken with WebCrypto (in wasm where the runtime has none).
pub(super) async fn part_body(
    source: &Source,
    offset: u64,
    length: u64,
    hash_payload: bool,
    lend: bool,
) -> Result<PartBody, JsValue> {
    let (at, len) = (JsValue::from(offset as f64), JsValue::from(length as f64));
    if let Some(read_part) = method(source, "readPart").filter(|_| lend) {
        let pending = read_part.call3(&source.handle, &at, &len, &JsValue::from_bool(hash_payload))?;
        let lease = Lease(JsFuture::from(Promise::resolve(&pending)).await?);
        let bytes: Uint8Array = Reflect::get(&lease.0, &JsValue::from_str("bytes"))?.dyn_into()?;
        if u64::from(bytes.length()) != length {
            return Err(changed(source, offset, length, u64::from(bytes.length())));
        }
        let body = Reflect::get(&lease.0, &JsValue::from_str("body"))?;
        let given = Reflect::get(&lease.0, &JsValue::from_str("sha256"))?.as_string().filter(|h| is_sha256_hex(h));
        let payload = match (hash_payload, given) {
            (false, _) => Payload::Unsigned,
            (true, Some(hex)) => Payload::Sha256Hex(hex),
            (true, None) => sha256(&bytes).await,
        };
        return Ok(PartBody { body, payload, _lease: Some(lease) });
    }
    if let (Some(slice), false) = (method(source, "slice"), hash_payload) {
        let blob = slice.call2(&source.handle, &at, &len)?;
        let size = Reflect::get(&blob, &JsValue::from_str("size"))?.as_f64();
        if size != Some(length as f64) {
            return Err(changed(source, offset, length, size.unwrap_or(0.0) as u64));
        }
        return Ok(PartBody { body: blob, payload: Payload::Unsigned, _lease: None });
    }
    let bytes = read(source, offset, length).await?;
    let payload = if hash_payload { sha256(&bytes).await } else { Payload::Unsigned };
    Ok(PartBody { body: bytes.into(), payload, _lease: None })
}

/// A SHA-256 as the source may give it with a part: 64 lowercase hex digits (as signed).
fn is_sha256_hex(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

async fn sha256(bytes: &Uint8Array) -> Payload {
    match webcrypto::sha256(bytes).await {
        Some(sum) => Payload::Sha256Hex(hex::lower(&sum)),
        None => sha256_payload(bytes),
    }
}

/// SHA-256 of a JS byte array, copied into wasm memory through a 64 KiB window.
fn sha256_payload(bytes: &Uint8Array) -> Payload {
    let mut hasher = Sha256::new();
    let mut window = vec![0u8; HASH_WINDOW as usize];
    let mut at = 0u32;
    while at < bytes.length() {
        let end = at.saturating_add(HASH_WINDOW).min(bytes.length());
        let Some(chunk) = window.get_mut(..end.saturating_sub(at) as usize) else { break };
        bytes.subarray(at, end).copy_to(chunk);
        hasher.update(&*chunk);
        at = end;
    }
    Payload::Sha256Hex(hex::lower(&hasher.finalize()))
}
