//! Where the bearer token comes from: a static token, the caller's `getToken()`, or the service-account
//! key flow (RS512 JWT signed with WebCrypto, exchanged at the token endpoint, cached until 5 s before
//! expiry, one shared in-flight request for concurrent callers).

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Function, Object, Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use super::js_error::{details, set};
use super::timers::{now_ms, AbortSignal};
use super::transport::{self, Failure};
use super::webcrypto;
use crate::auth::service_account::{self, ServiceAccountKey};
use crate::auth::token_expiry::{token_expires_at_ms, token_needs_refresh};
use crate::http::request::HttpRequest;
use crate::input::options::SAFE_SEND_RETRIES;
use crate::util::secret::{Secret, SecretBytes};
use crate::util::uuid::uuid_v4;

pub enum Auth {
    None,
    Static(Secret),
    Callback(Function),
    KeyFlow(Rc<KeyFlow>),
}

pub struct KeyFlow {
    pub key: ServiceAccountKey,
    pub pkcs8: SecretBytes,
    pub token_url: String,
    pub fetch: Function,
    pub timeout_ms: f64,
    pub user_agent: Option<String>,
    cached: RefCell<Option<(Secret, i64)>>,
    in_flight: RefCell<Option<Promise>>,
    crypto_key: RefCell<Option<JsValue>>,
}

impl KeyFlow {
    pub fn new(
        key: ServiceAccountKey,
        pkcs8: SecretBytes,
        token_url: String,
        fetch: Function,
        timeout_ms: f64,
        user_agent: Option<String>,
    ) -> KeyFlow {
        KeyFlow {
            key,
            pkcs8,
            token_url,
            fetch,
            timeout_ms,
            user_agent,
            cached: RefCell::new(None),
            in_flight: RefCell::new(None),
            crypto_key: RefCell::new(None),
        }
    }

    /// Forgets the cached token (after a 401 with it).
    pub fn invalidate(&self) {
        self.cached.borrow_mut().take();
    }
}

impl Auth {
    /// The bearer token for the next request (`None`: no auth configured).
    pub async fn token(&self, signal: Option<&AbortSignal>) -> Result<Option<Secret>, JsValue> {
        match self {
            Auth::None => Ok(None),
            Auth::Static(token) => Ok(Some(token.clone())),
            Auth::Callback(get_token) => {
                let value = get_token
                    .call0(&JsValue::UNDEFINED)
                    .map_err(|e| auth_error("GET_TOKEN_FAILED", "getToken() threw", Some(e)))?;
                let value = JsFuture::from(Promise::resolve(&value))
                    .await
                    .map_err(|e| auth_error("GET_TOKEN_FAILED", "getToken() rejected", Some(e)))?;
                match value.as_string().filter(|t| !t.is_empty()) {
                    Some(token) => Ok(Some(Secret::new(token))),
                    None => Err(auth_error("GET_TOKEN_FAILED", "getToken() must return a non-empty string", None)),
                }
            }
            Auth::KeyFlow(flow) => key_flow_token(flow.clone(), signal).await.map(Some),
        }
    }
}

async fn key_flow_token(flow: Rc<KeyFlow>, signal: Option<&AbortSignal>) -> Result<Secret, JsValue> {
    if let Some((token, expires_at)) = flow.cached.borrow().as_ref() {
        if !token_needs_refresh(*expires_at, now_ms() as i64) {
            return Ok(token.clone());
        }
    }
    // One token request at a time: concurrent callers await the same promise.
    let existing = flow.in_flight.borrow().clone();
    let promise = match existing {
        Some(promise) => promise,
        None => {
            let worker = flow.clone();
            let promise = future_to_promise(async move {
                let result = fetch_token(&worker).await;
                worker.in_flight.borrow_mut().take();
                let token = result?;
                let text = JsValue::from_str(token.expose());
                Ok(text)
            });
            *flow.in_flight.borrow_mut() = Some(promise.clone());
            promise
        }
    };
    let _ = signal; // the shared token request is not tied to one caller's signal
    let token = JsFuture::from(promise).await?;
    Ok(Secret::new(token.as_string().unwrap_or_default()))
}

async fn fetch_token(flow: &KeyFlow) -> Result<Secret, JsValue> {
    let now = now_ms();
    let mut random = [0u8; 16];
    super::random::fill_random(&mut random);
    let signing_input = flow.key.signing_input((now / 1000.0) as i64, &uuid_v4(random));
    let signature = sign_rs512(flow, signing_input.as_bytes()).await?;
    let assertion = service_account::assemble_jwt(&signing_input, &signature);
    let mut headers = vec![
        ("accept".to_owned(), "application/json".to_owned()),
        ("content-type".to_owned(), "application/x-www-form-urlencoded".to_owned()),
    ];
    if let Some(ua) = &flow.user_agent {
        headers.push(("user-agent".to_owned(), ua.clone()));
    }
    let request = HttpRequest {
        method: "POST",
        url: flow.token_url.clone(),
        headers,
        body: Some(service_account::token_request_body(&assertion).expose().to_owned()),
    };
    let sent = super::safe_send::send_safe(&flow.fetch, &request, flow.timeout_ms, None, SAFE_SEND_RETRIES).await;
    let response = sent.map_err(|failure| match failure {
        Failure::Aborted(reason) => reason,
        Failure::Timeout => auth_error("TOKEN_TIMEOUT", "the token endpoint did not answer in time", None),
        Failure::Network(cause) => {
            let message = format!("could not reach the token endpoint: {}", transport::describe_cause(&cause));
            auth_error("TOKEN_NETWORK_ERROR", &message, Some(cause))
        }
    })?;
    if !(200..300).contains(&response.status) {
        let reason =
            service_account::token_error_message(&response.body).unwrap_or_else(|| format!("HTTP {}", response.status));
        return Err(details("TOKEN_REJECTED")
            .field("status", &JsValue::from(response.status))
            .error("AuthError", &format!("the token endpoint refused the service-account key: {reason}")));
    }
    let token =
        service_account::parse_token_response(&response.body).map_err(|m| auth_error("TOKEN_INVALID", &m, None))?;
    let expires_at = token_expires_at_ms(now_ms() as i64, token.expires_in_seconds);
    *flow.cached.borrow_mut() = Some((token.token.clone(), expires_at));
    Ok(token.token)
}

/// RSASSA-PKCS1-v1_5 with SHA-512 (JWT "RS512") through WebCrypto; the imported key is cached.
async fn sign_rs512(flow: &KeyFlow, data: &[u8]) -> Result<Vec<u8>, JsValue> {
    let subtle = webcrypto::subtle().ok_or_else(|| {
        auth_error("NO_WEBCRYPTO", "this runtime has no WebCrypto (crypto.subtle) to sign the key-flow JWT", None)
    })?;
    let algorithm = Object::new();
    set(&algorithm, "name", &JsValue::from_str("RSASSA-PKCS1-v1_5"));
    set(&algorithm, "hash", &JsValue::from_str("SHA-512"));
    let cached = flow.crypto_key.borrow().clone();
    let key = match cached {
        Some(key) => key,
        None => {
            let usages = Array::of1(&JsValue::from_str("sign"));
            let der = Uint8Array::from(flow.pkcs8.expose());
            let args =
                [JsValue::from_str("pkcs8"), der.into(), algorithm.clone().into(), JsValue::FALSE, usages.into()];
            let key = webcrypto::call(&subtle, "importKey", &args).await.map_err(|_| {
                auth_error("INVALID_PRIVATE_KEY", "the private key could not be imported as an RSA PKCS#8 key", None)
            })?;
            *flow.crypto_key.borrow_mut() = Some(key.clone());
            key
        }
    };
    let data = Uint8Array::from(data);
    let signature = webcrypto::call(&subtle, "sign", &[algorithm.into(), key, data.into()])
        .await
        .map_err(|e| auth_error("SIGNING_FAILED", "WebCrypto could not sign the JWT", Some(e)))?;
    Ok(Uint8Array::new(&signature).to_vec())
}

pub fn auth_error(code: &str, message: &str, cause: Option<JsValue>) -> JsValue {
    let mut d = details(code);
    if let Some(cause) = cause {
        d = d.field("cause", &cause);
    }
    d.error("AuthError", message)
}
