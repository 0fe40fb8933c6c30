"""London Fire Brigade incident records (London Datastore "LFB Incident Records" layout).

Key: IncidentNumber (a reload replaces an incident wherever it was). Exact coordinates
(Easting_m/Northing_m, Latitude/Longitude) are blank for about half the rows (e.g. dwellings); the
rounded ones (Easting_rounded/Northing_rounded) are always there. The loader keeps the best point
available and records which in coordinate_source ('exact', 'rounded', 'none'). The published files
write "NULL" for missing values: it is read as blank.
"""
from __future__ import annotations

from . import areas
from .core import Check, Column, CsvSource, LoadContext

NUM = areas.NUMBER_RE
# The date layouts the published files have used over the years.
CALL_DATE = ("coalesce(safestats_internal.try_date(date_of_call, 'YYYY-MM-DD'), "
             "safestats_internal.try_date(date_of_call, 'DD/MM/YYYY'), "
             "safestats_internal.try_date(date_of_call, 'DD Mon YYYY'), "
             "safestats_internal.try_date(date_of_call, 'DD-Mon-YY'), "
             "safestats_internal.try_date(left(date_of_call, 10), 'YYYY-MM-DD'))")


def _int(c: str) -> str:
    return f"CASE WHEN {c} ~ '^\\s*[0-9]+(\\.0+)?\\s*$' THEN {c}::numeric::integer END"


class LfbSource(CsvSource):
    name = "lfb"
    description = "London Fire Brigade incident records (IncidentNumber, DateOfCall, …)"
    target = "incident.lfb_incident"
    columns = [
        Column("incident_number", "IncidentNumber"),
        Column("date_of_call", "DateOfCall"),
        Column("time_of_call", "TimeOfCall", required=False),
        Column("incident_group", "IncidentGroup"),
        Column("stop_code", "StopCodeDescription", required=False),
        Column("special_service_type", "SpecialServiceType", required=False),
        Column("property_category", "PropertyCategory", required=False),
        Column("property_type", "PropertyType", required=False),
        Column("address_qualifier", "AddressQualifier", required=False),
        Column("postcode_full", "Postcode_full", required=False),
        Column("postcode_district", "Postcode_district", required=False),
        Column("uprn", "UPRN", required=False),
        Column("usrn", "USRN", required=False),
        Column("borough_code", "IncGeo_BoroughCode", required=False),
        Column("ward_code", "IncGeo_WardCode", required=False),
        Column("easting_m", "Easting_m"),
        Column("northing_m", "Northing_m"),
        Column("easting_rounded", "Easting_rounded"),
        Column("northing_rounded", "Northing_rounded"),
        Column("latitude", "Latitude", required=False),
        Column("longitude", "Longitude", required=False),
        Column("station_ground", "IncidentStationGround", required=False),
        Column("first_pump_seconds", "FirstPumpArriving_AttendanceTime", required=False),
        Column("second_pump_seconds", "SecondPumpArriving_AttendanceTime", required=False),
        Column("pumps_attending", "NumPumpsAttending", required=False),
        Column("pump_count", "PumpCount", required=False),
        Column("pump_hours", "PumpHoursRoundUp", required=False),
        Column("notional_cost", "Notional Cost (£)", aliases=("Notional Cost", "NotionalCost"),
               required=False),
    ]
    checks = [
        Check("incident_number", "incident_number IS NOT NULL", "IncidentNumber is blank"),
        Check("incident_number", "incident_number NOT IN (SELECT incident_number FROM stage "
                                 "WHERE incident_number IS NOT NULL GROUP BY 1 HAVING count(*) > 1)",
              "IncidentNumber appears more than once in the file"),
        Check("date_of_call", f"{CALL_DATE} IS NOT NULL", "DateOfCall is not a date"),
        Check("time_of_call", "time_of_call IS NULL OR time_of_call ~ "
                              "'^\\s*([01]?[0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?\\s*$'",
              "TimeOfCall is not a time (HH:MM:SS)"),
        *[Check(c, f"{c} IS NULL OR {c} ~ '{NUM}'", f"{c} is not a number")
          for c in ("easting_m", "northing_m", "easting_rounded", "northing_rounded", "latitude", "longitude",
                    "pump_hours", "notional_cost")],
        *[Check(c, f"{c} IS NULL OR {_int(c)} IS NOT NULL", f"{c} is not a whole number")
          for c in ("first_pump_seconds", "second_pump_seconds", "pumps_attending", "pump_count")],
        Check("easting_m", f"easting_m IS NULL OR easting_m !~ '{NUM}' OR northing_m !~ '{NUM}' OR "
                           "(easting_m::float8 BETWEEN 0 AND 700000 AND northing_m::float8 BETWEEN 0 AND "
                           "1300000)",
              "coordinates outside the UK (British National Grid)"),
        Check("easting_rounded", f"easting_rounded IS NULL OR easting_rounded !~ '{NUM}' OR "
                                 f"northing_rounded !~ '{NUM}' OR (easting_rounded::float8 BETWEEN 0 AND "
                                 "700000 "
                                 "AND northing_rounded::float8 BETWEEN 0 AND 1300000)",
              "coordinates outside the UK (British National Grid)"),
    ]

    def rows(self, path, header, mapping, records):
        for line_no, problem, values in super().rows(path, header, mapping, records):
            yield line_no, problem, [None if v is not None and v.upper() == "NULL" else v for v in values]

    def write(self, cur, ctx: LoadContext) -> int:
        areas.create_located(cur)
        cur.execute("""
            INSERT INTO located_pts (line_no, geom)
            SELECT line_no, CASE
                WHEN easting_m IS NOT NULL AND northing_m IS NOT NULL
                  THEN ST_SetSRID(ST_MakePoint(easting_m::float8, northing_m::float8), 27700)
                WHEN latitude IS NOT NULL AND longitude IS NOT NULL
                  THEN ST_Transform(ST_SetSRID(ST_MakePoint(longitude::float8, latitude::float8), 4326),
                      27700)
                ELSE ST_SetSRID(ST_MakePoint(easting_rounded::float8, northing_rounded::float8), 27700) END
            FROM stage
            WHERE (easting_m IS NOT NULL AND northing_m IS NOT NULL) OR (latitude IS NOT NULL AND longitude
                IS NOT NULL)
               OR (easting_rounded IS NOT NULL AND northing_rounded IS NOT NULL)""")
        areas.assign_areas(cur)
        cur.execute("DELETE FROM incident.lfb_incident WHERE incident_number IN (SELECT incident_number "
                    "FROM stage)")
        ctx.meta["replaced_rows"] = cur.rowcount
        cur.execute(f"""
            INSERT INTO incident.lfb_incident (incident_number, call_date, call_time, incident_group,
                stop_code,
              special_service_type, property_category, property_type, address_qualifier, postcode_full,
              postcode_district, uprn, usrn, reported_borough_code, reported_ward_code, station_ground,
              first_pump_seconds, second_pump_seconds, pumps_attending, pump_count, pump_hours,
              notional_cost_gbp, geom, coordinate_source, lsoa21_code, ward22_code, borough_code, load_id,
              source_line)
            SELECT s.incident_number, {CALL_DATE.replace('date_of_call', 's.date_of_call')},
                   s.time_of_call::time, s.incident_group, s.stop_code, s.special_service_type,
                   s.property_category, s.property_type, s.address_qualifier, s.postcode_full,
                   s.postcode_district, s.uprn, s.usrn, s.borough_code, s.ward_code, s.station_ground,
                   {_int('s.first_pump_seconds')}, {_int('s.second_pump_seconds')},
                       {_int('s.pumps_attending')},
                   {_int('s.pump_count')}, s.pump_hours::numeric, s.notional_cost::numeric, p.geom,
                   CASE WHEN (s.easting_m IS NOT NULL AND s.northing_m IS NOT NULL)
                          OR (s.latitude IS NOT NULL AND s.longitude IS NOT NULL) THEN 'exact'
                        WHEN p.geom IS NOT NULL THEN 'rounded' ELSE 'none' END,
                   p.lsoa21_code, p.ward22_code, p.borough_code, %s, s.line_no
            FROM stage s LEFT JOIN located p ON p.line_no = s.line_no""", (ctx.load_id,))
        return cur.rowcount


SOURCE = LfbSource()
