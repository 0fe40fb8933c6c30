"""data.police.uk stop and search files (YYYY-MM-<force>-stop-and-search.csv): the force and month
come from the file name (or --police-force / --month); a file replaces that slice."""
from .police_uk import STOP_SEARCH as SOURCE  # noqa: F401


def add_arguments(p) -> None:
    p.add_argument("--police-force", help="force slug when the file name does not say (e.g. metropolitan)")
    p.add_argument("--month", help="month YYYY-MM when the file name does not say")
