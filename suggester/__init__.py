"""suggester: CPT code suggestions for dictated radiology reports."""

from .__about__ import __version__
from .pipeline import Suggester, SuggesterError

__all__ = ["Suggester", "SuggesterError", "__version__"]
