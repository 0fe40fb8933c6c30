"""SafeStats loaders: one module per source, all on the shared loading core (``loaders.core``).

Each source module defines a ``SOURCE`` (a :class:`loaders.core.CsvSource` or a loader object with
``name`` and ``load(conn, path, options)``) and is registered in ``loaders.registry``.
"""
