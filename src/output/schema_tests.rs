//! The output types checked against schema/incident-record.schema.json.
//!
//! CI has no JSON Schema crate, so a small validator covers the keywords the
//! schema uses (all but `pattern`); where Python's `jsonschema` package is
//! installed the lines are also checked by it, patterns included. Besides
//! validating lines, the tests check that the types write every property
//! the schema defines (and, through `additionalProperties: false`, none it
//! does not).

use std::collections::BTreeSet;

use super::Line;
use crate::document::{GroupSpan, RecordError};
use crate::incident::link;
use crate::incident::tests::{document, SEED_NAMES};
use serde_json::Value;

const SCHEMA: &str = include_str!("../../schema/incident-record.schema.json");

/// Errors of `value` against `schema` (JSON Schema subset), as JSON-pointer-ish paths.
fn check(root: &Value, schema: &Value, value: &Value, path: &str, errors: &mut Vec<String>) {
    check_seen(root, schema, value, path, errors, &mut BTreeSet::new());
}

/// [`check`], also noting in `seen` each (`$ref`, property) the value fills.
fn check_seen(root: &Value, schema: &Value, value: &Value, path: &str, errors: &mut Vec<String>, seen: &mut BTreeSet<(String, String)>) {
    check_at(root, schema, "#", value, path, errors, seen)
}

fn check_at(root: &Value, schema: &Value, at: &str, value: &Value, path: &str, errors: &mut Vec<String>, seen: &mut BTreeSet<(String, String)>) {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let target = r.strip_prefix("#/").expect("local $ref").split('/').fold(root, |v, k| &v[k]);
        return check_at(root, target, r, value, path, errors, seen);
    }
    if let Some(types) = schema.get("type") {
        let names: Vec<&str> = match types {
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            other => vec![other.as_str().unwrap()],
        };
        let fits = |t: &str| match t {
            "null" => value.is_null(),
            "boolean" => value.is_boolean(),
            "string" => value.is_string(),
            "integer" => value.is_u64() || value.is_i64(),
            "number" => value.is_number(),
            "array" => value.is_array(),
            "object" => value.is_object(),
            other => panic!("type {other} not supported"),
        };
        if !names.iter().any(|t| fits(t)) {
            errors.push(format!("{path}: {value} is not {names:?}"));
            return;
        }
    }
    if let Some(options) = schema.get("enum").and_then(Value::as_array) {
        if !options.contains(value) {
            errors.push(format!("{path}: {value} not in enum"));
        }
    }
    if let Some(options) = schema.get("oneOf").and_then(Value::as_array) {
        let fitting = options.iter().filter(|o| {
            let mut e = Vec::new();
            check_at(root, o, at, value, path, &mut e, seen);
            e.is_empty()
        });
        if fitting.count() != 1 {
            errors.push(format!("{path}: {value} fits not exactly one of oneOf"));
        }
    }
    if let Some(n) = value.as_f64() {
        if schema.get("minimum").and_then(Value::as_f64).is_some_and(|m| n < m) || schema.get("maximum").and_then(Value::as_f64).is_some_and(|m| n > m) {
            errors.push(format!("{path}: {n} out of range"));
        }
    }
    if let Some(items) = value.as_array() {
        if schema.get("minItems").and_then(Value::as_u64).is_some_and(|m| (items.len() as u64) < m) {
            errors.push(format!("{path}: too few items"));
        }
        if let Some(item_schema) = schema.get("items") {
            for (i, item) in items.iter().enumerate() {
                check_at(root, item_schema, &format!("{at}/items"), item, &format!("{path}/{i}"), errors, seen);
            }
        }
    }
    if let Some(object) = value.as_object() {
        let properties = schema.get("properties").and_then(Value::as_object);
        for key in schema.get("required").and_then(Value::as_array).into_iter().flatten() {
            if !object.contains_key(key.as_str().unwrap()) {
                errors.push(format!("{path}: missing {key}"));
            }
        }
        for (key, v) in object {
            match properties.and_then(|p| p.get(key)) {
                Some(s) => {
                    seen.insert((at.to_string(), key.clone()));
                    check_at(root, s, &format!("{at}/{key}"), v, &format!("{path}/{key}"), errors, seen);
                }
                None if schema.get("additionalProperties") == Some(&Value::Bool(false)) => errors.push(format!("{path}: unexpected {key}")),
                None => {}
            }
        }
    }
}

/// Output lines of the seed article (when present) and of a MUC message.
fn lines() -> Vec<Value> {
    typed_lines().iter().map(|l| serde_json::to_value(l).unwrap()).collect()
}

/// [`lines`] as written, the MUC message's with every optional field
/// filled: role fillers (one inside an incident), a warning.
fn typed_lines() -> Vec<Line> {
    let muc = "SAN SALVADOR, 3 JAN 90 -- [TEXT] ABOUT 50 PEASANTS HAVE BEEN KIDNAPPED BY TERRORISTS OF THE FMLN IN SAN MIGUEL.";
    let mut docs = vec![document(muc, None, &[("SAN SALVADOR", "LOC"), ("FMLN", "ORG"), ("SAN MIGUEL", "LOC")])];
    // claims, attackers (one named), a toll and weapons, so every slot is written
    let news = "Gunmen opened fire on a crowded market in Peshawar on Saturday, killing at least 12 people and wounding about 30 others. \
The Tehrik-i-Taliban Pakistan claimed responsibility. Officials said three attackers, all from Afghanistan, were killed. A car bomb exploded. \
Police arrested the gunman Ali Khan after the attack on the market.";
    let names = [("Peshawar", "LOC"), ("Tehrik-i-Taliban Pakistan", "ORG"), ("Afghanistan", "LOC"), ("Ali Khan", "PER")];
    docs.push(document(news, Some("2025-01-06"), &names));
    // a location that quotes a common noun and names what it stands for
    let anaphor = "Dagestan is a republic in Russia. Gunmen attacked soldiers stationed in the republic on Friday.";
    docs.push(document(anaphor, Some("2025-01-06"), &[("Dagestan", "LOC"), ("Russia", "LOC")]));
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/seed/moscow-attack-dss-2024-03-29.txt")).unwrap();
    docs.push(document(&text, Some("2024-03-29"), SEED_NAMES));
    let fmln = muc.find("FMLN").unwrap();
    docs[0].roles = Some(vec![GroupSpan { span: crate::document::Span::new(fmln, fmln + 4), label: "PerpOrg".into(), score: 0.91234, mentions: 2 }]);
    docs[0].warnings.push(RecordError::new("some_warning", "a warning"));
    let at = |needle: &str, label: &str| crate::document::Mention::at(anaphor, needle, 0, label);
    docs[2].arguments = Some(vec![at("Gunmen", "Perp"), at("attacked", "Attack"), at("soldiers", "Target")]);
    docs[0].fingerprint = Some(0x0123_4567_89ab_cdef);
    docs.iter_mut()
        .map(|d| {
            // as the pipeline runs them: places resolved, then linked
            crate::geo::resolve(d);
            link(d);
            Line::of(d)
        })
        .collect()
}

/// Every (object, property) `schema` defines, objects named as [`check_at`] names them.
fn properties(schema: &Value, at: &str, out: &mut BTreeSet<(String, String)>) {
    for (key, s) in schema.get("properties").and_then(Value::as_object).into_iter().flatten() {
        out.insert((at.to_string(), key.clone()));
        properties(s, &format!("{at}/{key}"), out);
    }
    if let Some(items) = schema.get("items") {
        properties(items, &format!("{at}/items"), out);
    }
    for option in schema.get("oneOf").and_then(Value::as_array).into_iter().flatten() {
        properties(option, at, out);
    }
}

#[test]
fn the_types_write_every_property_the_schema_defines() {
    let schema: Value = serde_json::from_str(SCHEMA).unwrap();
    let mut seen = BTreeSet::new();
    for line in lines() {
        let mut errors = Vec::new();
        check_seen(&schema, &schema, &line, "", &mut errors, &mut seen);
        assert!(errors.is_empty(), "{errors:#?}");
    }
    let mut defined = BTreeSet::new();
    properties(&schema, "#", &mut defined);
    for (name, def) in schema["$defs"].as_object().unwrap() {
        properties(def, &format!("#/$defs/{name}"), &mut defined);
    }
    let missing: Vec<_> = defined.difference(&seen).collect();
    assert!(missing.is_empty(), "the schema defines properties no line has: {missing:#?}");
}

#[test]
fn lines_read_back_into_the_types_byte_for_byte() {
    for line in typed_lines() {
        let text = serde_json::to_string(&line).unwrap();
        let back: Line = serde_json::from_str(&text).unwrap();
        assert_eq!(back, line);
        assert_eq!(serde_json::to_string(&back).unwrap(), text);
    }
}

#[test]
fn output_lines_follow_the_schema() {
    let schema: Value = serde_json::from_str(SCHEMA).expect("schema is JSON");
    for line in lines() {
        let mut errors = Vec::new();
        check(&schema, &schema, &line, "", &mut errors);
        assert!(errors.is_empty(), "{errors:#?}");
    }
}

#[test]
fn the_checker_rejects_broken_lines() {
    let schema: Value = serde_json::from_str(SCHEMA).unwrap();
    let mut line = lines().remove(0);
    line["incidents"][0]["type"] = Value::from("riot");
    line["incidents"][0]["casualties"]["killed"] = Value::from(3);
    line["surprise"] = Value::from(true);
    let mut errors = Vec::new();
    check(&schema, &schema, &line, "", &mut errors);
    assert_eq!(errors.len(), 3, "{errors:#?}");
}

#[test]
#[ignore = "needs jsonschema in .venv"]
fn output_lines_pass_python_jsonschema() {
    let py = concat!(env!("CARGO_MANIFEST_DIR"), "/.venv/bin/python");
    let has_jsonschema = std::process::Command::new(py).args(["-c", "import jsonschema"]).output().is_ok_and(|o| o.status.success());
    assert!(has_jsonschema, "this test needs jsonschema in .venv ({py} cannot import it; `make test` installs it)");
    let dir = std::env::temp_dir().join(format!("newsner-schema-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("lines.jsonl");
    let text: String = lines().iter().map(|l| format!("{l}\n")).collect();
    std::fs::write(&file, text).unwrap();
    let script = "import json, sys, jsonschema\n\
schema = json.load(open(sys.argv[1]))\n\
jsonschema.Draft202012Validator.check_schema(schema)\n\
v = jsonschema.Draft202012Validator(schema)\n\
for line in open(sys.argv[2]):\n    v.validate(json.loads(line))\n";
    let schema = concat!(env!("CARGO_MANIFEST_DIR"), "/schema/incident-record.schema.json");
    let out = std::process::Command::new(py).args(["-c", script, schema]).arg(&file).output().unwrap();
    std::fs::remove_dir_all(&dir).ok();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}
