"""The one exception users see from data loading."""

from __future__ import annotations


class DataSourceError(ValueError):
    """A data source could not be loaded; the message says what and what to do about it.

    Subclasses ValueError so callers that validate settings can catch both the same way.
    """
