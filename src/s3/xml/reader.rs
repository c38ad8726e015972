//! A small XML reader for S3 response bodies: elements, text, the five predefined entities and
//! character references, CDATA, comments and processing instructions. No DTDs (a `<!DOCTYPE` is an
//! error, so no entity expansion), attributes are checked and skipped, namespace prefixes are kept
//! in `name` and ignored by [`Element::child`]. Nesting is bounded and the work is linear in the
//! input; nothing is sized from values inside the document.

use serde::Serialize;

/// Deeper nesting than any S3 response uses; bounds the stack of open elements.
pub const MAX_DEPTH: usize = 32;

/// An element: its qualified name, its child elements and its text (all character data directly
/// inside it, concatenated, entities decoded).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Element {
    pub name: String,
    pub children: Vec<Element>,
    pub text: String,
}

impl Element {
    /// The name without a namespace prefix (`s3:Key` → `Key`).
    pub fn local_name(&self) -> &str {
        self.name.rsplit_once(':').map_or(self.name.as_str(), |(_, local)| local)
    }

    /// The first child with this local name.
    pub fn child(&self, local_name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.local_name() == local_name)
    }

    /// Every child with this local name, in document order.
    pub fn children_named<'a>(&'a self, local_name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.local_name() == local_name)
    }

    /// The text of the first child with this local name.
    pub fn child_text(&self, local_name: &str) -> Option<&str> {
        self.child(local_name).map(|c| c.text.as_str())
    }
}

/// Why a document could not be read, and the byte offset where reading stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct XmlError {
    pub code: XmlErrorCode,
    pub offset: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum XmlErrorCode {
    /// The input ended inside a tag, comment, CDATA section or open element.
    UnexpectedEnd,
    /// A tag, name or attribute that is not well-formed.
    Syntax,
    /// `</b>` closing `<a>`.
    MismatchedTag,
    /// `&name;` other than the five predefined ones, or a reference to no valid character.
    BadEntity,
    /// More than [`MAX_DEPTH`] open elements.
    TooDeep,
    /// `<!DOCTYPE …>`: not used by S3 and not supported.
    Doctype,
    /// No root element, or content after it.
    NotOneRoot,
}

impl XmlErrorCode {
    pub fn message(self) -> &'static str {
        match self {
            XmlErrorCode::UnexpectedEnd => "the XML document ends early",
            XmlErrorCode::Syntax => "the XML document is not well-formed",
            XmlErrorCode::MismatchedTag => "an XML end tag does not match its start tag",
            XmlErrorCode::BadEntity => "the XML document has an unknown entity or invalid character reference",
            XmlErrorCode::TooDeep => "the XML document nests elements too deeply",
            XmlErrorCode::Doctype => "XML document type declarations are not supported",
            XmlErrorCode::NotOneRoot => "the XML document must have exactly one root element",
        }
    }
}

struct Reader<'a> {
    input: &'a str,
    rest: &'a str,
}

impl<'a> Reader<'a> {
    fn offset(&self) -> usize {
        self.input.len().saturating_sub(self.rest.len())
    }

    fn error(&self, code: XmlErrorCode) -> XmlError {
        XmlError { code, offset: self.offset() }
    }

    fn advance(&mut self, bytes: usize) {
        self.rest = self.rest.get(bytes..).unwrap_or("");
    }

    /// Skips past `terminator`; everything before it is returned.
    fn take_until(&mut self, terminator: &str) -> Result<&'a str, XmlError> {
        let at = self.rest.find(terminator).ok_or_else(|| self.error(XmlErrorCode::UnexpectedEnd))?;
        let taken = self.rest.get(..at).unwrap_or("");
        self.advance(at.saturating_add(terminator.len()));
        Ok(taken)
    }

    fn skip_whitespace(&mut self) {
        self.rest = self.rest.trim_start_matches(is_xml_space);
    }

    fn name(&mut self) -> Result<&'a str, XmlError> {
        let end = self.rest.find(|c: char| !is_name_char(c)).unwrap_or(self.rest.len());
        let name = self.rest.get(..end).unwrap_or("");
        match name.chars().next() {
            Some(first) if is_name_start_char(first) => {
                self.advance(end);
                Ok(name)
            }
            _ if self.rest.is_empty() => Err(self.error(XmlErrorCode::UnexpectedEnd)),
            _ => Err(self.error(XmlErrorCode::Syntax)),
        }
    }

    /// After `<name`: attributes, then `>` or `/>`. Returns whether the element is empty (`/>`).
    fn start_tag_rest(&mut self) -> Result<bool, XmlError> {
        loop {
            let had_space = self.rest.starts_with(is_xml_space);
            self.skip_whitespace();
            if let Some(after) = self.rest.strip_prefix("/>") {
                self.rest = after;
                return Ok(true);
            }
            if let Some(after) = self.rest.strip_prefix('>') {
                self.rest = after;
                return Ok(false);
            }
            if self.rest.is_empty() {
                return Err(self.error(XmlErrorCode::UnexpectedEnd));
            }
            if !had_space {
                return Err(self.error(XmlErrorCode::Syntax));
            }
            self.name()?;
            self.skip_whitespace();
            self.expect("=")?;
            self.skip_whitespace();
            let quote = match self.rest.chars().next() {
                Some(q @ ('"' | '\'')) => q,
                Some(_) => return Err(self.error(XmlErrorCode::Syntax)),
                None => return Err(self.error(XmlErrorCode::UnexpectedEnd)),
            };
            self.advance(1);
            let start = self.offset();
            let value = self.take_until(if quote == '"' { "\"" } else { "'" })?;
            if value.contains('<') {
                return Err(XmlError { code: XmlErrorCode::Syntax, offset: start });
            }
            // Checked for well-formedness only: S3 bodies carry nothing needed in attributes.
            decode_text(value, start)?;
        }
    }

    fn expect(&mut self, literal: &str) -> Result<(), XmlError> {
        match self.rest.strip_prefix(literal) {
            Some(after) => {
                self.rest = after;
                Ok(())
            }
            None if self.rest.is_empty() => Err(self.error(XmlErrorCode::UnexpectedEnd)),
            None => Err(self.error(XmlErrorCode::Syntax)),
        }
    }
}

fn is_xml_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// XML 1.0 name characters, simplified: ASCII letters, `_`, `:` and any non-ASCII character
/// (S3 names are ASCII; exact Unicode classes would pull Unicode tables into the wasm).
fn is_name_start_char(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_' || c == ':' || !c.is_ascii()
}

fn is_name_char(c: char) -> bool {
    is_name_start_char(c) || c.is_ascii_digit() || c == '-' || c == '.'
}

/// Appends `text` with entity and character references decoded; `offset` is where `text` starts.
fn decode_text_into(text: &str, offset: usize, out: &mut String) -> Result<(), XmlError> {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(rest.get(..amp).unwrap_or(""));
        let after = rest.get(amp.saturating_add(1)..).unwrap_or("");
        let at = offset.saturating_add(text.len().saturating_sub(rest.len())).saturating_add(amp);
        let bad = XmlError { code: XmlErrorCode::BadEntity, offset: at };
        // References are short: look for the `;` within 32 bytes, keeping the scan linear overall.
        let semi = after.bytes().take(33).position(|b| b == b';').ok_or(bad)?;
        let entity = after.get(..semi).unwrap_or("");
        let c = match entity {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let number = entity.strip_prefix('#').ok_or(bad)?;
                let (digits, radix) = match number.strip_prefix(['x', 'X']) {
                    Some(hex) => (hex, 16),
                    None => (number, 10),
                };
                if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
                    return Err(bad);
                }
                let code = u32::from_str_radix(digits, radix).map_err(|_| bad)?;
                char::from_u32(code).filter(|&c| c != '\0').ok_or(bad)?
            }
        };
        out.push(c);
        rest = after.get(semi.saturating_add(1)..).unwrap_or("");
    }
    out.push_str(rest);
    Ok(())
}

fn decode_text(text: &str, offset: usize) -> Result<String, XmlError> {
    let mut out = String::with_capacity(text.len());
    decode_text_into(text, offset, &mut out)?;
    Ok(out)
}

/// Reads a whole document into its root element.
pub fn parse_document(input: &str) -> Result<Element, XmlError> {
    let mut reader = Reader { input, rest: input.strip_prefix('\u{FEFF}').unwrap_or(input) };
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;

    while !reader.rest.is_empty() {
        let text_end = reader.rest.find('<').unwrap_or(reader.rest.len());
        if text_end > 0 {
            let start = reader.offset();
            let text = reader.rest.get(..text_end).unwrap_or("");
            match stack.last_mut() {
                Some(open) => decode_text_into(text, start, &mut open.text)?,
                None if text.chars().all(is_xml_space) => {}
                None => return Err(XmlError { code: XmlErrorCode::NotOneRoot, offset: start }),
            }
            reader.advance(text_end);
            continue;
        }
        let tag_start = reader.offset();
        if let Some(after) = reader.rest.strip_prefix("<?") {
            reader.rest = after;
            reader.take_until("?>")?;
        } else if let Some(after) = reader.rest.strip_prefix("<!--") {
            reader.rest = after;
            reader.take_until("-->")?;
        } else if let Some(after) = reader.rest.strip_prefix("<![CDATA[") {
            reader.rest = after;
            let data = reader.take_until("]]>")?;
            match stack.last_mut() {
                Some(open) => open.text.push_str(data),
                None => return Err(XmlError { code: XmlErrorCode::NotOneRoot, offset: tag_start }),
            }
        } else if reader.rest.starts_with("<!") {
            let code = if reader.rest.starts_with("<!DOCTYPE") { XmlErrorCode::Doctype } else { XmlErrorCode::Syntax };
            return Err(XmlError { code, offset: tag_start });
        } else if let Some(after) = reader.rest.strip_prefix("</") {
            reader.rest = after;
            let name = reader.name()?;
            reader.skip_whitespace();
            reader.expect(">")?;
            let closed = stack.pop().ok_or(XmlError { code: XmlErrorCode::NotOneRoot, offset: tag_start })?;
            if closed.name != name {
                return Err(XmlError { code: XmlErrorCode::MismatchedTag, offset: tag_start });
            }
            attach(&mut stack, &mut root, closed, tag_start)?;
        } else {
            reader.advance(1);
            let name = reader.name()?.to_owned();
            let empty = reader.start_tag_rest()?;
            if stack.is_empty() && root.is_some() {
                return Err(XmlError { code: XmlErrorCode::NotOneRoot, offset: tag_start });
            }
            let element = Element { name, ..Element::default() };
            if empty {
                attach(&mut stack, &mut root, element, tag_start)?;
            } else {
                if stack.len() >= MAX_DEPTH {
                    return Err(XmlError { code: XmlErrorCode::TooDeep, offset: tag_start });
                }
                stack.push(element);
            }
        }
    }
    if !stack.is_empty() {
        return Err(reader.error(XmlErrorCode::UnexpectedEnd));
    }
    root.ok_or(reader.error(XmlErrorCode::NotOneRoot))
}

/// Hands a finished element to its parent, or makes it the root.
fn attach(stack: &mut [Element], root: &mut Option<Element>, element: Element, offset: usize) -> Result<(), XmlError> {
    match stack.last_mut() {
        Some(parent) => parent.children.push(element),
        None if root.is_none() => *root = Some(element),
        None => return Err(XmlError { code: XmlErrorCode::NotOneRoot, offset }),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(xml: &str) -> Option<XmlErrorCode> {
        parse_document(xml).err().map(|e| e.code)
    }

    #[test]
    fn reads_elements_text_and_entities() {
        let doc = parse_document(
            "\u{FEFF}<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- c --><r xmlns=\"http://s3/\" a='1'>\
             <s3:k>a &amp; b &lt;&gt;&quot;&apos; &#65;&#x42;&#X43;</s3:k><e/><e x=\"&amp;\" />\
             <c><![CDATA[<raw&>]]></c></r>\n",
        )
        .unwrap();
        assert_eq!(doc.name, "r");
        assert_eq!(doc.child_text("k"), Some("a & b <>\"' ABC"));
        assert_eq!(doc.children_named("e").count(), 2);
        assert_eq!(doc.child_text("c"), Some("<raw&>"));
    }

    #[test]
    fn rejects_malformed_documents() {
        assert_eq!(code(""), Some(XmlErrorCode::NotOneRoot));
        assert_eq!(code("  "), Some(XmlErrorCode::NotOneRoot));
        assert_eq!(code("text"), Some(XmlErrorCode::NotOneRoot));
        assert_eq!(code("<a>"), Some(XmlErrorCode::UnexpectedEnd));
        assert_eq!(code("<a></b>"), Some(XmlErrorCode::MismatchedTag));
        assert_eq!(code("<a/><b/>"), Some(XmlErrorCode::NotOneRoot));
        assert_eq!(code("<a/>x"), Some(XmlErrorCode::NotOneRoot));
        assert_eq!(code("</a>"), Some(XmlErrorCode::NotOneRoot));
        assert_eq!(code("<a>&foo;</a>"), Some(XmlErrorCode::BadEntity));
        assert_eq!(code("<a>&#0;</a>"), Some(XmlErrorCode::BadEntity));
        assert_eq!(code("<a>&#xD800;</a>"), Some(XmlErrorCode::BadEntity));
        assert_eq!(code("<a>&#99999999999;</a>"), Some(XmlErrorCode::BadEntity));
        assert_eq!(code("<a>&#+5;</a>"), Some(XmlErrorCode::BadEntity));
        assert_eq!(code("<a>& b</a>"), Some(XmlErrorCode::BadEntity));
        assert_eq!(code("<!DOCTYPE a [<!ENTITY x \"y\">]><a/>"), Some(XmlErrorCode::Doctype));
        assert_eq!(code("<a b></a>"), Some(XmlErrorCode::Syntax));
        assert_eq!(code("<a b=c></a>"), Some(XmlErrorCode::Syntax));
        assert_eq!(code("<a b='1'c='2'></a>"), Some(XmlErrorCode::Syntax));
        assert_eq!(code("<1a/>"), Some(XmlErrorCode::Syntax));
        assert_eq!(code("<a><!-- x </a>"), Some(XmlErrorCode::UnexpectedEnd));
        let deep = "<a>".repeat(MAX_DEPTH + 1);
        assert_eq!(code(&deep), Some(XmlErrorCode::TooDeep));
        let ok = format!("{}{}", "<a>".repeat(MAX_DEPTH), "</a>".repeat(MAX_DEPTH));
        assert_eq!(code(&ok), None);
    }
}
