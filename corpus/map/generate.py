"""Writes countries.json, the review page's world map, from Natural Earth.

Source: `countries-110m.json` (TopoJSON, Natural Earth 1:110m admin-0
countries, public domain) of the npm package world-atlas 2.0.2 (ISC), and
ISO 3166-1 numeric -> alpha-2 codes from the PyPI package pycountry:

    npm install --prefix /tmp/wa world-atlas@2.0.2
    python3 -m venv /tmp/pc && /tmp/pc/bin/pip install pycountry
    /tmp/pc/bin/python corpus/map/generate.py /tmp/wa/node_modules/world-atlas/countries-110m.json

Output: {"w", "h", "k", "lon0", "lat0", "c": [[alpha-2, name, SVG path], ...]}
in an equirectangular projection of `k` units per degree, x = (lon - lon0) * k,
y = (lat0 - lat) * k, so the page places a marker with the same two lines of
arithmetic. Antarctica is left out (no incident happens there that a country
filter would help with) and the map stops at 58° S. Each TopoJSON arc is
simplified once (Douglas-Peucker, half a unit) and rounded to whole units, so
neighbours keep a common border; paths use relative moves to stay small.
"""

import json
import sys

import pycountry

K = 4  # units per degree: a quarter degree, about the 1:110m data's own detail
LON0, LAT0, LAT_MIN = -180, 84, -58
TOLERANCE = 0.5
# Natural Earth units with no ISO 3166-1 numeric code; Kosovo has the
# user-assigned XK that GeoNames (and so the gazetteer) uses too.
NO_NUMERIC = {"Kosovo": "XK"}
LEFT_OUT = {"010"}  # Antarctica


def project(lon, lat):
    return ((lon - LON0) * K, (LAT0 - lat) * K)


def simplify(points):
    """Douglas-Peucker, keeping both ends (arcs meet other arcs there)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        (x0, y0), (x1, y1) = points[a], points[b]
        dx, dy = x1 - x0, y1 - y0
        norm = (dx * dx + dy * dy) ** 0.5
        best, at = 0.0, None
        for i in range(a + 1, b):
            x, y = points[i]
            d = abs(dy * (x - x0) - dx * (y - y0)) / norm if norm else ((x - x0) ** 2 + (y - y0) ** 2) ** 0.5
            if d > best:
                best, at = d, i
        if at is not None and best > TOLERANCE:
            keep[at] = True
            stack += [(a, at), (at, b)]
    return [p for p, k in zip(points, keep) if k]


def arcs(topo):
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    out = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            pts.append(project(x * sx + tx, y * sy + ty))
        out.append([(round(px), round(py)) for px, py in simplify(pts)])
    return out


def ring(indices, decoded):
    pts = []
    for i in indices:
        arc = decoded[i] if i >= 0 else decoded[~i][::-1]
        pts.extend(arc[1:] if pts else arc)
    clean = [p for j, p in enumerate(pts) if j == 0 or p != pts[j - 1]]
    return clean if len(set(clean)) >= 3 else None


def path(rings):
    """SVG path data: a move, then relative lines; a minus sign separates
    numbers as well as a space does."""
    out = []
    for pts in rings:
        x0, y0 = pts[0]
        deltas = [d for (ax, ay), (bx, by) in zip(pts, pts[1:]) for d in (bx - ax, by - ay)]
        text = "".join(str(d) if d < 0 or i == 0 else f" {d}" for i, d in enumerate(deltas))
        out.append(f"M{x0} {y0}l{text}z")
    return "".join(out)


def main(src):
    topo = json.load(open(src))
    decoded = arcs(topo)
    countries = []
    for g in topo["objects"]["countries"]["geometries"]:
        name = g["properties"]["name"]
        numeric = g.get("id")
        if numeric in LEFT_OUT:
            continue
        if numeric:
            c = pycountry.countries.get(numeric=numeric)
            code = c.alpha_2 if c else ""
        else:
            code = NO_NUMERIC.get(name, "")
        polys = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]
        rings = [r for poly in polys for r in (ring(idx, decoded) for idx in poly) if r]
        if rings:
            countries.append([code, name, path(rings)])
    countries.sort(key=lambda c: (c[0] or "~", c[1]))
    out = {"w": 360 * K, "h": (LAT0 - LAT_MIN) * K, "k": K, "lon0": LON0, "lat0": LAT0, "c": countries}
    with open("corpus/map/countries.json", "w") as f:
        json.dump(out, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    unnamed = [c[1] for c in countries if not c[0]]
    print(f"{len(countries)} countries ({len(unnamed)} without an ISO code: {', '.join(unnamed)})", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1])
