"""Stage 5b: rules and the learned title model decide together.

The rules read what the words mean (modality, anatomy, contrast, views, side, qualifiers) and rank
the codes of the frame's (modality, region); the title model (``title_model.py``) knows how real
hospitals word their exams. For a report with one exam frame, the candidates are the rules' top
three and the model's top five; a small combiner (gradient-boosted trees, walked with numpy:
``trees.py``) scores each from how the two sources see it (model probability and rank, rules rank and penalty) and how it fits the attributes the rules
*documented* (a candidate that contradicts a stated contrast or view count is unlikely). The best
candidate is billed; the others become the alternatives. When the rules find no exam at all, the
model's candidates are scored alone and one is billed only when the combiner is confident; the
review reasons say the code came from the title wording.

The combiners (one for one-line titles, one for reports with a body) are learned by ``suggester
train --title`` from hospital exam descriptions (out-of-fold title-model predictions, folds
grouped by health system) and the dev reports; their trees live in ``models/title/combiner.npz``
and their description in ``models/title/meta.json``, beside the title model.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from .lexicon import Code, Lexicon
from .mapping import CONTRAST_CODED, Chooser
from .memo import BoundedMemo
from .model import Candidate, Extraction, Frame, HybridInfo, Line, Mention
from .trees import flatten_trees, walk

FEATURES = ("log_p", "model_top1", "model_margin", "rules_top1", "rules_alt", "rules_penalty",
            "rules_margin", "no_rules", "performed", "mod_conflict", "region_conflict",
            "contrast_conflict", "views_conflict", "model_only",
            # interactions: agreement, and how far the model is trusted against the rules' reading
            "agree", "log_p_x_rules_top1", "log_p_x_conflict", "model_margin_x_top1",
            "rules_penalty_x_model_top1", "rules_margin_x_rules_top1")
MODEL_K = 5
RULES_K = 3
MIN_P = 1e-4
TITLE_SECTIONS = ("exam", "subtitle", "ordered")  # a report of only these is a one-line title
# modality families that name the same kind of study (a CT title may bill a CTA code, ...)
_KIN = ({"CT", "CTA", "POST"}, {"MR", "MRA"}, {"US", "DUPLEX"}, {"XR", "FL"})
_MOD_CONFLICT = FEATURES.index("mod_conflict")
_CONTRAST_CONFLICT = FEATURES.index("contrast_conflict")


class TitleRanker(Protocol):
    """What the hybrid needs of the title model (``title_model.TitleModel``): its top codes."""

    def top(self, text: str, k: int = 5, attrs: Sequence[str] = ()) -> list[tuple[str, float]]: ...


COMBINER_FILE = "combiner.npz"  # the combiners' trees, beside the title model
COMBINER_MEMO = 16_384  # candidate rows whose score a combiner keeps (cleared when full; 0: none)


@dataclass(frozen=True)
class Combiner:
    """Gradient-boosted trees over :data:`FEATURES`: the probability that a candidate is the
    billed code (``trees.walk`` over the flat arrays of a ``HistGradientBoostingClassifier``)."""

    flat: dict = field(repr=False)
    baseline: float
    accept: float  # a model-only code is billed at or above this score
    _memo: BoundedMemo[tuple[float, ...], float] = field(  # row -> score (score_rows)
        default_factory=lambda: BoundedMemo("combiner rows", COMBINER_MEMO), repr=False, compare=False)

    @classmethod
    def from_meta(cls, d: dict, part: dict) -> Combiner:
        """The combiner that ``meta.json`` describes (``d``) with its trees (``part``: the arrays
        ``trees.boosting_part`` made, read back from ``combiner.npz``)."""
        if tuple(d["features"]) != FEATURES:
            raise ValueError(f"combiner features {d['features']} != {FEATURES}")
        if int(part["feature"].max(initial=0)) >= len(FEATURES):
            raise ValueError("combiner trees read a feature index past the features")
        return cls(flatten_trees([part]), float(part["baseline"]), float(d["accept"]))

    def scores(self, x: np.ndarray) -> np.ndarray:
        """The probability of each row of ``x`` (rows of :data:`FEATURES`)."""
        raw = walk(self.flat, x).sum(axis=1) + self.baseline
        return 1.0 / (1.0 + np.exp(-np.clip(raw, -30.0, 30.0)))

    def score_rows(self, rows: Sequence[tuple[float, ...]]) -> list[float]:
        """:meth:`scores` of rows given as tuples, memoised per row (bounded): a row's score
        depends on that row alone, and reports of the same exam title and frame give the same
        rows, so most reports of a stream need no tree walk."""
        return self._memo.get_many(rows, lambda todo: self.scores(np.array(todo, dtype=np.float64)).tolist())


@dataclass
class Scored:
    code: Code
    score: float
    p_model: float
    features: tuple[float, ...]
    rules_rank: int | None  # 0 = the rules' choice


def title_attributes(mentions: Sequence[Mention], frames: Sequence[Frame], title: Mention) -> tuple[str, ...]:
    """What the rules understood of the exam, as extra title-model features: each lexicon match
    inside the title ("modality=CT", "contrast=without", "views=2", "qual=limited", a negated one
    as "contrast=no-with") and each frame's attributes that the report documents (modality,
    region, contrast, views, side, qualifiers; not defaults). Sorted, no repeats."""
    out = set()
    for m in mentions:
        if m.section == "exam" and title.start <= m.start and m.end <= title.end and m.status != "historical":
            out.add(f"{m.key}={'no-' if m.status == 'negated' else ''}{m.value}")
    for f in frames:
        out.add(f"modality={f.modality}")
        if f.region:
            out.add(f"region={f.region}")
        if f.contrast and f.sources.get("contrast") not in (None, "default"):
            out.add(f"contrast={f.contrast}")
        if f.views is not None:
            out.add(f"views={min(f.views, 6)}")
        if f.side:
            out.add(f"side={f.side}")
        out.update(f"qual={q}" for q in f.quals)
    if len(frames) > 1:
        out.add("frames=several")
    return tuple(sorted(out))


def _contrary(code: Code, frame: Frame) -> bool:
    """The code's contrast contradicts the contrast the report states (with vs without; a
    without-then-with code fits a stated "with", CODING_RULES §2)."""
    stated = frame.contrast if frame.sources.get("contrast") not in (None, "default") else None
    if stated is None or code.contrast not in CONTRAST_CODED:
        return False
    return (code.contrast == "without") != (stated == "without")


def _both_sides_of_one(code: Code, frame: Frame) -> bool:
    """Is the code a bilateral study where the report states one side ("HIP W/PELVIS 3-4 VIEWS, LT"
    is no bilateral hip study, CODING_RULES §1)? A unilateral code fits both sides (billed per side)."""
    return code.side == "bilateral" and frame.side in ("left", "right", "unilateral") \
        and frame.sources.get("side") not in (None, "default", "inferred")


def _more_views_than_limited(code: Code, frame: Frame, rules: Code) -> bool:
    """Is the code a larger view band of the radiograph family whose smallest band the rules bill
    for a study the title calls limited and counts no views of ("XR KNEE LTD": 73560, not the complete
    73564; "SINUS (LTD)": 70210, not 70220)? CODING_RULES §4-§5: no count stated, the lowest code."""
    return "limited" in frame.quals and frame.views is None and code.views is not None \
        and rules.views is not None and code.modality == rules.modality and code.region == rules.region \
        and code.views[0] > rules.views[0]


def _region_a_qualifier_left(code: Code, frame: Frame, lex: Lexicon) -> bool:
    """Is the code of the site's plain region where a qualifier the report states moved the study to
    another (region_rules.tsv: an infant's tibia/fibula is the infant lower extremity 73592, not 73590;
    both knees standing the standing AP 73565)?"""
    plain = lex.region_for(frame.site, frame.modality) if frame.site else None
    return plain is not None and frame.region not in (None, plain) and code.region == plain


_KIN_PAIRS = frozenset((a, b) for k in _KIN for a in k for b in k)  # (a, b) of one family


def _kin(a: str, b: str) -> bool:
    return a == b or (a, b) in _KIN_PAIRS


@dataclass(frozen=True)
class _Pool:
    """What every candidate's features read of the rules' candidates and the model's top codes
    (worked out once per call of :func:`score_candidates`)."""

    probs: dict[str, float]  # code -> model probability
    ranks: dict[str, int]  # code -> rank among the rules' top RULES_K
    penalties: dict[int, float]  # id(code) -> penalty of its first candidate
    p1: float
    p2: float
    margin: float

    @classmethod
    def of(cls, cands: Sequence[Candidate], model_top: Sequence[tuple[str, float]]) -> _Pool:
        penalties: dict[int, float] = {}
        for c in cands:
            penalties.setdefault(id(c.code), c.penalty)
        return cls(dict(model_top), {c.code.code: i for i, c in enumerate(cands[:RULES_K])}, penalties,
                   model_top[0][1] if model_top else 0.0, model_top[1][1] if len(model_top) > 1 else 0.0,
                   (cands[1].penalty - cands[0].penalty) if len(cands) > 1 else 5.0)


def candidate_features(code: Code, frame: Frame | None, cands: Sequence[Candidate],
                       model_top: Sequence[tuple[str, float]]) -> tuple[tuple[float, ...], int | None]:
    return _features(code, frame, cands, model_top, _Pool.of(cands, model_top))


def _features(code: Code, frame: Frame | None, cands: Sequence[Candidate], model_top: Sequence[tuple[str, float]],
              pool: _Pool) -> tuple[tuple[float, ...], int | None]:
    """:func:`candidate_features` with the ``pool`` of ``cands`` and ``model_top``."""
    p = pool.probs.get(code.code, 0.0)
    r = pool.ranks.get(code.code)
    pen = pool.penalties.get(id(code))
    p1, p2, margin = pool.p1, pool.p2, pool.margin
    if frame is None:
        mod = reg = con = vws = 0.5
        performed = 0.0
    else:
        mod = 0.0 if frame.modality == code.modality else 0.5 if _kin(frame.modality, code.modality) else 1.0
        reg = 0.0 if frame.region == code.region else 1.0
        con = float("contrast" in frame.sources and frame.sources["contrast"] != "default"
                    and code.contrast in CONTRAST_CODED and frame.contrast is not None
                    and code.contrast != frame.contrast)
        vws = float(frame.views is not None and code.views is not None
                    and not code.views[0] <= frame.views <= code.views[1])
        performed = float("technique" in frame.sources.values())
    lp = math.log(max(p, MIN_P))
    top1 = float(bool(model_top) and model_top[0][0] == code.code)
    rtop = float(r == 0)
    rpen = min(pen, 5.0) if pen is not None else 5.0
    rmargin = min(margin, 5.0)
    x = (lp, top1, p1 - p2, rtop, float(r is not None and r > 0), rpen, rmargin, float(not cands),
         performed, mod, reg, con, vws, float(frame is None),
         top1 * rtop, lp * rtop, lp * (mod + reg + con + vws), (p1 - p2) * top1, rpen * top1, rmargin * rtop)
    return x, r


def score_candidates(frame: Frame | None, cands: Sequence[Candidate], model_top: Sequence[tuple[str, float]],
                     lex: Lexicon, combiner: Combiner | None) -> list[Scored]:
    """Every candidate of the rules (top three) and the model (top five), best first."""
    pool: dict[str, Code] = {}
    for c in cands[:RULES_K]:
        pool.setdefault(c.code.code, c.code)
    for name, _p in model_top[:MODEL_K]:
        if name in lex.codes:
            pool.setdefault(name, lex.codes[name])
    kept: list[tuple[Code, tuple[float, ...], int | None]] = []
    stated = frame is not None and frame.sources.get("modality") in _STATED_SOURCES
    shared = _Pool.of(cands, model_top)
    for code in pool.values():
        x, r = _features(code, frame, cands, model_top, shared)
        if r is None and stated and x[_MOD_CONFLICT] == 1.0:
            continue  # "MRI FOREARM": wording statistics never bill another modality than the stated one
        if r is None and x[_CONTRAST_CONFLICT] == 1.0:
            continue  # nor a contrast the report states otherwise
        if r is None and frame is not None and _both_sides_of_one(code, frame):
            continue  # nor both sides of a study the report states on one side
        if r != 0 and frame is not None and cands and _more_views_than_limited(code, frame, cands[0].code):
            continue  # nor more views than the rules' fewest for a study the title calls limited
        if r is None and frame is not None and _region_a_qualifier_left(code, frame, lex):
            continue  # nor the site's plain study where a stated qualifier chose another region
        if (r != 0 and frame is not None and _contrary(code, frame)
                and not all(_contrary(c.code, frame) for c in cands[:RULES_K])):
            # "WITH CONTRAST" never bills a without-contrast code the rules also list; the rules' own
            # choice stays a candidate: they ranked it first over the stated contrast for a qualifier
            # the title documents ("CT HEART W/O CONTRAST W/CA TEST": the calcium score 75571)
            continue
        kept.append((code, x, r))
    if not kept:
        return []
    if combiner is not None:
        scores = combiner.score_rows([x for _c, x, _r in kept])
    else:
        scores = [1.0 if r == 0 else 0.0 for _c, _x, r in kept]
    probs = shared.probs
    out = [Scored(code, s, probs.get(code.code, 0.0), x, r) for (code, x, r), s in zip(kept, scores, strict=True)]
    out.sort(key=lambda s: (-s.score, s.code.code))
    return out


def rerank(cands: list[Candidate], scored: Sequence[Scored]) -> list[Candidate]:
    """The rules' candidates reordered by the combined score; a model-only code enters with the
    reason it came from the title wording. Penalties become 1 - score (lower is better)."""
    by_code = {c.code.code: c for c in cands}
    out = []
    for s in scored:
        old = by_code.pop(s.code.code, None)
        why = list(old.reasons) if old else []
        if s.rules_rank != 0 and s is scored[0]:
            why.append(f"title wording (model p={s.p_model:.2f})")
        out.append(Candidate(s.code, round(1.0 - s.score, 4), why))
    out.extend(Candidate(c.code, round(1.0 + c.penalty, 4), c.reasons) for c in by_code.values())
    return out


def _title_side(ex: Extraction, code: Code) -> str | None:
    """The one side (left or right) a title names for a unilateral code, whatever the title says of it ("x-ray of
    the left knee four views was ordered three views obtained ...": the order's side is the exam's), or None."""
    if code.side != "unilateral":
        return None
    sides = {m.value for m in ex.mentions if m.key == "side" and m.section in ("exam", "subtitle", "ordered")
             and m.status != "negated"}
    return next(iter(sides)) if len(sides) == 1 and sides <= {"left", "right"} else None


def frame_from_code(code: Code, title: Mention, side: str | None = None) -> Frame:
    """An exam frame for a code the model billed from a title the rules could not read (``side``: the title's)."""
    f = Frame(code.modality, code.region, region=code.region)
    if side:
        f.side = side
        f.sources["side"] = "title"
    f.add("site", [title], "model")
    f.sources["modality"] = "model"
    if code.contrast in CONTRAST_CODED:
        f.contrast = code.contrast
    if code.views:
        f.views = code.views[0]
    if code.qualifier:
        f.quals.add(code.qualifier)
    return f


def report_kind(ex: Extraction) -> str:
    """"title" for a one-line title (read like a chargemaster description), "report" for a
    report with a body: each kind has its own combiner."""
    return "title" if all(s.name in TITLE_SECTIONS for s in ex.sections) else "report"


def chooser(ex: Extraction, lex: Lexicon, title_model: TitleRanker | None,
            combiners: dict[str, Combiner]) -> Chooser | None:
    """The chooser for ``map_frames`` (None when the title model is off or the report has several
    exams); a title the rules cannot read gets the model's frame when the combiner is sure."""
    title = ex.title  # found once by the extraction
    if ex.outside is not None:
        return None  # a procedure outside radiology: wording statistics propose no imaging code
    top = model_top(ex, title_model)
    if title is None or not top:
        return None
    kind = report_kind(ex)
    combiner = combiners.get(kind)
    if not ex.frames:
        scored = score_candidates(None, [], top, lex, combiner)
        if not scored or combiner is None or scored[0].score < combiner.accept:
            return None
        ex.frames = [frame_from_code(scored[0].code, title, _title_side(ex, scored[0].code))]
        ex.frame_source = "model"
    elif len(ex.frames) > 1:
        return None

    addons = _qualified_addons(lex)

    def choose(frame: Frame, cands: list[Candidate]) -> tuple[list[Candidate], HybridInfo | None]:
        scored = score_candidates(frame if ex.frame_source != "model" else None, cands, top, lex, combiner)
        # an add-on code whose qualifier the exam does not carry is not the exam's code (§3: never billed
        # alone): the wording statistics of "UGI WITH SMALL BOWEL FOLLOW THROUGH" titles do not make a lone
        # follow-through (the small bowel series) the add-on
        scored = [sc for sc in scored if sc.code.code not in addons or addons[sc.code.code] in frame.quals] or scored
        if not scored:
            return cands, None
        if cands and scored[0].code is not cands[0].code and (
                cands[0].penalty < 0 or rules_first_kept(frame, cands[0].code, scored[0].code, kind)):
            # a code the qualifiers the text states select ("VERTEBRAL FRACTURE ASSESSMENT" with the
            # DXA, in a report or in a one-line title), the contrast the technique documents, or the
            # modality the report states, is not overridden by wording statistics: the rules' choice
            # stays first
            scored = sorted(scored, key=lambda sc: sc.code is not cands[0].code)
        best = scored[0]
        info: HybridInfo = {"code": best.code.code, "score": best.score, "p_model": best.p_model,
                            "model_top": top[0][0], "p_top": top[0][1],
                            "margin": top[0][1] - (top[1][1] if len(top) > 1 else 0.0),
                            "agree": bool(cands) and cands[0].code is best.code,
                            "source": ex.frame_source, "kind": kind}
        return rerank(cands, scored), info
    return choose


def _qualified_addons(lex: Lexicon) -> dict[str, str]:
    """The add-on codes billed with a qualifier of their exam (the follow-through of an upper GI
    series, the tomosynthesis of a mammogram): code -> qualifier (read once per lexicon, kept in its
    memo as the lexicon's own selections are: the lexicon does not change)."""
    memo = lex.__dict__
    if "_qualified_addons" not in memo:
        memo["_qualified_addons"] = {r.data["code"]: r.data["when_qualifier"] for r in lex.of_type("addon")
                                     if r.data.get("when_qualifier")}
    return memo["_qualified_addons"]


def rules_first_kept(frame: Frame, rules: Code, model: Code, kind: str) -> bool:
    """Does the rules' first code stay first over the combiner's ``model`` choice: it carries the
    contrast the performed sections document, or the modality the report states where the model's
    is another? A one-line title (``kind`` "title") yields to a kindred modality of the stated one:
    its modality word is often the department's prefix ("US ABD VASCULAR FLOW" the abdominal
    duplex, "XR ... FISTULA" the fluoroscopic sinogram, "CT HEART W CN ART/GRAFTS" the coronary CTA),
    which the wording statistics read from every hospital's lines. Shared by the pipeline's chooser
    and the out-of-fold scoring of ``suggester train --title`` (title_training), so the hybrid
    measured is the one shipped."""
    if _documented_contrast(frame, rules, model):
        return True
    if not _stated_modality(frame, rules, model):
        return False
    return kind != "title" or not _kin(rules.modality, model.modality)


_PERFORMED_SOURCES = ("technique", "addendum")
_STATED_SOURCES = ("title", "technique", "stated")


def _documented_contrast(frame: Frame, rules: Code, model: Code) -> bool:
    """Does the rules' code carry the contrast the performed sections document, where the model's
    differs ("CT ARTHROGRAM RIGHT HIP" over an injection into the joint: the study is "with" what
    the title's wording usually bills; CODING_RULES §2, §6)?"""
    return frame.sources.get("contrast") in _PERFORMED_SOURCES and rules.contrast == frame.contrast \
        and model.contrast != rules.contrast


def _stated_modality(frame: Frame, rules: Code, model: Code) -> bool:
    """Is the rules' code in the modality the report states for the exam (its title or technique),
    and the model's in another of its kin ("CT MYELOGRAM ... MYELOGRAM TOTAL SPINE" over fluoroscopic
    images: a myelogram, not a spine radiograph; "CT ANGIO CHEST" over an angiography protocol: not
    a contrast CT of the chest)? Wording statistics never change the stated modality (CODING_RULES
    §6: the study performed is billed)."""
    return frame.sources.get("modality") in _STATED_SOURCES and rules.modality == frame.modality != model.modality


def model_top(ex: Extraction, title_model: TitleRanker | None) -> list[tuple[str, float]]:
    """The title model's top codes for the report's title, read with the rules' attributes."""
    if title_model is None or ex.title is None:
        return []
    return title_model.top(ex.title.text, MODEL_K, title_attributes(ex.mentions, ex.frames, ex.title))


def order_lines(lines: list[Line], top: Sequence[tuple[str, float]]) -> list[Line]:
    """Several billed lines: the exam the title wording names most likely comes first ("IVP W/WO
    KUB": the urogram before the scout film; the model's probability ``top``, ties keep the rules'
    order); the code set stays the rules', add-on lines stay after the primary codes, except an
    add-on or split service whose service the title names (``Line.named``: tomosynthesis,
    nuchal translucency), which leads."""
    probs = dict(top)
    primary = [ln for ln in lines if ln.origin != "addon" and not ln.named]
    if len(lines) < 2 or not any(ln.code.code in probs for ln in primary):
        return lines
    order = {id(ln): i for i, ln in enumerate(primary)}
    primary.sort(key=lambda ln: (-probs.get(ln.code.code, 0.0), order[id(ln)]))
    named = [ln for ln in lines if ln.named]
    return named + primary + [ln for ln in lines if ln.origin == "addon" and not ln.named]
