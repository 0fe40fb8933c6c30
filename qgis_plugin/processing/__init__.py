"""The ``safestats`` Processing provider: every operation that can run headless (toolbox, models,
batch, ``qgis_process``)."""
