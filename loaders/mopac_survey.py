"""MOPAC Public Attitude Survey (PAS) by MPS neighbourhood — both layouts in the London Datastore:

* ``2016-police-perceptions.csv`` (edition 2016): one row per neighbourhood with its code (KG-KB),
  MOPAC's own comparator ``Group`` (1-12) and 19 measures (% agreeing etc.); a second header row
  gives the answer categories counted. A UTF-8 BOM.
* ``2015-16_to_2020-21_inclusive_neighbourhood_indicators_final_221221.csv`` (edition 2021): four
  confidence measures for White British, Asian and Black respondents, pooled 2015-16 to 2020-21; a
  three-row header (question, ethnic group, answer categories) and no codes: codes come from the
  committed neighbourhood -> ward mapping (the 2016 code for the same name, else N-<NAME>).

The layout is recognised from the header. Every neighbourhood row is kept in
``survey.neighbourhood`` (even one with no values, such as "Westminster - ORB"), so none is dropped;
the values go to ``landscape.indicator_value`` at level ``neighbourhood`` (vintage = edition).
The files give no sample sizes: see docs/comparator.md for the assumption behind the intervals.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

from .core import LoadOptions, LoadRefused, Source, open_text
from .landscape import FixedDef, WideIndicatorSource, slug

MAPPING_CSV = Path(__file__).resolve().parent.parent / "data" / "landscape" / "neighbourhood_wards.csv"
ATTRIBUTION = ("Mayor's Office for Policing and Crime (MOPAC), Public Attitude Survey, London Datastore, "
               "OGL v3")

# 2016 layout: heading -> (code, short name, direction). Percentages of respondents.
MEASURES_2016 = {
    "taking everything into account how good a job": ("pas_good_job", "Police do a good job (% excellent or "
                                                                      "good)"),
    "dealing with the things that matter": ("pas_deal_with_what_matters", "Police deal with the things that "
                                                                          "matter to this community (% "
                                                                          "agree)"),
    "relied upon to be there": ("pas_relied_on", "Police can be relied on to be there when needed (% agree)"),
    "treat everyone fairly": ("pas_treat_fairly", "Police treat everyone fairly (% agree)"),
    "listen to the concerns": ("pas_listen", "Police listen to the concerns of local people (% agree)"),
    "well informed about local police": ("pas_well_informed", "Feel well informed about local police "
                                                              "activities (%)"),
    "how to contact their local snt": ("pas_know_how_to_contact", "Know how to contact their local SNT or "
                                                                  "ward officer (%)"),
    "treat you with respect": ("pas_treat_with_respect", "Police would treat you with respect (% agree)"),
    "tackle gun crime": ("pas_tackle_gun_crime", "Police tackle gun crime well (%)"),
    "tackle drug dealing": ("pas_tackle_drugs", "Police tackle drug dealing and use well (%)"),
    "are gangs a problem": ("pas_gangs_not_a_problem", "Gangs not a problem in this area (%)"),
    "worried about asb": ("pas_not_worried_asb", "Not worried about anti-social behaviour (%)"),
    "worried about crime": ("pas_not_worried_crime", "Not worried about crime (%)"),
    "how safe do you feel walking alone": ("pas_safe_after_dark", "Feel safe walking alone after dark (%)"),
    "visible patrolling presence": ("pas_visible_patrols", "Police provide a visible patrolling presence "
                                                           "(%)"),
    "satisfied with your life": ("pas_life_satisfaction", "Satisfied with life (%)"),
    "friendly and approachable": ("pas_friendly", "Police are friendly and approachable (% agree)"),
    "understand the issues": ("pas_understand_issues", "Police understand the issues that affect this "
                                                       "community (% agree)"),
}
MEASURES_2021 = {
    "treat everyone fairly": ("pas_treat_fairly", "Police treat everyone fairly (% agree)"),
    "listen to the concerns": ("pas_listen", "Police listen to the concerns of local people (% agree)"),
    "how good a job": ("pas_good_job", "Police do a good job (% excellent or good)"),
    "stop and search powers fairly": ("pas_stop_search_fair", "Confident police use stop and search fairly "
                                                              "(%)"),
}


def neighbourhood_codes(edition: str) -> dict[str, str]:
    """Normalised neighbourhood name -> code, from the committed mapping."""
    out = {}
    if MAPPING_CSV.exists():
        with open(MAPPING_CSV, encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                if r["edition"] == edition:
                    out[norm(r["neighbourhood_name"])] = r["neighbourhood_code"]
    return out


def norm(s: str) -> str:
    s = s.replace("&", " and ").lower()
    return re.sub(r"\s+", " ", re.sub(r"[^a-z0-9\- ]", " ", s)).strip()


class Pas2016Source(WideIndicatorSource):
    name = "mopac-survey"
    description = "MOPAC Public Attitude Survey by neighbourhood (2016 perceptions or 2015-21 indicators)"
    code_headers = ("Code",)
    name_headers = ("Neighbourhood",)
    header_rows = 2
    source_label = "MOPAC Public Attitude Survey 2016 (London Datastore)"
    attribution = ATTRIBUTION
    level_override = "neighbourhood"
    vintage_override = 2016
    edition = "2016"
    min_indicators = 10

    def define(self, header: str):
        h = header.strip().lower()
        if h == "group":
            return None
        for key, (code, name) in MEASURES_2016.items():
            if key in h:
                return FixedDef(code, name, "Public Confidence", "percent", "2016",
                                direction="higher is better", description=header.strip()).to_def(header)
        return None          # e.g. "Total Notifiable Offences rate": N/A for every row

    def map_header(self, path, header):
        self._group_idx = next((i for i, h in enumerate(header) if h.strip().lower() == "group"), None)
        self._groups = {}
        return super().map_header(path, header)

    def rows(self, path, header, mapping, records):
        code_idx, name_idx = mapping

        def remember(records):
            for line_no, rec in records:
                if self._group_idx is not None and len(rec) == len(header):
                    self._groups[rec[code_idx].strip()] = (rec[name_idx].strip(),
                                                           rec[self._group_idx].strip())
                yield line_no, rec
        yield from super().rows(path, header, mapping, remember(records))

    def write(self, cur, ctx):
        n = super().write(cur, ctx)
        cur.execute("DELETE FROM survey.neighbourhood WHERE edition = %s", (self.edition,))
        with cur.copy("COPY survey.neighbourhood (edition, neighbourhood_code, name, borough_name, "
                      "sector_name, "
                      "mopac_group, load_id) FROM STDIN") as cp:
            for code, (name, group) in self._groups.items():
                borough, _, sector = name.partition(" - ")
                m = re.search(r"\d+", group or "")
                cp.write_row((self.edition, code, name, borough, sector or name,
                              int(m.group()) if m else None, ctx.load_id))
        ctx.meta["neighbourhoods"] = len(self._groups)
        return n


class Pas2021Source(Pas2016Source):
    header_rows = 3
    code_headers = ("neighbourhood",)
    name_headers = ()
    source_label = "MOPAC PAS neighbourhood indicators 2015-16 to 2020-21 (London Datastore)"
    vintage_override = 2021
    edition = "2021"
    min_indicators = 12

    def area_code(self, code: str, name: str | None) -> str:
        # "code" here is the neighbourhood name (the file has no codes).
        c = self._codes.get(norm(code)) or "N-" + re.sub(r"[^A-Z0-9]+", "-", code.upper()).strip("-")
        self._groups[c] = (code, "")
        return c

    def define_column(self, header: str, index: int):
        """The catalogue entry of column ``index`` (its ethnic group is in the second header row)."""
        h = header.strip().lower()
        group = self._ethnic[index].strip() if index < len(self._ethnic) else ""
        for key, (code, name) in MEASURES_2021.items():
            if key in h and group:
                return FixedDef(f"{code}_{slug(group)}", f"{name}, {group} respondents", "Public Confidence",
                                "percent", "2015-16 to 2020-21", direction="higher is better",
                                description=f"{header.strip()} ({group})").to_def(header)
        return None

    def map_header(self, path, header):
        stream, _ = open_text(path)
        with stream:
            rows = csv.reader(stream)
            next(rows)
            self._ethnic = next(rows)
        self._codes = neighbourhood_codes(self.edition)
        self._group_idx = None
        self._groups = {}
        defs = [(i, self.define_column(h, i)) for i, h in enumerate(header) if i > 0]
        defs = [(i, d) for i, d in defs if d is not None]
        if len(defs) < self.min_indicators:
            raise LoadRefused(f"{path}: line 1-2: expected 12 measure x ethnic-group columns, recognised "
                              f"{len(defs)}")
        self._defs = defs
        return [0, None]


SOURCE = Pas2016Source()
SOURCE_2021 = Pas2021Source()


class PasSurvey(Source):
    """Either layout of the survey file: the header says which (a ``Code`` column means 2016)."""
    name = "mopac-survey"
    description = Pas2016Source.description
    target = "survey.neighbourhood, landscape.indicator, landscape.indicator_value"

    def load(self, conn, path, options: LoadOptions | None = None):
        """Pick the layout from the header: a ``Code`` column means the 2016 file."""
        options = options or LoadOptions()
        stream, _ = open_text(Path(path), options.encoding)
        with stream:
            header = next(csv.reader(stream), [])
        norm_h = [h.strip().lower().lstrip("\ufeff") for h in header]
        if "code" in norm_h and "group" in norm_h:
            return SOURCE.load(conn, path, options)
        if norm_h and norm_h[0] == "neighbourhood":
            if not MAPPING_CSV.exists():
                raise LoadRefused(f"{MAPPING_CSV} is missing: it gives the codes of this file's "
                                  "neighbourhoods")
            return SOURCE_2021.load(conn, path, options)
        raise LoadRefused(f"{path}: line 1: not a MOPAC PAS neighbourhood file (expected a 'Neighbourhood, "
                          f"Code, Group, ...' or 'neighbourhood, <question>...' header)")


SURVEY = PasSurvey()
load = SURVEY.load      # (callers of the module-level function)
