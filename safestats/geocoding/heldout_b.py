"""A second held-out labelled set for the geocoder: ``cad``.

Written 2026-12-05 between 18:37 and 18:50 UTC, apart from the geocoder: its author read none of the
geocoder's SQL (db/functions/2*.sql) and none of the failure lists in docs/geocoding.md, read the other
families' modules only for their interface (how truths are drawn from the gazetteer, how the
reporting site is chosen; their phrase lists were skipped, the templates inside their generators
were in view) and wrote the phrasings below from how police CAD summaries and A&E receptionists
record a place. The geocoder was never run on this family while it was written, and the templates
were not changed after the evaluation's figures for it were first seen. It has never been used to
develop the geocoder or to fit its calibration: the evaluation reports it, like ``triage`` before it,
on the calibration production keeps. If it is ever looked at to develop the geocoder, it stops being
held out; say so in docs/geocoding.md and write another.

Style: the location as a police officer's CAD summary gives it, copied into the A&E record by the
receptionist when police bring the patient in, mixed with the receptionist's own drop-down category
put in front of the free text ("licensed premises - ", "street/public place: ", "transport - ").
CAD shorthand: "o/s" (outside), "opp" (opposite), "nr" (near), "r/o" (rear of), "j/w" (junction
with), "jnc", "adj", "no." and bare house numbers, "bus stop o/s", "in the queue at", upper-case
street types ("RD", "ST", "GDNS"), a bare "stn". Mostly all lower case or ALL CAPS.

Noise (its own model, not the desk / notes / triage ones): in about three texts in ten one word of
four letters or more gets one typo anywhere in it, first and last letters included: two neighbouring
letters swapped, a letter left out, a letter typed twice, or a key next to the right one on a
QWERTY row; a word typed twice now and then; a trailing "." "," "-" "/" or "..". Postcodes are
written with and without their space ("se156", "N19 4"), never with a typo (a typo there names
another place).

Truth: as in the other families, the place each text was written from: the venue's own point, a
random branch of a chain (the text may or may not say which street / district / sector), a random
point of a street, the bus stop at a junction, a random postcode of a sector or district, a random
point inside a ward. The reporting A&E site is the one nearest the truth most of the time, the next
nearest some of the time, and missing in about one text in ten. Non-places (custody, prison, work,
a party, a vehicle, refused, abroad, various, street with no name), stated unknowns and home have no
point; a friend's or relative's home is labelled ``home`` like the other families do.

Status since its first run: its failures were read from 2026-12-06 05:30 UTC and the geocoder was developed on
them, so it is now a development set (docs/geocoding.md says which rules it led to); what is said
above of it being unseen held only until then.
"""
from __future__ import annotations

import random
import re

from .independent import CHAINS, IndependentExample, _clean_name

FAMILY = "cad"
SEED = 4_186_309

SHARES = {"venue": 0.14, "chain": 0.12, "hospital": 0.08, "station": 0.10, "street": 0.12,
          "junction": 0.07, "postcode": 0.06, "sector": 0.07, "district": 0.03, "area": 0.04,
          "home": 0.04, "unknown": 0.03, "nonplace": 0.10}

# --- phrasings (this family's own) -----------------------------------------------------------------

CUSTODY_ETC = [
    "in custody", "police custody", "whilst in custody at police stn", "custody suite", "in a police cell",
    "in the back of the police van", "HMP", "hmp - serving prisoner", "in prison", "YOI (prisoner)",
    "prison - on the wing", "at work", "place of work", "at his workplace", "work - door supervisor",
    "at work (security guard)", "bus driver - on route", "party", "at a house party", "party - address n/k",
    "birthday party, pt doesnt know the address", "in a vehicle", "in his car", "in the back of a minicab",
    "on the bus", "in a taxi", "in the car", "pt refused to say", "declined to disclose",
    "refused", "pt unwilling to give location", "would not say", "abroad", "happened abroad",
    "on holiday abroad", "assaulted overseas", "various", "various locations", "multiple places",
    "street", "in the street", "public place", "street/public place", "in a pub", "at a nightclub",
    "at school", "nightclub - name not given", "not stated", "NOT STATED",
]
FRIEND_OR_RELATIVE = [
    "friends house", "at a friend's flat", "mates house", "at his mums", "at her sisters",
    "relatives address", "at boyfriends flat", "partners house", "at his brothers place",
    "at an aunts house", "at ex partners address", "cousins house",
]
STATED_UNKNOWN = [
    "unknown", "not known", "pt unsure", "cannot recall", "pt cant remember", "n/k", "UNKNOWN",
    "no details", "unable to say", "pt too intoxicated to say", "?", "not recorded",
]
OWN_HOME = [
    "home address", "at home", "own home", "HOME ADDRESS", "pt's own flat", "in his flat",
    "at her home", "residence", "home - domestic", "home (see reg address)", "own address",
]

HOSPITAL_FORMS = [
    "{h} a&e", "o/s {h} a+e dept", "{h} main entrance", "{h} car park", "in {h} reception",
    "{h} - ward", "bus stop o/s {h}", "{h} emergency dept", "on a ward at {h}",
    "hospital - {h}", "{h} urgent care centre",
]
STATION_FORMS = [
    "{s} stn", "o/s {s} stn", "{s} tube", "platform {p} {s}", "ticket barriers {s} stn",
    "transport - {s} station", "{s} stn forecourt", "bus stop o/s {s} stn", "in {s} station",
    "nr {s} stn", "{s} railway stn",
]
JUNCTION_FORMS = [
    "{a} j/w {b}", "{a} jw {b}", "jnc {a}/{b}", "j/o {a} & {b}", "corner of {a} and {b}",
    "{a} nr j/w {b}", "street/public place: {a} j/w {b}", "{a} jnct {b}",
]
STREET_TYPES = {"road": "rd", "street": "st", "avenue": "ave", "lane": "la", "gardens": "gdns",
                "crescent": "cres", "close": "cl", "place": "pl", "square": "sq", "terrace": "terr",
                "grove": "gro", "drive": "dr", "park": "pk", "hill": "hl"}

SHOP_FORMATS = {"express", "metro", "local", "extra", "superstore", "coffee", "pizza", "kitchen"}

QWERTY = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


# --- noise -------------------------------------------------------------------------------------------

def _key_slip(rng: random.Random, c: str) -> str:
    """A key next to ``c`` on its QWERTY row (case kept); ``c`` itself when it is not a letter."""
    for row in QWERTY:
        i = row.find(c.lower())
        if i >= 0:
            near = [row[j] for j in (i - 1, i + 1) if 0 <= j < len(row)]
            out = rng.choice(near)
            return out.upper() if c.isupper() else out
    return c


def _cad_typo(rng: random.Random, w: str) -> str:
    """One typo anywhere in ``w`` (first and last letters included); never ``w`` itself."""
    op = rng.choice(("transpose", "omit", "double", "slip"))
    i = rng.randrange(len(w))
    if op == "transpose":
        i = min(i, len(w) - 2)
        out = w[:i] + w[i + 1] + w[i] + w[i + 2:]
    elif op == "double":
        out = w[:i + 1] + w[i] + w[i + 1:]
    elif op == "slip":
        out = w[:i] + _key_slip(rng, w[i]) + w[i + 1:]
    else:
        out = w
    # two equal letters swapped, or a letter with no QWERTY neighbour: leave one out instead
    return out if out != w else w[:i] + w[i + 1:]


def _cad_noise(rng: random.Random, text: str, typo_p: float) -> tuple[str, bool]:
    words = text.split()
    typo = False
    cand = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
    if cand and rng.random() < typo_p:
        i = rng.choice(cand)
        words[i] = _cad_typo(rng, words[i])
        typo = True
    plain = [i for i, w in enumerate(words) if w.isalpha()]
    if len(words) >= 2 and plain and rng.random() < 0.06:      # a word typed twice
        i = rng.choice(plain)
        words.insert(i + 1, words[i])
    text = " ".join(words)
    r = rng.random()
    text = text.upper() if r < 0.45 else text.lower() if r < 0.85 else text
    if rng.random() < 0.2:
        text += rng.choice([".", ",", " -", "/", ".."])
    return text, typo


def _road(rng: random.Random, name: str, p: float = 0.55) -> str:
    """A street name with its type shortened as CAD does, some of the time."""
    return " ".join(STREET_TYPES[w.lower()] if w.lower() in STREET_TYPES and rng.random() < p else w
                    for w in name.split())


def _case(rng: random.Random, text: str) -> str:
    r = rng.random()
    return text.upper() if r < 0.45 else text.lower() if r < 0.9 else text


# --- the family --------------------------------------------------------------------------------------

def generate(conn, n: int = 900) -> list[IndependentExample]:
    """The held-out ``cad`` family, about ``n`` texts (reproducible for a given gazetteer)."""
    rng = random.Random(SEED)
    k = {c: max(6, int(n * s)) for c, s in SHARES.items()}
    out: list[IndependentExample] = []

    def draw(expr: str, salt: str) -> str:
        return f"md5({expr} || ':{FAMILY}:{salt}:{SEED}')"

    sites = conn.execute("SELECT site_code, ST_X(geom), ST_Y(geom) FROM health.ae_site "
                         "WHERE geom IS NOT NULL ORDER BY site_code").fetchall()

    def reporting_site(x, y):
        if not sites:
            return None
        r = rng.random()
        if x is None:
            return None if r < 0.12 else sites[rng.randrange(len(sites))][0]
        if r < 0.1:
            return None
        by_distance = sorted(sites, key=lambda s: (s[1] - x) ** 2 + (s[2] - y) ** 2)
        return by_distance[0][0] if r < 0.88 else by_distance[min(1, len(by_distance) - 1)][0]

    def add(cls, text, level, x=None, y=None, fid=None, typo_p=0.3, case_only=False):
        if case_only:
            text, typo = _case(rng, text), False
        else:
            text, typo = _cad_noise(rng, text, typo_p)
        out.append(IndependentExample(FAMILY, cls, re.sub(r"\s+", " ", text).strip(), level, x, y,
                                      reporting_site(x, y), fid, typo))

    # Named venues (shops, pubs, parks) whose name is unique in the gazetteer, with the address street
    # as the food-premises / OSM file gives it.
    for fid, name, kind, street, district, x, y in conn.execute(f"""
        SELECT f.feature_id, f.name, f.kind, s.street, f.district, ST_X(f.geom), ST_Y(f.geom)
        FROM (SELECT *, count(*) OVER (PARTITION BY norm) AS same FROM gazetteer.feature
              WHERE level = 'venue') f
        LEFT JOIN gazetteer.source_feature s ON s.source = f.source AND s.source_key = f.source_key
        WHERE f.same = 1 AND f.kind IN ('venue', 'pub', 'park') AND f.name !~ '[0-9]'
          AND length(f.name) BETWEEN 4 AND 40
        ORDER BY {draw("f.feature_id::text", "venue")} LIMIT %s""", (k["venue"],)).fetchall():
        v = _clean_name(name)
        if kind == "pub":
            forms = ["o/s {v}", "{v} pub", "smoking area o/s {v}", "licensed premises - {v}", "inside {v}"]
        elif kind == "park":
            forms = ["in {v}", "{v} nr the playground", "public place - {v}", "{v} by the gates", "{v}"]
        else:
            forms = ["o/s {v}", "in the queue at {v}", "shop - {v}", "opp {v}", "r/o {v}", "adj {v}", "{v}"]
        text = rng.choice(forms).format(v=v)
        r = rng.random()
        if street and r < 0.3:
            text += f" {_road(rng, street)}"
        elif district and r < 0.5:
            text += f" {district}"
        add("venue", text, "venue", x, y, fid)

    # Chains: a branch of a brand the gazetteer holds at least four times; some texts say where.
    per = max(1, k["chain"] // max(1, len(CHAINS)) + 2)
    chain_args = (list(CHAINS), per, k["chain"])
    for fid, name, brand, street, district, sector, x, y in conn.execute(f"""
        WITH branch AS (
          SELECT f.*, split_part(f.norm, ' ', 1) AS brand,
                 count(*) OVER (PARTITION BY split_part(f.norm, ' ', 1)) AS branches,
                 row_number() OVER (PARTITION BY split_part(f.norm, ' ', 1)
                                    ORDER BY {draw("f.feature_id::text", "branch")}) AS nth
          FROM gazetteer.feature f
          WHERE f.level = 'venue' AND f.kind = 'venue' AND split_part(f.norm, ' ', 1) = ANY(%s))
        SELECT b.feature_id, b.name, b.brand, s.street, b.district,
               (SELECT p.sector FROM gazetteer.postcode p ORDER BY p.geom <-> b.geom LIMIT 1),
               ST_X(b.geom), ST_Y(b.geom)
        FROM branch b
        LEFT JOIN gazetteer.source_feature s ON s.source = b.source AND s.source_key = b.source_key
        WHERE b.branches >= 4 AND b.nth <= %s
        ORDER BY {draw("b.feature_id::text", "chain")} LIMIT %s""", chain_args).fetchall():
        words = _clean_name(name).split()
        # the brand's format word when the branch has one ("tesco metro", "sainsbury's local")
        shop = (" ".join(words[:2]) if len(words) > 1 and words[1].lower() in SHOP_FORMATS
                and rng.random() < 0.6 else brand)
        r = rng.random()
        if r < 0.22 and street:
            text = rng.choice(["o/s {c} {w}", "{c}, {w}", "in the queue at {c} {w}", "shop - {c} {w}"])
            text, cls = text.format(c=shop, w=_road(rng, street)), "chain"
        elif r < 0.4 and district:
            text = rng.choice(["{c} {d}", "{c} ({d})", "o/s {c} {d}"])
            text, cls = text.format(c=shop, d=district), "chain"
        elif r < 0.5 and sector:
            s = sector.replace(" ", "") if rng.random() < 0.5 else sector
            text, cls = f"{shop} {s}", "chain"
        else:
            text = rng.choice(["o/s {c}", "in {c}", "{c} car park", "shop - {c}", "{c}", "r/o {c}",
                               "staff at {c}"]).format(c=shop)
            cls = "chain, no locality"
        add(cls, text, "venue", x, y, fid)

    # Hospitals and the parts of them where staff and patients get hurt.
    for fid, name, x, y in conn.execute(f"""
        SELECT feature_id, name, ST_X(geom), ST_Y(geom) FROM gazetteer.feature
        WHERE kind IN ('hospital', 'ae_site') AND name ~* 'hospital'
        ORDER BY {draw("feature_id::text", "hosp")} LIMIT %s""", (k["hospital"],)).fetchall():
        # the part of the name that says "hospital" (not the trust, the operator or the square)
        h = next((p for p in name.split(" - ") if re.search(r"(?i)hospital", p)), name)
        if re.search(r"(?i)hospital", h.split(",")[0]):
            h = h.split(",")[0]
        h = _clean_name(h)
        if rng.random() < 0.55:
            h = re.sub(r"(?i)\b(nhs|foundation|trust|university(?! college))\b", " ", h)
            h = re.sub(r"(?i)\bhospital\b", rng.choice(["hosp", "hsp", "hospital", " "]), h)
            h = re.sub(r"(?i)\b(saint|st\.)(?=\s)", "st", h)
        add("hospital", rng.choice(HOSPITAL_FORMS).format(h=" ".join(h.split())), "venue", x, y, fid,
            typo_p=0.2)

    # Stations, without the word "station" of their name.
    for fid, name, x, y in conn.execute(f"""
        SELECT feature_id, name, ST_X(geom), ST_Y(geom) FROM gazetteer.feature
        WHERE kind = 'station' AND level = 'venue'
        ORDER BY {draw("feature_id::text", "stn")} LIMIT %s""", (k["station"],)).fetchall():
        s = re.sub(r"\([^)]*\)", " ", name)                      # "(Dist&Picc Line)", "(London)"
        s = re.sub(r"(?i)\s+-?\s*\b(dlr|el|lo|lu|nr)\s*$", " ", s)  # a network tag at the end
        s = _clean_name(re.sub(r"(?i)\s*\b(dlr|rail|underground|overground|tube)?\s*station\b", " ", s))
        add("station", rng.choice(STATION_FORMS).format(s=s, p=rng.randint(1, 6)), "venue", x, y, fid,
            typo_p=0.35)

    # Streets: a random point of the street.
    for fid, name, district, x, y in conn.execute(f"""
        SELECT f.feature_id, f.name, f.district, ST_X(pt.geom), ST_Y(pt.geom)
        FROM (SELECT * FROM gazetteer.feature WHERE level = 'street' AND name !~ '[,0-9]'
              ORDER BY {draw("feature_id::text", "street")} LIMIT %s) f
        CROSS JOIN LATERAL (SELECT (d).geom FROM ST_Dump(coalesce(f.extent, f.geom)) d
                            ORDER BY {draw("ST_AsText((d).geom)", "along")} LIMIT 1) pt
        ORDER BY {draw("f.feature_id::text", "street-order")}""", (k["street"],)).fetchall():
        st = _road(rng, name)
        num = rng.randint(1, 220)
        text = rng.choice([f"o/s no.{num} {st}", f"o/s {num} {st}", f"r/o {num} {st}", f"bus stop {st}",
                           f"street - {st}", f"{st} nr shops", f"{st} o/s the bookies", f"outside flats {st}",
                           f"{st}", f"opp {num} {st}"])
        if district and rng.random() < 0.3:
            text += f" {district}"
        add("street", text, "street", x, y, fid)

    # Junctions: bus stops named after two streets the gazetteer holds, the truth the stop.
    for name, x, y in conn.execute(f"""
        WITH street AS (SELECT DISTINCT lower(name) AS n FROM gazetteer.feature WHERE level = 'street')
        SELECT b.name, ST_X(b.geom), ST_Y(b.geom) FROM gazetteer.source_feature b
        JOIN street one ON one.n = lower(trim(split_part(b.name, '/', 1)))
        JOIN street two ON two.n = lower(trim(split_part(b.name, '/', 2)))
        WHERE b.kind = 'bus_stop' AND b.name ~ '^[^/]+/[^/]+$'
        ORDER BY {draw("b.source_key", "jct")} LIMIT %s""", (k["junction"],)).fetchall():
        a, b = (_road(rng, part.strip().title(), 0.7) for part in name.split("/"))
        add("junction", rng.choice(JUNCTION_FORMS).format(a=a, b=b), "junction", x, y, typo_p=0.2)

    # Postcodes, sectors and districts: a random postcode unit of each, its point the truth.
    for display, x, y in conn.execute(f"""
        SELECT display, ST_X(geom), ST_Y(geom) FROM gazetteer.postcode
        ORDER BY {draw("postcode", "unit")} LIMIT %s""", (k["postcode"],)).fetchall():
        pc = display.replace(" ", "") if rng.random() < 0.45 else display
        add("postcode", rng.choice(["{p}", "o/s {p}", "pc: {p}", "nr {p}", "street - {p}"]).format(p=pc),
            "postcode", x, y, case_only=True)
    for sector, x, y in conn.execute(f"""
        SELECT sector, ST_X(geom), ST_Y(geom) FROM gazetteer.postcode
        ORDER BY {draw("postcode", "sector")} LIMIT %s""", (k["sector"],)).fetchall():
        s = sector.replace(" ", "") if rng.random() < 0.5 else sector
        add("sector", rng.choice(["{s}", "{s} area", "street {s}", "somewhere {s}", "nr {s}",
                                  "public place {s}"]).format(s=s), "sector", x, y, case_only=True)
    for district, x, y in conn.execute(f"""
        SELECT district, ST_X(geom), ST_Y(geom) FROM gazetteer.postcode
        ORDER BY {draw("postcode", "district")} LIMIT %s""", (k["district"],)).fetchall():
        add("district", rng.choice(["{d}", "street {d}", "{d} - public place", "somewhere in {d}",
                                    "{d} (pt vague)"]).format(d=district), "district", x, y, case_only=True)

    # Ward names: a random point inside the ward.
    for fid, name, x, y in conn.execute(f"""
        SELECT f.feature_id, f.name, ST_X(pt), ST_Y(pt) FROM gazetteer.feature f
        JOIN ref.area w ON w.level = 'ward' AND w.code = f.source_key
        CROSS JOIN LATERAL ST_GeometryN(ST_GeneratePoints(w.geom, 1, {SEED % 9973}), 1) pt
        WHERE f.kind = 'area'
        ORDER BY {draw("f.source_key", "ward")} LIMIT %s""", (k["area"],)).fetchall():
        text = rng.choice(["{a}", "{a} area", "somewhere in {a}", "{a} - street", "street/public place: {a}",
                           "nr {a}"])
        add("area", text.format(a=name), "area", x, y, fid, typo_p=0.15)

    # No place: home, stated unknown, non-places (one in five of them a friend's or relative's home).
    for _ in range(k["home"]):
        add("home", rng.choice(OWN_HOME), "home", typo_p=0.05)
    for _ in range(k["unknown"]):
        add("unknown", rng.choice(STATED_UNKNOWN), "none", typo_p=0.05)
    for i in range(k["nonplace"]):
        if i % 5 == 2:
            add("nonplace", rng.choice(FRIEND_OR_RELATIVE), "home", typo_p=0.1)
        else:
            add("nonplace", rng.choice(CUSTODY_ETC), "none", typo_p=0.1)
    rng.shuffle(out)
    return out
