"""The gazetteer queries that draw a held-out family's true places, shared by the families whose authors
followed the same recipe (heldout_f, dictation; heldout_g, ocr): unique venues, chain branches with what
is around them, A&E sites and hospitals, stations near an A&E, a point of a street with its ward,
junction bus stops, postcode units / sectors / districts and a point inside a ward.

Each family still decides how many of each it wants and how its texts say them; what is shared is only
how the truths are picked. Every query orders its candidates by ``order(expression, salt)``, the
family's own salted hash (for instance ``md5('dictation/venue/5802691/' || feature_id)``), so two
families draw different places from the same gazetteer, and one family always draws the same ones.

Moving these queries here changed no set: every text of both families was hashed before and after.
"""
from __future__ import annotations

from collections.abc import Callable

Order = Callable[[str, str], str]

_NOT_A_VENUE = "(staff|canteen|c/o|t/a|head office|warehouse|school|nursery|care home|hospital)"


def unique_venues(conn, order: Order, kind: str, want: int, chains, max_name: int) -> list[tuple]:
    """(feature_id, name, kind, x, y, business type) of venues of ``kind`` whose name no other venue has;
    food premises only when a restaurant, takeaway, pub, shop or caterer."""
    return conn.execute(f"""
        SELECT f.feature_id, f.name, f.kind, ST_X(f.geom), ST_Y(f.geom), s.business
        FROM (SELECT *, count(*) OVER (PARTITION BY norm) AS same FROM gazetteer.feature
              WHERE level = 'venue') f
        LEFT JOIN LATERAL (SELECT sf.extra->>'business_type' AS business FROM gazetteer.source_feature sf
                           WHERE sf.source = f.source AND sf.source_key = f.source_key
                           ORDER BY sf.load_id DESC LIMIT 1) s ON true
        WHERE f.same = 1 AND f.kind = %s AND f.name !~ '[0-9@/+]'
          AND f.name !~* '{_NOT_A_VENUE}'
          AND split_part(f.norm, ' ', 1) <> ALL(%s)
          AND length(f.name) BETWEEN 4 AND {int(max_name)}
          AND (f.kind <> 'venue'
               OR coalesce(s.business, '') ~* '(restaurant|takeaway|pub|retail|catering)')
        ORDER BY {order("f.feature_id::text", "venue")}, f.feature_id LIMIT %s""",
                        (kind, list(chains), want)).fetchall()


def chain_branches(conn, order: Order, chains, per_brand: int, want: int) -> list[tuple]:
    """(feature_id, brand, street, postcode district, ward name, nearest station within 400 m, x, y) of
    branches of brands with four or more branches, at most ``per_brand`` of each."""
    return conn.execute(f"""
        WITH branch AS (
          SELECT f.*, split_part(f.norm, ' ', 1) AS brand,
                 count(*) OVER (PARTITION BY split_part(f.norm, ' ', 1)) AS branches,
                 row_number() OVER (PARTITION BY split_part(f.norm, ' ', 1)
                                    ORDER BY {order("f.feature_id::text", "branch")}, f.feature_id) AS nth
          FROM gazetteer.feature f
          WHERE f.level = 'venue' AND f.kind = 'venue' AND split_part(f.norm, ' ', 1) = ANY(%s)
            AND f.name !~* '(staff|canteen|cdc|head office|warehouse|depot|distribution|petrol)')
        SELECT b.feature_id, b.brand, s.street, pc.district, w.name, st.name, ST_X(b.geom), ST_Y(b.geom)
        FROM branch b
        LEFT JOIN LATERAL (SELECT sf.street FROM gazetteer.source_feature sf
                           WHERE sf.source = b.source AND sf.source_key = b.source_key
                           ORDER BY sf.load_id DESC LIMIT 1) s ON true
        LEFT JOIN LATERAL (SELECT p.district FROM gazetteer.postcode p
                           ORDER BY p.geom <-> b.geom, p.postcode LIMIT 1) pc ON true
        LEFT JOIN LATERAL (SELECT a2.name FROM ref.area a
                           JOIN gazetteer.feature a2 ON a2.kind = 'area' AND a2.source_key = a.code
                           WHERE a.level = 'ward' AND ST_Intersects(a.geom, b.geom)
                           ORDER BY a.vintage DESC, a2.name LIMIT 1) w ON true
        LEFT JOIN LATERAL (SELECT t.name FROM gazetteer.feature t
                           WHERE t.kind = 'station' AND t.level = 'venue' AND ST_DWithin(t.geom, b.geom, 400)
                           ORDER BY t.geom <-> b.geom, t.feature_id LIMIT 1) st ON true
        WHERE b.branches >= 4 AND b.nth <= %s
        ORDER BY {order("b.feature_id::text", "chain")}, b.feature_id LIMIT %s""",
                        (list(chains), per_brand, want)).fetchall()


def ae_sites(conn, order: Order, want: int) -> list[tuple]:
    """(feature_id, site code, x, y) of A&E sites the gazetteer places where health.ae_site does: the
    truths of "here in the department" texts, whose reporting site is the site itself."""
    return conn.execute(f"""
        SELECT f.feature_id, s.site_code, ST_X(f.geom), ST_Y(f.geom)
        FROM gazetteer.feature f JOIN health.ae_site s ON s.site_code = f.source_key
        WHERE f.kind = 'ae_site' AND ST_Equals(f.geom, s.geom)
        ORDER BY {order("f.feature_id::text", "here")}, f.feature_id LIMIT %s""", (want,)).fetchall()


def hospitals(conn, order: Order, want: int) -> list[tuple]:
    """(feature_id, name, x, y, has an emergency department) of hospitals named as hospitals."""
    return conn.execute(f"""
        SELECT feature_id, name, ST_X(geom), ST_Y(geom),
               kind = 'ae_site' OR EXISTS (SELECT 1 FROM health.ae_site s
                                           WHERE ST_DWithin(s.geom, f.geom, 400))
        FROM gazetteer.feature f
        WHERE kind IN ('hospital', 'ae_site') AND name ~* 'hospital' AND name !~* '( - |virgin care|hq)'
        ORDER BY {order("feature_id::text", "hospital")}, feature_id LIMIT %s""", (want,)).fetchall()


def stations(conn, order: Order, want: int) -> list[tuple]:
    """(feature_id, name, source, network, lines, x, y) of stations within 6 km of an A&E site."""
    return conn.execute(f"""
        SELECT f.feature_id, f.name, f.source, s.net, s.lines, ST_X(f.geom), ST_Y(f.geom)
        FROM gazetteer.feature f
        LEFT JOIN LATERAL (SELECT sf.extra->>'network' AS net, sf.extra->>'lines' AS lines
                           FROM gazetteer.source_feature sf
                           WHERE sf.source = f.source AND sf.source_key = f.source_key
                           ORDER BY sf.load_id DESC LIMIT 1) s ON true
        WHERE f.kind = 'station' AND f.level = 'venue' AND f.name !~* '(bus stn|rail-air|bus station)'
          AND EXISTS (SELECT 1 FROM health.ae_site a WHERE ST_DWithin(a.geom, f.geom, 6000))
        ORDER BY {order("f.feature_id::text", "station")}, f.feature_id LIMIT %s""", (want,)).fetchall()


def street_points(conn, order: Order, name_pattern: str, want: int) -> list[tuple]:
    """(feature_id, name, postcode district, namesakes, ward name, x, y): one point of each of ``want``
    streets whose name matches ``name_pattern``, the number of streets of that name, and its ward."""
    return conn.execute(f"""
        SELECT f.feature_id, f.name, f.district, f.namesakes, w.name, ST_X(pt.geom), ST_Y(pt.geom)
        FROM (SELECT *, count(*) OVER (PARTITION BY lower(name)) AS namesakes FROM gazetteer.feature
              WHERE level = 'street' AND name !~ '[,0-9()&/]' AND name ~* %s
              ORDER BY {order("feature_id::text", "street")}, feature_id LIMIT %s) f
        CROSS JOIN LATERAL (SELECT (d).geom FROM ST_Dump(coalesce(f.extent, f.geom)) d
                            ORDER BY {order("ST_AsText((d).geom)", "street-point")} LIMIT 1) pt
        LEFT JOIN LATERAL (SELECT a2.name FROM ref.area a
                           JOIN gazetteer.feature a2 ON a2.kind = 'area' AND a2.source_key = a.code
                           WHERE a.level = 'ward' AND ST_Intersects(a.geom, pt.geom)
                           ORDER BY a.vintage DESC, a2.name LIMIT 1) w ON true
        ORDER BY {order("f.feature_id::text", "street-order")}, f.feature_id""",
                        (name_pattern, want)).fetchall()


def landmark_near(conn, x: float, y: float, srid: int, metres: int = 120) -> str | None:
    """The name of the pub or shop nearest (x, y) within ``metres``, or None."""
    row = conn.execute(
        "SELECT name FROM gazetteer.feature WHERE kind IN ('pub', 'venue') AND level = 'venue' "
        "AND name !~ '[0-9@/+]' AND length(name) <= 30 "
        f"AND ST_DWithin(geom, ST_SetSRID(ST_MakePoint(%s, %s), {int(srid)}), {int(metres)}) "
        f"ORDER BY geom <-> ST_SetSRID(ST_MakePoint(%s, %s), {int(srid)}), feature_id LIMIT 1",
        (x, y, x, y)).fetchone()
    return row[0] if row else None


def junction_stops(conn, order: Order, want: int) -> list[tuple]:
    """(name "A / B", x, y) of bus stops named after two streets the gazetteer holds."""
    return conn.execute(f"""
        WITH street AS (SELECT DISTINCT lower(name) AS n FROM gazetteer.feature WHERE level = 'street')
        SELECT b.name, ST_X(b.geom), ST_Y(b.geom) FROM gazetteer.source_feature b
        JOIN street one ON one.n = lower(trim(split_part(b.name, '/', 1)))
        JOIN street two ON two.n = lower(trim(split_part(b.name, '/', 2)))
        WHERE b.kind = 'bus_stop' AND b.name ~ '^[^/]+/[^/]+$' AND b.name !~ '[0-9]'
        ORDER BY {order("b.source_key", "junction")}, b.source_key LIMIT %s""", (want,)).fetchall()


def postcode_points(conn, order: Order, column: str, salt: str, want: int) -> list[tuple]:
    """(display / sector / district, x, y) of ``want`` postcode units, by ``column`` (one of those three)."""
    if column not in ("display", "sector", "district"):
        raise ValueError(f"not a postcode column: {column}")
    return conn.execute(f"""
        SELECT {column}, ST_X(geom), ST_Y(geom) FROM gazetteer.postcode
        ORDER BY {order("postcode", salt)}, postcode LIMIT %s""", (want,)).fetchall()


def ward_points(conn, order: Order, not_a_place: str, seed: int, want: int) -> list[tuple]:
    """(feature_id, name, x, y): a point inside each of ``want`` wards whose name (three words at most,
    not matching ``not_a_place``, a PostgreSQL pattern) people use for a place; ``seed`` places it."""
    return conn.execute(f"""
        SELECT f.feature_id, f.name, ST_X(pt), ST_Y(pt) FROM gazetteer.feature f
        JOIN LATERAL (SELECT geom FROM ref.area a WHERE a.level = 'ward' AND a.code = f.source_key
                      ORDER BY a.vintage DESC LIMIT 1) w ON true
        CROSS JOIN LATERAL ST_GeometryN(ST_GeneratePoints(w.geom, 1, {int(seed)}), 1) pt
        WHERE f.kind = 'area' AND f.name !~* %s AND array_length(regexp_split_to_array(f.name, ' '), 1) <= 3
        ORDER BY {order("f.source_key", "ward")}, f.source_key, f.feature_id LIMIT %s""",
                        (not_a_place, want)).fetchall()
