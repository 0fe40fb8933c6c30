"""Review of uncertain geocodes: the analyst's choice becomes an alias the geocoder consults first.

The geocoder owns its alias table (``gazetteer.alias``) and the way to write it,
``safestats.geocode_alias_set(location_text, site_code, feature_id)``; the plugin only passes the
analyst's decision — the text exactly as entered, the site, and the gazetteer feature of the
chosen candidate (``explain->feature_id`` of ``safestats.geocode_candidates``).

A review *session* steps through the records of one geocoded source that need a look (ambiguous,
or confidence below a threshold the analyst sets). Records with the same text from the same site
get the same answer, so they are reviewed once, as one item with a record count. Accepting a
candidate writes the alias and then refreshes every stored result of that text at that site, so
the table shows the decision at once. This module holds the state (items, position, decisions)
and the database work; the review panel in ``gui/`` only shows it.
"""
from __future__ import annotations

from dataclasses import dataclass

from qgis.core import (
    QgsFeature,
    QgsFeatureRequest,
    QgsField,
    QgsGeometry,
    QgsPointXY,
    QgsRectangle,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtCore import QVariant

from . import styles
from .connection import Database, SafeStatsError, py
from .geocoding import GeocodeResult, candidates, geocode_many, require_geocoder
from .log import log
from .sql import quote_literal

RESULT_NAMES = ("confidence", "radius_m", "level", "matched", "ambiguous")


def accept_candidate(db: Database, text: str, site_code: str | None, rank: int) -> str:
    """Store candidate ``rank`` (1 = best) of ``text`` at ``site_code`` as an alias; returns what it
    matched."""
    require_geocoder(db, "geocode_candidates")
    require_geocoder(db, "geocode_alias_set")
    if not text or not text.strip():
        raise SafeStatsError("There is no location text to review.")
    rows = db.query(
        "SELECT (c.explain->>'feature_id')::bigint, c.matched FROM safestats.geocode_candidates("
        f"{quote_literal(text)}::text, {quote_literal(site_code)}::text, {int(rank)}) AS c "
        f"OFFSET {int(rank) - 1} LIMIT 1")
    if not rows:
        raise SafeStatsError(f"'{text}' has fewer than {rank} candidate(s); nothing was stored.")
    feature_id, matched = py(rows[0][0]), py(rows[0][1])
    if feature_id is None:
        raise SafeStatsError(f"Candidate {rank} of '{text}' ({matched or 'no match'}) is not a gazetteer "
                             "feature (e.g. 'home' or a postcode area), so it cannot be stored as an alias.")
    db.query(f"SELECT safestats.geocode_alias_set({quote_literal(text)}::text, "
             f"{quote_literal(site_code)}::text, {int(feature_id)}::bigint)")
    return str(matched or "")


def forget(db: Database, text: str, site_code: str | None) -> bool:
    """Remove the review decision for ``text`` at ``site_code`` (True if there was one)."""
    require_geocoder(db, "geocode_alias_remove")
    return bool(py(db.scalar(f"SELECT safestats.geocode_alias_remove({quote_literal(text)}::text, "
                             f"{quote_literal(site_code)}::text)")))


# -- what needs review -----------------------------------------------------------------------------

@dataclass
class ReviewItem:
    """One distinct location text at one site, standing for ``records`` records that need a look."""
    text: str
    site_code: str | None
    records: int
    confidence: float | None
    ambiguous: bool
    matched: str | None
    status: str = "to review"        # to review | accepted | skipped
    decision: str | None = None      # what the accepted candidate matched

    def describe(self) -> str:
        conf = "not located" if self.confidence is None else f"confidence {self.confidence:.2f}"
        parts = [f"'{self.text}'", f"site {self.site_code or '(any)'}",
                 f"{self.records} record{'s' if self.records != 1 else ''}", conf]
        if self.ambiguous:
            parts.append("ambiguous")
        if self.matched:
            parts.append(f"now: {self.matched}")
        return ", ".join(parts)


def _threshold(value) -> float:
    t = float(value)
    if not 0.0 <= t <= 1.0:
        raise SafeStatsError(f"The confidence threshold must be between 0 and 1 (got {value}).")
    return t


def _item(row) -> ReviewItem:
    text, site, n, conf, amb, matched = (py(v) for v in row)
    return ReviewItem(str(text), None if site is None else str(site), int(n),
                      None if conf is None else float(conf), bool(amb), matched)


class ReviewSource:
    """Somewhere geocoded records are kept: lists what needs review and refreshes stored answers."""

    label = ""

    def items(self, threshold: float, limit: int = 2000) -> list[ReviewItem]:
        raise NotImplementedError

    def refresh(self, text: str, site_code: str | None) -> int:
        """Re-geocode the stored records of ``text`` at ``site_code``; returns how many changed."""
        raise NotImplementedError

    def cannot_refresh(self) -> str:
        """Why this login cannot rewrite the stored records ('' when it can)."""
        return ""


class _TableSource(ReviewSource):
    """A database table of geocoded records: its result columns, a row filter, and how to refresh them."""

    relation = ""
    confidence, ambiguous, matched = "confidence", "ambiguous", "matched"

    def rows_where(self, alias: str) -> str:
        """Which rows of the relation (aliased ``alias``) belong to this source (quoted SQL)."""
        return "TRUE"

    def __init__(self, db: Database):
        self.db = db

    def items(self, threshold: float, limit: int = 2000) -> list[ReviewItem]:
        t = _threshold(threshold)
        rows = self.db.query(
            f"SELECT location_text, site_code, count(*), max({self.confidence}), bool_or({self.ambiguous}), "
            f"min({self.matched}) FROM {self.relation} r WHERE {self.rows_where('r')} "
            "AND btrim(coalesce(location_text, '')) <> '' "
            f"AND ({self.ambiguous} OR coalesce({self.confidence}, 0) < {t!r}) "
            f"GROUP BY 1, 2 ORDER BY count(*) DESC, max({self.confidence}) NULLS FIRST, 1, 2 "
            f"LIMIT {int(limit)}")
        return [_item(r) for r in rows]

    def cannot_refresh(self) -> str:
        # A health-team login may read (its organisations') records but not rewrite them.
        if py(self.db.scalar(f"SELECT has_table_privilege({quote_literal(self.relation)}, 'UPDATE')")):
            return ""
        return (f"this login may not update {self.relation}; a SafeStats loader or admin refreshes the "
                f"stored results with `safestats geocode --table … --all`")

    def set_clause(self) -> str:
        """``col = g.col, …`` (``g`` is the geocoder's answer, ``l`` its safestats.locate areas)."""
        raise NotImplementedError

    def refresh(self, text: str, site_code: str | None) -> int:
        # "The same text at that site" is what the alias means: match the geocoder's normalised form.
        t, s = quote_literal(text), quote_literal(site_code)
        n = self.db.scalar(f"""
            WITH g AS (SELECT * FROM safestats.geocode({t}::text, {s}::text)
                       ORDER BY confidence DESC NULLS LAST LIMIT 1),
                 upd AS (
              UPDATE {self.relation} r SET {self.set_clause()}
              FROM g LEFT JOIN LATERAL safestats.locate(g.geom, 2022, 2021) l ON g.geom IS NOT NULL
              WHERE {self.rows_where('r')}
                AND safestats_internal.geocode_normalise(r.location_text)
                    = safestats_internal.geocode_normalise({t}::text)
                AND r.site_code IS NOT DISTINCT FROM {s}::text
              RETURNING 1)
            SELECT count(*) FROM upd""")
        return int(py(n) or 0)


class AeRecordsSource(_TableSource):
    """``health.ae_assault``: the A&E records the ISTV loader geocoded (geom + geocode_* columns)."""

    label = "A&E assault records (health.ae_assault)"
    relation = "health.ae_assault"
    confidence, ambiguous, matched = "geocode_confidence", "geocode_ambiguous", "geocode_matched"

    def set_clause(self) -> str:
        # The same columns the ISTV loader fills, and the areas from the new point.
        return ("geom = g.geom, geocode_confidence = g.confidence, geocode_radius_m = g.radius_m, "
                "geocode_level = g.level, geocode_matched = g.matched, geocode_ambiguous = g.ambiguous, "
                "geocode_version = coalesce(g.explain ->> 'version', 'safestats.geocode'), "
                "lsoa21_code = l.lsoa_code, ward22_code = l.ward_code, borough_code = l.borough_code")


class StoredResultsSource(_TableSource):
    """``gazetteer.geocode_result`` rows of one table (what ``safestats geocode --table`` stored)."""

    relation = "gazetteer.geocode_result"

    def __init__(self, db: Database, table_name: str):
        super().__init__(db)
        self.table_name = table_name
        self.label = f"Stored geocoding results of {table_name}"

    def rows_where(self, alias: str) -> str:
        return f"{alias}.table_name = {quote_literal(self.table_name)}"

    def set_clause(self) -> str:
        return ("geom = g.geom, confidence = g.confidence, radius_m = g.radius_m, level = g.level, "
                "matched = g.matched, ambiguous = g.ambiguous, explain = g.explain, "
                "gazetteer_version = safestats.gazetteer_version(), geocoded_at = now()")


def result_field_names(layer: QgsVectorLayer) -> dict[str, str] | None:
    """{result name: field name} of a layer made by 'Geocode a text field' (None if it is not one).

    The algorithm prefixes a result field with ``geocode_`` when the input already had that name."""
    names = set(layer.fields().names())
    out = {}
    for r in RESULT_NAMES:
        out[r] = f"geocode_{r}" if f"geocode_{r}" in names else r
        if out[r] not in names:
            return None
    return out


class LayerSource(ReviewSource):
    """A QGIS layer with geocode results (the output of 'Geocode a text field'); refreshed in place."""

    def __init__(self, db: Database, layer: QgsVectorLayer, text_field: str, site_field: str | None = None):
        fields = result_field_names(layer)
        if fields is None:
            raise SafeStatsError(f"Layer '{layer.name()}' has no geocoding results (fields confidence, "
                                 "radius_m, level, matched, ambiguous); run 'Geocode a text field' on it "
                                 "first.")
        for f in (text_field, site_field):
            if f and layer.fields().indexOf(f) < 0:
                raise SafeStatsError(f"Layer '{layer.name()}' has no field '{f}'.")
        self.db, self.layer, self.fields = db, layer, fields
        self.text_field, self.site_field = text_field, site_field
        self.label = f"Layer: {layer.name()}"

    def _key(self, f) -> tuple[str, str | None]:
        text = py(f[self.text_field])
        site = py(f[self.site_field]) if self.site_field else None
        return ("" if text is None else str(text), None if site is None else str(site))

    def items(self, threshold: float, limit: int = 2000) -> list[ReviewItem]:
        t = _threshold(threshold)
        found: dict[tuple, ReviewItem] = {}
        for f in self.layer.getFeatures():
            text, site = self._key(f)
            if not text.strip():
                continue
            conf, amb = py(f[self.fields["confidence"]]), bool(py(f[self.fields["ambiguous"]]))
            if not (amb or (conf or 0.0) < t):
                continue
            item = found.get((text, site))
            if item is None:
                found[(text, site)] = ReviewItem(text, site, 1, None if conf is None else float(conf), amb,
                                                 py(f[self.fields["matched"]]))
            else:
                item.records += 1
        ordered = sorted(found.values(), key=lambda i: (
            -i.records, -1 if i.confidence is None else i.confidence, i.text, i.site_code or ""))
        return ordered[:limit]

    def refresh(self, text: str, site_code: str | None) -> int:
        result = geocode_many(self.db, [(text, site_code)])[(text, site_code)]
        prov = self.layer.dataProvider()
        idx = {r: self.layer.fields().indexOf(n) for r, n in self.fields.items()}
        values = {"confidence": result.confidence, "radius_m": result.radius_m, "level": result.level,
                  "matched": result.matched, "ambiguous": result.ambiguous}
        geom = (QgsGeometry.fromPointXY(QgsPointXY(result.x, result.y)) if result.x is not None
                else QgsGeometry())
        attrs, geoms = {}, {}
        for f in self.layer.getFeatures():
            if self._key(f) == (text, site_code):
                attrs[f.id()] = {idx[r]: values[r] for r in RESULT_NAMES}
                geoms[f.id()] = geom
        if attrs:
            prov.changeAttributeValues(attrs)
            prov.changeGeometryValues(geoms)
            self.layer.triggerRepaint()
        return len(attrs)


def database_sources(db: Database) -> list[ReviewSource]:
    """The geocoded sources in the database this login can read (A&E records, stored batch results)."""
    out: list[ReviewSource] = []
    if db.relation_exists("health.ae_assault") and _readable(db, "health.ae_assault"):
        out.append(AeRecordsSource(db))
    if db.relation_exists("gazetteer.geocode_result") and _readable(db, "gazetteer.geocode_result"):
        for (name,) in db.query("SELECT DISTINCT table_name FROM gazetteer.geocode_result ORDER BY 1"):
            out.append(StoredResultsSource(db, str(name)))
    return out


def _readable(db: Database, relation: str) -> bool:
    # Record-level A&E text is for the health and loader roles only; an analyst's login skips it quietly.
    return bool(py(db.scalar(f"SELECT has_table_privilege({quote_literal(relation)}, 'SELECT')")))


# -- one review session ----------------------------------------------------------------------------

def candidate_labels(cands: list[GeocodeResult], together_m: float = 30.0) -> list[str]:
    """Map labels for ``cands`` ("1 Rye Lane"): candidates within ``together_m`` of a better one share
    its label ("1/2 Rye Lane", or "1 Rye Lane / 2 Peckham Rye" when they differ) and get none of their own,
    so numbers at one spot are not drawn on top of each other."""
    labels = [""] * len(cands)
    owner: list[int | None] = [None] * len(cands)
    for i, c in enumerate(cands):
        if c.x is None:
            continue
        for j in range(i):
            o = cands[j]
            if (owner[j] is None and o.x is not None
                    and abs(o.x - c.x) <= together_m and abs(o.y - c.y) <= together_m):
                owner[i] = j
                break
    for i, c in enumerate(cands):
        if c.x is None or owner[i] is not None:
            continue
        group = [i] + [k for k in range(i + 1, len(cands)) if owner[k] == i]
        names = [cands[k].matched or "" for k in group]
        ranks = [str(k + 1) for k in group]
        labels[i] = (f"{'/'.join(ranks)} {names[0]}" if len(set(names)) == 1
                     else " / ".join(f"{r} {n}" for r, n in zip(ranks, names)))
    return labels


def candidate_layer(cands: list[GeocodeResult], item: ReviewItem | None = None) -> QgsVectorLayer:
    """A temporary point layer of ``cands`` (rank 1 = best) styled with rank labels and radius circles."""
    title = f"Review: {item.text}" if item is not None else "Review candidates"
    layer = QgsVectorLayer("Point?crs=EPSG:27700", title, "memory")
    prov = layer.dataProvider()
    prov.addAttributes([QgsField("rank", QVariant.Int), QgsField("matched", QVariant.String),
                        QgsField("level", QVariant.String), QgsField("confidence", QVariant.Double),
                        QgsField("radius_m", QVariant.Double), QgsField("label", QVariant.String)])
    layer.updateFields()
    feats = []
    for rank, (c, label) in enumerate(zip(cands, candidate_labels(cands)), start=1):
        if c.x is None:
            continue
        f = QgsFeature(layer.fields())
        f.setAttributes([rank, c.matched, c.level, c.confidence, c.radius_m, label])
        f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(c.x, c.y)))
        feats.append(f)
    prov.addFeatures(feats)
    layer.updateExtents()
    renderer = styles.candidate_renderer("rank", "radius_m")
    # Draw the best candidate last (on top) where candidates overlap.
    renderer.setOrderBy(QgsFeatureRequest.OrderBy([QgsFeatureRequest.OrderByClause("rank", False)]))
    renderer.setOrderByEnabled(True)
    layer.setRenderer(renderer)
    layer.setLabeling(QgsVectorLayerSimpleLabeling(styles.rank_label_settings("label")))
    layer.setLabelsEnabled(True)
    return layer


def zoom_extent(layer: QgsVectorLayer, minimum_m: float = 600.0) -> QgsRectangle:
    """The candidates' extent with their radius circles, at least ``minimum_m`` across."""
    ext = QgsRectangle()
    for f in layer.getFeatures():
        p = f.geometry().asPoint()
        r = max(float(py(f["radius_m"]) or 0.0), 50.0)
        box = QgsRectangle(p.x() - r, p.y() - r, p.x() + r, p.y() + r)
        if ext.isNull():
            ext = box
        else:
            ext.combineExtentWith(box)
    if ext.isNull():
        return ext
    # Room around the points for the rank labels, which sit beside them.
    grow_x = max(0.0, minimum_m - ext.width()) / 2 + ext.width() * 0.2
    grow_y = max(0.0, minimum_m - ext.height()) / 2 + ext.height() * 0.15
    return QgsRectangle(ext.xMinimum() - grow_x, ext.yMinimum() - grow_y,
                        ext.xMaximum() + grow_x, ext.yMaximum() + grow_y)


def nearest_rank(layer: QgsVectorLayer, point: QgsPointXY, tolerance: float) -> int | None:
    """Rank of the candidate nearest ``point`` (layer CRS) if it is within ``tolerance`` map units."""
    best = None
    for f in layer.getFeatures():
        d = f.geometry().asPoint().distance(point)
        if d <= tolerance and (best is None or d < best[0]):
            best = (d, int(f["rank"]))
    return None if best is None else best[1]


class ReviewSession:
    """The records to review from one source, where the analyst is, and what was decided.

    ``load()`` lists the items; ``next()`` / ``previous()`` move; ``candidates()`` are the current
    item's places (best first); ``accept(rank)`` stores the alias and refreshes the source;
    ``skip()`` moves on without a decision."""

    def __init__(self, db: Database, source: ReviewSource, threshold: float = 0.5, n_candidates: int = 5):
        require_geocoder(db, "geocode_candidates")
        self.db, self.source, self.threshold, self.n = db, source, _threshold(threshold), int(n_candidates)
        self.items: list[ReviewItem] = []
        self.index = -1
        self.note = ""                   # what the last accept did to the stored records
        self._cands: dict[int, list[GeocodeResult]] = {}

    def load(self) -> int:
        """(Re)list what needs review; returns how many items. Starts at the first one."""
        self.items = self.source.items(self.threshold)
        self._cands.clear()
        self.index = 0 if self.items else -1
        return len(self.items)

    @property
    def current(self) -> ReviewItem | None:
        return self.items[self.index] if 0 <= self.index < len(self.items) else None

    def position(self) -> str:
        """"3 of 17" (or "nothing to review")."""
        if not self.items:
            return "nothing to review"
        return f"{self.index + 1} of {len(self.items)}"

    def go_to(self, index: int) -> ReviewItem | None:
        """Jump to item ``index`` (0-based; clamped to the list)."""
        if self.items:
            self.index = max(0, min(int(index), len(self.items) - 1))
        return self.current

    def next(self) -> ReviewItem | None:
        if self.index < len(self.items) - 1:
            self.index += 1
        return self.current

    def previous(self) -> ReviewItem | None:
        if self.index > 0:
            self.index -= 1
        return self.current

    def candidates(self) -> list[GeocodeResult]:
        """The current item's candidates (asked once per item)."""
        item = self.current
        if item is None:
            return []
        if self.index not in self._cands:
            self._cands[self.index] = candidates(self.db, item.text, item.site_code, self.n)
        return self._cands[self.index]

    def accept(self, rank: int) -> str:
        """Make candidate ``rank`` the answer for the current text at its site; refreshes the stored
        records and moves to the next item. Returns what the candidate matched."""
        item = self.current
        if item is None:
            raise SafeStatsError("There is no record to accept a candidate for.")
        n = len(self.candidates())
        if not 1 <= int(rank) <= n:
            raise SafeStatsError(f"'{item.text}' has {n} candidate(s); there is no number {rank}.")
        matched = accept_candidate(self.db, item.text, item.site_code, int(rank))
        why_not = self.source.cannot_refresh()
        if why_not:
            self.note = f"The decision is stored; the records were not refreshed: {why_not}."
        else:
            refreshed = self.source.refresh(item.text, item.site_code)
            self.note = f"{refreshed} stored record(s) refreshed."
        item.status, item.decision, item.matched = "accepted", matched, matched
        log(f"review: '{item.text}' at site {item.site_code or '(any)'} now means {matched}. {self.note}",
            "warning" if why_not else "info")
        self.next()
        return matched

    def skip(self) -> ReviewItem | None:
        """Leave the current item undecided and move on."""
        item = self.current
        if item is not None and item.status == "to review":
            item.status = "skipped"
        return self.next()

    def summary(self) -> str:
        accepted = sum(1 for i in self.items if i.status == "accepted")
        skipped = sum(1 for i in self.items if i.status == "skipped")
        return f"{accepted} accepted, {skipped} skipped, {len(self.items) - accepted - skipped} to review"
