"""data.police.uk outcomes files (YYYY-MM-<force>-outcomes.csv): a file replaces its (force, month)."""
from .police_uk import OUTCOMES as SOURCE  # noqa: F401
