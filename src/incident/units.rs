//! Units: the trigger groups of each sentence with the slots found around them.
//!
//! A sentence can recall several incidents ("the bombing … in August 2022 and
//! the attack … in December 2022"), so a sentence is cut before each trigger
//! that follows a separator (",", "and", "as well as"); triggers with no
//! separator between them ("gunmen opened fire") stay in one unit.

use super::dates::{self, find_dates, DateMention};
use crate::text::calendar::Day;
use super::discourse::turns_to_another;
use super::numbers::{casualties, count_at, Casualties};
use super::places::{self, anaphoric, is_locative, misc_scene, names_hit_site, Place};
use super::roles::{self, Individual};
use super::tokens::{index_at, is_clause_break, tokenize, Token};
use super::types::{is_security_operation, names_victim, reports_harm_only, triggers, updates_toll, IncidentType, Trigger};
use crate::document::{Mention, Span};
use crate::lexicon::{HABITUAL_WORDS, LOCATIVES, PARTICULAR_WORDS, PLURAL_AREA_NOUNS};

/// What the rules need to know about the whole article.
pub struct Context<'a> {
    pub text: &'a str,
    pub mentions: &'a [Mention],
    /// How each mention is linked (see `aliases::kinds`): "ORG" for groups, whatever their tag.
    pub kinds: &'a [String],
    /// The publication (or dateline) day relative dates resolve against.
    pub anchor: Option<Day>,
    /// The dateline and the header date, which say where and when the
    /// report was filed, not when anything happened.
    pub filed: Vec<Span>,
    /// Countries the article names, most often first.
    pub countries: Vec<&'static str>,
    /// The geoparser's reading of each mention (aligned with `mentions`).
    pub places: &'a [Option<crate::document::Resolved>],
}

impl Context<'_> {
    /// The place named at `name`, quoted as `span`: the town the geo stage
    /// resolved the mention there to (the whole mention, not a part of
    /// it), else the gazetteer's towns of that name, the article's
    /// countries first (see `places::resolve_in`).
    fn resolve(&self, name: Span, span: Span) -> Place {
        let town = self
            .mentions
            .iter()
            .position(|m| m.span == name)
            .and_then(|i| self.places.get(i)?.as_ref())
            .filter(|r| r.part.is_none())
            .map(|r| crate::geo::gazetteer().place(r.row));
        places::resolve_in(&self.text[name.start..name.end], span, &self.countries, town)
    }
}

/// One trigger group and its slots.
#[derive(Debug, Clone)]
pub struct Unit {
    pub sentence: usize,
    pub kind: IncidentType,
    pub date: Option<DateMention>,
    pub place: Option<Place>,
    /// The place sits in the trigger's own clause, so it can set the unit
    /// apart from an incident elsewhere ("attacks inside Iran"), unlike a
    /// place a clause away ("link the attack to …, the war in Ukraine").
    pub place_is_own: bool,
    /// One part of a wave the sentence lists by site ("one at the Oxford
    /// Street bus station, the other outside shops in Cavehill Road"): its
    /// own incident, with the wave's attackers and weapons but no toll.
    pub part: bool,
    /// Some trigger says more than that people were harmed ("attack",
    /// "bomb", "gunmen"): deaths alone may be illness or accident.
    pub attack: bool,
    /// A clause about an earlier event ("since June, when at least 282
    /// people were killed"): its toll is that event's, never today's.
    pub recalled: bool,
    /// The passage updates the day's toll ("the death toll rose to 18").
    pub update: bool,
    /// The sentence, or the one before it (a lead whose own trigger the
    /// accident cancelled), calls what happened accidental ("two accidental
    /// explosions", "the device detonated accidentally").
    pub accidental: bool,
    /// The passage speaks of such acts in general ("kidnappings and
    /// violence are commonplace"; see [`habitual`]).
    pub habitual: bool,
    /// A trigger names whom it killed ("THE MURDER OF X"; see `types::names_victim`).
    pub names_victim: bool,
    /// The passage says it turns to another event ("MEANWHILE, …", "IT
    /// WAS ALSO REPORTED THAT …"; see `discourse::turns_to_another`).
    pub another: bool,
    /// A month (and day) the passage names that nothing dates ("In April,"
    /// in an article without a date): another time than the main event's.
    pub unknown_time: Option<(u32, Option<u32>)>,
    /// A sentence with no trigger that names who was arrested, charged or
    /// convicted: it adds people to an incident, never starts one or dates it.
    pub follow_up: bool,
    pub casualties: Casualties,
    /// Mention indices, with what the text says of each.
    pub perpetrators: Vec<(usize, roles::Status)>,
    /// Named people cast as perpetrators (PER mention indices).
    pub people: Vec<(usize, roles::Status)>,
    pub claimants: Vec<usize>,
    pub individuals: Vec<Individual>,
    pub targets: Vec<Span>,
    pub victims: Vec<Span>,
    pub weapons: Vec<Span>,
}

/// Units of every sentence, in text order.
pub fn units(ctx: &Context, sentences: &[Span]) -> Vec<Unit> {
    let mut out = Vec::new();
    for (index, &sentence) in sentences.iter().enumerate() {
        let tokens = tokenize(ctx.text, sentence);
        let found = triggers(&tokens);
        let in_sentence: Vec<(usize, &Mention)> = ctx
            .mentions
            .iter()
            .enumerate()
            .filter(|(_, m)| m.span.start >= sentence.start && m.span.end <= sentence.end)
            .collect();
        if found.is_empty() {
            out.extend(follow_up(ctx, &tokens, &in_sentence, index));
            continue;
        }
        let claimants = roles::claimants(&tokens, &organisations(ctx, &in_sentence));
        let mut dates = find_dates(&tokens, ctx.anchor);
        dates.retain(|d| !ctx.filed.iter().any(|line| line.overlaps(&d.span)));
        let rebase = |from: usize, to: usize| -> Vec<Trigger> {
            found
                .iter()
                .filter(|t| t.first >= from && t.first < to)
                .map(|t| Trigger { first: t.first - from, end: t.end - from, kind: t.kind })
                .collect()
        };
        // A group with its own date or place may stand alone; one without
        // either belongs with its neighbour ("THREE WERE KILLED AND SEVEN
        // WOUNDED DURING CLASHES YESTERDAY IN USULUTAN").
        let anchored = |(from, to): (usize, usize)| {
            let range = Span::new(tokens[from].span.start, tokens[to - 1].span.end);
            let inside = |s: Span| s.start >= range.start && s.end <= range.end;
            let triggers = rebase(from, to);
            dates.iter().any(|d| inside(d.span))
                || in_sentence.iter().any(|(_, m)| {
                    m.label == "LOC" && inside(m.span) && triggers.iter().any(|t| is_locative(&tokens[from..to], m.span, t.first))
                })
        };
        let mut groups: Vec<(usize, usize)> = Vec::new();
        for g in split(&tokens, &found) {
            match groups.last_mut() {
                Some(last) if (!anchored(*last) || !anchored(g)) && !recalls(&tokens, g.0) => last.1 = g.1,
                _ => groups.push(g),
            }
        }
        // "the first death of a general in Syria since 2017, when a
        // lieutenant general was killed in the same province": a group whose
        // first trigger stands in a "when" clause after a bounding time tells
        // of that time only, whatever the words before it say; after a date
        // ("ON SATURDAY, 7 JANUARY, WHEN X WAS KILLED") the group keeps it
        for g in &mut groups {
            let Some(first) = found.iter().find(|t| t.first >= g.0 && t.first < g.1).map(|t| t.first) else { continue };
            let Some(k) = (g.0 + 1..first).rev().find(|&k| tokens[k].lower == "when" && tokens[k - 1].lower == "," && recalls(&tokens, k)) else { continue };
            let dated = dates.iter().any(|d| d.span.start >= tokens[g.0].span.start && d.span.end <= tokens[k].span.start);
            if !dated {
                g.0 = k;
            }
        }
        for (from, to) in &groups {
            let rebased = rebase(*from, *to);
            let mut unit = unit(ctx, &tokens[*from..*to], &rebased, &in_sentence, &dates, index);
            unit.recalled = recalls(&tokens, *from);
            unit.another = rebased.first().is_some_and(|t| turns_to_another(&tokens[*from..*from + t.first]));
            unit.update = updates_toll(&tokens[*from..*to]);
            unit.accidental = accidental(&tokens) || index > 0 && accidental(&tokenize(ctx.text, sentences[index - 1]));
            unit.habitual = habitual(&tokens[*from..*to], &rebased);
            unit.unknown_time = dates::unknown_time(&tokens[*from..*to], ctx.anchor);
            // A claim belongs to the unit that names the claimant.
            let range = Span::new(tokens[*from].span.start, tokens[*to - 1].span.end);
            unit.claimants = claimants.iter().copied().filter(|&m| range.overlaps(&ctx.mentions[m].span)).collect();
            let sites = unit.place.map(|p| parts(&tokens[*from..*to], &rebased, &in_sentence, p.span)).unwrap_or_default();
            // the first site is a part too ("one at the Oxford Street bus
            // station, the other …"), whatever incident the sentence joins
            let first = unit.place.map(|p| p.span).filter(|_| !sites.is_empty());
            let wave: Vec<Unit> = first
                .into_iter()
                .chain(sites)
                .map(|span| Unit {
                    place: Some(ctx.resolve(span, span)),
                    place_is_own: true,
                    part: true,
                    casualties: Casualties::default(),
                    victims: Vec::new(),
                    targets: Vec::new(),
                    claimants: Vec::new(),
                    names_victim: false,
                    ..unit.clone()
                })
                .collect();
            out.push(unit);
            out.extend(wave);
        }
    }
    out
}

/// True when the group starting at token `from` is a "when" clause after a
/// time ("… since June, when at least 282 people were killed"): it tells
/// of that earlier time.
fn recalls(tokens: &[Token], from: usize) -> bool {
    let before = &tokens[from.saturating_sub(4)..from];
    let timed = |t: &Token| super::dates::is_month_name(&t.lower) || t.lower.len() == 4 && t.lower.bytes().all(|b| b.is_ascii_digit()) || matches!(t.lower.as_str(), "ago" | "year" | "since");
    tokens.get(from).is_some_and(|t| t.lower == "when") && before.iter().any(timed)
}

/// The passage speaks of such acts in general: every trigger a plural noun
/// with no article, number or possessive ahead of it, beside a word that
/// says how usual they are ("kidnappings and violence are commonplace",
/// "attacks on aid workers are frequent"). No single event is meant.
fn habitual(tokens: &[Token], found: &[Trigger]) -> bool {
    let bare_plural = |t: &Trigger| {
        let word = tokens[t.end - 1].lower.as_str();
        let before = t.first.checked_sub(1).map(|i| tokens[i].lower.as_str());
        let particular = before.is_some_and(|b| PARTICULAR_WORDS.contains(&b) || b.bytes().all(|c| c.is_ascii_digit()) || b.ends_with("'s") || b.ends_with("’s"));
        t.end > t.first && word.ends_with('s') && !word.ends_with("ss") && !particular
    };
    !found.is_empty() && found.iter().all(bare_plural) && tokens.iter().any(|t| HABITUAL_WORDS.contains(&t.lower.as_str()))
}

/// The other sites of a wave that one sentence lists part by part, after
/// the unit's own place at `first`: "one at X …, the other (outside shops)
/// in Y" (a "second", "third", "another" or "the other" ahead of a locative
/// place), or "the two worst explosions at X and the Y" (places joined by
/// "and" after a trigger that counts them; not "some 100 attacks in the
/// Gulf of Aden and the Indian Ocean"). Places that only say where a site lies
/// ("Cavehill Road in north Belfast") are not parts.
fn parts(tokens: &[Token], found: &[Trigger], in_sentence: &[(usize, &Mention)], first: Span) -> Vec<Span> {
    let start = index_at(tokens, first.start);
    let mut end = index_at(tokens, first.end);
    let one = (start.saturating_sub(4)..start).any(|k| tokens[k].lower == "one");
    // "the two worst explosions at X and the Y": the text counts the parts
    let counted = |n: u64| found.iter().any(|t| t.first < start && tokens[t.end - 1].lower.ends_with('s') && (t.first.saturating_sub(3)..t.first).any(|k| count_at(tokens, k).is_some_and(|(c, _)| c.value == n && !c.approx)));
    let mut out = Vec::new();
    let later = in_sentence.iter().filter(|(_, m)| m.label == "LOC" && m.span.start >= first.end);
    for (_, m) in later {
        let k = index_at(tokens, m.span.start);
        if k >= tokens.len() {
            break;
        }
        let between = &tokens[end..k];
        // a locative after `from`, with no break or "and" before the place
        let opens_place = |from: usize| between[from..].iter().position(|t| is_site_locative(&t.lower)).is_some_and(|p| between[from + p + 1..].iter().all(|t| !is_clause_break(t) && t.lower != "and"));
        let distributive = one && between.iter().position(|t| matches!(t.lower.as_str(), "other" | "second" | "third" | "another")).is_some_and(|p| between[..p].iter().any(is_clause_break) && opens_place(p));
        // "in USULUTAN AND MORAZAN DEPARTMENTS" is one area, not two sites
        let shared = tokens.get(index_at(tokens, m.span.end)).is_some_and(|t| PLURAL_AREA_NOUNS.contains(&t.lower.as_str()));
        // "and", then at most a locative and an article: "and the Y", "and at Y"
        let rest: Vec<&str> = between.iter().map(|t| t.lower.as_str()).collect();
        let rest = rest.strip_prefix(&["and"]).map(|r| r.strip_prefix(&["the"]).or_else(|| r.split_first().filter(|(w, _)| is_site_locative(w)).map(|(_, r)| r.strip_prefix(&["the"]).unwrap_or(r))).unwrap_or(r));
        let joined = counted(out.len() as u64 + 2) && !shared && rest.is_some_and(<[&str]>::is_empty);
        if !(distributive || joined) {
            continue;
        }
        out.push(m.span);
        end = index_at(tokens, m.span.end);
    }
    out
}

/// Words that open a place phrase in a list of sites: the locatives, and
/// "on", which elsewhere names a target ("an attack on X") but before a
/// site in a list is a street ("the other on Hill Road").
fn is_site_locative(word: &str) -> bool {
    LOCATIVES.contains(&word) || word == "on"
}

fn accidental(tokens: &[Token]) -> bool {
    tokens.iter().any(|t| matches!(t.lower.as_str(), "accidental" | "accidentally"))
}

/// Token ranges of the trigger groups of one sentence.
fn split(tokens: &[Token], found: &[Trigger]) -> Vec<(usize, usize)> {
    let mut groups = vec![(0, tokens.len())];
    for pair in found.windows(2) {
        let separator = (pair[0].end..pair[1].first).rev().find(|&k| {
            matches!(tokens[k].lower.as_str(), "," | ";" | "and" | "but" | "while" | "-" | "--")
                || tokens[k].lower == "as" && k > 0 && tokens[k - 1].lower == "well"
        });
        if let Some(k) = separator {
            let last = groups.last_mut().expect("one group at least");
            last.1 = k + 1;
            groups.push((k + 1, tokens.len()));
        }
    }
    groups
}

fn unit(ctx: &Context, tokens: &[Token], found: &[Trigger], in_sentence: &[(usize, &Mention)], dates: &[DateMention], sentence: usize) -> Unit {
    let span = Span::new(tokens[0].span.start, tokens[tokens.len() - 1].span.end);
    let within = |s: Span| s.start >= span.start && s.end <= span.end;
    let mentions: Vec<(usize, &Mention)> = in_sentence.iter().copied().filter(|(_, m)| within(m.span)).collect();
    let mut kind = found.iter().map(|t| t.kind).max().unwrap_or(IncidentType::Unknown);
    if kind < IncidentType::SecurityOperation && is_security_operation(tokens) {
        kind = IncidentType::SecurityOperation;
    }
    let security = kind == IncidentType::SecurityOperation;
    let place = mentions
        .iter()
        .find(|(_, m)| match m.label.as_str() {
            "LOC" => found.iter().any(|t| is_locative(tokens, m.span, t.first)),
            "MISC" => found.iter().any(|t| misc_scene(ctx.text, tokens, m.span, t.end)),
            _ => false,
        })
        .map(|(_, m)| Place {
            hit_site: found.iter().any(|t| names_hit_site(tokens, m.span, t.first)),
            ..ctx.resolve(m.span, m.span)
        });
    let place = place.or_else(|| {
        let (phrase, m) = anaphoric(tokens, found, ctx.mentions, ctx.places)?;
        let name = ctx.mentions[m].span;
        Some(Place { span: phrase, refers_to: Some(name), ..ctx.resolve(name, phrase) })
    });
    Unit {
        sentence,
        kind,
        // a security operation's killings are reported as such
        attack: security || found.iter().any(|t| !reports_harm_only(tokens, t)),
        names_victim: found.iter().any(|t| names_victim(tokens, t)),
        another: false,
        follow_up: false,
        unknown_time: None,
        part: false,
        recalled: false,
        update: false,
        accidental: false,
        habitual: false,
        date: dates::nearest(tokens, dates.iter().filter(|d| within(d.span)), found),
        place_is_own: place.is_some_and(|p| same_clause(tokens, p.span, found)),
        place,
        casualties: casualties(tokens),
        perpetrators: roles::perpetrators(tokens, &organisations(ctx, &mentions), found, security),
        claimants: Vec::new(),
        people: roles::named_perpetrators(tokens, &people(ctx, &mentions)),
        individuals: roles::individuals(ctx.text, tokens),
        targets: roles::targets(ctx.text, tokens, &mentions, found),
        victims: roles::victims(tokens),
        weapons: roles::weapons(tokens),
    }
}

/// A sentence without a trigger that says who was arrested, charged or
/// convicted ("Police arrested Ahmad Rahimi on Monday"): its people, and
/// nothing else, since its date is the procedural step's, not the attack's.
fn follow_up(ctx: &Context, tokens: &[Token], in_sentence: &[(usize, &Mention)], sentence: usize) -> Option<Unit> {
    let people: Vec<(usize, roles::Status)> = roles::named_perpetrators(tokens, &people(ctx, in_sentence))
        .into_iter()
        .filter(|(_, status)| *status > roles::Status::Suspected)
        .collect();
    (!people.is_empty()).then(|| Unit {
        sentence,
        kind: IncidentType::Unknown,
        attack: false,
        names_victim: false,
        another: false,
        follow_up: true,
        unknown_time: None,
        part: false,
        recalled: false,
        update: false,
        accidental: false,
        habitual: false,
        date: None,
        place: None,
        place_is_own: false,
        casualties: Casualties::default(),
        perpetrators: Vec::new(),
        people,
        claimants: Vec::new(),
        individuals: Vec::new(),
        targets: Vec::new(),
        victims: Vec::new(),
        weapons: Vec::new(),
    })
}

/// The passage's group names; a weapon ("IED") or a news outlet the tagger
/// called an organisation is neither perpetrator nor claimant.
fn organisations<'m>(ctx: &Context, mentions: &[(usize, &'m Mention)]) -> Vec<(usize, &'m Mention)> {
    mentions
        .iter()
        .copied()
        .filter(|(i, m)| {
            let name = &ctx.text[m.span.start..m.span.end];
            ctx.kinds[*i] == "ORG" && !roles::is_weapon(name) && !crate::text::outlets::is_outlet(name)
        })
        .collect()
}

fn people<'m>(ctx: &Context, mentions: &[(usize, &'m Mention)]) -> Vec<(usize, &'m Mention)> {
    mentions.iter().copied().filter(|(i, _)| ctx.kinds[*i] == "PER").collect()
}

/// True when no clause break separates `span` from one of the triggers.
fn same_clause(tokens: &[Token], span: Span, found: &[Trigger]) -> bool {
    let at = super::tokens::index_at(tokens, span.start);
    found.iter().any(|t| {
        let (lo, hi) = if at < t.first { (at, t.first) } else { (t.end, at) };
        !tokens[lo.min(hi)..hi].iter().any(is_clause_break)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_split_before_triggers_after_separators() {
        let text = "the bombing in Kabul in August 2022 and the attack on a hotel in December 2022, as well as attacks inside Iran";
        let tokens = tokenize(text, Span::new(0, text.len()));
        let groups = split(&tokens, &triggers(&tokens));
        let parts: Vec<&str> = groups.iter().map(|&(f, t)| &text[tokens[f].span.start..tokens[t - 1].span.end]).collect();
        assert_eq!(parts, ["the bombing in Kabul in August 2022 and", "the attack on a hotel in December 2022, as well as", "attacks inside Iran"]);
        let text = "Gunmen opened fire on the crowd";
        let tokens = tokenize(text, Span::new(0, text.len()));
        assert_eq!(split(&tokens, &triggers(&tokens)).len(), 1);
    }
}
