//! MUC-4 processed files as published by GRIT and GTT: one record per
//! message, `{"docid", "doctext", "extracts": {role: [filler, …]}}` (GRIT) or
//! `{"docid", "doctext", "templates": [{"incident_type", role: [filler, …]}, …]}`
//! (GTT). A filler is one entity: a list of coreferent mentions, each
//! `[text, offset]` or a bare string.
//!
//! Files are read the way `../shared/tools/ceaf_ree.py` reads them — one JSON
//! value (an array of records, or an object whose values are records) or JSON
//! lines — so that our scorer and the reference see the same documents.

use std::path::Path;

use serde_json::Value;

use crate::bio::Tag;
use crate::corpus::conll::TaggedSentence;
use crate::document::Span;
use crate::error::{Error, Result};
use crate::text::words::words;

/// The five MUC-4 role slots scored by the role-filler literature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    PerpInd,
    PerpOrg,
    Target,
    Victim,
    Weapon,
}

impl Role {
    /// In the order the reference scorer reports them.
    pub const ALL: [Role; 5] = [Role::PerpInd, Role::PerpOrg, Role::Target, Role::Victim, Role::Weapon];

    pub fn name(self) -> &'static str {
        match self {
            Role::PerpInd => "PerpInd",
            Role::PerpOrg => "PerpOrg",
            Role::Target => "Target",
            Role::Victim => "Victim",
            Role::Weapon => "Weapon",
        }
    }

    pub fn from_name(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.name() == name)
    }
}

/// Whether a model's labels (`B-PerpOrg` …) name a MUC-4 role.
pub fn is_role_model(labels: &[String]) -> bool {
    labels.iter().any(|l| Tag::parse(l).is_some_and(|t| t.label().and_then(Role::from_name).is_some()))
}

/// One mention of a filler; `offset` is in code points of `doctext` when the
/// file gives it (GRIT/GTT give the first occurrence of the string).
#[derive(Debug, Clone, PartialEq)]
pub struct FillerMention {
    pub text: String,
    pub offset: Option<usize>,
}

/// One role filler: the coreferent mentions of one entity.
pub type Filler = Vec<FillerMention>;

/// The fillers of every role, for one message or one template.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RoleFillers {
    by_role: [Vec<Filler>; 5],
}

impl RoleFillers {
    pub fn role(&self, role: Role) -> &[Filler] {
        &self.by_role[role as usize]
    }

    pub fn role_mut(&mut self, role: Role) -> &mut Vec<Filler> {
        &mut self.by_role[role as usize]
    }

    pub fn is_empty(&self) -> bool {
        self.by_role.iter().all(Vec::is_empty)
    }
}

/// One GTT template: an incident and its fillers.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    pub incident_type: Option<String>,
    pub fillers: RoleFillers,
}

/// One message. `extracts` and `templates` stay apart because the reference
/// scorer treats them differently: gold may come in either form, a
/// prediction is read from `extracts` only.
#[derive(Debug, Clone, PartialEq)]
pub struct Muc4Doc {
    pub docid: String,
    pub doctext: Option<String>,
    pub extracts: Option<RoleFillers>,
    pub templates: Vec<Template>,
}

impl Muc4Doc {
    /// The gold fillers: `extracts` when present, else the templates merged
    /// with identical fillers kept once (as the reference scorer merges them).
    pub fn gold(&self) -> RoleFillers {
        if let Some(e) = &self.extracts {
            return e.clone();
        }
        let mut merged = RoleFillers::default();
        for t in &self.templates {
            for role in Role::ALL {
                for f in t.fillers.role(role) {
                    if !merged.role(role).contains(f) {
                        merged.role_mut(role).push(f.clone());
                    }
                }
            }
        }
        merged
    }
}

/// Reads a MUC-4 processed file (JSON lines, or one JSON array/object).
pub fn read_muc4(path: &Path) -> Result<Vec<Muc4Doc>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::Input { path: path.display().to_string(), message: e.to_string() })?;
    parse_muc4(&text, &path.display().to_string())
}

/// Parses the text of a MUC-4 processed file; `name` is used in errors.
pub fn parse_muc4(text: &str, name: &str) -> Result<Vec<Muc4Doc>> {
    let data_err = |line: usize, message: String| Error::Data { path: name.to_string(), line, message };
    match serde_json::from_str::<Value>(text) {
        // A one-line JSON-lines file also parses as one value: a record, not a map of records.
        Ok(v @ Value::Object(_)) if v.get("docid").is_some_and(|d| !d.is_object()) => {
            Ok(vec![parse_doc(&v).map_err(|m| data_err(1, m))?])
        }
        Ok(Value::Object(map)) => map.values().map(|v| parse_doc(v).map_err(|m| data_err(1, m))).collect(),
        Ok(Value::Array(items)) => items.iter().map(|v| parse_doc(v).map_err(|m| data_err(1, m))).collect(),
        Ok(_) => Err(data_err(1, "expected JSON lines, a JSON array or a JSON object of records".into())),
        Err(_) => {
            let mut out = Vec::new();
            for (i, line) in text.lines().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                let v: Value = serde_json::from_str(line).map_err(|e| data_err(i + 1, format!("not valid JSON: {e}")))?;
                out.push(parse_doc(&v).map_err(|m| data_err(i + 1, m))?);
            }
            Ok(out)
        }
    }
}

fn parse_doc(v: &Value) -> std::result::Result<Muc4Doc, String> {
    let Value::Object(obj) = v else { return Err("a record is not a JSON object".into()) };
    let docid = match obj.get("docid") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(_) => return Err("\"docid\" is neither a string nor a number".into()),
        None => return Err("a record has no \"docid\"".into()),
    };
    let doctext = match obj.get("doctext") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(format!("{docid}: \"doctext\" is not a string")),
    };
    let extracts = match obj.get("extracts") {
        None => None,
        Some(e) => Some(parse_fillers(e).map_err(|m| format!("{docid}: extracts: {m}"))?),
    };
    let templates = match obj.get("templates") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(ts)) => ts
            .iter()
            .map(|t| {
                let incident_type = t.get("incident_type").and_then(Value::as_str).map(String::from);
                Ok(Template { incident_type, fillers: parse_fillers(t)? })
            })
            .collect::<std::result::Result<_, String>>()
            .map_err(|m| format!("{docid}: templates: {m}"))?,
        Some(_) => return Err(format!("{docid}: \"templates\" is not an array")),
    };
    Ok(Muc4Doc { docid, doctext, extracts, templates })
}

/// Reads the five role keys of an object; other keys (incident_type, …) are ignored.
fn parse_fillers(v: &Value) -> std::result::Result<RoleFillers, String> {
    let mut out = RoleFillers::default();
    match v {
        Value::Null => return Ok(out),
        Value::Object(_) => {}
        _ => return Err("expected an object of roles".into()),
    }
    for role in Role::ALL {
        let fillers = match v.get(role.name()) {
            None | Some(Value::Null) => continue,
            Some(Value::Array(a)) => a,
            Some(_) => return Err(format!("{} is not a list of fillers", role.name())),
        };
        for f in fillers {
            let filler = match f {
                Value::String(s) => vec![FillerMention { text: s.clone(), offset: None }],
                Value::Array(ms) => ms.iter().map(parse_mention).collect::<Option<Filler>>().ok_or_else(|| {
                    format!("{}: a mention is neither a string nor [string, offset]: {f}", role.name())
                })?,
                _ => return Err(format!("{}: a filler is neither a string nor a list of mentions: {f}", role.name())),
            };
            out.role_mut(role).push(filler);
        }
    }
    Ok(out)
}

fn parse_mention(m: &Value) -> Option<FillerMention> {
    match m {
        Value::String(s) => Some(FillerMention { text: s.clone(), offset: None }),
        Value::Array(parts) => {
            let text = parts.first()?.as_str()?.to_string();
            let offset = parts.get(1).and_then(|o| {
                o.as_u64().or_else(|| o.as_f64().filter(|f| f.fract() == 0.0 && *f >= 0.0).map(|f| f as u64))
            });
            Some(FillerMention { text, offset: offset.map(|o| o as usize) })
        }
        _ => None,
    }
}

/// The message as BIO-tagged word windows for training a role tagger: every
/// occurrence of a gold mention string in `doctext` that stands as whole
/// words is tagged with its role, not only the offset the file gives, since
/// the model should learn from every place the text names the filler.
/// Overlaps go to the longer mention (a PerpInd "members of the fmln" over
/// the PerpOrg "fmln" inside it), then to the earlier role in [`Role::ALL`].
/// Windows hold at most `max_words` words and are cut between mentions
/// where possible.
pub fn role_tagged_sentences(doc: &Muc4Doc, max_words: usize) -> Vec<TaggedSentence> {
    assert!(max_words > 0, "a window must hold at least one word");
    let Some(text) = doc.doctext.as_deref() else { return Vec::new() };
    let spans = words(text, Span::new(0, text.len()));
    let tags = role_tags(text, &spans, &doc.gold());
    crate::train::events::tagged_windows(text, &spans, &tags, max_words)
}

/// IOB2 role tags of the words `spans` of `text`.
fn role_tags(text: &str, spans: &[Span], fillers: &RoleFillers) -> Vec<Tag> {
    let is_word_char = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let mut found: Vec<(usize, usize, Role)> = Vec::new();
    for role in Role::ALL {
        for m in fillers.role(role).iter().flatten() {
            if m.text.trim().is_empty() {
                continue;
            }
            for (s, hit) in text.match_indices(m.text.as_str()) {
                let e = s + hit.len();
                if !is_word_char(text[..s].chars().next_back()) && !is_word_char(text[e..].chars().next()) {
                    found.push((s, e, role));
                }
            }
        }
    }
    found.sort_by(|a, b| (b.1 - b.0).cmp(&(a.1 - a.0)).then(a.0.cmp(&b.0)).then(a.2.cmp(&b.2)));
    found.dedup();
    let mut tags = vec![Tag::Outside; spans.len()];
    for (s, e, role) in found {
        let first = spans.partition_point(|w| w.end <= s);
        let last = spans.partition_point(|w| w.start < e);
        if first >= last || tags[first..last].iter().any(|t| *t != Tag::Outside) {
            continue;
        }
        tags[first] = Tag::Begin(role.name().to_string());
        for t in &mut tags[first + 1..last] {
            *t = Tag::Inside(role.name().to_string());
        }
    }
    tags
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(line: &str) -> Muc4Doc {
        parse_muc4(line, "t").unwrap().remove(0)
    }

    #[test]
    fn grit_and_gtt_records_give_the_same_gold() {
        let grit = doc(r#"{"docid": "TST1-MUC3-0002", "doctext": "x", "extracts": {"PerpOrg": [[["farabundo marti national liberation front", 98], ["fmln", 141]]], "Target": [["substation"]], "Victim": [], "Weapon": null}}"#);
        let gtt = doc(r#"{"docid": "TST1-MUC3-0002", "doctext": "x", "templates": [
            {"incident_type": "attack", "PerpOrg": [[["farabundo marti national liberation front", 98], ["fmln", 141]]], "Target": [[["substation"]]]},
            {"incident_type": "bombing", "PerpOrg": [[["farabundo marti national liberation front", 98], ["fmln", 141]]], "Target": []}]}"#.replace('\n', " ").as_str());
        assert_eq!(grit.gold(), gtt.gold(), "a filler repeated across templates counts once");
        let gold = grit.gold();
        assert_eq!(gold.role(Role::PerpOrg)[0][1], FillerMention { text: "fmln".into(), offset: Some(141) });
        assert_eq!(gold.role(Role::Target)[0][0].offset, None);
        assert_eq!(gtt.templates[1].incident_type.as_deref(), Some("bombing"));
        assert!(grit.templates.is_empty() && gtt.extracts.is_none());
    }

    #[test]
    fn whole_json_arrays_objects_and_single_lines_are_read() {
        let rec = r#"{"docid": 7, "extracts": {}}"#;
        assert_eq!(parse_muc4(rec, "t").unwrap()[0].docid, "7");
        assert_eq!(parse_muc4(&format!("[{rec}, {rec}]"), "t").unwrap().len(), 2);
        assert_eq!(parse_muc4(&format!(r#"{{"a": {rec}}}"#), "t").unwrap().len(), 1);
        assert_eq!(parse_muc4(&format!("{rec}\n\n{rec}\n"), "t").unwrap().len(), 2);
        assert!(matches!(parse_muc4(&format!("{rec}\n{{\"extracts\": {{}}}}\n"), "t"), Err(Error::Data { line: 2, .. })));
        assert!(parse_muc4(r#"{"docid": "a", "extracts": {"Target": [5]}}"#, "t").is_err());
    }

    #[test]
    fn every_whole_word_occurrence_is_tagged_and_longer_mentions_win() {
        let d = doc(r#"{"docid": "d", "doctext": "members of the fmln attacked farms. the fmln (fmln) fled; fmlnx stayed.", "extracts": {"PerpInd": [[["members of the fmln", 0]]], "PerpOrg": [[["fmln", 15]]], "Target": [[["farm", 29]]]}}"#);
        let s = role_tagged_sentences(&d, 100);
        assert_eq!(s.len(), 1);
        let pairs: Vec<String> = s[0].words.iter().zip(&s[0].tags).map(|(w, t)| format!("{w}/{t}")).collect();
        assert_eq!(
            pairs.join(" "),
            "members/B-PerpInd of/I-PerpInd the/I-PerpInd fmln/I-PerpInd attacked/O farms/O ./O the/O fmln/B-PerpOrg \
             (/O fmln/B-PerpOrg )/O fled/O ;/O fmlnx/O stayed/O ./O"
        );
    }

    #[test]
    fn windows_do_not_cut_mentions_unless_they_must() {
        let d = doc(r#"{"docid": "d", "doctext": "a b c d e f g", "extracts": {"Victim": [["c d e"]]}}"#);
        let tags = |n| role_tagged_sentences(&d, n).into_iter().map(|s| s.tags.join(" ")).collect::<Vec<_>>();
        assert_eq!(tags(4), vec!["O O", "B-Victim I-Victim I-Victim O", "O"]);
        assert_eq!(tags(2), vec!["O O", "B-Victim I-Victim", "B-Victim O", "O"]);
        let words: usize = role_tagged_sentences(&d, 3).iter().map(|s| s.words.len()).sum();
        assert_eq!(words, 7);
    }
}
