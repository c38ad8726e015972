//! Where API tokens come from, in the core: the service-account key (its JSON, the PEM private key,
//! the RS512 JWT the key flow signs) and when a cached token must be replaced. The wasm side signs
//! with WebCrypto and fetches the token.

pub mod service_account;
pub mod token_expiry;

pub use service_account::ServiceAccountKey;
