"""Speak the languages of the tools around a radiology department.

* :mod:`.hl7` reads HL7 v2 ORU^R01 results and writes DFT^P03 charges (FT1 segments);
* :mod:`.fhir` reads FHIR R4 DiagnosticReports (alone, in a Bundle, or NDJSON) and writes a
  Claim Bundle;
* :mod:`.x12` writes the X12 837P (005010X222A1) service-line loops of each record
  (LX / SV1 / DTP / REF) and the SV1-01 composite (``HC:73070:26:RT``).

Readers yield the suggester's input records (``{"id", "text", "ordered", ...}``), or an error
record ``{"id", "error": {"type", "message"}}`` for a message that cannot be read, so that
every message becomes exactly one output record; they never raise for what the input holds.
Writers take an output record of :meth:`suggester.Suggester.suggest_record` and the input
record it came from. :func:`format_record` gives any of them as one line of a file
(``suggester code --format hl7|fhir|x12``).

python-hl7, hl7apy and fhir.resources are optional extras (``suggester[hl7]``,
``suggester[fhir]``), imported on first use: importing this package needs neither.
"""

from __future__ import annotations

from .common import MissingExtraError, require, service_date

__all__ = ["OUTPUT_FORMATS", "MissingExtraError", "format_record", "line_status", "require", "service_date"]

OUTPUT_FORMATS = ("hl7", "fhir", "x12")


def format_record(rec: dict, fmt: str, source: dict | None = None) -> str:
    """One output record as one line of an integration format, ready to append to a file.

    ``hl7``: a DFT^P03 message (an ACK^R01 with MSA-1 ``AE`` for an error record), segments
    ending in CR and the message in a newline. ``fhir``: one JSON line, a Claim Bundle (an
    OperationOutcome for an error record). ``x12``: the record's 2400 loops on one line (an
    empty line for an error record or a report without a billable code: X12 has no way to
    say it). ``source`` is the input record, whose ``hl7``/``fhir`` context (patient, visit,
    order, dates) the writers copy.
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
    if fmt == "x12":
        from .x12 import service_lines

        if rec.get("status") != "ok":
            return "\n"
        return "".join(service_lines(rec, service_date=service_date(source))) + "\n"
    raise ValueError(f"unknown output format {fmt!r}; expected one of {OUTPUT_FORMATS}")


def line_status(line: bytes, fmt: str) -> dict:
    """``{"status", "error": {"type"}?}`` of one line written by :func:`format_record` (what
    ``suggester code --resume`` counts); ValueError for a line it did not write."""
    text = line.decode("utf-8", "replace").strip("\r\n")
    if fmt == "hl7":
        segs = text.split("\r")
        head = segs[0].split("|") if segs[0].startswith("MSH|") else []
        kind = head[8].split("^")[0] if len(head) > 8 else ""
        if kind == "DFT":
            return {"status": "ok"}
        if kind == "ACK":
            err = next((s.split("|") for s in segs if s.startswith("ERR|")), [])
            etype = err[8].split(":", 1)[0] if len(err) > 8 else "unknown"
            return {"status": "error", "error": {"type": etype}}
    elif fmt == "fhir":
        import json

        res = json.loads(text)
        if res.get("resourceType") == "Bundle":
            return {"status": "ok"}
        if res.get("resourceType") == "OperationOutcome":
            diag = (res.get("issue") or [{}])[0].get("diagnostics", "")
            return {"status": "error", "error": {"type": diag.rsplit(": ", 1)[-1] or "unknown"}}
    elif fmt == "x12":
        if not text.strip():
            return {"status": "error", "error": {"type": "no_service_line"}}
        if text.startswith("LX*"):
            return {"status": "ok"}
    raise ValueError(f"not a line of {fmt} output written by suggester code")
