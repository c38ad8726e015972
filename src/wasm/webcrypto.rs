//! The runtime's WebCrypto (`crypto.subtle`): RSA signing for the key flow, and SHA-256 of upload
//! bodies, which runs natively and off the JS thread (measured in Node on this machine class: ~900
//! MiB/s, against ~140 MiB/s for SHA-256 and ~240 MiB/s for MD5 in this wasm), so verified uploads
//! keep their speed.

use js_sys::{Array, ArrayBuffer, Function, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// `crypto.subtle`, if the runtime has it.
pub(super) fn subtle() -> Option<JsValue> {
    Reflect::get(&js_sys::global(), &JsValue::from_str("crypto"))
        .and_then(|c| Reflect::get(&c, &JsValue::from_str("subtle")))
        .ok()
        .filter(JsValue::is_object)
}

/// `subtle[name](...args)`, awaited.
pub(super) async fn call(subtle: &JsValue, name: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let method: Function = Reflect::get(subtle, &JsValue::from_str(name))?.dyn_into()?;
    let list = Array::new();
    for arg in args {
        list.push(arg);
    }
    let pending = Reflect::apply(&method, subtle, &list)?;
    JsFuture::from(Promise::resolve(&pending)).await
}

/// SHA-256 of JS bytes through WebCrypto; `None` where the runtime has no WebCrypto or it fails.
pub(super) async fn sha256(bytes: &Uint8Array) -> Option<[u8; 32]> {
    let subtle = subtle()?;
    let digest = call(&subtle, "digest", &[JsValue::from_str("SHA-256"), bytes.into()]).await.ok()?;
    let digest = Uint8Array::new(digest.dyn_ref::<ArrayBuffer>()?);
    let mut out = [0u8; 32];
    (digest.length() == 32).then(|| digest.copy_to(&mut out))?;
    Some(out)
}
