//! A small XML reader for the gold corpora the scorers read (GeoVirus,
//! TR-News, LGL, GeoWebNews), so that no XML crate is needed for them.
//!
//! It builds the tree Python's ElementTree builds, as far as the reference
//! scorers look at it: elements with their attributes and their `text` (the
//! character data before the first child, CDATA included, with the five
//! predefined entities and numeric character references replaced; comments
//! and processing instructions in between are dropped, as ElementTree drops
//! them). Line ends are normalised to `\n` and white space in attribute
//! values to spaces, as XML requires, so text offsets agree with Python's.
//! A DOCTYPE is skipped; entities it might declare are not expanded (an
//! undefined entity is an error, as in expat). Input must be UTF-8.

use thiserror::Error;

/// One element: name, attributes, leading text and child elements.
#[derive(Debug, Default, PartialEq)]
pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    /// Character data before the first child element (ElementTree's `text`).
    pub text: String,
    pub children: Vec<Element>,
    /// Line of the start tag, for error messages.
    pub line: usize,
}

impl Element {
    /// The value of attribute `name` (ElementTree's `get`).
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The first child called `name` (ElementTree's `find`).
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// The text of the first child called `name` (ElementTree's `findtext`:
    /// "" for an empty child, None without one).
    pub fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.as_str())
    }

    /// This element and all below it that are called `name`, in document
    /// order (ElementTree's `iter`).
    pub fn iter<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        let mut stack = vec![self];
        std::iter::from_fn(move || {
            while let Some(e) = stack.pop() {
                stack.extend(e.children.iter().rev());
                if e.name == name {
                    return Some(e);
                }
            }
            None
        })
    }
}

/// Why a document is not well-formed, and where.
#[derive(Debug, Error, PartialEq)]
#[error("line {line}, column {column}: {message}")]
pub struct XmlError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Deeper nesting than any corpus has is refused rather than risking the
/// stack on a hostile file.
const MAX_DEPTH: usize = 256;

/// Parses a whole document and returns its root element.
pub fn parse(input: &str) -> Result<Element, XmlError> {
    let text = input.strip_prefix('\u{feff}').unwrap_or(input).replace("\r\n", "\n").replace('\r', "\n");
    let mut p = Parser { s: &text, pos: 0, counted: 0, line: 1 };
    p.misc(true)?;
    if !p.starts("<") {
        return Err(p.err(if p.rest().is_empty() { "no element found" } else { "text before the root element" }));
    }
    let root = p.element(0)?;
    p.misc(false)?;
    if !p.rest().is_empty() {
        return Err(p.err("junk after the root element"));
    }
    Ok(root)
}

struct Parser<'a> {
    s: &'a str,
    pos: usize,
    /// `line` is the line of byte `counted`; both only move forward.
    counted: usize,
    line: usize,
}

impl<'a> Parser<'a> {
    fn rest(&self) -> &'a str {
        &self.s[self.pos..]
    }

    fn starts(&self, prefix: &str) -> bool {
        self.rest().starts_with(prefix)
    }

    fn line(&mut self) -> usize {
        self.line += self.s[self.counted..self.pos].matches('\n').count();
        self.counted = self.pos;
        self.line
    }

    fn err(&mut self, message: impl Into<String>) -> XmlError {
        let line = self.line();
        let line_start = self.s[..self.pos].rfind('\n').map_or(0, |i| i + 1);
        XmlError { line, column: self.s[line_start..self.pos].chars().count() + 1, message: message.into() }
    }

    fn skip_space(&mut self) {
        let rest = self.rest();
        self.pos += rest.len() - rest.trim_start_matches([' ', '\t', '\n']).len();
    }

    /// Moves past the next `end` and returns what came before it.
    fn until(&mut self, end: &str, what: &str) -> Result<&'a str, XmlError> {
        match self.rest().find(end) {
            Some(i) => {
                let body = &self.rest()[..i];
                self.pos += i + end.len();
                Ok(body)
            }
            None => Err(self.err(format!("unclosed {what}"))),
        }
    }

    /// Skips white space, comments and processing instructions (and, before
    /// the root element, a DOCTYPE).
    fn misc(&mut self, prolog: bool) -> Result<(), XmlError> {
        loop {
            self.skip_space();
            if self.starts("<!--") {
                self.until("-->", "comment")?;
            } else if self.starts("<?") {
                self.until("?>", "processing instruction")?;
            } else if prolog && self.starts("<!DOCTYPE") {
                self.doctype()?;
            } else {
                return Ok(());
            }
        }
    }

    /// Skips `<!DOCTYPE …>`, internal subset and quoted strings included.
    fn doctype(&mut self) -> Result<(), XmlError> {
        let (mut depth, mut quote) = (0, None);
        for (i, c) in self.rest().char_indices() {
            match (quote, c) {
                (Some(q), _) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '[') => depth += 1,
                (None, ']') => depth -= 1,
                (None, '>') if depth == 0 => {
                    self.pos += i + 1;
                    return Ok(());
                }
                _ => {}
            }
        }
        Err(self.err("unclosed DOCTYPE"))
    }

    /// A name, up to white space or markup.
    fn name(&mut self) -> Result<&'a str, XmlError> {
        let rest = self.rest();
        let n = rest.find(|c: char| c.is_whitespace() || "/>=<\"'".contains(c)).unwrap_or(rest.len());
        if n == 0 {
            return Err(self.err("not well-formed: a name was expected"));
        }
        self.pos += n;
        Ok(&rest[..n])
    }

    /// The element whose start tag begins here, with all its content.
    fn element(&mut self, depth: usize) -> Result<Element, XmlError> {
        if depth >= MAX_DEPTH {
            return Err(self.err(format!("elements nested deeper than {MAX_DEPTH}")));
        }
        let line = self.line();
        self.pos += 1; // '<'
        let mut el = Element { name: self.name()?.to_string(), line, ..Default::default() };
        loop {
            self.skip_space();
            if self.starts("/>") {
                self.pos += 2;
                return Ok(el);
            }
            if self.starts(">") {
                self.pos += 1;
                break;
            }
            let attr = self.attribute()?;
            if el.attr(&attr.0).is_some() {
                return Err(self.err(format!("duplicate attribute {}", attr.0)));
            }
            el.attrs.push(attr);
        }
        loop {
            let rest = self.rest();
            if rest.starts_with("</") {
                self.pos += 2;
                let name = self.name()?;
                self.skip_space();
                if name != el.name || !self.starts(">") {
                    return Err(self.err(format!("mismatched tag: </{name}> closes <{}> of line {}", el.name, el.line)));
                }
                self.pos += 1;
                return Ok(el);
            } else if rest.starts_with("<!--") {
                self.until("-->", "comment")?;
            } else if rest.starts_with("<![CDATA[") {
                self.pos += "<![CDATA[".len();
                let data = self.until("]]>", "CDATA section")?;
                if el.children.is_empty() {
                    el.text.push_str(data);
                }
            } else if rest.starts_with("<?") {
                self.until("?>", "processing instruction")?;
            } else if rest.starts_with('<') {
                let child = self.element(depth + 1)?;
                el.children.push(child);
            } else if rest.starts_with('&') {
                let c = self.reference()?;
                if el.children.is_empty() {
                    el.text.push(c);
                }
            } else if rest.is_empty() {
                return Err(self.err(format!("unclosed element <{}> of line {}", el.name, el.line)));
            } else {
                let n = rest.find(['<', '&']).unwrap_or(rest.len());
                if el.children.is_empty() {
                    el.text.push_str(&rest[..n]);
                }
                self.pos += n;
            }
        }
    }

    /// `name="value"` (or single quotes), references replaced and white
    /// space normalised.
    fn attribute(&mut self) -> Result<(String, String), XmlError> {
        let name = self.name()?.to_string();
        self.skip_space();
        if !self.starts("=") {
            return Err(self.err(format!("not well-formed: attribute {name} has no value")));
        }
        self.pos += 1;
        self.skip_space();
        let Some(quote) = self.rest().chars().next().filter(|c| *c == '"' || *c == '\'') else {
            return Err(self.err(format!("not well-formed: the value of attribute {name} is not quoted")));
        };
        self.pos += 1;
        let mut value = String::new();
        loop {
            match self.rest().chars().next() {
                None => return Err(self.err(format!("unclosed value of attribute {name}"))),
                Some('<') => return Err(self.err(format!("not well-formed: '<' in the value of attribute {name}"))),
                Some(c) if c == quote => {
                    self.pos += 1;
                    return Ok((name, value));
                }
                Some('&') => value.push(self.reference()?),
                Some(c) => {
                    value.push(if c == '\t' || c == '\n' { ' ' } else { c });
                    self.pos += c.len_utf8();
                }
            }
        }
    }

    /// `&amp;` and the other predefined entities, `&#123;`, `&#x1F600;`.
    fn reference(&mut self) -> Result<char, XmlError> {
        let rest = self.rest();
        let Some(end) = rest[1..].find(';').map(|i| i + 1).filter(|&i| i <= 32) else {
            return Err(self.err("not well-formed: '&' starts no reference"));
        };
        let name = &rest[1..end];
        let c = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => match name.strip_prefix('#') {
                Some(num) => {
                    let code = match num.strip_prefix('x') {
                        Some(hex) => u32::from_str_radix(hex, 16),
                        None => num.parse(),
                    };
                    let c = code.ok().and_then(char::from_u32).filter(|&c| is_xml_char(c));
                    if c.is_none() {
                        return Err(self.err(format!("reference to invalid character number &{name};")));
                    }
                    c
                }
                None => None,
            },
        };
        let Some(c) = c else {
            return Err(self.err(format!("undefined entity &{name};")));
        };
        self.pos += end + 1;
        Ok(c)
    }
}

/// XML 1.0's `Char` production.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_elements_attributes_text_and_references() {
        let doc = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!-- corpus -->\n<!DOCTYPE articles [<!ELEMENT a (#PCDATA)>]>\n\
                   <articles>\n <article docid='7' note=\"a&amp;b\tc\">\n  <text><![CDATA[R&D <b>]]> &lt;&#233;&#x1F600;&quot;<!-- x -->&apos;&gt;</text>\
                   <loc><start> 3 </start><empty/></loc>\n </article>\n</articles>\n<!-- trailing <article> -->\n";
        let root = parse(doc).unwrap();
        assert_eq!(root.name, "articles");
        let art = root.child("article").unwrap();
        assert_eq!((art.attr("docid"), art.attr("note"), art.attr("file")), (Some("7"), Some("a&b c"), None));
        assert_eq!(art.child_text("text"), Some("R&D <b> <é😀\"'>"));
        let loc = art.child("loc").unwrap();
        assert_eq!((loc.child_text("start"), loc.child_text("empty"), loc.child_text("end")), (Some(" 3 "), Some(""), None));
        assert_eq!(art.line, 5);
    }

    #[test]
    fn text_is_what_comes_before_the_first_child_with_line_ends_normalised() {
        let root = parse("<a>one\r\ntwo\rthree&#13;<b>in b</b>tail</a>").unwrap();
        assert_eq!(root.text, "one\ntwo\nthree\r");
        assert_eq!(root.children[0].text, "in b");
    }

    #[test]
    fn iter_walks_in_document_order_including_the_element_itself() {
        let root = parse("<x n='0'><x n='1'><x n='2'/></x><y><x n='3'/></y></x>").unwrap();
        let ns: Vec<_> = root.iter("x").map(|e| e.attr("n").unwrap()).collect();
        assert_eq!(ns, ["0", "1", "2", "3"]);
        assert_eq!(root.iter("z").count(), 0);
    }

    #[test]
    fn malformed_documents_are_refused_with_their_place() {
        for (doc, line, what) in [
            ("", 1, "no element found"),
            ("<a>\n<b></a>", 2, "mismatched tag"),
            ("<a>\n\n  &nbsp;</a>", 3, "undefined entity &nbsp;"),
            ("<a>&#0;</a>", 1, "invalid character number"),
            ("<a>& b</a>", 1, "starts no reference"),
            ("<a x='1' x='2'/>", 1, "duplicate attribute"),
            ("<a x=1/>", 1, "not quoted"),
            ("<a x='<'/>", 1, "'<' in the value"),
            ("<a><b>", 1, "unclosed element <b>"),
            ("<a/>\ntext", 2, "junk after the root element"),
            ("<a><![CDATA[x</a>", 1, "unclosed CDATA"),
            ("<a><!-- x</a>", 1, "unclosed comment"),
        ] {
            let e = parse(doc).unwrap_err();
            assert!(e.message.contains(what) && e.line == line, "{doc:?}: {e}");
        }
        let deep = "<a>".repeat(MAX_DEPTH + 1);
        assert!(parse(&deep).unwrap_err().message.contains("nested deeper"));
    }

    #[test]
    fn columns_count_characters() {
        let e = parse("<a>\n  é<b></c></a>").unwrap_err();
        assert_eq!((e.line, e.column), (2, 10));
    }
}
