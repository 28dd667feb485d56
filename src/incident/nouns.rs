//! Noun lists several rule files share: who attacks (roles, types) and what
//! is attacked (roles, places). They live apart from the rules so that no
//! rule file has to import another for a word list.

/// Words naming the members of armed groups.
pub const MILITANTS: &[&str] = &[
    "members", "militants", "terrorists", "guerrillas", "rebels", "subversives", "extremists", "insurgents",
    "jihadists", "fighters", "gunmen", "suspects", "operatives",
];

/// Nouns for buildings and installations that attacks target.
pub const FACILITIES: &[&str] = &[
    "hall", "embassy", "consulate", "hotel", "synagogue", "mosque", "church", "temple", "shrine", "school",
    "market", "station", "airport", "bridge", "pipeline", "base", "office", "offices", "headquarters", "theatre",
    "theater", "stadium", "restaurant", "cafe", "bank", "plant", "tower", "towers", "barracks", "checkpoint",
    "prison", "hospital", "university", "tomb", "club", "mall", "ministry", "building", "cafeteria", "cafetería",
    "café", "nightclub", "pub", "cinema",
];

/// Words that make a name a street's, before it ("Rue Victor Hugo", "Calle
/// del Correo") or after it ("Cavehill Road"), lower-cased.
pub const STREET_WORDS: &[&str] = &[
    "street", "st", "st.", "road", "rd", "rd.", "avenue", "ave", "ave.", "boulevard", "lane", "drive", "highway", "square",
    "rue", "calle", "carrer", "via", "viale", "piazza", "avenida", "rua", "plaza", "paseo", "jalan", "ulitsa", "prospekt",
];
