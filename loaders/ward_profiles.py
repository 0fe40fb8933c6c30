"""GLA Ward Profiles and Atlas (2015 edition): 64 indicators for London's wards, boroughs, London and
England in one wide, Windows-1252 file (``ward-profiles-excel-version.csv``).

The wards are the **2011 census wards** (in use until May 2014): 570 of the 624 keep their code and
boundary in the May 2014 set; Hackney, Kensington and Chelsea and Tower Hamlets were re-warded in 2014,
so their 54 old wards exist only at vintage 2011. Rows are routed by their GSS code: E05 ward (vintage
2011), E09 borough, E12 London, E92 England. ``n/a`` cells are stored as "not available" (no value).
"""
from __future__ import annotations

from .landscape import WideIndicatorSource, auto_define


class WardProfilesSource(WideIndicatorSource):
    name = "ward-profiles"
    description = "GLA Ward Profiles (2015): 64 indicators per 2011 ward, borough, London, England"
    code_headers = ("New code", "New_Code", "GSS code")
    name_headers = ("Ward name", "Names")
    source_label = "GLA Ward Profiles and Atlas 2015 (London Datastore)"
    attribution = "Greater London Authority, Ward Profiles and Atlas (2015), London Datastore, OGL v3"
    ward_vintage = 2011
    expected = ("Population - 2015", "Crime rate - 2014/15", "Median House Price (£) - 2014")
    min_indicators = 50

    def define(self, header: str):
        if header.strip().lower() in ("old code",):
            return None
        return auto_define("wp", header)


SOURCE = WardProfilesSource()
