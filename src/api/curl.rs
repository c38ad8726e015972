//! Any built request as a shell-safe curl command in the style of STACKIT's docs
//! (`curl -D- -X POST -H "Authorization: Bearer $TOKEN" …`). Unless revealed, the token and S3 secret
//! become shell variables (`$TOKEN`, `$S3_SECRET_KEY`) the user sets before running it.

use serde_json::Value;

use crate::http::request::HttpRequest;
use crate::util::sort::sort_small;

/// Body fields that hold secrets, and the shell variable that stands in for each.
const SECRET_FIELDS: &[(&str, &str)] = &[("s3_access_secret", "S3_SECRET_KEY"), ("assertion", "ASSERTION")];

pub fn to_curl(request: &HttpRequest, reveal: bool) -> String {
    let mut parts = vec!["curl -D- -X".to_owned(), request.method.to_owned()];
    // Authorization first, as in the docs' examples.
    let mut headers: Vec<&(String, String)> = request.headers.iter().collect();
    let is_auth = |h: &&(String, String)| h.0.eq_ignore_ascii_case("authorization");
    sort_small(&mut headers, |a, b| is_auth(a) && !is_auth(b));
    for (name, value) in headers {
        let display = display_header_name(name);
        if name.eq_ignore_ascii_case("authorization") && !reveal {
            let scheme = value.split_once(' ').map_or("Bearer", |(s, _)| s);
            parts.push(format!("-H \"{display}: {} $TOKEN\"", shell_double_quoted_safe(scheme)));
        } else {
            parts.push(format!("-H {}", single_quoted(&format!("{display}: {value}"))));
        }
    }
    if let Some(body) = &request.body {
        parts.push(format!("--data {}", body_argument(body, reveal)));
    }
    parts.push(single_quoted(&request.url));
    parts.join(" ")
}

/// The body as one shell word: single-quoted JSON, with secrets spliced in as `"$VAR"` (double-quoted
/// so they expand) unless revealed. The shell inserts the value verbatim, so a secret containing `"`
/// or `\` would need JSON escaping; S3 secrets are base64-like and never do.
fn body_argument(body: &str, reveal: bool) -> String {
    let Ok(mut json) = serde_json::from_str::<Value>(body) else {
        return single_quoted(body);
    };
    // Variables are wrapped in a run of '#' longer than any in the body, so splitting finds only them.
    let mark = "#".repeat(longest_run(body, '#').saturating_add(1));
    if !reveal {
        mask_secret_fields(&mut json, &mark);
    }
    let text = serde_json::to_string_pretty(&json).unwrap_or_default();
    let mut out = String::new();
    for (i, piece) in text.split(mark.as_str()).enumerate() {
        if i % 2 == 1 {
            out.push_str(&format!("'\"${piece}\"'"));
        } else {
            out.push_str(&piece.replace('\'', "'\\''"));
        }
    }
    format!("'{out}'")
}

fn mask_secret_fields(value: &mut Value, mark: &str) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                match SECRET_FIELDS.iter().find(|(field, _)| field == key) {
                    Some((_, variable)) => *child = Value::String(format!("{mark}{variable}{mark}")),
                    None => mask_secret_fields(child, mark),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| mask_secret_fields(item, mark)),
        _ => {}
    }
}

fn longest_run(text: &str, c: char) -> usize {
    text.split(|x| x != c).map(str::len).max().unwrap_or(0)
}

fn single_quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

/// Only a bare token scheme word goes inside the double-quoted Authorization header.
fn shell_double_quoted_safe(word: &str) -> &str {
    if word.bytes().all(|b| b.is_ascii_alphanumeric()) {
        word
    } else {
        "Bearer"
    }
}

/// `content-type` → `Content-Type`, as in the docs' examples.
fn display_header_name(name: &str) -> String {
    name.split('-')
        .map(|part| {
            let mut chars = part.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + &chars.as_str().to_ascii_lowercase(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(body: &str) -> HttpRequest {
        HttpRequest {
            method: "POST",
            url: "https://h/v3alpha1/x?a=1&b='2'".into(),
            headers: vec![
                ("authorization".into(), "Bearer tok3n".into()),
                ("content-type".into(), "application/json".into()),
            ],
            body: Some(body.into()),
        }
    }

    #[test]
    fn masks_token_and_secret_as_shell_variables() {
        let curl = to_curl(&request(r#"{"source":{"s3_details":{"s3_access_secret":"sh'h"}}}"#), false);
        assert!(curl.starts_with(
            r#"curl -D- -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' --data '{"#
        ));
        assert!(curl.contains(r#""s3_access_secret": "'"$S3_SECRET_KEY"'""#), "{curl}");
        assert!(!curl.contains("tok3n") && !curl.contains("sh'h") && !curl.contains("sh'\\''h"));
        assert!(curl.ends_with(r#"'https://h/v3alpha1/x?a=1&b='\''2'\'''"#), "{curl}");
    }

    #[test]
    fn reveal_shows_the_values_shell_quoted() {
        let curl = to_curl(&request(r#"{"s3_access_secret":"sh'h"}"#), true);
        assert!(curl.contains("Authorization: Bearer tok3n"));
        assert!(curl.contains(r#""s3_access_secret": "sh'\''h""#), "{curl}");
    }

    #[test]
    fn marker_text_in_user_data_is_not_mistaken_for_a_variable() {
        let curl = to_curl(&request(r##"{"owner":"#S3#","s3_access_secret":"x"}"##), false);
        assert!(curl.contains(r##""owner": "#S3#""##), "{curl}");
        assert!(curl.contains(r#""s3_access_secret": "'"$S3_SECRET_KEY"'""#), "{curl}");
    }

    #[test]
    fn a_non_json_body_is_quoted_as_is() {
        let curl = to_curl(&request("a'b"), false);
        assert!(curl.contains(r#"--data 'a'\''b'"#));
    }
}
