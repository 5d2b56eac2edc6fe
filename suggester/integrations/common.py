"""What every integration module shares: the optional-extra import and the date of service."""

from __future__ import annotations

import importlib
from types import ModuleType

from ..errors import SuggesterError


class MissingExtraError(SuggesterError):
    """An optional dependency is not installed (the message names the pip extra)."""


def require(module: str, extra: str) -> ModuleType:
    """Import ``module`` or fail with the install command for the extra that provides it."""
    try:
        return importlib.import_module(module)
    except ImportError as e:
        raise MissingExtraError(
            "missing_extra",
            f"{extra} support needs {module.split('.')[0]!r}: pip install 'suggester[{extra}]' ({e})",
        ) from None


def service_date(source: dict | None) -> str | None:
    """The date of service an input record tells, as sent: HL7 OBR-7 / OBX-14 / MSH-7, FHIR
    ``effective[x]`` / ``issued``, else its ``service_date`` field (JSONL, CSV)."""
    source = source or {}
    hl7 = source.get("hl7") or {}
    fhir = source.get("fhir") or {}
    value = (hl7.get("observed") or hl7.get("sent") or fhir.get("effective") or fhir.get("issued")
             or source.get("service_date"))
    return value if isinstance(value, str) and value.strip() else None
