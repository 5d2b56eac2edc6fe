"""The pipeline: report text -> sections -> attributes -> frames -> codes -> confidence -> modifiers.

``Suggester`` builds the spaCy pipeline once and runs it only on the sections that decide the
code (title, technique, contrast and views lines; the history for screening vs diagnostic; the
opening of the findings and any addendum as fallbacks).
"""

from __future__ import annotations

import bisect
import os
import re
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, replace

import spacy
from spacy.util import compile_infix_regex, compile_suffix_regex

from . import attributes as _attributes  # noqa: F401  (registers the factories)
from . import context as _context  # noqa: F401
from .__about__ import __version__
from .attributes import TEXT_KEY, doc_text
from .confidence import (
    exam_name,
    line_features,
    load_confidence_model,
    report_confidence,
    report_context,
    review_reason,
    rule_score,
)
from .flags import VOID_REPORT_STATUS, document_flags, ordered_flags, report_status_flag
from .frames import (
    build_frames,
    group_mentions,
    site_parts,
    split_and_merge,
)
from .hybrid import MODEL_K, frame_from_code, rerank, score_candidates
from .lexicon import Lexicon, Payer, default_lexicon
from .mapping import map_frames
from .model import Conflict, Extraction, Frame, Line, Mention
from .modifiers import BILLING, lines_for, plan_text_modifiers
from .noise import set_aside
from .sections import Section, normalize_dictation, split_sections
from .title_model import MAX_TITLE, load_title_model

MAX_TEXT_BYTES = 1_000_000
TITLE_SECTIONS = ("exam", "subtitle", "ordered")
MODEL_ONLY_MAX = 0.8  # confidence cap of a line the title model billed without a rules frame
REVIEW_THRESHOLD = 0.80
# how much of each section the attribute pipeline reads
SECTION_BUDGET = {"exam": 600, "subtitle": 300, "ordered": 600, "technique": 1500, "contrast": 400, "views": 400,
                  "history": 500, "body": 500, "findings": 400, "addendum": 800, "impression": 300}
# the per-record work budget (hostile or pasted-together input), so any text up to MAX_TEXT_BYTES
# codes in bounded time: every later stage sees at most MAX_SECTIONS sections of at most
# MAX_SECTION_CHARS characters; at most MAX_SECTIONS_READ sections and MAX_CHARS_READ characters
# go to the attribute pipeline; at most MAX_FRAMES frames are resolved. Every report of eval/data
# is far inside (<= 12 sections of <= 1,200 characters, <= 1,500 characters read, <= 4 frames); a
# report cut by the budget goes to review (BUDGET_REASON).
MAX_SECTIONS = 400
MAX_SECTION_CHARS = 20_000
MAX_SECTIONS_READ = 40
MAX_CHARS_READ = 12_000
MAX_FRAMES = 12
BUDGET_REASON = "report too long or too fragmented: only part of it was read"
VOCAB_GROWTH = 20_000  # new strings spaCy may keep before reports are read in memory zones
PERFORMED_SECTIONS = ("technique", "contrast", "views")
FALLBACK_SECTIONS = ("body", "findings", "addendum", "impression")
_NONE_RX = re.compile(r"^\W*(none|no|n/?a|not applicable|0\s*(ml|cc)?)\b", re.IGNORECASE)
_VOLUME_RX = re.compile(r"\b\d+(\.\d+)?\s*(ml|cc)\b", re.IGNORECASE)
_TWINS = {"twins": 2, "triplets": 3}
_SENT_END = frozenset({".", ";", "!", "?"})
_SURROGATE_RX = re.compile("[\ud800-\udfff]")
_BREAK_RX = re.compile(r"[.;!?](?!\d)|\n")
# modalities a technique sentence may name while describing a frame of the key modality
_KIN = {"CT": {"CT", "CTA", "POST"}, "CTA": {"CT", "CTA", "POST"}, "MR": {"MR", "MRA"}, "MRA": {"MR", "MRA"},
        "US": {"US", "DUPLEX"}, "DUPLEX": {"US", "DUPLEX"}, "XR": {"XR"}, "FL": {"FL", "XR"},
        "MG": {"MG"}, "NM": {"NM", "CT"}, "PET": {"PET", "CT"}, "DXA": {"DXA"}}


class SuggesterError(ValueError):
    """Bad input to the suggester (the message names the problem)."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


@dataclass
class _Job:
    """One report between extraction and the confidence model."""

    id: str | None
    ex: Extraction
    lines: list[Line]
    flags: list[dict]
    billing: str
    payer: Payer
    feats: list[dict]
    status_flag: dict | None = None  # a report-status flag of the input record (HL7 / FHIR)


def build_nlp(lexicon_path: str | None = None) -> spacy.language.Language:
    nlp = spacy.blank("en")
    # no tokenizer special cases: "W/O" and "w/o" must split the same way
    nlp.tokenizer.rules = {}
    # chargemaster spellings glue words with & + ( ): "ABD&PELVIS", "FLOW&UPTAKE", "TMJ(S)", "BREAST- RT"
    infixes = list(nlp.Defaults.infixes) + [r"(?<=[A-Za-z0-9])[&+()](?=[A-Za-z0-9(])",
                                            r"(?<=[A-Za-z])[<>](?=[0-9])", r"(?<=[A-Za-z])-(?=[0-9])"]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    nlp.tokenizer.suffix_search = compile_suffix_regex(list(nlp.Defaults.suffixes) + [r"-$", r"/$"]).search
    cfg = {"lexicon_path": lexicon_path}
    nlp.add_pipe("suggester_spelling", config=cfg)
    nlp.add_pipe("suggester_terms", config=cfg)
    nlp.add_pipe("suggester_views")
    nlp.add_pipe("suggester_context", config=cfg)
    return nlp


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
        self.nlp = build_nlp(self.lexicon_path)
        self._terms = self.nlp.get_pipe("suggester_terms").terms
        self._term_words = frozenset(t.term for t in self.lex.terms)
        self.billing = _check_billing(billing)
        self.payer = self._payer(payer)
        # the calibrated confidence model (suggester/confidence.py), loaded once: None or "auto"
        # -> models/confidence (rule score + warning S001 when absent), "rules" -> rule score,
        # a folder -> that model; $SUGGESTER_CONFIDENCE_MODEL stands in for None. A model built
        # for other versions raises ConfidenceModelError; its threshold is the default one.
        spec = confidence_model if confidence_model is not None else os.environ.get("SUGGESTER_CONFIDENCE_MODEL")
        self.confidence_model = load_confidence_model(spec, lexicon_version=self.lex.version,
                                                      lexicon_dir=self.lexicon_path)
        self.title_model, self.combiners = load_title_model(title_model)
        default_threshold = self.confidence_model.threshold if self.confidence_model else REVIEW_THRESHOLD
        self.review_threshold = default_threshold if review_threshold is None else review_threshold
        # release operating points per code family (chosen on dev, stored with the model); a
        # global review_threshold given here overrides them, review_thresholds= overrides some
        family_points = {} if review_threshold is not None or self.confidence_model is None \
            else dict(self.confidence_model.meta.get("review_thresholds") or {})
        self.review_thresholds: dict[str, float] = {**family_points, **(review_thresholds or {})}
        self._known_words = self.nlp.get_pipe("suggester_spelling").known
        self.versions = {"suggester": __version__, "lexicons": self.lex.version,
                         "model": self.confidence_model.version if self.confidence_model else "rules",
                         "title_model": self.title_model.version if self.title_model else "none"}

    # ------------------------------------------------------------------ public API
    def suggest(self, text: str, ordered: str | None = None, billing: str | None = None,
                payer: str | None = None, id: str | None = None) -> dict:
        job = self._prepare(text, ordered, billing, payer, id)
        return self._finish(job, self._confidences([job.feats])[0])

    def _prepare(self, text, ordered, billing, payer, id) -> _Job:
        """Everything up to the confidence model (which :meth:`suggest_many` batches)."""
        text = _check_text(text)
        billing = _check_billing(billing or self.billing)
        payer_p = self._payer(payer) if payer else self.payer
        ex = self.extract(text)
        lines, applied = map_frames(ex.frames, self.lex, payer_p)
        # the hybrid decides single-line reports; where the rules bill several lines or apply a
        # rule (several exams, add-ons, combinations, replacements) the rules decide
        choose = self._hybrid(ex, payer_p) if len(lines) <= 1 and not applied else None
        if choose is not None:
            lines, applied = map_frames(ex.frames, self.lex, payer_p, choose)
        flags = document_flags(ex, lines, applied, self.lex, payer_p)
        flags += ordered_flags(ordered, ex, self.lex, self.extract, payer_p, lines)
        flags = list({(f["type"], f["message"]): f for f in flags}.values())
        ctx = report_context(ex, lines)
        return _Job(id, ex, lines, flags, billing, payer_p, [line_features(ln, ctx) for ln in lines])

    def _confidences(self, groups: list[list[dict]]) -> list[list[float]]:
        """Line confidences of several reports' line features: one call of the model for all."""
        if self.confidence_model is None:
            return [[rule_score(f) for f in feats] for feats in groups]
        return [[round(p, 4) for p in ps] for ps in self.confidence_model.predict_many(groups)]

    def _finish(self, job: _Job, confs: list[float]) -> dict:
        ex, lines, flags, billing, payer_p = job.ex, job.lines, job.flags, job.billing, job.payer
        codes, alternatives, line_conf = self._code_lines(ex, lines, billing, payer_p, (job.feats, confs))
        # report confidence: the probability that every code line is right = the product over
        # the exam lines (a bilateral line billed as RT + LT counts once)
        conf = report_confidence([c for c, _ in line_conf])
        review_reasons = []
        if not codes:
            review_reasons.append("no billable exam recognised")
        if ex.cut:
            review_reasons.append(BUDGET_REASON)
        threshold = self.threshold_for(codes)
        if codes and conf < threshold:
            review_reasons.append(f"report confidence {conf:.2f} below {threshold:.2f}")
            # the family is clear but the specific code is not: name what is in doubt ("close
            # alternative 72149 (...)", "CT abdomen+pelvis: contrast unclear") for uncertain lines
            weakest = min(c for c, _ in line_conf)
            review_reasons += [r for c, r in line_conf if r and (c < threshold or c == weakest)]
        for f in flags:
            if f["type"] in ("title_technique_conflict", "performed_differs_from_ordered",
                             "laterality_missing", "complete_exam_elements_missing"):
                review_reasons.append(f["type"])
        out = {
            "id": job.id,
            "status": "ok",
            "codes": codes,
            "alternatives": alternatives,
            "frames": [f.to_dict() for f in ex.frames],
            "flags": flags,
            "confidence": round(conf if codes else 0.0, 4),
            "needs_review": bool(review_reasons),
            "review_reasons": list(dict.fromkeys(review_reasons)),
            "billing": billing,
            "payer": payer_p.name,
            "versions": dict(self.versions),
        }
        if job.status_flag:
            out["flags"].append(job.status_flag)
            out["review_reasons"].append(job.status_flag["type"])
            out["needs_review"] = True
        return out

    def threshold_for(self, codes: list[dict]) -> float:
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
        jobs: list = []
        for n, rec in enumerate(records, first):
            jobs.append(self._prepare_record(rec, n))
            if len(jobs) >= batch:
                yield from self._finish_many(jobs)
                jobs = []
        yield from self._finish_many(jobs)

    def suggest_record(self, rec, n: int = 1) -> dict:
        return next(self._finish_many([self._prepare_record(rec, n)]))

    def _prepare_record(self, rec, n: int) -> _Job | dict:
        """The prepared job of one input record, or its error record."""
        rid = record_id(rec, n)
        try:
            if isinstance(rec, str):
                return self._prepare(rec, None, None, None, rid)
            if not isinstance(rec, dict):
                raise SuggesterError("invalid_record", f"record must be a JSON object or a string, got {type(rec).__name__}")
            err = rec.get("error")
            if "text" not in rec and isinstance(err, dict) and {"type", "message"} <= set(err):
                raise SuggesterError(str(err["type"]), str(err["message"]))
            status = _opt_str(rec.get("report_status"))  # set by the HL7 / FHIR readers, or in the input
            if status and status.strip().lower() in VOID_REPORT_STATUS:
                raise SuggesterError("report_status", f"report status {status!r}: not coded")
            job = self._prepare(rec.get("text"), _opt_str(rec.get("ordered")), _opt_str(rec.get("billing")),
                                _opt_str(rec.get("payer")), rid)
            job.status_flag = report_status_flag(status) if status else None
            return job
        except SuggesterError as e:
            return error_record(rid, e.kind, str(e))

    def _finish_many(self, jobs: list) -> Iterator[dict]:
        todo = [j for j in jobs if isinstance(j, _Job)]
        confs = dict(zip(map(id, todo), self._confidences([j.feats for j in todo]), strict=True)) if todo else {}
        for j in jobs:
            yield self._finish(j, confs[id(j)]) if isinstance(j, _Job) else j

    # ------------------------------------------------------------------ extraction
    def extract(self, text: str) -> Extraction:
        # noise set aside and dictated punctuation read as marks: same length, offsets still hold
        original = text
        text, noise = set_aside(normalize_dictation(text), self._term_words.__contains__)
        sections = split_sections(text, self.lex.sections)
        kept = _bounded_sections(sections)
        chosen = _within_budget([s for s in kept if s.name in SECTION_BUDGET])
        # an addendum may correct what was performed: always read
        primary = [s for s in chosen if s.name not in FALLBACK_SECTIONS or s.name == "addendum"]
        mentions = self._read(text, primary, 0)
        frames, source = self._frames(mentions)
        if self._needs_fallback(frames, mentions):
            # the findings / body are read only when the title and technique leave a gap
            mentions += self._read(text, [s for s in chosen if s.name in FALLBACK_SECTIONS and s.name != "addendum"],
                                   len(primary))
            frames, source = self._frames(mentions)
        cut = kept != sections or len(chosen) < sum(s.name in SECTION_BUDGET for s in kept) \
            or len(frames) > MAX_FRAMES
        ex = Extraction(original, kept, mentions, frames[:MAX_FRAMES], source, cut, noise=noise, clean=text)
        title = ex.title = _title_mention(ex)
        words = re.findall(r"[a-z]{2,}", title.text.lower()) if title else []
        ex.title_words = len(words)
        ex.title_unknown = sum(w not in self._known_words for w in words) / len(words) if words else 1.0
        self._resolve(ex)
        ex.frames = split_and_merge(ex.frames, self.lex)
        for f in ex.frames:
            self._complete_elements(ex, f)
        return ex

    def _read(self, text: str, secs: list[Section], first_id: int) -> list[Mention]:
        texts = [text[s.start:min(s.end, s.start + SECTION_BUDGET[s.name])] for s in secs]
        out: list[Mention] = []
        with self._memory_zone():
            for doc_id, (sec, doc) in enumerate(zip(secs, self.nlp.pipe(self._docs(texts)), strict=True), first_id):
                out.extend(self._mentions(doc, sec, doc_id))  # plain strings: valid after the zone
        return out

    def _memory_zone(self):
        """spaCy keeps every new word (an accession number, a date) in its vocabulary for good.
        Once it has learned ``VOCAB_GROWTH`` words beyond its start (the common ones, which its
        tokenizer cache keeps), reports are read in a memory zone that forgets theirs: memory
        stays flat over any number of reports."""
        strings = self.nlp.vocab.strings
        if "_vocab_limit" not in self.__dict__:
            self._vocab_limit = len(strings) + VOCAB_GROWTH
        if len(strings) < self._vocab_limit or not hasattr(self.nlp, "memory_zone"):
            return nullcontext()
        return self.nlp.memory_zone()

    def _docs(self, texts: list[str]) -> list:
        """Tokenized docs that carry their text (components read it instead of rebuilding it)."""
        docs = []
        for t in texts:
            doc = self.nlp.make_doc(t)
            doc.user_data[TEXT_KEY] = t
            docs.append(doc)
        return docs

    def _needs_fallback(self, frames: list[Frame], mentions: list[Mention]) -> bool:
        """Whether the findings/body could change the result (see ``_resolve``)."""
        if not frames:
            return True
        perf = {m.key for m in mentions if m.section in PERFORMED_SECTIONS and m.status != "historical"}
        for f in frames:
            if f.modality == "XR" and not f.title_views and not perf & {"views", "proj"}:
                return True
            if f.modality in ("CT", "MR", "MRA") and not f.title_contrast \
                    and "contrast" not in perf:
                return True
            if len(frames) == 1 and f.side is None and "side" not in perf:
                region = self.lex.region_for(f.site, f.modality)
                if region and any(c.side in ("unilateral", "bilateral")
                                  for c in self.lex.codes_for(f.modality, region)):
                    return True
        return False

    def _mentions(self, doc, sec: Section, doc_id: int) -> list[Mention]:
        fuzzy = set(doc.user_data.get("fuzzy", ()))
        marks = doc.user_data.get("context", {})
        fwd = doc.user_data.get("context_forward", {})
        spans = doc.spans["attrs"]
        if not len(spans):
            return []
        # sentence and parenthesis structure from the characters (cheaper than walking tokens)
        txt = doc_text(doc)
        breaks = [m.start() for m in _BREAK_RX.finditer(txt)]
        parens = _paren_ranges(txt)
        out = []
        for span in spans:
            sent = bisect.bisect_right(breaks, span.start_char)
            in_paren = any(a < span.start_char < b for a, b in parens)
            start, end = sec.start + span.start_char, sec.start + span.end_char
            status = marks.get(span.start, "performed")
            if sec.name in ("comparison", "allergy"):
                status = "historical"
            is_fuzzy = any(i in fuzzy for i in range(span.start, span.end))
            if span.label_ == "VIEWS":
                out.append(Mention("views", span.kb_id_, start, end, sec.name, span.text, span.start,
                                   doc_id, is_fuzzy, status, sent, in_paren))
                continue
            term = self._terms[span.label]
            for k, v in term.attrs:
                out.append(Mention(k, v, start, end, sec.name, span.text, span.start, doc_id, is_fuzzy,
                                   status, sent, in_paren, fwd.get(span.start, False)))
        return out

    def _frames(self, mentions: list[Mention]) -> tuple[list[Frame], str | None]:
        for source in (("exam",), ("subtitle",), PERFORMED_SECTIONS, FALLBACK_SECTIONS):
            ms = [m for m in mentions if m.section in source and m.status != "historical"]
            if not ms:
                continue
            if source == ("exam",) and not any(m.key == "modality" for m in ms) and any(
                    m.key == "modality" and m.section == "subtitle" and m.status != "historical"
                    and m.start > ms[0].start and m.start - _line_start(mentions, m) < 100 for m in mentions):
                continue  # "OUTSIDE CHEST FILMS" banner above "XR CHEST 4V (PA/LAT/BIL OBL)"
            if any(m.key == "site" and not m.paren for m in ms):
                # "CT ABDOMEN PELVIS (RENAL STONE)": anatomy in parentheses is the indication
                ms = [m for m in ms if not (m.key == "site" and m.paren)]
            if source == FALLBACK_SECTIONS:
                # narrative text: the exam is named in the first sentence that names one
                first = next(((m.doc_id, m.sent) for m in ms if m.key == "site"), None)
                if first is not None:
                    ms = [m for m in ms if (m.doc_id, m.sent) == first]
            groups = group_mentions(ms)
            default_mod = next((m.value for m in mentions if m.key == "modality"
                                and m.status != "historical"), None)
            frames = build_frames(groups, self.lex, default_mod)
            if not frames:
                frames = self._modality_only_frames(groups)
            if frames:
                for f in frames:
                    self._group_attrs(f, groups, ms, source)
                return frames, "exam" if source == ("subtitle",) else source[0]
        return [], None

    def _modality_only_frames(self, groups) -> list[Frame]:
        out = []
        for g in groups:
            if g.modality is None:
                continue
            quals = {m.value for m in g.mentions if m.key == "qual" and m.status == "performed"}
            site = self.lex.default_site(g.modality.value, quals)
            if site:
                f = Frame(g.modality.value, site)
                f.add("modality", [g.modality], "title")
                f.sources["site"] = "default"
                f.quals.add("site_defaulted")
                f.quals |= quals
                out.append(f)
        return out

    def _group_attrs(self, f: Frame, groups, ms: list[Mention], source) -> None:
        """Attach contrast / views / projection mentions of the frame's title group."""
        site_ev = f.evidence.get("site", [])
        group = next((g for g in groups if any(m in g.mentions for m in site_ev)), None)
        if group is None:
            group = next((g for g in groups if g.modality and g.modality in f.evidence.get("modality", [])), None)
        own = group.mentions if group else ms
        contrast = [m for m in own if m.key == "contrast"]
        if not contrast and (group is None or group is groups[-1]):
            # a contrast phrase closing the title applies to every exam in it
            last = groups[-1].mentions if groups else []
            contrast = [m for m in last if m.key == "contrast"]
        f.title_contrast = contrast
        f.title_views = [m for m in own if m.key in ("views", "proj")]

    # ------------------------------------------------------------------ hybrid (rules + title model)
    def _hybrid(self, ex: Extraction, payer: Payer):
        """The chooser for map_frames (None when the title model is off or the report has several
        exams); a title the rules cannot read gets the model's frame when the combiner is sure."""
        if self.title_model is None:
            return None
        title = ex.title  # found once by extract()
        if title is None:
            return None
        top = self.title_model.top(title.text, MODEL_K)
        if not top:
            return None
        # a one-line title is read like a chargemaster description; a report has a body too
        kind = "title" if all(s.name in TITLE_SECTIONS for s in ex.sections) else "report"
        combiner = self.combiners.get(kind)
        if not ex.frames:
            scored = score_candidates(None, [], top, self.lex, combiner)
            if not scored or combiner is None or scored[0].score < combiner.accept:
                return None
            ex.frames = [frame_from_code(scored[0].code, title)]
            ex.frame_source = "model"
        elif len(ex.frames) > 1:
            return None

        def choose(frame: Frame, cands: list):
            scored = score_candidates(frame if ex.frame_source != "model" else None, cands, top,
                                      self.lex, combiner)
            if not scored:
                return cands, None
            if cands and cands[0].penalty < 0 and scored[0].code is not cands[0].code:
                # a code the documented qualifiers select ("VERTEBRAL FRACTURE ASSESSMENT" with the
                # DXA) is not overridden by wording statistics: the rules' choice stays first
                scored = sorted(scored, key=lambda sc: sc.code is not cands[0].code)
            best = scored[0]
            info = {"code": best.code.code, "score": best.score, "p_model": best.p_model,
                    "model_top": top[0][0], "p_top": top[0][1],
                    "margin": top[0][1] - (top[1][1] if len(top) > 1 else 0.0),
                    "agree": bool(cands) and cands[0].code is best.code,
                    "source": ex.frame_source, "kind": kind}
            return rerank(cands, scored), info
        return choose

    # ------------------------------------------------------------------ resolution
    def _resolve(self, ex: Extraction) -> None:
        perf = [m for m in ex.mentions if m.section in PERFORMED_SECTIONS and m.status != "historical"]
        fallback = [m for m in ex.mentions if m.section in FALLBACK_SECTIONS and m.status != "historical"]
        # contrast is read from narrative body text or an addendum, not from findings ("no contrast
        # in the bursa" describes anatomy)
        fallback_c = [m for m in fallback if m.section in ("body", "addendum")]
        history = [m for m in ex.mentions if m.section == "history"]
        # an addendum that documents a different study corrects the report (CODING_RULES §6)
        addendum = [m for m in ex.mentions if m.section == "addendum" and m.status == "performed"
                    or m.section == "addendum" and m.status == "negated" and m.key == "proj"]
        contrast_section = [s for s in ex.sections if s.name == "contrast"]
        multi = len(ex.frames) > 1
        frame_sites = frozenset(x for fr in ex.frames for x in (fr.site, *site_parts(fr.site)))

        index = _SentenceIndex()

        def _ff(ms, f, pool, multi):
            return _for_frame(ms, f, pool, multi, frame_sites, index(pool) if multi else None)

        for f in ex.frames:
            title_c = f.title_contrast
            title_v = f.title_views
            # ---- contrast
            tval = contrast_value(title_c)
            perf_c = _ff([m for m in perf if m.key == "contrast"], f, perf, multi)
            if multi and tval is not None:
                # sentences naming this exam's anatomy beat the title; general ones do not
                named = [m for m in perf_c if _names_frame(m, f, perf, index(perf))]
                perf_c = named
            pval = contrast_value(perf_c)
            if pval is None and contrast_section:
                pval = _contrast_section_value(ex.text, contrast_section[0])
                if pval:
                    perf_c = [Mention("contrast", pval, contrast_section[0].start, contrast_section[0].end,
                                      "contrast", ex.text[contrast_section[0].start:contrast_section[0].end].strip()[:80],
                                      0, -1)]
            if pval is None and ex.frame_source == "exam" and tval is None:
                fb = _ff([m for m in fallback_c if m.key == "contrast"], f, fallback, multi)
                pval = contrast_value(fb)
                perf_c = fb
            negated_plain = any(m.status == "negated" and m.value == "without" for m in perf_c)
            if pval == "with" and tval == "without_then_with" and not negated_plain:
                pval = tval  # the technique names the contrast series; the title adds the plain one
            if pval is not None:
                f.contrast = pval
                f.add("contrast", [m for m in perf_c if m.status != "historical"], "technique")
                if tval is not None and tval != pval and _contrast_matters(f):
                    f.conflicts.append(Conflict("contrast", tval, pval, title_c, perf_c))
            elif tval is not None:
                f.contrast = tval
                f.add("contrast", title_c, "title")
            _apply_addendum_contrast(f, addendum, _ff)
            # ---- views (radiographs only)
            if f.modality != "XR":
                title_v = []
            tv = views_value(title_v)
            pv_m = _ff([m for m in perf if m.key in ("views", "proj")], f, perf, multi) \
                if f.modality == "XR" else []
            pv = views_value(pv_m)
            if pv is None and tv is None and ex.frame_source == "exam" and f.modality == "XR":
                fb = _ff([m for m in fallback if m.key in ("views", "proj")], f, fallback, multi)
                pv, pv_m = views_value(fb), fb
            if pv is not None:
                f.views = pv
                f.add("views", pv_m, "technique")
                if tv is not None and tv != pv and f.modality == "XR":
                    f.conflicts.append(Conflict("views", str(tv), str(pv), title_v, pv_m))
            elif tv is not None:
                f.views = tv
                f.add("views", title_v, "title")
            if f.modality == "XR":
                _apply_addendum_views(f, addendum, _ff)
            if f.views is None and "portable" in f.quals and f.site == "chest":
                f.views = 1
                f.sources["views"] = "inferred"
            # ---- side
            perf_s = _ff([m for m in perf if m.key == "side"], f, perf, multi)
            psid = _side(perf_s)
            if psid and f.side == "unilateral":
                if psid == "bilateral":  # "UNILATERAL" title; the technique names the side first
                    psid = next((m.value for m in perf_s if m.value in ("left", "right")), None)
                if psid:
                    f.side = psid
                    f.add("side", perf_s, "technique")
            elif psid == "bilateral" and f.side in ("left", "right"):
                pass  # a side named in the title is not undone by the other side's mention
            elif psid and f.side and psid != f.side and not multi:
                f.conflicts.append(Conflict("side", f.side, psid, f.evidence.get("side", []), perf_s))
                f.side = psid
                f.evidence["side"] = perf_s
            elif psid and not f.side:
                f.side = psid
                f.add("side", perf_s, "technique")
            if not f.side and not multi:
                fb = [m for m in fallback if m.key == "side"]
                fsid = _side(fb[:3])
                if fsid:
                    f.side = fsid
                    f.add("side", fb[:3], "findings")
            # ---- qualifiers from the technique (added) and negated ones (removed)
            pq = _ff([m for m in perf if m.key == "qual"], f, perf, multi)
            for m in pq:
                if m.status == "negated":
                    if m.value in f.quals:
                        f.conflicts.append(Conflict("qualifier", m.value, "not performed",
                                                    f.evidence.get("qual", []), [m]))
                    f.quals.discard(m.value)
                else:
                    f.quals.add(m.value)
                    f.add("qual", [m], "technique")
            # screening / diagnostic from the history when the title does not say
            hq = {m.value for m in history if m.key == "qual" and m.status == "performed"}
            if not {"screening", "diagnostic"} & f.quals:
                if "diagnostic" in hq:
                    f.quals.add("diagnostic")
                elif "screening" in hq or ("screening_hint" in hq and "low_dose" in f.quals):
                    f.quals.add("screening")
            # the technique may name the angiographic study the title calls plain CT / MR
            pm = {m.value for m in _ff([m for m in perf if m.key == "modality"], f, perf, multi)}
            if not multi and (f.modality == "CT" and "CTA" in pm or f.modality == "MR" and "MRA" in pm):
                f.quals.add("angio")
            if f.modality == "CT" and "angio" in f.quals:
                f.modality = "CTA"
            if f.modality == "MR" and "angio" in f.quals:
                f.modality = "MRA"
            if f.side in ("left", "right", "unilateral") and f.modality == "DUPLEX":
                f.quals.add("one_side")  # duplex "unilateral or limited" codes
            for q, n in _TWINS.items():
                if q in f.quals:
                    f.multiplicity = n

    def _complete_elements(self, ex: Extraction, f: Frame) -> None:
        """Complete vs limited ultrasound from the documented elements (CODING_RULES §5)."""
        if f.modality != "US" or f.region not in self.lex.elements:
            return
        body = "\n".join(ex.text[s.start:s.end] for s in ex.sections
                         if s.name in ("findings", "body", "impression", "technique"))
        if not body.strip():
            return  # a title alone: trust it
        groups: dict[str, bool] = {}
        for el in self.lex.elements[f.region]:
            groups[el.group] = groups.get(el.group, False) or bool(el.pattern.search(body))
        missing = [g for g, ok in groups.items() if not ok]
        f.elements_missing = missing
        if missing and "limited" not in f.quals:
            if "complete" in f.quals:
                f.conflicts.append(Conflict("complete", "complete", "limited", f.evidence.get("qual", []), []))
            f.quals.discard("complete")
            f.quals.add("limited")
        elif not missing and "limited" not in f.quals:
            f.quals.add("complete")

    # ------------------------------------------------------------------ output
    def _code_lines(self, ex: Extraction, lines: list[Line], billing: str, payer: Payer,
                    scored: tuple[list[dict], list[float]] | None = None):
        """Output code lines; ``scored`` = (line features, confidences) when already computed."""
        codes, alternatives, line_conf = [], [], []
        if scored is None:
            ctx = report_context(ex, lines)
            feats = [line_features(ln, ctx) for ln in lines]
            scored = feats, self._confidences([feats])[0]
        feats, confs = scored
        for ln, feat, conf in zip(lines, feats, confs, strict=True):
            if ln.model is not None and (ln.model.get("source") == "model"
                                         or ln.frame is not None and ln.frame.sources.get("modality") != "title"):
                # no rule recognised an exam, or none named its modality: a code the title
                # wording chose is never confident enough to release (out-of-scope names such
                # as "RP VEIN PTA" look alike)
                conf = round(min(conf, ln.model["score"], MODEL_ONLY_MAX), 4)
                line_conf.append((conf, f"{exam_name(ln.code)}: billed from the title wording "
                                        "(no exam or modality the rules recognise)"))
            else:
                line_conf.append((conf, review_reason(ln, feat)))
            side = ln.frame.side if ln.frame else None
            if ln.code.side in ("bilateral", "either"):
                side = None
            ev = []
            if ln.frame:
                seen = set()
                for attr in ("modality", "site", "contrast", "views", "side", "qual"):
                    for m in ln.frame.evidence.get(attr, []):
                        key = (m.start, m.end)
                        if key not in seen:
                            seen.add(key)
                            ev.append(m.evidence())
                ev.sort(key=lambda e: e["start"])
            # payer HCPCS substitutions and text-triggered modifiers (52/59/76/77), each with its reason
            code = self.lex.codes[payer.substitutions.get(ln.code.code, ln.code.code)]
            extra = tuple((m, why) for m, why, _hit in plan_text_modifiers(ex, lines, payer).get(id(ln), []))
            if code is not ln.code:
                extra += (("", f"payer {payer.name} reports {ln.code.code} as {code.code}"),)
            for ml in lines_for(code, side, billing, payer, extra, units=ln.units):
                codes.append({
                    "code": code.code,
                    "modifiers": list(ml.modifiers),
                    "units": ml.units,
                    "confidence": conf,
                    "label": code.label,
                    "family": code.family,
                    "evidence": ev,
                    "modifier_reasons": list(ml.reasons),
                })
            for cand in ln.candidates[1:3]:
                alternatives.append({"code": cand.code.code, "label": cand.code.label,
                                     "for": ln.code.code,
                                     "confidence": round((1 - conf) / (1 + cand.penalty), 4),
                                     "why_not": cand.reasons})
        return codes, alternatives, line_conf

    def _payer(self, name: str) -> Payer:
        """A payer profile by name, or, while the Suggester is built, a profile file (``payer="my.json"``).

        A file is validated like every lexicon (errors name ``file:line``; substitution codes must
        be in the code table) and then records may name it. Per-record values only name profiles:
        they never read files (records can come from the network through the service).
        """
        user = self.__dict__.setdefault("_user_payers", {})
        if name in user:
            return user[name]
        if name in self.lex.payers:
            return self.lex.payers[name]
        building = "payer" not in self.__dict__
        if building and (name.lower().endswith(".json") or "/" in name or "\\" in name):
            from pathlib import Path

            from .lexicon import LexiconError, load_payer

            if not Path(name).is_file():
                raise SuggesterError("unknown_payer", f"payer profile file not found: {name}")
            try:
                profile = load_payer(Path(name), self.lex.codes, self.lex.payer_policies)
            except LexiconError as e:
                raise SuggesterError("invalid_payer", f"invalid payer profile: {e}") from None
            user[profile.name] = profile
            return profile
        known = sorted(set(self.lex.payers) | set(user))
        raise SuggesterError("unknown_payer", f"unknown payer {name!r}; known: {known}")


# ---------------------------------------------------------------------- helpers


def _apply_addendum_contrast(f: Frame, addendum: list[Mention], for_frame) -> None:
    """An addendum stating the contrast given ("received 100 mL Omnipaque IV", "rescanned after
    IV contrast") decides the frame's contrast; the title/technique value becomes a conflict."""
    if not _contrast_matters(f):
        return
    ms = [m for m in for_frame([m for m in addendum if m.key == "contrast"], f, addendum, len(addendum) > 0)
          if m.status == "performed"]
    val = contrast_value(ms)
    if val is None or val == f.contrast:
        return
    f.conflicts.append(Conflict("contrast", f.contrast or "not stated", val, f.evidence.get("contrast", []), ms))
    f.contrast = val
    f.evidence["contrast"] = ms
    f.sources["contrast"] = "addendum"


def _apply_addendum_views(f: Frame, addendum: list[Mention], for_frame) -> None:
    """Projections an addendum adds ("a lateral view was obtained after") count with the
    report's; one it withdraws ("the lateral view was not performed") no longer counts."""
    ms = [m for m in for_frame([m for m in addendum if m.key == "proj"], f, addendum, False)]
    if not ms:
        return
    done = {m.value for m in ms if m.status == "performed"}
    if any(not v.startswith("pos_") for v in done):
        done = {v for v in done if not v.startswith("pos_")}  # "upright PA": a position, not a view
    undone = {m.value for m in ms if m.status == "negated"}
    base = {m.value for m in f.evidence.get("views", []) if m.key == "proj"}
    if undone:
        views = len(((base or done) | done) - undone)
    else:
        views = (f.views or 0) + len(done - base)
    if views and views != f.views:
        f.conflicts.append(Conflict("views", str(f.views), str(views), f.evidence.get("views", []), ms))
        f.views = views
        f.evidence["views"] = f.evidence.get("views", []) + ms
        f.sources["views"] = "addendum"


def _title_mention(ex: Extraction) -> Mention | None:
    """The exam title as the title model reads it: the PERFORMED line when the report has one,
    else the first exam line; its first line, noise set aside."""
    exams = [s for s in ex.sections if s.name == "exam"]
    if not exams:
        return None
    sec = next((s for s in exams if s.header and "perform" in s.header.lower()), exams[0])
    raw = ex.clean[sec.start:sec.end]
    lead = len(raw) - len(raw.lstrip(" \t\n,.:;-"))
    line = raw[lead:].split("\n", 1)[0][:MAX_TITLE]
    if not line.strip():
        return None
    start = sec.start + lead
    return Mention("site", "title", start, start + len(line.rstrip()), "exam", line.strip(), 0, -1)


def contrast_value(mentions: list[Mention]) -> str | None:
    vals, oral = set(), False
    for m in mentions:
        if m.status == "historical":
            continue
        v = m.value
        if v in ("oral", "rectal"):
            oral = oral or m.status == "performed"
            continue
        if m.status == "negated":
            if v == "with":
                vals.add("without")
            elif m.neg_forward:
                vals.add(v)  # "NO JNT W/WO CONTRAST": the cue is about something else
            continue
        vals.add(v)
    if "without_then_with" in vals or {"with", "without"} <= vals:
        return "without_then_with"
    if "with" in vals:
        return "with"
    if "without" in vals or oral:
        return "without"
    return None


def views_value(mentions: list[Mention]) -> int | None:
    nums = [int(m.value) for m in mentions if m.key == "views" and m.status != "historical"]
    if nums:
        return max(nums) if len(set(nums)) > 1 and sum(nums) > max(nums) * 2 else nums[-1] if len(nums) == 1 else max(nums)
    projs = {m.value for m in mentions if m.key == "proj" and m.status != "historical"}
    # patient positions ("upright PA and lateral") are views only when no projection is named
    # ("supine and upright abdomen")
    named = {p for p in projs if not p.startswith("pos_")}
    if named or projs:
        return len(named or projs)
    return None


def _side(mentions: list[Mention]) -> str | None:
    vals = {m.value for m in mentions if m.status != "historical"} - {"unilateral"}
    if not vals:
        return None
    if "bilateral" in vals or {"left", "right"} <= vals:
        return "bilateral"
    return vals.pop()


def _bounded_sections(sections: list[Section]) -> list[Section]:
    """The first ``MAX_SECTIONS`` sections, each cut to ``MAX_SECTION_CHARS`` characters: what
    every later stage (attributes, flags, text modifiers) may scan."""
    return [s if s.end - s.start <= MAX_SECTION_CHARS else replace(s, end=s.start + MAX_SECTION_CHARS)
            for s in sections[:MAX_SECTIONS]]


def _within_budget(secs: list[Section]) -> list[Section]:
    """The sections the attribute pipeline reads, in report order, within the work budget
    (``MAX_SECTIONS_READ`` sections, ``MAX_CHARS_READ`` characters after ``SECTION_BUDGET``)."""
    out, chars = [], 0
    for s in secs[:MAX_SECTIONS_READ]:
        chars += min(s.end - s.start, SECTION_BUDGET[s.name])
        if chars > MAX_CHARS_READ and out:
            break
        out.append(s)
    return out


class _SentenceIndex:
    """Per mention pool, the site and modality values of each (doc_id, sentence), built once:
    ``index(pool)[(doc_id, sent)] -> (sites, modalities)``. Keeps the technique-sentence
    assignment of a multi-exam report linear in its mentions."""

    def __init__(self) -> None:
        self._by_pool: dict[int, tuple[list, dict]] = {}

    def __call__(self, pool: list[Mention]) -> dict:
        hit = self._by_pool.get(id(pool))
        if hit is not None and hit[0] is pool:
            return hit[1]
        idx: dict[tuple[int, int], tuple[set, set]] = {}
        for p in pool:
            sites, mods = idx.setdefault((p.doc_id, p.sent), (set(), set()))
            if p.key == "site":
                sites.add(p.value)
            elif p.key == "modality":
                mods.add(p.value)
        self._by_pool[id(pool)] = (pool, idx)  # the pool is kept alive, so its id stays its own
        return idx


_NO_SENTENCE: tuple[set, set] = (set(), set())


def _for_frame(ms: list[Mention], f: Frame, pool: list[Mention], multi: bool,
               frame_sites: frozenset = frozenset(), index: dict | None = None) -> list[Mention]:
    """Mentions that describe this frame. In a multi-exam report: those in a sentence that names
    the frame's anatomy, or that names no anatomy of any exam in the report."""
    if not multi:
        return ms
    if index is None:
        index = _SentenceIndex()(pool)
    mine = {f.site, *site_parts(f.site)}
    out = []
    for m in ms:
        sites, mods = index.get((m.doc_id, m.sent), _NO_SENTENCE)
        if mods and not mods & _KIN.get(f.modality, {f.modality}):
            continue  # "V/Q: anterior, posterior and oblique views" is not the chest radiograph
        if sites & mine or not sites & frame_sites:
            out.append(m)
    return out


def _line_start(mentions: list[Mention], m: Mention) -> int:
    """Start offset of the first mention in ``m``'s section (the start of a short title line)."""
    return min(x.start for x in mentions if x.doc_id == m.doc_id)


def _paren_ranges(text: str) -> list[tuple[int, int]]:
    out, stack = [], []
    for i, ch in enumerate(text):
        if ch == "(":
            stack.append(i)
        elif ch == ")" and stack:
            out.append((stack.pop(), i))
    return out if not stack else out + [(stack[0], len(text))]


def _names_frame(m: Mention, f: Frame, pool: list[Mention], index: dict | None = None) -> bool:
    if index is None:
        index = _SentenceIndex()(pool)
    sites = index.get((m.doc_id, m.sent), _NO_SENTENCE)[0]
    return bool(sites & {f.site, *site_parts(f.site)})


def _contrast_matters(f: Frame) -> bool:
    return f.modality in ("CT", "MR", "MRA")


def _contrast_section_value(text: str, sec: Section) -> str | None:
    body = text[sec.start:sec.end].strip()
    if _NONE_RX.match(body):
        return "without"
    if _VOLUME_RX.search(body):
        return "with"
    return None


def _check_text(text) -> str:
    if text is None:
        raise SuggesterError("missing_text", "record has no text")
    if not isinstance(text, str):
        raise SuggesterError("text_not_string", f"text must be a string, got {type(text).__name__}")
    if len(text) > MAX_TEXT_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_TEXT_BYTES:
        raise SuggesterError("text_too_large", f"text is larger than {MAX_TEXT_BYTES} bytes")
    text = text.replace("\x00", " ")
    if _SURROGATE_RX.search(text):  # lone surrogates (a JSON "\ud800" escape) cannot be encoded
        text = _SURROGATE_RX.sub("\ufffd", text)
    if not text.strip():
        raise SuggesterError("empty_text", "text is empty")
    return text


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


def error_record(rid: str, kind: str, message: str) -> dict:
    return {"id": rid, "status": "error", "error": {"type": kind, "message": message},
            "versions": {"suggester": __version__}}
