"""The pipeline: report text -> sections -> attributes -> frames -> codes -> confidence -> modifiers.

``Suggester`` configures the stages once (lexicon, spaCy pipeline, payer, models) and runs them
in order for each report; the stages live in their own modules:

==========================  ====================================================================
stage                       module
==========================  ====================================================================
sections, mentions, frames  :mod:`suggester.extraction` (spaCy), :mod:`suggester.frames`
codes                       :mod:`suggester.mapping`, :mod:`suggester.hybrid` (title model)
flags                       :mod:`suggester.flags` (reads the extraction and the mapped lines)
confidence                  :mod:`suggester.confidence`
modifiers, output record    :mod:`suggester.modifiers`, :mod:`suggester.output`
==========================  ====================================================================

The objects handed between the stages are declared in :mod:`suggester.model`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, cast

from .__about__ import __version__
from .confidence import LITERALS as CONFIDENCE_LITERALS
from .confidence import (
    line_features,
    load_confidence_model,
    report_context,
    rule_score,
    text_reading,
)
from .errors import SuggesterError
from .extraction import BUDGET_REASON, Extractor, stage_literals
from .flags import VOID_REPORT_STATUS, read_order, report_flags, report_status_flag
from .hybrid import chooser, model_top, order_lines
from .lexicon import Lexicon, LexiconError, Payer, default_lexicon, load_payer
from .mapping import map_frames
from .model import Extraction, Flag, Job, Line, OutputRecord
from .modifiers import BILLING, phrases_of, plan_text_modifiers
from .modifiers import literals as modifier_literals
from .output import code_lines, report_record
from .textview import Literals
from .title_model import load_title_model

__all__ = ["BUDGET_REASON", "MAX_TEXT_BYTES", "Suggester", "SuggesterError", "error_record", "record_id"]

MAX_TEXT_BYTES = 1_000_000
REVIEW_THRESHOLD = 0.80
_SURROGATE_RX = re.compile("[\ud800-\udfff]")
_WORD_CHAR_RX = re.compile(r"[^\W_]")  # a letter or a digit, in any script


class Suggester:
    """Suggest CPT codes for radiology reports.

    >>> s = Suggester()
    >>> [c["code"] for c in s.suggest("CT ABDOMEN AND PELVIS WITH CONTRAST")["codes"]]
    ['74177']
    """

    def __init__(self, lexicon_path: str | None = None, billing: str = "professional",
                 payer: str = "medicare", review_threshold: float | None = None,
                 confidence_model: str | None = None, title_model: str | None = None,
                 review_thresholds: dict[str, float] | None = None):
        self.lexicon_path = str(lexicon_path) if lexicon_path else None
        self.lex: Lexicon = default_lexicon(self.lexicon_path)
        self.billing = _check_billing(billing)
        self._user_payers: dict[str, Payer] = {}  # profiles read from files while building
        self.payer = self._payer(payer, files=True)
        # every stage's words in one shared pass per text (suggester.textview): noise, sections,
        # the phrase tables of the payers known now, and the confidence cues
        tables = dict.fromkeys(phrases_of(p) for p in (self.payer, *self.lex.payers.values()))
        literals = Literals({**stage_literals(self.lex), **modifier_literals(tables), **CONFIDENCE_LITERALS})
        self.extractor = Extractor(self.lex, self.lexicon_path, literals)
        self.nlp = self.extractor.nlp
        # the calibrated confidence model (suggester/confidence.py), loaded once: None or "auto"
        # -> models/confidence (rule score + warning S001 when absent), "rules" -> rule score,
        # a folder -> that model; $SUGGESTER_CONFIDENCE_MODEL stands in for None. A model built
        # for other versions raises ConfidenceModelError; its threshold is the default one.
        spec = confidence_model if confidence_model is not None else os.environ.get("SUGGESTER_CONFIDENCE_MODEL")
        self.confidence_model = load_confidence_model(spec, lexicon_version=self.lex.version,
                                                      lexicon_dir=self.lexicon_path)
        self.title_model, self.combiners = load_title_model(title_model)
        # the text model whose reading the confidence features compare with the rules' codes
        self.text_model = self.confidence_model.text if self.confidence_model is not None else None
        default_threshold = self.confidence_model.threshold if self.confidence_model else REVIEW_THRESHOLD
        self.review_threshold = default_threshold if review_threshold is None else review_threshold
        # release operating points per code family (chosen on dev, stored with the model); a
        # global review_threshold given here overrides them, review_thresholds= overrides some
        family_points = {} if review_threshold is not None or self.confidence_model is None \
            else dict(self.confidence_model.meta.get("review_thresholds") or {})
        self.review_thresholds: dict[str, float] = {**family_points, **(review_thresholds or {})}
        self.versions = {"suggester": __version__, "lexicons": self.lex.version,
                         "model": self.confidence_model.version if self.confidence_model else "rules",
                         "title_model": self.title_model.version if self.title_model else "none"}

    def suggest(self, text: str, ordered: str | None = None, billing: str | None = None,
                payer: str | None = None, id: str | None = None) -> OutputRecord:
        job = self._prepare(text, ordered, billing, payer, id)
        return self._finish(job, self._confidences([job.feats])[0])

    def extract(self, text: str) -> Extraction:
        """Sections, mentions and resolved exam frames of one report (stages 1-4)."""
        return self.extractor.extract(text)

    def _prepare(self, text: Any, ordered: str | None, billing: str | None, payer: str | None,
                 id: str | None) -> Job:
        """Every stage up to the confidence model (which :meth:`suggest_many` batches)."""
        text, billing = _check_text(text), _check_billing(billing or self.billing)
        payer_p = self._payer(payer) if payer else self.payer
        ex = self.extract(text)
        ranked: dict = {}  # the frames' ranked candidates, for the second mapping below
        lines, applied = map_frames(ex.frames, self.lex, payer_p, ranked=ranked)
        # the hybrid decides single-line reports; where the rules bill several lines or apply a
        # rule (several exams, add-ons, combinations, replacements) the rules decide
        choose = chooser(ex, self.lex, self.title_model, self.combiners) if len(lines) <= 1 and not applied else None
        if choose is not None:
            lines, applied = map_frames(ex.frames, self.lex, payer_p, choose, ranked)
        elif len(lines) > 1:  # several exams: the rules' codes, the one the title names first
            lines = order_lines(lines, model_top(ex, self.title_model))
        plan = plan_text_modifiers(ex, lines, payer_p)
        order = read_order(ordered, ex)
        order_ex = self.extract(order.text) if order is not None and not order.codes else None
        flags = report_flags(ex, lines, applied, self.lex, payer_p, plan, order, order_ex)
        tm = self.text_model
        reading = text_reading(tm.codes, tm.probabilities(text), (ln.code.code for ln in lines), tm.index) \
            if tm is not None and lines else None
        ctx = report_context(ex, lines, flags, plan, variants=self.lex.code_variants(), reading=reading)
        feats: list[Mapping[str, float]] = [line_features(ln, ctx) for ln in lines]
        ex.forget_scans()  # (every stage that searches the text has run)
        return Job(id, ex, lines, flags, billing, payer_p, feats, plan)

    def _confidences(self, groups: Sequence[Sequence[Mapping[str, float]]]) -> list[list[float]]:
        """Line confidences of several reports' line features: one call of the model for all."""
        if self.confidence_model is None:
            return [[rule_score(f) for f in feats] for feats in groups]
        return [[round(p, 4) for p in ps] for ps in self.confidence_model.predict_many(groups)]

    def _finish(self, job: Job, confs: list[float]) -> OutputRecord:
        codes, alternatives, line_conf = self._code_lines(job.ex, job.lines, job.billing, job.payer,
                                                          (job.feats, confs), job.plan)
        return report_record(job, codes, alternatives, line_conf, self.threshold_for(codes), self.versions)

    def _code_lines(self, ex: Extraction, lines: list[Line], billing: str, payer: Payer,
                    scored: tuple[Sequence[Mapping[str, float]], list[float]] | None = None, plan: dict | None = None):
        """Output code lines; ``scored`` = (line features, confidences) when already computed."""
        if scored is None:
            ctx = report_context(ex, lines, variants=self.lex.code_variants())
            feats = [line_features(ln, ctx) for ln in lines]
            scored = feats, self._confidences([feats])[0]
        return code_lines(ex, lines, billing, payer, self.lex, scored[0], scored[1], plan)

    def threshold_for(self, codes: list) -> float:
        """The release threshold of a report: the strictest of its code families' operating
        points (a family without one uses the global threshold; above 1.0 releases nothing)."""
        fams = {c["family"] for c in codes}
        return max((self.review_thresholds.get(f, self.review_threshold) for f in fams),
                   default=self.review_threshold)

    def suggest_many(self, records: Iterable, *, first: int = 1, batch: int = 64) -> Iterator[dict]:
        """Stream one output record per input record (a str or a dict with ``text``), numbered
        from ``first`` (ids of records without one). Up to ``batch`` records are read ahead, so
        that the confidence model scores them in one call; the outputs equal
        :meth:`suggest_record`'s, in input order."""
        jobs: list[Job | dict[str, Any]] = []
        for n, rec in enumerate(records, first):
            jobs.append(self._prepare_record(rec, n))
            if len(jobs) >= batch:
                yield from self._finish_many(jobs)
                jobs = []
        yield from self._finish_many(jobs)

    def suggest_record(self, rec: Any, n: int = 1) -> dict:
        return next(self._finish_many([self._prepare_record(rec, n)]))

    def _prepare_record(self, rec: Any, n: int) -> Job | dict[str, Any]:
        """The prepared job of one input record, or its error record."""
        rid = record_id(rec, n)
        try:
            text, ordered, billing, payer, status = read_record(rec)
            job = self._prepare(text, ordered, billing, payer, rid)
            job.status_flag = cast("Flag | None", report_status_flag(status) if status else None)
            return job
        except SuggesterError as e:
            return error_record(rid, e.kind, str(e))

    def _finish_many(self, jobs: list[Job | dict[str, Any]]) -> Iterator[dict]:
        todo = [j for j in jobs if isinstance(j, Job)]
        confs = dict(zip(map(id, todo), self._confidences([j.feats for j in todo]), strict=True)) if todo else {}
        for j in jobs:
            yield self._finish(j, confs[id(j)]) if isinstance(j, Job) else j  # type: ignore[misc]

    def _payer(self, name: str, files: bool = False) -> Payer:
        """A payer profile by name, or, while the Suggester is built (``files``), a profile file."""
        return find_payer(self.lex, name, self._user_payers, files=files)


# ---------------------------------------------------------------------- configuration and input


def find_payer(lex: Lexicon, name: str, user: dict[str, Payer], *, files: bool = False) -> Payer:
    """A payer profile by name (the lexicon's, or one in ``user``), or with ``files`` a profile
    file (``payer="my.json"``), which is then added to ``user``.

    A file is validated like every lexicon (errors name ``file:line``; substitution codes must be
    in the code table) and then records may name it. Per-record values only name profiles: they
    never read files (records can come from the network through the service).
    """
    if name in user:
        return user[name]
    if name in lex.payers:
        return lex.payers[name]
    if files and (name.lower().endswith(".json") or "/" in name or "\\" in name):
        if not Path(name).is_file():
            raise SuggesterError("unknown_payer", f"payer profile file not found: {name}")
        try:
            profile = load_payer(Path(name), lex.codes, lex.payer_policies)
        except LexiconError as e:
            raise SuggesterError("invalid_payer", f"invalid payer profile: {e}") from None
        user[profile.name] = profile
        return profile
    known = sorted(set(lex.payers) | set(user))
    raise SuggesterError("unknown_payer", f"unknown payer {name!r}; known: {known}")


def read_record(rec: Any) -> tuple[Any, str | None, str | None, str | None, str | None]:
    """(text, ordered, billing, payer, report status) of an input record (a str or a dict)."""
    if isinstance(rec, str):
        return rec, None, None, None, None
    if not isinstance(rec, dict):
        raise SuggesterError("invalid_record", f"record must be a JSON object or a string, got {type(rec).__name__}")
    err = rec.get("error")
    if "text" not in rec and isinstance(err, dict) and {"type", "message"} <= set(err):
        raise SuggesterError(str(err["type"]), str(err["message"]))
    status = _opt_str(rec.get("report_status"))  # set by the HL7 / FHIR readers, or in the input
    if status and status.strip().lower() in VOID_REPORT_STATUS:
        raise SuggesterError("report_status", f"report status {status!r}: not coded")
    return (rec.get("text"), _opt_str(rec.get("ordered")), _opt_str(rec.get("billing")),
            _opt_str(rec.get("payer")), status)


def _check_text(text) -> str:
    if text is None:
        raise SuggesterError("missing_text", "record has no text")
    if not isinstance(text, str):
        raise SuggesterError("text_not_string", f"text must be a string, got {type(text).__name__}")
    # at most 4 UTF-8 bytes a character: most texts need no encoding to know their size
    if len(text) > MAX_TEXT_BYTES or len(text) * 4 > MAX_TEXT_BYTES and \
            len(text.encode("utf-8", "surrogatepass")) > MAX_TEXT_BYTES:
        raise SuggesterError("text_too_large", f"text is larger than {MAX_TEXT_BYTES} bytes")
    text = text.replace("\x00", " ")
    if not text.isascii() and _SURROGATE_RX.search(text):  # lone surrogates (a JSON "\ud800" escape) cannot be encoded
        text = _SURROGATE_RX.sub("\ufffd", text)
    if not text or text.isspace():
        raise SuggesterError("empty_text", "text is empty")
    if not _WORD_CHAR_RX.search(text):  # only punctuation, symbols, control or invisible characters
        raise SuggesterError("empty_text", "text has no letters or digits")
    return text


def release_options(points: Iterable[tuple[str, float]] | None) -> dict[str, Any]:
    """``Suggester`` keyword arguments for release points ``[(family, threshold)]`` as the CLI's
    ``--release FAMILY=T`` and the service config give them: family ``all`` sets the threshold of
    every family (``review_threshold``), others override that family (``review_thresholds``); a
    report is released when its confidence reaches the point of every family it bills."""
    points = list(points or ())
    out: dict[str, Any] = {}
    every = [t for f, t in points if f == "all"]
    if every:
        out["review_threshold"] = every[-1]
    some = {f: t for f, t in points if f != "all"}
    if some:
        out["review_thresholds"] = some
    return out


def _check_billing(billing: str) -> str:
    if billing not in BILLING:
        raise SuggesterError("invalid_billing", f"billing must be one of {BILLING}, got {billing!r}")
    return billing


def _opt_str(v) -> str | None:
    if v is None or v == "":
        return None
    return str(v)


def record_id(rec, n: int) -> str:
    """The output id of the n-th input record: its ``id`` as a string, else ``line-N``."""
    rid = rec.get("id") if isinstance(rec, dict) else None
    return str(rid) if rid not in (None, "") else f"line-{n}"


def error_record(rid: str, kind: str, message: str) -> dict[str, Any]:
    """The output record of an input record that could not be coded (``model.ErrorRecord``)."""
    return {"id": rid, "status": "error", "error": {"type": kind, "message": message},
            "versions": {"suggester": __version__}}
