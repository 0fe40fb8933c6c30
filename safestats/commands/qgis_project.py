"""``safestats qgis-project out.qgz``: a ready-made QGIS project with SafeStats' key layers, styled and
grouped, so a new user opens one file and sees London."""
from __future__ import annotations

import os
import sys


def register(sub) -> None:
    p = sub.add_parser("qgis-project", help="write a styled, grouped QGIS project of the database's key layers",
                       description="Writes a QGIS project (.qgz) with London's boundaries, the geocoded A&E "
                                   "records, crime, Landscape indicators and comparator layers that the "
                                   "database holds, styled by the SafeStats plugin's rules. Layers connect "
                                   "through a pg_service.conf service (default: the one `safestats demo` "
                                   "registers) so the project holds no password.")
    p.add_argument("output", help="project file to write (.qgz or .qgs)")
    p.add_argument("--service", default=None,
                   help="pg_service.conf service the layers use (default: safestats-demo when it is "
                        "registered, else the database URL's host/port/database/user without password)")
    p.set_defaults(func=run)


_APP = None   # kept for the life of the process: QGIS objects die with their application


def _qgis_app():
    global _APP
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from qgis.core import QgsApplication
    if QgsApplication.instance() is None and _APP is None:
        _APP = QgsApplication([], False)
        _APP.initQgis()
    return QgsApplication.instance()


def layer_uri_base(url: str, service: str | None) -> str:
    """The connection part of every layer URI: a service, or the URL's parameters without a password."""
    from qgis.core import QgsDataSourceUri

    from safestats.qgis_setup import service_params
    uri = QgsDataSourceUri()
    if service:
        uri.setConnection(service, "", "", "")
        return uri.uri(False)
    p = service_params(url)
    uri.setConnection(p.get("host", ""), p.get("port", ""), p.get("dbname", ""), p.get("user", ""), "")
    return uri.uri(False)


# (catalogue group, how many of its layers to include, visible?) in drawing order, top first.
PLAN = [("Health (A&E)", 2, True), ("Crime and incidents", 2, False), ("Comparator", 2, False),
        ("Landscape indicators", 4, False), ("Rates and counts", 2, False), ("Boundaries", None, True)]
BOUNDARIES = {"safestats.boroughs:2022": True, "safestats.wards:2022": True, "safestats.wards:2018": False,
              "safestats.lsoas:2021": False, "safestats.msoas:2021": False}


def build_project(db, path: str):
    """Fill a new QgsProject from the catalogue of ``db`` and write it to ``path``."""
    from qgis.core import QgsCoordinateReferenceSystem, QgsProject, QgsRectangle, QgsReferencedRectangle

    from qgis_plugin.core import catalogue, layers
    project = QgsProject()
    project.setCrs(QgsCoordinateReferenceSystem("EPSG:27700"))
    project.setTitle("SafeStats: London")
    entries = catalogue.load_catalogue(db)
    picks = []   # (entry, visible) in legend order, top first
    for group, limit, visible in PLAN:
        if group == "Boundaries":
            picks += [(e, BOUNDARIES[e.key]) for key in BOUNDARIES for e in entries if e.key == key]
        else:
            chosen = [e for e in entries if e.group.startswith(group)][:limit]
            # Only the first layer of a group is switched on, so indicator choropleths do not stack.
            picks += [(e, visible and i == 0) for i, e in enumerate(chosen)]
    # Create the groups first in legend order; add_to_project then files each layer in its group.
    top = project.layerTreeRoot().addGroup(layers.ROOT_GROUP)
    for e, _v in picks:
        if top.findGroup(e.group) is None:
            top.addGroup(e.group)
    for e, visible in reversed(picks):       # add_to_project puts each new layer on top of its group
        layer = layers.add_to_project(layers.make_layer(db, e), e.group, project)
        project.layerTreeRoot().findLayer(layer.id()).setItemVisibilityChecked(visible)
    project.viewSettings().setDefaultViewExtent(
        QgsReferencedRectangle(QgsRectangle(503000, 155000, 562000, 201000), project.crs()))
    if not project.write(path):
        raise RuntimeError(f"QGIS could not write {path}: {project.error()}")
    return project, [e for e, _v in picks]


def run(args) -> int:
    from safestats import config, db, qgis_setup
    if str(config.REPO_ROOT) not in sys.path:      # the plugin's core is shared with the CLI
        sys.path.insert(0, str(config.REPO_ROOT))
    _qgis_app()
    from qgis_plugin.core.connection import Database, SafeStatsError

    url = db.database_url()
    service = args.service
    if service is None and qgis_setup.SERVICE in _services():
        service = qgis_setup.SERVICE
    base = layer_uri_base(url, service)
    try:
        database = Database.from_uri(base, service or "database URL")
        database.check()
        project, added = build_project(database, args.output)
    except SafeStatsError as e:
        print(f"safestats: {e}", file=sys.stderr)
        return 2
    print(f"wrote {args.output}: {len(added)} layers " +
          (f"through service '{service}'" if service else "connecting with the database URL's settings"))
    for e in added:
        print(f"  {e.group}: {e.title}")
    return 0


def _services() -> set[str]:
    import configparser

    from safestats.qgis_setup import service_file
    cfg = configparser.ConfigParser(interpolation=None)
    if service_file().exists():
        cfg.read(service_file())
    return set(cfg.sections())
