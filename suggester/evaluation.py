"""Evaluation harness: gold loading, metrics, calibration, automation curve, reports (issue 3).

The flow is a chain of plain functions, each importable and tested on its own::

    records = load_gold(paths)                     # validated gold, errors name file:line
    preds = predict(records, suggester)            # billing "global" + a "professional" re-run
    metrics = evaluate(records, preds, lexicon=)   # every number, as a JSON-ready dict
    metrics["cdm"] = score_cdm(load_cdm(path), suggester)   # external table, when present
    write_outputs(metrics, out_dir)                # metrics.json + self-contained report.html

``run_eval`` strings them together; ``suggester eval`` calls ``run_eval``.

Definitions (also in ``eval/README.md``):

* A claim line is ``(code, units, modifiers)``; predicted 26/TC are dropped before comparison
  (gold never carries them). A gold line given without modifiers (a bare code in a CSV) matches
  a predicted line of the same code and units whatever its modifiers.
* **Exact set**: the multiset of predicted lines equals the gold one. **Codes only**: the sets
  of codes are equal.
* **P/R/F1 per code** count distinct codes per report; micro pools the counts, macro averages
  the per-code scores over every code seen in gold or predictions (0 when undefined).
* **Top-3 recall**: a gold code counts when it is the code of a predicted line or one of the
  two best alternatives offered for that line.
* **Laterality** (RT/LT/50) and **payment** (52/59/76/77) modifier accuracy: over codes both in
  gold and predicted, the modifiers of that code's lines agree. **Component**: over the same
  codes in the ``professional`` re-run, 26 is present exactly when the code's ``components`` is
  ``split`` (and TC never is).
* **Calibration**: 10 equal-width bins (the last one closed); ECE = sum over bins of
  ``n_bin / N * |accuracy - mean confidence|``; Brier = mean ``(confidence - correct)^2``.
  Report level: report confidence vs exact set; code level: line confidence vs code in gold.
* **Automation**: a report is automated at threshold t when it has codes and every code has
  confidence >= t; coverage = automated / all reports, precision = exact-set accuracy of the
  automated ones. Operating points: the lowest threshold reaching 95/98/99% precision.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import html
import io
import json
import math
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA = "suggester-eval/1"
BASELINE_SCHEMA = "suggester-eval-baseline/1"
COMPONENT_MODIFIERS = frozenset({"26", "TC"})
LATERALITY_MODIFIERS = ("RT", "LT", "50")
PAYMENT_MODIFIERS = ("52", "59", "76", "77")
GOLD_MODIFIERS = LATERALITY_MODIFIERS + PAYMENT_MODIFIERS
FLAG_TYPES = ("performed_differs_from_ordered", "title_technique_conflict", "views_not_documented",
              "complete_exam_elements_missing", "cta_reconstruction_not_documented",
              "laterality_missing", "indication_unclear", "bundling_conflict")
N_BINS = 10
MIN_FAMILY_ECE = 30  # a family's report ECE is shown from this many reports
PRECISION_TARGETS = (0.95, 0.98, 0.99)
TOP_CONFUSIONS = 25
SPLIT_TEST_PERCENT = 35
CALIBRATION_PREFIX = "cal-"  # ids of the calibration split (never used to tune rules or lexicons)
# calibration parts retired into dev/test: the oldest calibration reports (cal_a..cal_g, 751, at
# stop 17; cal_h..cal_n, 1,077, at stop 18; cal_o..cal_v, 1,295, at stop 19; cal_w..cal_ae, 1,200,
# at stop 20; cal_af..cal_ak, 900, at stop 21;
# cal_al..cal_ap, 750, at stop 22; cal_aq..cal_at, 600, at stop 23; cal_au..cal_bd, 1,700, at stop 24:
# the 900 written by hand at stop 23 retire early so the rules and the confidence model learn from
# text written outside the team; cal_be..cal_bl, 1,200 written by hand at stop 24, at stop 25;
# cal_bm..cal_bt, 1,200 written by hand at stop 25, at stop 26; cal_bu..cal_cb, 1,199 written by hand at stop 26,
# at stop 27; cal_cc..cal_cg, 995 written by hand at stop 27, at stop 28; cal_ch..cal_cl, 998 written by hand at stop 28,
# at stop 34; cal_ct and cal_cu, 300 written at stop 34 and scored once when added (68.0% and 88.0% exact: women's/MSK
# imaging and speech-recognition run-on text), at once, so that their dev share can teach the rules) go to the hash split like any other record, so their dev share can tune rules and
# their test share makes the test split as varied as text written outside the team; the calibration split keeps the
# newer parts and gains fresh ones
RETIRED_CALIBRATION = tuple(f"cal-{p}-" for p in [*"abcdefghijklmnopqrstuvwxyz", "ab", "ac", "ad", "ae", "af", "ag", "ah",
                                                      "ai", "aj", "ak", "al", "am", "an", "ao", "ap", "aq", "ar", "as",
                                                      "at", "au", "av", "aw", "ax", "ay", "az", "ba", "bb",
                                                      "bc", "bd", "be", "bf", "bg", "bh", "bi", "bj", "bk",
                                                      "bl", "bm", "bn", "bo", "bp", "bq", "br", "bs", "bt", "bu",
                                                      "bv", "bw", "bx", "by", "bz", "ca", "cb", "cc", "cd",
                                                      "ce", "cf", "cg", "ch", "ci", "cj", "ck", "cl", "ct", "cu"])
NONE = "(none)"
_CODE_RX = re.compile(r"^(?:\d{4}[0-9A-Z]|[A-Z]\d{4})$")
_TOKEN_RX = re.compile(r"^([0-9A-Z]{5})((?:-[0-9A-Z]{2})*)$")
_GOLD_KEYS = ("id", "text", "codes", "ordered", "flags", "rationale", "tags")
_REPO = Path(__file__).resolve().parent.parent


class GoldFormatError(ValueError):
    """A gold file is malformed; the message starts with ``file:line``."""


# --------------------------------------------------------------------------- split rule


def split_of(record_id: str) -> str:
    """``"calib"`` for ids starting ``cal-`` (but not a retired part's ``cal-a-`` .. ``cal-g-``);
    else ``"test"`` when int(sha1(id)) mod 100 < 35, else ``"dev"`` (stable; see eval/README.md)."""
    if record_id.startswith(CALIBRATION_PREFIX) and not record_id.startswith(RETIRED_CALIBRATION):
        return "calib"
    h = int(hashlib.sha1(record_id.encode("utf-8")).hexdigest(), 16)
    return "test" if h % 100 < SPLIT_TEST_PERCENT else "dev"


def default_test_split() -> Path:
    return _REPO / "eval" / "data" / "test.jsonl"


def default_calib_split() -> Path:
    return _REPO / "eval" / "data" / "calib.jsonl"


def default_cdm_path() -> Path:
    return _REPO.parent / "shared" / "data" / "cdm_dev.csv"


def default_radlex_path() -> Path:
    return _REPO.parent / "shared" / "data" / "radlex_playbook_core.csv"


def has_eval_script(name: str) -> bool:
    return (_REPO / "eval" / f"{name}.py").is_file()


def eval_script(name: str):
    """The module ``eval/<name>.py`` of the checkout (perturbations, robustness transforms live
    beside the labeled data, outside the package), loaded once by path."""
    import importlib.util
    import sys

    key = f"suggester_eval_{name}"
    if key in sys.modules:
        return sys.modules[key]
    path = _REPO / "eval" / f"{name}.py"
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found: this needs a source checkout with eval/")
    spec = importlib.util.spec_from_file_location(key, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path} as a module")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[key] = mod
    try:
        spec.loader.exec_module(mod)
    except BaseException:
        del sys.modules[key]
        raise
    return mod


# --------------------------------------------------------------------------- gold loading


@dataclass(frozen=True)
class GoldLine:
    code: str
    modifiers: tuple[str, ...] | None  # None: not given (matches any predicted modifiers)
    units: int = 1

    def __str__(self) -> str:
        return line_str(self.code, self.modifiers or (), self.units)


@dataclass(frozen=True)
class GoldRecord:
    id: str
    text: str
    lines: tuple[GoldLine, ...]
    source: str  # file:line
    ordered: str | None = None
    flags: tuple[str, ...] | None = None  # None: no gold flags for this record
    family: str | None = None
    style: str | None = None
    hard: tuple[str, ...] = ()
    rationale: str | None = None

    @property
    def codes(self) -> frozenset:
        return frozenset(ln.code for ln in self.lines)


def line_str(code: str, modifiers: Iterable[str], units: int = 1) -> str:
    s = "-".join([code, *modifiers])
    return s if units == 1 else f"{s} x{units}"


def load_gold(paths: Sequence[str | Path]) -> list[GoldRecord]:
    """Load gold records from labeled JSONL or CSV/JSONL files with ``text`` and ``codes``.

    Raises :class:`GoldFormatError` (``file:line: problem``) on the first malformed record,
    an unsupported file type, an empty file, or an id repeated across the files.
    """
    out: list[GoldRecord] = []
    first: dict[str, str] = {}
    for path in paths:
        for rec in _read_gold_file(Path(path)):
            if rec.id in first:
                raise GoldFormatError(f"{rec.source}: duplicate id {rec.id!r} (first at {first[rec.id]})")
            first[rec.id] = rec.source
            out.append(rec)
    return out


def _read_gold_file(path: Path) -> list[GoldRecord]:
    shown = display_path(path)  # messages and record sources: stable across machines
    if not path.is_file():
        raise GoldFormatError(f"{shown}: gold file not found")
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        recs = list(_read_gold_jsonl(path, shown))
    elif suffix == ".csv":
        recs = list(_read_gold_csv(path, shown))
    else:
        raise GoldFormatError(f"{shown}: unsupported gold file type {suffix!r} (use .jsonl or .csv)")
    if not recs:
        raise GoldFormatError(f"{shown}: no gold records")
    return recs


def _read_gold_jsonl(path: Path, shown: str):
    with path.open(encoding="utf-8-sig") as fh:
        for no, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            where = f"{shown}:{no}"
            try:
                obj = json.loads(raw)
            except json.JSONDecodeError as e:
                raise GoldFormatError(f"{where}: invalid JSON: {e.msg} at column {e.colno}") from None
            if not isinstance(obj, dict):
                raise GoldFormatError(f"{where}: expected a JSON object, got {type(obj).__name__}")
            tags = obj.get("tags")
            if tags is not None and not isinstance(tags, dict):
                raise GoldFormatError(f"{where}: 'tags' must be an object")
            tags = tags or {}
            hard = tags.get("hard", [])
            if not isinstance(hard, list) or not all(isinstance(h, str) for h in hard):
                raise GoldFormatError(f"{where}: 'tags.hard' must be a list of strings")
            yield _gold_record(where, obj.get("id"), obj.get("text"), obj.get("codes"), obj.get("ordered"),
                               obj.get("flags"), tags.get("family"), tags.get("style"), hard,
                               obj.get("rationale"), f"{path.stem}-line-{no}")


def _read_gold_csv(path: Path, shown: str):
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        cols = reader.fieldnames or []
        missing = [c for c in ("text", "codes") if c not in cols]
        if missing:
            hint = " (an exam-description table like cdm_dev.csv goes through --cdm)" \
                if "description" in cols else ""
            raise GoldFormatError(f"{shown}:1: CSV has no {' and no '.join(repr(m) for m in missing)} "
                                  f"column (columns: {cols}){hint}")
        end = reader.line_num
        for row in reader:
            no, end = end + 1, reader.line_num  # the record's first line (quoted fields may span lines)
            where = f"{shown}:{no}"
            if None in row:
                raise GoldFormatError(f"{where}: more fields than the header has columns")
            flags = row.get("flags")
            yield _gold_record(where, row.get("id") or None, row.get("text"), row.get("codes"),
                               row.get("ordered") or None,
                               flags.split() if flags is not None else None,
                               row.get("family") or None, row.get("style") or None,
                               (row.get("hard") or "").split(), row.get("rationale") or None,
                               f"{path.stem}-line-{no}")


def _gold_record(where, rid, text, codes, ordered, flags, family, style, hard, rationale,
                 default_id) -> GoldRecord:
    if rid is None or rid == "":
        rid = default_id
    elif isinstance(rid, bool) or not isinstance(rid, (str, int)):
        raise GoldFormatError(f"{where}: 'id' must be a string")
    if text is None:
        raise GoldFormatError(f"{where}: record has no 'text'")
    if not isinstance(text, str) or not text.strip():
        raise GoldFormatError(f"{where}: 'text' must be a non-empty string")
    if ordered is not None and not isinstance(ordered, str):
        raise GoldFormatError(f"{where}: 'ordered' must be a string")
    lines = _parse_codes(where, codes)
    if flags is not None:
        if not isinstance(flags, list) or not all(isinstance(f, str) for f in flags):
            raise GoldFormatError(f"{where}: 'flags' must be a list of flag types")
        unknown = sorted(set(flags) - set(FLAG_TYPES))
        if unknown:
            raise GoldFormatError(f"{where}: unknown flag type(s) {unknown}; known: {list(FLAG_TYPES)}")
        flags = tuple(dict.fromkeys(flags))
    for k, v in (("tags.family", family), ("tags.style", style), ("rationale", rationale)):
        if v is not None and not isinstance(v, str):
            raise GoldFormatError(f"{where}: '{k}' must be a string")
    return GoldRecord(str(rid), text, lines, where, ordered or None, flags, family, style,
                      tuple(hard), rationale)


def _parse_codes(where: str, codes) -> tuple[GoldLine, ...]:
    if codes is None:
        raise GoldFormatError(f"{where}: record has no 'codes'")
    if isinstance(codes, str):
        items: list = codes.split()
    elif isinstance(codes, list):
        items = codes
    else:
        raise GoldFormatError(f"{where}: 'codes' must be a list or a space-separated string, "
                              f"got {type(codes).__name__}")
    if not items:
        raise GoldFormatError(f"{where}: 'codes' is empty; a gold record needs at least one code")
    lines = []
    for i, item in enumerate(items):
        at = f"{where}: codes[{i}]"
        if isinstance(item, str):
            m = _TOKEN_RX.match(item.strip())
            if not m or not _CODE_RX.match(m.group(1)):
                raise GoldFormatError(f"{at}: {item!r} is not a code (CODE or CODE-MOD-MOD, e.g. 73562-RT)")
            mods = tuple(x for x in m.group(2).split("-") if x) or None
            code, units = m.group(1), 1
        elif isinstance(item, dict):
            unknown = sorted(set(item) - {"code", "modifiers", "units"})
            if unknown:
                raise GoldFormatError(f"{at}: unknown key(s) {unknown} (allowed: code, modifiers, units)")
            code = item.get("code")
            if not isinstance(code, str) or not _CODE_RX.match(code):
                raise GoldFormatError(f"{at}: 'code' must be a 5-character CPT/HCPCS code, got {code!r}")
            mods = item.get("modifiers")
            if mods is not None:
                if not isinstance(mods, list) or not all(isinstance(x, str) for x in mods):
                    raise GoldFormatError(f"{at}: 'modifiers' must be a list of strings")
                mods = tuple(mods)
            units = item.get("units", 1)
            if isinstance(units, bool) or not isinstance(units, int) or units < 1:
                raise GoldFormatError(f"{at}: 'units' must be a positive integer, got {units!r}")
        else:
            raise GoldFormatError(f"{at}: expected a code string or an object, got {type(item).__name__}")
        for mod in mods or ():
            if mod in COMPONENT_MODIFIERS:
                raise GoldFormatError(f"{at}: modifier {mod!r} is a component modifier; gold labels carry "
                                      f"laterality/payment modifiers only ({', '.join(GOLD_MODIFIERS)})")
            if mod not in GOLD_MODIFIERS:
                raise GoldFormatError(f"{at}: unknown modifier {mod!r} (allowed: {', '.join(GOLD_MODIFIERS)})")
        if mods is not None and len(set(mods)) != len(mods):
            raise GoldFormatError(f"{at}: repeated modifier in {list(mods)}")
        lines.append(GoldLine(code, tuple(sorted(mods)) if mods is not None else None, units))
    return tuple(lines)


def display_path(path: str | Path) -> str:
    """A path relative to the checkout when inside it (stable across machines), else as given."""
    try:
        return Path(path).resolve().relative_to(_REPO).as_posix()
    except ValueError:
        return str(path)


def file_sha1(path: str | Path) -> str:
    return hashlib.sha1(Path(path).read_bytes()).hexdigest()


# --------------------------------------------------------------------------- prediction


def predict(records: Sequence[GoldRecord], suggester=None, *, payer: str = "medicare",
            professional: bool = True) -> list[dict]:
    """Run the suggester on each record: billing ``global`` (scored), plus a ``professional``
    re-run whose lines are kept as ``professional_codes`` (for component accuracy)."""
    s = suggester or _default_suggester()
    out = []
    for n, r in enumerate(records, 1):
        base = {"id": r.id, "text": r.text, "ordered": r.ordered, "payer": payer}
        g = s.suggest_record({**base, "billing": "global"}, n)
        pred = _slim(g)
        if professional:
            p = s.suggest_record({**base, "billing": "professional"}, n)
            pred["professional_codes"] = [{"code": c["code"], "modifiers": list(c["modifiers"])}
                                          for c in p.get("codes", [])]
        out.append(pred)
    return out


def _default_suggester(lexicon_path: str | None = None):
    from .pipeline import Suggester

    return Suggester(lexicon_path=lexicon_path, billing="global", payer="medicare")


def _slim(rec: dict) -> dict:
    """The parts of an output record the metrics and the wrong-report list use."""
    if rec.get("status") == "error":
        return {"id": rec["id"], "status": "error", "error": rec["error"], "codes": [], "alternatives": [],
                "flags": [], "confidence": 0.0, "needs_review": True}
    return {
        "id": rec["id"], "status": rec["status"],
        "codes": [{"code": c["code"], "modifiers": list(c["modifiers"]), "units": c["units"],
                   "confidence": c["confidence"],
                   "evidence": [f"{e['section']}: {e['text']}" for e in c.get("evidence", [])]}
                  for c in rec["codes"]],
        "alternatives": [{"code": a["code"], "for": a["for"], "confidence": a["confidence"]}
                         for a in rec.get("alternatives", [])],
        "flags": [f["type"] for f in rec.get("flags", [])],
        "confidence": rec.get("confidence", 0.0),
        "needs_review": rec.get("needs_review", True),
        "versions": rec.get("versions", {}),
    }


# --------------------------------------------------------------------------- scoring one report


def pred_lines(pred: dict) -> list[tuple[str, tuple[str, ...], int]]:
    """Predicted claim lines as (code, sorted non-component modifiers, units)."""
    return [(c["code"], tuple(sorted(set(c.get("modifiers", ())) - COMPONENT_MODIFIERS)), int(c.get("units", 1)))
            for c in pred.get("codes", [])]


def lines_match(gold: Sequence[GoldLine], pred: Sequence[tuple[str, tuple[str, ...], int]]) -> bool:
    """Multiset equality of claim lines; a gold line without modifiers ignores the modifiers."""
    if len(gold) != len(pred):
        return False
    left = list(pred)
    # lines with modifiers first: their matches are a subset of the unspecified ones'
    for g in sorted(gold, key=lambda x: x.modifiers is None):
        for i, (code, mods, units) in enumerate(left):
            if code == g.code and units == g.units and (g.modifiers is None or mods == g.modifiers):
                del left[i]
                break
        else:
            return False
    return True


def top3_hits(gold_codes: Iterable[str], pred: dict) -> int:
    """Gold codes found among the top 3 candidates of any predicted line (its code + 2 alternatives)."""
    cands = set()
    for c in pred.get("codes", []):
        alts = sorted((a for a in pred.get("alternatives", []) if a.get("for") == c["code"]),
                      key=lambda a: -a["confidence"])
        cands.add(c["code"])
        cands.update(a["code"] for a in alts[:2])
    return sum(1 for g in gold_codes if g in cands)


def _mods_of(lines, code: str, keep: Sequence[str]) -> list[tuple[str, ...]]:
    """The distinct modifier tuples (restricted to ``keep``) of a code's lines; a repeated line
    is a line-count error, not a modifier error."""
    return sorted({tuple(m for m in mods if m in keep) for c, mods, _ in lines if c == code})


@dataclass
class ReportScore:
    exact: bool
    codes_only: bool
    gold_codes: frozenset
    pred_codes: frozenset
    line_correct: list  # per predicted line: its code is in gold
    line_conf: list
    confidence: float
    min_conf: float | None  # None: no predicted code (never automated)
    top3: int
    laterality: list  # (code, gold mods, pred mods, correct)
    payment: list
    component: list  # (code, expected_26, has_26, has_tc, correct)
    flags: tuple | None  # (gold set, pred set) when gold flags exist


def score_report(gold: GoldRecord, pred: dict, components: Mapping[str, str] | None = None) -> ReportScore:
    pl = pred_lines(pred)
    gcodes, pcodes = gold.codes, frozenset(c for c, _, _ in pl)
    confs = [float(c["confidence"]) for c in pred.get("codes", [])]
    glines = [(ln.code, ln.modifiers or (), ln.units) for ln in gold.lines]
    lat: list[tuple] = []  # (code, gold mods, pred mods, correct)
    pay: list[tuple] = []
    for code in sorted(gcodes & pcodes):
        if not all(ln.modifiers is not None for ln in gold.lines if ln.code == code):
            continue
        for keep, out in ((LATERALITY_MODIFIERS, lat), (PAYMENT_MODIFIERS, pay)):
            g, p = _mods_of(glines, code, keep), _mods_of(pl, code, keep)
            out.append((code, g, p, g == p))
    comp = []
    if components is not None and "professional_codes" in pred:
        prof = pred["professional_codes"]
        for code in sorted(gcodes & {c["code"] for c in prof}):
            if code not in components:
                continue
            mods = [set(c["modifiers"]) for c in prof if c["code"] == code]
            expected = components[code] == "split"
            has26 = any("26" in m for m in mods)
            has_tc = any("TC" in m for m in mods)
            comp.append((code, expected, has26, has_tc, has26 == expected and not has_tc))
    flags = None
    if gold.flags is not None:
        flags = (frozenset(gold.flags), frozenset(pred.get("flags", [])))
    return ReportScore(
        exact=pred.get("status") == "ok" and lines_match(gold.lines, pl),
        codes_only=gcodes == pcodes,
        gold_codes=gcodes, pred_codes=pcodes,
        line_correct=[c in gcodes for c, _, _ in pl], line_conf=confs,
        confidence=float(pred.get("confidence", 0.0)) if pl else 0.0,
        min_conf=min(confs) if confs else None,
        top3=top3_hits(gcodes, pred),
        laterality=lat, payment=pay, component=comp, flags=flags,
    )


# --------------------------------------------------------------------------- metric functions


def _ratio(num: float, den: float) -> float | None:
    return num / den if den else None


def prf(tp: int, fp: int, fn: int) -> dict:
    """Precision, recall, F1 (0.0 when undefined, as scikit-learn's zero_division=0)."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "tp": tp, "fp": fp, "fn": fn}


def code_prf(pairs: Iterable[tuple[Iterable[str], Iterable[str]]]) -> dict:
    """Micro and macro P/R/F1 over (gold codes, predicted codes) per report, plus per-code rows."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for g, p in pairs:
        g, p = set(g), set(p)
        tp.update(g & p)
        fp.update(p - g)
        fn.update(g - p)
    labels = sorted(set(tp) | set(fp) | set(fn))
    per = {c: prf(tp[c], fp[c], fn[c]) for c in labels}
    micro = prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    n = len(labels)
    macro = {k: (sum(per[c][k] for c in labels) / n if n else 0.0) for k in ("precision", "recall", "f1")}
    return {"micro": micro, "macro": macro, "per_code": per}


def calibration(confidences: Sequence[float], correct: Sequence[bool], n_bins: int = N_BINS) -> dict:
    """ECE (equal-width bins, the last one closed), Brier score and the reliability table."""
    if len(confidences) != len(correct):
        raise ValueError("confidences and correct differ in length")
    bins = [[0, 0.0, 0] for _ in range(n_bins)]  # n, sum confidence, n correct
    for c, y in zip(confidences, correct, strict=True):
        if not 0.0 <= c <= 1.0:
            raise ValueError(f"confidence {c!r} outside [0, 1]")
        b = min(int(c * n_bins), n_bins - 1)
        bins[b][0] += 1
        bins[b][1] += c
        bins[b][2] += bool(y)
    n = len(confidences)
    table, ece = [], 0.0
    for i, (k, s, ok) in enumerate(bins):
        row = {"lo": round(i / n_bins, 6), "hi": round((i + 1) / n_bins, 6), "n": k,
               "mean_confidence": s / k if k else None, "accuracy": ok / k if k else None}
        if k:
            ece += k / n * abs(ok / k - s / k)
        table.append(row)
    brier = sum((c - float(bool(y))) ** 2 for c, y in zip(confidences, correct, strict=True)) / n if n else None
    return {"n": n, "ece": ece if n else None, "brier": brier,
            "mean_confidence": sum(confidences) / n if n else None,
            "accuracy": sum(map(bool, correct)) / n if n else None, "bins": table}


def automation_curve(min_conf: Sequence[float | None], correct: Sequence[bool],
                     targets: Sequence[float] = PRECISION_TARGETS, step: float = 0.01) -> dict:
    """Coverage and precision of automating reports whose every code is >= a threshold.

    ``min_conf[i]`` is the lowest code confidence of report i (None: no code, never automated).
    The curve samples thresholds 0, step, ..., 1; the operating points are exact: the lowest
    threshold (largest coverage) whose precision reaches the target, or None.
    """
    n = len(min_conf)

    def at(t: float) -> dict[str, Any]:
        auto = [y for c, y in zip(min_conf, correct, strict=True) if c is not None and c >= t]
        return {"threshold": t, "coverage": len(auto) / n if n else 0.0,
                "precision": _ratio(sum(map(bool, auto)), len(auto)), "n_automated": len(auto)}

    k = round(1 / step)
    curve = [at(round(i * step, 6)) for i in range(k + 1)]
    exact = [at(t) for t in sorted({c for c in min_conf if c is not None})]
    ops = {}
    for tgt in targets:
        ok = [p for p in exact if p["precision"] is not None and p["precision"] >= tgt]
        ops[f"at_{round(tgt * 100)}"] = ({"target": tgt, **min(ok, key=lambda p: p["threshold"])} if ok else
                                          {"target": tgt, "threshold": None, "coverage": 0.0,
                                           "precision": None, "n_automated": 0})
    return {"n": n, "curve": curve, "operating_points": ops}


def wilson_interval(k: int, n: int, z: float = 1.96) -> tuple[float, float] | None:
    """Wilson score interval of a proportion k/n (two-sided 95 % by default); None when n = 0."""
    if n == 0:
        return None
    p = k / n
    d = 1 + z * z / n
    centre = p + z * z / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (max(0.0, (centre - spread) / d), min(1.0, (centre + spread) / d))


def released(pred: dict) -> bool:
    """A report released straight to billing: it has codes and does not need review."""
    return bool(pred.get("codes")) and not pred.get("needs_review", True)


def release_summary(records: Sequence[GoldRecord], preds: Sequence[dict], scores: Sequence[ReportScore],
                    operating_points: Mapping[str, float] | None = None) -> dict:
    """What the shipped operating points release (``needs_review`` false), how much of it is
    exact (Wilson 95 % interval), overall and per family (the gold family tag), with the report
    ECE of each family of at least ``MIN_FAMILY_ECE`` reports."""

    def block(idx):
        rel = [i for i in idx if released(preds[i])]
        k = sum(scores[i].exact for i in rel)
        cal = calibration([scores[i].confidence for i in idx], [scores[i].exact for i in idx]) if idx else None
        return {"n": len(idx), "released": len(rel), "share": _ratio(len(rel), len(idx)),
                "share_interval": wilson_interval(len(rel), len(idx)), "exact": k,
                "precision": _ratio(k, len(rel)), "precision_interval": wilson_interval(k, len(rel)),
                "ece": cal["ece"] if cal and len(idx) >= MIN_FAMILY_ECE else None}

    fams: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(records):
        fams[r.family or "untagged"].append(i)
    out = {**block(list(range(len(records)))),
           "per_family": {f: block(ix) for f, ix in sorted(fams.items())},
           "operating_points": dict(sorted((operating_points or {}).items()))}
    return out


def score_calibration_split(path: str | Path, suggester) -> dict:
    """The calibration split's figures next to the test split's: what the shipped points release
    (Wilson 95 % intervals, per family) and the report ECE, with the model's own record of it
    (``calibration_split`` in its ``meta.json``: the ECE of the map fitted without each report's
    fold). The points and the map were chosen on these reports: released precision and ECE here
    are in sample; the test split is the held-out measure."""
    from .confidence import file_sha256

    records = load_gold([path])
    preds = predict(records, suggester, professional=False)
    scores = [score_report(r, p) for r, p in zip(records, preds, strict=True)]
    cal = calibration([s.confidence for s in scores], [s.exact for s in scores])
    model = getattr(suggester, "confidence_model", None)
    trained = (model.meta.get("calibration_split") or {}) if model is not None else {}
    oof = trained.get("mapped_out_of_fold") or {}
    rel = trained.get("released") or {}
    return {"path": display_path(path), "sha1": file_sha1(path), "n_reports": len(records),
            "exact_set_accuracy": _ratio(sum(s.exact for s in scores), len(scores)),
            "ece": cal["ece"], "brier": cal["brier"], "mean_confidence": cal["mean_confidence"],
            "ece_out_of_fold": oof.get("ece"), "trained_sha256": trained.get("sha256"),
            # at training, each report scored by a model without its fold, then mapped and released
            "out_of_fold": {"n": trained.get("n_reports"), "ece": oof.get("ece"), "released": rel.get("released"),
                            "share": rel.get("share"), "precision": rel.get("precision"),
                            "precision_interval": rel.get("interval")} if trained else None,
            # in sample only when the file is the one the model was trained on: parts added since are new to it
            "in_sample": bool(trained) and trained.get("sha256") == file_sha256(path),
            "trained_n": trained.get("n_reports"), "release": release_summary(records, preds, scores),
            # the release rule itself on halves of these reports it did not choose its points on
            "holdout": (((model.meta.get("release") or {}).get("pooled") or {}).get("holdout")
                        if model is not None else None)}


def _calib_sample_note(c: dict) -> str:
    """Whether the calibration split scored now is the one the shipped model was trained on."""
    if c["in_sample"]:
        return " (in sample: the shipped model was trained on them)"
    if c.get("out_of_fold"):
        return (f" (partly new to the shipped model: it was trained on a calibration split of {c.get('trained_n')} "
                "reports; the file has changed since)")
    return ""


def release_reasons(meta: dict | None, thresholds: Mapping[str, float], default: float | None) -> dict[str, str]:
    """Why each family releases nothing: its points were computed but not shipped, the
    calibration (or dev) data could not support one (the reason stored in the model metadata),
    or no threshold."""
    from .confidence import RELEASES_NOTHING

    rel = (meta or {}).get("release") or {}
    fams = rel.get("families") or {}
    out = {}
    for fam in sorted(set(fams) | set(thresholds)):
        t = thresholds.get(fam, default)
        if t is not None and t < RELEASES_NOTHING:
            continue  # this family releases (confidence.clears)
        v = fams.get(fam) or {}
        if v.get("threshold", 2.0) < RELEASES_NOTHING and not rel.get("shipped"):
            where = "calibration" if rel.get("chosen_on") == "calib" else "dev"
            out[fam] = (f"{where} point {v['threshold']:.4f} computed but not shipped "
                        f"({v.get('released')}/{v.get('n')} {where} reports at {v.get('precision', 0):.1%}"
                        + (f"; {'; '.join(rel['not_shipped'])}" if rel.get("not_shipped") else "") + ")")
        else:
            why = v.get("why") or "no release threshold"
            pooled = (rel.get("pooled") or {}).get("why")
            out[fam] = why.replace("(see pooled.why)", f"({pooled})") if pooled else why
    return out


def _code_num(code: str) -> int:
    digits = re.sub(r"\D", "", code)
    return int(digits) if digits else 0


def pair_confusions(missing: Sequence[str], extra: Sequence[str],
                    families: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    """Pair missed gold codes with extra predicted codes (same family first, then the nearest
    code number); unpaired ones are paired with ``(none)``."""
    fam = families or {}
    left = sorted(extra)
    out = []
    for g in sorted(missing):
        if not left:
            out.append((g, NONE))
            continue
        best = min(left, key=lambda e: (fam.get(e) != fam.get(g) or fam.get(g) is None,
                                        abs(_code_num(e) - _code_num(g)), e))
        left.remove(best)
        out.append((g, best))
    out.extend((NONE, e) for e in left)
    return out


def _top(counter: Counter, n: int = TOP_CONFUSIONS) -> list[dict]:
    return [{"gold": g, "predicted": p, "count": k}
            for (g, p), k in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]


# --------------------------------------------------------------------------- evaluate


def _group_summary(scores: Sequence[ReportScore]) -> dict:
    n = len(scores)
    pr = code_prf((s.gold_codes, s.pred_codes) for s in scores)["micro"]
    gold_n = sum(len(s.gold_codes) for s in scores)
    return {"n": n,
            "exact_set_accuracy": _ratio(sum(s.exact for s in scores), n),
            "codes_only_accuracy": _ratio(sum(s.codes_only for s in scores), n),
            "precision": pr["precision"], "recall": pr["recall"], "f1": pr["f1"],
            "top3_recall": _ratio(sum(s.top3 for s in scores), gold_n),
            "mean_confidence": _ratio(sum(s.confidence for s in scores), n)}


def _accuracy(rows: Sequence[tuple], *, lateral_only: bool = False) -> dict:
    if lateral_only:
        rows = [r for r in rows if any(r[1]) or any(r[2])]
    return {"n": len(rows), "accuracy": _ratio(sum(r[-1] for r in rows), len(rows))}


def evaluate(records: Sequence[GoldRecord], preds: Sequence[dict], *, lexicon=None,
             components: Mapping[str, str] | None = None, families: Mapping[str, str] | None = None) -> dict:
    """Every metric of the labeled data as a JSON-ready dict (keys are stable; see SCHEMA)."""
    if len(records) != len(preds):
        raise ValueError(f"{len(records)} gold records but {len(preds)} predictions")
    for r, p in zip(records, preds, strict=True):
        if p.get("id") not in (None, r.id):
            raise ValueError(f"prediction {p.get('id')!r} does not belong to gold record {r.id!r}")
    if lexicon is not None:
        components = components or {c: x.components for c, x in lexicon.codes.items()}
        families = families or {c: x.family for c, x in lexicon.codes.items()}
    scores = [score_report(r, p, components) for r, p in zip(records, preds, strict=True)]
    n = len(scores)

    prf_all = code_prf((s.gold_codes, s.pred_codes) for s in scores)
    per_code = {}
    for code, row in prf_all["per_code"].items():
        per_code[code] = {"family": (families or {}).get(code), "support": row["tp"] + row["fn"],
                          "predicted": row["tp"] + row["fp"], **row}

    lat = [x for s in scores for x in s.laterality]
    pay = [x for s in scores for x in s.payment]
    comp = [x for s in scores for x in s.component]
    global_component = sum(1 for p in preds for c in p.get("codes", [])
                           if COMPONENT_MODIFIERS & set(c.get("modifiers", ())))

    flagged = [s.flags for s in scores if s.flags is not None]
    ftp: Counter[str] = Counter()  # per flag type
    ffp: Counter[str] = Counter()
    ffn: Counter[str] = Counter()
    for g, p in flagged:
        ftp.update(g & p)
        ffp.update(p - g)
        ffn.update(g - p)
    flag_types = sorted(set(ftp) | set(ffp) | set(ffn))
    # secondary view: a record without a gold flags field counts as "no flag expected"
    atp = afp = afn = 0
    for r, p in zip(records, preds, strict=True):
        g, q = set(r.flags or ()), set(p.get("flags", []))
        atp, afp, afn = atp + len(g & q), afp + len(q - g), afn + len(g - q)
    flags = {"n_reports": len(flagged),
             **prf(sum(ftp.values()), sum(ffp.values()), sum(ffn.values())),
             "per_type": {t: prf(ftp[t], ffp[t], ffn[t]) for t in flag_types},
             "all_records": {"n_reports": n, **prf(atp, afp, afn)}}

    groups_f: dict[str, list] = defaultdict(list)
    groups_t: dict[str, list] = defaultdict(list)
    for r, s in zip(records, scores, strict=True):
        groups_f[r.family or "untagged"].append(s)
        if r.style:
            groups_t[f"style:{r.style}"].append(s)
        for h in r.hard:
            groups_t[f"hard:{h}"].append(s)
        groups_t["hard:any" if r.hard else "hard:none"].append(s)

    rep_cal = calibration([s.confidence for s in scores], [s.exact for s in scores])
    code_cal = calibration([c for s in scores for c in s.line_conf], [y for s in scores for y in s.line_correct])
    auto = automation_curve([s.min_conf for s in scores], [s.exact for s in scores])

    code_conf: Counter[tuple[str, str]] = Counter()  # (gold, predicted) -> reports
    mod_conf: Counter[tuple[str, str]] = Counter()
    for s in scores:
        if s.gold_codes != s.pred_codes:
            for pair in pair_confusions(sorted(s.gold_codes - s.pred_codes),
                                        sorted(s.pred_codes - s.gold_codes), families):
                code_conf[pair] += 1
        for code, g, q, ok in s.laterality + s.payment:
            if not ok:
                mod_conf[(" ".join(line_str(code, m) for m in g), " ".join(line_str(code, m) for m in q))] += 1

    wrong = [_wrong_report(r, p, s) for r, p, s in zip(records, preds, scores, strict=True) if not s.exact]
    gold_unknown = sorted({c for r in records for c in r.codes} - set(families)) if families else []

    pr = prf_all["micro"]
    summary = {
        "n_reports": n,
        "exact_set_accuracy": _ratio(sum(s.exact for s in scores), n),
        "codes_only_accuracy": _ratio(sum(s.codes_only for s in scores), n),
        "micro_precision": pr["precision"], "micro_recall": pr["recall"], "micro_f1": pr["f1"],
        "macro_precision": prf_all["macro"]["precision"], "macro_recall": prf_all["macro"]["recall"],
        "macro_f1": prf_all["macro"]["f1"],
        "top3_recall": _ratio(sum(s.top3 for s in scores), sum(len(s.gold_codes) for s in scores)),
        "laterality_accuracy": _accuracy(lat)["accuracy"],
        "component_accuracy": _accuracy(comp)["accuracy"],
        "flag_precision": flags["precision"] if flagged else None,
        "flag_recall": flags["recall"] if flagged else None,
        "ece": rep_cal["ece"], "brier": rep_cal["brier"],
        "code_ece": code_cal["ece"], "code_brier": code_cal["brier"],
        **{f"automation_coverage_{k}": v["coverage"] for k, v in auto["operating_points"].items()},
        "needs_review_rate": _ratio(sum(bool(p.get("needs_review")) for p in preds), n),
        "released_share": _ratio(sum(released(p) for p in preds), n),
        "released_precision": _ratio(sum(s.exact for s, p in zip(scores, preds, strict=True) if released(p)),
                                     sum(released(p) for p in preds)),
        "no_prediction_rate": _ratio(sum(not s.pred_codes for s in scores), n),
        "error_records": sum(p.get("status") == "error" for p in preds),
    }
    return {
        "schema": SCHEMA,
        "summary": summary,
        "codes": {"micro": prf_all["micro"], "macro": prf_all["macro"], "per_code": per_code,
                  "gold_codes_not_in_lexicon": gold_unknown},
        "top3": {"recall": summary["top3_recall"], "gold_codes": sum(len(s.gold_codes) for s in scores),
                 "hits": sum(s.top3 for s in scores)},
        "modifiers": {"laterality": _accuracy(lat), "laterality_lateral_only": _accuracy(lat, lateral_only=True),
                      "payment": _accuracy(pay, lateral_only=True), "component": _accuracy(comp),
                      "component_in_global_output": global_component},
        "flags": flags,
        "per_family": {k: _group_summary(v) for k, v in sorted(groups_f.items())},
        "per_tag": {k: _group_summary(v) for k, v in sorted(groups_t.items())},
        "calibration": {"report": rep_cal, "code": code_cal},
        "automation": auto,
        "release": release_summary(records, preds, scores),
        "confusions": {"codes": _top(code_conf), "modifiers": _top(mod_conf)},
        "wrong_reports": wrong,
    }


def _wrong_report(r: GoldRecord, p: dict, s: ReportScore) -> dict:
    pl = pred_lines(p)
    if p.get("status") == "error":
        why = f"error: {p['error']['type']}"
    elif not pl:
        why = "no code"
    elif not s.codes_only:
        why = "codes"
    elif Counter((c, u) for c, _, u in pl) != Counter((g.code, g.units) for g in r.lines):
        why = "units or lines"
    else:
        why = "modifiers"
    title = next((ln.strip() for ln in r.text.splitlines() if ln.strip()), "")[:160]
    return {
        "id": r.id, "source": r.source, "family": r.family, "style": r.style, "hard": list(r.hard),
        "why": why, "title": title,
        "gold": [str(g) for g in r.lines],
        "predicted": [{"line": line_str(c, m, u), "confidence": x["confidence"], "evidence": x.get("evidence", [])}
                      for (c, m, u), x in zip(pl, p.get("codes", []), strict=True)],
        "alternatives": [f"{a['code']} (for {a['for']}, {a['confidence']:.3f})" for a in p.get("alternatives", [])],
        "confidence": s.confidence,
        "needs_review": bool(p.get("needs_review")),
        "gold_flags": list(r.flags) if r.flags is not None else None,
        "predicted_flags": sorted(set(p.get("flags", []))),
        "rationale": r.rationale,
    }


# --------------------------------------------------------------------------- external table (cdm)


@dataclass(frozen=True)
class CdmRow:
    hospital: str
    system: str
    year: str
    description: str
    codes: tuple[str, ...]
    source: str


def load_cdm(path: str | Path) -> list[CdmRow]:
    """Read a description -> code table (hospital, system, year, description, codes)."""
    path = Path(path)
    out = []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in ("hospital", "description", "codes") if c not in (reader.fieldnames or [])]
        if missing:
            raise GoldFormatError(f"{path}:1: description table has no {missing} column(s) "
                                  f"(columns: {reader.fieldnames})")
        end = reader.line_num
        for row in reader:
            where, end = f"{path}:{end + 1}", reader.line_num
            codes = tuple((row.get("codes") or "").split())
            if not (row.get("description") or "").strip():
                raise GoldFormatError(f"{where}: empty description")
            if not codes or not all(_CODE_RX.match(c) for c in codes):
                raise GoldFormatError(f"{where}: 'codes' must be space-separated codes, got {row.get('codes')!r}")
            out.append(CdmRow(row["hospital"], row.get("system") or "", row.get("year") or "",
                              row["description"], codes, where))
    if not out:
        raise GoldFormatError(f"{path}: no rows")
    return out


def sample_rows(rows: Sequence[CdmRow], n: int | None) -> list[CdmRow]:
    """A deterministic sample: the n rows with the smallest sha1(hospital|description|codes)."""
    if n is None or n >= len(rows):
        return list(rows)
    key = {id(r): hashlib.sha1(f"{r.hospital}|{r.description}|{' '.join(r.codes)}".encode()).hexdigest()
           for r in rows}
    keep = {id(r) for r in sorted(rows, key=lambda r: key[id(r)])[:n]}
    return [r for r in rows if id(r) in keep]


def ranked_codes(pred: dict) -> list[str]:
    """Codes by confidence (descending, stable), then alternatives by confidence; no repeats."""
    codes = sorted(pred.get("codes", []), key=lambda c: -c["confidence"])
    alts = sorted(pred.get("alternatives", []), key=lambda a: -a["confidence"])
    return list(dict.fromkeys([c["code"] for c in codes] + [a["code"] for a in alts]))


def score_cdm(rows: Sequence[CdmRow], suggester=None, *, families: Mapping[str, str] | None = None,
              predict_fn: Callable[[str], dict] | None = None, source: str | None = None,
              n_total: int | None = None) -> dict:
    """Top-1 / top-3 accuracy of an exam-description table, overall, per hospital and per family.

    Each description is coded as a one-line report (billing global); top-1 is right when the
    first ranked code is one of the row's codes, top-3 when any of the first three is.
    """
    if predict_fn is None:
        s = suggester or _default_suggester()
        families = families if families is not None else {c: x.family for c, x in s.lex.codes.items()}

        def predict_fn(text: str) -> dict:
            return s.suggest_record({"text": text, "billing": "global", "payer": "medicare"})
    fam = families or {}
    cache: dict[str, list[str]] = {}
    hosp: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # [n, top-1, top-3]
    famg: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    tot = [0, 0, 0]
    nopred = 0
    conf: Counter[tuple[str, str]] = Counter()  # (gold codes, top-1) -> rows
    for r in rows:
        if r.description not in cache:
            cache[r.description] = ranked_codes(predict_fn(r.description))
        ranked = cache[r.description]
        gold = set(r.codes)
        t1 = bool(ranked) and ranked[0] in gold
        t3 = any(c in gold for c in ranked[:3])
        nopred += not ranked
        family = next((fam[c] for c in r.codes if c in fam), "unknown")
        for acc in (tot, hosp[r.hospital], famg[family]):
            acc[0] += 1
            acc[1] += t1
            acc[2] += t3
        if not t1:
            conf[(" ".join(r.codes), ranked[0] if ranked else NONE)] += 1

    def table(d):
        return {k: {"n": v[0], "top1": v[1] / v[0], "top3": v[2] / v[0]} for k, v in sorted(d.items())}
    n = tot[0]
    return {"source": source, "n_rows": n_total if n_total is not None else n, "n_scored": n,
            "top1": _ratio(tot[1], n), "top3": _ratio(tot[2], n), "no_prediction_rate": _ratio(nopred, n),
            "per_hospital": table(hosp), "per_family": table(famg), "confusions": _top(conf)}


# --------------------------------------------------------------------------- per part, robustness, RadLex
#
# Three extra sections (issue 11): accuracy per labeled part (id prefix), the robustness suite
# (eval/robustness.py transforms of the scored reports) and the RadLex Playbook weak-label check.
# ``add_sections`` adds them to the metrics of ``run_eval``.


def part_of(record_id: str) -> str:
    """The labeled part of a record: its id up to the first ``-`` (``rl-0001`` -> ``rl``)."""
    return record_id.split("-", 1)[0] if "-" in record_id else "(no part)"


def per_part(records: Sequence[GoldRecord], preds: Sequence[dict]) -> dict:
    """The group summary (n, exact set, codes only, P/R/F1, top-3, confidence) of each part."""
    groups: dict[str, list] = defaultdict(list)
    for r, p in zip(records, preds, strict=True):
        groups[part_of(r.id)].append(score_report(r, p))
    return {k: _group_summary(v) for k, v in sorted(groups.items())}


def score_robustness(records: Sequence[GoldRecord], preds: Sequence[dict], suggester=None, *,
                     seed: int = 0, names: Sequence[str] | None = None) -> dict:
    """Exact-set accuracy of the records under each transform of ``eval/robustness.py``, and
    its delta from ``preds`` (the untransformed predictions, billing global). Only changed
    texts are coded again (billing global, no professional re-run)."""
    from dataclasses import replace

    rob = eval_script("robustness")
    s = suggester or _default_suggester()
    base = [score_report(r, p).exact for r, p in zip(records, preds, strict=True)]
    n = len(records)
    base_acc = _ratio(sum(base), n)
    rows = {}
    released_n = released_k = 0
    for name in names or rob.TRANSFORMS:
        t0 = time.perf_counter()
        variants = [replace(r, text=rob.transform(name, r.id, r.text, seed)) for r in records]
        todo = [v for v, r in zip(variants, records, strict=True) if v.text != r.text]
        fresh = iter(predict(todo, s, professional=False))
        vpreds = [next(fresh) if v.text != r.text else p for v, r, p in zip(variants, records, preds, strict=True)]
        exact = [score_report(v, vp).exact if v.text != r.text else b
                 for v, r, b, vp in zip(variants, records, base, vpreds, strict=True)]
        rel = [x for x, vp in zip(exact, vpreds, strict=True) if released(vp)]
        released_n += len(rel)
        released_k += sum(rel)
        acc = _ratio(sum(exact), n)
        broken = [r.id for r, b, x in zip(records, base, exact, strict=True) if b and not x]
        fixed = [r.id for r, b, x in zip(records, base, exact, strict=True) if x and not b]
        delta = None if acc is None or base_acc is None else acc - base_acc
        rows[name] = {"description": rob.describe(name), "n_changed": len(todo), "exact_set_accuracy": acc,
                      "delta": delta, "n_broken": len(broken), "n_fixed": len(fixed), "broken": broken,
                      "fixed": fixed, "passes": delta is not None and delta >= -rob.MAX_DROP - 1e-9,
                      "known_failing": name in rob.KNOWN_FAILING,
                      "released": len(rel), "released_precision": _ratio(sum(rel), len(rel)),
                      "seconds": round(time.perf_counter() - t0, 3)}
    return {"seed": seed, "n_reports": n, "exact_set_accuracy": base_acc, "max_drop": rob.MAX_DROP,
            "billing": "global", "transforms": rows,
            # what the shipped operating points release from the transformed reports (all transforms)
            "released": released_n, "released_precision": _ratio(released_k, released_n),
            "released_precision_interval": wilson_interval(released_k, released_n)}


RADLEX_CITATION = "RadLex Playbook, RSNA"
RADLEX_CONFIDENT = 0.9  # a code line at or above this confidence is "confident"
# RadLex modality -> the lexicon's code modalities (lexicons/codes.jsonl `modality`) that code it
RADLEX_MODALITIES: dict[str, frozenset] = {
    "CT": frozenset({"CT", "CTA", "POST"}), "MR": frozenset({"MR", "MRA", "POST"}), "XR": frozenset({"XR", "DXA"}),
    "ULTRASOUND": frozenset({"US", "DUPLEX"}), "NM": frozenset({"NM"}), "NM&CT": frozenset({"NM"}),
    "PT": frozenset({"PET"}), "PT&CT": frozenset({"PET"}), "MAMMOGRAPHY": frozenset({"MG"}),
    "RADIO-FLUOROSCOPY": frozenset({"FL"}), "XR&RF": frozenset({"FL", "XR"}),
}
# RadLex modalities outside the code table: image-guided procedures, catheter angiography (the
# fluoroscopic supervision codes of the table are not a wrong family for XA)
RADLEX_OUT_OF_SCOPE_MODALITIES: dict[str, frozenset] = {
    "RADIOLOGY PROCEDURE": frozenset(), "XA": frozenset({"FL"}),
}
# names of procedures, therapies and services the code table does not cover as a diagnostic exam
RADLEX_OUT_OF_SCOPE_NAME = re.compile(
    r"\b(?:bx|biops\w*|drain\w*|aspir\w*|inj|inject\w*|guid\w*|(?:needle|wire) loc\w*|place(?:ment)?|"
    r"ablat\w*|emboli[sz]\w*|therap\w*|rx|treatment|planning|simulation|research|outside|out|consult\w*|"
    r"exchange|removal|insert\w*|thrombo\w*|pta|stent\w*|cath\w*|vertebroplasty|kyphoplasty|block|"
    r"paracentesis|thoracentesis|puncture|lp|clip|marker|fna|perc\w*|lavage|reduc\w*|dilat\w*|sclero\w*|"
    r"tube|pleurodesis|\w+ostomy|by recon\w*|specimen)\b"
    r"|^\s*\w+\s+(?:3D|post process\w*|source images)\s*$", re.IGNORECASE)  # post-processing alone
_SPINE = frozenset({"spine", "entire_spine", "spinal_canal", "spine_single_level", "spine_two_or_more_regions"})
_UPPER = frozenset({"upper_extremity", "upper_extremity_joint", "upper_extremity_nonjoint",
                    "upper_extremity_arteries", "upper_extremity_infant", "shoulder", "elbow", "wrist", "hand",
                    "finger", "forearm", "humerus", "clavicle", "scapula", "acromioclavicular_joints", "bone_age",
                    "extremity", "extremity_joint", "extremity_veins"})
_LOWER = frozenset({"lower_extremity", "lower_extremity_joint", "lower_extremity_nonjoint",
                    "lower_extremity_arteries", "lower_extremity_arteries_physiologic", "lower_extremity_infant",
                    "hip", "hips", "infant_hips", "knee", "knees_standing", "ankle", "foot", "toe", "calcaneus",
                    "femur", "tibia_fibula", "aorta_runoff", "bone_length", "extremity", "extremity_joint",
                    "extremity_veins"})
_HEAD = frozenset({"head", "brain", "head_infant", "orbits", "sinuses", "facial_bones", "maxillofacial", "skull",
                   "mastoids", "tmj", "sella_turcica", "orbit_face_neck", "orbit_sella_posterior_fossa_ear",
                   "nasal_bones", "mandible", "transcranial", "optic_foramina", "eye_foreign_body",
                   "salivary_duct", "panoramic", "cerebrospinal_fluid"})
# RadLex body_region -> regions of the code table inside it (blank: region not checked)
RADLEX_REGIONS: dict[str, frozenset] = {
    "HEAD": _HEAD,
    "FACE": frozenset({"facial_bones", "maxillofacial", "nasal_bones", "mandible", "orbits", "sinuses",
                       "orbit_face_neck", "tmj", "panoramic", "eye_foreign_body", "optic_foramina"}),
    "SKULL": frozenset({"skull", "head", "orbit_sella_posterior_fossa_ear", "sella_turcica", "mastoids"}),
    "NECK": frozenset({"neck", "neck_soft_tissue", "thyroid", "parathyroid", "carotid", "pharynx_larynx",
                       "pharynx_cervical_esophagus", "orbit_face_neck", "salivary_duct", "swallowing_function"}),
    "CHEST": frozenset({"chest", "lung", "heart", "coronary", "ribs", "ribs_with_chest", "sternum",
                        "sternoclavicular_joint", "esophagus", "swallowing_function", "clavicle", "scapula",
                        "acromioclavicular_joints", "aorta"}),
    "BREAST": frozenset({"breast", "breast_duct"}),
    "ABDOMEN": frozenset({"abdomen", "abdomen_pelvis", "abdominal_pelvic_organs_vessels", "acute_abdomen_series",
                          "aorta", "aorta_ivc_iliac", "bile_and_pancreatic_ducts", "bile_ducts", "pancreatic_duct",
                          "bowel", "colon", "small_bowel", "upper_gi", "esophagus", "gastric_emptying", "gi_bleed",
                          "hepatobiliary", "kidney", "liver", "liver_spleen", "retroperitoneum", "transplant_kidney",
                          "urinary_tract", "abscess_fistula_sinus_tract", "nose_to_rectum", "aorta_runoff"}),
    "PELVIS": frozenset({"pelvis", "abdomen_pelvis", "abdominal_pelvic_organs_vessels", "ob", "fetal",
                         "uterus_tubes", "bladder", "urethra_bladder", "scrotum", "testes", "transrectal",
                         "sacroiliac_joints", "sacrum_coccyx", "aorta_ivc_iliac", "urinary_tract", "colon",
                         "aorta_runoff", "transplant_kidney"}),
    "UPPER EXTREMITY": _UPPER,
    "LOWER EXTREMITY": _LOWER,
    "EXTREMITY": _UPPER | _LOWER,
    "CERVICAL SPINE": _SPINE | {"cervical_spine", "cervical_thoracic_disc"},
    "THORACIC SPINE": _SPINE | {"thoracic_spine", "thoracolumbar_junction", "cervical_thoracic_disc"},
    "LUMBAR SPINE": _SPINE | {"lumbar_spine", "lumbar_disc", "thoracolumbar_junction", "sacrum_coccyx"},
    "THORACOLUMBAR SPINE": _SPINE | {"thoracolumbar_junction", "thoracic_spine", "lumbar_spine"},
    "SPINE": _SPINE | {"cervical_spine", "thoracic_spine", "lumbar_spine", "thoracolumbar_junction",
                       "cervical_thoracic_disc", "lumbar_disc", "sacrum_coccyx", "cerebrospinal_fluid",
                       "axial_skeleton"},
    "BONE": frozenset({"bone", "bone_survey", "bone_age", "bone_length", "axial_skeleton", "appendicular_skeleton",
                       "joint_survey"}),
    "WHOLEBODY": frozenset({"whole_body", "bone", "bone_survey", "skull_base_to_mid_thigh", "thyroid_metastases",
                            "joint_survey", "nose_to_rectum"}),
    "SKULL BASE TO MID-THIGH": frozenset({"skull_base_to_mid_thigh", "whole_body"}),
}
# code-table regions that name no body part: they neither satisfy nor break the region check
RADLEX_NEUTRAL_REGIONS = frozenset({"any", "limited", "localization", "guidance", "intraoperative"})


@dataclass(frozen=True)
class RadlexRow:
    rpid: str
    short_name: str
    long_name: str
    modality: str
    body_region: str

    @property
    def in_scope(self) -> bool:
        """A diagnostic exam of a modality the code table covers (no procedure/therapy word)."""
        return (self.modality in RADLEX_MODALITIES
                and not any(RADLEX_OUT_OF_SCOPE_NAME.search(n) for n in (self.short_name, self.long_name)))

    @property
    def modalities(self) -> frozenset:
        """Code-table modalities that are not a wrong family for this name."""
        return RADLEX_MODALITIES.get(self.modality) or RADLEX_OUT_OF_SCOPE_MODALITIES.get(self.modality, frozenset())

    @property
    def regions(self) -> frozenset | None:
        return RADLEX_REGIONS.get(self.body_region)


def load_radlex(path: str | Path) -> list[RadlexRow]:
    """The RadLex Playbook core table (rpid, short_name, long_name, modality, body_region)."""
    path = Path(path)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        need = ("rpid", "short_name", "long_name", "modality", "body_region")
        missing = [c for c in need if c not in (reader.fieldnames or [])]
        if missing:
            raise GoldFormatError(f"{path}:1: RadLex table has no {missing} column(s) (columns: {reader.fieldnames})")
        rows = [RadlexRow(*((r.get(c) or "").strip() for c in need)) for r in reader]
    if not rows:
        raise GoldFormatError(f"{path}: no rows")
    return rows


def radlex_outcome(row: RadlexRow, pred: dict, families: Mapping[str, tuple[str, str, str]]) -> dict:
    """How one name was coded: ``codes``; ``wrong_family`` (a code of another modality than the
    name's, imaging-guidance codes aside); ``region_ok`` (a code of the name's modality in its
    body region; None when the region is not mapped); ``confident`` (a line >= RADLEX_CONFIDENT)."""
    lines = [(c["code"], float(c["confidence"])) for c in pred.get("codes", [])]

    def info(code):
        return families.get(code, ("", "", ""))  # family, modality, region

    def wrong(code):
        fam, mod, reg = info(code)
        return mod not in row.modalities and fam != "guidance" and reg != "guidance"
    wrong_lines = [(c, p) for c, p in lines if wrong(c)]
    region_ok = None
    if row.regions is not None and lines:
        region_ok = any(info(c)[1] in row.modalities and (info(c)[2] in row.regions or info(c)[2] in RADLEX_NEUTRAL_REGIONS)
                        for c, _ in lines)
    return {"codes": [c for c, _ in lines], "wrong_family": bool(wrong_lines),
            "confident_wrong_family": any(p >= RADLEX_CONFIDENT for _, p in wrong_lines),
            "region_ok": region_ok, "confident": any(p >= RADLEX_CONFIDENT for _, p in lines),
            "needs_review": bool(pred.get("needs_review", True))}


def score_radlex(rows: Sequence[RadlexRow], suggester=None, *, source: str | None = None,
                 predict_fn: Callable[[str], dict] | None = None, max_failures: int | None = None) -> dict:
    """The weak-label check of issue 11: each ``short_name`` and ``long_name`` coded as a
    one-line report (billing global). In scope, a name is right when it has codes, none of
    another modality, and (region mapped) one in its body region. Out of scope, a name should
    get no code or a review flag, and never a confident (>= 0.9) code of a wrong family."""
    s = suggester or _default_suggester()
    if predict_fn is None:
        def predict_fn(text: str) -> dict:
            return s.suggest_record({"text": text, "billing": "global", "payer": "medicare"})
    fams = {c: (x.family, x.modality, x.region) for c, x in s.lex.codes.items()}
    ins: dict[str, Counter[str]] = {k: Counter() for k in ("short_name", "long_name")}
    outs: dict[str, Counter[str]] = {k: Counter() for k in ("short_name", "long_name")}
    per_mod: dict[str, Counter] = defaultdict(Counter)
    failures, n_in, n_out, n_region, agree = [], 0, 0, 0, 0
    for row in rows:
        got = {}
        for which in ("short_name", "long_name"):
            name = getattr(row, which)
            o = radlex_outcome(row, predict_fn(name), fams) if name else None
            got[which] = o
            if o is None:
                continue
            if row.in_scope:
                hit = bool(o["codes"]) and not o["wrong_family"] and o["region_ok"] is not False
                kind = ("right" if hit else "no_code" if not o["codes"] else
                        "wrong_family" if o["wrong_family"] else "wrong_region")
                ins[which].update({"n": 1, kind: 1, "confident_wrong_family": o["confident_wrong_family"]})
                per_mod[row.modality].update({f"{which}_right": hit})
            else:
                kind = ("no_code" if not o["codes"] else
                        "confident_wrong_family" if o["confident_wrong_family"] else
                        "wrong_family" if o["wrong_family"] else "coded")
                outs[which].update({"n": 1, kind: 1, "review": bool(o["codes"]) and o["needs_review"],
                                    "wrong_family_without_review": o["wrong_family"] and not o["needs_review"]})
            if kind not in ("right", "no_code", "coded") or (row.in_scope and kind == "no_code"):
                failures.append({"rpid": row.rpid, "which": which, "name": name, "modality": row.modality,
                                 "body_region": row.body_region, "scope": "in" if row.in_scope else "out",
                                 "kind": kind, "codes": o["codes"],
                                 "confident_wrong_family": o["confident_wrong_family"]})
        per_mod[row.modality].update({"n": 1, "in_scope": row.in_scope})
        if row.in_scope:
            n_in += 1
            n_region += row.regions is not None
            if got["short_name"] and got["long_name"]:
                agree += sorted(got["short_name"]["codes"]) == sorted(got["long_name"]["codes"])
        else:
            n_out += 1

    def rates(c: Counter, keys) -> dict:
        n = c["n"]
        return {"n": n, **{k: _ratio(c[k], n) for k in keys}}
    in_keys = ("right", "no_code", "wrong_family", "wrong_region", "confident_wrong_family")
    out_keys = ("no_code", "coded", "wrong_family", "confident_wrong_family", "review", "wrong_family_without_review")
    return {
        "source": source, "citation": RADLEX_CITATION, "n_rows": len(rows), "confident": RADLEX_CONFIDENT,
        "in_scope": {"n": n_in, "n_region_checked": n_region, "short_long_same_codes": _ratio(agree, n_in),
                     **{w: rates(ins[w], in_keys) for w in ins}},
        "out_of_scope": {"n": n_out, **{w: rates(outs[w], out_keys) for w in outs}},
        "per_modality": {m: {"n": c["n"], "in_scope": c["in_scope"],
                             "short_name_right": _ratio(c["short_name_right"], c["in_scope"]),
                             "long_name_right": _ratio(c["long_name_right"], c["in_scope"])}
                         for m, c in sorted(per_mod.items())},
        "n_failures": len(failures),
        "failures": failures if max_failures is None else failures[:max_failures],
    }


def add_sections(metrics: dict, records: Sequence[GoldRecord], preds: Sequence[dict], suggester, *,
                 robustness: bool = False, radlex_path: str | Path | None = None) -> dict:
    """Add ``per_part``, ``robustness`` (when asked) and ``radlex`` (when a path is given) to
    ``metrics``, with their timings."""
    timing = metrics.setdefault("timing", {})
    metrics["per_part"] = per_part(records, preds)
    t0 = time.perf_counter()
    metrics["robustness"] = score_robustness(records, preds, suggester) if robustness else None
    t1 = time.perf_counter()
    metrics["radlex"] = None
    if radlex_path is not None:
        metrics["radlex"] = score_radlex(load_radlex(radlex_path), suggester, source=Path(radlex_path).name)
        metrics["radlex"]["sha1"] = file_sha1(radlex_path)
    timing.update({"robustness_seconds": round(t1 - t0, 3), "radlex_seconds": round(time.perf_counter() - t1, 3)})
    return metrics


# --------------------------------------------------------------------------- run + outputs


def run_eval(paths: Sequence[str | Path], *, out_dir: str | Path | None = None,
             cdm_path: str | Path | None = None, cdm_sample: int | None = None,
             suggester=None, lexicon_path: str | None = None, plots: bool = True,
             robustness: bool = False, radlex_path: str | Path | None = None,
             calib_path: str | Path | None = None) -> dict:
    """Load, predict, score (and score the external table when ``cdm_path`` is given; the
    robustness suite and the RadLex check when asked: ``add_sections``; the calibration split
    when ``calib_path`` is given: :func:`score_calibration_split`); write ``metrics.json``
    and ``report.html`` into ``out_dir`` when given. Returns the metrics."""
    t0 = time.perf_counter()
    records = load_gold(paths)
    s = suggester or _default_suggester(lexicon_path)
    preds = predict(records, s)
    t1 = time.perf_counter()
    metrics = evaluate(records, preds, lexicon=s.lex)
    metrics = {
        "schema": metrics.pop("schema"),
        "versions": dict(s.versions),
        "data": {"files": [{"path": display_path(p), "sha1": file_sha1(p)} for p in paths], "n_reports": len(records),
                 "billing": "global", "payer": "medicare"},
        **metrics,
    }
    t2 = time.perf_counter()
    metrics["cdm"] = None
    if cdm_path is not None:
        rows = load_cdm(cdm_path)
        scored = sample_rows(rows, cdm_sample)
        metrics["cdm"] = score_cdm(scored, s, source=Path(cdm_path).name, n_total=len(rows))
        metrics["cdm"]["sha1"] = file_sha1(cdm_path)
    t3 = time.perf_counter()
    # the hybrid's scores on hospital descriptions, out of fold by health system (computed when the
    # title model was trained: scoring the shipped model on its own training rows would flatter it)
    title = getattr(s, "title_model", None)
    metrics["cdm_by_system"] = (title.meta.get("scores") if title is not None else None) or None
    metrics["release"]["operating_points"] = {
        "default": getattr(s, "review_threshold", None),
        **dict(sorted((getattr(s, "review_thresholds", None) or {}).items()))}
    model = getattr(s, "confidence_model", None)
    metrics["release"]["rule"] = (model.meta.get("release") or {}).get("rule") if model is not None else None
    metrics["release"]["why_none"] = release_reasons(model.meta if model is not None else None,
                                                     getattr(s, "review_thresholds", None) or {},
                                                     getattr(s, "review_threshold", None))
    metrics["timing"] = {"predict_seconds": round(t1 - t0, 3), "metrics_seconds": round(t2 - t1, 3),
                         "cdm_seconds": round(t3 - t2, 3)}
    add_sections(metrics, records, preds, s, robustness=robustness, radlex_path=radlex_path)
    metrics["calibration_split"] = score_calibration_split(calib_path, s) if calib_path is not None else None
    if out_dir is not None:
        write_outputs(metrics, out_dir, plots=plots)
    return metrics


def _rounded(x, nd: int = 4):
    if isinstance(x, float):
        return round(x, nd)
    if isinstance(x, dict):
        return {k: _rounded(v, nd) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_rounded(v, nd) for v in x]
    return x


def write_outputs(metrics: dict, out_dir: str | Path, *, plots: bool = True) -> tuple[Path, Path]:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    mpath, hpath = out / "metrics.json", out / "report.html"
    mpath.write_text(json.dumps(_rounded(metrics), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    hpath.write_text(render_html(metrics, make_plots(metrics) if plots else {}), encoding="utf-8")
    return mpath, hpath


def baseline_from_metrics(metrics: dict, data_path: str | None = None) -> dict:
    """The committed regression baseline: the guarded numbers plus what they were measured on."""
    s = metrics["summary"]
    files = metrics.get("data", {}).get("files", [])
    out = {
        "schema": BASELINE_SCHEMA,
        "tolerance": 0.005,
        "data": {"path": display_path(data_path) if data_path else (files[0]["path"] if len(files) == 1 else None),
                 "sha1": files[0]["sha1"] if len(files) == 1 else None, "n_reports": s["n_reports"]},
        "versions": metrics.get("versions", {}),
        "exact_set_accuracy": round(s["exact_set_accuracy"], 4),
        "ece": round(s["ece"], 4),
        "info": {k: _rounded(s[k]) for k in ("codes_only_accuracy", "micro_f1", "brier", "top3_recall",
                                             "automation_coverage_at_99")},
        "cdm": None,
    }
    if metrics.get("cdm"):
        c = metrics["cdm"]
        out["cdm"] = {"source": c["source"], "sha1": c.get("sha1"), "n_scored": c["n_scored"],
                      "top1": round(c["top1"], 4), "top3": round(c["top3"], 4)}
    return out


# --------------------------------------------------------------------------- terminal summary


def _fmt(v, pct: bool = True) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{100 * v:5.1f}%" if pct else f"{v:.4f}"
    return str(v)


def _interval(iv) -> str:
    return "-" if not iv else f"[{100 * iv[0]:.1f}, {100 * iv[1]:.1f}]%"


def holdout_text(h: dict) -> str:
    """One line on the release rule's held-out check (``training.release_holdout``), as
    ``suggester train`` logs it and ``suggester eval`` prints it."""
    return (f"nothing released in {_fmt(h['none']).strip()} of {h['splits']} halvings; "
            + (f"else {_fmt(h['share']).strip()} released at {_fmt(h['precision']).strip()} exact, below "
               f"{_fmt(h['target']).strip()} in {_fmt(h['below_target']).strip()} of halvings"
               if h.get("precision") is not None else "nothing in any halving"))


def _release_summary(metrics: dict) -> list[str]:
    rel = metrics.get("release")
    if not rel:
        return []
    out = ["", f"released (needs_review false, shipped thresholds): {rel['released']} of {rel['n']} "
               f"({_fmt(rel['share']).strip()} {_interval(rel['share_interval'])}), exact "
               f"{_fmt(rel['precision']).strip()} {_interval(rel['precision_interval'])}",
           f"{'family':<10} {'n':>4} {'released':>8} {'exact':>7} {'95% interval':>16} {'ECE':>7}"]
    out += [f"{f:<10} {g['n']:>4} {g['released']:>8} {_fmt(g['precision']):>7} {_interval(g['precision_interval']):>16} "
            f"{_fmt(g['ece'], False):>7}" for f, g in rel["per_family"].items()]
    why = rel.get("why_none") or {}
    c = metrics.get("calibration_split")
    if c:
        cr, o = c["release"], c.get("out_of_fold")
        if o:
            out += [f"calibration split ({o['n']} reports, the map and points were chosen on it; at training, each "
                    f"report scored by a model without its fold): ECE {_fmt(o['ece'], False)}, released "
                    f"{o['released']} ({_fmt(o['share']).strip()}), exact {_fmt(o['precision']).strip()} "
                    f"{_interval(o['precision_interval'])}"]
        ho = c.get("holdout")
        if ho and ho.get("splits"):
            out += ["the release rule on held-out halves (points chosen on one half of the calibration split, "
                    "applied to the other): " + holdout_text(ho)]
        out += [f"calibration split ({c['n_reports']} reports) scored now"
                + _calib_sample_note(c)
                + f": exact {_fmt(c['exact_set_accuracy']).strip()}, ECE {_fmt(c['ece'], False)}"
                + f"; released {cr['released']} ({_fmt(cr['share']).strip()} {_interval(cr['share_interval'])}), "
                f"exact {_fmt(cr['precision']).strip()} {_interval(cr['precision_interval'])}"]
        out += [f"  {f:<10} {g['n']:>4} {g['released']:>8} {_fmt(g['precision']):>7} "
                f"{_interval(g['precision_interval']):>16} {_fmt(g['ece'], False):>7}"
                for f, g in cr["per_family"].items()]
    if why:
        out.append("families releasing nothing: " + "; ".join(f"{f}: {w}" for f, w in why.items()))
    return out


def format_summary(metrics: dict) -> str:
    s = metrics["summary"]
    ops = metrics["automation"]["operating_points"]
    rows = [
        ("reports", str(s["n_reports"])),
        ("exact code-set accuracy", _fmt(s["exact_set_accuracy"])),
        ("codes-only accuracy", _fmt(s["codes_only_accuracy"])),
        ("micro P / R / F1", " / ".join(_fmt(s[k]) for k in ("micro_precision", "micro_recall", "micro_f1"))),
        ("macro P / R / F1", " / ".join(_fmt(s[k]) for k in ("macro_precision", "macro_recall", "macro_f1"))),
        ("top-3 recall", _fmt(s["top3_recall"])),
        ("laterality / component acc.", f"{_fmt(s['laterality_accuracy'])} / {_fmt(s['component_accuracy'])}"),
        ("flag P / R", f"{_fmt(s['flag_precision'])} / {_fmt(s['flag_recall'])}"),
        ("ECE / Brier (report)", f"{_fmt(s['ece'], False)} / {_fmt(s['brier'], False)}"),
        ("ECE / Brier (code)", f"{_fmt(s['code_ece'], False)} / {_fmt(s['code_brier'], False)}"),
    ]
    for op in ops.values():
        thr = "-" if op["threshold"] is None else f"{op['threshold']:.3f}"
        rows.append((f"automation @{round(op['target'] * 100)}% precision",
                     f"coverage {_fmt(op['coverage'])} (threshold {thr})"))
    rows.append(("needs review", _fmt(s["needs_review_rate"])))
    w = max(len(a) for a, _ in rows)
    out = [f"{a:<{w}}  {b}" for a, b in rows]
    out.append("")
    out.append(f"{'family':<10} {'n':>4} {'exact':>7} {'codes':>7} {'F1':>7}")
    for fam, g in metrics["per_family"].items():
        out.append(f"{fam:<10} {g['n']:>4} {_fmt(g['exact_set_accuracy']):>7} "
                   f"{_fmt(g['codes_only_accuracy']):>7} {_fmt(g['f1']):>7}")
    out.extend(_release_summary(metrics))
    out.extend(_sections_summary(metrics))
    c = metrics.get("cdm")
    if c:
        out.append("")
        rows_txt = f"{c['n_scored']} rows" if c["n_scored"] == c["n_rows"] else f"{c['n_scored']} of {c['n_rows']} rows (sample)"
        out.append(f"external {c['source']}: {rows_txt}, top-1 {_fmt(c['top1'])}, top-3 {_fmt(c['top3'])}"
                   + (" (in-sample for the title model: see the health-system folds below)"
                      if metrics.get("cdm_by_system") else ""))
    t = metrics.get("cdm_by_system")
    if t:
        out.append(f"hospital descriptions scored by health system ({t['folds']} grouped folds, "
                   f"{t['hybrid']['systems']} systems, out of fold; from models/title/meta.json), top-1:")
        out.append(f"{'':<10} {'by system':>10} {'by row':>8}")
        for k, name in (("rules", "rules"), ("baseline", "TF-IDF"), ("model", "model"), ("hybrid", "hybrid")):
            if k in t:  # "baseline": the plain char n-gram TF-IDF + LR of issue 11
                out.append(f"{name:<10} {_fmt(t[k]['by_system']):>10} {_fmt(t[k]['by_row']):>8}")
    return "\n".join(out)


def _sections_summary(metrics: dict) -> list[str]:
    """Terminal lines of the per-part, robustness and RadLex sections (those present)."""
    out = []
    parts = metrics.get("per_part")
    if parts:
        out += ["", f"{'part':<10} {'n':>4} {'exact':>7} {'codes':>7} {'F1':>7}"]
        out += [f"{k:<10} {g['n']:>4} {_fmt(g['exact_set_accuracy']):>7} {_fmt(g['codes_only_accuracy']):>7} "
                f"{_fmt(g['f1']):>7}" for k, g in parts.items()]
    rb = metrics.get("robustness")
    if rb:
        out += ["", f"robustness: exact-set accuracy of the {rb['n_reports']} reports under each transform "
                    f"(untransformed {_fmt(rb['exact_set_accuracy']).strip()}; a drop over "
                    f"{100 * rb['max_drop']:.1f} point fails)",
                f"{'transform':<20} {'changed':>7} {'exact':>7} {'delta':>6} {'lost':>5} {'won':>4}  status"]
        for name, t in rb["transforms"].items():
            status = "ok" if t["passes"] else "FAIL (known)" if t["known_failing"] else "FAIL"
            if t["passes"] and t["known_failing"]:
                status = "ok (listed as known failing: remove it from KNOWN_FAILING)"
            out.append(f"{name:<20} {t['n_changed']:>7} {_fmt(t['exact_set_accuracy']):>7} "
                       f"{100 * t['delta']:>+6.1f} {t['n_broken']:>5} {t['n_fixed']:>4}  {status}")
        if "released" in rb:
            out.append(f"released from the transformed reports: {rb['released']}, exact "
                       f"{_fmt(rb['released_precision']).strip()} {_interval(rb['released_precision_interval'])}")
    rl = metrics.get("radlex")
    if rl:
        i, o = rl["in_scope"], rl["out_of_scope"]
        out += ["", f"{rl['citation']} ({rl['source']}, {rl['n_rows']} names): in scope {i['n']}: right (modality, "
                    f"region) short_name {_fmt(i['short_name']['right']).strip()} / long_name "
                    f"{_fmt(i['long_name']['right']).strip()}, no code {_fmt(i['short_name']['no_code']).strip()} / "
                    f"{_fmt(i['long_name']['no_code']).strip()}, wrong family {_fmt(i['short_name']['wrong_family']).strip()}"
                    f" / {_fmt(i['long_name']['wrong_family']).strip()}",
                f"  out of scope {o['n']}: no code {_fmt(o['short_name']['no_code']).strip()} / "
                f"{_fmt(o['long_name']['no_code']).strip()}, confident (>= {rl['confident']}) wrong family "
                f"{_fmt(o['short_name']['confident_wrong_family']).strip()} / "
                f"{_fmt(o['long_name']['confident_wrong_family']).strip()}, released (no review) with a wrong family "
                f"{round((o['short_name'].get('wrong_family_without_review') or 0.0) * o['n'])} / "
                f"{round((o['long_name'].get('wrong_family_without_review') or 0.0) * o['n'])} names (short_name / long_name)"]
    return out


def _sections_html(metrics: dict) -> list[str]:
    """HTML of the per-part, robustness and RadLex sections (those present)."""
    h = []
    parts = metrics.get("per_part")
    if parts:
        h.append("<h2>Per part</h2><p class=small>The labeled part of a report is its id prefix "
                 "(<code>rl-0001</code> is part <code>rl</code>).</p>")
        h.append(_table(["part", "n", "exact set", "codes only", "precision", "recall", "F1", "top-3 recall",
                         "mean confidence"],
                        [(_e(k), g["n"], g["exact_set_accuracy"], g["codes_only_accuracy"], g["precision"],
                          g["recall"], g["f1"], g["top3_recall"], g["mean_confidence"]) for k, g in parts.items()]))
    rb = metrics.get("robustness")
    if rb:
        h.append("<h2>Robustness</h2>")
        h.append(f"<p class=small>Each transform of <code>eval/robustness.py</code> (seed {rb['seed']}) rewrites how "
                 "every report is written, never what was performed; the gold codes stay. Exact-set accuracy "
                 f"of the {rb['n_reports']} reports, untransformed {_e(_fmt(rb['exact_set_accuracy']))}; a "
                 f"transform fails when it costs more than {100 * rb['max_drop']:.1f} point. Lost / won: reports "
                 "right before and wrong after / the reverse.</p>")
        rows = []
        for name, t in rb["transforms"].items():
            status = "ok" if t["passes"] else "<b>fails</b> (known)" if t["known_failing"] else "<b>fails</b>"
            rows.append((f"<code>{_e(name)}</code><br><span class=small>{_e(t['description'])}</span>",
                         t["n_changed"], t["exact_set_accuracy"], _e(f"{100 * t['delta']:+.1f}"), t["n_broken"],
                         t["n_fixed"], status, _e(" ".join(t["broken"][:12]) + (" ..." if t["n_broken"] > 12 else ""))))
        h.append(_table(["transform", "reports changed", "exact set", "delta (points)", "lost", "won", "status",
                         "lost reports"], rows))
    rl = metrics.get("radlex")
    if rl:
        i, o = rl["in_scope"], rl["out_of_scope"]
        h.append(f"<h2>RadLex weak-label check ({_e(rl['citation'])})</h2>")
        h.append(f"<p class=small>{rl['n_rows']} standard exam names of {_e(rl['source'])} (RadLex Playbook, RSNA), "
                 "each short and long name coded as a one-line report. In scope (a diagnostic exam of a modality "
                 f"the code table covers): right = codes, none of another modality, one in the name's body "
                 f"region when it is mapped ({i['n_region_checked']} of {i['n']}). Out of scope (image-guided "
                 "procedures, biopsies, drainages, therapy, catheter angiography...): no code or a review flag, "
                 f"never a code of a wrong family at confidence &ge; {rl['confident']}.</p>")
        h.append(_table(["in scope", "n", "right", "no code", "wrong family", "wrong region",
                         "confident wrong family"],
                        [(w, i[w]["n"], i[w]["right"], i[w]["no_code"], i[w]["wrong_family"], i[w]["wrong_region"],
                          i[w]["confident_wrong_family"]) for w in ("short_name", "long_name")]))
        h.append(f"<p class=small>Short and long name of one exam give the same codes: "
                 f"{_e(_fmt(i['short_long_same_codes']))}.</p>")
        h.append(_table(["out of scope", "n", "no code", "coded (right modality)", "wrong family",
                         "confident wrong family", "codes with review flag", "wrong family without review"],
                        [(w, o[w]["n"], o[w]["no_code"], o[w]["coded"], o[w]["wrong_family"],
                          o[w]["confident_wrong_family"], o[w]["review"], o[w]["wrong_family_without_review"])
                         for w in ("short_name", "long_name")]))
        h.append(_table(["RadLex modality", "names", "in scope", "short_name right", "long_name right"],
                        [(_e(m), r["n"], r["in_scope"], r["short_name_right"], r["long_name_right"])
                         for m, r in rl["per_modality"].items()]))
        h.append(f"<p><b>failures</b> (first {len(rl['failures'])} of {rl['n_failures']})</p>")
        h.append(_table(["rpid", "name", "modality / region", "scope", "kind", "codes"],
                        [(_e(f["rpid"]), _e(f["name"]), _e(f"{f['modality']} / {f['body_region'] or '-'}"),
                          f["scope"], _e(f["kind"]), _e(" ".join(f["codes"]) or "-")) for f in rl["failures"]]))
    return h


# --------------------------------------------------------------------------- plots + HTML


def _png(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, bbox_inches="tight")
    return base64.b64encode(buf.getvalue()).decode("ascii")


def make_plots(metrics: dict) -> dict[str, str]:
    """Base64 PNGs (reliability, automation, per-family, cdm per-family); {} without matplotlib."""
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        return {}

    def figure(w, h, ncols=1):
        fig = Figure(figsize=(w, h))
        FigureCanvasAgg(fig)
        return fig, fig.subplots(1, ncols)

    out = {}
    fig, axes = figure(10, 4.2, 2)
    for ax, key, title in zip(axes, ("report", "code"), ("report confidence vs exact set", "code confidence vs code in gold"), strict=True):
        cal = metrics["calibration"][key]
        centres = [(b["lo"] + b["hi"]) / 2 for b in cal["bins"]]
        acc = [b["accuracy"] or 0.0 for b in cal["bins"]]
        ax.bar(centres, acc, width=0.1, edgecolor="black", alpha=0.7, label="accuracy")
        ax.plot([0, 1], [0, 1], "k--", lw=1, label="perfect calibration")
        filled = [(x, b) for x, b in zip(centres, cal["bins"], strict=True) if b["n"]]
        ax.plot([x for x, _ in filled], [b["mean_confidence"] for _, b in filled], "r_", ms=14,
                mew=2, ls="none", label="mean confidence in bin")
        for x, b in filled:
            ax.text(x, 0.02, str(b["n"]), ha="center", fontsize=7)
        ece = "-" if cal["ece"] is None else f"{cal['ece']:.3f}"
        ax.set(xlim=(0, 1), ylim=(0, 1.02), xlabel="confidence", ylabel="accuracy",
               title=f"{title}\nECE {ece}, n={cal['n']}")
        ax.legend(loc="upper left", fontsize=8)
    out["reliability"] = _png(fig)

    fig, (ax, ax2) = figure(11, 4.2, 2)
    curve = [p for p in metrics["automation"]["curve"] if p["precision"] is not None]
    ops = metrics["automation"]["operating_points"].values()
    ax.plot([p["coverage"] for p in curve], [p["precision"] for p in curve], "-o", ms=2)
    for op in ops:
        ax.axhline(op["target"], color="grey", lw=0.7, ls=":")
        ax.text(0.01, op["target"], f"{round(op['target'] * 100)}%", fontsize=7, va="bottom", color="grey")
        if op["threshold"] is not None:
            ax.plot([op["coverage"]], [op["precision"]], "rs")
            ax.annotate(f"t={op['threshold']:.2f}", (op["coverage"], op["precision"]), fontsize=7,
                        xytext=(4, -10), textcoords="offset points")
    rel = metrics.get("release") or {}
    if rel.get("share") is not None:  # the shipped operating points (per family), marked
        ax.plot([rel["share"]], [rel["precision"] if rel["precision"] is not None else 1.0], "g*", ms=10)
        ax.annotate(f"shipped: {rel['released']} released", (rel["share"], rel["precision"] or 1.0), fontsize=7,
                    xytext=(4, 4), textcoords="offset points", color="green")
    low = min([p["precision"] for p in curve] + [0.9])
    ax.set(xlim=(0, 1), ylim=(max(0.0, low - 0.05), 1.005), xlabel="coverage (share of reports automated)",
           ylabel="exact-set precision", title="automation: precision vs coverage")
    ax2.plot([p["threshold"] for p in curve], [p["precision"] for p in curve], label="precision")
    allc = metrics["automation"]["curve"]
    ax2.plot([p["threshold"] for p in allc], [p["coverage"] for p in allc], label="coverage")
    ax2.set(xlim=(0, 1), ylim=(0, 1.02), xlabel="threshold (every code's confidence >=)",
            title="precision and coverage by threshold")
    ax2.legend(fontsize=8)
    out["automation"] = _png(fig)

    fams = metrics["per_family"]
    if fams:
        fig, ax = figure(max(6, 0.6 * len(fams) + 2), 4)
        names = list(fams)
        xs = range(len(names))
        ax.bar([x - 0.2 for x in xs], [fams[k]["exact_set_accuracy"] or 0 for k in names], 0.4, label="exact set")
        ax.bar([x + 0.2 for x in xs], [fams[k]["codes_only_accuracy"] or 0 for k in names], 0.4, label="codes only")
        ax.set_xticks(list(xs), [f"{k}\n(n={fams[k]['n']})" for k in names], fontsize=8)
        ax.set(ylim=(0, 1.05), ylabel="accuracy", title="accuracy per family")
        ax.legend(fontsize=8)
        out["families"] = _png(fig)

    c = metrics.get("cdm")
    if c and c["per_family"]:
        fig, ax = figure(max(6, 0.6 * len(c["per_family"]) + 2), 4)
        names = list(c["per_family"])
        xs = range(len(names))
        ax.bar([x - 0.2 for x in xs], [c["per_family"][k]["top1"] for k in names], 0.4, label="top-1")
        ax.bar([x + 0.2 for x in xs], [c["per_family"][k]["top3"] for k in names], 0.4, label="top-3")
        ax.set_xticks(list(xs), [f"{k}\n(n={c['per_family'][k]['n']})" for k in names], fontsize=8)
        ax.set(ylim=(0, 1.05), ylabel="accuracy", title=f"{c['source']}: accuracy per family")
        ax.legend(fontsize=8)
        out["cdm_families"] = _png(fig)
    return out


_CSS = """body{font-family:system-ui,sans-serif;margin:2em;max-width:1200px;color:#222}
table{border-collapse:collapse;margin:0.5em 0 1.5em}td,th{border:1px solid #ccc;padding:3px 8px;
font-size:13px;vertical-align:top}th{background:#f0f0f0}td.n{text-align:right}
img{max-width:100%}code{font-size:12px}h2{border-bottom:2px solid #ddd;margin-top:2em}
.small{font-size:12px;color:#555}"""


def _e(x) -> str:
    return html.escape(str(x))


def _table(head: Sequence[str], rows: Iterable[Sequence]) -> str:
    out = ["<table><tr>" + "".join(f"<th>{_e(h)}</th>" for h in head) + "</tr>"]
    for r in rows:
        cells = []
        for v in r:
            if isinstance(v, float) or v is None:
                cells.append(f"<td class=n>{_e(_fmt(v))}</td>")
            elif isinstance(v, int):
                cells.append(f"<td class=n>{v}</td>")
            else:
                cells.append(f"<td>{v}</td>")  # already escaped by the caller
        out.append("<tr>" + "".join(cells) + "</tr>")
    return "\n".join(out) + "</table>"


def _img(plots: dict, key: str, alt: str) -> str:
    if key in plots:
        return f'<p><img alt="{_e(alt)}" src="data:image/png;base64,{plots[key]}"></p>'
    return f"<p class=small>({_e(alt)}: plots need matplotlib, <code>pip install suggester[eval]</code>)</p>"


def render_html(metrics: dict, plots: dict[str, str]) -> str:
    """A self-contained HTML report (inline CSS, plots as base64 PNG; no network)."""
    s = metrics["summary"]
    v = metrics.get("versions", {})
    files = ", ".join(f"{f['path']} (sha1 {f['sha1'][:10]})" for f in metrics.get("data", {}).get("files", []))
    h = [f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>suggester evaluation</title>"
         f"<style>{_CSS}</style></head><body>",
         "<h1>suggester evaluation</h1>",
         f"<p class=small>suggester {_e(v.get('suggester'))}, lexicons {_e(v.get('lexicons'))}, "
         f"model {_e(v.get('model'))}; data {_e(files)}; billing global, payer Medicare.</p>",
         "<h2>Summary</h2>",
         _table(["metric", "value"], [
             ("reports", s["n_reports"]),
             ("exact code-set accuracy", s["exact_set_accuracy"]),
             ("codes-only accuracy", s["codes_only_accuracy"]),
             ("micro precision / recall / F1", _e(" / ".join(_fmt(s[k]) for k in ("micro_precision", "micro_recall", "micro_f1")))),
             ("macro precision / recall / F1", _e(" / ".join(_fmt(s[k]) for k in ("macro_precision", "macro_recall", "macro_f1")))),
             ("top-3 recall", s["top3_recall"]),
             ("laterality modifier accuracy", s["laterality_accuracy"]),
             ("component (26) accuracy", s["component_accuracy"]),
             ("flag precision / recall", _e(f"{_fmt(s['flag_precision'])} / {_fmt(s['flag_recall'])}")),
             ("ECE / Brier (report)", _e(f"{_fmt(s['ece'], False)} / {_fmt(s['brier'], False)}")),
             ("ECE / Brier (code)", _e(f"{_fmt(s['code_ece'], False)} / {_fmt(s['code_brier'], False)}")),
             ("needs review", s["needs_review_rate"]),
             ("no code suggested", s["no_prediction_rate"]),
         ])]
    h.append("<h2>Automation</h2><p class=small>A report is automated when it has codes and every code's "
             "confidence is at least the threshold; precision is exact-set accuracy of the automated reports.</p>")
    h.append(_table(["target precision", "threshold", "coverage", "precision", "reports automated"],
                    [(f"{round(op['target'] * 100)}%", "-" if op["threshold"] is None else f"{op['threshold']:.4f}",
                      op["coverage"], op["precision"], op["n_automated"])
                     for op in metrics["automation"]["operating_points"].values()]))
    h.append(_img(plots, "automation", "automation curve"))
    rel = metrics.get("release")
    if rel:
        h.append("<h2>Release (shipped operating points)</h2><p class=small>Released: the report has codes and "
                 "needs no review with the shipped per-family thresholds (green star above). Intervals: Wilson "
                 f"95%. Rule: {_e(rel.get('rule') or '-')}. Thresholds: "
                 + _e(", ".join(f"{k} {'never' if v is None or v > 1 else f'{v:.4f}'}"
                                for k, v in (rel.get("operating_points") or {}).items())) + "</p>")
        h.append(_table(["family", "n", "released", "share", "exact of released", "95% interval", "report ECE"],
                        [(f, g["n"], g["released"], g["share"], g["precision"], _e(_interval(g["precision_interval"])),
                          _e(_fmt(g["ece"], False))) for f, g in [("all", rel), *rel["per_family"].items()]]))
        c = metrics.get("calibration_split")
        if c:
            cr = c["release"]
            o = c.get("out_of_fold")
            h.append(f"<p class=small>Calibration split ({c['n_reports']} reports, {_e(c['path'])}; the map and "
                     "the points were chosen on it"
                     + (f". At training, each report scored by a model without its fold: report ECE "
                        f"{_e(_fmt(o['ece'], False))}, released {o['released']}, exact {_e(_fmt(o['precision']))} "
                        f"{_e(_interval(o['precision_interval']))}" if o else "")
                     + (". Scored now" + _calib_sample_note(c) if c["in_sample"] or c.get("out_of_fold") else "")
                     + f": exact {_e(_fmt(c['exact_set_accuracy']))}, report ECE {_e(_fmt(c['ece'], False))}</p>")
            h.append(_table(["family", "n", "released", "share", "exact of released", "95% interval", "report ECE"],
                            [(f, g["n"], g["released"], g["share"], g["precision"],
                              _e(_interval(g["precision_interval"])), _e(_fmt(g["ece"], False)))
                             for f, g in [("all", cr), *cr["per_family"].items()]]))
        if rel.get("why_none"):
            h.append("<p class=small>Families releasing nothing:</p>")
            h.append(_table(["family", "why"], [(f, _e(w)) for f, w in rel["why_none"].items()]))
    h.append("<h2>Calibration</h2>")
    h.append(_img(plots, "reliability", "reliability diagrams"))
    for key in ("report", "code"):
        cal = metrics["calibration"][key]
        h.append(f"<p><b>{key} level</b>: n={cal['n']}, ECE {_e(_fmt(cal['ece'], False))}, "
                 f"Brier {_e(_fmt(cal['brier'], False))}</p>")
        h.append(_table(["bin", "n", "mean confidence", "accuracy"],
                        [(f"{b['lo']:.1f}-{b['hi']:.1f}", b["n"], b["mean_confidence"], b["accuracy"])
                         for b in cal["bins"]]))
    h.append("<h2>Per family</h2>")
    h.append(_img(plots, "families", "per-family accuracy"))
    gh = ["group", "n", "exact set", "codes only", "precision", "recall", "F1", "top-3 recall", "mean confidence"]

    def grows(d):
        return [(_e(k), g["n"], g["exact_set_accuracy"], g["codes_only_accuracy"], g["precision"], g["recall"],
                 g["f1"], g["top3_recall"], g["mean_confidence"]) for k, g in d.items()]
    h.append(_table(gh, grows(metrics["per_family"])))
    h.extend(_sections_html(metrics))
    h.append("<h2>Per tag (style and hard-case kind)</h2>")
    h.append(_table(gh, grows(metrics["per_tag"])))
    m = metrics["modifiers"]
    h.append("<h2>Modifiers</h2>")
    h.append(_table(["modifier kind", "n (codes right)", "accuracy"], [
        ("laterality (RT/LT/50), all matched codes", m["laterality"]["n"], m["laterality"]["accuracy"]),
        ("laterality, codes where gold or prediction is lateral", m["laterality_lateral_only"]["n"],
         m["laterality_lateral_only"]["accuracy"]),
        ("payment (52/59/76/77), where gold or prediction has one", m["payment"]["n"], m["payment"]["accuracy"]),
        ("component (26 iff split), professional re-run", m["component"]["n"], m["component"]["accuracy"]),
        ("26/TC lines in the global output (should be 0)", m["component_in_global_output"], None),
    ]))
    f = metrics["flags"]
    h.append(f"<h2>Flags</h2><p class=small>Over the {f['n_reports']} reports that carry gold flags.</p>")
    a = f["all_records"]
    h.append(_table(["flag type", "tp", "fp", "fn", "precision", "recall"],
                    [(_e(t), r["tp"], r["fp"], r["fn"], r["precision"], r["recall"]) for t, r in f["per_type"].items()]
                    + [("<b>all</b>", f["tp"], f["fp"], f["fn"], f["precision"], f["recall"]),
                       (f"<i>all {a['n_reports']} reports, no gold flags = none expected</i>",
                        a["tp"], a["fp"], a["fn"], a["precision"], a["recall"])]))
    h.append("<h2>Top confusions</h2>")
    for key in ("codes", "modifiers"):
        h.append(f"<p><b>{key}</b></p>")
        h.append(_table(["gold", "predicted", "count"],
                        [(_e(c["gold"]), _e(c["predicted"]), c["count"]) for c in metrics["confusions"][key]]))
    h.append("<h2>Per code</h2>")
    pc = sorted(metrics["codes"]["per_code"].items(), key=lambda kv: (-kv[1]["support"], kv[0]))
    h.append(_table(["code", "family", "support", "predicted", "precision", "recall", "F1"],
                    [(_e(c), _e(r["family"] or "-"), r["support"], r["predicted"], r["precision"], r["recall"], r["f1"])
                     for c, r in pc]))
    c = metrics.get("cdm")
    if c:
        h.append(f"<h2>External table: {_e(c['source'])}</h2>")
        h.append(f"<p>{c['n_scored']} of {c['n_rows']} rows scored: top-1 {_e(_fmt(c['top1']))}, "
                 f"top-3 {_e(_fmt(c['top3']))}, no code {_e(_fmt(c['no_prediction_rate']))}. Each description "
                 "is coded as a one-line report; any of the row's codes counts as right.</p>")
        h.append(_img(plots, "cdm_families", "external table per family"))
        h.append(_table(["family", "n", "top-1", "top-3"],
                        [(_e(k), r["n"], r["top1"], r["top3"]) for k, r in c["per_family"].items()]))
        h.append(_table(["hospital", "n", "top-1", "top-3"],
                        [(_e(k), r["n"], r["top1"], r["top3"]) for k, r in c["per_hospital"].items()]))
        h.append("<p><b>top confusions</b> (row codes -> predicted top-1)</p>")
        h.append(_table(["codes", "predicted", "count"],
                        [(_e(x["gold"]), _e(x["predicted"]), x["count"]) for x in c["confusions"]]))
    wrong = metrics["wrong_reports"]
    h.append(f"<h2>Wrong reports ({len(wrong)})</h2>")
    rows = []
    for w in wrong:
        pred = "<br>".join(f"<b>{_e(p['line'])}</b> ({p['confidence']:.3f})<br><span class=small>"
                           + _e("; ".join(p["evidence"])) + "</span>" for p in w["predicted"]) or "-"
        gf = "not labeled" if w["gold_flags"] is None else (", ".join(w["gold_flags"]) or "none")
        flags = f"gold: {_e(gf)}<br>predicted: {_e(', '.join(w['predicted_flags']) or 'none')}"
        rows.append((f"{_e(w['id'])}<br><span class=small>{_e(w['family'])} / {_e(w['style'])}</span>",
                     _e(w["why"]), f"<code>{_e(w['title'])}</code><br><span class=small>{_e(w['rationale'] or '')}</span>",
                     _e(" ".join(w["gold"])), pred, _e("; ".join(w["alternatives"][:4])), flags))
    h.append(_table(["id", "why", "title / rationale", "gold", "predicted (confidence) / evidence",
                     "alternatives", "flags"], rows))
    h.append("</body></html>")
    return "\n".join(h)
