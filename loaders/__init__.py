"""SafeStats loaders: one module per source, all on the shared loading engine.

Each source is a :class:`loaders.core.Source` (most are a :class:`loaders.core.CsvSource`) declaring
its name, columns, checks, target tables, command-line options and optional two-connection plan;
``loaders.registry`` maps the names ``safestats load`` knows to them. ``source.load(conn, path,
options)`` loads one file. The engine, lowest layer first: ``base``, ``files``, ``provenance``,
``staging``, ``areas``, ``partitions``, ``parallel``, ``core`` (see loaders/core.py).
"""
