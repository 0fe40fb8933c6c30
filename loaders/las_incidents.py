"""London Ambulance Service assault call-outs, incident level (layout in docs/loaders.md)."""
from .las import INCIDENTS as SOURCE  # noqa: F401
