//! Timers and abort signals of the runtime (global `setTimeout`, `AbortController`: Node ≥ 18,
//! browsers, workerd, Deno), bound structurally so any conforming object works.

use std::cell::Cell;
use std::rc::Rc;

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &Function, ms: f64) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);

    pub type AbortController;
    #[wasm_bindgen(constructor)]
    pub fn new() -> AbortController;
    #[wasm_bindgen(method, getter)]
    pub fn signal(this: &AbortController) -> AbortSignal;
    #[wasm_bindgen(method)]
    pub fn abort(this: &AbortController, reason: &JsValue);

    /// A caller's `AbortSignal` (or anything shaped like one).
    #[derive(Clone)]
    pub type AbortSignal;
    #[wasm_bindgen(method, getter, structural)]
    pub fn aborted(this: &AbortSignal) -> bool;
    #[wasm_bindgen(method, getter, structural)]
    pub fn reason(this: &AbortSignal) -> JsValue;
    #[wasm_bindgen(method, structural, js_name = addEventListener)]
    fn add_event_listener(this: &AbortSignal, kind: &str, listener: &Function);
    #[wasm_bindgen(method, structural, js_name = removeEventListener)]
    fn remove_event_listener(this: &AbortSignal, kind: &str, listener: &Function);
}

/// The signal option if it looks like an AbortSignal, else none.
pub fn signal_from(value: &JsValue) -> Option<AbortSignal> {
    let has = |key: &str| js_sys::Reflect::has(value, &JsValue::from_str(key)).unwrap_or(false);
    (value.is_object() && has("aborted") && has("addEventListener")).then(|| value.clone().unchecked_into())
}

/// The abort reason to reject with: the signal's own (an `AbortError` DOMException by default).
pub fn abort_reason(signal: &AbortSignal) -> JsValue {
    let reason = signal.reason();
    if reason.is_undefined() {
        js_sys::Error::new("This operation was aborted").into()
    } else {
        reason
    }
}

/// Runs `on_abort` when `signal` aborts, until dropped.
pub struct AbortListener {
    signal: AbortSignal,
    closure: Closure<dyn FnMut()>,
}

impl AbortListener {
    pub fn new(signal: &AbortSignal, on_abort: impl FnMut() + 'static) -> AbortListener {
        let closure = Closure::wrap(Box::new(on_abort) as Box<dyn FnMut()>);
        signal.add_event_listener("abort", closure.as_ref().unchecked_ref());
        AbortListener { signal: signal.clone(), closure }
    }
}

impl Drop for AbortListener {
    fn drop(&mut self) {
        self.signal.remove_event_listener("abort", self.closure.as_ref().unchecked_ref());
    }
}

/// Calls `on_fire` after `ms` unless dropped first.
pub struct Timer {
    id: JsValue,
    _closure: Closure<dyn FnMut()>,
}

impl Timer {
    pub fn new(ms: f64, on_fire: impl FnMut() + 'static) -> Timer {
        let closure = Closure::wrap(Box::new(on_fire) as Box<dyn FnMut()>);
        let id = set_timeout(closure.as_ref().unchecked_ref(), ms.max(0.0));
        Timer { id, _closure: closure }
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        clear_timeout(&self.id);
    }
}

/// Waits `ms`; rejects with the signal's reason when it aborts first.
pub async fn sleep(ms: f64, signal: Option<&AbortSignal>) -> Result<(), JsValue> {
    if let Some(signal) = signal {
        if signal.aborted() {
            return Err(abort_reason(signal));
        }
    }
    let settled = Rc::new(Cell::new(false));
    let mut resolve_slot: Option<Function> = None;
    let mut reject_slot: Option<Function> = None;
    let promise = Promise::new(&mut |resolve, reject| {
        resolve_slot = Some(resolve);
        reject_slot = Some(reject);
    });
    let (Some(resolve), Some(reject)) = (resolve_slot, reject_slot) else {
        return Ok(());
    };
    let _timer = {
        let settled = settled.clone();
        Timer::new(ms, move || {
            settled.set(true);
            let _ = resolve.call0(&JsValue::UNDEFINED);
        })
    };
    let _listener = signal.map(|signal| {
        let signal_for_reason = signal.clone();
        AbortListener::new(signal, move || {
            if !settled.get() {
                let _ = reject.call1(&JsValue::UNDEFINED, &abort_reason(&signal_for_reason));
            }
        })
    });
    JsFuture::from(promise).await.map(|_| ())
}

pub fn now_ms() -> f64 {
    js_sys::Date::now()
}
