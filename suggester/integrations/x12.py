"""X12 837P (005010X222A1): the service-line loops (2400) of each output record.

SV1-01 is ``HC`` (the HCPCS/CPT product qualifier, used for CPT and HCPCS Level II codes
alike), the code, then up to four modifiers, joined by the interchange's component separator
(ISA-16, ``:`` unless the trading partner says otherwise)::

    HC:73070:26:RT

:func:`service_lines` builds, per code line, the 2400 loop a claim system pastes under the
claim (2300) it builds for the exam::

    LX*1~SV1*HC:73562:26:LT*0*UN*1***1~DTP*472*D8*20240312~REF*6R*ACC24031207-1~

* ``LX`` the line number (1 per claim, restarting for each record);
* ``SV1`` the procedure composite, the line charge (``0``: the charge master's price is the
  claim system's to fill), ``UN`` and the units, and the diagnosis pointer ``1`` (the first
  HI code of the claim, which the claim system supplies);
* ``DTP*472`` the date of service, when the input tells it (HL7 OBR-7 / OBX-14, FHIR
  ``effective[x]`` / ``issued``);
* ``REF*6R`` the line item control number: the record id and the line number, so a
  remittance (835) line can be matched back to the report.

Everything above the 2400 loop (ISA/GS/ST envelope, submitter, receiver, billing provider,
subscriber, payer, CLM, HI diagnoses, rendering/referring providers) is the claim system's:
the report does not tell it (see docs/integrations.md).
"""

from __future__ import annotations

import re

PRODUCT_QUALIFIER = "HC"
MAX_MODIFIERS = 4
IMPLEMENTATION = "005010X222A1"
# CPT category I (5 digits), II (4 digits + F), III (4 digits + T); HCPCS Level II (letter + 4 digits)
_CODE_RX = re.compile(r"^(\d{4}[0-9FT]|[A-V]\d{4})$")
_MODIFIER_RX = re.compile(r"^[0-9A-Z]{2}$")
_DATE_RX = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})")
_REF_RX = re.compile(r"[^A-Za-z0-9.\-]")
REF_MAX = 50  # REF02 of the 2400 loop


def sv1_composite(code: str, modifiers=(), *, separator: str = ":") -> str:
    """``HC:<code>[:<modifier>]...`` for one claim line.

    >>> sv1_composite("73070", ["26", "RT"])
    'HC:73070:26:RT'
    """
    if len(separator) != 1 or separator.isalnum() or separator.isspace():
        raise ValueError(f"component separator must be one punctuation character, got {separator!r}")
    if not isinstance(code, str) or not _CODE_RX.match(code):
        raise ValueError(f"not a CPT or HCPCS code: {code!r}")
    mods = list(modifiers)
    if len(mods) > MAX_MODIFIERS:
        raise ValueError(f"SV1-01 holds at most {MAX_MODIFIERS} modifiers, got {mods}")
    for m in mods:
        if not isinstance(m, str) or not _MODIFIER_RX.match(m):
            raise ValueError(f"not a procedure code modifier: {m!r}")
    return separator.join([PRODUCT_QUALIFIER, code, *mods])


def with_x12(record: dict, *, separator: str = ":") -> dict:
    """A copy of an output record whose code lines each carry ``"x12"``: their SV1-01 composite.

    Error records come back unchanged; the input record is not modified.
    """
    if record.get("status") != "ok" or "codes" not in record:
        return record
    out = dict(record)
    out["codes"] = [{**c, "x12": sv1_composite(c["code"], c.get("modifiers", ()), separator=separator)}
                    for c in record["codes"]]
    return out


def x12_date(value: str | None) -> str | None:
    """CCYYMMDD of an HL7 DTM (``20240312093011-0500``) or a FHIR date/dateTime
    (``2024-03-12T09:30:11-05:00``), as written (no time zone conversion); None when the value
    does not hold a whole date."""
    m = _DATE_RX.match(value or "")
    return "".join(m.groups()) if m else None


def line_control_number(record_id: str, n: int) -> str:
    """REF*6R: the record id (letters, digits, ``-`` and ``.``; others become ``-``) and the line
    number, at most 50 characters."""
    suffix = f"-{n}"
    return _REF_RX.sub("-", str(record_id))[:REF_MAX - len(suffix)] + suffix


def service_lines(record: dict, *, service_date: str | None = None, element: str = "*",
                  component: str = ":", terminator: str = "~") -> list[str]:
    """The 2400 loops (LX, SV1, DTP*472, REF*6R) of an ``ok`` output record, one segment per
    item, each ended by ``terminator``. ``service_date`` is an HL7 DTM or a FHIR date(Time);
    without it there is no DTP (the claim system adds the date of service)."""
    if record.get("status") != "ok":
        raise ValueError(f"record {record.get('id')!r} is an error record: it has no service lines")
    date = x12_date(service_date)
    segs: list[str] = []
    for n, line in enumerate(record.get("codes", []), 1):
        sv1 = [sv1_composite(line["code"], line.get("modifiers", ()), separator=component),
               "0", "UN", _units(line.get("units", 1)), "", "", "1"]
        segs.append(element.join(["LX", str(n)]))
        segs.append(element.join(["SV1", *sv1]))
        if date:
            segs.append(element.join(["DTP", "472", "D8", date]))
        segs.append(element.join(["REF", "6R", line_control_number(record.get("id") or "record", n)]))
    return [s + terminator for s in segs]


def _units(units) -> str:
    u = float(units)
    return str(int(u)) if u == int(u) else f"{u:g}"
