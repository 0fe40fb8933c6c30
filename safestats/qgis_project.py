"""A ready-made QGIS project with SafeStats' key layers, styled and grouped, so a new user opens one
file and sees London (``safestats qgis-project``; the demo writes one too).

Layers connect through a pg_service.conf service (default: the one the demo registers) or the
database URL's host/port/database/user, never a password. Styles and groups come from the SafeStats
QGIS plugin's catalogue (``qgis_plugin.core``), shared with the CLI.
"""
from __future__ import annotations

import configparser
import os
from dataclasses import dataclass, field

from . import qgis_setup

_APP = None   # kept for the life of the process: QGIS objects die with their application

# (catalogue group, how many of its layers to include, visible?) in drawing order, top first.
PLAN = [("Health (A&E)", 2, True), ("Crime and incidents", 2, True), ("Comparator", 2, False),
        ("Landscape indicators", 4, False), ("Rates and counts", 2, False), ("Boundaries", None, True)]
# Issue 15: what an analyst wants first leads each group; empty-in-the-demo layers are left out.
PREFER = ("crime.street_crime", "health.ae_assault", "comparator_gap_map:", ":pas_good_job",
          "indicator_map:pas_good_job")
LEAVE_OUT = {"crime.outcome"}
# One map theme per tool: (theme, catalogue groups shown besides the boundaries).
THEMES = [("Street-level crime", ("Crime and incidents",)), ("A&E geocoding", ("Health (A&E)",)),
          ("Comparator", ("Comparator",)), ("Landscape", ("Landscape indicators",))]
BOUNDARIES = {"safestats.boroughs:2022": True, "safestats.wards:2022": True, "safestats.wards:2018": False,
              "safestats.lsoas:2021": False, "safestats.msoas:2021": False}


@dataclass
class ProjectResult:
    """What :func:`write_project` wrote: the file, the service its layers use (None: the URL's
    settings) and the catalogue entries added, in legend order."""
    path: str
    service: str | None
    layers: list = field(default_factory=list)

    def lines(self) -> list[str]:
        """What ``safestats qgis-project`` prints about it."""
        how = (f"through service '{self.service}'" if self.service
               else "connecting with the database URL's settings")
        return ([f"wrote {self.path}: {len(self.layers)} layers {how}"]
                + [f"  {e.group}: {e.title}" for e in self.layers])


def qgis_app():
    """The running QgsApplication, started headless (offscreen) when there is none."""
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

    uri = QgsDataSourceUri()
    if service:
        uri.setConnection(service, "", "", "")
        return uri.uri(False)
    p = qgis_setup.service_params(url)
    uri.setConnection(p.get("host", ""), p.get("port", ""), p.get("dbname", ""), p.get("user", ""), "")
    return uri.uri(False)


def configured_services() -> set[str]:
    """The sections of the user's pg_service.conf."""
    cfg = configparser.ConfigParser(interpolation=None)
    if qgis_setup.service_file().exists():
        cfg.read(qgis_setup.service_file())
    return set(cfg.sections())


def build_project(db, path: str):
    """Fill a new QgsProject from the catalogue of ``db`` (a plugin ``Database``) and write it to
    ``path``. Returns (project, catalogue entries added in legend order)."""
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
            chosen = sorted((e for e in entries if e.group.startswith(group) and e.key not in LEAVE_OUT),
                            key=lambda e: -sum(p in e.key for p in PREFER))[:limit]
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
    add_map_themes(project, picks)
    project.viewSettings().setDefaultViewExtent(
        QgsReferencedRectangle(QgsRectangle(503000, 155000, 562000, 201000), project.crs()))
    if not project.write(path):
        raise RuntimeError(f"QGIS could not write {path}: {project.error()}")
    return project, [e for e, _v in picks]


def _groups(node) -> list:
    out = []
    for child in node.findGroups():
        out += [child] + _groups(child)
    return out


def add_map_themes(project, picks) -> None:
    """A map theme per tool: the first layer of its group(s) with the visible boundaries."""
    from qgis.core import QgsMapThemeCollection
    tree = project.layerTreeRoot()
    base = [tree.findLayer(lyr.id()) for lyr in project.mapLayers().values()]
    boundary = [n.layer() for n in base if n is not None and n.parent() is not None
                and n.parent().name() == "Boundaries" and n.isVisible()]
    for theme, groups in THEMES:
        layers_ = []
        for g in groups:
            group_nodes = [n for n in _groups(tree) if n.name().startswith(g)]
            for node in group_nodes:
                firsts = node.findLayers()
                if firsts:
                    layers_.append(firsts[0].layer())
                    break
        if not layers_:
            continue
        rec = QgsMapThemeCollection.MapThemeRecord()
        rec.setLayerRecords([QgsMapThemeCollection.MapThemeLayerRecord(lyr) for lyr in layers_ + boundary])
        project.mapThemeCollection().insert(theme, rec)


def write_project(path: str, service: str | None = None, url: str | None = None) -> ProjectResult:
    """Write the project to ``path``. Layers use ``service`` when given, else the demo's service
    when the user's pg_service.conf has it, else ``url``'s settings (default: the database URL).

    Raises ``qgis_plugin.core.connection.SafeStatsError`` (a message to show as it is) when the
    database cannot be reached or is not a SafeStats database."""
    from . import db as safestats_db
    qgis_app()
    from qgis_plugin.core.connection import Database

    url = url or safestats_db.database_url()
    if service is None and qgis_setup.SERVICE in configured_services():
        service = qgis_setup.SERVICE
    base = layer_uri_base(url, service)
    database = Database.from_uri(base, service or "database URL")
    database.check()
    _project, added = build_project(database, path)
    return ProjectResult(path, service, added)
