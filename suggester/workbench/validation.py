"""Check a coder's decision before it is stored: the request's shape, and an override's code
lines against the code table, the billing context and the payer's modifier rules.

Every problem is named (``codes[0]: payer medicare bills diagnostic tomosynthesis as G0279,
not 77061``); the service answers them together as one 422. The rules are the ones the
suggester itself follows (``suggester/modifiers.py``, CODING_RULES §1 and §3):

* the code is in the code table, and not one the payer replaces (substitutions) or does not
  bill (an add-on rule of rules.jsonl whose ``when_payer`` the payer fails: diagnostic
  tomosynthesis G0279 vs 77061/77062);
* modifiers are known ones, at most 4, no repeats;
* 26/TC follow the billing context (professional -> 26, technical -> TC, global -> none) and
  only on codes with a professional/technical split;
* RT/LT/50 only on unilateral codes, never RT and LT on one line; 50 (units 1) under a
  ``modifier_50`` payer, RT + LT lines under an ``rt_lt`` payer;
* a distinct-service modifier is the payer's kind: 59, or X{EPSU}.
"""

from __future__ import annotations

from ..lexicon import Lexicon, Payer
from ..modifiers import LOCATION, MAX_MODIFIERS, PAYMENT, PRICING, component_modifier
from .store import ACTIONS, Decision

KNOWN_MODIFIERS = (*PRICING, *PAYMENT, *LOCATION)
X_MODIFIERS = ("XE", "XS", "XP", "XU")
DECISION_FIELDS = ("action", "coder", "codes", "note")
LINE_FIELDS = ("code", "modifiers", "units")
MAX_UNITS = 99
MAX_CODER = 100
MAX_NOTE = 2000


class DecisionError(ValueError):
    """The decision cannot be recorded; ``problems`` lists every reason."""

    def __init__(self, kind: str, problems: list[str]):
        super().__init__("; ".join(problems))
        self.kind, self.problems = kind, problems


def parse_decision(obj) -> Decision:
    """A :class:`Decision` from a request body, or DecisionError naming every bad field."""
    if not isinstance(obj, dict):
        raise DecisionError("invalid_decision", [f"expected a JSON object, got {type(obj).__name__}"])
    problems = [f"{k}: unknown field (expected {', '.join(DECISION_FIELDS)})" for k in obj if k not in DECISION_FIELDS]
    action = obj.get("action")
    if action not in ACTIONS:
        problems.append(f"action: expected one of {', '.join(ACTIONS)}, got {action!r}")
    coder = obj.get("coder")
    if not isinstance(coder, str) or not coder.strip():
        problems.append("coder: required (a non-empty string naming who decides)")
    elif len(coder) > MAX_CODER:
        problems.append(f"coder: at most {MAX_CODER} characters")
    note = obj.get("note")
    if note is not None and not isinstance(note, str):
        problems.append(f"note: expected a string, got {type(note).__name__}")
    elif note is not None and len(note) > MAX_NOTE:
        problems.append(f"note: at most {MAX_NOTE} characters")
    codes = obj.get("codes")
    lines = None
    if action == "override":
        if not isinstance(codes, list) or not codes:
            problems.append("codes: an override needs the corrected code lines "
                            '[{"code", "modifiers", "units"?}, ...]')
        else:
            lines = []
            for i, line in enumerate(codes):
                parsed, bad = _parse_line(line, f"codes[{i}]")
                problems += bad
                lines.append(parsed)
    elif codes is not None and action in ACTIONS:
        problems.append(f"codes: only an override carries codes (an {action} takes the suggestion's)"
                        if action == "accept" else "codes: a reject carries no codes")
    if problems:
        raise DecisionError("invalid_decision", problems)
    assert isinstance(action, str) and isinstance(coder, str)  # else a problem was raised above
    return Decision(action, coder.strip(), lines, note.strip() if note and note.strip() else None)


def _parse_line(line, where: str) -> tuple[dict, list[str]]:
    if not isinstance(line, dict):
        return {}, [f"{where}: expected an object {{\"code\", \"modifiers\", \"units\"?}}, got {type(line).__name__}"]
    problems = [f"{where}.{k}: unknown field (expected {', '.join(LINE_FIELDS)})" for k in line if k not in LINE_FIELDS]
    code = line.get("code")
    if not isinstance(code, str) or not code.strip():
        problems.append(f"{where}.code: required (a code of the code table)")
        code = ""
    mods = line.get("modifiers", [])
    if not isinstance(mods, list) or not all(isinstance(m, str) for m in mods):
        problems.append(f"{where}.modifiers: expected a list of strings such as [\"26\", \"RT\"]")
        mods = []
    units = line.get("units", 1)
    if isinstance(units, bool) or not isinstance(units, int) or not 1 <= units <= MAX_UNITS:
        problems.append(f"{where}.units: expected a whole number from 1 to {MAX_UNITS}, got {units!r}")
        units = 1
    return {"code": code.strip().upper(), "modifiers": [m.strip().upper() for m in mods], "units": units}, problems


def _payer_refusal(lex: Lexicon, payer: Payer, rule, code: str) -> str:
    """Why ``payer`` does not bill add-on ``code``: the policy its rule names and the codes the
    payer's own rules add instead ("bills diagnostic tomosynthesis as G0279, not 77061")."""
    key = next(k for k, v in rule.data["when_payer"].items() if getattr(payer, k, None) != v)
    instead = dict.fromkeys(r.data["code"] for r in lex.of_type("addon")
                            if key in r.data.get("when_payer", {}) and r.applies_to(payer))
    what = key.replace("_", " ")
    if not instead:
        return f"payer {payer.name} does not bill {code} ({what}: {getattr(payer, key, None)})"
    return f"payer {payer.name} bills {what} as {'/'.join(instead)}, not {code}"


def check_lines(lines: list[dict], lex: Lexicon, payer: Payer, billing: str) -> list[str]:
    """Every problem of the code lines under ``billing`` and ``payer`` (empty: all valid)."""
    problems = []
    distinct = getattr(payer, "distinct_service", "59")
    for i, line in enumerate(lines):
        where = f"codes[{i}]"
        code, mods, units = line["code"], line["modifiers"], line["units"]
        entry = lex.codes.get(code)
        if entry is None:
            problems.append(f"{where}: unknown code {code!r} (not in the code table)")
            continue
        if code in payer.substitutions:
            problems.append(f"{where}: payer {payer.name} bills {code} as {payer.substitutions[code]}")
        refused = lex.not_billed_to(payer).get(code)
        if refused is not None:
            problems.append(f"{where}: {_payer_refusal(lex, payer, refused, code)}")
        unknown = [m for m in mods if m not in KNOWN_MODIFIERS]
        if unknown:
            problems.append(f"{where}: unknown modifier {unknown[0]!r} on {code} "
                            f"(known: {', '.join(KNOWN_MODIFIERS)})")
        if len(set(mods)) != len(mods):
            problems.append(f"{where}: a modifier is repeated on {code}")
        if len(mods) > MAX_MODIFIERS:
            problems.append(f"{where}: {len(mods)} modifiers on {code}; a line carries at most {MAX_MODIFIERS}")
        # component: the billing context decides
        want, _ = component_modifier(entry, billing)
        for m in ("26", "TC"):
            if m in mods and m != want:
                why = (f"{code} has no professional/technical split" if entry.components != "split"
                       else f"{billing} billing takes {want or 'no 26/TC'}")
                problems.append(f"{where}: modifier {m} on {code}: {why}")
        if want and want not in mods:
            problems.append(f"{where}: {code} under {billing} billing needs modifier {want}")
        # laterality
        sided = [m for m in mods if m in ("RT", "LT", "50")]
        if sided and not entry.unilateral:
            what = {"bilateral": "inherently bilateral", "either": "unilateral-or-bilateral"}.get(entry.side, "unsided")
            problems.append(f"{where}: {'/'.join(sided)} on {code}: the code is {what} (no RT/LT/50)")
        elif len(sided) > 1:
            problems.append(f"{where}: {' and '.join(sided)} on one line of {code}; a line has one side "
                            f"({'two lines RT + LT' if payer.bilateral == 'rt_lt' else 'one line with 50'} "
                            f"for a bilateral study under payer {payer.name})")
        elif sided == ["50"]:
            if payer.bilateral == "rt_lt":
                problems.append(f"{where}: payer {payer.name} reports a bilateral {code} as two lines RT + LT, not 50")
            elif units != 1:
                problems.append(f"{where}: {code}-50 is billed with units 1 under payer {payer.name}, got {units}")
        # distinct service
        if distinct == "X" and "59" in mods:
            problems.append(f"{where}: payer {payer.name} takes the X{{EPSU}} modifier for a distinct service, not 59")
        if distinct == "59" and any(m in X_MODIFIERS for m in mods):
            problems.append(f"{where}: payer {payer.name} takes 59 for a distinct service, not "
                            f"{next(m for m in mods if m in X_MODIFIERS)}")
    return problems
