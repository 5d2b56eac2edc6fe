"""Stage 6: confidence of each suggested code line, and of the report.

**Trained model** (``models/confidence/{model.skops, meta.json}``, built by ``suggester train``,
see :mod:`suggester.training`): gradient-boosted shallow trees with monotone constraints, calibrated with
``CalibratedClassifierCV`` (sigmoid, grouped folds), turns the cheap per-line features of
:func:`line_features` into the probability that the line is a correct claim line (code, units
and laterality/payment modifiers as a coder bills them). The model is loaded with skops,
allowing only the types in ``TRUSTED_TYPES`` (skops >= 0.12); ``meta.json`` records the
package, scikit-learn and lexicon versions, the feature names and the sha256 of the model files,
and is sealed by the sha256 of its own content (``meta_sha256``), so every file the model is
read from is covered by a verified hash. :class:`ConfidenceModel` refuses
(``ConfidenceModelError``, codes ``S1xx``) a model whose files or metadata do not match; a
missing model is an error too (``S101``): the rule score is used only when asked for
(``confidence_model="rules"``, ``--confidence rules``), never silently. A model trained before the
extraction modules or lexicon files changed loads with a warning (``S002``).

**Report confidence** is the probability that the report is billed right (every line right and
no exam missed). The model is trained on that target: each line of a report is labelled with its
report's exactness, so a line whose report misses an exam or whose sibling line is wrong learns
to look doubtful (on the dev split, grouped CV, this ranks reports better than labelling lines
on their own: AUC about 0.81 vs 0.79). A line's probability is therefore that of its report
being exact as seen from that line, and the report confidence is the lowest of them. With the
rule score (``--confidence rules``) the same minimum is used.

**Review reasons.** When a report goes to review and a line's code is uncertain although its
family is clear (the frame came from the report and the candidates share its modality and
region), :func:`review_reason` names the exam and the attribute in doubt: ``"CT
abdomen+pelvis: contrast unclear"``.

**Rule score** (the fallback) starts from 0.97 and multiplies a factor per weakness of the
evidence:

====================================  =======
evidence                              factor
====================================  =======
modality inferred, not stated         0.85
contrast defaulted (CT/MR code)       0.80
views defaulted (radiograph code)     0.60
side missing on a unilateral code     0.85
a fuzzy (misspelled) match            0.90
a title/technique conflict            0.85
runner-up within 0.5 penalty          0.75
runner-up within 1.5 penalty          0.90
qualifier chosen by default           0.85
add-on or rule-made line              0.95
====================================  =======

**Features** (all floats, cheap: no second pass over the text). Per attribute (modality, site,
contrast, views, side): where its evidence was found (title, technique/contrast/views
sections, narrative text; or nothing: defaulted/inferred), whether a mention was fuzzy
(misspelled) or an abbreviation, how many mentions; conflicts between title and technique (per
attribute); the number of candidate codes, the winner's penalty, the margin to the runner-up,
how many candidates are within 0.5 / 1.5 of it and in which attribute the runner-up differs;
whether contrast and views were documented and what the code needs; frames and lines in the
report, where the frames came from, title anatomy left unused, negated/historical mentions;
the code family (one-hot); the line's origin; the report length (bucket). Version 4 adds the
report's flags (per type, from :mod:`suggester.flags`), where the frame's contrast, views, side
and site came from (title, technique, addendum, default), the title model's top probability and
whether it read a one-line title or a report, how many families and regions the top three
candidates span and the gap to the third, text modifiers planned for the line (52, 76, 59...),
and how the text is written (lines, title length, share of fuzzy and parenthesised mentions).
Version 7 (issue 12) compares the title with the technique, addendum and body per attribute
(contrast, views, side; :func:`title_body`): whether they disagree, whether the line's code bills
the title's value or the body's, whether the rules left the disagreement unrecorded (no conflict
on the frame), contrast the technique withdraws, a title region the technique says was not
imaged, an order line in the text that disagrees with the title. Version 9 (issue 12) adds a second,
independent reader: the text model (:mod:`suggester.text_model`, word TF-IDF and one regression per
code, stored beside the model as ``text.npz``) reads the whole report, and the features are its
disagreement with the rules' codes (its probability of this line's code, the lowest of any billed
code, the highest of a code not billed, whether its top code is billed). Rules that go wrong on
unusual text go wrong confidently; the text model does not share their mistakes.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import warnings
import zipfile
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from operator import itemgetter
from pathlib import Path
from typing import Any

from .attributes import NUM_WORDS
from .frames import contrast_value, said_undone, views_value
from .lexicon import VARIANT_KEYS
from .model import Extraction, Line, Mention
from .scan import (
    count_matches,
    each_literals,
    find_matches,
    find_matches_each,
    fold_word,
    may_match,
)
from .textview import low_of

BASE = 0.97

# ---------------------------------------------------------------------------- coded messages
W_MODEL_MISSING = "S001"  # retired: a missing model is now the error S101 (never a silent fallback)
W_MODEL_STALE = "S002"
E_MODEL_FILES = "S101"
E_MODEL_VERSION = "S102"
E_MODEL_FEATURES = "S103"
E_MODEL_INTEGRITY = "S104"
E_MODEL_TYPES = "S105"

MODEL_SCHEMA = "suggester-confidence/1"
MODEL_FILE = "model.skops"
FAST_FILE = "model.fast.npz"  # the compiled trees (numpy arrays), written beside the skops file
TEXT_FILE = "text.npz"  # the text model whose reading features version 9 compares (suggester.text_model)
META_FILE = "meta.json"
MODEL_NAME = "confidence"

# every type the confidence model may contain; anything else in the file refuses to load
TRUSTED_TYPES = (
    "builtins.slice",
    "numpy.dtype",
    "numpy.ndarray",
    "numpy.float64",
    "numpy.int64",
    "numpy.random.mtrand.RandomState",
    "sklearn.calibration.CalibratedClassifierCV",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
    "sklearn.isotonic.IsotonicRegression",
    "sklearn.ensemble._hist_gradient_boosting.binning._BinMapper",
    "sklearn.ensemble._hist_gradient_boosting.gradient_boosting.HistGradientBoostingClassifier",
    "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
    "sklearn._loss.link.Interval",
    "sklearn._loss.link.LogitLink",
    "sklearn._loss.loss.HalfBinomialLoss",
    "sklearn._loss._loss.CyHalfBinomialLoss",
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.pipeline.Pipeline",
    "sklearn.preprocessing._data.StandardScaler",
    "sklearn.frozen._frozen.FrozenEstimator",
    "sklearn.ensemble._forest.RandomForestClassifier",
    "sklearn.tree._classes.DecisionTreeClassifier",
    "sklearn.tree._tree.Tree",
)


class SuggesterWarning(UserWarning):
    """A coded warning of the suggester (filter with ``warnings.filterwarnings``)."""


class ConfidenceModelError(RuntimeError):
    """The confidence model cannot be used with this code; the message starts with its code."""

    def __init__(self, code: str, message: str):
        super().__init__(f"[{code}] {message}")
        self.code = code


# ---------------------------------------------------------------------------- features

FAMILIES = ("xr", "ct", "cta", "mr", "mra", "us", "duplex", "mammo", "dxa", "nm", "pet", "fl",
            "guidance", "post")
EVIDENCE_ATTRS = ("modality", "site", "contrast", "views", "side")
SECTION_GROUPS = {"exam": "title", "subtitle": "title", "ordered": "title",
                  "technique": "technique", "contrast": "technique", "views": "technique"}
CONFLICT_ATTRS = ("contrast", "views", "side", "qualifier", "complete", "region", "modality")
FRAME_SOURCES = ("exam", "technique", "body", "model")
# bump when a feature's meaning changes: the model fingerprint covers this number and the source of
# the feature functions (not the lexicons: a data-only change needs no retrain)
FEATURES_VERSION = 9
# the report flags counted as features (suggester/flags.py), and the (attribute, source) pairs of
# a frame that vary in practice (frames.py: stated, title, technique, default, inferred, addendum)
FLAG_TYPES = ("title_technique_conflict", "performed_differs_from_ordered", "views_not_documented",
              "complete_exam_elements_missing", "contrast_agent_not_documented", "laterality_missing",
              "indication_unclear", "bundling_conflict", "modifier_review", "cta_reconstruction_not_documented")
SOURCE_FEATURES = (("contrast", "technique"), ("contrast", "title"), ("contrast", "addendum"),
                   ("side", "technique"), ("side", "title"), ("views", "technique"), ("views", "title"),
                   ("views", "addendum"), ("site", "default"))
LENGTH_BUCKETS = (400, 900, 1600)  # characters: <400, <900, <1600, >=1600
ORIGINS = ("frame", "addon", "rule")
_CONTRAST_CODED = ("with", "without", "without_then_with")
# words that say the performed exam departs from the title or the order ("pelvis only",
# "no lateral view was obtained", "instead", "rather than")
DEVIATION_RX = re.compile(
    r"\b(?:only|instead|rather than|not (?:performed|obtained|done|acquired|imaged|examined|included|scanned|"
    r"administered|given|visualized)|was not|were not|omitted|deferred|cancel+ed|limited to|changed to|"
    r"converted|declined|refused|unable|could not|did not|however|but)\b", re.IGNORECASE)
# words that name views or contrast in the technique, found or not by the attribute pipeline
# (a technique that talks about views while the views came from the title is a hidden conflict)
VIEW_WORD_RX = re.compile(r"\b(?:views?|projections?|images?|radiographs?|films?)\b", re.IGNORECASE)
CONTRAST_WORD_RX = re.compile(r"\b(?:contrast|gadolinium|gadavist|dotarem|omnipaque|isovue|visipaque|"
                              r"intravenous|iv|intrathecal|intra-articular|arthrogra\w*)\b", re.IGNORECASE)
# words that explain a change of plan in the technique ("because", "therefore", "proceeded")
EXPLANATION_RX = re.compile(
    r"\b(?:because|therefore|thus|due to|proceeded|protocol+ed|stopped|unsuccessful|failed|withheld|"
    r"extravasat\w*|not required|also|additional(?:ly)?|subsequently|followed by|after discussion|"
    r"per (?:the )?(?:radiologist|request)|at the request)\b", re.IGNORECASE)
# features version 5: a title that names several exams ("CT CHEST; CT ABDOMEN", "... AND PELVIS
# US", an "EXAMS:" header) against the exams billed, and a title that names no modality or anatomy
# ("OUTSIDE FACILITY REPORT", "ED PRELIM")
TITLE_JOINER_RX = re.compile(r";|\+|&|\band\b|\bwith\b(?=\s+(?:ct|mri?|us|xr|x-ray|ultrasound|nm|pet)\b)",
                             re.IGNORECASE)
EXAMS_HEADER_RX = re.compile(r"^[ \t]*(?:exams|procedures|studies)[ \t]*:", re.IGNORECASE | re.MULTILINE)
HEADER_SPAN = 2000  # characters at the top of a report searched for an "EXAMS:" header
# features version 6: what the whole text says against the codes: view counts it states ("4V",
# "2 views"; a comparison "OSH CXR 1V" too), the other side named, a contrast agent named over a
# code without contrast, an addendum
_NUMBER_WORDS = ("one", "two", "three", "four", "five", "six", "single")  # a view count's words (attributes.NUM_WORDS)
_VIEW_UNIT = r"(?:vws?|v|views?|projections?)"
VIEW_COUNT_RX = re.compile(rf"\b(\d{{1,2}}|{'|'.join(_NUMBER_WORDS)})[ \t-]*{_VIEW_UNIT}\b", re.IGNORECASE)
SIDE_WORD_RX = re.compile(r"\b(?:(left|lt)|(right|rt))\b", re.IGNORECASE)
AGENT_RX = re.compile(r"\b(?:isovue\w*|omnipaque|visipaque|optiray|ultravist|iohexol|iopamidol|iodixanol|gad\w*|"
                      r"dotarem|multihance|eovist|prohance|magnevist|clariscan|intrathecal\w*|myelogra\w*|"
                      r"arthrogra\w*|intra-articular)\b", re.IGNORECASE)
# the cue patterns report_context counts in the technique text and in the whole text
_TECHNIQUE_RXS = (DEVIATION_RX, EXPLANATION_RX, VIEW_WORD_RX, CONTRAST_WORD_RX)
_TEXT_RXS = (DEVIATION_RX, SIDE_WORD_RX, AGENT_RX)
LITERALS = each_literals(_TEXT_RXS)  # the words report_context finds in a shared view (suggester.textview)
# features version 7: the attributes whose title and body values are compared (title_body)
TB_ATTRS = ("contrast", "views", "side")
_TITLE_SECTIONS = ("exam", "subtitle")
_BODY_SECTIONS = ("technique", "contrast", "views", "addendum")
_LR = ("left", "right")
_NO_VARIANTS = (0, *(False for _ in VARIANT_KEYS[1:]))
_VARIANT_NAMES = tuple(f"variant_{k}" for k in VARIANT_KEYS)
TEXT_FEATURES = ("text_ran", "text_code_known", "text_p_code", "text_min_billed", "text_max_other",
                 "text_top_billed")
TEXT_NEUTRAL = 0.5  # the text probability of a code the text model has no regression for
RULE_FEATURES = ("modality_inferred", "contrast_defaulted", "views_defaulted", "side_missing", "fuzzy",
                 "conflict", "margin", "default_qualifier", "derived", "n_frames")


def _names() -> tuple[str, ...]:
    out = list(RULE_FEATURES)
    for a in EVIDENCE_ATTRS:
        out += [f"{a}_in_title", f"{a}_in_technique", f"{a}_in_narrative", f"{a}_absent",
                f"{a}_fuzzy", f"{a}_abbrev", f"{a}_n"]
    out += ["qual_n", "qual_fuzzy", "qual_in_technique"]
    out += ["contrast_documented", "views_documented", "side_documented",
            "code_contrast_coded", "code_has_views", "code_unilateral", "code_qualified"]
    out += ["n_conflicts"] + [f"conflict_{a}" for a in CONFLICT_ATTRS]
    out += ["n_candidates", "best_penalty", "n_within_05", "n_within_15",
            "runner_up_contrast", "runner_up_views", "runner_up_side", "runner_up_qualifier"]
    out += ["n_lines", "frame_fuzzy", "elements_missing", "multiplicity",
            "n_negated", "n_historical", "n_modalities", "unused_title_sites",
            "unused_title_modality", "unused_title_qual", "unused_title_views",
            "site_confirmed", "site_in_technique_confirmed", "modality_confirmed",
            "technique_other_sites", "technique_other_modalities", "narrative_other_sites", "title_sites",
            "technique_deviation_cues", "text_deviation_cues", "technique_explanation_cues", "technique_length",
            "technique_view_words", "technique_contrast_words",
            "n_sections", "has_technique_section"]
    out += [f"source_{s}" for s in FRAME_SOURCES] + ["source_other"]
    out += [f"length_lt_{b}" for b in LENGTH_BUCKETS] + [f"length_ge_{LENGTH_BUCKETS[-1]}", "log_length"]
    out += [f"origin_{o}" for o in ORIGINS]
    out += [f"family_{f}" for f in FAMILIES] + ["family_other"]
    # how unusual the text is, and what the learned title model thinks (hybrid stage)
    out += ["noise_n", "noise_kinds", "title_unknown", "title_words", "addendum_changed",
            "model_ran", "model_p", "model_agree", "model_margin", "hybrid_score", "hybrid_changed"]
    # features version 4: the report's flags, where each attribute's value came from, how far the
    # other candidates are (family, region, the third one), text modifiers, how the text is written
    out += [f"flag_{t}" for t in FLAG_TYPES] + ["n_flags"]
    out += [f"src_{a}_{v}" for a, v in SOURCE_FEATURES]
    out += ["model_p_top", "model_kind_report", "cand_families3", "cand_regions3", "gap2", "ru_family_diff",
            "ru_region_diff", "code_rank", "n_lines_same_family", "text_modifiers", "text_lines", "title_len",
            "n_mentions", "fuzzy_share", "paren_share"]
    # features version 5: how many exams the title names against the exams billed; a title without
    # modality or anatomy; where this line's exam was found
    out += ["title_joiners", "exams_header", "title_modalities", "title_modalities_unbilled",
            "title_exams_minus_frames", "title_no_modality", "title_no_site", "no_title",
            "line_modality_not_in_title", "frames_outside_title"]
    # features version 6: the whole text against the codes
    out += ["view_counts_named", "view_counts_off_code", "opposite_side_words", "both_sides_named",
            "agent_words", "agent_code_without", "has_addendum"]
    # features version 7: the title (or an order line in the text) against the technique, addendum
    # and body, per attribute, read from the mentions whatever the rules resolved: whether they
    # disagree, whether this line's code follows the title's value or the body's, and whether the
    # rules left the disagreement unrecorded (no conflict on the frame)
    for a in TB_ATTRS:
        out += [f"tb_{a}_disagree", f"tb_{a}_follows_title", f"tb_{a}_follows_body", f"tb_{a}_unresolved"]
    out += ["tb_contrast_negated", "tb_site_undone", "tb_site_follows_title", "tb_order_line_disagree",
            "tb_n_disagree", "tb_n_unresolved"]
    # features version 8: the code's variants in the code table (Lexicon.code_variants): how many
    # codes share its modality and region, and whether one differs in a single attribute (a
    # qualifier slip such as 78226 / 78227 or 71045 / 71046 lands on one)
    out += [f"variant_{k}" for k in VARIANT_KEYS]
    # features version 9: a second, independent reader of the whole text (suggester.text_model)
    # against the rules' codes: the probability it gives this line's code, the lowest it gives a
    # billed code, the highest it gives a code not billed, whether its top code is billed
    out += list(TEXT_FEATURES)
    return tuple(out)


FEATURE_NAMES: tuple[str, ...] = _names()
_FEATURE_ROW = itemgetter(*FEATURE_NAMES)  # a feature dict -> its values in FEATURE_NAMES order

# Monotone constraints of the trained model (+1: more of it never lowers the probability,
# -1: never raises it). They encode "stronger evidence, higher confidence".
MONOTONE: dict[str, int] = {
    "margin": 1, "contrast_documented": 1, "views_documented": 1, "side_documented": 1,
    "fuzzy": -1, "conflict": -1, "n_conflicts": -1, "contrast_defaulted": -1,
    "views_defaulted": -1, "side_missing": -1, "default_qualifier": -1, "modality_inferred": -1,
    **{f"conflict_{a}": -1 for a in CONFLICT_ATTRS},
    **{f"{a}_fuzzy": -1 for a in EVIDENCE_ATTRS},
    "qual_fuzzy": -1, "frame_fuzzy": -1,
    "text_p_code": 1, "text_min_billed": 1, "text_max_other": -1,
}


def features(line: Line, n_frames: int) -> dict[str, float]:
    """The rule-score features of one line (a subset of :func:`line_features`)."""
    return dict(zip(RULE_FEATURES, _rule_values(line, n_frames), strict=True))


def _rule_values(line: Line, n_frames: int) -> tuple[float, ...]:
    """The values of :data:`RULE_FEATURES` for one line, in their order."""
    f = line.frame
    src = f.sources if f else {}
    code = line.code
    return (
        float(src.get("modality") == "inferred"),  # modality_inferred
        float(code.contrast in _CONTRAST_CODED and src.get("contrast", "default") == "default"),  # contrast_defaulted
        float(bool(code.views) and src.get("views", "default") == "default"),  # views_defaulted
        float(code.unilateral and (f is None or f.side in (None, "unilateral"))),  # side_missing
        float(bool(f and f.fuzzy)),  # fuzzy
        float(bool(f and f.conflicts)),  # conflict
        min(line.margin, 9.0),  # margin
        float(bool(line.candidates) and any(r.startswith("default ") for r in line.candidates[0].reasons)),  # default_qualifier
        float(line.origin != "frame"),  # derived
        float(n_frames),  # n_frames
    )


_INDEX: dict[str, int] = {n: i for i, n in enumerate(FEATURE_NAMES)}


class FeatureRow(Mapping[str, float]):
    """The features of one line: their values in :data:`FEATURE_NAMES` order (``row``, the
    model's row as it is), read by name like a dict."""

    __slots__ = ("row",)

    def __init__(self, values: list[float]):
        if len(values) != len(FEATURE_NAMES):
            raise ValueError(f"a feature row holds {len(FEATURE_NAMES)} values, not {len(values)}")
        self.row = values

    def __getitem__(self, name: str) -> float:
        return self.row[_INDEX[name]]

    def __iter__(self):
        return iter(FEATURE_NAMES)

    def __len__(self) -> int:
        return len(FEATURE_NAMES)

    def __repr__(self) -> str:
        return f"FeatureRow({dict(self)!r})"


def _block(*names: str) -> slice:
    """Where the features ``names`` (consecutive in :data:`FEATURE_NAMES`) sit in a row."""
    at = _INDEX[names[0]]
    if FEATURE_NAMES[at:at + len(names)] != names:
        raise ValueError(f"features {names} are not consecutive in FEATURE_NAMES")
    return slice(at, at + len(names))


@dataclass(frozen=True)
class ReportContext:
    """Report-level facts shared by the features of every line of one report."""

    n_frames: int
    n_lines: int
    text_length: int
    n_sections: int
    has_technique_section: bool
    frame_source: str | None
    n_negated: int
    n_historical: int
    n_modalities: int
    unused_title_sites: int
    unused_title_keys: frozenset = frozenset()  # keys of title mentions no frame used as evidence
    title_sites: int = 0
    technique_sites: frozenset = frozenset()
    technique_modalities: frozenset = frozenset()
    narrative_sites: frozenset = frozenset()
    frame_sites: frozenset = frozenset()
    frame_modalities: frozenset = frozenset()
    technique_deviation_cues: int = 0
    text_deviation_cues: int = 0
    technique_explanation_cues: int = 0
    technique_length: int = 0
    technique_view_words: int = 0
    technique_contrast_words: int = 0
    noise_n: int = 0
    noise_kinds: int = 0
    title_unknown: float = 0.0
    title_words: int = 0
    flag_counts: tuple[int, ...] = (0,) * len(FLAG_TYPES)  # per FLAG_TYPES
    n_flags: int = 0
    text_modifiers: tuple[tuple[int, int], ...] = ()  # (id(line), text modifiers planned: 52, 76, 59, ...)
    line_families: tuple[str, ...] = ()  # the code family of every line
    text_lines: int = 0
    title_len: int = 0
    n_mentions: int = 0
    fuzzy_share: float = 0.0
    paren_share: float = 0.0
    title_joiners: int = 0
    exams_header: bool = False
    title_modalities: frozenset = frozenset()  # base modalities named in the title
    title_modality_mentions: int = 0
    title_sites_any: bool = False
    has_title: bool = False
    frames_outside_title: int = 0  # frames whose modality was not read in the title
    view_counts: frozenset = frozenset()  # view counts the text states ("4V", "two views")
    side_words: tuple[int, int] = (0, 0)  # (left, right) words in the text
    agent_words: int = 0  # contrast agents, intrathecal / arthrogram words in the text
    has_addendum: bool = False
    title_body: TitleBody | None = None  # the title against the technique / addendum / body
    variants: Mapping[str, tuple] = field(default_factory=dict)  # Lexicon.code_variants
    text_reading: TextReading | None = None  # the text model against the billed codes


@dataclass(frozen=True)
class TextReading:
    """What the text model (:mod:`suggester.text_model`) says of a report's billed codes."""

    p_billed: Mapping[str, float]  # {billed code it has a regression for: its probability}
    min_billed: float  # the lowest of them (TEXT_NEUTRAL when none)
    max_other: float  # the highest probability of a code not billed
    top_billed: bool  # its most probable code is billed


def text_reading(codes: Sequence[str], probs, billed: Iterable[str],
                 index: Mapping[str, int] | None = None) -> TextReading:
    """The text model's probabilities ``probs`` (one per code of ``codes``) against the
    ``billed`` codes; ``index``: {code: its place in ``codes``} (the model's own, or built here)."""
    import numpy as np

    at = {c: i for i, c in enumerate(codes)} if index is None else index
    p = np.asarray(probs, dtype=np.float64)
    if len(p) != len(codes):
        raise ValueError(f"{len(p)} probabilities for {len(codes)} codes")
    places = {c: at[c] for c in set(billed) if c in at}
    mine = {c: float(p[i]) for c, i in places.items()}
    if len(places) == len(p):
        max_other = 0.0
    else:
        others = p.copy()
        others[list(places.values())] = -np.inf
        max_other = float(others.max())
    top = int(p.argmax()) if len(p) else None
    return TextReading(mine, min(mine.values(), default=TEXT_NEUTRAL), max_other,
                       top is not None and codes[top] in mine)


@dataclass(frozen=True)
class TitleBody:
    """What the title (exam and subtitle lines) and the technique, addendum and body each say of
    contrast, views and side, read from the mentions whatever the rules resolved; None: not said."""

    title: tuple[str | int | None, ...]  # per TB_ATTRS
    body: tuple[str | int | None, ...]  # per TB_ATTRS
    contrast_negated: bool = False  # the technique withdraws the contrast ("was not administered")
    undone_sites: frozenset = frozenset()  # title sites the technique / addendum says were not imaged
    order_line_disagree: int = 0  # attributes an order line in the text states otherwise than the title

    def disagree(self, i: int) -> bool:
        t, b = self.title[i], self.body[i]
        return t is not None and b is not None and t != b


def _side_of(ms: list[Mention]) -> str | None:
    vals = {m.value for m in ms if m.key == "side" and m.status == "performed"} & {"left", "right", "bilateral"}
    if not vals:
        return None
    return "bilateral" if "bilateral" in vals or set(_LR) <= vals else vals.pop()


def _tb_values(ms: list[Mention], text: str) -> tuple[str | int | None, ...]:
    live = [m for m in ms if m.status != "historical"]
    return (contrast_value([m for m in live if m.key == "contrast"]),
            views_value([m for m in live if m.key in ("views", "proj")], text),
            _side_of(live))


def title_body(ex: Extraction) -> TitleBody | None:
    """The title's contrast / views / side against the technique's, the addendum's and (for the
    side) the body's: the raw material of the disagreement features (CODING_RULES §6: the code
    follows the performed study; a disagreement the rules did not record is a risk)."""
    title = [m for m in ex.mentions if m.section in _TITLE_SECTIONS]
    if not title:
        return None
    body = [m for m in ex.mentions if m.section in _BODY_SECTIONS]
    tv = _tb_values(title, ex.text)
    bv = list(_tb_values(body, ex.text))
    if bv[2] is None:
        # the side the findings name when the technique is silent (both sides there: a comparison)
        narr = _side_of([m for m in ex.mentions if m.section in ("body", "findings", "impression")])
        bv[2] = narr if narr in _LR else None
    # "abdomen_pelvis" holds the pelvis an undone statement names
    title_sites = {x for m in title if m.key == "site" and m.status == "performed" for x in (m.value, *m.value.split("_"))}
    order = [m for m in ex.mentions if m.section == "ordered"]
    ov = _tb_values(order, ex.text) if order else (None,) * len(TB_ATTRS)
    return TitleBody(
        title=tv, body=tuple(bv),
        contrast_negated=tv[0] in ("with", "without_then_with") and any(
            m.key == "contrast" and m.value == "with" and m.status == "negated" for m in body),
        undone_sites=frozenset(m.value for m in body if m.key == "site" and m.status == "negated"
                               and m.value in title_sites and said_undone(m, ex.text)),
        order_line_disagree=sum(1 for t, o in zip(tv, ov, strict=True) if t is not None and o is not None and t != o),
    )


def report_context(ex: Extraction, lines: Sequence[Line], flags: Sequence[Mapping[str, Any]] = (),
                   plan: dict | None = None, *, variants: Mapping[str, tuple],
                   reading: TextReading | None = None) -> ReportContext:
    """Collect the report-level facts from an extraction, the report's ``flags``, its text
    modifier ``plan`` (:func:`suggester.modifiers.plan_text_modifiers`, keyed by ``id(line)``),
    the code table's ``variants`` (:meth:`suggester.lexicon.Lexicon.code_variants`) and the text
    model's reading of the billed codes (:func:`text_reading`)."""
    mentions, frames, sections, text = ex.mentions, ex.frames, ex.sections, ex.text
    used = {(m.start, m.end) for f in frames for ms in f.evidence.values() for m in ms}
    mf = _mention_facts(mentions, used)
    technique = " ".join(text[s.start:s.end] for s in sections
                         if s.name in ("technique", "contrast", "views", "addendum"))
    title_text = text[ex.title.start:ex.title.end] if ex.title is not None else ""

    # the cue words of the technique and of the whole text, each text read in one pass
    t_dev, t_expl, t_views, t_contrast = find_matches_each(_TECHNIQUE_RXS, technique)
    dev, sides, agents = find_matches_each(_TEXT_RXS, text, ex.view)
    low = low_of(text, ex.view)  # the report's folded copy, when its view holds it (else None)

    return ReportContext(
        n_frames=len(frames), n_lines=len(lines), text_length=len(text),
        n_sections=len(sections),
        has_technique_section=any(s.name in ("technique", "contrast", "views") for s in sections),
        frame_source=ex.frame_source,
        n_negated=mf.n_negated,
        n_historical=mf.n_historical,
        n_modalities=len(mf.modalities),
        unused_title_sites=len(mf.unused_title_sites),
        unused_title_keys=frozenset(mf.unused_title_keys),
        title_sites=mf.title_sites,
        technique_sites=frozenset(mf.technique_sites),
        technique_modalities=frozenset(mf.technique_modalities),
        narrative_sites=frozenset(mf.narrative_sites),
        frame_sites=frozenset(x for f in frames for x in _frame_sites(f)),
        frame_modalities=frozenset(_base_modality(f.modality) for f in frames),
        technique_deviation_cues=len(t_dev),
        text_deviation_cues=len(dev),
        technique_explanation_cues=len(t_expl),
        technique_length=len(technique),
        technique_view_words=len(t_views),
        technique_contrast_words=len(t_contrast),
        noise_n=len(ex.noise),
        noise_kinds=len({n.kind for n in ex.noise}),
        title_unknown=float(ex.title_unknown),
        title_words=ex.title_words,
        flag_counts=tuple(sum(f.get("type") == t for f in flags) for t in FLAG_TYPES),
        n_flags=len(flags),
        text_modifiers=tuple((id(ln), len(plan[id(ln)])) for ln in lines if plan and plan.get(id(ln))),
        line_families=tuple(ln.code.family for ln in lines),
        text_lines=text.count("\n") + 1,
        title_len=(ex.title.end - ex.title.start) if ex.title is not None else 0,
        n_mentions=len(mentions),
        fuzzy_share=sum(m.fuzzy for m in mentions) / max(1, len(mentions)),
        paren_share=sum(m.paren for m in mentions) / max(1, len(mentions)),
        title_joiners=count_matches(TITLE_JOINER_RX, title_text),
        exams_header=may_match(EXAMS_HEADER_RX, low, 0, HEADER_SPAN) and EXAMS_HEADER_RX.search(text, 0, HEADER_SPAN) is not None,
        title_modalities=frozenset(mf.title_modalities),
        title_modality_mentions=mf.title_modality_mentions,
        title_sites_any=mf.title_sites_any,
        has_title=ex.title is not None or mf.title_mentions > 0,
        frames_outside_title=sum(1 for f in frames if not any(
            m.section in ("exam", "subtitle") for m in f.evidence.get("modality", []))),
        view_counts=frozenset(map(_view_count, {m.group(1) for m in find_matches(VIEW_COUNT_RX, text, _view_count_starts, low)})),
        side_words=_side_words(sides),
        agent_words=len(agents),
        has_addendum=any(s.name == "addendum" for s in sections),
        title_body=title_body(ex),
        variants=variants,
        text_reading=reading,
    )


class _MentionFacts:
    """What :func:`report_context` counts over a report's mentions, read in one pass."""

    __slots__ = ("modalities", "n_historical", "n_negated", "narrative_sites", "technique_modalities",
                 "technique_sites", "title_mentions", "title_modalities", "title_modality_mentions",
                 "title_sites", "title_sites_any", "unused_title_keys", "unused_title_sites")

    def __init__(self) -> None:
        self.n_negated = self.n_historical = self.title_sites = self.title_mentions = 0
        self.title_modality_mentions = 0
        self.title_sites_any = False
        self.modalities: set[str] = set()  # performed modalities anywhere
        self.unused_title_sites: set[str] = set()  # performed title sites no frame used as evidence
        self.unused_title_keys: set[str] = set()  # keys of performed title mentions no frame used
        self.technique_sites: set[str] = set()
        self.technique_modalities: set[str | None] = set()  # base modalities
        self.narrative_sites: set[str] = set()
        self.title_modalities: set[str | None] = set()  # base modalities of the first title line


def _mention_facts(mentions: Sequence[Mention], used: set[tuple[int, int]]) -> _MentionFacts:
    """One pass over ``mentions``; ``used``: the (start, end) of every frame's evidence."""
    mf = _MentionFacts()
    for m in mentions:
        status = m.status
        if status != "performed":
            if status == "negated":
                mf.n_negated += 1
            elif status == "historical":
                mf.n_historical += 1
            continue
        key, section = m.key, m.section
        if section in _TITLE_SECTIONS:
            if (m.start, m.end) not in used:
                mf.unused_title_keys.add(key)
                if key == "site":
                    mf.unused_title_sites.add(m.value)
            if key == "site":
                mf.title_sites += 1
            if section == "exam":  # the first line only (not the subtitle)
                mf.title_mentions += 1
                if key == "modality":
                    mf.title_modalities.add(_base_modality(m.value))
                    mf.title_modality_mentions += 1
                elif key == "site":
                    mf.title_sites_any = True
        if key == "modality":
            mf.modalities.add(m.value)
            if SECTION_GROUPS.get(section, "narrative") == "technique":
                mf.technique_modalities.add(_base_modality(m.value))
        elif key == "site":
            group = SECTION_GROUPS.get(section, "narrative")
            if group == "technique":
                mf.technique_sites.add(m.value)
            elif group == "narrative":
                mf.narrative_sites.add(m.value)
    return mf


def _view_count(word: str) -> int:
    return int(word) if word.isdigit() else NUM_WORDS[fold_word(word)]  # the view component's words


# where a VIEW_COUNT_RX match can start in lower-cased ASCII text, found from its view word (which
# no earlier view-word match can hold: they hold none of the digits, blanks, dashes or number
# words before it): back over the blanks and dashes, the start of the digit run or of the number
# word that ends there
_VIEW_UNIT_RX = re.compile(_VIEW_UNIT + r"\b")  # VIEW_COUNT_RX's view word
# ... found as two patterns that each open with one letter, which the search skips to at C speed
# (a pattern opening with one of several letters is tried at every character; no view word holds
# the first letter of another, so the two give the starts the one gives)
_VIEW_UNIT_BY_LETTER = (re.compile(r"v(?:ws?|iews?)?\b"), re.compile(r"projections?\b"))


def _view_count_starts(low: str) -> list[int]:
    out = set()
    for j in (m.start() for rx in _VIEW_UNIT_BY_LETTER for m in rx.finditer(low)):
        while j and low[j - 1] in " \t-":
            j -= 1
        k = j
        while k and "0" <= low[k - 1] <= "9":
            k -= 1
        if k < j:
            out.add(k)
        out.update(j - len(w) for w in _NUMBER_WORDS if low.endswith(w, 0, j))
    return sorted(out)


def _side_words(matches: Iterable[re.Match]) -> tuple[int, int]:
    """(left, right) words among the matches of SIDE_WORD_RX."""
    left = right = 0
    for m in matches:
        left += m.group(1) is not None
        right += m.group(2) is not None
    return left, right


_BASE_MODALITY: dict[str | None, str | None] = {"CTA": "CT", "MRA": "MR", "DUPLEX": "US"}


def _base_modality(m: str | None) -> str | None:
    return _BASE_MODALITY.get(m, m)


def _frame_sites(f) -> set[str]:
    return {f.site, *(m.value for m in f.evidence.get("site", []))}


def _abbrev(text: str) -> bool:
    """At most 4 letters, or a slash or a full stop."""
    return len(text) <= 4 or "/" in text or "." in text or sum(map(str.isalpha, text)) <= 4


# where line_features puts its values in a row, spelled once (checked against _names() at import)
_RULE_BLOCK = _block(*RULE_FEATURES)
_EVIDENCE_BLOCKS = tuple(_block(f"{a}_in_title", f"{a}_in_technique", f"{a}_in_narrative", f"{a}_absent",
                                f"{a}_fuzzy", f"{a}_abbrev", f"{a}_n") for a in EVIDENCE_ATTRS)
_NO_EVIDENCE = (0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0)  # (the values of an attribute without evidence)
_QUAL_BLOCK = _block("qual_n", "qual_fuzzy", "qual_in_technique", "contrast_documented", "views_documented",
                     "side_documented", "code_contrast_coded", "code_has_views", "code_unilateral", "code_qualified",
                     "n_conflicts")
_CONFLICT_BLOCK = _block(*(f"conflict_{a}" for a in CONFLICT_ATTRS))
_CANDIDATE_BLOCK = _block("n_candidates", "best_penalty", "n_within_05", "n_within_15", "runner_up_contrast",
                          "runner_up_views", "runner_up_side", "runner_up_qualifier", "n_lines", "frame_fuzzy",
                          "elements_missing", "multiplicity", "n_negated", "n_historical", "n_modalities",
                          "unused_title_sites", "unused_title_modality", "unused_title_qual", "unused_title_views")
_CONTEXT_BLOCK = _block("site_confirmed", "site_in_technique_confirmed", "modality_confirmed",
                        "technique_other_sites", "technique_other_modalities", "narrative_other_sites", "title_sites",
                        "technique_deviation_cues", "text_deviation_cues", "technique_explanation_cues",
                        "technique_length", "technique_view_words", "technique_contrast_words", "n_sections",
                        "has_technique_section")
_SOURCE_BLOCK = _block(*(f"source_{s}" for s in FRAME_SOURCES), "source_other")
_LENGTH_BLOCK = _block(*(f"length_lt_{b}" for b in LENGTH_BUCKETS), f"length_ge_{LENGTH_BUCKETS[-1]}", "log_length")
_ORIGIN_BLOCK = _block(*(f"origin_{o}" for o in ORIGINS))
_FAMILY_BLOCK = _block(*(f"family_{f}" for f in FAMILIES), "family_other")
_MODEL_BLOCK = _block("noise_n", "noise_kinds", "title_unknown", "title_words", "addendum_changed", "model_ran",
                      "model_p", "model_agree", "model_margin", "hybrid_score", "hybrid_changed")
_FLAG_BLOCK = _block(*(f"flag_{t}" for t in FLAG_TYPES), "n_flags")
_SRC_BLOCK = _block(*(f"src_{a}_{v}" for a, v in SOURCE_FEATURES))
_CANDIDATES3_BLOCK = _block("model_p_top", "model_kind_report", "cand_families3", "cand_regions3", "gap2",
                            "ru_family_diff", "ru_region_diff", "code_rank", "n_lines_same_family", "text_modifiers",
                            "text_lines", "title_len", "n_mentions", "fuzzy_share", "paren_share")
_TITLE_BLOCK = _block("title_joiners", "exams_header", "title_modalities", "title_modalities_unbilled",
                      "title_exams_minus_frames", "title_no_modality", "title_no_site", "no_title",
                      "line_modality_not_in_title", "frames_outside_title")
_TEXT_BLOCK = _block("view_counts_named", "view_counts_off_code", "opposite_side_words", "both_sides_named",
                     "agent_words", "agent_code_without", "has_addendum")
_TB_BLOCK = _block(*(f"tb_{a}_{k}" for a in TB_ATTRS for k in ("disagree", "follows_title", "follows_body",
                                                              "unresolved")),
                   "tb_contrast_negated", "tb_site_undone", "tb_site_follows_title", "tb_order_line_disagree",
                   "tb_n_disagree", "tb_n_unresolved")
_VARIANT_BLOCK = _block(*_VARIANT_NAMES)
_TEXT_FEATURE_BLOCK = _block(*TEXT_FEATURES)
_NO_TEXT = (0.0, 0.0, TEXT_NEUTRAL, TEXT_NEUTRAL, 0.0, 0.0)


def _one_hot(values: Sequence, other: bool) -> tuple[dict[Any, tuple[float, ...]], tuple[float, ...]]:
    """Each value's row of a one-hot block over ``values`` (followed by an "other" feature when
    ``other``), and the row of a value not among them."""
    n = len(values) + other
    rows = {v: tuple(float(j == i) for j in range(n)) for i, v in enumerate(values)}
    return rows, tuple(float(other and j == n - 1) for j in range(n))


# the one-hot blocks by value (a table lookup instead of one comparison per feature)
_SOURCE_ROWS, _SOURCE_OTHER = _one_hot(FRAME_SOURCES, True)
_ORIGIN_ROWS, _ORIGIN_OTHER = _one_hot(ORIGINS, False)
_FAMILY_ROWS, _FAMILY_OTHER = _one_hot(FAMILIES, True)
_BUCKET_ROWS, _LONGEST = _one_hot(LENGTH_BUCKETS, True)
_LENGTH_ROWS = (*_BUCKET_ROWS.values(), _LONGEST)  # by bisect_right(LENGTH_BUCKETS, length)
_NO_CONFLICTS = (0.0,) * len(CONFLICT_ATTRS)
_ZERO_ROW = [0.0] * len(FEATURE_NAMES)


def line_features(line: Line, ctx: ReportContext) -> FeatureRow:
    """Every feature of one code line, in :data:`FEATURE_NAMES` order (a row filled by block)."""
    row = _ZERO_ROW.copy()
    row[_RULE_BLOCK] = _rule_values(line, ctx.n_frames)
    f, code = line.frame, line.code
    ev = f.evidence if f else {}
    for a, block in zip(EVIDENCE_ATTRS, _EVIDENCE_BLOCKS, strict=True):
        ms = ev.get(a)
        if not ms:
            row[block] = _NO_EVIDENCE
            continue
        groups = {SECTION_GROUPS.get(m.section, "narrative") for m in ms}
        row[block] = (float("title" in groups), float("technique" in groups), float("narrative" in groups),
                      float(not ms), float(any(m.fuzzy for m in ms)), float(bool(ms) and all(_abbrev(m.text) for m in ms)),
                      float(min(len(ms), 5)))
    qs = ev.get("qual", [])
    conflicts = list(f.conflicts) if f else []
    row[_QUAL_BLOCK] = (
        float(min(len(qs), 5)),  # qual_n
        float(any(m.fuzzy for m in qs)),  # qual_fuzzy
        float(any(SECTION_GROUPS.get(m.section) == "technique" for m in qs)),  # qual_in_technique
        float(bool(f and f.contrast is not None)),  # contrast_documented
        float(bool(f and f.views is not None)),  # views_documented
        float(bool(f and f.side in ("left", "right", "bilateral"))),  # side_documented
        float(code.contrast in _CONTRAST_CODED),  # code_contrast_coded
        float(bool(code.views)),  # code_has_views
        float(code.unilateral),  # code_unilateral
        float(code.qualifier is not None),  # code_qualified
        float(min(len(conflicts), 3)),  # n_conflicts
    )
    if conflicts:
        attrs = {c.attribute for c in conflicts}
        row[_CONFLICT_BLOCK] = [float(a in attrs) for a in CONFLICT_ATTRS]
    else:
        row[_CONFLICT_BLOCK] = _NO_CONFLICTS
    cands = line.candidates
    best = cands[0].penalty if cands else 0.0
    ru = cands[1].code if len(cands) > 1 else None
    row[_CANDIDATE_BLOCK] = (
        float(min(len(cands), 15)),  # n_candidates
        float(min(max(best, -1.0), 5.0)),  # best_penalty
        float(min(sum(1 for c in cands[1:] if c.penalty - best < 0.5), 5)),  # n_within_05
        float(min(sum(1 for c in cands[1:] if c.penalty - best < 1.5), 5)),  # n_within_15
        float(ru is not None and ru.contrast != code.contrast),  # runner_up_contrast
        float(ru is not None and ru.views != code.views),  # runner_up_views
        float(ru is not None and ru.side != code.side),  # runner_up_side
        float(ru is not None and ru.qualifier != code.qualifier),  # runner_up_qualifier
        float(min(ctx.n_lines, 5)),  # n_lines
        float(bool(f and f.fuzzy)),  # frame_fuzzy
        float(min(len(f.elements_missing) if f else 0, 5)),  # elements_missing
        float(min(f.multiplicity if f else 1, 4)),  # multiplicity
        float(min(ctx.n_negated, 5)),  # n_negated
        float(min(ctx.n_historical, 5)),  # n_historical
        float(min(ctx.n_modalities, 4)),  # n_modalities
        float(min(ctx.unused_title_sites, 3)),  # unused_title_sites
        # a title word of these kinds that no frame used: a second exam of a combination ("... AND
        # TRANSVAGINAL"), a qualifier the code ignores, a modality the frame does not bill
        float("modality" in ctx.unused_title_keys),  # unused_title_modality
        float("qual" in ctx.unused_title_keys),  # unused_title_qual
        float("views" in ctx.unused_title_keys),  # unused_title_views
    )
    own = _frame_sites(f) if f else set()
    row[_CONTEXT_BLOCK] = (
        float(bool(own & (ctx.technique_sites | ctx.narrative_sites))),  # site_confirmed
        float(bool(own & ctx.technique_sites)),  # site_in_technique_confirmed
        float(f is not None and _base_modality(f.modality) in ctx.technique_modalities),  # modality_confirmed
        float(min(len(ctx.technique_sites - ctx.frame_sites), 4)),  # technique_other_sites
        float(min(len(ctx.technique_modalities - ctx.frame_modalities), 3)),  # technique_other_modalities
        float(min(len(ctx.narrative_sites - ctx.frame_sites), 6)),  # narrative_other_sites
        float(min(ctx.title_sites, 6)),  # title_sites
        float(min(ctx.technique_deviation_cues, 5)),  # technique_deviation_cues
        float(min(ctx.text_deviation_cues, 8)),  # text_deviation_cues
        float(min(ctx.technique_explanation_cues, 5)),  # technique_explanation_cues
        float(min(ctx.technique_length, 1500) // 50),  # technique_length
        float(min(ctx.technique_view_words, 5)),  # technique_view_words
        float(min(ctx.technique_contrast_words, 5)),  # technique_contrast_words
        float(min(ctx.n_sections, 12)),  # n_sections
        float(ctx.has_technique_section),  # has_technique_section
    )
    row[_SOURCE_BLOCK] = _SOURCE_ROWS.get(ctx.frame_source, _SOURCE_OTHER)
    row[_LENGTH_BLOCK] = (*_LENGTH_ROWS[bisect_right(LENGTH_BUCKETS, ctx.text_length)], math.log1p(ctx.text_length))
    row[_ORIGIN_BLOCK] = _ORIGIN_ROWS.get(line.origin, _ORIGIN_OTHER)
    row[_FAMILY_BLOCK] = _FAMILY_ROWS.get(code.family, _FAMILY_OTHER)
    m: dict[str, Any] = dict(line.model or {})
    row[_MODEL_BLOCK] = (
        float(min(ctx.noise_n, 10)),  # noise_n
        float(min(ctx.noise_kinds, 6)),  # noise_kinds
        ctx.title_unknown,  # title_unknown
        float(min(ctx.title_words, 15)),  # title_words
        float(f is not None and "addendum" in f.sources.values()),  # addendum_changed
        float(bool(m)),  # model_ran
        float(m.get("p_model", 0.0)),  # model_p
        float(bool(m) and m.get("model_top") == code.code),  # model_agree
        float(m.get("margin", 0.0)),  # model_margin
        float(m.get("score", 0.0)),  # hybrid_score
        float(bool(m) and not m.get("agree", True)),  # hybrid_changed
    )
    row[_FLAG_BLOCK] = (*(float(min(k, 3)) for k in ctx.flag_counts), float(min(ctx.n_flags, 6)))
    src = f.sources if f else {}
    row[_SRC_BLOCK] = tuple(float(src.get(a) == v) for a, v in SOURCE_FEATURES)
    row[_CANDIDATES3_BLOCK] = (
        float(m.get("p_top", 0.0)),  # model_p_top
        float(m.get("kind") == "report"),  # model_kind_report
        float(len({c.code.family for c in cands[:3]})),  # cand_families3
        float(len({c.code.region for c in cands[:3]})),  # cand_regions3
        float(min(cands[2].penalty - best, 9.0)) if len(cands) > 2 else 9.0,  # gap2
        float(ru is not None and ru.family != code.family),  # ru_family_diff
        float(ru is not None and ru.region != code.region),  # ru_region_diff
        float(next((i for i, c in enumerate(cands) if c.code.code == code.code), 9)),  # code_rank
        float(min(ctx.line_families.count(code.family), 5)),  # n_lines_same_family
        float(min(dict(ctx.text_modifiers).get(id(line), 0), 3)),  # text_modifiers
        float(min(ctx.text_lines, 60)),  # text_lines
        float(min(ctx.title_len, 120)),  # title_len
        float(min(ctx.n_mentions, 60)),  # n_mentions
        ctx.fuzzy_share,  # fuzzy_share
        ctx.paren_share,  # paren_share
    )
    row[_TITLE_BLOCK] = (
        float(min(ctx.title_joiners, 3)),  # title_joiners
        float(ctx.exams_header),  # exams_header
        float(min(len(ctx.title_modalities), 3)),  # title_modalities
        float(min(len(ctx.title_modalities - ctx.frame_modalities), 2)),  # title_modalities_unbilled
        float(max(-3, min(3, ctx.title_modality_mentions - ctx.n_frames))),  # title_exams_minus_frames
        float(ctx.has_title and not ctx.title_modalities),  # title_no_modality
        float(ctx.has_title and not ctx.title_sites_any),  # title_no_site
        float(not ctx.has_title),  # no_title
        float(f is not None and bool(ctx.title_modalities)
              and _base_modality(f.modality) not in ctx.title_modalities),  # line_modality_not_in_title
        float(min(ctx.frames_outside_title, 3)),  # frames_outside_title
    )
    lo_v, hi_v = code.views or (0, 99)
    left, right = ctx.side_words
    side = f.side if f else None
    row[_TEXT_BLOCK] = (
        float(min(len(ctx.view_counts), 3)),  # view_counts_named
        float(min(sum(1 for v in ctx.view_counts if not lo_v <= v <= hi_v), 3) if code.views else 0),  # view_counts_off_code
        float(min(right if side == "left" else left if side == "right" else 0, 5)),  # opposite_side_words
        float(code.unilateral and left > 0 and right > 0),  # both_sides_named
        float(min(ctx.agent_words, 3)),  # agent_words
        float(code.contrast == "without" and ctx.agent_words > 0),  # agent_code_without
        float(ctx.has_addendum),  # has_addendum
    )
    row[_TB_BLOCK] = _title_body_values(line, ctx.title_body)
    row[_VARIANT_BLOCK] = tuple(float(v) for v in ctx.variants.get(code.code, _NO_VARIANTS))
    row[_TEXT_FEATURE_BLOCK] = _text_values(code.code, ctx.text_reading)
    return FeatureRow(row)


def _text_values(code: str, tr: TextReading | None) -> tuple[float, ...]:
    """Features version 9 (see _names), in :data:`TEXT_FEATURES` order."""
    if tr is None:
        return _NO_TEXT
    p = tr.p_billed.get(code)
    return (1.0, float(p is not None), TEXT_NEUTRAL if p is None else p, tr.min_billed, tr.max_other,
            float(tr.top_billed))



def _line_value(i: int, line: Line, v: str | int | None) -> bool:
    """Does the line bill value ``v`` of attribute TB_ATTRS[i]?"""
    code, f = line.code, line.frame
    if v is None:
        return False
    if i == 0:
        return code.contrast == v
    if i == 1:
        return code.views is not None and code.views[0] <= int(v) <= code.views[1]
    return f is not None and f.side == v


def _title_body_values(line: Line, tb: TitleBody | None) -> tuple[float, ...]:
    """Features version 7 (see _names): the title against the body, for this line, in
    :data:`_TB_BLOCK` order."""
    f = line.frame
    conflicts = {c.attribute for c in f.conflicts} if f else set()
    out: list[float] = []
    n_dis = n_unres = 0
    for i, a in enumerate(TB_ATTRS):
        dis = tb is not None and tb.disagree(i)
        # an attribute the code does not carry (a CT's views, a chest film's side) is no risk
        carried = dis and (i != 0 or line.code.contrast is not None) and (i != 1 or bool(line.code.views)) \
            and (i != 2 or line.code.unilateral)
        ft = carried and tb is not None and _line_value(i, line, tb.title[i]) and not _line_value(i, line, tb.body[i])
        fb = carried and tb is not None and _line_value(i, line, tb.body[i]) and not _line_value(i, line, tb.title[i])
        unres = carried and a not in conflicts
        out += (float(carried), float(ft), float(fb), float(unres))
        n_dis += carried
        n_unres += unres
    undone = tb.undone_sites if tb is not None else frozenset()
    out += (
        float(tb is not None and tb.contrast_negated),  # tb_contrast_negated
        float(bool(undone)),  # tb_site_undone
        float(bool(undone) and f is not None and any(u == f.site or u in f.site.split("_") for u in undone)),  # tb_site_follows_title
        float(min(tb.order_line_disagree if tb is not None else 0, 3)),  # tb_order_line_disagree
        float(n_dis),  # tb_n_disagree
        float(n_unres),  # tb_n_unresolved
    )
    return tuple(out)


def vectorize(feats: Sequence[Mapping[str, float]]):
    """A 2-D float array of feature rows (:class:`FeatureRow`, or dicts keyed by the names) in
    :data:`FEATURE_NAMES` order."""
    import numpy as np

    n = len(FEATURE_NAMES)
    return np.fromiter(chain.from_iterable(map(_row_values, feats)), dtype=np.float64,
                       count=len(feats) * n).reshape(len(feats), n)


def _row_values(feat: Mapping[str, float]) -> Sequence[float]:
    return feat.row if isinstance(feat, FeatureRow) else _FEATURE_ROW(feat)


def rule_score(feat: Mapping[str, float]) -> float:
    p = BASE
    if feat["modality_inferred"]:
        p *= 0.85
    if feat["contrast_defaulted"]:
        p *= 0.80
    if feat["views_defaulted"]:
        p *= 0.60
    if feat["side_missing"]:
        p *= 0.85
    if feat["fuzzy"]:
        p *= 0.90
    if feat["conflict"]:
        p *= 0.85
    if feat["margin"] < 0.5:
        p *= 0.75
    elif feat["margin"] < 1.5:
        p *= 0.90
    if feat["default_qualifier"]:
        p *= 0.85
    if feat["derived"]:
        p *= 0.95
    return round(max(0.0, min(1.0, p)), 4)


RELEASES_NOTHING = 1.0  # a release threshold at or above this releases no report at all


def clears(conf: float, threshold: float) -> bool:
    """Whether a report of confidence ``conf`` is released at ``threshold``: the confidence,
    rounded to 4 places as output records show it, reaches the threshold, and the threshold is
    below 1.0. A threshold of 1.0 or more (a family whose calibration data cannot show 99 %, a
    model whose points were not shipped) releases nothing, not even a confidence that rounds to
    1.00. Output, training and evaluation all release through this one test."""
    return threshold < RELEASES_NOTHING and round(float(conf), 4) >= threshold


def report_confidence(line_confidences: Sequence[float]) -> float:
    """Probability that the report is billed right: the lowest line probability (each line's
    probability is already that of its whole report being exact, see the module docstring)."""
    return min(line_confidences, default=1.0)


# ---------------------------------------------------------------------------- uncertainty


def review_reason(line: Line, feat: Mapping[str, float]) -> str | None:
    """When the code is uncertain but its family is clear: ``"CT abdomen+pelvis: contrast
    unclear"`` (the exam and the attribute in doubt), else None.

    The family is clear when the line came from a frame and the runner-up candidate (if any) is
    another code of the same modality and region; the attribute in doubt is the first of
    contrast, views, side and qualifier that was defaulted, conflicting or separates the
    runner-up from the chosen code.
    """
    if line.frame is None or line.origin != "frame":
        return None
    code = line.code
    # the alternative a coder can check is another code of the same exam (modality and region):
    # a runner-up of another family ("pregnant uterus" under a carotid duplex) is no reason
    alt = next((c.code for c in line.candidates[1:]
                if c.code.modality == code.modality and c.code.region == code.region), None)
    if feat.get("hybrid_changed"):
        return f"{exam_name(code)}: billed from the title wording (model); rules preferred {alt.code if alt else '-'}"
    if alt is not None and feat["margin"] < 1.5 and not (
            feat["contrast_defaulted"] or feat["views_defaulted"] or feat["side_missing"] or feat["conflict"]):
        # the attributes were stated, yet another code is close: name it, a coder can check it
        return f"{exam_name(code)}: close alternative {alt.code} ({alt.label})"
    what = None
    close = alt is not None and feat["margin"] < 1.5  # the runner-up is another code of this exam
    if feat["contrast_defaulted"] or feat["conflict_contrast"] or \
            (feat["runner_up_contrast"] and close and code.contrast in _CONTRAST_CODED):
        what = "contrast"
    elif feat["views_defaulted"] or feat["conflict_views"] or (feat["runner_up_views"] and close):
        what = "number of views"
    elif feat["side_missing"] or feat["conflict_side"]:
        what = "side"
    elif feat["default_qualifier"] or feat["conflict_qualifier"] or feat["conflict_complete"] or \
            (feat["runner_up_qualifier"] and close):
        what = f"{code.qualifier.replace('_', ' ')}" if code.qualifier else "qualifier"
    if what is None:
        return None
    stated = {"contrast": not feat["contrast_defaulted"], "number of views": not feat["views_defaulted"],
              "side": not feat["side_missing"]}.get(what, False)
    if stated and alt is not None:
        return f"{exam_name(code)}: {what} stated but close alternative {alt.code} ({alt.label})"
    return f"{exam_name(code)}: {what} {'not stated' if not stated and what in ('contrast', 'number of views', 'side') else 'unclear'}"


def exam_name(code) -> str:
    """``CT abdomen+pelvis``: the modality and region of a code, readable."""
    region = code.region.replace("abdomen_pelvis", "abdomen+pelvis").replace("_", " ")
    return f"{code.modality} {region}"


# ---------------------------------------------------------------------------- the model


def default_model_dir() -> Path | None:
    from .resources import models_dir

    try:
        return models_dir() / MODEL_NAME
    except FileNotFoundError:
        return None


def file_sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def expected_versions(lexicon_version: str) -> dict[str, str]:
    """The versions a model must have been built with to load in this environment."""
    from importlib.metadata import version  # no sklearn import at start-up

    from .__about__ import __version__

    return {"suggester": __version__, "scikit-learn": version("scikit-learn"), "lexicons": lexicon_version}


class ConfidenceModel:
    """A trained, calibrated line-confidence model and its metadata.

    ``ConfidenceModel.load(directory, lexicon_version=...)`` checks ``meta.json`` against the
    running code (package, scikit-learn and lexicon versions, feature names, file hash) and
    raises :class:`ConfidenceModelError` on any mismatch.
    """

    def __init__(self, estimator, meta: dict, path: Path | None = None, compiled=False, text=None):
        self._estimator = estimator
        self.meta = meta
        self.path = path
        self.text = text  # the text model (suggester.text_model.TextModel) the features read, or None
        self._fast = CompiledEnsemble.compile(estimator, len(FEATURE_NAMES)) if compiled is False else compiled

    @property
    def estimator(self):
        """The scikit-learn model; loaded on first use when the compiled arrays were enough."""
        if self._estimator is None:
            digest = self.meta["model_sha256"]
            self._estimator, _ = _load_estimator(str((self.path / MODEL_FILE).resolve()), digest)
        return self._estimator

    @property
    def threshold(self) -> float:
        return float(self.meta["review_threshold"])

    @property
    def version(self) -> str:
        """A short id for output records: ``confidence-<first 12 hex of the model sha256>``."""
        return f"{MODEL_NAME}-{self.meta['model_sha256'][:12]}"

    @classmethod
    def load(cls, directory: str | Path, *, lexicon_version: str) -> ConfidenceModel:
        directory = Path(directory)
        model_path, meta_path = directory / MODEL_FILE, directory / META_FILE
        missing = [p.name for p in (model_path, meta_path) if not p.is_file()]
        if missing:
            raise ConfidenceModelError(E_MODEL_FILES, f"confidence model in {directory} is incomplete: "
                                                      f"missing {', '.join(missing)}; rebuild it with `suggester train`")
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as e:
            raise ConfidenceModelError(E_MODEL_FILES, f"{meta_path}: unreadable metadata ({e})") from None
        check_meta(meta, lexicon_version=lexicon_version, where=str(meta_path))
        if meta.get("meta_sha256") != meta_digest(meta):
            raise ConfidenceModelError(E_MODEL_INTEGRITY, f"{meta_path}: content does not match its meta_sha256 "
                                                          "(edited or damaged); rebuild it with `suggester train`")
        digest = file_sha256(model_path)
        if digest != meta.get("model_sha256"):
            raise ConfidenceModelError(E_MODEL_INTEGRITY, f"{model_path}: sha256 {digest[:12]} does not match "
                                                          f"meta.json ({str(meta.get('model_sha256'))[:12]}); "
                                                          "rebuild it with `suggester train`")
        text = _load_text_model(directory, meta)
        fast_path = directory / FAST_FILE
        if meta.get("fast_sha256") and fast_path.is_file():
            if file_sha256(fast_path) != meta["fast_sha256"]:
                raise ConfidenceModelError(E_MODEL_INTEGRITY, f"{fast_path}: sha256 does not match meta.json; "
                                                              "rebuild it with `suggester train`")
            # the compiled arrays alone predict: no scikit-learn or skops import at start-up
            return cls(None, meta, directory, CompiledEnsemble.load(fast_path), text)
        estimator, compiled = _load_estimator(str(model_path.resolve()), digest)
        return cls(estimator, meta, directory, compiled, text)

    def predict(self, feats: Sequence[Mapping[str, float]]) -> list[float]:
        """Calibrated probability that each line is right."""
        return self.predict_many([feats])[0]

    def predict_many(self, groups: Sequence[Sequence[Mapping[str, float]]]) -> list[list[float]]:
        """:meth:`predict` for several reports (groups of lines) in one batched call; each group
        gets exactly the values ``predict(group)`` returns. A group with a non-finite feature
        goes through scikit-learn, as it would alone."""
        rows = [d for g in groups for d in g]
        if not rows:
            return [[] for _ in groups]
        import numpy as np

        X = vectorize(rows)
        finite = np.isfinite(X).all(axis=1)
        if self._fast is not None and finite.all():  # the common case: every row compiled
            vals = np.clip(self._fast.predict(X), 0.0, 1.0).tolist()
        else:
            ends = np.cumsum([len(g) for g in groups])
            fast = np.zeros(len(rows), dtype=bool)
            if self._fast is not None:
                for end, g in zip(ends, groups, strict=True):
                    fast[end - len(g):end] = finite[end - len(g):end].all()
            p = np.zeros(len(rows))
            if self._fast is not None and fast.any():
                p[fast] = self._fast.predict(X[fast])
            if not fast.all():
                p[~fast] = self.estimator.predict_proba(X[~fast])[:, 1]
            vals = np.clip(p, 0.0, 1.0).tolist()
        if self.meta.get("recalibration"):
            vals = recalibrate(np.asarray(vals), X, self.meta["recalibration"]).tolist()
        out, start = [], 0
        for g in groups:
            out.append(vals[start:start + len(g)])
            start += len(g)
        return out


def _load_text_model(directory: Path, meta: dict):
    """The text model beside a confidence model (None when the model has none), its sha256 checked."""
    from . import text_model

    want = meta.get("text_sha256")
    path = directory / TEXT_FILE
    if not want:
        if TEXT_FEATURES[0] in (meta.get("feature_names") or ()):
            # (features version 9 read the text model: without it every line would get values never trained on)
            raise ConfidenceModelError(E_MODEL_FILES, f"confidence model in {directory} is incomplete: its features "
                                                      f"read a text model and meta.json names no {TEXT_FILE}; "
                                                      "rebuild it with `suggester train`")
        return None
    if not path.is_file():
        raise ConfidenceModelError(E_MODEL_FILES, f"confidence model in {directory} is incomplete: missing "
                                                  f"{TEXT_FILE}; rebuild it with `suggester train`")
    if file_sha256(path) != want:
        raise ConfidenceModelError(E_MODEL_INTEGRITY, f"{path}: sha256 does not match meta.json; "
                                                      "rebuild it with `suggester train`")
    try:
        return text_model.load(path)
    except text_model.TextModelError as e:
        raise ConfidenceModelError(E_MODEL_VERSION, str(e)) from None


RECAL_EPS = 1e-6


def recalibrate(p, X, rec: Mapping[str, Any]):
    """The calibration split's map (``meta["recalibration"]``, fitted by
    :func:`suggester.training.fit_recalibration` on reports the model never saw) applied to line
    probabilities ``p`` whose feature rows are ``X``: ``logit p' = a logit p + b + offset[family]``.
    Strictly increasing in ``p`` for a line of a given family (``a > 0``), so the report
    confidence (the lowest line) is the map of the lowest line."""
    import numpy as np

    q = np.clip(np.asarray(p, dtype=np.float64), RECAL_EPS, 1.0 - RECAL_EPS)
    z = float(rec["a"]) * np.log(q / (1.0 - q)) + float(rec["b"])
    for fam, off in (rec.get("family_offsets") or {}).items():
        col = FEATURE_NAMES.index(f"family_{fam}")
        z = z + float(off) * (X[:, col] > 0.5)
    return 1.0 / (1.0 + np.exp(-z))


class CompiledEnsemble:
    """The calibrated tree ensemble as stacked numpy arrays, for fast prediction.

    scikit-learn walks the trees of a forest or of a boosted model one call per tree (about
    2 ms per row for a few hundred trees), and the pipeline predicts one report at a time; the
    trees of every calibration fold are therefore stacked into ``(trees, nodes)`` arrays and
    walked together level by level (well under a millisecond). :meth:`compile` handles
    ``RandomForestClassifier`` and ``HistGradientBoostingClassifier`` under sigmoid or isotonic
    calibration, returns None for anything else, and checks its predictions against
    scikit-learn on probe rows: any difference above 1e-9 and the scikit-learn path is used.
    """

    def __init__(self, parts: list[dict]):
        self.parts = parts

    def save(self, path: Path) -> None:
        """Write the arrays as a plain ``.npz`` (no pickle)."""
        import numpy as np

        arrays: dict[str, Any] = {}  # name -> array (Any: savez_compressed's **kwds also names a flag)
        for i, p in enumerate(self.parts):
            for k, v in p.items():
                if k == "sigmoid":
                    arrays[f"{i}.sigmoid"] = np.asarray(v, dtype=np.float64)
                elif k == "isotonic":
                    for j, x in enumerate(v):
                        arrays[f"{i}.isotonic.{j}"] = np.asarray(x, dtype=np.float64)
                else:
                    arrays[f"{i}.{k}"] = np.asarray(v)
        with open(path, "wb") as fh:
            np.savez_compressed(fh, **arrays)

    @classmethod
    def load(cls, path: Path) -> CompiledEnsemble:
        import numpy as np

        with np.load(path, allow_pickle=False) as z:
            parts: dict[int, dict] = {}
            for key in z.files:
                i, _, name = key.partition(".")
                part = parts.setdefault(int(i), {})
                if name.startswith("isotonic."):
                    part.setdefault("_iso", {})[int(name.split(".")[1])] = z[key]
                elif name == "sigmoid":
                    part["sigmoid"] = tuple(float(x) for x in z[key])
                elif name in ("kind",):
                    part[name] = str(z[key])
                elif name in ("depth",):
                    part[name] = int(z[key])
                elif name == "baseline":
                    part[name] = float(z[key])
                else:
                    part[name] = z[key]
        out = []
        for i in sorted(parts):
            p = parts[i]
            iso = p.pop("_iso", None)
            if iso is not None:
                p["isotonic"] = (float(iso[0]), float(iso[1]), iso[2], iso[3])
            out.append(p)
        return cls(out)

    @classmethod
    def compile(cls, estimator, n_features: int) -> CompiledEnsemble | None:
        import numpy as np

        from .trees import boosting_part, forest_part

        try:
            parts = []
            for cc in estimator.calibrated_classifiers_:
                est, cal = cc.estimator, cc.calibrators[0]
                kind = type(est).__name__
                part = forest_part(est) if kind == "RandomForestClassifier" else \
                    boosting_part(est) if kind == "HistGradientBoostingClassifier" else None
                if part is None:
                    return None
                if type(cal).__name__ == "_SigmoidCalibration":
                    part["sigmoid"] = (float(cal.a_), float(cal.b_))
                elif type(cal).__name__ == "IsotonicRegression":
                    part["isotonic"] = (float(cal.X_min_), float(cal.X_max_),
                                        np.asarray(cal.X_thresholds_, dtype=np.float64),
                                        np.asarray(cal.y_thresholds_, dtype=np.float64))
                else:
                    return None
                parts.append(part)
            fast = cls(parts)
            rng = np.random.default_rng(0)
            probe = np.vstack([np.zeros((1, n_features)), np.ones((1, n_features)),
                               rng.integers(0, 6, size=(62, n_features)).astype(np.float64),
                               rng.random(size=(64, n_features)) * 10.0])
            ok = np.allclose(fast.predict(probe), estimator.predict_proba(probe)[:, 1], rtol=0, atol=1e-9)
        except (AttributeError, IndexError, KeyError, TypeError, ValueError):
            return None
        return fast if ok else None

    def _merged(self):
        """``(rows, parts)`` scores in one walk when every part is the same kind of ensemble with
        the same number of trees (a calibration fold each), else None."""
        if "_merged_arrays" in self.__dict__:
            return self.__dict__["_merged_arrays"]
        import numpy as np

        out = None
        if len({p["kind"] for p in self.parts}) == 1 and len({p["feature"].shape[0] for p in self.parts}) == 1:
            out = {"per_part": self.parts[0]["feature"].shape[0], "kind": self.parts[0]["kind"],
                   "baseline": np.array([p.get("baseline", 0.0) for p in self.parts])}
        if all("sigmoid" in p for p in self.parts):
            ab = np.array([p["sigmoid"] for p in self.parts])
            self.__dict__["_sigmoid"] = (ab[:, 0].copy(), ab[:, 1].copy())
        self.__dict__["_merged_arrays"] = out
        return out

    def predict(self, X):
        """Calibrated probability of the positive class for the rows of ``X`` (finite values).

        Each row's value depends on that row only, so one call on many rows (a chunk of reports)
        returns exactly what one call per row would."""
        import numpy as np

        from .trees import walk as _walk

        n = X.shape[0]
        m = self._merged()
        if m is not None:  # one walk over the trees of every part (a few numpy calls per level)
            Xm = X.astype(np.float32).astype(np.float64) if m["kind"] == "forest" else X
            leaf = _walk(self._flat("merged", self.parts), Xm).reshape(n, len(self.parts), m["per_part"])
            scores = leaf.mean(axis=2) if m["kind"] == "forest" else leaf.sum(axis=2) + m["baseline"]
        else:
            X32 = X.astype(np.float32).astype(np.float64)  # scikit-learn trees compare float32 values
            cols = []
            for i, p in enumerate(self.parts):
                leaf = _walk(self._flat(i, [p]), X32 if p["kind"] == "forest" else X)
                cols.append(p["baseline"] + leaf.sum(axis=1) if p["kind"] == "boosting" else leaf.mean(axis=1))
            scores = np.stack(cols, axis=1)
        if "_sigmoid" in self.__dict__:  # every fold's map at once
            a, b = self.__dict__["_sigmoid"]
            cal = 1.0 / (1.0 + np.exp(a * scores + b))
            return np.where((cal > 1.0) & (cal <= 1.0 + 1e-5), 1.0, cal).mean(axis=1)
        out = np.zeros(n)
        for i, p in enumerate(self.parts):
            if "sigmoid" in p:
                a, b = p["sigmoid"]
                cal = 1.0 / (1.0 + np.exp(a * scores[:, i] + b))
            else:
                lo, hi, xs, ys = p["isotonic"]
                cal = np.interp(np.clip(scores[:, i], lo, hi), xs, ys)
            out += np.where((cal > 1.0) & (cal <= 1.0 + 1e-5), 1.0, cal)
        return out / len(self.parts)

    def _flat(self, key, parts: list[dict]) -> dict:
        """The trees of ``parts`` in one flat layout (built once, cached under ``key``)."""
        from .trees import flatten_trees

        cache = self.__dict__.setdefault("_flat_cache", {})
        if key not in cache:
            cache[key] = flatten_trees(parts)
        return cache[key]


def code_fingerprint(lexicon_dir: str | Path | None = None) -> dict[str, str]:
    """The feature version and the sha256 of the feature functions' source (stored in meta.json;
    a difference at load time means the features changed since training: warning S002).

    Lexicon bytes and the other stages are deliberately left out: editing data or rules changes
    predictions, not what a feature means, and must not force a retrain. ``lexicon_dir`` is
    accepted for compatibility and ignored."""
    import inspect

    from . import text_model

    src = "".join(inspect.getsource(f) for f in (_names, features, report_context, line_features, title_body,
                                                  _tb_values, _side_of, _line_value, _title_body_values, _rule_values, _one_hot,
                                                  _mention_facts, text_reading, _text_values, text_model.words,
                                                  text_model.analyze, text_model.TextModel.__post_init__,
                                                  text_model.TextModel.term_ids, text_model.TextModel.probabilities))
    src += repr((text_model.FEATURES_VERSION, text_model.MAX_CHARS, text_model._WORD_RX.pattern))
    return {"features_version": str(FEATURES_VERSION),
            "features": hashlib.sha256(src.encode("utf-8")).hexdigest()}


def stale_parts(meta: dict, lexicon_dir: str | Path | None = None) -> list[str]:
    """The fingerprinted files that changed since the model was trained ([] when none or when
    the model has no fingerprint)."""
    built = meta.get("code_sha256")
    if not isinstance(built, dict):
        return []
    now = code_fingerprint(lexicon_dir)
    return sorted(k for k in set(built) | set(now) if built.get(k) != now.get(k))


def check_meta(meta: dict, *, lexicon_version: str, where: str = "meta.json") -> None:
    """Raise :class:`ConfidenceModelError` when the model metadata does not fit this code."""
    if not isinstance(meta, dict) or meta.get("schema") != MODEL_SCHEMA:
        got = meta.get("schema") if isinstance(meta, dict) else type(meta).__name__
        raise ConfidenceModelError(E_MODEL_FILES, f"{where}: schema {got!r}, expected {MODEL_SCHEMA!r}")
    built = meta.get("versions") or {}
    for key, want in expected_versions(lexicon_version).items():
        if key == "lexicons" and built.get(key) != want:
            # data changes need no retrain (features do not read lexicon bytes): say so, go on
            warnings.warn(f"[{W_MODEL_STALE}] {where}: the confidence model was trained with lexicons "
                          f"{built.get(key)}, running {want}", SuggesterWarning, stacklevel=4)
            continue
        if built.get(key) != want:
            raise ConfidenceModelError(
                E_MODEL_VERSION,
                f"confidence model was built with {key} {built.get(key)}, running {want}; "
                f"rebuild it with `suggester train` (or pass confidence_model='rules')")
    if tuple(meta.get("feature_names") or ()) != FEATURE_NAMES:
        raise ConfidenceModelError(E_MODEL_FEATURES, f"{where}: the model's feature names differ from "
                                                     "suggester.confidence.FEATURE_NAMES; rebuild it with `suggester train`")
    thr = meta.get("review_threshold")
    if not isinstance(thr, (int, float)) or not 0.0 <= thr <= 1.0:
        raise ConfidenceModelError(E_MODEL_FILES, f"{where}: review_threshold must be a number in [0, 1], got {thr!r}")


@lru_cache(maxsize=4)
def _load_estimator(path: str, sha256: str):
    """Load (and compile) a model file once per process; keyed by its content hash. The
    estimator is only ever used for prediction, so sharing it between suggesters is safe."""
    est = _skops_load(Path(path))
    return est, CompiledEnsemble.compile(est, len(FEATURE_NAMES))


def _skops_load(path: Path):
    import skops.io as sio

    untrusted = sio.get_untrusted_types(file=str(path))
    extra = sorted(set(untrusted) - set(TRUSTED_TYPES))
    if extra:
        raise ConfidenceModelError(E_MODEL_TYPES, f"{path}: refusing to load types outside the trusted list: {extra}")
    return sio.load(str(path), trusted=list(untrusted))


def meta_digest(meta: dict) -> str:
    """sha256 of the metadata without its own ``meta_sha256`` (canonical JSON: sorted keys)."""
    body = json.loads(json.dumps({k: v for k, v in meta.items() if k != "meta_sha256"}))  # as read back
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode("utf-8")).hexdigest()


def seal_meta(meta: dict) -> dict:
    """``meta`` with its ``meta_sha256`` (written last, after every other key is final)."""
    return {**{k: v for k, v in meta.items() if k != "meta_sha256"}, "meta_sha256": meta_digest(meta)}


def save_confidence_model(estimator, meta: dict, directory: str | Path, text=None) -> Path:
    """Write ``model.skops``, ``meta.json`` (meta gains ``model_sha256``) and, given a text model
    (:mod:`suggester.text_model`), ``text.npz`` (``text_sha256``); return the folder."""
    import skops.io as sio

    from . import text_model

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    model_path = directory / MODEL_FILE
    sio.dump(estimator, str(model_path), compression=zipfile.ZIP_DEFLATED, compresslevel=9)
    meta = {**meta, "model_sha256": file_sha256(model_path)}
    text_path = directory / TEXT_FILE
    if text is not None:
        text_model.save(text, text_path)
        meta["text_sha256"] = file_sha256(text_path)
    else:
        meta.pop("text_sha256", None)
        if text_path.exists():
            text_path.unlink()
    fast = CompiledEnsemble.compile(estimator, len(FEATURE_NAMES))
    fast_path = directory / FAST_FILE
    if fast is not None:
        fast.save(fast_path)
        meta["fast_sha256"] = file_sha256(fast_path)
    elif fast_path.exists():
        fast_path.unlink()
    meta = seal_meta(meta)
    (directory / META_FILE).write_text(json.dumps(meta, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    return directory


def load_confidence_model(spec: str | Path | None, *, lexicon_version: str,
                          lexicon_dir: str | Path | None = None) -> ConfidenceModel | None:
    """The model for ``Suggester(confidence_model=spec)``.

    ``None`` or ``"auto"``: the packaged ``models/confidence``; ``"rules"``: None (the rule
    score, asked for); a folder: that model. A missing model (``S101``, never a silent fallback
    to the rule score) and a model whose files or metadata do not match raise
    :class:`ConfidenceModelError`.
    """
    if spec == "rules":
        return None
    if spec in (None, "", "auto"):  # an empty $SUGGESTER_CONFIDENCE_MODEL is no choice
        d = default_model_dir()
        if d is None or not d.is_dir():
            raise ConfidenceModelError(E_MODEL_FILES, f"no trained confidence model in "
                                                      f"{d if d is not None else 'models/'}; build one with "
                                                      "`suggester train`, or choose the rule score explicitly "
                                                      "(--confidence rules, confidence_model='rules')")
    else:
        d = Path(spec)
        if not d.is_dir():
            raise ConfidenceModelError(E_MODEL_FILES, f"confidence model folder {d} not found; pass a folder "
                                                      "written by `suggester train`, or --confidence rules")
    model = ConfidenceModel.load(d, lexicon_version=lexicon_version)
    stale = stale_parts(model.meta, lexicon_dir)
    if stale:
        warnings.warn(f"[{W_MODEL_STALE}] the confidence model in {d} was trained before changes to "
                      f"{', '.join(stale)}; its probabilities may be off until you rerun `suggester train`",
                      SuggesterWarning, stacklevel=3)
    return model
