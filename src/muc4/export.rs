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

use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::fillers::{decode, DecodeOptions, RoleMention};
use crate::muc4::reader::{Filler, FillerMention, Role, RoleFillers};
use crate::output::write_line;
use crate::error::{Error, Result};
use crate::muc4::score::normalise;

/// The part of an annotated line the export reads. Lenient, so lines of
/// other tools export too: an id may be a number, clusters and entities
/// need only what grouping uses, a missing score counts as certain.
#[derive(Debug, Deserialize)]
pub struct ExportView {
    id: Id,
    #[serde(default)]
    entities: Option<Vec<EntityView>>,
    #[serde(default)]
    clusters: Option<Vec<ClusterView>>,
    #[serde(default)]
    incidents: Option<Vec<IncidentView>>,
    /// Fillers `extract --roles` decoded already.
    #[serde(default)]
    roles: Option<Vec<FillerView>>,
}

/// A record id as some inputs write it: a string, or a bare number.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Id {
    Text(String),
    Number(serde_json::Number),
}

#[derive(Debug, Deserialize)]
struct EntityView {
    #[serde(default)]
    id: Option<String>,
    text: String,
    label: String,
    #[serde(default)]
    score: Option<f64>,
    #[serde(default)]
    start: Option<usize>,
    #[serde(default)]
    end: Option<usize>,
    #[serde(default)]
    cluster: Option<String>,
}

#[derive(Debug, Deserialize)]
struct ClusterView {
    id: String,
    mentions: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct IncidentView {
    #[serde(rename = "type", default)]
    kind: Option<String>,
}

#[derive(Debug, Deserialize)]
struct FillerView {
    role: String,
    text: String,
    #[serde(default)]
    start: Option<usize>,
}

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
        let view: ExportView = serde_json::from_str(&line).map_err(|e| data_err(format!("not an annotated line: {e}")))?;
        write_line(out, &prediction(&view, templates, decoding).map_err(data_err)?)?;
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
pub fn prediction(line: &ExportView, templates: bool, decoding: Option<DecodeOptions>) -> std::result::Result<Value, String> {
    let docid = match &line.id {
        Id::Text(s) => s.clone(),
        Id::Number(n) => n.to_string(),
    };
    let fillers = match (&line.roles, decoding) {
        (Some(roles), _) => line_roles(roles)?,
        (None, Some(opts)) => decode(&role_mentions(line), opts),
        (None, None) => predicted_fillers(line),
    };
    let mut out = json!({"docid": docid, "extracts": fillers_json(&fillers, Map::new())});
    if templates {
        let list = if fillers.is_empty() {
            Vec::new()
        } else {
            let head = Map::from_iter([("incident_type".to_string(), json!(incident_type(line)))]);
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
fn incident_type(line: &ExportView) -> &'static str {
    let first = line.incidents.as_ref().and_then(|i| i.first()).and_then(|i| i.kind.as_deref());
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
fn line_roles(roles: &[FillerView]) -> std::result::Result<RoleFillers, String> {
    let mut out = RoleFillers::default();
    for f in roles {
        let Some(role) = Role::from_name(&f.role) else {
            return Err(format!("a role filler has no MUC-4 role: {:?}", f.role));
        };
        out.role_mut(role).push(vec![FillerMention { text: f.text.clone(), offset: f.start }]);
    }
    Ok(out)
}

/// The line's entities whose labels are roles.
fn role_entities(line: &ExportView) -> impl Iterator<Item = (&EntityView, Role)> {
    line.entities.iter().flatten().filter_map(|e| Some((e, Role::from_name(&e.label)?)))
}

/// The line's role-labelled entities in line order (a missing score counts as certain).
fn role_mentions(line: &ExportView) -> Vec<RoleMention> {
    let mention = |(e, role): (&EntityView, Role)| RoleMention { text: e.text.clone(), role, score: e.score.unwrap_or(1.0) as f32, offset: e.start, end: e.end };
    role_entities(line).map(mention).collect()
}

/// Role-labelled entities grouped into fillers, in order of first mention;
/// within a filler, mentions that normalise alike are kept once.
fn predicted_fillers(line: &ExportView) -> RoleFillers {
    let mut cluster_of: HashMap<&str, &str> = HashMap::new();
    for c in line.clusters.iter().flatten() {
        for m in &c.mentions {
            cluster_of.insert(m, &c.id);
        }
    }
    let mut fillers = RoleFillers::default();
    let mut seen: [(HashMap<&str, usize>, HashMap<String, usize>); 5] = Default::default();
    for (e, role) in role_entities(line) {
        let norm = normalise(&e.text);
        if norm.is_empty() {
            continue;
        }
        let cluster = e.cluster.as_deref().or_else(|| e.id.as_deref().and_then(|id| cluster_of.get(id).copied()));
        let (by_cluster, by_norm) = &mut seen[role as usize];
        let list = fillers.role_mut(role);
        let found = match cluster {
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
            list[g].push(FillerMention { text: e.text.clone(), offset: e.start });
        }
    }
    fillers
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::muc4::reader::{parse_muc4, read_muc4, Muc4Doc};
    use crate::muc4::score::score_docs;

    /// `prediction` of a line written as JSON.
    fn predict(line: &Value, templates: bool, decoding: Option<DecodeOptions>) -> std::result::Result<Value, String> {
        let view: ExportView = serde_json::from_value(line.clone()).map_err(|e| e.to_string())?;
        prediction(&view, templates, decoding)
    }

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
    }

    #[test]
    #[ignore = "needs ../shared"]
    fn dev_gold_round_trips_to_full_marks() {
        let shared = crate::testing::shared("corpus/muc4").join("corpus/muc4");
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
        let p = predict(&line, false, None).unwrap();
        assert_eq!(p["docid"], "d");
        assert_eq!(p["extracts"]["PerpOrg"], json!([["Farabundo Marti National Liberation Front", "FMLN"]]));
        assert_eq!(p["extracts"]["Victim"], json!([["fmln"]]), "roles are grouped apart");
        assert_eq!(p["extracts"]["Weapon"], json!([["bomb"]]));
        assert_eq!(p["extracts"]["Target"], json!([]));
        assert!(p.get("templates").is_none());
        line["entities"][1]["cluster"] = json!("c9");
        let p = predict(&line, false, None).unwrap();
        assert_eq!(p["extracts"]["PerpOrg"], json!([["Farabundo Marti National Liberation Front"], ["FMLN"]]), "an entity's own cluster wins");
    }

    #[test]
    fn templates_carry_a_muc4_incident_type() {
        let line = json!({"id": 3, "entities": [ent("m1", "rebels", "PerpInd")], "incidents": [{"type": "hostage_taking"}]});
        let p = predict(&line, true, None).unwrap();
        assert_eq!(p["templates"], json!([{"incident_type": "kidnapping", "PerpInd": [["rebels"]], "PerpOrg": [], "Target": [], "Victim": [], "Weapon": []}]));
        assert_eq!(p["extracts"]["PerpInd"], json!([["rebels"]]));
        assert_eq!(predict(&json!({"id": "x", "entities": [ent("m1", "rebels", "PerpInd")]}), true, None).unwrap()["templates"][0]["incident_type"], "attack");
        let failed = predict(&json!({"id": "x", "entities": [], "errors": [{"code": "empty_text"}]}), true, Some(DecodeOptions::default())).unwrap();
        assert_eq!(failed["templates"], json!([]));
    }

    #[test]
    fn a_lines_decoded_roles_are_exported_as_they_are() {
        let line = json!({"id": "d", "entities": [ent("m1", "FMLN", "ORG")], "roles": [
            {"role": "PerpOrg", "text": "FMLN", "start": 3, "end": 7, "score": 0.9, "mentions": 2},
            {"role": "Target", "text": "substation", "start": 20, "end": 30, "score": 0.8, "mentions": 1}]});
        for decoding in [None, Some(DecodeOptions::default())] {
            let p = predict(&line, false, decoding).unwrap();
            assert_eq!(p["extracts"]["PerpOrg"], json!([["FMLN"]]));
            assert_eq!(p["extracts"]["Target"], json!([["substation"]]));
        }
        assert!(predict(&json!({"id": "d", "roles": [{"role": "Boss", "text": "x"}]}), false, None).is_err());
    }

    #[test]
    fn bad_lines_name_their_line() {
        let mut out = Vec::new();
        let err = export_lines("{\"id\": \"a\"}\n\n{oops\n".as_bytes(), "in.jsonl", &mut out, false, Some(DecodeOptions::default())).unwrap_err();
        assert!(matches!(err, Error::Data { line: 3, .. }), "{err}");
        assert!(predict(&json!({"entities": []}), false, None).is_err());
        for decoding in [None, Some(DecodeOptions::default())] {
            assert!(predict(&json!({"id": "a", "entities": [{"text": "x"}]}), false, decoding).is_err());
        }
    }
}
