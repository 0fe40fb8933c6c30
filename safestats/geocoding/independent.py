"""Independent labelled sets for the geocoder: A&E-style texts written apart from the calibration
generator (safestats.geocoding.labelled), so that the evaluation cannot flatter itself.

Two families, each with its own phrasing and its own noise, drawn from the shared gazetteer with
their own seeds and their own draw order:

- ``desk``: what a receptionist types from what the patient says — sentence-like, mixed case,
  commas and full stops, "pt states", "Outside ... , London", full names of hospitals and chains
  with a room ("waiting room", "reception", "car park"), postcodes at the end, sometimes run together;
- ``notes``: clinical-notes shorthand — upper case, terse, typos that hit the first or last letter
  of a word, repeated words, trailing "?" / "." / "-", run-together sectors ("SE156"), network
  words after station names ("stn", "lu", "dlr", "overground", "rail"), junctions written
  "jnc of ... rd south and ... la".

Both families hold the classes the issue names: venues, chains without a locality (or with a
district / sector / street), hospitals and their rooms, stations, streets, junctions, full
postcodes, sectors, districts, ward-name areas, home texts, stated-unknown texts and non-places
(custody, prison, work, party, vehicle, a friend's house, patient won't say, abroad, various).

The truth of every text is the real place it was written from. Chains: the branch; the reporting
A&E site is the one nearest that branch most of the time (people are treated near where they
were hurt), as for every other class. These sets are never used to choose thresholds: the
evaluation fits the calibration leave-one-family-out and reports each family on a fit that did
not see it.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass

FAMILIES = ("desk", "notes")
SEEDS = {"desk": 7_310_041, "notes": 5_550_917}

# Brand words of high-street chains, as staff write them (first word of the normalised name).
CHAINS = ("tesco", "sainsburys", "costa", "starbucks", "mcdonalds", "kfc", "aldi", "lidl", "greggs",
          "subway", "pret", "nandos", "iceland", "morrisons", "asda", "waitrose", "wetherspoon",
          "dominos", "boots", "londis", "budgens", "wasabi", "itsu", "leon", "wilko")

# Non-place answers seen in ISTV/ECDS free text: where the patient was, without a place.
NONPLACES_NONE = [
    "in police custody", "police custody", "custody", "in custody", "in prison", "prison", "HMP",
    "in a cell", "at work", "work", "at his work", "at her workplace", "workplace", "at a party",
    "house party", "party", "in a car", "in car", "in a vehicle", "vehicle", "in a taxi", "on a bus",
    "on the bus", "on a train", "patient won't say", "pt wont say", "pt would not disclose",
    "pt unable to say", "unable to give location", "pt too intoxicated to say", "abroad",
    "assaulted abroad", "on holiday abroad", "various", "various locations", "multiple locations",
    "refused", "pt refused to give location", "declined to say", "in the street", "on the street",
    "in a park", "outside a pub", "in a shop", "in a club", "nightclub", "at school", "at college",
    "in a hostel", "outside", "public place", "in public",
]
NONPLACES_HOME = ["at a friend's", "at a friends house", "friends flat", "at his mates house",
                  "at relative's house", "at aunts house", "at his girlfriends", "partner's flat",
                  "at his brothers house", "at mums"]
UNKNOWN = ["unknown", "not known", "N/K", "nk", "?", "not disclosed", "no info", "not documented",
           "pt unsure", "can't remember", "cannot recall", "no fixed abode"]
HOME = ["home", "at home", "own home", "home address", "in his home", "her flat", "at pt's home"]

ROOM_DESK = ["in {h} waiting room", "{h} A&E waiting room", "reception of {h}", "in the car park of {h}",
             "outside {h} A&E", "{h} emergency department", "at {h}, main entrance", "{h} car park"]
ROOM_NOTES = ["{h} HOSP UTC", "O/S {h} A&E", "{h} A+E", "{h} waiting rm", "{h} ED", "{h} hosp",
              "IN {h} RECEPTION", "{h} UTC"]
STATION_WORDS = ["tube", "stn", "station", "lu", "overground", "dlr", "rail", "rail station",
                 "underground"]
ROAD_ABBR = {"road": ["rd", "rd."], "street": ["st", "st."], "avenue": ["av", "ave", "avn"],
             "lane": ["la", "ln"], "place": ["pl"], "gardens": ["gdns"], "south": ["sth", "s"],
             "north": ["nth", "n"], "grove": ["gr"], "crescent": ["cres"], "terrace": ["terr"]}


@dataclass
class IndependentExample:
    family: str
    cls: str              # venue, chain, hospital, station, street, junction, postcode, sector, ...
    text: str
    level: str            # the level of the honest best answer ("none" for non-places and unknown)
    x: float | None
    y: float | None
    site_code: str | None
    feature_id: int | None
    typo: bool


def _edge_typo(rng: random.Random, w: str) -> str:
    """A typo that hits the first or last letter (or its neighbour): the kind the generator never makes."""
    if len(w) < 4:
        return w
    pos = rng.choice([0, 1, len(w) - 2, len(w) - 1])
    op = rng.choice(["swap", "drop", "sub", "double"])
    if op == "swap" and pos < len(w) - 1:
        return w[:pos] + w[pos + 1] + w[pos] + w[pos + 2:]
    if op == "drop":
        return w[:pos] + w[pos + 1:]
    if op == "double":
        return w[:pos] + w[pos] + w[pos:]
    near = {"a": "s", "s": "a", "e": "r", "r": "e", "t": "y", "n": "m", "m": "n", "o": "p", "i": "o",
            "l": "k", "k": "l", "d": "f", "g": "h", "h": "g", "c": "v", "b": "v", "p": "o", "w": "e"}
    c = w[pos].lower()
    return w[:pos] + near.get(c, c) + w[pos + 1:]


def _abbr(rng: random.Random, text: str, p: float) -> str:
    out = []
    for w in text.split():
        lw = w.lower().strip(",.")
        out.append(rng.choice(ROAD_ABBR[lw]) if lw in ROAD_ABBR and rng.random() < p else w)
    return " ".join(out)


def _typo_words(rng: random.Random, text: str, p: float) -> tuple[str, bool]:
    words = text.split()
    cand = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if cand and rng.random() < p:
        i = rng.choice(cand)
        words[i] = _edge_typo(rng, words[i])
        return " ".join(words), True
    return text, False


def _desk_noise(rng: random.Random, text: str, typo_p: float = 0.2) -> tuple[str, bool]:
    text, typo = _typo_words(rng, text, typo_p)
    r = rng.random()
    if r < 0.15:
        text = "Pt states " + text[0].lower() + text[1:]
    elif r < 0.25:
        text = "Assaulted " + text[0].lower() + text[1:]
    if rng.random() < 0.3:
        text += rng.choice([".", ",", " .", ", London", ", london."])
    return text, typo


def _notes_noise(rng: random.Random, text: str, typo_p: float = 0.45) -> tuple[str, bool]:
    text, typo = _typo_words(rng, text, typo_p)
    words = text.split()
    if len(words) >= 2 and rng.random() < 0.15:        # a word typed twice
        i = rng.randrange(len(words))
        words.insert(i, words[i])
    text = " ".join(words)
    r = rng.random()
    text = text.upper() if r < 0.6 else text.lower() if r < 0.9 else text
    if rng.random() < 0.3:
        text += rng.choice(["?", ".", " -", "..", " ?", "!"])
    return text, typo


def _clean_name(name: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[()]", " ", name)).strip()


def generate_family(conn, family: str, n: int = 900) -> list[IndependentExample]:
    """One independent family of about ``n`` texts (reproducible for a given gazetteer)."""
    if family not in FAMILIES:
        raise ValueError(f"unknown family {family!r}; expected one of {FAMILIES}")
    seed = SEEDS[family]
    rng = random.Random(seed)
    desk = family == "desk"
    noise = _desk_noise if desk else _notes_noise

    def order(expr: str, salt: str) -> str:
        return f"md5(concat_ws('|', {expr}, 'indep-{family}-{salt}-{seed}'))"

    sites = conn.execute("SELECT site_code, ST_X(geom), ST_Y(geom) FROM health.ae_site "
                         "WHERE geom IS NOT NULL ORDER BY site_code").fetchall()

    def site_for(x, y):
        if x is None or not sites:
            return rng.choice(sites)[0] if sites and rng.random() < 0.9 else None
        r = rng.random()
        if r < 0.08:
            return None
        ranked = sorted(sites, key=lambda s: (s[1] - x) ** 2 + (s[2] - y) ** 2)
        return ranked[0][0] if r < 0.85 else ranked[min(1, len(ranked) - 1)][0]

    share = {"venue": 0.14, "chain": 0.12, "hospital": 0.08, "station": 0.10, "street": 0.12,
             "junction": 0.07, "postcode": 0.06, "sector": 0.07, "district": 0.03, "area": 0.04,
             "home": 0.04, "unknown": 0.03, "nonplace": 0.10}
    k = {c: max(6, int(n * s)) for c, s in share.items()}
    out: list[IndependentExample] = []

    def add(cls, text, level, x, y, fid, noisy=True, typo_p=None):
        typo = False
        if noisy:
            text, typo = noise(rng, text) if typo_p is None else noise(rng, text, typo_p)
        out.append(IndependentExample(family, cls, " ".join(text.split()) if desk else text, level, x, y,
                                      site_for(x, y), fid, typo))

    # Venues (not chains): by name, with the street or district as the patient gave it.
    for fid, name, street, district, x, y in conn.execute(f"""
        SELECT f.feature_id, f.name, initcap(f.street_norm), f.district, ST_X(f.geom), ST_Y(f.geom)
        FROM gazetteer.feature f
        WHERE f.level = 'venue' AND f.kind IN ('venue', 'pub', 'park') AND f.name !~ '[0-9]'
          AND length(f.name) BETWEEN 5 AND 35
          AND (SELECT count(*) FROM gazetteer.feature g WHERE g.norm = f.norm AND g.level = 'venue') = 1
        ORDER BY {order("f.name, f.feature_id", "venue")} LIMIT %s""", (k["venue"],)).fetchall():
        name = _clean_name(name)
        r = rng.random()
        if desk:
            text = (f"Outside {name}, {street}" if street and r < 0.35 else
                    f"inside {name} ({district})" if district and r < 0.55 else f"at the {name}")
        else:
            text = (f"{name} {street}" if street and r < 0.3
                    else f"IN {name} {district}" if district and r < 0.5
                    else f"OS {name}" if r < 0.7 else name)
        add("venue", text, "venue", x, y, fid)

    # Chains: a branch of a brand the gazetteer holds several times.
    chains = conn.execute("""
        SELECT b, count(*) FROM (SELECT split_part(norm, ' ', 1) AS b FROM gazetteer.feature
                                 WHERE level = 'venue' AND kind = 'venue') v
        WHERE b = ANY(%s) GROUP BY b HAVING count(*) >= 4 ORDER BY b""", (list(CHAINS),)).fetchall()
    if chains:
        per = max(1, k["chain"] // len(chains) + 1)
        rows = []
        for brand, _ in chains:
            rows += conn.execute(f"""
                SELECT f.feature_id, f.name, initcap(f.street_norm), f.district,
                       (SELECT p.sector FROM gazetteer.postcode p ORDER BY p.geom <-> f.geom LIMIT 1),
                       ST_X(f.geom), ST_Y(f.geom), %s
                FROM gazetteer.feature f
                WHERE f.level = 'venue' AND f.kind = 'venue' AND split_part(f.norm, ' ', 1) = %s
                ORDER BY {order("f.feature_id, f.name", "chain")} LIMIT %s""", (brand, brand, per)).fetchall()
        rng.shuffle(rows)
        for fid, name, street, district, sector, x, y, brand in rows[:k["chain"]]:
            word = {"sainsburys": "sainsburys", "mcdonalds": "mcdonalds"}.get(brand, brand)
            if rng.random() < 0.3:
                word = name.split()[0]
            r = rng.random()
            cls = "chain"                      # with a district, sector or street
            if r < 0.25:
                text = f"{word} {district}" if district else f"{word} london"
                cls = "chain" if district else "chain, no locality"
            elif r < 0.4 and sector:
                text = f"{word} {sector}"
            elif r < 0.6 and street:
                text = f"{word} {street}" if desk else f"{word} on {street}"
            elif r < 0.8:
                text = f"{word} london" if rng.random() < 0.5 else f"inside {word}"
                cls = "chain, no locality"
            else:
                text = word if not desk else f"outside {word}"
                cls = "chain, no locality"
            add(cls, text, "venue", x, y, fid)

    # Hospitals: their names, usual shortenings, and rooms.
    for fid, name, x, y in conn.execute(f"""
        SELECT feature_id, name, ST_X(geom), ST_Y(geom) FROM gazetteer.feature
        WHERE kind IN ('hospital', 'ae_site') AND name ~* 'hospital'
        ORDER BY {order("name, feature_id", "hosp")} LIMIT %s""", (k["hospital"],)).fetchall():
        h = _clean_name(name)
        if rng.random() < 0.5:
            h = re.sub(r"(?i)\s*\b(university|nhs|foundation|trust)\b", "", h)
            h = re.sub(r"(?i)\bhospital\b", rng.choice(["hosp", "hospital", ""]), h).strip()
            h = re.sub(r"(?i)\bsaint\b", "st", h).replace("'", "")
        tmpl = rng.choice(ROOM_DESK if desk else ROOM_NOTES)
        add("hospital", tmpl.format(h=h), "venue", x, y, fid, typo_p=0.15)

    # Stations, with network words and typos.
    for fid, name, x, y in conn.execute(f"""
        SELECT feature_id, name, ST_X(geom), ST_Y(geom) FROM gazetteer.feature
        WHERE kind = 'station' AND level = 'venue'
        ORDER BY {order("name, feature_id", "stn")} LIMIT %s""", (k["station"],)).fetchall():
        s = _clean_name(re.sub(r"(?i)\b(underground|rail|dlr|overground)?\s*station\b", "", name))
        word = rng.choice(STATION_WORDS)
        text = (rng.choice(["outside {s} {w}", "{s} {w} entrance", "on the platform at {s} {w}",
                            "ticket hall {s} {w}"]) if desk
                else rng.choice(["{s} {w}", "O/S {s} {w}", "ticket hall {s} {w}", "{s} {w} barriers"]))
        add("station", text.format(s=s, w=word), "venue", x, y, fid, typo_p=0.5)

    # Streets: a point of the street, with a house number or a district.
    for fid, name, district, x, y in conn.execute(f"""
        SELECT f.feature_id, f.name, f.district, ST_X(p.geom), ST_Y(p.geom)
        FROM (SELECT * FROM gazetteer.feature WHERE level = 'street'
              ORDER BY {order("norm, feature_id", "street")} LIMIT %s) f
        CROSS JOIN LATERAL (SELECT (d).geom FROM ST_Dump(coalesce(f.extent, f.geom)) d
                            ORDER BY {order("ST_AsText((d).geom)", "pt")} LIMIT 1) p""",
                                                   (k["street"],)).fetchall():
        nm = _abbr(rng, name, 0.5)
        r = rng.random()
        if desk:
            text = (f"outside {rng.randint(2, 180)} {nm}" if r < 0.3
                    else f"{nm}, {district}" if r < 0.6 and district else f"on {nm}")
        else:
            text = (f"{rng.randint(1, 99)} {nm}" if r < 0.3 else f"{nm} {district}" if r < 0.5 and district
                    else f"STREET {nm}" if r < 0.6 else nm)
        add("street", text, "street", x, y, fid)

    # Junctions: bus stops named after two streets.
    for name, x, y in conn.execute(f"""
        SELECT name, ST_X(geom), ST_Y(geom) FROM gazetteer.source_feature
        WHERE kind = 'bus_stop' AND name ~ '^[^/]+ / [^/]+$'
          AND safestats_internal.gazetteer_is_street(
                safestats_internal.geocode_normalise(split_part(name, ' / ', 1)))
          AND safestats_internal.gazetteer_is_street(
                safestats_internal.geocode_normalise(split_part(name, ' / ', 2)))
        ORDER BY {order("name, source_key", "jct")} LIMIT %s""", (k["junction"],)).fetchall():
        a, b = [_abbr(rng, p.strip().title(), 0.7) for p in name.split(" / ")]
        tmpl = (rng.choice(["corner of {a} & {b}", "at the junction of {a} with {b}", "{a} at {b}",
                            "crossroads {a} and {b}"]) if desk
                else rng.choice(["jnc of {a} and {b}", "{a} x {b}", "{a} j/w {b}", "JCT {a}/{b}",
                                 "{a} & {b}"]))
        add("junction", tmpl.format(a=a, b=b), "junction", x, y, None, typo_p=0.25)

    # Full postcodes (run together half the time), sectors and districts with noise.
    for disp, x, y in conn.execute("SELECT display, ST_X(geom), ST_Y(geom) FROM gazetteer.postcode "
                                   f"ORDER BY {order('postcode', 'pc')} LIMIT %s",
                                   (k["postcode"],)).fetchall():
        pc = disp.replace(" ", "") if rng.random() < 0.5 else disp
        text = (rng.choice(["postcode {p}", "near {p}", "{p}", "{p}."]) if desk
                else rng.choice(["{p}", "{p}?", "NR {p}", "({p})"])).format(p=pc)
        add("postcode", text, "postcode", x, y, None, noisy=False)
    for sector, x, y in conn.execute("SELECT sector, ST_X(geom), ST_Y(geom) FROM gazetteer.postcode "
                                     f"ORDER BY {order('postcode', 'sector')} LIMIT %s",
                                     (k["sector"],)).fetchall():
        s = sector.replace(" ", "") if rng.random() < 0.5 else sector
        text = (rng.choice(["somewhere in {s}", "{s} area", "near {s}", "street {s}"]) if desk
                else rng.choice(["{s}", "{s}?", "nr {s}", "{s} -", "STREET {s}"])).format(s=s)
        text = text.lower() if rng.random() < 0.5 else text.upper()
        add("sector", text, "sector", x, y, None, noisy=False)
    for district, x, y in conn.execute("SELECT district, ST_X(geom), ST_Y(geom) FROM gazetteer.postcode "
                                       f"ORDER BY {order('postcode', 'district')} LIMIT %s",
                                       (k["district"],)).fetchall():
        text = (rng.choice(["somewhere in {d}", "{d} area", "street in {d}"]) if desk
                else rng.choice(["{d}", "{d}?", "NR {d}", "ST {d}"])).format(d=district)
        add("district", text.lower() if rng.random() < 0.5 else text, "district", x, y, None, noisy=False)

    # Ward-name areas.
    for fid, name, x, y in conn.execute(f"""
        SELECT f.feature_id, f.name, ST_X(p), ST_Y(p) FROM gazetteer.feature f
        JOIN ref.area a ON a.level = 'ward' AND a.code = f.source_key
        CROSS JOIN LATERAL ST_GeometryN(ST_GeneratePoints(a.geom, 1, {seed % 1000}), 1) p
        WHERE f.kind = 'area' ORDER BY {order("f.name, f.source_key", "area")} LIMIT %s""",
                                        (k["area"],)).fetchall():
        text = rng.choice(["somewhere in {a}", "{a} area", "around {a}"] if desk
                          else ["{a}", "IN {a}", "{a} AREA"])
        add("area", text.format(a=name), "area", x, y, fid, typo_p=0.1)

    # Home, stated unknown, non-places: no point is right.
    for _ in range(k["home"]):
        add("home", rng.choice(HOME), "home", None, None, None)
    for _ in range(k["unknown"]):
        add("unknown", rng.choice(UNKNOWN), "none", None, None, None, typo_p=0.0)
    for i in range(k["nonplace"]):
        if i % 5 == 4:
            add("nonplace", rng.choice(NONPLACES_HOME), "home", None, None, None, typo_p=0.1)
        else:
            add("nonplace", rng.choice(NONPLACES_NONE), "none", None, None, None, typo_p=0.1)
    rng.shuffle(out)
    return out
