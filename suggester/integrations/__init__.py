"""Speak the languages of the tools around a radiology department.

* :mod:`.hl7` reads HL7 v2 ORU^R01 results and writes DFT^P03 charges (FT1 segments);
* :mod:`.fhir` reads FHIR R4 DiagnosticReports (alone or in a Bundle) and writes a
  Claim-shaped Bundle;
* :mod:`.x12` gives each code line its X12 837P SV1-01 composite (``HC:73070:26:RT``).

Readers yield the suggester's input records (``{"id", "text", "ordered", ...}``), or an error
record ``{"id", "error": {"type", "message"}}`` for a message that cannot be read, so that
every message becomes exactly one output record. Writers take an output record of
:meth:`suggester.Suggester.suggest_record` and the input record it came from.

hl7apy and fhir.resources are optional extras (``suggester[hl7]``, ``suggester[fhir]``),
imported on first use: importing this package needs neither.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from ..pipeline import SuggesterError

OUTPUT_FORMATS = ("hl7", "fhir")


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


def format_record(rec: dict, fmt: str, source: dict | None = None) -> str:
    """One output record as text in an integration format, ready to append to a file.

    ``hl7``: a DFT^P03 message (an ACK^R01 with MSA-1 ``AE`` for an error record), segments
    ending in CR and the message in a newline. ``fhir``: one JSON line, a Claim-shaped Bundle
    (an OperationOutcome for an error record). ``source`` is the input record, whose
    ``hl7``/``fhir`` context (patient, visit, order) the writers copy.
    """
    if fmt == "hl7":
        from .hl7 import write_ack, write_dft

        msg = write_ack(rec, source) if rec.get("status") == "error" else write_dft(rec, source)
        return msg + "\n"
    if fmt == "fhir":
        import json

        from .fhir import claim_bundle, operation_outcome

        res = operation_outcome(rec) if rec.get("status") == "error" else claim_bundle(rec, source)
        return json.dumps(res, ensure_ascii=False) + "\n"
    raise ValueError(f"unknown output format {fmt!r}; expected one of {OUTPUT_FORMATS}")
