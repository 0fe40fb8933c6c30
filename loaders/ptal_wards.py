"""TfL Public Transport Accessibility by 2014 ward (``ward2014_avptai2015.csv``): the average PTAI
(2015) and the PTAL band. The band (0, 1a, 1b, 2, 3, 4, 5, 6a, 6b) is stored as its ordinal position
0-8 so it can be compared and averaged. The City of London appears as one row (E09000001)."""
from __future__ import annotations

from .landscape import FixedDef, WideIndicatorSource

PTAL_ORDER = ["0", "1a", "1b", "2", "3", "4", "5", "6a", "6b"]


class PtalSource(WideIndicatorSource):
    name = "ptal-wards"
    description = "TfL average PTAI 2015 and PTAL band per 2014 ward"
    code_headers = ("Ward Code",)
    name_headers = ("Ward Name",)
    source_label = "TfL Public Transport Accessibility Levels by ward (London Datastore)"
    attribution = ("Transport for London, PTAL 2015 by ward, London Datastore, OGL v3 "
                   "(Powered by TfL Open Data)")
    ward_vintage = 2014
    expected = ("AvPTAI2015", "PTAL")
    min_indicators = 2
    DEFS = {
        "avptai2015": FixedDef("ptai_2015", "Average Public Transport Accessibility Index", "Transport",
                               "index", "2015", direction="higher is better"),
        "ptal": FixedDef("ptal_band_2015", "Public Transport Accessibility Level (0=0, 1=1a, 2=1b, 3=2, "
                         "4=3, 5=4, 6=5, 7=6a, 8=6b)", "Transport", "band", "2015",
                         direction="higher is better"),
    }

    def define(self, header: str):
        d = self.DEFS.get(header.strip().lower())
        return d.to_def(header) if d else None

    def rows(self, path, header, mapping, records):
        ptal_idx = next(i for i, h in enumerate(header) if h.strip().lower() == "ptal")

        def translate(records):
            for line_no, rec in records:
                if len(rec) > ptal_idx:
                    band = rec[ptal_idx].strip().lower()
                    if band in PTAL_ORDER:
                        rec = list(rec)
                        rec[ptal_idx] = str(PTAL_ORDER.index(band))
                yield line_no, rec

        yield from super().rows(path, header, mapping, translate(records))


SOURCE = PtalSource()
