"""X12 837P: the SV1-01 composite medical procedure identifier of each code line.

SV1-01 is ``HC`` (the HCPCS/CPT product qualifier, used for CPT and HCPCS Level II codes
alike), the code, then up to four modifiers, joined by the interchange's component separator
(ISA-16, ``:`` unless the trading partner says otherwise)::

    HC:73070:26:RT

The rest of the SV1 segment (charge, units basis, diagnosis pointers) belongs to the claim
system, which knows the fee schedule and the diagnoses; it is not built here.
"""

from __future__ import annotations

import re

PRODUCT_QUALIFIER = "HC"
MAX_MODIFIERS = 4
# CPT category I (5 digits), II (4 digits + F), III (4 digits + T); HCPCS Level II (letter + 4 digits)
_CODE_RX = re.compile(r"^(\d{4}[0-9FT]|[A-V]\d{4})$")
_MODIFIER_RX = re.compile(r"^[0-9A-Z]{2}$")


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
