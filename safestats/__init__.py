"""SafeStats: a PostGIS crime and community-safety data hub, its loaders, geocoder and comparator."""

__version__ = "0.1.0"
