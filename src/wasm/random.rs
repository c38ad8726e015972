//! Randomness for the core (UUIDs, JWT ids): WebCrypto's `getRandomValues`, or `Math.random` where a
//! runtime lacks it.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = crypto, js_name = getRandomValues, catch)]
    fn get_random_values(buf: &mut [u8]) -> Result<(), JsValue>;
}

/// Randomness from WebCrypto; where a runtime lacks it (Node 18 scripts), `Math.random`, never zeros.
pub(super) fn fill_random(bytes: &mut [u8]) {
    if get_random_values(bytes).is_err() {
        for byte in bytes.iter_mut() {
            *byte = (js_sys::Math::random() * 256.0) as u8;
        }
    }
}

pub(super) fn random_bytes() -> [u8; 16] {
    let mut bytes = [0u8; 16];
    fill_random(&mut bytes);
    bytes
}
