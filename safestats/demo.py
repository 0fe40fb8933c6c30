"""The main job end to end on the current database (embedded by default): ``safestats demo``.

Each step after the reference geography is a function ``step(conn, quiet)`` listed in STEPS, in
order. The gazetteer comes before the sources so A&E records are geocoded on load.
"""
from __future__ import annotations

import sys
import time
from collections.abc import Callable

from . import config, db, demo_loaders, landscape, qgis_setup, roles, status
from .output import print_table

# Sample A&E location texts and their reporting sites, geocoded by the demo.
SAMPLE_TEXTS = [
    ("o/s wetherspoons clapham high st", "RJ122"), ("Brixton tube", "RJZ01"),
    ("junction of Coldharbour Lane and Atlantic Rd", "RJZ01"), ("nr Tesco SE15", "RJZ01"),
    ("Peckham Rye park", "RJZ01"), ("HOME", "RJ122"), ("not known", "RJ122"), ("outside the Ritzy", "RJZ01"),
    ("sw2 1", "RJ122"), ("bus stop oxford st w1", "RJ122"), ("rye ln", "RJZ01"), ("peckam high st", "RJZ01"),
    ("kings college hosp", "RJZ01"), ("o/s elephant & castle stn", "RJ122"), ("lewisham", None),
    ("camberwell green", "RJZ01"), ("n/k", None), ("his flat se5", "RJZ01"),
    ("denmark hill station", "RJZ01"), ("Walworth Rd / East St", "RJ122"), ("😀!!", None),
]
GAZETTEER_DIR = config.SHIPPED_DATA_DIR / "gazetteer"
QGIS_PROJECT_NAME = "safestats-london.qgz"


def geocoding_step(conn, quiet: bool = False) -> None:
    """Load the shipped compact gazetteer (if none is loaded) and geocode sample A&E texts."""
    from loaders.gazetteer import load_folder

    from .geocoding import batch
    from .geocoding.calibration import load_calibration_csv
    folder = GAZETTEER_DIR
    if not batch.gazetteer_loaded(conn):
        if not folder.exists():
            print("  no gazetteer loaded and no shipped data/gazetteer: skipping the geocoding demo")
            return
        print(f"  loading the compact gazetteer from {folder} (south London postcodes and premises, "
              "London-wide stations, bus stops, streets) …")
        load_folder(conn, folder)
    cal = folder / "geocode_calibration.csv"
    if not batch.calibration_loaded(conn) and cal.exists():
        print(f"  confidence calibration: {load_calibration_csv(conn, cal)} bins from {cal.name}")
    print(f"  {'text':46} {'level':9} {'conf':>5} {'radius':>8}  matched")
    for text, site in SAMPLE_TEXTS:
        lvl, conf, rad, matched = batch.geocode_one(conn, text, site)
        rad_s = f"{rad:,.0f} m" if rad is not None else "–"
        print(f"  {text[:46]:46} {lvl:9} {conf or 0:5.2f} {rad_s:>8}  {matched or ''}")


def security_step(conn, quiet: bool = False) -> None:
    """What the security layer has in force, and what the public would see (a first release of the
    published tables, when there is none: the public reads releases only)."""
    if conn.execute("SELECT to_regclass('open.release') IS NOT NULL").fetchone()[0] and \
            not conn.execute("SELECT EXISTS (SELECT 1 FROM open.release)").fetchone()[0]:
        rid = conn.execute("SELECT open.publish_release('demo: first release')").fetchone()[0]
        print(f"  release {rid} of the published A&E tables made (what safestats_public reads; "
              "docs/security.md, 'Differencing')")
    for title, table in roles.security_overview(conn):
        print_table(title, table)


# `safestats demo --no-user-config` sets this: leave ~/.pg_service.conf and the QGIS profile alone.
USER_CONFIG = {"write": True}


def register_for_user(write: bool = True) -> list[str]:
    """The service entry and the saved QGIS connection, edited in place; what changed and how to undo it."""
    if not write:
        return ["  --no-user-config: ~/.pg_service.conf and the QGIS profile left untouched"]
    svc = qgis_setup.write_service(db.session_url())
    lines = svc.lines(f"delete the [{qgis_setup.SERVICE}] section")
    lines.append(f"  (try: psql \"service={qgis_setup.SERVICE}\")")
    ini = qgis_setup.write_qgis_connection()
    lines += ini.lines(f"delete the connections\\{qgis_setup.CONNECTION.replace(' ', '%20')}\\* keys under "
                       "[PostgreSQL] and the [safestats] section")
    return lines


def qgis_step(conn, quiet: bool = False) -> None:
    """The database as service ``safestats-demo``, QGIS connection 'SafeStats demo' and a ready-made
    project next to the embedded cluster. Both user files are edited in place (comments and other entries
    kept) and each change is printed with how to undo it; --no-user-config skips them."""
    for line in register_for_user(USER_CONFIG["write"]):
        print(line)
    try:
        from . import qgis_project
        qgis_project.qgis_app()
    except ImportError:
        print("  QGIS's Python bindings are missing (apt-get install python3-qgis); no QGIS project written")
        return
    from qgis_plugin.core.connection import SafeStatsError

    out = config.embedded_home() / QGIS_PROJECT_NAME
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        if USER_CONFIG["write"]:
            result = qgis_project.write_project(str(out), qgis_setup.SERVICE)
        else:
            result = qgis_project.write_project(str(out), url=db.session_url())
    except SafeStatsError as e:
        print(f"safestats: {e}", file=sys.stderr)
        return
    for line in result.lines():
        print(line)
    print(f"  open it with:  qgis {out}   (plugin: make plugin, then install dist/safestats_qgis.zip)")


def report_step(conn, quiet: bool = False) -> None:
    """Issue 15: one neighbourhood's profile report (PDF) and its comparator chart (PNG), the files named."""
    row = None
    if conn.execute("SELECT to_regclass('comparator.run') IS NOT NULL").fetchone()[0]:
        # the latest run whose areas hold the metric (comparator_gaps refuses the others)
        row = conn.execute(
            "WITH runs AS MATERIALIZED (SELECT r.run_id FROM comparator.run r WHERE EXISTS ("
            " SELECT 1 FROM landscape.indicator_value v WHERE v.indicator_code = 'pas_good_job'"
            " AND v.level = r.level AND v.vintage = r.vintage) ORDER BY r.run_id DESC LIMIT 1) "
            "SELECT r.run_id, g.area_code FROM runs r, "
            "LATERAL safestats.comparator_gaps('pas_good_job', r.run_id) g "
            "ORDER BY g.significant DESC, g.shortfall DESC NULLS LAST LIMIT 1").fetchone()
    if row is None:
        print("  no comparator run: no report")
        return
    try:
        from . import charts as ss_charts
        from . import qgis_project
        qgis_project.qgis_app()
        from qgis_plugin.core import chart_draw, report
        from qgis_plugin.core.connection import SafeStatsError
    except ImportError:
        print("  QGIS's Python bindings are missing (apt-get install python3-qgis): no report")
        return
    run, area = row
    folder = config.embedded_home() / "reports"
    try:
        database = ss_charts.plugin_database()
        result = report.write_report(database, folder / f"profile-{area}.pdf", run, [area])
        png = chart_draw.save(ss_charts.make_chart(database, "comparator", area, "pas_good_job", run),
                              folder / f"comparator-{area}-pas_good_job.png")
    except SafeStatsError as e:
        print(f"safestats: {e}", file=sys.stderr)
        return
    print(f"  neighbourhood profile report ({result.pages} pages): {result.path}")
    print(f"  comparator chart: {png}")
    print("  open them with:  xdg-open <file>   (or any PDF viewer / image viewer)")


# The main job after the reference geography, in order: (title, step).
STEPS: list[tuple[str, Callable[..., None]]] = [
    ("Gazetteer and geocoding of sample A&E location texts", geocoding_step),
    ("Sample crime and incident sources (police.uk, MPS, A&E, LFB, LAS)", demo_loaders.step),
    ("London Landscape + Neighbourhood Comparator: confidence against similar neighbourhoods",
     landscape.demo_step),
    ("Security: roles, row-level security, published aggregates", security_step),
    ("Registering the database for QGIS (service, connection, ready-made project)", qgis_step),
    ("Neighbourhood profile report and a chart (QGIS print layout, headless)", report_step),
]

# Violence analysis (issue 18): straight after the sources are loaded.
from . import violence  # noqa: E402

STEPS.insert([step for _, step in STEPS].index(demo_loaders.step) + 1,
             ("Violence analysis: top hotspots and the A&E hour-of-week profile", violence.demo_step))


def run(quiet: bool = False, user_config: bool = True) -> None:
    """Start the embedded cluster (unless DATABASE_URL is set), migrate, load the reference geography,
    run every step and print the status summary."""
    from .cluster import Cluster
    from .reference import load_reference

    t0 = time.monotonic()
    USER_CONFIG["write"] = user_config
    if not config.env_database_url():
        c = Cluster()
        c.init()
        c.start()
        c.ensure_database()
        print(f"== embedded PostGIS running at {c.home} (port {c.port})")
    print("== migrating to head and installing SQL functions")
    db.upgrade()
    if not config.env_database_url():
        made = Cluster().ensure_personal_login()
        print(f"== your own login (not a superuser): {made or 'already there'}; "
              "it is what `safestats db url`, psql and QGIS use")
    with db.connect() as conn:
        print("== London reference geography")
        for r in load_reference(conn, quiet=quiet):
            print("  " + r.line())
        for title, step in STEPS:
            print(f"== {title}")
            step(conn, quiet)
        status.print_status(conn)
    print(f"\n== demo finished in {time.monotonic() - t0:.0f} s. Connect with: psql \"{db.session_url()}\"")
