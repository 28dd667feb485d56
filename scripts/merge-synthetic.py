#!/usr/bin/env python3
"""Synthetic annotated lines for the merge memory benchmark: N articles, one undated
incident each (20 countries, 40 cities each, 20,000 surnames, 300 groups), and
outside the incident's sentence six more people and two groups the article names
(merge compares those too, at half weight, and blocks on them).

  scripts/merge-synthetic.py 200000 > synth.jsonl
  /usr/bin/time -v target/release/newsner merge synth.jsonl -o merged.jsonl
"""
import json, random, sys
random.seed(7)
n = int(sys.argv[1])
countries = ["US","PK","AF","IQ","SY","NG","IN","FR","GB","RU","UA","SO","YE","ML","CO","MX","PH","TH","EG","LY"]
cities = {c: [f"{c}city{i}" for i in range(40)] for c in countries}
surnames = [f"surname{i}" for i in range(20000)]
orgs = [f"Group{i}" for i in range(300)]
types = ["bombing","armed_assault","kidnapping","arson","unknown"]
out = sys.stdout
for k in range(n):
    c = random.choice(countries)
    city = random.choice(cities[c]) if random.random() < 0.6 else None
    p1, p2 = random.sample(surnames, 2)
    text = f"Gunmen led by John {p1} attacked a market, police chief Ann {p2} said."
    ents = [
        {"id": "m1", "text": f"John {p1}", "label": "PER", "start": 14, "end": 14 + len(p1) + 5, "score": 0.9},
        {"id": "m2", "text": f"Ann {p2}", "label": "PER", "start": 50, "end": 50 + len(p2) + 4, "score": 0.9},
    ]
    evidence_end = len(text)
    for j, name in enumerate([f"Lee {s}" for s in random.sample(surnames, 6)] + random.sample(orgs, 2)):
        start = len(text) + 1
        text += " " + name + "."
        ents.append({"id": f"m{j + 3}", "text": name, "label": "ORG" if name.startswith("Group") else "PER", "start": start, "end": start + len(name), "score": 0.9})
    org = random.choice(orgs) if random.random() < 0.3 else None
    inc = {"id": f"a{k}#1", "type": random.choice(types), "date": None,
           "location": None if random.random() < 0.2 else {"text": city or c, "start": 0, "end": 3, "city": city, "admin1": None, "country": c, "lat": None, "lon": None},
           "perpetrator_organizations": [] if not org else [{"text": org, "start": 0, "end": 3, "name": org, "cluster": "c1", "claimed": False}],
           "perpetrator_individuals": [], "targets": [], "victims": [], "weapons": [],
           "casualties": {"killed": {"text": "3", "start": 0, "end": 1, "value": random.randint(1, 20), "approx": False}, "injured": None},
           "claimed_by": [], "evidence": [{"start": 0, "end": evidence_end}], "confidence": 0.7}
    out.write(json.dumps({"id": f"a{k}", "meta": {}, "published": None, "entities": ents, "clusters": [], "incidents": [inc], "errors": []}) + "\n")
