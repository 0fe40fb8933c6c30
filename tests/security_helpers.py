"""Shared pieces of the security tests: an A&E fixture and login users. (A plain module, not a test
file: tests/test_security_*.py import it.)"""
from __future__ import annotations

import random
import uuid

from psycopg import sql

from safestats.disclosure import lp_attack  # noqa: F401  (the tests' attacker)

# The four trusts of the synthetic ISTV extracts (safestats synth istv) and the boroughs their
# emergency departments mostly serve.
TRUSTS = {
    "RJZ": ("RJZ01", "E09000028"),   # King's College Hospital -> Southwark
    "RJ1": ("RJ122", "E09000022"),   # Guy's and St Thomas' -> Lambeth
    "R1H": ("R1H12", "E09000030"),   # Barts Health -> Tower Hamlets
    "RJ7": ("RJ701", "E09000032"),   # St George's -> Wandsworth
}
# Free text as typed at reception, including the kind of detail that must never leave the
# record level (house numbers, names of premises).
LOCATION_TEXTS = ["home", "flat 3, 12 Acre Lane", "o/s wetherspoons clapham high st", "Brixton tube",
                  "nr Tesco SE15", "partners flat 7 Rye Lane", "whitechapel rd", "Tooting Broadway",
                  "outside the Ministry of Sound", "22 Garratt Lane", "not known", "in the street"]


def insert_ae_fixture(conn, n: int = 600, seed: int = 7, months=("2024-01", "2024-02", "2024-03")) -> int:
    """Insert ``n`` realistic A&E assault records (as superuser; returns the load_id).

    Each trust's records fall mostly in its borough's wards, with a long tail of wards elsewhere,
    and points are real positions inside those wards (so ward / LSOA codes agree with geom).
    """
    rng = random.Random(seed)
    wards = {b: [r[0] for r in conn.execute(
        "SELECT code FROM ref.area WHERE level = 'ward' AND vintage = 2022 AND parent_code = %s "
        "ORDER BY code",
        (b,))] for _, b in TRUSTS.values()}
    with conn.transaction():
        load_id = conn.execute(
            "INSERT INTO safestats.load (source, file_name, sha256, status) "
            "VALUES ('istv', %s, %s, 'loaded') RETURNING load_id",
            (f"fixture-{seed}.csv", uuid.uuid4().hex)).fetchone()[0]
        rows = []
        orgs = list(TRUSTS)
        for k in range(n):
            org = rng.choices(orgs, weights=[35, 30, 20, 15])[0]
            site, borough = TRUSTS[org]
            if rng.random() < 0.85:
                ward = rng.choice(wards[borough][: max(3, len(wards[borough]) * 2 // 3)])
            else:
                ward = rng.choice(wards[rng.choice(list(wards))])
            month = rng.choice(months)
            day = rng.randint(1, 28)
            hour = rng.choice([22, 23, 0, 1, 2, 3, 18, 20, 14])
            rows.append((load_id, k + 2, site, org, f"{month}-01", f"{month}-28",
                         f"{month}-{day:02d} {hour:02d}:{rng.randint(0, 59):02d}:00+00",
                         rng.choice(["Body part (punch, kick, head-butt)", "Blunt object",
                                     "Knife or other sharp object"]),
                         rng.choice(["Home", "Street or other public place",
                                     "Licensed premises (pub, bar, club)"]),
                         rng.choice(LOCATION_TEXTS), ward, rng.random(), rng.random()))
        with conn.cursor() as cur:
            cur.executemany("""
              INSERT INTO health.ae_assault (load_id, source_line, site_code, organisation_code, period_start,
                  period_end, arrival_at, assault_at, assault_method, location_type, location_text, geom,
                  geocode_confidence, geocode_level, ward22_code)
              SELECT %s, %s, %s, %s, %s::date, (%s::date + interval '1 month - 1 day')::date, %s::timestamptz,
                     %s::timestamptz - interval '40 minutes', %s, %s, %s,
                     -- a point inside the ward: a random point of its polygon
                     (ST_Dump(ST_GeneratePoints(a.geom, 1, %s))).geom, 0.8, 'venue', a.code
              FROM ref.area a WHERE a.level = 'ward' AND a.vintage = 2022 AND a.code = %s
            """, [(r[0], r[1], r[2], r[3], r[4], r[4], r[6], r[6], r[7], r[8], r[9], int(r[11] * 1e6), r[10])
                  for r in rows])
        conn.execute("UPDATE health.ae_assault SET lsoa21_code = safestats.lsoa_at(geom, 2021), "
                     "borough_code = safestats.borough_at(geom, 2022) WHERE load_id = %s", (load_id,))
    return load_id


def make_login(conn, name: str, *groups: str, organisations=()) -> str:
    """A login role in the given group roles, approved for ``organisations`` (as superuser)."""
    conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(name)))
    conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(name)))
    for g in groups:
        conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(g), sql.Identifier(name)))
    for org in organisations:
        conn.execute("INSERT INTO health.approval (login_role, organisation_code) VALUES (%s, %s)",
                     (name, org))
    return name
