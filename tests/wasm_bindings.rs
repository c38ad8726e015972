//! The wasm bindings in a real JS runtime (Node, or headless Chromium with WASM_BINDGEN_USE_BROWSER=1),
//! sending a real import to the emulator whose URL the test runner passes at build time.
#![cfg(target_arch = "wasm32")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]

use js_sys::{Reflect, JSON};
use sqlserverflex_restore::wasm as bindings;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;

const PROJECT: &str = "11111111-1111-4111-8111-111111111111";
const INSTANCE: &str = "22222222-2222-4222-8222-222222222222";
const SECRET: &str = "wasm-test-S3CR3T";

fn emulator_url() -> &'static str {
    option_env!("SSFR_EMULATOR_URL").unwrap_or("http://127.0.0.1:8787")
}

fn json(text: &str) -> JsValue {
    JSON::parse(text).unwrap()
}

fn config(version: &str, token: &str) -> JsValue {
    json(&format!(
        r#"{{"projectId":"{PROJECT}","region":"eu01","apiVersion":"{version}","baseUrl":"{}","token":"{token}"}}"#,
        emulator_url()
    ))
}

fn input(database: &str) -> JsValue {
    json(&format!(
        r#"{{"instanceId":"{INSTANCE}","databaseName":"{database}","databaseOwner":"dbo_owner","loggingGuid":"1",
        "s3":{{"bucket":"s3://object.storage.eu01.onstackit.cloud/bucket/","accessKey":"AK","secretKey":"{SECRET}",
        "files":[{{"number":1,"path":"s3://object.storage.eu01.onstackit.cloud/bucket/db.bak"}}]}}}}"#
    ))
}

fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(key)).unwrap()
}

/// A unique name per run and runtime, so Node and Chromium runs never collide on "database exists".
fn unique(prefix: &str) -> String {
    format!("{prefix}_{}", (js_sys::Math::random() * 1e12) as u64)
}

/// A client from `config`, running one import.
async fn call(config: JsValue, input: JsValue) -> Result<JsValue, JsValue> {
    let client = bindings::Client::new(config, JsValue::UNDEFINED)?;
    JsFuture::from(client.call("importFromS3".to_owned(), input, JsValue::UNDEFINED)).await
}

async fn recorded_bodies() -> String {
    let global = js_sys::global();
    let fetch: js_sys::Function = get(&global, "fetch").dyn_into().unwrap();
    let url = JsValue::from_str(&format!("{}/_emulator/requests", emulator_url()));
    let response =
        JsFuture::from(js_sys::Promise::from(fetch.call1(&JsValue::UNDEFINED, &url).unwrap())).await.unwrap();
    let text: js_sys::Function = get(&response, "text").dyn_into().unwrap();
    let body = JsFuture::from(js_sys::Promise::from(text.call0(&response).unwrap())).await.unwrap();
    body.as_string().unwrap()
}

#[wasm_bindgen_test]
async fn import_is_accepted_by_the_emulator_in_both_api_versions() {
    for version in ["v3", "v3alpha1"] {
        let database = unique(&format!("wasm_{version}"));
        let result = call(config(version, "emulator-token"), input(&database))
            .await
            .unwrap_or_else(|e| panic!("{version}: {:?}", JSON::stringify(&e)));
        assert_eq!(get(&result, "accepted"), JsValue::TRUE);
        assert_eq!(get(&result, "status").as_f64(), Some(202.0));
        assert_eq!(get(&result, "traceId").as_string().map(|t| t.len()), Some(32));
        let recorded = recorded_bodies().await;
        assert!(recorded.contains(&database), "emulator did not record {database}");
        assert!(!recorded.contains(SECRET), "emulator recording leaked the secret");
    }
}

#[wasm_bindgen_test]
async fn api_error_carries_status_code_and_trace_id() {
    let error = call(config("v3", "wrong-token"), input(&unique("wasm_auth"))).await.unwrap_err();
    assert_eq!(get(&error, "name").as_string().as_deref(), Some("AuthError"));
    assert_eq!(get(&error, "status").as_f64(), Some(401.0));
    assert!(get(&error, "traceId").as_string().is_some_and(|t| !t.is_empty()));
    assert!(get(&error, "code").as_string().is_some_and(|c| !c.is_empty()));
}

#[wasm_bindgen_test]
fn bad_input_is_a_validation_error_listing_every_field() {
    let error =
        bindings::build_request("importFromS3", config("v3", "t"), json(r#"{"databaseName":5}"#), None).unwrap_err();
    assert_eq!(get(&error, "name").as_string().as_deref(), Some("ValidationError"));
    let errors: js_sys::Array = get(&error, "errors").dyn_into().unwrap();
    let paths: Vec<String> = errors.iter().map(|e| get(&e, "path").as_string().unwrap()).collect();
    assert!(paths.contains(&"/instanceId".to_owned()), "{paths:?}");
    assert!(paths.contains(&"/database_name".to_owned()), "{paths:?}");
    assert!(paths.contains(&"/source/s3_details".to_owned()), "{paths:?}");
}

#[wasm_bindgen_test]
fn built_request_masks_secrets_unless_revealed() {
    let masked =
        bindings::build_request("importFromS3", config("v3", "tok-S3CR3T"), input("masked"), Some(false)).unwrap();
    let text = JSON::stringify(&masked).unwrap().as_string().unwrap();
    assert!(!text.contains(SECRET) && !text.contains("tok-S3CR3T"), "{text}");
    let revealed =
        bindings::build_request("importFromS3", config("v3", "tok-S3CR3T"), input("masked"), Some(true)).unwrap();
    let body = get(&revealed, "body").as_string().unwrap();
    assert!(body.contains(SECRET));
}

#[wasm_bindgen_test]
fn object_paths_for_the_package_js() {
    assert_eq!(bindings::object_path("s3://host/bucket", "db.bak"), "s3://host/bucket/db.bak");
    assert_eq!(bindings::object_path("s3://host/bucket/", "db.bak"), "s3://host/bucket/db.bak");
}

#[wasm_bindgen_test]
fn preflight_refusal_reads_a_report_as_js_holds_it() {
    let report = json(
        r#"{"verdict":"error","findings":[{"severity":"warning","code":"LOG_BACKUP","message":"w"},
        {"severity":"error","code":"STRIPE_MISSING","message":"file 2 is missing"},
        {"severity":"error","code":"ENCRYPTED","message":"encrypted"}]}"#,
    );
    let refusal = bindings::preflight_refusal(report.clone(), JsValue::FALSE);
    assert_eq!(get(&refusal, "count").as_f64(), Some(2.0));
    assert_eq!(get(&refusal, "codes").as_string().as_deref(), Some("STRIPE_MISSING, ENCRYPTED"));
    assert_eq!(
        get(&refusal, "problems").as_string().as_deref(),
        Some("STRIPE_MISSING: file 2 is missing; ENCRYPTED: encrypted")
    );
    assert!(bindings::preflight_refusal(report, JsValue::TRUE).is_null());
    assert!(bindings::preflight_refusal(json(r#"{"verdict":"ok","findings":[]}"#), JsValue::UNDEFINED).is_null());
    assert!(bindings::preflight_refusal(JsValue::UNDEFINED, JsValue::UNDEFINED).is_null());
}
