"""The labelled set for evaluating the geocoder: A&E-style location texts generated from the loaded
gazetteer, each with its known true place.

The set is built from the gazetteer itself (fixed seed): each example takes a real place (venue,
station, street, bus-stop junction, postcode, sector, district, ward-name area, borough), writes it
the way reception staff do ("o/s", "nr", "jct of", abbreviations, lower case, missing postcode
spaces, typos in at least a quarter of the texts), and records where the place really is. Home
texts and stated-unknown texts (negatives) are included. The reporting A&E site is usually the
nearest one to the true place, as in real extracts. Each example belongs to the calibration split
(safestats.geocoding.calibration fits on it) or the report split (safestats.geocoding.evaluation
reports on it).
"""
from __future__ import annotations

import random
from dataclasses import dataclass

import psycopg

SEED = 20261125
ABBREV = {"street": ["st", "st.", "str"], "road": ["rd", "rd."], "avenue": ["ave", "av"],
          "lane": ["ln", "lane"], "station": ["stn", "station", "tube"], "hospital": ["hosp", "hospital"],
          "junction": ["jct", "junc"], "gardens": ["gdns"], "place": ["pl"], "square": ["sq"],
          "park": ["pk", "park"]}
SPATIAL = ["o/s ", "outside ", "nr ", "near ", "opp ", "opposite ", "by ", "at ", "in ", "behind ",
           "", "", "", ""]
HOME = ["home", "HOME", "his flat", "her flat", "at home", "home address", "own home", "at address",
        "his house", "friends house", "pts home", "her house", "Home"]
NEGATIVES = ["unknown", "UNKNOWN", "not known", "n/k", "N/K", "refused", "pt refused", "not stated", "NK",
             "unable to say", "declined", "dont know", "?", "???", "none", "not given", "Not Stated",
             "x", "patient refused", "did not say"]
KEYBOARD = "abcdefghijklmnopqrstuvwxyz"


@dataclass
class Example:
    id: int
    text: str
    level: str            # the level the text supports (the honest best answer)
    x: float | None       # true place, EPSG:27700 (None for negatives / home without postcode)
    y: float | None
    site_code: str | None
    feature_id: int | None
    typo: bool
    split: str = ""       # calibration / report


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    op = rng.choice(["swap", "drop", "double", "sub"])
    if op == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if op == "drop":
        return word[:i] + word[i + 1:]
    if op == "double":
        return word[:i] + word[i] + word[i:]
    return word[:i] + rng.choice(KEYBOARD) + word[i + 1:]


def noisy(rng: random.Random, text: str, typo_rate: float) -> tuple[str, bool]:
    """Abbreviations, a typo in one longer word (at ``typo_rate``), and A&E-style casing."""
    words = text.split()
    out = []
    for w in words:
        lw = w.lower().strip(",.")
        if lw in ABBREV and rng.random() < 0.6:
            w = rng.choice(ABBREV[lw])
        out.append(w)
    typo = False
    long_idx = [i for i, w in enumerate(out) if len(w) >= 5 and not any(c.isdigit() for c in w)]
    if long_idx and rng.random() < typo_rate:
        i = rng.choice(long_idx)
        out[i] = _typo(rng, out[i])
        typo = True
    s = " ".join(out)
    r = rng.random()
    s = s.lower() if r < 0.45 else s.upper() if r < 0.7 else s
    return s, typo


def _rows(conn, q: str, params=None) -> list[tuple]:
    return conn.execute(q, params).fetchall()


def generate(conn: psycopg.Connection, n: int = 3000, seed: int = SEED, typo_rate: float = 0.5,
             report_every: int = 2) -> list[Example]:
    """A labelled set of about ``n`` examples drawn from the loaded gazetteer (reproducible for a
    given gazetteer and seed); one example in ``report_every`` goes to the report split, the rest to
    the calibration split."""
    rng = random.Random(seed)
    # Rows are drawn in the order of a hash of their own content and the seed, not random(): the
    # draw then does not depend on the physical row order (withholding venues rewrites rows) or on
    # parallel workers, so the same gazetteer and seed give the same set on every run.
    def shuffled(expr: str, salt: str = "") -> str:
        # salt: a constant of this code, so the postcode draws of different levels differ
        return f"md5(concat_ws('|', {expr}, '{salt}{int(seed)}'))"
    share = {"venue": 0.26, "station": 0.06, "street": 0.16, "junction": 0.08, "postcode": 0.08,
             "sector": 0.05, "district": 0.04, "area": 0.06, "borough": 0.03, "home": 0.08, "none": 0.10}
    k = {lvl: max(5, int(n * s)) for lvl, s in share.items()}
    sites = _rows(conn, "SELECT site_code, ST_X(geom), ST_Y(geom) FROM health.ae_site WHERE geom IS NOT NULL "
                        "ORDER BY site_code")
    ex: list[Example] = []

    def site_for(x, y):
        if x is None or not sites or rng.random() < 0.12:
            return None
        if rng.random() < 0.15:
            return rng.choice(sites)[0]
        return min(sites, key=lambda s: (s[1] - x) ** 2 + (s[2] - y) ** 2)[0]

    def add(text, level, x, y, fid, typo_rate_here=typo_rate):
        t, typo = noisy(rng, text, typo_rate_here)
        ex.append(Example(len(ex) + 1, t, level, x, y, site_for(x, y), fid, typo))

    # Venues: FSA premises with a street, pubs, hospitals, parks; "name", "o/s name", "name street",
    # "name district".
    for fid, name, street, district, x, y in _rows(conn, f"""
        SELECT feature_id, name, initcap(street_norm), district, ST_X(geom), ST_Y(geom)
        FROM gazetteer.feature
        WHERE level = 'venue' AND kind IN ('venue', 'pub', 'hospital', 'park')
          AND length(name) BETWEEN 4 AND 40 AND name !~ '[0-9]'
        ORDER BY {shuffled("name, round(ST_X(geom)), round(ST_Y(geom))")} LIMIT %s""", (k["venue"],)):
        r = rng.random()
        if street and r < 0.45:
            text = f"{rng.choice(SPATIAL)}{name} {street}"
        elif district and r < 0.6:
            text = f"{rng.choice(SPATIAL)}{name} {district}"
        else:
            text = f"{rng.choice(SPATIAL)}{name}"
        add(text, "venue", x, y, fid)
    for fid, name, x, y in _rows(conn, f"""
        SELECT feature_id, name, ST_X(geom), ST_Y(geom) FROM gazetteer.feature
        WHERE kind = 'station'
        ORDER BY {shuffled("name, round(ST_X(geom)), round(ST_Y(geom))")} LIMIT %s""", (k["station"],)):
        add(f"{rng.choice(SPATIAL)}{name} {rng.choice(['tube', 'station', 'stn', 'Station', 'overground'])}",
            "venue", x, y, fid)
    # Streets: a random point of the street is where it happened.
    for fid, name, district, x, y in _rows(conn, f"""
        SELECT f.feature_id, f.name, f.district, ST_X(p.geom), ST_Y(p.geom)
        FROM (SELECT * FROM gazetteer.feature WHERE level = 'street'
              ORDER BY {shuffled("norm, round(ST_X(geom)), round(ST_Y(geom))")} LIMIT %s) f
        CROSS JOIN LATERAL (SELECT (d).geom FROM ST_Dump(coalesce(f.extent, f.geom)) d
                            ORDER BY {shuffled("ST_AsText((d).geom)")} LIMIT 1) p""",
                                           (k["street"],)):
        r = rng.random()
        text = (f"bus stop {name}" if r < 0.15 else f"{name} {district}" if r < 0.35 and district
                else f"{rng.choice(SPATIAL)}{rng.randint(1, 200) if r > 0.85 else ''} {name}")
        add(" ".join(text.split()), "street", x, y, fid)
    # Junctions: bus stops named "A / B".
    for name, x, y in _rows(conn, f"""
        SELECT name, ST_X(geom), ST_Y(geom) FROM gazetteer.source_feature
        WHERE kind = 'bus_stop' AND name ~ '^[^/]+ / [^/]+$'
          AND safestats_internal.gazetteer_is_street(
                safestats_internal.geocode_normalise(split_part(name, ' / ', 1)))
          AND safestats_internal.gazetteer_is_street(
                safestats_internal.geocode_normalise(split_part(name, ' / ', 2)))
        ORDER BY {shuffled("name, source_key")} LIMIT %s""", (k["junction"],)):
        a, b = [p.strip().title() for p in name.split(" / ")]
        form = rng.choice(["junction of {a} and {b}", "{a}/{b}", "{a} / {b}", "corner of {a} & {b}",
                           "{a} j/w {b}", "jct {a} and {b}"])
        add(form.format(a=a, b=b), "junction", x, y, None)
    # Postcodes, sectors, districts: a random postcode's point is the truth.
    for disp, x, y in _rows(conn, "SELECT display, ST_X(geom), ST_Y(geom) FROM gazetteer.postcode "
                                  f"ORDER BY {shuffled('postcode', 'postcode')} LIMIT %s", (k["postcode"],)):
        t = disp if rng.random() < 0.5 else disp.replace(" ", "")
        ex.append(Example(len(ex) + 1, f"{rng.choice(SPATIAL)}{t}".lower() if rng.random() < 0.5 else t,
                          "postcode", x, y, site_for(x, y), None, False))
    for lvl, col in (("sector", "sector"), ("district", "district")):
        for code, x, y in _rows(conn, f"SELECT {col}, ST_X(geom), ST_Y(geom) FROM gazetteer.postcode "
                                      f"ORDER BY {shuffled('postcode', lvl)} LIMIT %s", (k[lvl],)):
            text = f"{rng.choice(SPATIAL)}{code}".lower() if rng.random() < 0.5 else code
            ex.append(Example(len(ex) + 1, text, lvl, x, y, site_for(x, y), None, False))
    # Areas (ward names) and boroughs: a random point inside the polygon.
    for lvl, q in (("area", "SELECT f.feature_id, f.name, ST_X(p), ST_Y(p) FROM gazetteer.feature f "
                            "JOIN ref.area a ON a.level = 'ward' AND a.code = f.source_key "
                            "CROSS JOIN LATERAL ST_GeometryN(ST_GeneratePoints(a.geom, 1, 7), 1) p "
                            f"WHERE f.kind = 'area' ORDER BY {shuffled('f.name, f.source_key')} LIMIT %s"),
                   ("borough", "SELECT f.feature_id, f.name, ST_X(p), ST_Y(p) FROM gazetteer.feature f "
                               "JOIN ref.area a ON a.level = 'borough' AND a.code = f.source_key "
                               "CROSS JOIN LATERAL ST_GeometryN(ST_GeneratePoints(a.geom, 1, 7), 1) p "
                               f"WHERE f.kind = 'borough' "
                               f"ORDER BY {shuffled('f.name, f.source_key')} LIMIT %s")):
        for fid, name, x, y in _rows(conn, q, (k[lvl],)):
            add(f"{rng.choice(['', '', 'in ', 'nr '])}{name}", lvl, x, y, fid, typo_rate * 0.6)
    # Home: no place unless a postcode is given.
    for disp, x, y in _rows(conn, "SELECT display, ST_X(geom), ST_Y(geom) FROM gazetteer.postcode "
                                  f"ORDER BY {shuffled('postcode', 'home')} LIMIT %s", (k["home"] // 3,)):
        ex.append(Example(len(ex) + 1, f"{rng.choice(HOME)} {disp}", "home", x, y, site_for(x, y), None,
                          False))
    for _ in range(k["home"] - k["home"] // 3):
        t = rng.choice(HOME)
        ex.append(Example(len(ex) + 1, t, "home", None, None, rng.choice(sites)[0] if sites else None,
                          None, False))
    for _ in range(k["none"]):
        t = rng.choice(NEGATIVES)
        ex.append(Example(len(ex) + 1, t, "none", None, None, rng.choice(sites)[0] if sites else None,
                          None, False))
    rng.shuffle(ex)
    for i, e in enumerate(ex):
        e.id = i + 1
        e.split = "report" if i % report_every == 1 else "calibration"
    return ex


def store(conn: psycopg.Connection, examples: list[Example]) -> None:
    """The examples into a temporary table ``geocode_eval`` on this connection."""
    conn.execute("DROP TABLE IF EXISTS pg_temp.geocode_eval")
    conn.execute("CREATE TEMP TABLE geocode_eval (id int PRIMARY KEY, text text, level text, truth geometry, "
                 "site_code text, feature_id bigint, typo boolean, split text)")
    with conn.cursor().copy("COPY geocode_eval FROM STDIN") as cp:
        for e in examples:
            cp.write_row((e.id, e.text, e.level,
                          f"SRID=27700;POINT({e.x} {e.y})" if e.x is not None else None,
                          e.site_code, e.feature_id, e.typo, e.split))
    conn.execute("ANALYZE geocode_eval")
