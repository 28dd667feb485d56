//! Output lines of the linker validated against schema/incident-record.schema.json.
//!
//! CI has no JSON Schema crate, so a small validator covers the keywords the
//! schema uses (all but `pattern`); where Python's `jsonschema` package is
//! installed the lines are also checked by it, patterns included.

use super::link;
use super::tests::{document, SEED_NAMES};
use serde_json::Value;

const SCHEMA: &str = include_str!("../../schema/incident-record.schema.json");

/// Errors of `value` against `schema` (JSON Schema subset), as JSON-pointer-ish paths.
fn check(root: &Value, schema: &Value, value: &Value, path: &str, errors: &mut Vec<String>) {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let target = r.strip_prefix("#/").expect("local $ref").split('/').fold(root, |v, k| &v[k]);
        return check(root, target, value, path, errors);
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
            check(root, o, value, path, &mut e);
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
                check(root, item_schema, item, &format!("{path}/{i}"), errors);
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
                Some(s) => check(root, s, v, &format!("{path}/{key}"), errors),
                None if schema.get("additionalProperties") == Some(&Value::Bool(false)) => errors.push(format!("{path}: unexpected {key}")),
                None => {}
            }
        }
    }
}

/// Output lines of the seed article (when present) and of a MUC message.
fn lines() -> Vec<Value> {
    let muc = "SAN SALVADOR, 3 JAN 90 -- [TEXT] ABOUT 50 PEASANTS HAVE BEEN KIDNAPPED BY TERRORISTS OF THE FMLN IN SAN MIGUEL.";
    let mut docs = vec![document(muc, None, &[("SAN SALVADOR", "LOC"), ("FMLN", "ORG"), ("SAN MIGUEL", "LOC")])];
    let seed = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/seed/moscow-attack-dss-2024-03-29.txt");
    if let Ok(text) = std::fs::read_to_string(seed) {
        docs.push(document(&text, Some("2024-03-29"), SEED_NAMES));
    }
    docs.iter_mut()
        .map(|d| {
            link(d);
            d.to_output()
        })
        .collect()
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
fn output_lines_pass_python_jsonschema_where_installed() {
    let has_jsonschema = std::process::Command::new("python3").args(["-c", "import jsonschema"]).output().is_ok_and(|o| o.status.success());
    if !has_jsonschema {
        println!("skipped: python3 with the jsonschema package not available");
        return;
    }
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
    let out = std::process::Command::new("python3").args(["-c", script, schema]).arg(&file).output().unwrap();
    std::fs::remove_dir_all(&dir).ok();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}
