//! Local backup files read as the preflight reads S3 objects — the first and last 64 KiB, and 64 KiB
//! at each later backup set the filemark table lists — for upload's header check and for
//! `inspectFiles` (the CLI's `inspect FILE`, the console's upload panel).

use js_sys::{Array, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::source::{read, read_sources, Source};
use crate::backup::mtf::{self, BackupKind};
use crate::backup::preflight::{self, FileProbe, Probe, SetProbe, TailProbe};
use crate::backup::read_plan;
use crate::input::issue::Issues;
use crate::wasm::convert::{option, to_js};
use crate::wasm::js_error::validation_error;

/// `inspectFiles(sources, { databaseName? })` → the preflight's report for local files (paths are the
/// file names), without sending anything.
#[wasm_bindgen(js_name = inspectFiles)]
pub fn inspect_files(sources: Array, options: JsValue) -> Promise {
    future_to_promise(async move {
        let mut issues = Issues::default();
        let sources = read_sources(&sources, false, &mut issues);
        if issues.has_errors() {
            return Err(validation_error(&issues));
        }
        let database_name = option(&options, "databaseName").as_string();
        let mut probes = Vec::with_capacity(sources.len());
        for source in &sources {
            let probe = read_probe(source).await?;
            probes.push(FileProbe { path: source.name.clone(), number: None, probe });
        }
        to_js(&preflight::assess(&probes, database_name.as_deref()))
    })
}

/// One local file, read as the preflight reads an object.
pub(super) async fn read_probe(source: &Source) -> Result<Probe, JsValue> {
    let range = read_plan::head(Some(source.size));
    let head = read(source, range.start, range.len).await?.to_vec();
    let header = Box::new(mtf::inspect(&head));
    let size = Some(source.size);
    if header.kind != BackupKind::Mtf {
        return Ok(Probe::Read { size, etag: None, header, tail: None, later_sets: Vec::new() });
    }
    let range = read_plan::tail(source.size);
    let tail = TailProbe::read(&read(source, range.start, range.len).await?.to_vec(), range.start, size, None);
    let mut later_sets = Vec::new();
    for (position, offset) in tail.later_set_starts(&header) {
        let range = read_plan::later_set(offset, size);
        let bytes = read(source, range.start, range.len).await?.to_vec();
        later_sets.push(SetProbe::read(position, range.start, &bytes, &header));
    }
    Ok(Probe::Read { size, etag: None, header, tail: Some(tail), later_sets })
}
