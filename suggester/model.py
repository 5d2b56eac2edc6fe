"""The typed contract between the stages: what each stage hands to the next.

``text -> sections -> Mention -> Frame -> Candidate / Line -> output record``. Every field a stage
sets on these objects is declared here (nothing is attached afterwards and read back with
``getattr``); the output records are ``TypedDict``\\ s, so a renamed key fails type checking.
This module imports no other stage module (only the lexicon's immutable ``Code`` and the
section / noise records), so every stage may import it without a cycle.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypedDict, cast

from .lexicon import Code, Payer
from .noise import Noise
from .sections import Section

Status = Literal["performed", "negated", "historical"]


# --------------------------------------------------------------------------- stage 3: mentions


@dataclass
class Mention:
    """One attribute found in the report (modality, site, contrast, views, proj, side, qual)."""

    key: str
    value: str
    start: int  # report offsets
    end: int
    section: str
    text: str
    token: int  # token index within its section doc (for proximity)
    doc_id: int
    fuzzy: bool = False
    status: str = "performed"  # performed | negated | historical
    sent: int = 0  # sentence / line index within its section doc
    neg_forward: bool = False  # negated by a cue before it ("no ...") rather than after
    paren: bool = False  # inside parentheses ("CT HEAD (FALL, HIP PAIN)")
    joined: bool = False  # a qualifier joined to what precedes it by "with" / "w/" / "+" ("MAMMO W TOMO")

    def evidence(self) -> Evidence:
        return {"section": self.section, "start": self.start, "end": self.end, "text": self.text}


# --------------------------------------------------------------------------- stage 4: frames


@dataclass
class Conflict:
    """The title says one value, the performed sections another (the performed one is coded)."""

    attribute: str
    title_value: str
    performed_value: str
    title: list[Mention]
    performed: list[Mention]


@dataclass
class Frame:
    """One billed exam: modality, anatomy and the attributes that pick its code."""

    modality: str
    site: str
    region: str | None = None
    contrast: str | None = None
    views: int | None = None
    side: str | None = None
    quals: set[str] = field(default_factory=set)
    evidence: dict[str, list[Mention]] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)  # attribute -> stated|title|technique|default|inferred
    conflicts: list[Conflict] = field(default_factory=list)
    fuzzy: bool = False
    multiplicity: int = 1  # gestations etc. (twins -> 2: one add-on unit)
    # the contrast / views mentions of the frame's own title group (set when the frame is built
    # from a title; the resolution compares the performed sections with them)
    title_contrast: list[Mention] = field(default_factory=list)
    title_views: list[Mention] = field(default_factory=list)
    # ultrasound element groups a complete exam needs and the report does not document
    elements_missing: list[str] = field(default_factory=list)
    # why the billed modality is not the one the title states ("title names MR; billed XR"): the
    # line is never confident enough to release (output._line_confidence)
    doubt: str | None = None
    # the qualifier of a separately billed service split off an exam by a split_service rule with
    # named_first (nuchal translucency): its line leads when the title names that service
    service: str | None = None
    # the contrast of a part of a composite exam split into codes (chest of a chest/abdomen/pelvis CT)
    # that the technique documents apart from the rest ("noncontrast images of the liver, then portal
    # venous images of the chest, abdomen and pelvis": the chest with, the abdomen-pelvis without then with)
    part_contrast: dict[str, str] = field(default_factory=dict)

    def add(self, attr: str, mentions: list[Mention], source: str) -> None:
        self.evidence.setdefault(attr, []).extend(mentions)
        self.sources.setdefault(attr, source)
        if any(m.fuzzy for m in mentions):
            self.fuzzy = True

    def correct_side(self, side: str, evidence: list[Mention], *, conflict: bool = True,
                     source: str | None = None) -> None:
        """The side the report documents over the frame's own: recorded as a side conflict (unless
        ``conflict`` is false: a side not named before, a study whose codes have no side), then the
        frame's side, with ``evidence`` as its evidence (and ``source`` as its source, when given)."""
        if conflict:  # (every caller recording one has a side before: left, right or bilateral)
            self.conflicts.append(Conflict("side", cast(str, self.side), side, self.evidence.get("side", []), evidence))
        self.side = side
        self.evidence["side"] = evidence
        if source is not None:
            self.sources["side"] = source

    def to_dict(self) -> FrameOut:
        return {
            "modality": self.modality, "site": self.site, "region": self.region,
            "contrast": self.contrast, "views": self.views, "side": self.side,
            "qualifiers": sorted(self.quals),
            "sources": dict(sorted(self.sources.items())),
        }


# --------------------------------------------------------------------------- stage 5: codes


@dataclass
class Candidate:
    """A code of the frame's (modality, region) with its penalty (lower is better) and why."""

    code: Code
    penalty: float
    reasons: list[str] = field(default_factory=list)


class HybridInfo(TypedDict):
    """How the title model saw a line (hybrid stage), for the confidence features and review."""

    code: str
    score: float
    p_model: float
    model_top: str
    p_top: float
    margin: float
    agree: bool
    source: str | None
    kind: str


@dataclass
class Line:
    """One code line before modifiers: the code, the frame it bills and the ranked candidates."""

    code: Code
    frame: Frame | None
    candidates: list[Candidate]
    units: int = 1
    origin: str = "frame"  # frame | addon | rule
    rule: str | None = None
    model: HybridInfo | None = None  # the title model's view of this line (hybrid stage), when it ran
    named: bool = False  # an add-on or split service the title names ("... BREAST TOMOSYNTHESIS"): listed first

    @property
    def margin(self) -> float:
        if len(self.candidates) < 2:
            return 9.0
        return self.candidates[1].penalty - self.candidates[0].penalty


# --------------------------------------------------------------------------- the extraction


@dataclass
class Extraction:
    """Everything read from one report: sections, mentions, frames and the exam title."""

    text: str
    sections: list[Section]
    mentions: list[Mention]
    frames: list[Frame]
    frame_source: str | None
    cut: bool = False  # the work budget left part of the report unread
    noise: list[Noise] = field(default_factory=list)
    clean: str = ""  # the text with noise set aside (same length as ``text``)
    title: Mention | None = None  # the exam title as the title model reads it
    title_words: int = 0
    title_unknown: float = 0.0  # share of the title's words no lexicon knows
    # the class of a procedure outside radiology the title names without imaging ("echocardiography"):
    # nothing is billed (extraction.outside_radiology)
    outside: str | None = None
    # the shared lower-cased views (suggester.textview) of ``text`` and of ``clean``
    view: Any = field(default=None, repr=False, compare=False)
    clean_view: Any = field(default=None, repr=False, compare=False)
    # per-report caches of the phrase search (modifiers.find_phrases), keyed by phrase table
    _phrase_words: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)
    _phrase_hits: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    def forget_scans(self) -> None:
        """Drop where the stages' words were found (the views' hits, the phrase words; found again
        if asked for), once every stage that searches them has run. A report prepared for the
        confidence model waits for the rest of its batch with its extraction: without them, the
        cycle collector walks a few hundred objects a report fewer at each collection while the
        batch fills (about a fifth of the collections remain: 522 -> 110 per 1,000 bench reports)."""
        for view in (self.view, self.clean_view):
            if view is not None:
                view.forget()
        self._phrase_words.clear()


@dataclass
class Job:
    """One report between the extraction and the confidence model (which scores many at once)."""

    id: str | None
    ex: Extraction
    lines: list[Line]
    flags: list[Flag]
    billing: str
    payer: Payer
    feats: list[Mapping[str, float]]
    plan: dict[int, list[Any]] = field(default_factory=dict)  # text modifiers per line (modifiers.plan_text_modifiers)
    status_flag: Flag | None = None  # a report-status flag of the input record (HL7 / FHIR)


# --------------------------------------------------------------------------- output records


class Evidence(TypedDict):
    section: str
    start: int
    end: int
    text: str


class _FlagKeys(TypedDict):
    type: str
    message: str
    evidence: list[Evidence]


class Flag(_FlagKeys, total=False):
    """A flag of the output (``type`` is one of ``flags.FLAG_TYPES``); the optional keys depend
    on the type (docs/billing.md lists them)."""

    missing: list[str]
    attribute: str
    title: str
    performed: Any
    ordered: Any
    ordered_evidence: list[Evidence]
    ordered_source: str
    rule: str
    removed: list[str]
    modifier: str
    codes: list[str]
    report_status: str


class FrameOut(TypedDict):
    modality: str
    site: str
    region: str | None
    contrast: str | None
    views: int | None
    side: str | None
    qualifiers: list[str]
    sources: dict[str, str]


class CodeOut(TypedDict):
    code: str
    modifiers: list[str]
    units: int
    confidence: float
    label: str
    family: str
    evidence: list[Evidence]
    modifier_reasons: list[str]


# "for" is a Python keyword: the functional form declares it
AlternativeOut = TypedDict("AlternativeOut", {"code": str, "label": str, "for": str, "confidence": float,
                                              "why_not": list[str]})


class OutputRecord(TypedDict):
    """One coded report (``status`` "ok")."""

    id: str | None
    status: Literal["ok"]
    codes: list[CodeOut]
    alternatives: list[AlternativeOut]
    frames: list[FrameOut]
    flags: list[Flag]
    confidence: float
    needs_review: bool
    review_reasons: list[str]
    billing: str
    payer: str
    versions: dict[str, str]


class ErrorInfo(TypedDict):
    type: str
    message: str


class ErrorRecord(TypedDict):
    """A record the pipeline could not code (one per bad input record)."""

    id: str
    status: Literal["error"]
    error: ErrorInfo
    versions: dict[str, str]
