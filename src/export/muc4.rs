//! Annotated lines → MUC-4 role-filler predictions, one line per document:
//! `{"docid", "extracts": {role: [[mention, …], …]}}`, scored by
//! `newsner eval muc4` and `../shared/tools/ceaf_ree.py`.
//!
//! The role model labels entity mentions with the role names; CEAF-REE
//! scores entities, not mentions, so mentions of one entity must become one
//! predicted filler — otherwise every repeated mention is a false positive.
//! By default the role decoder ([`super::fillers`]) groups each role's
//! mentions into referents and predicts each once; `raw` instead groups
//! mentions by their cluster (the entity's `cluster` field or the line's
//! `clusters[].mentions`) and, failing that, by normalised string, keeping
//! every mention — a faithful dump of what the line says.

use std::collections::HashMap;
use std::io::{BufRead, Write};

use serde_json::{json, Map, Value};

use super::fillers::{decode, DecodeOptions, RoleMention};
use crate::corpus::muc4::{Filler, FillerMention, Role, RoleFillers};
use crate::corpus::writer::write_line;
use crate::error::{Error, Result};
use crate::eval::muc4::normalise;

/// Converts every annotated line of `input` into a prediction line on `out`
/// (blank lines skipped); returns the number of lines written. `name` names
/// the input in errors. With `templates`, each line also carries GTT-style
/// `templates`. `decoding` None exports the line's mentions raw.
pub fn export_lines(input: impl BufRead, name: &str, out: &mut dyn Write, templates: bool, decoding: Option<DecodeOptions>) -> Result<usize> {
    let mut written = 0;
    for (i, line) in input.lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let data_err = |message: String| Error::Data { path: name.to_string(), line: i + 1, message };
        let value: Value = serde_json::from_str(&line).map_err(|e| data_err(format!("not valid JSON: {e}")))?;
        write_line(out, &prediction(&value, templates, decoding).map_err(data_err)?)?;
        written += 1;
    }
    Ok(written)
}

/// The prediction line for one annotated line. A failed record (no
/// entities) still gives a line, predicting nothing.
///
/// With `templates` the line also holds one GTT-style template with every
/// filler (none when there is no filler): the role model does not say which
/// incident a filler belongs to. `extracts` stays alongside, since scorers
/// of the GRIT metric read predictions from it.
pub fn prediction(line: &Value, templates: bool, decoding: Option<DecodeOptions>) -> std::result::Result<Value, String> {
    let Value::Object(obj) = line else { return Err("the line is not a JSON object".into()) };
    let docid = match obj.get("id") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => return Err("the line has no \"id\" string".into()),
    };
    let fillers = match (obj.get("roles"), decoding) {
        // `extract --roles` decoded them already
        (Some(roles), _) => line_roles(roles)?,
        (None, Some(opts)) => decode(&role_mentions(obj)?, opts),
        (None, None) => predicted_fillers(obj)?,
    };
    let mut out = json!({"docid": docid, "extracts": fillers_json(&fillers, Map::new())});
    if templates {
        let list = if fillers.is_empty() {
            Vec::new()
        } else {
            let head = Map::from_iter([("incident_type".to_string(), json!(incident_type(obj)))]);
            vec![fillers_json(&fillers, head)]
        };
        out["templates"] = Value::Array(list);
    }
    Ok(out)
}

/// `head` followed by the five roles, each a list of mention-string lists.
fn fillers_json(fillers: &RoleFillers, mut head: Map<String, Value>) -> Value {
    for role in Role::ALL {
        let list = fillers.role(role).iter().map(|f| f.iter().map(|m| json!(m.text)).collect()).collect();
        head.insert(role.name().to_string(), Value::Array(list));
    }
    Value::Object(head)
}

/// MUC-4's incident type of the line's first incident (the linker's
/// vocabulary mapped onto MUC-4's six types). Without an incident: `attack`,
/// the type of most MUC-4 templates.
fn incident_type(obj: &Map<String, Value>) -> &'static str {
    let first = obj.get("incidents").and_then(|i| i.get(0)).and_then(|i| i.get("type")).and_then(Value::as_str);
    match first.unwrap_or("") {
        "bombing" => "bombing",
        "kidnapping" | "hostage_taking" => "kidnapping",
        "arson" => "arson",
        "robbery" => "robbery",
        "forced work stoppage" | "forced_work_stoppage" => "forced work stoppage",
        _ => "attack",
    }
}

/// The fillers of a line's `roles` field (see `extract --roles`), one mention each.
fn line_roles(roles: &Value) -> std::result::Result<RoleFillers, String> {
    let Value::Array(list) = roles else { return Err("\"roles\" is not an array".into()) };
    let mut out = RoleFillers::default();
    for f in list {
        let (Some(text), Some(role)) = (f.get("text").and_then(Value::as_str), f.get("role").and_then(Value::as_str).and_then(Role::from_name)) else {
            return Err(format!("a role filler lacks a \"text\" or a MUC-4 \"role\": {f}"));
        };
        let offset = f.get("start").and_then(Value::as_u64).map(|s| s as usize);
        out.role_mut(role).push(vec![FillerMention { text: text.to_string(), offset }]);
    }
    Ok(out)
}

/// The line's role-labelled entities in line order (a missing score counts as certain).
fn role_mentions(obj: &Map<String, Value>) -> std::result::Result<Vec<RoleMention>, String> {
    let entities = match obj.get("entities") {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(a)) => a,
        Some(_) => return Err("\"entities\" is not an array".into()),
    };
    let mut out = Vec::new();
    for e in entities {
        let (Some(text), Some(label)) = (e.get("text").and_then(Value::as_str), e.get("label").and_then(Value::as_str)) else {
            return Err(format!("an entity lacks a \"text\" or \"label\" string: {e}"));
        };
        let Some(role) = Role::from_name(label) else { continue };
        let score = e.get("score").and_then(Value::as_f64).unwrap_or(1.0) as f32;
        let offset = e.get("start").and_then(Value::as_u64).map(|s| s as usize);
        let end = e.get("end").and_then(Value::as_u64).map(|s| s as usize);
        out.push(RoleMention { text: text.to_string(), role, score, offset, end });
    }
    Ok(out)
}

/// Role-labelled entities grouped into fillers, in order of first mention;
/// within a filler, mentions that normalise alike are kept once.
fn predicted_fillers(obj: &Map<String, Value>) -> std::result::Result<RoleFillers, String> {
    let key = |v: &Value| v.as_str().map_or_else(|| v.to_string(), String::from);
    let mut cluster_of: HashMap<String, String> = HashMap::new();
    for c in obj.get("clusters").and_then(Value::as_array).into_iter().flatten() {
        let (Some(id), Some(mentions)) = (c.get("id"), c.get("mentions").and_then(Value::as_array)) else { continue };
        for m in mentions {
            cluster_of.insert(key(m), key(id));
        }
    }
    let entities = match obj.get("entities") {
        None | Some(Value::Null) => return Ok(RoleFillers::default()),
        Some(Value::Array(a)) => a,
        Some(_) => return Err("\"entities\" is not an array".into()),
    };
    let mut fillers = RoleFillers::default();
    let mut seen: [(HashMap<String, usize>, HashMap<String, usize>); 5] = Default::default();
    for e in entities {
        let (Some(text), Some(label)) = (e.get("text").and_then(Value::as_str), e.get("label").and_then(Value::as_str)) else {
            return Err(format!("an entity lacks a \"text\" or \"label\" string: {e}"));
        };
        let Some(role) = Role::from_name(label) else { continue };
        let norm = normalise(text);
        if norm.is_empty() {
            continue;
        }
        let cluster = e.get("cluster").filter(|c| !c.is_null()).map(key).or_else(|| e.get("id").and_then(|id| cluster_of.get(&key(id)).cloned()));
        let (by_cluster, by_norm) = &mut seen[role as usize];
        let list = fillers.role_mut(role);
        let found = match &cluster {
            Some(c) => by_cluster.get(c).copied(),
            None => by_norm.get(&norm).copied(),
        };
        let g = found.unwrap_or_else(|| {
            list.push(Filler::new());
            list.len() - 1
        });
        if let Some(c) = cluster {
            by_cluster.insert(c, g);
        }
        by_norm.entry(norm.clone()).or_insert(g);
        if !list[g].iter().any(|m| normalise(&m.text) == norm) {
            let offset = e.get("start").and_then(Value::as_u64).map(|s| s as usize);
            list[g].push(FillerMention { text: text.to_string(), offset });
        }
    }
    Ok(fillers)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::corpus::muc4::{parse_muc4, read_muc4, Muc4Doc};
    use crate::eval::muc4::score_docs;

    /// The gold of `doc` as an annotated line: one entity per gold mention,
    /// labelled with its role, each filler a cluster.
    fn annotated(doc: &Muc4Doc, cluster_field: bool) -> Value {
        let (mut entities, mut clusters) = (Vec::new(), Vec::new());
        let gold = doc.gold();
        for role in Role::ALL {
            for filler in gold.role(role) {
                let cid = format!("c{}", clusters.len() + 1);
                let mut ids = Vec::new();
                for m in filler {
                    let id = format!("m{}", entities.len() + 1);
                    let start = m.offset.unwrap_or(0);
                    let mut e = json!({"id": id, "text": m.text, "label": role.name(), "start": start,
                                       "end": start + m.text.chars().count(), "score": 1.0});
                    if cluster_field {
                        e["cluster"] = json!(cid);
                    }
                    entities.push(e);
                    ids.push(id);
                }
                clusters.push(json!({"id": cid, "name": filler[0].text, "label": role.name(), "mentions": ids}));
            }
        }
        let mut line = json!({"id": doc.docid, "entities": entities});
        if !cluster_field {
            line["clusters"] = Value::Array(clusters);
        }
        line
    }

    fn round_trip(gold_path: &Path) {
        let gold = read_muc4(gold_path).unwrap();
        for cluster_field in [true, false] {
            let input: String = gold.iter().map(|d| annotated(d, cluster_field).to_string() + "\n").collect();
            let mut out = Vec::new();
            let n = export_lines(input.as_bytes(), "annotated", &mut out, cluster_field, None).unwrap();
            assert_eq!(n, gold.len());
            let pred = parse_muc4(std::str::from_utf8(&out).unwrap(), "pred").unwrap();
            let r = score_docs(&gold, &pred);
            assert_eq!((r.micro.p, r.micro.r, r.micro.f1), (100.0, 100.0, 100.0), "{gold_path:?}: {}", r.to_text());
            assert_eq!(r.micro.gold, r.micro.predicted);
        }
    }

    #[test]
    fn gold_round_trips_to_full_marks() {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/muc4");
        round_trip(&fixtures.join("gold.jsonl"));
        round_trip(&fixtures.join("gold_templates.jsonl"));
        let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/muc4");
        if !shared.is_dir() {
            println!("skipped the dev round trip: {} is absent", shared.display());
            return;
        }
        round_trip(&shared.join("grit/dev.json"));
        round_trip(&shared.join("gtt/dev.json"));
    }

    fn ent(id: &str, text: &str, label: &str) -> Value {
        json!({"id": id, "text": text, "label": label, "start": 0, "end": text.len(), "score": 0.9})
    }

    #[test]
    fn mentions_group_by_cluster_then_by_string() {
        let mut line = json!({"id": "d", "entities": [
            ent("m1", "Farabundo Marti National Liberation Front", "PerpOrg"), ent("m2", "FMLN", "PerpOrg"),
            ent("m3", "the FMLN.", "PerpOrg"), ent("m4", "fmln", "Victim"), ent("m5", "San Salvador", "LOC"),
            ent("m6", "bomb", "Weapon"), ent("m7", "Bomb", "Weapon"), ent("m8", "...", "Weapon")],
            "clusters": [{"id": "c1", "mentions": ["m1", "m2"]}]});
        let p = prediction(&line, false, None).unwrap();
        assert_eq!(p["docid"], "d");
        assert_eq!(p["extracts"]["PerpOrg"], json!([["Farabundo Marti National Liberation Front", "FMLN"]]));
        assert_eq!(p["extracts"]["Victim"], json!([["fmln"]]), "roles are grouped apart");
        assert_eq!(p["extracts"]["Weapon"], json!([["bomb"]]));
        assert_eq!(p["extracts"]["Target"], json!([]));
        assert!(p.get("templates").is_none());
        line["entities"][1]["cluster"] = json!("c9");
        let p = prediction(&line, false, None).unwrap();
        assert_eq!(p["extracts"]["PerpOrg"], json!([["Farabundo Marti National Liberation Front"], ["FMLN"]]), "an entity's own cluster wins");
    }

    #[test]
    fn templates_carry_a_muc4_incident_type() {
        let line = json!({"id": 3, "entities": [ent("m1", "rebels", "PerpInd")], "incidents": [{"type": "hostage_taking"}]});
        let p = prediction(&line, true, None).unwrap();
        assert_eq!(p["templates"], json!([{"incident_type": "kidnapping", "PerpInd": [["rebels"]], "PerpOrg": [], "Target": [], "Victim": [], "Weapon": []}]));
        assert_eq!(p["extracts"]["PerpInd"], json!([["rebels"]]));
        assert_eq!(prediction(&json!({"id": "x", "entities": [ent("m1", "rebels", "PerpInd")]}), true, None).unwrap()["templates"][0]["incident_type"], "attack");
        let failed = prediction(&json!({"id": "x", "entities": [], "errors": [{"code": "empty_text"}]}), true, Some(DecodeOptions::default())).unwrap();
        assert_eq!(failed["templates"], json!([]));
    }

    #[test]
    fn a_lines_decoded_roles_are_exported_as_they_are() {
        let line = json!({"id": "d", "entities": [ent("m1", "FMLN", "ORG")], "roles": [
            {"role": "PerpOrg", "text": "FMLN", "start": 3, "end": 7, "score": 0.9, "mentions": 2},
            {"role": "Target", "text": "substation", "start": 20, "end": 30, "score": 0.8, "mentions": 1}]});
        for decoding in [None, Some(DecodeOptions::default())] {
            let p = prediction(&line, false, decoding).unwrap();
            assert_eq!(p["extracts"]["PerpOrg"], json!([["FMLN"]]));
            assert_eq!(p["extracts"]["Target"], json!([["substation"]]));
        }
        assert!(prediction(&json!({"id": "d", "roles": [{"role": "Boss", "text": "x"}]}), false, None).is_err());
    }

    #[test]
    fn bad_lines_name_their_line() {
        let mut out = Vec::new();
        let err = export_lines("{\"id\": \"a\"}\n\n{oops\n".as_bytes(), "in.jsonl", &mut out, false, Some(DecodeOptions::default())).unwrap_err();
        assert!(matches!(err, Error::Data { line: 3, .. }), "{err}");
        assert!(prediction(&json!({"entities": []}), false, None).is_err());
        for decoding in [None, Some(DecodeOptions::default())] {
            assert!(prediction(&json!({"id": "a", "entities": [{"text": "x"}]}), false, decoding).is_err());
        }
    }
}
