"""Logic of the SafeStats plugin that needs no widgets: SQL quoting, the connection, the layer
catalogue, styles and the comparator. Everything here runs in ``qgis_process`` and in tests."""
