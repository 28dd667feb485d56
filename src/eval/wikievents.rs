//! Incident records scored against WikiEvents attack-event arguments: the
//! figures `../shared/tools/incidents_wikievents.py` prints, byte for byte
//! (its docstring explains the gold mapping and the matching; in short:)
//!
//! - Gold: the arguments of `Conflict.Attack.*` events, and of `Life.Die` /
//!   `Life.Injure` events in documents that hold an attack (less death
//!   sentences and suicides), mapped to perpetrator, target, victim, weapon
//!   and place.
//! - Predicted: the union over a document's incidents of their slots (which
//!   slots: [`Slots`]), so splitting or merging incidents does not move the
//!   argument figures; it shows in the incident-level figures.
//! - Matching: sets of (role, head token) per document ([`super::heads`]),
//!   or (role, coreference cluster) where a predicted head may hit any
//!   mention of the cluster; roles strict, with target and victim merged
//!   ("harm"), and role-agnostic (argument identification).
//!
//! One deliberate difference: when one gold trigger is covered by
//! incidents of several types not seen before for its event type, the
//! script counts those types in set order (which varies with Python's hash
//! seed); here they are counted in report order.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

use serde_json::{json, Map, Value};

use super::heads::{same_letter, Heads};
use super::py;
use crate::corpus::input::read_json_lines;
use crate::corpus::wikievents::{read_folder, Document, Event, SPLITS};
use crate::error::{Error, Result};
use crate::output::{Incident, Line};

/// Which predicted slots are scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Slots {
    /// The incidents' rule-based slots: perpetrator organizations and
    /// individuals and claimants → perpetrator; targets, victims, weapons;
    /// location → place.
    Linker,
    /// The linker's slots plus the incidents' role-model fillers (`extract --roles`).
    Union,
    /// Only the incidents' role-model fillers (plus location → place).
    Roles,
    /// The line-level role-model fillers plus the incidents' locations: context only.
    Docroles,
}

/// Which gold documents are scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Split {
    Train,
    Dev,
    Test,
    All,
}

impl Slots {
    fn name(self) -> &'static str {
        match self {
            Slots::Linker => "linker",
            Slots::Union => "union",
            Slots::Roles => "roles",
            Slots::Docroles => "docroles",
        }
    }
}

impl Split {
    fn name(self) -> &'static str {
        match self {
            Split::Train => "train",
            Split::Dev => "dev",
            Split::Test => "test",
            Split::All => "all",
        }
    }
}

const ROLES: [&str; 5] = ["perpetrator", "target", "victim", "weapon", "place"];
const ATTACK: &str = "Conflict.Attack";
const MATCHES: [&str; 2] = ["head", "coref"];
const SCHEMES: [&str; 3] = ["strict", "harm", "arg-I"];

/// The scored role of a gold argument of an event family.
fn gold_role(family: &str, role: &str) -> Option<&'static str> {
    Some(match (family, role) {
        (ATTACK, "Attacker") | ("Life.Die", "Killer") | ("Life.Injure", "Injurer") => "perpetrator",
        (ATTACK, "Target") => "target",
        ("Life.Die" | "Life.Injure", "Victim") => "victim",
        (ATTACK | "Life.Die" | "Life.Injure", "Instrument") | (ATTACK, "ExplosiveDevice") => "weapon",
        (ATTACK | "Life.Die" | "Life.Injure", "Place") => "place",
        _ => return None,
    })
}

/// The scored role of a role-model filler (`PerpInd`, `Target`, …).
fn model_role(role: &str) -> Option<&'static str> {
    Some(match role {
        "PerpInd" | "PerpOrg" => "perpetrator",
        "Target" => "target",
        "Victim" => "victim",
        "Weapon" => "weapon",
        _ => return None,
    })
}

/// The newsner incident types that agree with a gold attack type; None when
/// there is no obvious mapping.
fn agreeing_types(event_type: &str) -> Option<&'static [&'static str]> {
    (event_type == "Conflict.Attack.DetonateExplode").then_some(&["bombing"])
}

fn role_key(role: &'static str, scheme: &str) -> &'static str {
    match scheme {
        "strict" => role,
        "harm" if role == "target" || role == "victim" => "harm",
        "harm" => role,
        _ => "arg",
    }
}

fn role_rank(role: &str) -> usize {
    ROLES.iter().chain(&["harm", "arg"]).position(|r| *r == role).unwrap_or(usize::MAX)
}

/// One gold document ready for scoring: heads, coreference and the
/// included events with their mapped arguments.
struct Gold<'a> {
    doc: &'a Document,
    heads: Heads,
    /// Entity id → coreference cluster (`c<n>`, or `e:<id>` for a singleton).
    cluster_of: HashMap<&'a str, String>,
    /// Head token → the clusters with a mention headed by it.
    head_clusters: HashMap<usize, BTreeSet<String>>,
    has_attack: bool,
    /// Included events and their families (`Conflict.Attack`, `Life.Die`, `Life.Injure`).
    events: Vec<(&'a Event, &'a str)>,
    /// (role, entity id, head token) of the included events' mapped arguments.
    items: Vec<(&'static str, &'a str, Option<usize>)>,
}

impl<'a> Gold<'a> {
    fn new(doc: &'a Document) -> Gold<'a> {
        let heads = Heads::new(&doc.text);
        let mut cluster_of: HashMap<&str, String> = HashMap::new();
        for (ci, cluster) in doc.coref.iter().enumerate() {
            for eid in cluster {
                cluster_of.insert(eid, format!("c{ci}"));
            }
        }
        for eid in doc.entities.keys() {
            cluster_of.entry(eid).or_insert_with(|| format!("e:{eid}"));
        }
        let mut head_clusters: HashMap<usize, BTreeSet<String>> = HashMap::new();
        for (eid, span) in &doc.entities {
            if let Some(h) = heads.head(span.start, span.end) {
                head_clusters.entry(h).or_default().insert(cluster_of[eid.as_str()].clone());
            }
        }
        let (has_attack, events) = included_events(doc);
        let mut items = Vec::new();
        for (e, family) in &events {
            for a in &e.arguments {
                let (Some(role), Some(span)) = (gold_role(family, &a.role), doc.entities.get(&a.entity_id)) else { continue };
                items.push((role, a.entity_id.as_str(), heads.head(span.start, span.end)));
            }
        }
        Gold { doc, heads, cluster_of, head_clusters, has_attack, events, items }
    }
}

/// Whether the document holds an attack, and its included events: every
/// attack, and deaths and injuries when there is an attack, less judicial
/// death sentences and suicides.
fn included_events(doc: &Document) -> (bool, Vec<(&Event, &str)>) {
    let has_attack = doc.events.iter().any(|e| e.event_type.starts_with("Conflict.Attack."));
    let mut out = Vec::new();
    for e in &doc.events {
        let family = match e.event_type.match_indices('.').nth(1) {
            Some((i, _)) => &e.event_type[..i],
            None => e.event_type.as_str(),
        };
        if family == ATTACK {
            out.push((e, family));
        } else if (family == "Life.Die" || family == "Life.Injure") && has_attack {
            let trigger = e.trigger.text.to_lowercase();
            if trigger == "suicide" || (trigger == "death" && mentions_sentencing(&doc.sentences[e.trigger.sentence])) {
                continue;
            }
            out.push((e, family));
        }
    }
    (has_attack, out)
}

/// `re.search(r'\bsentenc', s, re.I)`.
fn mentions_sentencing(s: &str) -> bool {
    let chars: Vec<char> = s.chars().collect();
    (0..chars.len()).any(|i| {
        (i == 0 || !py::is_word(chars[i - 1]))
            && chars.len() - i >= 7
            && chars[i..i + 7].iter().zip("sentenc".chars()).all(|(c, w)| same_letter(*c, w))
    })
}

/// (role, start, end, text) of the predicted items of one line.
fn pred_spans(line: &Line, slots: Slots) -> std::result::Result<Vec<(&'static str, usize, usize, &str)>, String> {
    let mut out = Vec::new();
    let model = |role: &str| model_role(role).ok_or_else(|| format!("{}: unknown role-model role {role:?}", line.id));
    for inc in line.incidents.iter().flatten() {
        if matches!(slots, Slots::Linker | Slots::Union) {
            let quotes = inc.perpetrator_organizations.iter().map(|o| ("perpetrator", &o.quote));
            let quotes = quotes.chain(inc.perpetrator_individuals.iter().map(|o| ("perpetrator", &o.quote)));
            let quotes = quotes.chain(inc.claimed_by.iter().map(|o| ("perpetrator", &o.quote)));
            let quotes = quotes.chain(inc.targets.iter().map(|q| ("target", q)));
            let quotes = quotes.chain(inc.victims.iter().map(|q| ("victim", q)));
            let quotes = quotes.chain(inc.weapons.iter().map(|q| ("weapon", q)));
            out.extend(quotes.map(|(r, q)| (r, q.start, q.end, q.text.as_str())));
        }
        if matches!(slots, Slots::Union | Slots::Roles) {
            for f in inc.roles.iter().flatten() {
                out.push((model(&f.role)?, f.start, f.end, f.text.as_str()));
            }
        }
        if let Some(loc) = &inc.location {
            out.push(("place", loc.quote.start, loc.quote.end, loc.quote.text.as_str()));
        }
    }
    if slots == Slots::Docroles {
        for f in line.roles.iter().flatten() {
            out.push((model(&f.role)?, f.start, f.end, f.text.as_str()));
        }
    }
    Ok(out)
}

/// True positives, predicted and gold items.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub tp: u64,
    pub pred: u64,
    pub gold: u64,
}

impl Counts {
    fn add(&mut self, o: Counts) {
        self.tp += o.tp;
        self.pred += o.pred;
        self.gold += o.gold;
    }

    /// Precision, recall and F1 as fractions, computed as the script does.
    pub fn prf(&self) -> (f64, f64, f64) {
        let p = if self.pred > 0 { self.tp as f64 / self.pred as f64 } else { 0.0 };
        let r = if self.gold > 0 { self.tp as f64 / self.gold as f64 } else { 0.0 };
        let f = if p + r != 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
        (p, r, f)
    }
}

/// Per-role counts of one document under one matching and role scheme.
fn score_doc(g: &Gold, spans: &[(&'static str, usize, usize, &str)], coref: bool, scheme: &str) -> HashMap<&'static str, Counts> {
    let mut gold: HashSet<(&'static str, String)> = HashSet::new();
    for &(role, eid, h) in &g.items {
        let Some(h) = h else { continue };
        let r = role_key(role, scheme);
        gold.insert((r, if coref { g.cluster_of[eid].clone() } else { format!("h{h}") }));
    }
    let mut pred: HashSet<(&'static str, String)> = HashSet::new();
    for &(role, s, t, _) in spans {
        let Some(h) = g.heads.head(s, t) else { continue };
        let r = role_key(role, scheme);
        if !coref {
            pred.insert((r, format!("h{h}")));
            continue;
        }
        let candidates = g.head_clusters.get(&h);
        let mut candidates = candidates.into_iter().flatten();
        let hit = candidates.clone().find(|c| gold.contains(&(r, c.to_string())));
        pred.insert((r, hit.or_else(|| candidates.next()).cloned().unwrap_or_else(|| format!("h{h}"))));
    }
    let mut counts: HashMap<&'static str, Counts> = HashMap::new();
    for (r, _) in &gold {
        counts.entry(r).or_default().gold += 1;
    }
    for k in &pred {
        let c = counts.entry(k.0).or_default();
        c.pred += 1;
        c.tp += u64::from(gold.contains(k));
    }
    counts
}

/// One table of the report: per-role counts (roles in the script's order)
/// and their micro sum last, as `micro`.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// `head` or `coref`.
    pub matching: &'static str,
    /// `strict`, `harm` or `arg-I`.
    pub scheme: &'static str,
    pub rows: Vec<(&'static str, Counts)>,
}

impl Table {
    pub fn row(&self, name: &str) -> Counts {
        self.rows.iter().find(|(r, _)| *r == name).map(|(_, c)| *c).unwrap_or_default()
    }
}

/// Counters in the order they were first touched: the script's `Counter`
/// as `dict(...)` writes it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally(Vec<(String, i64)>);

impl Tally {
    fn add(&mut self, key: &str, n: i64) {
        match self.0.iter_mut().find(|(k, _)| k == key) {
            Some((_, v)) => *v += n,
            None => self.0.push((key.to_string(), n)),
        }
    }

    pub fn get(&self, key: &str) -> i64 {
        self.0.iter().find(|(k, _)| k == key).map_or(0, |(_, v)| *v)
    }

    pub fn entries(&self) -> &[(String, i64)] {
        &self.0
    }

    /// `Counter.most_common()`: by count, ties in first-touched order.
    fn most_common(&self) -> Vec<(String, i64)> {
        let mut v = self.0.clone();
        v.sort_by(|a, b| b.1.cmp(&a.1));
        v
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PerDoc {
    pub id: String,
    pub gold_attack_events: usize,
    pub incidents: usize,
    pub types: Vec<String>,
}

/// Everything the script prints and writes.
#[derive(Debug, Clone, PartialEq)]
pub struct WikiEventsScores {
    pub split: Split,
    pub slots: Slots,
    pub documents: usize,
    /// `head` then `coref`, each `strict`, `harm`, `arg-I`.
    pub tables: Vec<Table>,
    /// Incident-level counters (attack documents with an incident, false incidents, …).
    pub incidents: Tally,
    /// Per gold attack type, the types of the incidents covering its triggers.
    pub type_mix: Vec<(String, Tally)>,
    pub per_doc: Vec<PerDoc>,
    /// Lines with errors (scored all the same), one message each.
    pub warnings: Vec<String>,
}

/// Predicted lines by id (a later line of the same id replaces an earlier one).
fn read_predictions(path: &Path) -> Result<HashMap<String, Line>> {
    Ok(read_json_lines::<Line>(path)?.into_iter().map(|(_, l)| (l.id.clone(), l)).collect())
}

/// The gold documents that have predictions, in gold order, and the
/// predictions, checked as the script checks them.
fn load(gold_dir: &Path, pred: &Path, slots: Slots, split: Split) -> Result<(Vec<Document>, HashMap<String, Line>, Vec<String>)> {
    let mut docs = read_folder(gold_dir)?;
    let preds = read_predictions(pred)?;
    if slots != Slots::Linker && !preds.values().any(|l| l.roles.is_some()) {
        return Err(Error::Usage(format!("--slots {} needs extract --roles output", slots.name())));
    }
    docs.retain(|d| split == Split::All || d.split == split.name());
    let in_split = docs.len();
    docs.retain(|d| preds.contains_key(&d.id));
    if in_split == 0 {
        let splits = match split {
            Split::All => SPLITS.map(|s| format!("{s}.jsonl")).join(" or "),
            one => format!("{}.jsonl", one.name()),
        };
        return Err(Error::Usage(format!("{}: no WikiEvents documents ({splits}) to score against; is it the gold folder?", gold_dir.display())));
    }
    super::ensure_scorable(gold_dir, in_split, Some((pred, docs.len())))?;
    let mut warnings = Vec::new();
    for d in &docs {
        let line = &preds[&d.id];
        if !line.errors.is_empty() {
            warnings.push(format!("{} has errors {}", d.id, serde_json::to_string(&line.errors).unwrap_or_default()));
        }
        for inc in line.incidents.iter().flatten() {
            if let Some(loc) = &inc.location {
                if cp_slice(&d.text, loc.quote.start, loc.quote.end) != loc.quote.text {
                    return Err(Error::Usage(format!(
                        "{}: {}: offsets do not match the gold text (different input text?)",
                        pred.display(),
                        d.id
                    )));
                }
            }
        }
    }
    Ok((docs, preds, warnings))
}

/// Scores `pred` (annotated lines of `newsner extract` over the plain
/// texts) against the WikiEvents folder `gold_dir`.
pub fn score_files(gold_dir: &Path, pred: &Path, slots: Slots, split: Split) -> Result<WikiEventsScores> {
    let (docs, preds, warnings) = load(gold_dir, pred, slots, split)?;
    let golds: Vec<Gold> = docs.iter().map(Gold::new).collect();
    let mut spans = Vec::with_capacity(golds.len());
    for g in &golds {
        spans.push(pred_spans(&preds[&g.doc.id], slots).map_err(|m| Error::Usage(format!("{}: {m}", pred.display())))?);
    }
    let mut tables = Vec::new();
    for matching in MATCHES {
        for scheme in SCHEMES {
            let mut total: HashMap<&'static str, Counts> = HashMap::new();
            for (g, s) in golds.iter().zip(&spans) {
                for (r, c) in score_doc(g, s, matching == "coref", scheme) {
                    total.entry(r).or_default().add(c);
                }
            }
            let mut rows: Vec<(&'static str, Counts)> = total.into_iter().collect();
            rows.sort_by_key(|(r, _)| role_rank(r));
            let mut micro = Counts::default();
            rows.iter().for_each(|(_, c)| micro.add(*c));
            rows.push(("micro", micro));
            tables.push(Table { matching, scheme, rows });
        }
    }
    let (incidents, type_mix, per_doc) = incident_stats(&golds, &preds);
    Ok(WikiEventsScores { split, slots, documents: docs.len(), tables, incidents, type_mix, per_doc, warnings })
}

/// The script's `--explain DOC_ID`: one scored document's gold items
/// (role, mention, head token, cluster) and predicted items (role, quote,
/// head token, whether a gold item of that role has the head, the gold
/// clusters with that head). Gold items of one role and head are listed in
/// entity-id order (the script lists them in set order). A span without a
/// head shows `head=None@None` (the script stops there).
pub fn explain(gold_dir: &Path, pred: &Path, slots: Slots, split: Split, doc_id: &str) -> Result<String> {
    let (docs, preds, _) = load(gold_dir, pred, slots, split)?;
    let doc = docs.iter().find(|d| d.id == doc_id).ok_or_else(|| {
        Error::Usage(format!("{doc_id:?} is not among the {} documents of {} that {} has lines for", docs.len(), gold_dir.display(), pred.display()))
    })?;
    let g = Gold::new(doc);
    let head = |h: Option<usize>| h.map_or("None@None".to_string(), |h| format!("{}@{h}", py::str_repr(&g.heads.token(h))));
    let mut o = String::from("gold items (role, mention, head token, coref cluster)\n");
    let mut items = g.items.clone();
    items.sort_by(|a, b| (a.0, a.2.unwrap_or(0), a.1).cmp(&(b.0, b.2.unwrap_or(0), b.1)));
    items.dedup();
    for (r, eid, h) in &items {
        let span = doc.entities[*eid];
        let mention = py::str_repr(&cp_slice(&doc.text, span.start, span.end));
        o += &format!("  {r:12} {mention:40} head={} cluster={}\n", head(*h), g.cluster_of[eid]);
    }
    o += "predicted items (role, quote, head token, gold clusters with that head; HIT = head match)\n";
    let spans = pred_spans(&preds[doc_id], slots).map_err(|m| Error::Usage(format!("{}: {m}", pred.display())))?;
    for (r, s, t, text) in spans {
        let h = g.heads.head(s, t);
        let hit = if g.items.iter().any(|(gr, _, gh)| *gr == r && *gh == h) { "HIT" } else { "" };
        let clusters: Vec<String> = h.and_then(|h| g.head_clusters.get(&h)).into_iter().flatten().map(|c| py::str_repr(c)).collect();
        o += &format!("  {r:12} {:40} head={} {hit:3} [{}]\n", py::str_repr(text), head(h), clusters.join(", "));
    }
    Ok(o)
}

fn in_evidence(inc: &Incident, a: usize, b: usize) -> bool {
    inc.evidence.iter().any(|ev| ev.start <= a && b <= ev.end)
}

/// Code points covered by at least one of the ranges.
fn covered(mut ranges: Vec<(usize, usize)>) -> usize {
    ranges.sort_unstable();
    let (mut total, mut reach) = (0, 0);
    for (a, b) in ranges {
        let a = a.max(reach);
        if b > a {
            total += b - a;
            reach = b;
        }
    }
    total
}

fn incident_stats(golds: &[Gold], preds: &HashMap<String, Line>) -> (Tally, Vec<(String, Tally)>, Vec<PerDoc>) {
    let mut st = Tally::default();
    let mut mix: Vec<(String, Tally)> = Vec::new();
    let mut per_doc = Vec::new();
    for g in golds {
        let incs: &[Incident] = preds[&g.doc.id].incidents.as_deref().unwrap_or_default();
        let n = incs.len() as i64;
        let attacks = g.events.iter().filter(|(_, f)| *f == ATTACK).count();
        per_doc.push(PerDoc { id: g.doc.id.clone(), gold_attack_events: attacks, incidents: incs.len(), types: incs.iter().map(|i| i.kind.clone()).collect() });
        if g.has_attack {
            st.add("attack_docs", 1);
            st.add("attack_docs_with_incident", i64::from(n > 0));
            st.add("incidents_in_attack_docs", n);
        } else {
            st.add("nonattack_docs", 1);
            st.add("nonattack_docs_with_incident", i64::from(n > 0));
            st.add("false_incidents", n);
        }
        let triggers: Vec<(&Event, &str, usize, usize)> = g.events.iter().map(|(e, f)| (*e, *f, e.trigger.span.start, e.trigger.span.end)).collect();
        for &(e, family, a, b) in &triggers {
            if family != ATTACK {
                continue;
            }
            let et = &e.event_type;
            st.add(&format!("attack_events:{et}"), 1);
            let cov: Vec<&Incident> = incs.iter().filter(|i| in_evidence(i, a, b)).collect();
            if cov.is_empty() {
                continue;
            }
            st.add(&format!("covered:{et}"), 1);
            let mut types: Vec<&str> = Vec::new();
            for i in &cov {
                if !types.contains(&i.kind.as_str()) {
                    types.push(&i.kind);
                }
            }
            let at = match mix.iter().position(|(k, _)| k == et) {
                Some(at) => at,
                None => {
                    mix.push((et.clone(), Tally::default()));
                    mix.len() - 1
                }
            };
            types.iter().for_each(|ty| mix[at].1.add(ty, 1));
            if let Some(ok) = agreeing_types(et) {
                st.add(&format!("typed:{et}"), 1);
                st.add(&format!("type_agree:{et}"), i64::from(types.iter().any(|t| ok.contains(t))));
                st.add(&format!("type_agree_first:{et}"), i64::from(ok.contains(&cov[0].kind.as_str())));
            }
        }
        if g.has_attack {
            let ranges = incs.iter().flat_map(|i| i.evidence.iter().map(|ev| (ev.start, ev.end))).collect();
            let share = 1000.0 * covered(ranges) as f64 / g.doc.text.chars().count().max(1) as f64;
            st.add("evidence_share_sum_permille", py::round(share, 0) as i64);
            for i in incs {
                let anchored = triggers.iter().any(|&(_, _, a, b)| in_evidence(i, a, b));
                st.add(if anchored { "anchored_incidents" } else { "unanchored_incidents" }, 1);
            }
        }
    }
    (st, mix, per_doc)
}

/// Python's `text[start:end]` for `0 <= start, end`.
fn cp_slice(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end.saturating_sub(start)).collect()
}

fn pct(x: f64) -> String {
    format!("{:.1}", 100.0 * x)
}

impl WikiEventsScores {
    pub fn table(&self, matching: &str, scheme: &str) -> &Table {
        self.tables.iter().find(|t| t.matching == matching && t.scheme == scheme).expect("every matching and scheme is scored")
    }

    /// The script's report; `per_doc` adds its `--per-doc` lines.
    pub fn to_text(&self, per_doc: bool) -> String {
        let mut o = String::new();
        let mut say = |s: String| {
            o.push_str(&s);
            o.push('\n');
        };
        say(format!("newsner incidents vs WikiEvents ({}): {} documents, slots={}", self.split.name(), self.documents, self.slots.name()));
        say("end-to-end (no gold triggers or entities), document level, sets of (role, head) items\n".into());
        for matching in MATCHES {
            let strict = self.table(matching, "strict");
            say(format!("[{matching} match, roles strict]"));
            say(format!("  {:<12}{:>7}{:>7}{:>7}{:>6}{:>6}{:>6}", "role", "P", "R", "F1", "tp", "pred", "gold"));
            for (r, c) in &strict.rows {
                let (p, rc, f) = c.prf();
                say(format!("  {r:<12}{:>7.1}{:>7.1}{:>7.1}{:6}{:6}{:6}", 100.0 * p, 100.0 * rc, 100.0 * f, c.tp, c.pred, c.gold));
            }
            let harm_table = self.table(matching, "harm");
            let harm = harm_table.row("harm");
            let (p, r, f) = harm.prf();
            say(format!(
                "  [{matching}] target+victim merged (\"harm\"): P {}  R {}  F1 {}  (tp {}, pred {}, gold {});  micro with it: F1 {}",
                pct(p),
                pct(r),
                pct(f),
                harm.tp,
                harm.pred,
                harm.gold,
                pct(harm_table.row("micro").prf().2)
            ));
            let arg = self.table(matching, "arg-I").row("micro");
            let (p, r, f) = arg.prf();
            say(format!(
                "  [{matching}] argument identification (role-agnostic): P {}  R {}  F1 {}  (tp {}, pred {}, gold {})\n",
                pct(p),
                pct(r),
                pct(f),
                arg.tp,
                arg.pred,
                arg.gold
            ));
        }
        let st = &self.incidents;
        let attack_docs = st.get("attack_docs").max(1) as f64;
        say("incident level".into());
        let with = st.get("attack_docs_with_incident");
        say(format!("  gold attack documents with >=1 incident: {with}/{} ({:.1}%)", st.get("attack_docs"), 100.0 * with as f64 / attack_docs));
        say(format!(
            "  documents without a gold attack: {}; with >=1 incident: {}; false incidents: {}",
            st.get("nonattack_docs"),
            st.get("nonattack_docs_with_incident"),
            st.get("false_incidents")
        ));
        say(format!(
            "  incidents in gold attack documents: {} ({} with a gold attack/die/injure trigger in their evidence, {} without)",
            st.get("incidents_in_attack_docs"),
            st.get("anchored_incidents"),
            st.get("unanchored_incidents")
        ));
        say(format!(
            "  share of the text inside some incident's evidence (mean over gold attack documents): {:.1}% (qualifies the trigger coverage below)",
            st.get("evidence_share_sum_permille") as f64 / 10.0 / attack_docs
        ));
        let mut types: Vec<&str> = st.entries().iter().filter_map(|(k, _)| k.strip_prefix("attack_events:")).collect();
        types.sort_unstable();
        for et in types {
            let (n, cov) = (st.get(&format!("attack_events:{et}")), st.get(&format!("covered:{et}")));
            let mut line = format!("  {et}: {n} events, trigger inside some incident's evidence: {cov} ({:.1}%)", 100.0 * cov as f64 / n as f64);
            let typed = st.get(&format!("typed:{et}"));
            if typed != 0 {
                line += &format!(
                    "; type agrees (any covering incident): {}/{typed}, first covering incident: {}/{typed}",
                    st.get(&format!("type_agree:{et}")),
                    st.get(&format!("type_agree_first:{et}"))
                );
            }
            say(line);
            let mix = self.type_mix.iter().find(|(k, _)| k == et).map(|(_, t)| t.most_common()).unwrap_or_default();
            let mix: Vec<String> = mix.iter().map(|(t, c)| format!("{t} {c}")).collect();
            say(format!("      types of covering incidents: {}", mix.join(", ")));
        }
        if per_doc {
            say("\nper document".into());
            for d in &self.per_doc {
                let types: Vec<String> = d.types.iter().map(|t| py::str_repr(t)).collect();
                say(format!("  {:<36} gold attack events {:3}  incidents {:2}  [{}]", d.id, d.gold_attack_events, d.incidents, types.join(", ")));
            }
        }
        o
    }

    /// What the script writes with `--json FILE` (`json.dump(…, indent=1)`).
    pub fn to_json(&self) -> String {
        let mut scores = Map::new();
        for t in &self.tables {
            let rows: Map<String, Value> = t
                .rows
                .iter()
                .map(|(r, c)| {
                    let (p, rc, f) = c.prf();
                    (r.to_string(), json!({"P": p, "R": rc, "F1": f, "tp": c.tp, "pred": c.pred, "gold": c.gold}))
                })
                .collect();
            scores.insert(format!("{}/{}", t.matching, t.scheme), Value::Object(rows));
        }
        let tally = |t: &Tally| Value::Object(t.entries().iter().map(|(k, v)| (k.clone(), json!(v))).collect());
        let per_doc: Map<String, Value> = self
            .per_doc
            .iter()
            .map(|d| (d.id.clone(), json!({"gold_attack_events": d.gold_attack_events, "incidents": d.incidents, "types": d.types})))
            .collect();
        let v = json!({
            "documents": self.documents,
            "slots": self.slots.name(),
            "scores": scores,
            "incidents": tally(&self.incidents),
            "type_mix": Value::Object(self.type_mix.iter().map(|(k, t)| (k.clone(), tally(t))).collect()),
            "per_doc": per_doc,
        });
        py::dumps(&v, 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::wikievents::{Span, Trigger};

    fn event(event_type: &str, trigger: &str, sentence: usize) -> Event {
        let span = Span { start: 0, end: 1 };
        Event { id: "E".into(), event_type: event_type.into(), trigger: Trigger { span, text: trigger.into(), sentence }, arguments: vec![] }
    }

    fn doc(events: Vec<Event>) -> Document {
        let sentences = vec!["He was sentenced to death.".into(), "Five died.".into()];
        Document { id: "d".into(), split: "dev", text: "x".into(), entities: HashMap::new(), coref: vec![], events, sentences }
    }

    fn included(events: Vec<Event>) -> (bool, Vec<String>) {
        let d = doc(events);
        let (attack, evs) = included_events(&d);
        (attack, evs.iter().map(|(e, f)| format!("{f}:{}", e.trigger.text)).collect())
    }

    #[test]
    fn deaths_count_only_beside_an_attack_and_not_when_sentenced_or_suicide() {
        let die = |t: &str, s| event("Life.Die.Unspecified", t, s);
        assert_eq!(included(vec![die("died", 1)]), (false, vec![]));
        let (attack, evs) = included(vec![event("Conflict.Attack.Unspecified", "attack", 1), die("Death", 0), die("death", 1), die("Suicide", 1)]);
        assert!(attack);
        assert_eq!(evs, ["Conflict.Attack:attack", "Life.Die:death"]);
        // a bare family type is included but makes no attack document
        assert_eq!(included(vec![event("Conflict.Attack", "raid", 1)]), (false, vec!["Conflict.Attack:raid".to_string()]));
    }

    #[test]
    fn sentencing_needs_a_word_start() {
        assert!(mentions_sentencing("SENTENCED to die"));
        assert!(mentions_sentencing("was ſentenced"));
        assert!(!mentions_sentencing("resentenced"));
        assert!(!mentions_sentencing("senten"));
    }

    #[test]
    fn evidence_share_counts_each_code_point_once() {
        assert_eq!(covered(vec![(10, 20), (0, 5), (15, 25), (30, 30), (24, 26)]), 5 + 16);
        assert_eq!(covered(vec![]), 0);
    }

    #[test]
    fn most_common_keeps_first_touched_order_among_ties() {
        let mut t = Tally::default();
        for k in ["b", "a", "c", "a", "c"] {
            t.add(k, 1);
        }
        t.add("z", 0);
        let v: Vec<String> = t.most_common().iter().map(|(k, n)| format!("{k}{n}")).collect();
        assert_eq!(v, ["a2", "c2", "b1", "z0"]);
        assert_eq!(t.get("z"), 0);
        assert_eq!(t.entries().len(), 4, "a key touched with 0 is kept, as Counter's += keeps it");
    }

    #[test]
    fn roles_merge_by_scheme() {
        assert_eq!(role_key("victim", "strict"), "victim");
        assert_eq!(role_key("victim", "harm"), "harm");
        assert_eq!(role_key("place", "harm"), "place");
        assert_eq!(role_key("place", "arg-I"), "arg");
        assert_eq!(gold_role("Conflict.Attack", "ExplosiveDevice"), Some("weapon"));
        assert_eq!(gold_role("Life.Injure", "Killer"), None);
        assert_eq!(gold_role("Life.Injure", "BodyPart"), None);
    }
}
