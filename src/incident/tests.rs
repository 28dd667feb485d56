//! End-to-end tests of `link` on whole articles with hand-placed mentions
//! (the tagger is trained separately; these pin the linker alone).

use super::link;
use crate::document::{Document, Mention, Span};
use crate::text::sentences::sentences;
use serde_json::Value;

/// A document whose mentions are every whole-word occurrence of the given
/// names. A name written with brackets ("region of [Khorasan]") marks only the
/// bracketed part, in that context; longer names win over shorter ones.
pub(super) fn document(text: &str, published: Option<&str>, names: &[(&str, &str)]) -> Document {
    let mut doc = Document::new("doc", text);
    doc.published = published.map(str::to_string);
    doc.sentences = sentences(text);
    let mut ordered: Vec<&(&str, &str)> = names.iter().collect();
    ordered.sort_by_key(|(n, _)| std::cmp::Reverse(n.len()));
    let mut spans: Vec<(Span, &str)> = Vec::new();
    for (name, label) in ordered {
        let (context, lead, len) = match (name.find('['), name.find(']')) {
            (Some(a), Some(b)) => (name.replace(['[', ']'], ""), a, b - a - 1),
            _ => (name.to_string(), 0, name.len()),
        };
        for (at, _) in text.match_indices(context.as_str()) {
            let span = Span::new(at + lead, at + lead + len);
            let whole = !text[..span.start].ends_with(char::is_alphanumeric) && !text[span.end..].starts_with(char::is_alphanumeric);
            if whole && !spans.iter().any(|(s, _)| s.overlaps(&span)) {
                spans.push((span, label));
            }
        }
    }
    spans.sort();
    doc.mentions = spans.into_iter().map(|(span, label)| Mention { span, label: label.to_string(), score: 0.99 }).collect();
    doc
}

fn incidents(doc: &Document) -> &Vec<Value> {
    doc.extra["incidents"].as_array().expect("incidents array")
}

/// Every span in the record must cut the text where its `text` says (code points).
fn assert_traceable(doc: &Document) {
    let chars: Vec<char> = doc.text.chars().collect();
    fn walk(v: &Value, chars: &[char]) {
        match v {
            Value::Object(o) => {
                if let (Some(t), Some(s), Some(e)) = (o.get("text"), o.get("start"), o.get("end")) {
                    let (s, e) = (s.as_u64().unwrap() as usize, e.as_u64().unwrap() as usize);
                    assert_eq!(chars[s..e].iter().collect::<String>(), t.as_str().unwrap());
                }
                o.values().for_each(|x| walk(x, chars));
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, chars)),
            _ => {}
        }
    }
    walk(&doc.extra["incidents"], &chars);
}

#[test]
fn article_without_incident_yields_none() {
    let text = "The city council of Lyon approved a new budget on Friday. The mayor, Anne Dupont, said the vote would fund three schools.";
    let mut doc = document(text, Some("2024-05-10"), &[("Lyon", "LOC"), ("Anne Dupont", "PER")]);
    link(&mut doc);
    assert_eq!(doc.extra["incidents"], Value::Array(vec![]));
    assert_eq!(doc.extra["clusters"].as_array().unwrap().len(), 2);
}

#[test]
fn main_and_recalled_incidents_stay_apart() {
    let text = "Gunmen opened fire on a crowded market in Peshawar on Saturday, killing at least 12 people and wounding about 30 others, police said. \
The Tehrik-i-Taliban Pakistan claimed responsibility for the attack. Officials said three attackers, all from Afghanistan, were killed.\n\n\
In a separate incident on December 28, a car bomb exploded outside a police station in Quetta, killing six. \
The TTP has not commented on the Quetta blast.";
    let names = [("Peshawar", "LOC"), ("Tehrik-i-Taliban Pakistan", "ORG"), ("TTP", "ORG"), ("Afghanistan", "LOC"), ("Quetta", "LOC")];
    let mut doc = document(text, Some("2025-01-06"), &names);
    link(&mut doc);
    assert_traceable(&doc);
    let inc = incidents(&doc);
    assert_eq!(inc.len(), 2, "{inc:#?}");
    let (main, recalled) = (&inc[0], &inc[1]);
    assert_eq!(main["type"], "armed_assault");
    assert_eq!(main["date"]["value"], "2025-01-04", "Saturday before Monday 6 January");
    assert_eq!(main["location"]["city"], "Peshawar");
    assert_eq!(main["location"]["country"], "PK");
    assert_eq!(main["casualties"]["killed"]["value"], 12);
    assert_eq!(main["casualties"]["killed"]["approx"], true);
    assert_eq!(main["casualties"]["injured"]["value"], 30);
    assert_eq!(main["perpetrator_organizations"][0]["name"], "Tehrik-i-Taliban Pakistan");
    assert_eq!(main["perpetrator_organizations"][0]["claimed"], true);
    assert_eq!(main["perpetrator_individuals"][0]["count"], 3);
    assert_eq!(main["perpetrator_individuals"][0]["nationality"], "AF");
    assert_eq!(main["targets"][0]["text"], "a crowded market");
    assert_eq!(recalled["type"], "bombing");
    assert_eq!(recalled["date"]["value"], "2024-12-28", "year roll-over");
    assert_eq!(recalled["location"]["city"], "Quetta");
    assert_eq!(recalled["casualties"]["killed"]["value"], 6);
    assert_eq!(recalled["weapons"][0]["text"], "car bomb");
    let clusters = doc.extra["clusters"].as_array().unwrap();
    let ttp = clusters.iter().find(|c| c["name"] == "Tehrik-i-Taliban Pakistan").unwrap();
    assert_eq!(ttp["mentions"].as_array().unwrap().len(), 2, "TTP is an alias");
}

#[test]
fn muc_wire_copy_uses_the_dateline() {
    // From MUC-3 message DEV-MUC3-0001 (public domain).
    let text = "SAN SALVADOR, 3 JAN 90 -- [REPORT] [ARMED FORCES PRESS COMMITTEE, COPREFA] [TEXT] THE ARCE BATTALION COMMAND HAS REPORTED THAT ABOUT 50 PEASANTS OF VARIOUS AGES HAVE BEEN KIDNAPPED BY TERRORISTS OF THE FARABUNDO MARTI NATIONAL LIBERATION FRONT [FMLN] IN SAN MIGUEL DEPARTMENT. ACCORDING TO THAT GARRISON, THE MASS KIDNAPPING TOOK PLACE ON 30 DECEMBER IN SAN LUIS DE LA REINA.\n\n\
MEANWHILE, THREE SUBVERSIVES WERE KILLED AND SEVEN OTHERS WERE WOUNDED DURING CLASHES YESTERDAY IN USULUTAN AND MORAZAN DEPARTMENTS.";
    let names = [
        ("SAN SALVADOR", "LOC"), ("ARMED FORCES PRESS COMMITTEE", "ORG"), ("COPREFA", "ORG"), ("ARCE BATTALION", "ORG"),
        ("FARABUNDO MARTI NATIONAL LIBERATION FRONT", "ORG"), ("FMLN", "ORG"), ("SAN MIGUEL", "LOC"),
        ("SAN LUIS DE LA REINA", "LOC"), ("USULUTAN", "LOC"), ("MORAZAN", "LOC"),
    ];
    let mut doc = document(text, None, &names);
    link(&mut doc);
    assert_traceable(&doc);
    let inc = incidents(&doc);
    assert_eq!(inc.len(), 2, "{inc:#?}");
    assert_eq!(inc[0]["type"], "kidnapping");
    assert_eq!(inc[0]["date"]["value"], "1989-12-30");
    assert_eq!(inc[0]["location"]["country"], "SV");
    assert_eq!(inc[0]["perpetrator_organizations"][0]["name"], "FARABUNDO MARTI NATIONAL LIBERATION FRONT");
    assert_eq!(inc[0]["victims"][0]["text"], "ABOUT 50 PEASANTS");
    assert_eq!(inc[1]["date"]["value"], "1990-01-02");
    assert_eq!(inc[1]["location"]["city"], "Usulután");
    assert_eq!(inc[1]["casualties"]["killed"]["value"], 3);
    assert_eq!(inc[1]["casualties"]["injured"]["value"], 7);
}

/// The names a tagger should find in the seed article.
pub(super) const SEED_NAMES: &[(&str, &str)] = &[
    ("Islamic State", "ORG"), ("IS Khorasan", "ORG"), ("IS-Khorasan", "ORG"), ("its “[Khorasan]”", "ORG"),
    ("region of [Khorasan]", "LOC"), ("IS", "ORG"), ("Moscow", "LOC"), ("Crocus City", "LOC"), ("Russian", "MISC"),
    ("Tajikistan", "LOC"), ("Karabulak", "LOC"), ("Ingushetia", "LOC"), ("Georgian", "MISC"),
    ("Russian Federal Security Service", "ORG"), ("FSB", "ORG"), ("Kaluga", "LOC"), ("American Embassy", "ORG"),
    ("US", "LOC"), ("Russia", "LOC"), ("Russians", "MISC"), ("Chinese", "MISC"), ("Iranians", "MISC"),
    ("Afghanistan", "LOC"), ("Taliban", "ORG"), ("Russian Embassy", "ORG"), ("Kabul", "LOC"), ("Iran", "LOC"),
    ("Iranian", "MISC"), ("Qasem Soleimani", "PER"), ("China", "LOC"), ("Shiite", "MISC"), ("Afghan", "MISC"),
    ("Kremlin", "ORG"), ("Chechnya", "LOC"), ("Syria", "LOC"), ("Germany", "LOC"), ("France", "LOC"),
    ("Netherlands", "LOC"), ("Switzerland", "LOC"), ("Sweden", "LOC"), ("Denmark", "LOC"), ("Italy", "LOC"),
    ("Turkey", "LOC"), ("Central Asia", "LOC"), ("Afghans", "MISC"), ("Tajiks", "MISC"), ("Turkmens", "MISC"),
    ("Muslims", "MISC"), ("Western", "MISC"), ("Vladimir Putin", "PER"), ("Putin", "PER"), ("Ukraine", "LOC"),
    ("West", "LOC"), ("Kyiv", "LOC"), ("Ukrainian", "MISC"), ("Iraq", "LOC"), ("Volodymyr Zelenskyy", "PER"),
    ("Anatoliy Barhylevych", "PER"), ("Nord Stream", "MISC"), ("Europe", "LOC"), ("United States", "LOC"),
    ("Dimensions for Strategic Studies", "ORG"), ("DSS", "ORG"), ("London", "LOC"), ("Middle East", "LOC"),
    ("North Africa", "LOC"),
];

#[test]
fn seed_article_main_and_recalled_incidents() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/seed/moscow-attack-dss-2024-03-29.txt");
    let Ok(text) = std::fs::read_to_string(path) else {
        println!("skipped: seed article not found at {path}");
        return;
    };
    let mut doc = document(&text, Some("2024-03-29"), SEED_NAMES);
    link(&mut doc);
    assert_traceable(&doc);
    let inc = incidents(&doc);
    println!("{}", serde_json::to_string_pretty(inc).unwrap());
    let main = &inc[0];
    assert_eq!(main["type"], "armed_assault");
    assert_eq!(main["date"]["value"], "2024-03-22");
    assert_eq!(main["location"]["city"], "Moscow");
    assert_eq!(main["location"]["country"], "RU");
    let is = &main["perpetrator_organizations"][0];
    assert_eq!((is["name"].as_str(), is["claimed"].as_bool()), (Some("Islamic State"), Some(true)));
    let attackers = &main["perpetrator_individuals"][0];
    assert_eq!((attackers["count"].as_u64(), attackers["nationality"].as_str()), (Some(4), Some("TJ")));
    assert_eq!(main["casualties"]["killed"]["value"], 140);
    assert_eq!(main["casualties"]["killed"]["approx"], true);
    assert_eq!(main["casualties"]["injured"]["value"], 150);
    assert_eq!(main["casualties"]["injured"]["approx"], true);
    assert!(main["targets"].as_array().unwrap().iter().any(|t| t["text"].as_str().unwrap().starts_with("Crocus City")));
    let find = |date: &str| inc.iter().find(|i| i["date"]["value"] == date).unwrap_or_else(|| panic!("no incident on {date}"));
    assert_eq!(find("2024-03-03")["location"]["city"], "Karabulak");
    assert_eq!(find("2024-03-07")["location"]["city"], "Kaluga");
    assert_eq!(find("2022-08")["location"]["city"], "Kabul");
    assert_eq!(find("2022-08")["type"], "bombing");
    assert_eq!(find("2022-12")["location"]["city"], "Kabul");
    let islamic_state = doc.extra["clusters"].as_array().unwrap().iter().find(|c| c["name"] == "Islamic State").unwrap();
    assert!(islamic_state["mentions"].as_array().unwrap().len() >= 10, "IS, IS Khorasan, IS-Khorasan join Islamic State");
}
