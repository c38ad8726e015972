//! Progress of an upload: bytes on the server (sent now, or kept from an interrupted run), reported
//! to the caller's `onProgress` after each part.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Function;
use wasm_bindgen::prelude::*;

use crate::upload::plan;
use crate::wasm::convert::to_js;
use crate::wasm::js_error::set;
use crate::wasm::timers::now_ms;

/// Bytes on the server, for progress events.
pub(super) struct Tracker {
    pub(super) loaded: u64,
    pub(super) skipped: u64,
    pub(super) total: u64,
    pub(super) started_ms: f64,
    pub(super) requests: u32,
    pub(super) on_progress: Option<Function>,
}

impl Tracker {
    pub(super) fn report(&self, file: &str) {
        let Some(callback) = &self.on_progress else { return };
        let event = plan::progress(self.loaded, self.total, self.skipped, now_ms() - self.started_ms);
        if let Ok(value) = to_js(&event) {
            set(&value, "file", &JsValue::from_str(file));
            // A throwing callback must not break the upload.
            let _ = callback.call1(&JsValue::UNDEFINED, &value);
        }
    }
}

pub(super) type Shared = Rc<RefCell<Tracker>>;

/// Counts `bytes` as on the server (`kept`: from an interrupted run, not sent now) and reports progress.
pub(super) fn advance(tracker: &Shared, bytes: u64, kept: bool, file: &str) {
    {
        let mut t = tracker.borrow_mut();
        t.loaded = t.loaded.saturating_add(bytes);
        if kept {
            t.skipped = t.skipped.saturating_add(bytes);
        }
    }
    tracker.borrow().report(file);
}
