//! A request as plain data (`{ method, url, headers, body }`): building is pure, sending is the bindings' job.

use std::fmt;

use serde::Serialize;

/// Built with secrets revealed it is wire data; `Debug` never shows header values or the body.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct HttpRequest {
    pub method: &'static str,
    pub url: String,
    /// Ordered name/value pairs; names in lower case as fetch reports them.
    pub headers: Vec<(String, String)>,
    /// The JSON body exactly as sent, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

impl HttpRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("header_names", &names)
            .field("body_bytes", &self.body.as_ref().map(String::len))
            .finish()
    }
}
