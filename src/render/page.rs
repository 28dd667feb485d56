//! Assembles the single self-contained HTML file: the stylesheet and script
//! are compiled in, the data travels as one JSON blob the script parses once.

const CSS: &str = include_str!("review.css");
const JS: &str = include_str!("review.js");
/// Country outlines for the map (Natural Earth, simplified; see corpus/map/NOTICE.md).
const WORLD: &str = include_str!("../../corpus/map/countries.json");

/// Counts script errors into `data-errors` on `<body>` before anything else
/// runs, so a headless browser's DOM dump shows whether the page broke.
const ERROR_PROBE: &str = "window.__errors=0;function __fail(){window.__errors++;if(document.body)document.body.setAttribute('data-errors',String(window.__errors));}\
window.addEventListener('error',__fail);window.addEventListener('unhandledrejection',__fail);\
(function(){var e=console.error;console.error=function(){__fail();e.apply(console,arguments);};})();";

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Serialised JSON made safe inside `<script type="application/json">`: a
/// `<` in the data could close the element (`</script>`) or open a comment
/// (`<!--`), so every `<`, `>` and `&` is written as a `\u` escape, which
/// `JSON.parse` reads back unchanged. Outside strings JSON has none of these
/// characters.
pub fn script_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + json.len() / 50);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            _ => out.push(c),
        }
    }
    out
}

/// The whole page around `data`, the serialised `{"labels", "docs"}`.
pub fn page(title: &str, data: &str) -> String {
    let title = escape_html(title);
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n\
<title>{title}</title>\n<script>{ERROR_PROBE}</script>\n<style>\n{CSS}</style>\n</head>\n\
<body data-errors=\"0\" data-ready=\"0\">\n\
<header class=\"top\">\n<div class=\"brand\"><h1>{title}</h1><span id=\"stats\"></span></div>\n\
<div class=\"controls\">\n\
<input type=\"search\" id=\"q\" placeholder=\"Search text, titles, ids, slots…\" aria-label=\"Search\">\n\
<select id=\"type\" aria-label=\"Incident type\"></select>\n\
<select id=\"country\" aria-label=\"Country\"></select>\n\
</div>\n<div id=\"legend\" class=\"legend\"></div>\n</header>\n\
<section class=\"map\" aria-label=\"Incident map\">\n<svg id=\"map-svg\" role=\"img\" aria-label=\"World map with a marker per incident place\"></svg>\n\
<div class=\"map-side\"><p id=\"map-status\"></p><button type=\"button\" id=\"map-reset\" hidden>Show all countries</button>\n\
<p class=\"map-hint\">Click a shaded country to list its incidents (again to clear), a marker to open its incident.</p></div>\n</section>\n\
<nav class=\"pager\" id=\"pager-top\"></nav>\n<main id=\"docs\"></main>\n<nav class=\"pager\" id=\"pager-bottom\"></nav>\n\
<noscript><p class=\"note error\">This page needs JavaScript to show the articles.</p></noscript>\n\
<script type=\"application/json\" id=\"newsner-data\">{}</script>\n\
<script type=\"application/json\" id=\"newsner-map\">{}</script>\n<script>\n{JS}</script>\n</body>\n</html>\n",
        script_json(data),
        script_json(WORLD.trim_end())
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    #[test]
    fn data_cannot_close_the_script_element() {
        let v = json!({"t": "a </script><script>alert(1)</script> <!-- & \u{2028}"});
        let s = script_json(&v.to_string());
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'));
        let back: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v, "JSON.parse (like serde) reads the escapes back unchanged");
        let html = page("x", &v.to_string());
        assert_eq!(html.matches("</script>").count(), 4, "only the page's own scripts close");
    }

    #[test]
    fn title_is_escaped() {
        assert_eq!(escape_html(r#"<b>"Tom" & 'Jerry'</b>"#), "&lt;b&gt;&quot;Tom&quot; &amp; &#39;Jerry&#39;&lt;/b&gt;");
        assert!(page("<i>x</i>", "{}").contains("<title>&lt;i&gt;x&lt;/i&gt;</title>"));
    }
}
