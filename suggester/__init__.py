"""suggester: CPT code suggestions for dictated radiology reports."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .__about__ import __version__
from .errors import SuggesterError

if TYPE_CHECKING:
    from .pipeline import Suggester

__all__ = ["Suggester", "SuggesterError", "__version__"]


def __getattr__(name: str):
    """``Suggester`` is imported on first use (PEP 562): the pipeline (spaCy, the models) costs
    about a second to import, which commands that do not code reports (``suggester --help``, the
    service's event-loop process) do not pay."""
    if name == "Suggester":
        from .pipeline import Suggester

        return Suggester
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
