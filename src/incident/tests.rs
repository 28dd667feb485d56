//! End-to-end tests of `link` on whole articles with hand-placed mentions
//! (the tagger is trained separately; these pin the linker alone).

use super::link;
use crate::document::{Document, Mention, Span};
use crate::output::{Incident, Line};
use crate::text::sentences::sentences;
use serde_json::Value;

/// A document whose mentions are every whole-word occurrence of the given
/// names. A name written with brackets ("region of [Khorasan]") marks only the
/// bracketed part, in that context; longer names win over shorter ones.
pub(crate) fn document(text: &str, published: Option<&str>, names: &[(&str, &str)]) -> Document {
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

/// The linked document's output line.
fn linked(doc: &Document) -> Line {
    Line::of(doc)
}

fn incidents(line: &Line) -> &[Incident] {
    line.incidents.as_deref().expect("the linker ran")
}

fn date(i: &Incident) -> Option<&str> {
    i.date.as_ref().map(|d| d.value.as_str())
}

fn city(i: &Incident) -> Option<&str> {
    i.location.as_ref().and_then(|p| p.city.as_deref())
}

fn country(i: &Incident) -> Option<&str> {
    i.location.as_ref().and_then(|p| p.country.as_deref())
}

/// (value, approx) of the killed and the injured figure.
fn casualties(i: &Incident) -> [Option<(u64, bool)>; 2] {
    [&i.casualties.killed, &i.casualties.injured].map(|c| c.as_ref().map(|c| (c.value, c.approx)))
}

fn cluster_size(line: &Line, name: &str) -> usize {
    let clusters = line.clusters.as_deref().expect("the linker ran");
    clusters.iter().find(|c| c.name == name).unwrap_or_else(|| panic!("no cluster {name}")).mentions.len()
}

/// Every span in the written incidents must cut the text where its `text` says (code points).
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
    walk(&serde_json::to_value(&Line::of(doc).incidents).unwrap(), &chars);
}

#[test]
fn article_without_incident_yields_none() {
    let text = "The city council of Lyon approved a new budget on Friday. The mayor, Anne Dupont, said the vote would fund three schools.";
    let mut doc = document(text, Some("2024-05-10"), &[("Lyon", "LOC"), ("Anne Dupont", "PER")]);
    link(&mut doc);
    let line = linked(&doc);
    assert!(incidents(&line).is_empty());
    assert_eq!(line.clusters.map(|c| c.len()), Some(2));
}

/// The incidents of a linked article that reports exactly one.
fn only_incident(text: &str, published: Option<&str>, names: &[(&str, &str)]) -> Vec<Incident> {
    let mut doc = document(text, published, names);
    link(&mut doc);
    assert_traceable(&doc);
    let inc = incidents(&linked(&doc)).to_vec();
    assert_eq!(inc.len(), 1, "{inc:#?}");
    inc
}

#[test]
fn a_dateline_dates_and_places_an_article_without_publication_date() {
    let text = "KABUL, March 3, 2024 (Reuters) - A suicide bomber blew himself up outside a bank in Kandahar on Thursday, killing at least 21 people, officials said.\n\n\
Reuters could not reach the Taliban on Friday.";
    let inc = only_incident(text, None, &[("KABUL", "LOC"), ("Reuters", "ORG"), ("Kandahar", "LOC"), ("Taliban", "ORG")]);
    assert_eq!(inc[0].kind, "bombing");
    assert_eq!(date(&inc[0]), Some("2024-02-29"), "Thursday before the dateline's Sunday");
    assert_eq!(inc[0].date.as_ref().map(|d| d.precision.as_str()), Some("day"));
    assert_eq!(city(&inc[0]), Some("Kandahār"));
    assert_eq!(country(&inc[0]), Some("AF"));
}

#[test]
fn a_trial_report_dates_the_attack_not_the_plea() {
    let text = "A man pleaded guilty on Tuesday to the March 2019 bombing of a mosque in Leeds that wounded four worshippers. \
His sentencing hearing on Friday will decide his term, prosecutors said.";
    let inc = only_incident(text, Some("2024-06-12"), &[("Leeds", "LOC")]);
    assert_eq!(inc[0].kind, "bombing");
    let d = inc[0].date.as_ref().expect("the attack's month");
    assert_eq!((d.quote.text.as_str(), d.value.as_str(), d.precision.as_str()), ("March 2019", "2019-03", "month"));
    assert_eq!(city(&inc[0]), Some("Leeds"));
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
    let line = linked(&doc);
    let inc = incidents(&line);
    assert_eq!(inc.len(), 2, "{inc:#?}");
    let (main, recalled) = (&inc[0], &inc[1]);
    assert_eq!(main.kind, "armed_assault");
    assert_eq!(date(&main), Some("2025-01-04"), "Saturday before Monday 6 January");
    assert_eq!(city(&main), Some("Peshawar"));
    assert_eq!(country(&main), Some("PK"));
    assert_eq!(casualties(main)[0], Some((12, true)));
    assert_eq!(casualties(main)[1].map(|c| c.0), Some(30));
    assert_eq!(main.perpetrator_organizations[0].name, "Tehrik-i-Taliban Pakistan");
    assert_eq!(main.perpetrator_organizations[0].claimed, true);
    assert_eq!(main.perpetrator_individuals[0].count, Some(3));
    assert_eq!(main.perpetrator_individuals[0].nationality.as_deref(), Some("AF"));
    assert_eq!(main.targets[0].text, "a crowded market");
    assert_eq!(recalled.kind, "bombing");
    assert_eq!(date(&recalled), Some("2024-12-28"), "year roll-over");
    assert_eq!(city(&recalled), Some("Quetta"));
    assert_eq!(casualties(recalled)[0].map(|c| c.0), Some(6));
    assert_eq!(recalled.weapons[0].text, "car bomb");
    assert_eq!(cluster_size(&line, "Tehrik-i-Taliban Pakistan"), 2, "TTP is an alias");
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
    let line = linked(&doc);
    let inc = incidents(&line);
    assert_eq!(inc.len(), 2, "{inc:#?}");
    assert_eq!(inc[0].kind, "kidnapping");
    assert_eq!(date(&inc[0]), Some("1989-12-30"));
    assert_eq!(country(&inc[0]), Some("SV"));
    assert_eq!(inc[0].perpetrator_organizations[0].name, "FARABUNDO MARTI NATIONAL LIBERATION FRONT");
    assert_eq!(inc[0].victims[0].text, "ABOUT 50 PEASANTS");
    assert_eq!(date(&inc[1]), Some("1990-01-02"));
    assert_eq!(city(&inc[1]), Some("Usulután"));
    assert_eq!(casualties(&inc[1]).map(|c| c.map(|c| c.0)), [Some(3), Some(7)]);
}

/// The names a tagger should find in the seed article.
pub(crate) const SEED_NAMES: &[(&str, &str)] = &[
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
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus/seed/moscow-attack-dss-2024-03-29.txt")).unwrap();
    let mut doc = document(&text, Some("2024-03-29"), SEED_NAMES);
    link(&mut doc);
    assert_traceable(&doc);
    let line = linked(&doc);
    let inc = incidents(&line);
    println!("{}", serde_json::to_string_pretty(inc).unwrap());
    let main = &inc[0];
    assert_eq!(main.kind, "armed_assault");
    assert_eq!(date(&main), Some("2024-03-22"));
    assert_eq!(city(&main), Some("Moscow"));
    assert_eq!(country(&main), Some("RU"));
    let is = &main.perpetrator_organizations[0];
    assert_eq!((is.name.as_str(), is.claimed), ("Islamic State", true));
    let attackers = &main.perpetrator_individuals[0];
    assert_eq!((attackers.count, attackers.nationality.as_deref()), (Some(4), Some("TJ")));
    assert_eq!(casualties(main), [Some((140, true)), Some((150, true))]);
    assert!(main.targets.iter().any(|t| t.text.starts_with("Crocus City")));
    let find = |day: &str| inc.iter().find(|i| date(i) == Some(day)).unwrap_or_else(|| panic!("no incident on {day}"));
    assert_eq!(city(&find("2024-03-03")), Some("Karabulak"));
    assert_eq!(city(&find("2024-03-07")), Some("Kaluga"));
    assert_eq!(city(&find("2022-08")), Some("Kabul"));
    assert_eq!(find("2022-08").kind, "bombing");
    assert_eq!(city(&find("2022-12")), Some("Kabul"));
    assert!(cluster_size(&line, "Islamic State") >= 10, "IS, IS Khorasan, IS-Khorasan join Islamic State");
}

/// Links `text` (published 2024-05-10) and checks it gets no incident.
fn assert_no_incident(text: &str, names: &[(&str, &str)]) {
    let mut doc = document(text, Some("2024-05-10"), names);
    link(&mut doc);
    let line = linked(&doc);
    assert!(incidents(&line).is_empty(), "{:#?}", incidents(&line));
}

#[test]
fn obituary_and_illness_get_no_incident() {
    let text = "Former senator Maria Lopez, who died in 2013, was remembered on Sunday in Lyon. \
Her husband died of cancer two years later. Eight people have died of the unidentified disease at a hospital in Lyon, the health minister said on Monday. \
Two workers were killed in an accidental explosion at a chemical plant on Tuesday.";
    let names = [("Maria Lopez", "PER"), ("Lyon", "LOC")];
    assert_no_incident(text, &names);
}

#[test]
fn an_arrest_without_the_trigger_names_the_perpetrator() {
    let text = "A bomb exploded at a bus station in Kano on Monday, killing nine people. \
On Wednesday police arrested Musa Bello, a 24-year-old mechanic, in Kaduna. \
Bello was charged with murder, a spokesman, John Okafor, said.";
    let names = [("Kano", "LOC"), ("Musa Bello", "PER"), ("Bello", "PER"), ("Kaduna", "LOC"), ("John Okafor", "PER")];
    let mut doc = document(text, Some("2024-05-10"), &names);
    link(&mut doc);
    let line = linked(&doc);
    let inc = incidents(&line);
    assert_eq!(inc.len(), 1, "{inc:#?}");
    assert_eq!(date(&inc[0]), Some("2024-05-06"), "the arrest's day does not date the bombing");
    let people: Vec<(&str, &str)> = inc[0].perpetrator_individuals.iter().map(|p| (p.quote.text.as_str(), p.status.as_str())).collect();
    assert_eq!(people, [("Musa Bello", "arrested")], "the spokesman is no perpetrator; the strongest status stands");
}

#[test]
fn a_weapon_next_to_a_claim_verb_is_no_claimant() {
    let text = "An IED claimed the lives of four soldiers near Kandahar on Friday. The Taliban claimed responsibility for the attack.";
    let names = [("IED", "ORG"), ("Kandahar", "LOC"), ("Taliban", "ORG")];
    let mut doc = document(text, Some("2024-05-10"), &names);
    link(&mut doc);
    let line = linked(&doc);
    let inc = incidents(&line);
    assert_eq!(inc.len(), 1, "{inc:#?} {:?}", doc.incidents);
    let orgs: Vec<(&str, &str)> = inc[0].perpetrator_organizations.iter().map(|o| (o.name.as_str(), o.status.as_str())).collect();
    assert_eq!(orgs, [("Taliban", "claimed")]);
}

#[test]
fn a_toll_from_an_earlier_event_stays_with_it() {
    let text = "A suicide bomber killed 15 people at a mosque in Kabul. \
It was the deadliest attack in the city since June, when at least 282 people were killed in a blast at a wedding hall. \
The death toll rose to 18 on Saturday, a health official said.";
    let names = [("Kabul", "LOC")];
    let mut doc = document(text, None, &names);
    link(&mut doc);
    let line = linked(&doc);
    let inc = incidents(&line);
    assert_eq!(casualties(&inc[0])[0].map(|c| c.0), Some(18), "{inc:#?}");
    assert!(inc.iter().skip(1).any(|i| casualties(i)[0].map(|c| c.0) == Some(282)), "{inc:#?}");
}

#[test]
fn a_wave_of_attacks_in_several_cities_gives_one_incident_each() {
    let text = "Militants set off bombs in Peshawar on Monday, killing 20 people. \
Hours later a car bomb exploded in Quetta, killing eight. \
A day earlier, gunmen attacked a checkpoint in Lahore, killing three soldiers.";
    let names = [("Peshawar", "LOC"), ("Quetta", "LOC"), ("Lahore", "LOC")];
    let mut doc = document(text, Some("2024-05-14"), &names);
    link(&mut doc);
    let line = linked(&doc);
    let inc = incidents(&line);
    let cities: Vec<Option<&str>> = inc.iter().map(city).collect();
    assert_eq!(cities, [Some("Peshawar"), Some("Quetta"), Some("Lahore")], "{inc:#?}");
    assert_eq!(inc.iter().map(|i| casualties(i)[0].map(|c| c.0)).collect::<Vec<_>>(), [Some(20), Some(8), Some(3)]);
}

#[test]
fn suspects_and_commenting_officials_are_no_victims_and_times_no_targets() {
    let text = "Gunmen attacked a police station in Peshawar on Monday, killing two officers. \
Police detained 34 suspects after the attack on Monday, the governor, Ali Khan, said.";
    let names = [("Peshawar", "LOC"), ("Ali Khan", "PER")];
    let mut doc = document(text, Some("2024-05-08"), &names);
    link(&mut doc);
    let line = linked(&doc);
    let inc = incidents(&line);
    assert_eq!(inc.len(), 1, "{inc:#?}");
    let victims: Vec<&str> = inc[0].victims.iter().map(|v| v.text.as_str()).collect();
    assert_eq!(victims, ["two officers"]);
    let targets: Vec<&str> = inc[0].targets.iter().map(|v| v.text.as_str()).collect();
    assert_eq!(targets, ["a police station"]);
}

#[test]
fn an_article_about_accidental_blasts_gets_no_incident() {
    let text = "Five rebels were killed in two accidental explosions in Nangarhar province on Tuesday, police said. \
Two rebels tried to bury a bomb beside a road to hit army convoys when it went off. \
Rebels have used roadside bombs against the army for years.";
    let names = [("Nangarhar", "LOC")];
    assert_no_incident(text, &names);
}

#[test]
fn members_of_an_earlier_cell_act_where_the_cell_was() {
    let text = "On May 2, police said they had killed four militants who were preparing a bomb attack in Karabulak, in the Ingushetia region. \
Two members of that cell had also shot dead a police officer in June 2023.";
    let names = [("Karabulak", "LOC"), ("Ingushetia", "LOC")];
    let mut doc = document(text, Some("2024-05-10"), &names);
    link(&mut doc);
    let line = linked(&doc);
    let inc = incidents(&line);
    let old = inc.iter().find(|i| date(i) == Some("2023-06")).unwrap_or_else(|| panic!("{inc:#?}"));
    let group: Vec<(&str, Option<u64>)> = old.perpetrator_individuals.iter().map(|p| (p.quote.text.as_str(), p.count)).collect();
    assert_eq!(group, [("Two members of that cell", Some(2))]);
    let loc = old.location.as_ref().expect("the cell's region");
    assert_eq!((loc.city.as_deref(), loc.country.as_deref()), (None, Some("RU")), "the region, not the town: {loc:?}");
    assert!(loc.admin1.as_deref().is_some_and(|a| a.starts_with("Ingush")), "{loc:?}");
}

#[test]
fn a_wire_report_of_a_murder_gets_the_datelines_date_and_country() {
    // After MUC-4 message TST2-MUC4-0012 (public domain): the only trigger
    // is "MURDER", with no date or place of its own.
    let text = "LIMA, 6 SEP 89 (DOMESTIC SERVICE) -- [TEXT] THE SUPREME COURT TODAY ORDERED A SPECIAL JUDGE TO INVESTIGATE THE MURDER OF JECAR NEGHME, SPOKESMAN OF THE MIR.\n\n\
THE JUDGE WILL SEND ALL INFORMATION TO THE FOURTH CRIMINAL COURT.";
    let inc = only_incident(text, None, &[("LIMA", "LOC"), ("JECAR NEGHME", "PER"), ("MIR", "ORG")]);
    assert_eq!(inc[0].kind, "unknown");
    assert_eq!(date(&inc[0]), Some("1989-09-06"));
    assert_eq!(country(&inc[0]), Some("PE"));
    let vague = "LIMA, 6 SEP 89 -- [TEXT] THE MINISTER SPOKE OF A WAVE OF MURDER AND VIOLENCE.";
    let mut doc = document(vague, None, &[("LIMA", "LOC")]);
    link(&mut doc);
    assert!(incidents(&linked(&doc)).is_empty(), "murder with no victim, date or place is no incident");
}

#[test]
fn a_threat_is_dated_by_the_report_not_by_the_day_it_names() {
    // After MUC-4 message TST2-MUC4-0067 (public domain).
    let text = "SAN SALVADOR, 12 MAR 89 (ACAN-EFE) -- [TEXT] SALVADORAN PRESIDENT JOSE NAPOLEON DUARTE TONIGHT CALLED FOR ELECTIONS.\n\n\
IN THE PAST FEW DAYS, THE REBELS HAVE CALLED FOR A TRANSPORTATION STOPPAGE TO BEGIN ON 16 MARCH AND THREATENED TO KILL ELECTION OFFICIALS.";
    let inc = only_incident(text, None, &[("SAN SALVADOR", "LOC"), ("JOSE NAPOLEON DUARTE", "PER")]);
    assert_eq!(inc[0].kind, "plot");
    assert_eq!(date(&inc[0]), Some("1989-03-12"), "16 MARCH is four days ahead, not last year's");
    assert_eq!(country(&inc[0]), Some("SV"));
}

#[test]
fn a_dated_event_after_meanwhile_leaves_the_undated_lead_incident() {
    // After MUC-3 message TST1-MUC3-0082 (public domain): the lead's mine
    // blast has no date of its own; last night's attack is another event.
    let text = "SAN SALVADOR, 28 MAR 89 -- [TEXT] MILITARY AUTHORITIES HAVE REPORTED THAT TWO PEASANTS WERE KILLED WHEN THEY SET OFF A MINE IN MORAZAN DEPARTMENT.\n\n\
IT WAS ALSO REPORTED THAT FOUR TREASURY POLICE OFFICERS WERE WOUNDED LAST NIGHT WHEN URBAN COMMANDOS ATTACKED THEIR POST.";
    let names = [("SAN SALVADOR", "LOC"), ("MORAZAN", "LOC")];
    let mut doc = document(text, None, &names);
    link(&mut doc);
    let line = linked(&doc);
    let inc = incidents(&line);
    assert_eq!(inc.len(), 2, "{inc:#?}");
    assert_eq!(date(&inc[0]), Some("1989-03-28"), "the dateline's day, not last night's");
    assert_eq!(date(&inc[1]), Some("1989-03-27"));
    // without the turn, the undated lead takes the next sentence's date
    let joined = text.replace("IT WAS ALSO REPORTED THAT FOUR", "FOUR");
    let mut doc = document(&joined, None, &names);
    link(&mut doc);
    let line = linked(&doc);
    assert_eq!(incidents(&line).iter().map(date).collect::<Vec<_>>(), [Some("1989-03-27")]);
}

#[test]
fn a_clandestine_station_reports_on_its_own_country_unless_the_places_say_otherwise() {
    // Shaped like the FMLN's radio reports in MUC-3/4: no place of filing,
    // often no date, and a neighbourhood the gazetteer does not know.
    let text = "CLANDESTINE, NO DATE (RADIO VENCEREMOS) -- [COMMUNIQUE] [TEXT] OUR URBAN COMMANDOS BLEW UP AN ELECTRIC POWER PYLON IN LAS BRISAS NEIGHBORHOOD YESTERDAY.";
    let inc = only_incident(text, None, &[("LAS BRISAS", "LOC"), ("RADIO VENCEREMOS", "ORG")]);
    assert_eq!(country(&inc[0]), Some("SV"), "{inc:#?}");
    assert_eq!(city(&inc[0]), None, "the station names a country, never a town");
    // the same station on another country's war: the places outvote it
    let abroad = "CLANDESTINE, 14 MAY 89 (RADIO VENCEREMOS) -- [TEXT] GUATEMALAN GUERRILLAS BLEW UP A BRIDGE IN LAS BRISAS, SAYS A REPORT FROM GUATEMALA. THE GUATEMALAN ARMY DENIED IT.";
    let inc = only_incident(abroad, None, &[("LAS BRISAS", "LOC"), ("GUATEMALAN", "MISC"), ("GUATEMALA", "LOC")]);
    assert_eq!(country(&inc[0]), Some("GT"), "{inc:#?}");
    // an unknown station gives nothing to fall back on
    let unknown = "CLANDESTINE, NO DATE (RADIO LIBERTAD) -- [TEXT] OUR URBAN COMMANDOS BLEW UP AN ELECTRIC POWER PYLON IN LAS BRISAS NEIGHBORHOOD YESTERDAY.";
    let inc = only_incident(unknown, None, &[("LAS BRISAS", "LOC")]);
    assert_eq!(country(&inc[0]), None, "{inc:#?}");
}

#[test]
fn acts_spoken_of_in_general_are_no_incident() {
    let text = "The region is poor and remote. Organised crime is said to flourish there, and kidnappings and violence are commonplace. \
Attacks on aid convoys are frequent in the hills.";
    assert_no_incident(text, &[]);
    // a particular act beside the general one still is one
    let text = "Kidnappings are common in the province, and on Monday gunmen kidnapped three aid workers near Kandahar.";
    let inc = only_incident(text, Some("2024-05-10"), &[("Kandahar", "LOC")]);
    assert_eq!(inc[0].kind, "kidnapping");
    assert_eq!(date(&inc[0]), Some("2024-05-06"));
    let text = "The two bombings in Kandahar are frequently cited by officials.";
    let inc = only_incident(text, Some("2024-05-10"), &[("Kandahar", "LOC")]);
    assert_eq!(country(&inc[0]), Some("AF"), "particular acts, though the sentence says 'frequently'");
}

#[test]
fn a_venue_named_before_the_act_is_no_perpetrator() {
    let text = "The Cafe Roma bombing killed nine people in Madrid on Monday. A day earlier, the Hotel Sol attack had wounded two guards. \
The ETA bombing of a police station in Bilbao followed on Tuesday.";
    let names = [("Cafe Roma", "ORG"), ("Hotel Sol", "ORG"), ("ETA", "ORG"), ("Madrid", "LOC"), ("Bilbao", "LOC")];
    let mut doc = document(text, Some("2024-05-10"), &names);
    link(&mut doc);
    let line = linked(&doc);
    let perpetrators: Vec<&str> = incidents(&line).iter().flat_map(|i| i.perpetrator_organizations.iter().map(|o| o.name.as_str())).collect();
    assert_eq!(perpetrators, ["ETA"], "{:#?}", incidents(&line));
}

fn location(i: &Incident) -> Option<&str> {
    i.location.as_ref().map(|p| p.quote.text.as_str())
}

#[test]
fn a_wave_listed_part_by_part_gives_one_incident_per_site() {
    let text = "Two car bombs went off in the town centre on Friday, one at the Market Street bus station, the other outside shops in Hill Road. \
At Market Street, four people were killed. At the Hill Road bomb, two women died.";
    let names = [("Market Street", "LOC"), ("Hill Road", "LOC"), ("Market Street", "LOC"), ("Hill Road", "LOC")];
    let mut doc = document(text, Some("2024-05-13"), &names);
    link(&mut doc);
    assert_traceable(&doc);
    let line = linked(&doc);
    let inc = incidents(&line);
    let sites: Vec<Option<&str>> = inc.iter().map(location).collect();
    assert_eq!(sites, [Some("Market Street bus station"), Some("Hill Road")], "{inc:#?}");
    // each later report goes back to its own part
    assert_eq!(inc.iter().map(|i| casualties(i)[0].map(|c| c.0)).collect::<Vec<_>>(), [Some(4), Some(2)]);
    assert!(inc.iter().all(|i| date(i) == Some("2024-05-10")), "{inc:#?}");
}

#[test]
fn sites_joined_by_and_are_parts_only_when_the_text_counts_them() {
    let text = "The two explosions at King Street and the Dock Road came minutes apart on Monday.";
    let names = [("King Street", "LOC"), ("Dock Road", "LOC")];
    let mut doc = document(text, Some("2024-05-14"), &names);
    link(&mut doc);
    let line = linked(&doc);
    let sites: Vec<Option<&str>> = incidents(&line).iter().map(location).collect();
    assert_eq!(sites, [Some("King Street"), Some("Dock Road")]);
    // a tally over a whole sea is no list of parts
    let text = "Somali pirates hijacked a tanker on Monday. They have carried out some 100 attacks in the Gulf of Aden and the Indian Ocean this year.";
    let names = [("Gulf of Aden", "LOC"), ("Indian Ocean", "LOC")];
    let mut doc = document(text, Some("2024-05-14"), &names);
    link(&mut doc);
    let line = linked(&doc);
    assert!(incidents(&line).iter().all(|i| location(i) != Some("Indian Ocean")), "{:#?}", incidents(&line));
}

#[test]
fn a_place_in_a_clause_timed_by_the_attack_is_not_its_scene() {
    let text = "A bomb exploded at a market in Kabul on Monday, killing five people. \
Hours after the bombing, police patrols were seen in Herat.";
    let inc = only_incident(text, Some("2024-05-14"), &[("Kabul", "LOC"), ("Herat", "LOC")]);
    assert_eq!(city(&inc[0]), Some("Kabul"));
    // still the scene when the act's own phrase names it
    let text = "Police arrested a man after the shooting at Tallgrass Ltd., a store in Vancouver, on Monday.";
    let inc = only_incident(text, Some("2024-05-14"), &[("Tallgrass Ltd.", "ORG"), ("Vancouver", "LOC")]);
    assert_eq!(city(&inc[0]), Some("Vancouver"), "{inc:#?}");
    // wire copy without the comma, the adjunct fronted
    let text = "GUNMEN KILLED A JUDGE IN BOGOTA TODAY. THE MINISTER SAID THAT MINUTES AFTER THE KILLING THE POLICE INTERCEPTED A CALL IN MEDELLIN.";
    let inc = only_incident(text, Some("1990-03-22"), &[("BOGOTA", "LOC"), ("MEDELLIN", "LOC")]);
    assert_eq!(city(&inc[0]), Some("Bogotá"), "{inc:#?}");
}

#[test]
fn the_scene_is_cited_where_the_text_names_it_not_where_it_names_the_target() {
    // no publication date: the bombing's date comes only from its own
    // sentence, far from the first mention, after a "p.m." that ends one
    let text = "A witness identified the man who rented the van used in the bombing of the Oklahoma City federal building. \
The van left the garage around 4:30 p.m. The federal building in Oklahoma City was destroyed by an explosion at 9:02 a.m. on April 19, 1995, killing 168 people.";
    let inc = only_incident(text, None, &[("Oklahoma City", "LOC")]);
    assert_eq!(date(&inc[0]), Some("1995-04-19"));
    let loc = inc[0].location.as_ref().expect("a location");
    assert_eq!((loc.quote.text.as_str(), loc.quote.start), ("Oklahoma City", text.rfind("Oklahoma City").unwrap()));
}

#[test]
fn a_street_after_on_is_the_scene() {
    let text = "An explosion targeted a bakery on the central street Rue Victor Hugo in Lyon on Friday, injuring 13 people. \
France has been on high alert since attacks in Paris.";
    let mut doc = document(text, Some("2019-05-25"), &[("Rue Victor Hugo", "LOC"), ("Lyon", "LOC"), ("France", "LOC"), ("Paris", "LOC")]);
    crate::geo::resolve(&mut doc);
    link(&mut doc);
    let inc = incidents(&linked(&doc)).to_vec();
    assert_eq!(inc.len(), 1, "{inc:#?}");
    let loc = inc[0].location.as_ref().expect("a location");
    assert_eq!(loc.quote.text, "Rue Victor Hugo");
    assert_eq!(city(&inc[0]), Some("Lyon"));
}

#[test]
fn an_undatable_month_is_another_time_than_the_news() {
    // no publication date, no dateline: "In April" cannot be dated, yet it
    // is not this week's bombing, and its toll is not that bombing's
    let text = "A roadside bomb killed a Russian general near the city of Deir ez-Zor this week. \
Three other soldiers were wounded in the blast. \
In April, more than two dozen fighters were killed in IS attacks in Badia al-Sukhnah and Badia al-Sham.";
    let mut doc = document(text, None, &[("Deir ez-Zor", "LOC"), ("IS", "ORG"), ("Badia al-Sukhnah", "MISC"), ("Badia al-Sham", "MISC")]);
    link(&mut doc);
    assert_traceable(&doc);
    let inc = incidents(&linked(&doc)).to_vec();
    assert_eq!(inc.len(), 2, "{inc:#?}");
    assert_eq!(casualties(&inc[0]), [None, Some((3, false))]);
    assert_eq!(casualties(&inc[1])[0], Some((24, true)));
    // the tagger's MISC right after "attacks in" is the scene
    assert_eq!(inc[1].location.as_ref().map(|l| l.quote.text.as_str()), Some("Badia al-Sukhnah"));
    // the same month again is the same event
    let text = "In April, gunmen killed two guards at a depot in Homs. In April, the gunmen also burned the depot.";
    let mut doc = document(text, None, &[("Homs", "LOC")]);
    link(&mut doc);
    assert_eq!(incidents(&linked(&doc)).len(), 1);
}

#[test]
fn a_misc_name_after_an_attack_word_is_a_scene_only_when_it_names_no_people_or_event() {
    for (text, misc) in [
        ("Two soldiers were killed in attacks in World War II veterans' towns.", "World War II"),
        ("Two soldiers were killed in attacks near Kurdish villages.", "Kurdish"),
        ("Three people were shot in an office shooting in Suburban Detroit.", "Suburban"),
    ] {
        let mut doc = document(text, Some("2024-05-10"), &[(misc, "MISC")]);
        link(&mut doc);
        let inc = incidents(&linked(&doc)).to_vec();
        assert!(inc.iter().all(|i| i.location.as_ref().is_none_or(|l| l.quote.text != misc)), "{inc:#?}");
    }
}

#[test]
fn a_wave_summed_up_by_its_town_still_lists_each_part() {
    let text = "Bombers set off 20 bombs in Belfast on Friday. \
Two of the bombs killed nine people - one at the Oxford Street bus station, the other outside shops in Cavehill Road.";
    let names = [("Belfast", "LOC"), ("Oxford Street", "LOC"), ("Cavehill Road", "LOC")];
    let mut doc = document(text, Some("2024-05-13"), &names);
    link(&mut doc);
    assert_traceable(&doc);
    let line = linked(&doc);
    let sites: Vec<Option<&str>> = incidents(&line).iter().map(location).collect();
    assert_eq!(sites, [Some("Belfast"), Some("Oxford Street bus station"), Some("Cavehill Road")], "{:#?}", incidents(&line));
}

#[test]
fn a_place_noun_stands_for_the_place_named_before_it() {
    let text = "Dagestan is a mostly Muslim republic in Russia's North Caucasus. \
The republic has seen numerous bombings targeted at soldiers stationed in the republic.";
    let mut doc = document(text, None, &[("Dagestan", "LOC"), ("Russia", "LOC"), ("North Caucasus", "LOC")]);
    crate::geo::resolve(&mut doc);
    link(&mut doc);
    assert_traceable(&doc);
    let inc = incidents(&linked(&doc)).to_vec();
    assert_eq!(inc.len(), 1, "{inc:#?}");
    let loc = inc[0].location.as_ref().expect("a location");
    assert_eq!((loc.quote.text.as_str(), loc.quote.start), ("the republic", text.rfind("the republic").unwrap()));
    assert_eq!(loc.refers_to.as_ref().map(|q| q.text.as_str()), Some("Dagestan"));
    assert_eq!(loc.country.as_deref(), Some("RU"));
    assert!(loc.lat.is_some() && loc.admin1.is_some(), "{loc:#?}");
    // a name of that kind must come first, and "the city council" is no place
    for text in ["Gunmen attacked soldiers stationed in the city on Friday.", "Lyon voted. Gunmen attacked a meeting in the city council on Friday."] {
        let mut doc = document(text, Some("2024-05-10"), &[("Lyon", "LOC")]);
        crate::geo::resolve(&mut doc);
        link(&mut doc);
        let inc = incidents(&linked(&doc)).to_vec();
        assert!(inc.iter().all(|i| i.location.as_ref().is_none_or(|l| l.refers_to.is_none())), "{inc:#?}");
    }
}

#[test]
fn another_kind_of_act_with_its_own_place_does_not_take_over_a_placeless_one() {
    let text = "A former employee opened fire at an office party yesterday, killing one person. \
One man was shot and killed but the other guests escaped. \
State police say a bomb exploded at an Oregon bank and a bomb technician was injured.";
    let mut doc = document(text, Some("2008-12-13"), &[("Oregon", "LOC")]);
    link(&mut doc);
    assert_traceable(&doc);
    let inc = incidents(&linked(&doc)).to_vec();
    let kinds: Vec<&str> = inc.iter().map(|i| i.kind.as_str()).collect();
    assert_eq!(kinds, ["armed_assault", "bombing"], "{inc:#?}");
    assert!(inc[0].location.is_none(), "{inc:#?}");
    assert_eq!(inc[1].location.as_ref().map(|l| l.quote.text.as_str()), Some("Oregon bank"));
    assert_eq!(casualties(&inc[0]), [Some((1, false)), None]);
    // the same act named again beside the other kind is the same incident
    let text = "ON 31 JANUARY TROOPS MURDERED FIVE PEASANTS. THE TROOPS FAKED A CLASH AT HORCONES CANTON TO MURDER THOSE PEASANTS.";
    let inc = only_incident(text, Some("1989-02-07"), &[("HORCONES CANTON", "LOC")]);
    assert_eq!(inc[0].location.as_ref().map(|l| l.quote.text.as_str()), Some("HORCONES CANTON"));
}

#[test]
fn a_when_clause_after_a_time_is_its_own_incident_even_without_a_trigger_before_it() {
    let text = "A roadside bomb killed a Russian general in Deir ez-Zor province on Monday. \
It was the first reported death of a Russian general in Syria since 2017, when a lieutenant general was killed in the same province.";
    let mut doc = document(text, Some("2024-02-14"), &[("Deir ez-Zor", "LOC"), ("Syria", "LOC")]);
    crate::geo::resolve(&mut doc);
    link(&mut doc);
    assert_traceable(&doc);
    let inc = incidents(&linked(&doc)).to_vec();
    let victims = |i: &Incident| i.victims.iter().map(|v| v.text.clone()).collect::<Vec<_>>();
    assert_eq!(inc.len(), 2, "{inc:#?}");
    assert!(!victims(&inc[0]).contains(&"a lieutenant general".to_string()), "{inc:#?}");
    assert_eq!(victims(&inc[1]), ["a lieutenant general"]);
    assert_eq!(date(&inc[0]), Some("2024-02-12"));
    assert_eq!(date(&inc[1]), None, "2017 bounds a span; it is not the day");
    let loc = inc[1].location.as_ref().expect("a location");
    assert_eq!((loc.quote.text.as_str(), loc.refers_to.as_ref().map(|q| q.text.as_str())), ("the same province", Some("Deir ez-Zor")));
    // after a date, not a bound, the clause keeps that date
    let text = "HE SAID: ON SATURDAY, 7 JANUARY, WHEN THE MAYOR WAS KILLED, I WAS AT HOME.";
    let inc = only_incident(text, Some("1989-02-06"), &[]);
    assert_eq!(date(&inc[0]), Some("1989-01-07"));
}
