"""The geocoder's Python side: the calibration production reads, the labelled-set generator and the
evaluation report. The geocoder itself is SQL (db/functions/2*_geocode*.sql)."""
