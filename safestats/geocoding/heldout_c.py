"""A third held-out labelled set for the geocoder: ``crew``.

Written on 2026-12-06 between 04:20 and 04:28 UTC (system clock) by a helper working apart from
the geocoder. Its author read none of the geocoder's SQL (db/functions/), none of docs/geocoding.md
and none of the failure or blind lists (blind.py, blind_nonplaces.txt, /work/probe). Of the other
families it read only the interface: ``IndependentExample``, ``CHAINS`` and ``_clean_name`` in
independent.py, and heldout_b.py's module docstring, ``SHARES`` and ``generate`` (how truths are drawn
from the gazetteer and how the reporting site is chosen); none of their phrase lists. Every phrasing
below and the noise model were written from how London Ambulance Service crews fill in the
incident-location line of a patient report (ePCR) or say it at the A&E handover. The geocoder was not
run on these texts while they were written (only the texts, their classes and levels were looked at),
and the module has never been used to develop the geocoder or to fit its calibration. If it is ever
looked at to tune the geocoder, it is no longer held out: say so in docs/geocoding.md and write a new
family.

Style: crew shorthand. A lead-in ("LOC:", "Scene -", "called to", "pt found", "FOUND AT", "conveyed
from", "pt states assaulted at", "PD req amb to") in front of the place, "@" for at, "o/s" (outside),
"nr", "opp", "j/w" / "x/j" / "xs" / "x" (junction with), "stn", "tube", "lu", "ug", "o/g", "dlr",
platforms and ticket barriers, the parts of a hospital where crews hand over or get assaulted
(ambulance bay, resus, majors, minors waiting area, outside the ED entrance, car park), chains with and
without a locality (a sector or district sometimes run together or behind stray punctuation), "HA"
(home address), "NOK", "PD" (police), "BTP", "MOP" (member of the public).

Noise (its own model): each text is written in one of several cases (as typed, all lower, ALL CAPS,
Initial Caps, a shouted lead word); each word of five letters or more (letters only, so never a
postcode or a house number) gets one typo with a probability given per class (about one in four for
places): a letter left out, two different neighbours swapped, a letter doubled, or a key next to the
right one (same QWERTY row or the row above / below), first and last letters included; now and then a
word is typed twice, the space after a comma or colon is dropped, and the text ends in a stray ".",
"-", "??" or the like. Postcodes are never mistyped; they may lose their space or gain one.

Truth: the place the text names, drawn from the gazetteer as the other families draw it (a unique
venue's point, a random branch of a chain, a hospital's or station's point, a random point of a street,
the bus stop named after two streets, a random unit of a postcode / sector / district, a random point in
a ward). The reporting A&E site is usually the nearest to the truth, sometimes the next one or two, and
missing in a few texts. Home, stated unknowns and non-places (custody, prison, work, a party, a vehicle,
a train between stations, a hostel without a name, refused, abroad, various) have no point; a friend's
or relative's home is labelled ``home`` as the other families do.

Status since its first run: its failures were read from 2026-12-06 14:30 UTC and the geocoder was developed on
them, so it is now a development set (docs/geocoding.md says which rules it led to); what is said
above of it being unseen held only until then.
"""
from __future__ import annotations

import random
import re

from .independent import CHAINS, IndependentExample, _clean_name
from .sites import reporting_site_chooser

FAMILY = "crew"
SEED = 6_472_918

SHARES = {"venue": 0.13, "chain": 0.11, "hospital": 0.09, "station": 0.11, "street": 0.12,
          "junction": 0.08, "postcode": 0.05, "sector": 0.05, "district": 0.03, "area": 0.04,
          "home": 0.04, "unknown": 0.03, "nonplace": 0.12}

# --- crew phrasings ---------------------------------------------------------------------------------
# Lead-ins before a bare place name, and before a place with its own preposition ("o/s X", "in X").
LEAD_NOUN = ["", "", "", "", "LOC: ", "Loc- ", "Scene: ", "inc loc ", "called to ", "attended ", "FOUND AT ",
             "pt found at ", "conveyed from ", "pt states assaulted at ", "assault @ ", "pt collected from ",
             "PD req amb to ", "MOP called 999 from ", "@ ", "loc of incident: ", "Incident location - "]
LEAD_PREP = ["", "", "", "", "LOC: ", "Scene - ", "pt found ", "pt found lying ", "assaulted ",
             "pt states assaulted ", "pt located ", "found ", "PD on scene ", "inc ", "pt states punched "]

VENUE_NOUN = {
    "pub": ["{v}", "{v} PH", "{v} pub", "{v} P/H", "beer garden of {v}", "smoking area {v}", "{v} toilets",
            "{v} - door staff on scene", "{v} bar"],
    "park": ["{v}", "{v} playground", "{v} main gates", "{v} footpath", "{v} - by the cafe",
             "{v} tennis courts", "{v} car park", "{v} bandstand"],
    "venue": ["{v}", "{v} - staff called amb", "{v} - manager called amb", "{v} entrance",
              "{v} - security holding pt", "{v} front counter"],
}
VENUE_PREP = {
    "pub": ["o/s {v}", "inside {v}", "in {v}", "outside the {v} pub", "nr {v}", "on pavement o/s {v}",
            "in the toilets at {v}", "by the bar in {v}"],
    "park": ["in {v}", "in {v} by the pond", "on grass in {v}", "nr the gates of {v}",
             "on the path through {v}", "o/s {v}", "on a bench in {v}"],
    "venue": ["o/s {v}", "inside {v}", "in {v}", "nr {v}", "on floor inside {v}", "by the door of {v}",
              "opp {v}", "behind {v}"],
}

BRAND_SPELLINGS = {"mcdonalds": ["mcdonalds", "mcdonald's", "maccies", "mcd's"],
                   "sainsburys": ["sainsbury's", "sainsbury", "sainsburys"],
                   "wetherspoon": ["wetherspoons", "spoons", "wetherspoons pub"],
                   "tesco": ["tescos", "tesco's", "tesco"], "nandos": ["nando's"], "dominos": ["domino's"],
                   "morrisons": ["morrison's"], "kfc": ["k.f.c", "kfc"], "pret": ["pret a manger"],
                   "boots": ["boots chemist"], "starbucks": ["starbucks coffee"], "costa": ["costa coffee"]}
BRANCH_FORMATS = {"express", "metro", "local", "extra", "superstore", "superdrug", "drive", "thru"}
CHAIN_NOLOC = ["o/s {c}", "inside {c}", "{c} car park", "assaulted in {c}", "pt found o/s {c}",
               "{c} - staff called", "called to {c}", "@ {c}", "by the {c}", "security @ {c} holding pt",
               "in the queue at {c}", "{c} shop floor", "LOC: {c}", "FOUND AT {c}", "behind the {c}"]
CHAIN_STREET = ["o/s {c} {w}", "{c} on {w}", "inside {c}, {w}", "called to {c} {w}", "@ {c} / {w}",
                "{c} - {w}", "LOC: {c} {w}"]
CHAIN_PLACE = ["{c} {d}", "{c}, {d}", "{c}({d})", "o/s {c} in {d}", "{c} @ {d}", "{c}.{d}", "{c} -{d}",
               "{c}/{d}"]

# hospitals with an emergency department (an A&E site at or beside them), then any hospital
HOSPITAL_ROOMS = ["{h} ambulance bay", "amb bay {h}", "{h} resus", "resus @ {h}", "ED majors {h}",
                  "{h} ED majors", "minors waiting area {h}", "{h} A&E minors", "outside ED entrance {h}",
                  "o/s {h} ED", "{h} hospital car park", "car park @ {h}", "{h} UTC", "{h} A+E reception",
                  "{h} - smoking shelter o/s main entrance", "{h} main entrance", "triage {h}",
                  "{h} paeds ED", "{h} ED cubicle 4", "{h} majors corridor", "assaulted by pt in {h} resus",
                  "handover area {h} ED", "{h} drop-off point", "{h} ED waiting room"]
HOSPITAL_GROUNDS = ["{h} main entrance", "car park @ {h}", "{h} reception", "o/s {h}", "{h} ward 3",
                    "{h} outpatients", "{h} - smoking shelter o/s main entrance", "{h} ambulance bay",
                    "{h} drop-off point", "{h} hospital car park", "grounds of {h}", "{h} main corridor"]

STATION_FORMS = ["{s} {m}", "{s} {m}", "{s} stn", "platform {p} {s} {m}", "{s} stn platform {p}",
                 "ticket barriers {s} {m}", "{s} {m} - ticket barriers", "o/s {s} stn",
                 "{s} station forecourt", "escalators {s} {m}", "{s} {m} ticket hall",
                 "stairs to platform {p}, {s}", "{s} stn, BTP on scene", "bus stops o/s {s} stn",
                 "{s} {m} - by the gates", "pt found on platform @ {s} {m}", "taxi rank {s} stn",
                 "{s} stn toilets", "lift at {s} {m}", "{s} {m} entrance", "plat {p} {s}"]
MODE_WORDS = {"tube": ["tube", "lu", "ug", "u/g", "tube stn", "underground"],
              "dlr": ["dlr", "dlr stn"], "overground": ["overground", "o/g", "o/g stn"],
              "rail": ["stn", "rail stn", "station", "train stn"],
              "any": ["stn", "station", "tube", "lu", "stn", "rail stn", "o/g"]}

STREET_FORMS = ["o/s {n} {st}", "o/s no.{n} {st}", "on pavement o/s {n} {st}", "{st} nr no {n}",
                "bus stop on {st}", "{st} bus stop", "{st}, on the pavement", "in the road {st}",
                "alleyway off {st}", "{st} o/s the chicken shop", "{st} by the shops",
                "on {st} by the lights", "{st}", "{st}", "{st} nr the bookies",
                "outside the launderette {st}", "pt found lying in gutter {st}", "RTC {st}",
                "{st} - MOP with pt", "opp {n} {st}", "{st} o/s the off licence", "nr cash point {st}"]

JUNCTION_FORMS = ["{a} j/w {b}", "{a} jw {b}", "{a} x/j {b}", "{a} xs {b}", "{a} x {b}", "{a}/{b}",
                  "{a} / {b} junction", "jct {a} & {b}", "junction of {a} and {b}", "corner of {a} and {b}",
                  "{a} @ {b}", "RTC {a} j/w {b}", "bus stop {a} x {b}", "traffic lights {a}/{b}",
                  "crossing at {a} j/w {b}", "{a} nr jct with {b}", "{a} (x {b})", "{a} by {b}"]

POSTCODE_FORMS = ["{p}", "{p}", "LOC: {p}", "o/s {p}", "scene {p}", "pc {p}", "pt found nr {p}", "@ {p}",
                  "street - {p}", "road nr {p}", "called to {p}", "loc pc:{p}"]
SECTOR_FORMS = ["{s}", "{s} area", "somewhere in {s}", "street nr {s}", "LOC {s} (pt vague)", "around {s}",
                "{s} - exact loc unknown", "pt found {s}"]
DISTRICT_FORMS = ["{d}", "somewhere {d}", "{d} area, pt unsure exact loc", "street in {d}", "around {d}",
                  "LOC: {d}"]
AREA_FORMS = ["{a}", "{a} area", "somewhere in {a}", "street in {a}", "{a} - pt vague", "around {a}",
              "pt found wandering {a}", "LOC: {a}", "out in {a}"]

HOME_FORMS = ["at home address", "pt's own property", "at HA", "home addr", "own home", "pt's flat",
              "in pt's house", "at home", "HA - pt's bedroom", "pt's home address", "address on ePCR",
              "at own address", "domestic - at HA", "pt's kitchen at HA", "home, front door",
              "inside home address", "own residence", "DA at HA", "HA (see ePCR)",
              "at pt's home, PD on scene"]

UNKNOWN_FORMS = ["pt unable to say", "unclear", "LOC unknown", "loc unk", "pt unsure", "not known",
                 "pt can't recall", "pt not forthcoming", "unknown - pt intoxicated", "?", "?? unknown",
                 "N/K", "unable to establish", "not stated", "pt vague, no loc given",
                 "pt amnesic to event", "unk", "loc not given", "pt confused re location"]

FRIEND_OR_RELATIVE = ["at a friend's", "mates flat", "friends address", "at NOK address", "partner's flat",
                      "at her mum's", "at bf's house", "gf's address", "at brother's flat",
                      "relative's house", "at a mate's", "ex-partner's address", "cousin's house",
                      "at NOK's home"]

NON_PLACES = [
    # custody and prison
    "in police custody", "PD custody suite", "custody", "in cells", "while in custody",
    "in back of police van", "BIBP from custody", "custody suite, pt arrested", "HMP", "in prison",
    "HMP - cell", "prison cell", "YOI", "at YOI", "HMP, pt cuffed w/ 2 officers", "in jail",
    # work
    "at work", "at place of work", "at work - security guard", "pt's workplace", "on shift at work",
    "at a job", "at work site", "on a job (builder)", "at work (door staff)", "while delivering at work",
    # a party
    "at a party", "house party", "at a party unknown addr", "party - pt can't remember where",
    "at a gathering", "at a rave", "birthday party",
    # a vehicle, in transit
    "in a vehicle", "in car", "in the back of a car", "on a bus", "on the bus", "on a night bus", "in a cab",
    "in an uber", "in a taxi", "in own car", "in a van", "assault on crew in back of amb", "on a train",
    "on the tube between stops", "on a train in transit", "on an overground train", "in transit",
    # refused, abroad, various
    "pt refused to say", "refused", "declined", "pt declined to disclose", "refused to disclose loc",
    "abroad", "on holiday abroad", "happened abroad", "overseas", "out of the country",
    "various", "various locations", "multiple locs", "all over", "various - ongoing DV",
    # unnamed places
    "in a hostel", "hostel", "at a hostel", "homeless hostel", "night shelter", "temp accommodation",
    "on the street, pt not sure which", "in a park, doesn't know which", "at a club - unknown which",
    "in a pub, unable to say which", "at school", "at college", "in a stairwell", "at a hotel",
]

ROAD_SHORT = {"road": ["rd", "Rd", "RD", "rd."], "street": ["st", "St", "ST"], "avenue": ["ave", "av", "Ave"],
              "lane": ["ln", "la", "Lane"], "gardens": ["gdns", "gdn"], "place": ["pl", "Pl"],
              "crescent": ["cres", "cresc"], "close": ["cl", "Cl"], "square": ["sq", "Sq"],
              "terrace": ["terr", "tce"], "grove": ["gr", "grv"], "drive": ["dr", "Dr"], "court": ["ct"],
              "park": ["pk"], "hill": ["hl", "hill"], "parade": ["pde"]}

# --- noise ---------------------------------------------------------------------------------------------
KEY_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def _near_keys(c: str) -> list[str]:
    """Keys next to c: its neighbours on the row and the two touching it on the rows above and below."""
    low = c.lower()
    for r, row in enumerate(KEY_ROWS):
        i = row.find(low)
        if i < 0:
            continue
        near = [row[j] for j in (i - 1, i + 1) if 0 <= j < len(row)]
        if r > 0:
            near += [KEY_ROWS[r - 1][j] for j in (i, i + 1) if j < len(KEY_ROWS[r - 1])]
        if r < 2:
            near += [KEY_ROWS[r + 1][j] for j in (i - 1, i) if 0 <= j < len(KEY_ROWS[r + 1])]
        return [k.upper() if c.isupper() else k for k in near]
    return []


def _crew_typo(rng: random.Random, w: str) -> str:
    """One edit anywhere in w (first and last letters too); never w itself when w has two letters or more."""
    for _ in range(20):
        op = rng.choice(("drop", "swap", "double", "key"))
        if op == "drop" and len(w) > 1:
            i = rng.randrange(len(w))
            return w[:i] + w[i + 1:]
        if op == "swap":
            spots = [i for i in range(len(w) - 1) if w[i] != w[i + 1]]
            if spots:
                i = rng.choice(spots)
                return w[:i] + w[i + 1] + w[i] + w[i + 2:]
        if op == "double" and w:
            i = rng.randrange(len(w))
            return w[:i + 1] + w[i] + w[i + 1:]
        if op == "key":
            spots = [i for i, c in enumerate(w) if _near_keys(c)]
            if spots:
                i = rng.choice(spots)
                return w[:i] + rng.choice(_near_keys(w[i])) + w[i + 1:]
    return w


def _recase(rng: random.Random, text: str) -> str:
    r = rng.random()
    if r < 0.3:
        return text.lower()
    if r < 0.5:
        return text.upper()
    if r < 0.58:
        return " ".join(t[:1].upper() + t[1:] if t.isalpha() else t for t in text.split(" "))
    if r < 0.66:
        first, _, rest = text.partition(" ")
        return f"{first.upper()} {rest}".strip()
    return text


def _crew_noise(rng: random.Random, text: str, typo_p: float) -> tuple[str, bool]:
    """Crew-style noise. Returns (text, whether a word got a typo). Words holding a digit (postcodes,
    house numbers, platforms) are never mistyped; only words of five letters or more are."""
    typo = False
    tokens = text.split(" ")
    for j, tok in enumerate(tokens):
        m = re.fullmatch(r"([^A-Za-z0-9]*)(.*?)([^A-Za-z0-9]*)", tok)
        core = m.group(2)
        if core.isascii() and core.isalpha() and len(core) >= 5 and rng.random() < typo_p:
            new = _crew_typo(rng, core)
            if new != core:
                tokens[j], typo = m.group(1) + new + m.group(3), True
    if len(tokens) > 1 and rng.random() < 0.04:
        j = rng.randrange(len(tokens))
        if tokens[j].isalpha():
            tokens.insert(j, tokens[j])
    text = _recase(rng, " ".join(tokens))
    text = re.sub(r"([,:;])\s+", lambda m: m.group(1) if rng.random() < 0.3 else m.group(0), text)
    if rng.random() < 0.2:
        text = text.rstrip() + rng.choice([".", "-", "??", "?", "..", " -", " .", ",", "/", " ?", "!"])
    return text, typo


def _postcode(rng: random.Random, display: str) -> str:
    """A postcode as a crew types it: with its space, without it, or now and then with one more."""
    r = rng.random()
    if r < 0.4:
        return display.replace(" ", "")
    if r < 0.48:
        return re.sub(r"^([A-Za-z]{1,2})(?=\d)", r"\1 ", display)
    return display


def _road(rng: random.Random, name: str, p: float = 0.5) -> str:
    """A street name with its type word shortened the way crews do, some of the time."""
    words = name.split()
    if len(words) > 1 and words[-1].lower() in ROAD_SHORT and rng.random() < p:
        words[-1] = rng.choice(ROAD_SHORT[words[-1].lower()])
    return " ".join(words)


def _initial_caps(name: str) -> str:
    """ "ST JOHN'S RD" -> "St John's Rd" (str.title would give "John'S")."""
    return " ".join(w[:1].upper() + w[1:].lower() for w in name.split())


def _hospital_name(rng: random.Random, name: str) -> str:
    """The hospital's own name out of the gazetteer's (no trust, no operator), shortened as crews do."""
    h = next((p for p in re.split(r"\s+-\s+|,\s*", name) if re.search(r"(?i)hospital", p)), name)
    h = _clean_name(re.sub(r"(?i)\b(the|nhs|foundation|trust)\b", " ", h))
    if re.match(r"(?i)hospital\s+(of|for)\s", h):          # "Hospital of St John & St Elizabeth"
        h = re.sub(r"(?i)^hospital\s+(of|for)\s+(.*)$", r"\2 hospital", h)
    r = rng.random()
    if r < 0.3:
        h = re.sub(r"(?i)(?<=\S)\s+hospital$", "", h)       # "Kingston", "Royal Free"
    elif r < 0.55:
        h = re.sub(r"(?i)\bhospital\b", rng.choice(["hosp", "hsp", "hosp."]), h)
    h = re.sub(r"(?i)\bsaint\b", "St", h)
    h = re.sub(r"(?i)\bst\.", "St", h)
    if rng.random() < 0.3:
        h = h.replace("'", "")
    return " ".join(h.split())


def _station_name(name: str, network: str = "") -> tuple[str, str]:
    """(the station's name without the word station or its network, the network its name or its source
    row says: the word a crew would put after it)."""
    low = f"{name} {network}".lower()
    net = ("dlr" if re.search(r"\bdlr\b|docklands", low) else
           "tube" if re.search(r"\b(lu|underground|tube)\b|line\)", low) else
           "overground" if re.search(r"\b(lo|overground)\b", low) else
           "rail" if re.search(r"\b(rail|nr|naptan_rail|elizabeth|tfl rail)\b", low) else "any")
    s = re.sub(r"\([^)]*\)", " ", name)
    s = re.sub(r"(?i)\b(dlr|lu|lo|nr|underground|overground|tube|rail|railway|station|stn)\b", " ", s)
    s = _clean_name(re.sub(r"\s+-\s*$|^\s*-\s+", " ", s.strip()))
    return (s.strip(" -") or _clean_name(name)), net


def generate(conn, n: int = 900) -> list[IndependentExample]:
    """The held-out ``crew`` family, about ``n`` texts (reproducible for a given gazetteer)."""
    rng = random.Random(SEED)
    k = {c: max(6, int(n * s)) for c, s in SHARES.items()}
    out: list[IndependentExample] = []

    def order(expr: str, salt: str) -> str:
        return f"md5('{SEED}/{salt}/{FAMILY}/' || {expr})"

    reporting_site = reporting_site_chooser(conn, rng, none_unplaced=0.15, none_placed=0.08,
                                       nearest=0.85, second=0.96)

    def add(cls, text, level, x=None, y=None, fid=None, typo_p=0.25):
        text, typo = _crew_noise(rng, text, typo_p)
        out.append(IndependentExample(FAMILY, cls, " ".join(text.split()), level, x, y,
                                      reporting_site(x, y), fid, typo))

    def placed(noun_forms, prep_forms, **names):
        """A place phrase with a crew lead-in in front."""
        if rng.random() < 0.5:
            return rng.choice(LEAD_NOUN) + rng.choice(noun_forms).format(**names)
        return rng.choice(LEAD_PREP) + rng.choice(prep_forms).format(**names)

    # Named venues (shops, pubs, parks) whose name is unique in the gazetteer.
    for fid, name, kind, street, district, x, y in conn.execute(f"""
        SELECT f.feature_id, f.name, f.kind, s.street, f.district, ST_X(f.geom), ST_Y(f.geom)
        FROM (SELECT *, count(*) OVER (PARTITION BY norm) AS same FROM gazetteer.feature
              WHERE level = 'venue') f
        LEFT JOIN gazetteer.source_feature s ON s.source = f.source AND s.source_key = f.source_key
        WHERE f.same = 1 AND f.kind IN ('venue', 'pub', 'park') AND f.name !~ '[0-9]'
          AND length(f.name) BETWEEN 4 AND 40
        ORDER BY {order("f.feature_id::text", "venue")} LIMIT %s""", (k["venue"],)).fetchall():
        text = placed(VENUE_NOUN[kind], VENUE_PREP[kind], v=_clean_name(name))
        r = rng.random()
        if street and r < 0.25:
            w = _road(rng, _clean_name(street))
            text += rng.choice([", {w}", " {w}", " on {w}", " / {w}"]).format(w=w)
        elif district and r < 0.45:
            text += rng.choice([" {d}", " ({d})", ", {d}"]).format(d=district)
        add("venue", text, "venue", x, y, fid)

    # Chains: a random branch of a brand with four or more branches; some texts say where.
    per = max(1, k["chain"] // max(1, len(CHAINS)) + 2)
    for fid, name, brand, street, sector, pdistrict, x, y in conn.execute(f"""
        WITH branch AS (
          SELECT f.*, split_part(f.norm, ' ', 1) AS brand,
                 count(*) OVER (PARTITION BY split_part(f.norm, ' ', 1)) AS branches,
                 row_number() OVER (PARTITION BY split_part(f.norm, ' ', 1)
                                    ORDER BY {order("f.feature_id::text", "branch")}) AS nth
          FROM gazetteer.feature f
          WHERE f.level = 'venue' AND f.kind = 'venue' AND split_part(f.norm, ' ', 1) = ANY(%s))
        SELECT b.feature_id, b.name, b.brand, s.street, pc.sector, pc.district, ST_X(b.geom), ST_Y(b.geom)
        FROM branch b
        LEFT JOIN gazetteer.source_feature s ON s.source = b.source AND s.source_key = b.source_key
        LEFT JOIN LATERAL (SELECT p.sector, p.district FROM gazetteer.postcode p
                           ORDER BY p.geom <-> b.geom LIMIT 1) pc ON true
        WHERE b.branches >= 4 AND b.nth <= %s
        ORDER BY {order("b.feature_id::text", "chain")} LIMIT %s""",
                                                                 (list(CHAINS), per, k["chain"])).fetchall():
        words = _clean_name(name).split()
        c = rng.choice(BRAND_SPELLINGS[brand]) if brand in BRAND_SPELLINGS and rng.random() < 0.35 else brand
        if len(words) > 1 and words[1].lower() in BRANCH_FORMATS and rng.random() < 0.5:
            c = f"{c} {words[1].lower()}"
        r = rng.random()
        if r < 0.2 and street:
            text, cls = rng.choice(CHAIN_STREET).format(c=c, w=_road(rng, _clean_name(street))), "chain"
        elif r < 0.34 and sector:
            s = sector.replace(" ", "") if rng.random() < 0.5 else sector
            text, cls = rng.choice(CHAIN_PLACE).format(c=c, d=s), "chain"
        elif r < 0.48 and pdistrict:
            text, cls = rng.choice(CHAIN_PLACE).format(c=c, d=pdistrict), "chain"
        else:
            text, cls = rng.choice(CHAIN_NOLOC).format(c=c), "chain, no locality"
        add(cls, text, "venue", x, y, fid)

    # Hospitals: the part of the hospital the crew was in.
    for fid, name, x, y, has_ed in conn.execute(f"""
        SELECT feature_id, name, ST_X(geom), ST_Y(geom),
               kind = 'ae_site' OR EXISTS (SELECT 1 FROM health.ae_site s
                                           WHERE ST_DWithin(s.geom, f.geom, 400))
        FROM gazetteer.feature f
        WHERE kind IN ('hospital', 'ae_site') AND name ~* 'hospital'
        ORDER BY {order("feature_id::text", "hospital")} LIMIT %s""", (k["hospital"],)).fetchall():
        forms = HOSPITAL_ROOMS if has_ed else HOSPITAL_GROUNDS
        text = rng.choice(forms).format(h=_hospital_name(rng, name))
        text = re.sub(r"(?i)\b(hosp\w*\.?|hsp)\s+hospital\b", r"\1", text)   # no "hospital hospital"
        if rng.random() < 0.3 and not text.startswith(("pt ", "assaulted")):
            text = rng.choice(["", "pt found ", "LOC: ", "conveyed from ", "Scene - ", "@ "]) + text
        add("hospital", text, "venue", x, y, fid, typo_p=0.2)

    # Stations: platforms, barriers, ticket halls, forecourts.
    for fid, name, x, y, network in conn.execute(f"""
        SELECT f.feature_id, f.name, ST_X(f.geom), ST_Y(f.geom),
               concat_ws(' ', f.source, s.extra->>'network', s.extra->>'lines')
        FROM gazetteer.feature f
        LEFT JOIN gazetteer.source_feature s ON s.source = f.source AND s.source_key = f.source_key
        WHERE f.kind = 'station' AND f.level = 'venue'
        ORDER BY {order("f.feature_id::text", "station")} LIMIT %s""", (k["station"],)).fetchall():
        s, net = _station_name(name, network)
        text = rng.choice(STATION_FORMS).format(s=s, m=rng.choice(MODE_WORDS[net]), p=rng.randint(1, 8))
        if rng.random() < 0.35 and not text.startswith(("pt ", "bus ")):
            text = rng.choice(LEAD_NOUN) + text
        add("station", text, "venue", x, y, fid, typo_p=0.25)

    # Streets: a random point of the street.
    for fid, name, district, x, y, namesakes in conn.execute(f"""
        SELECT f.feature_id, f.name, f.district, ST_X(pt.geom), ST_Y(pt.geom), f.namesakes
        FROM (SELECT *, count(*) OVER (PARTITION BY lower(name)) AS namesakes FROM gazetteer.feature
              WHERE level = 'street' AND name !~ '[,0-9]'
              ORDER BY {order("feature_id::text", "street")} LIMIT %s) f
        CROSS JOIN LATERAL (SELECT (d).geom FROM ST_Dump(coalesce(f.extent, f.geom)) d
                            ORDER BY {order("ST_AsText((d).geom)", "point")} LIMIT 1) pt
        ORDER BY {order("f.feature_id::text", "street-order")}""", (k["street"],)).fetchall():
        text = rng.choice(STREET_FORMS).format(n=rng.randint(1, 250), st=_road(rng, name))
        if rng.random() < 0.35 and not text.startswith(("pt ", "RTC ", "on ", "in ", "o/s ")):
            text = rng.choice(LEAD_NOUN) + text
        # a crew names the area more often when the street's name is a common one
        if district and rng.random() < (0.7 if namesakes > 3 else 0.3):
            text += rng.choice([" {d}", ", {d}", " ({d})"]).format(d=district)
        add("street", text, "street", x, y, fid)

    # Junctions: bus stops named after two streets the gazetteer holds; the stop is the truth.
    for name, x, y in conn.execute(f"""
        WITH street AS (SELECT DISTINCT lower(name) AS n FROM gazetteer.feature WHERE level = 'street')
        SELECT b.name, ST_X(b.geom), ST_Y(b.geom) FROM gazetteer.source_feature b
        JOIN street one ON one.n = lower(trim(split_part(b.name, '/', 1)))
        JOIN street two ON two.n = lower(trim(split_part(b.name, '/', 2)))
        WHERE b.kind = 'bus_stop' AND b.name ~ '^[^/]+/[^/]+$'
        ORDER BY {order("b.source_key", "junction")} LIMIT %s""", (k["junction"],)).fetchall():
        a, b = (_road(rng, _initial_caps(part), 0.6) for part in name.split("/"))
        if rng.random() < 0.3:
            a, b = b, a
        text = rng.choice(JUNCTION_FORMS).format(a=a, b=b)
        if rng.random() < 0.3 and not text.startswith("RTC"):
            text = rng.choice(LEAD_NOUN) + text
        add("junction", text, "junction", x, y, typo_p=0.2)

    # Postcodes, sectors and districts: a random postcode unit of each, its point the truth.
    for display, x, y in conn.execute(f"""
        SELECT display, ST_X(geom), ST_Y(geom) FROM gazetteer.postcode
        ORDER BY {order("postcode", "unit")} LIMIT %s""", (k["postcode"],)).fetchall():
        add("postcode", rng.choice(POSTCODE_FORMS).format(p=_postcode(rng, display)), "postcode", x, y,
            typo_p=0.15)
    for sector, x, y in conn.execute(f"""
        SELECT sector, ST_X(geom), ST_Y(geom) FROM gazetteer.postcode
        ORDER BY {order("postcode", "sector")} LIMIT %s""", (k["sector"],)).fetchall():
        s = sector.replace(" ", "") if rng.random() < 0.4 else sector
        add("sector", rng.choice(SECTOR_FORMS).format(s=s), "sector", x, y, typo_p=0.15)
    for district, x, y in conn.execute(f"""
        SELECT district, ST_X(geom), ST_Y(geom) FROM gazetteer.postcode
        ORDER BY {order("postcode", "district")} LIMIT %s""", (k["district"],)).fetchall():
        add("district", rng.choice(DISTRICT_FORMS).format(d=district), "district", x, y, typo_p=0.15)

    # Ward names: a random point inside the ward.
    for fid, name, x, y in conn.execute(f"""
        SELECT f.feature_id, f.name, ST_X(pt), ST_Y(pt) FROM gazetteer.feature f
        JOIN LATERAL (SELECT geom FROM ref.area a WHERE a.level = 'ward' AND a.code = f.source_key
                      ORDER BY a.vintage DESC LIMIT 1) w ON true
        CROSS JOIN LATERAL ST_GeometryN(ST_GeneratePoints(w.geom, 1, {SEED % 7919}), 1) pt
        WHERE f.kind = 'area'
        ORDER BY {order("f.source_key", "ward")} LIMIT %s""", (k["area"],)).fetchall():
        add("area", rng.choice(AREA_FORMS).format(a=name), "area", x, y, fid, typo_p=0.15)

    # No place: home, stated unknown, non-places (one in six a friend's or relative's home).
    for _ in range(k["home"]):
        add("home", rng.choice(HOME_FORMS), "home", typo_p=0.1)
    for _ in range(k["unknown"]):
        add("unknown", rng.choice(UNKNOWN_FORMS), "none", typo_p=0.1)
    for i in range(k["nonplace"]):
        if i % 6 == 3:
            add("nonplace", rng.choice(FRIEND_OR_RELATIVE), "home", typo_p=0.1)
        else:
            add("nonplace", rng.choice(NON_PLACES), "none", typo_p=0.1)
    rng.shuffle(out)
    return out
