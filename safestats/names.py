"""Names the user types (sources, metrics, themes, area codes, sections): matched without regard
to case, and when nothing matches, an error that names the nearest ones ("did you mean ...?").

    >>> resolve("Crime", ["crime", "health"], "theme")
    'crime'
    >>> resolve("pas_good_jb", ["pas_good_job", "pas_informed"], "indicator")
    Traceback (most recent call last):
    ...
    safestats.names.UnknownName: unknown indicator 'pas_good_jb'; did you mean pas_good_job?
"""
from __future__ import annotations

from collections.abc import Iterable


class UsageError(ValueError):
    """The command line asks for something that cannot be: exit code 2, message without traceback."""


class UnknownName(UsageError):
    """A name (area, metric, source, theme ...) that is not known; the message names the nearest ones."""

    def __init__(self, message: str, suggestions: list[str] | None = None):
        super().__init__(message)
        self.suggestions = suggestions or []


def near_matches(word: str, choices: Iterable[str], limit: int = 3, cutoff: float = 60) -> list[str]:
    """The choices closest to ``word`` (case-insensitive), best first; empty when none is close."""
    from rapidfuzz import fuzz, process, utils
    choices = list(dict.fromkeys(c for c in choices if c is not None))
    found = process.extract(word, choices, scorer=fuzz.WRatio, processor=utils.default_process,
                            limit=limit, score_cutoff=cutoff)
    return [c for c, _, _ in found]


def did_you_mean(word: str, choices: Iterable[str], limit: int = 3) -> str:
    """``"; did you mean a, b or c?"``, or ``""`` when nothing is close."""
    near = near_matches(word, choices, limit)
    if not near:
        return ""
    if len(near) == 1:
        return f"; did you mean {near[0]}?"
    return f"; did you mean {', '.join(near[:-1])} or {near[-1]}?"


def resolve(word: str, choices: Iterable[str], what: str) -> str:
    """The choice equal to ``word`` ignoring case; else :class:`UnknownName` naming near matches."""
    choices = list(choices)
    for c in choices:
        if c == word:
            return c
    folded = [c for c in choices if c.casefold() == word.casefold()]
    if len(folded) == 1:
        return folded[0]
    near = near_matches(word, choices)
    hint = did_you_mean(word, choices)
    if not hint and choices and len(choices) <= 12:
        hint = f"; known: {', '.join(sorted(choices))}"
    raise UnknownName(f"unknown {what} {word!r}{hint}", near)
