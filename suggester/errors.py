"""The error every bad input raises (in a module of its own: the service's event loop and the
integrations use it without importing the pipeline)."""

from __future__ import annotations


class SuggesterError(ValueError):
    """Bad input to the suggester (the message names the problem)."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind
