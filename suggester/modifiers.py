"""Stage 7: modifiers from the billing context and the payer profile (CODING_RULES §1).

* Component: ``professional`` -> 26, ``technical`` -> TC, ``global`` -> none; only for codes
  whose fee-schedule indicator says they split (never on professional-only codes).
* Laterality: unilateral codes get RT/LT; a bilateral study of a unilateral code is one line
  with 50 (units 1) under a ``modifier_50`` payer, or two lines RT + LT under ``rt_lt``.
  Inherently bilateral, "either" and midline codes never get RT/LT/50.
* Order: pricing (26, TC, 50, 52) -> payment (59, XS, 76, 77) -> location (RT, LT); at most 4.
"""

from __future__ import annotations

from dataclasses import dataclass

from .lexicon import Code, Payer

BILLING = ("professional", "technical", "global")
PRICING = ("26", "TC", "50", "52")
PAYMENT = ("59", "XS", "76", "77")
LOCATION = ("RT", "LT")
MAX_MODIFIERS = 4


@dataclass(frozen=True)
class ModifiedLine:
    modifiers: tuple[str, ...]
    units: int
    reasons: tuple[str, ...]


def component_modifier(code: Code, billing: str) -> tuple[str | None, str]:
    if billing not in BILLING:
        raise ValueError(f"billing must be one of {BILLING}, got {billing!r}")
    if billing == "global":
        return None, "global billing: no component modifier"
    if code.components != "split":
        return None, f"{code.code} has no professional/technical split"
    mod = "26" if billing == "professional" else "TC"
    return mod, f"{billing} billing -> {mod}"


def order_modifiers(mods: list[str]) -> tuple[str, ...]:
    def rank(m: str) -> tuple[int, int]:
        for i, group in enumerate((PRICING, PAYMENT, LOCATION)):
            if m in group:
                return i, group.index(m)
        return 3, 0
    uniq = list(dict.fromkeys(mods))
    return tuple(sorted(uniq, key=rank)[:MAX_MODIFIERS])


def lines_for(code: Code, side: str | None, billing: str, payer: Payer,
              extra: tuple[str, ...] = (), units: int = 1) -> list[ModifiedLine]:
    """The claim line(s) for one code: one line, or two for RT + LT under an rt_lt payer."""
    comp, why = component_modifier(code, billing)
    base = [comp] if comp else []
    base += list(extra)
    reasons = [why]
    if not code.unilateral or side in (None, "unilateral"):
        if code.unilateral and side in (None, "unilateral"):
            reasons.append("unilateral code without a documented side")
        return [ModifiedLine(order_modifiers(base), units, tuple(reasons))]
    if side in ("left", "right"):
        mod = "RT" if side == "right" else "LT"
        return [ModifiedLine(order_modifiers(base + [mod]), units,
                             tuple(reasons + [f"{side} side of a unilateral code -> {mod}"]))]
    if payer.bilateral == "modifier_50":
        return [ModifiedLine(order_modifiers(base + ["50"]), 1,
                             tuple(reasons + [f"bilateral study of a unilateral code, {payer.name}: one line with 50"]))]
    return [
        ModifiedLine(order_modifiers(base + ["RT"]), units,
                     tuple(reasons + [f"bilateral study of a unilateral code, {payer.name}: RT line"])),
        ModifiedLine(order_modifiers(base + ["LT"]), units,
                     tuple(reasons + [f"bilateral study of a unilateral code, {payer.name}: LT line"])),
    ]
