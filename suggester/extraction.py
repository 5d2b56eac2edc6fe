"""Stages 1-4 for one report: text -> sections -> attribute mentions -> exam frames.

:class:`Extractor` owns the spaCy pipeline (built once) and runs it only on the sections that
decide the code (title, technique, contrast and views lines; the history for screening vs
diagnostic; the opening of the findings and any addendum as fallbacks), within a per-report work
budget. The mentions go to the frames stage (:mod:`suggester.frames`), which builds the exam
frames and resolves their attributes. The result is one :class:`~suggester.model.Extraction`
that every later stage (mapping, hybrid, flags, confidence, modifiers) reads and none re-computes.
"""

from __future__ import annotations

import bisect
import re
from contextlib import AbstractContextManager, nullcontext
from dataclasses import replace
from typing import cast

import spacy
from spacy.lang.en import English, EnglishDefaults
from spacy.tokens import Doc

from . import attributes as _attributes  # noqa: F401  (registers the factories)
from . import context as _context  # noqa: F401
from . import noise as _noise
from . import sections as _sections
from .attributes import SPANS_KEY, TEXT_KEY, VIEWS_LABEL, SpellingCorrector, TermMatcher, doc_text
from .frames import (
    EXAM_NOT_DONE_RX,
    FALLBACK_SECTIONS,
    JOIN_RX,
    PERFORMED_SECTIONS,
    SCAN_EXTENDED_PELVIS_RX,
    SIDE_UNDONE_RX,
    TITLE_COMPONENTS,
    VIEW_ALSO_TAKEN_RX,
    acute_stroke_workup,
    arthrogram_injection_guidance,
    arthrogram_with_cross_sectional_read,
    bilateral_duplex_scanned_fully,
    bone_scan_areas,
    bowel_loopogram,
    breast_procedure_guidance,
    cancelled_title_exams,
    complete_elements,
    converted_guidance,
    converted_to_diagnostic,
    ct_guided_planning_images,
    cystogram_without_voiding,
    documented_approaches,
    documented_arthrogram_injection,
    documented_breast_ultrasound,
    documented_fetal_doppler,
    documented_forearm_density,
    documented_gestational_age,
    documented_gestations,
    documented_liver_grayscale,
    documented_nst,
    documented_pressure_levels,
    documented_rendering,
    documented_screening_colonography,
    documented_second_radiograph,
    documented_spect_areas,
    documented_spect_ct,
    documented_stress_views,
    documented_swallowing_function,
    documented_tomosynthesis,
    documented_transvaginal_pelvis,
    documented_velocity_flow,
    documented_vfa,
    drug_code_region,
    esophagram_not_swallow_function,
    esophagus_only_upper_gi,
    fluoroscopy_without_guided_needle,
    follow_up_ob,
    followthrough_without_upper_gi,
    frames_from_mentions,
    gallbladder_ef_agent,
    generic_localization_merged,
    guidance_without_needle,
    idle_routine_dropped,
    imaging_days,
    incomplete_joint_survey,
    indium_tracer_merged,
    intrathecal_injection_guidance,
    limited_ob,
    localization_area_merged,
    myelogram_and_ct,
    myelogram_segments,
    nose_to_rectum_film,
    ob_exam_beside_fetal_doppler,
    only_approach,
    organ_duplex,
    organ_duplex_extent,
    organ_title_limited,
    other_side_views,
    own_noncontrast_head_read,
    part_within_series,
    per_side_views,
    pharyngoesophagram_extent,
    physiologic_doppler_title,
    physiologic_extent,
    physiologic_only,
    pregnant_transvaginal,
    procedure_before_radiograph,
    radiograph_shunt_series,
    reduction_series,
    renal_baseline_and_intervention,
    resolve,
    screening_of_known_disease,
    sentence_bounds,
    spect_only_bone_scan,
    spine_fluoroscopy_guidance,
    spine_segment_needle_guidance,
    split_and_merge,
    static_infant_hips,
    title_only_closing_count,
    title_only_either_limb_arteries,
    title_only_extremity,
    title_only_followthrough,
    title_only_limb_duplex,
    title_only_localization_count,
    title_only_multiple_gestation,
    title_only_myocardial_perfusion,
    title_only_organ_vascular,
    title_only_rendering,
    titled_duplex_imaging,
    transcranial_extent,
    venous_access_guidances,
)
from .lexicon import ContextCue, Lexicon, Term
from .memo import BoundedMemo
from .model import Extraction, Frame, Mention
from .noise import set_aside
from .scan import find_matches
from .sections import CODING_SECTIONS, Section, normalize_dictation, split_sections, spoken_marks
from .textview import Literals
from .title_model import MAX_TITLE

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
_NO_ZONE = nullcontext()  # (reusable: it holds nothing)
# sections whose text repeats from report to report (exam titles, templated technique lines):
# their mentions are kept per text, up to SECTION_MEMO texts (Extractor.read; 0: none)
MEMO_SECTIONS = frozenset(CODING_SECTIONS) | {"subtitle"}
SECTION_MEMO = 8_192
# a bare "with" followed by the planes or reconstructions made ("w/ sag + cor reformats",
# "with coronal and sagittal reformations", "w/ 3D recons", "w/ bone algorithm") names images, not contrast
_BARE_WITH = frozenset({"w", "w/", "with"})
# a title's "W/" glued to a component of the study ("CARDIAC MRI-MORPH W/FUNCTION", "CT HEART W/O CONT
# W/EVAL", "CARDIAC MRI W/FLOW VELOCITY", "CT COLON W/POST PROCESSING") names that component, not contrast
_COMPONENT_AFTER_W = re.compile(r"(?:func\w*|fnc|eval\w*|flow|velocity|post\w*|quant\w*|cad|img|image\w*|imaging)\b",
                                re.IGNORECASE)
# a title's contrast shorthand ("CT HEAD W/", "MRI L-SPINE WO") that narrative text uses as a
# preposition ("fx w/ herniated fat", "w/o displacement"); the sections where it is prose
_BARE_SHORTHAND = frozenset({"w", "w/", "wo", "w/o", "w/out"})
_BARE_WITH_OR_SHORTHAND = _BARE_WITH | _BARE_SHORTHAND
_PROSE_SECTIONS = frozenset({"body", "findings", "impression", "history"})
# outside a title ("Tech: thin axial CT w/ cor/sag", a terse outside read whose technique line runs
# on into its findings: "septum deviated to R w/ spur", "orbital floor fx w/ herniated fat"), a bare
# "w/" followed by a word that names no contrast, route or agent is a preposition; "w/ 100 mL",
# "w/ Omnipaque", "w/ and w/o", "w/." stay contrast
_SHORTHAND_TITLES = frozenset({"exam", "subtitle", "ordered", "contrast"})
_NEXT_WORD = re.compile(r"[ \t]*([a-z][a-z'-]*)", re.IGNORECASE)
_CONTRAST_NEXT = frozenset({"and", "or", "iv", "i", "intravenous", "intravenously", "contrast", "con", "cont", "dye",
                            "oral", "po", "rectal", "enteric", "gad", "gado", "gadolinium"})
# (up to two other words name a plane of the trade: "W/ COR + POSCHL RECONS")
_RECONSTRUCTIONS = re.compile(
    r"[\s/]*(?:(?:thin[- ]?(?:section|slice)s?|multi-?planar|sag\w*|cor\w*|ax\w*|3-?d|bone|soft[- ]tissue|"
    r"and|&|\+|,)[\s/]*)*(?:(?!(?:iv|i\.v\.|intravenous|contrast|con|gad\w*|dye)\b)[a-z]+[\s/]+(?:(?:and|&|\+|,)[\s/]*)?){0,2}"
    r"(?:reformat|reconstruct|recon|mpr\b|mip\b|algorithm|kernel|window)", re.IGNORECASE)
# what a safety check before the study screens ("renal function screening", "eGFR screening", "MRI safety
# screening", "metal / pregnancy / allergy screening"): the patient's, not a screening exam (CODING_RULES §5)
_SAFETY_SCREENING = re.compile(r"\b(?:renal|kidney|creatinine|e?gfr|safety|allergy|allergies|metal|pregnancy|implant|"
                               r"lab|labs|laboratory)(?:[ \t]+function)?[ \t]*(?:[-/][ \t]*)?$", re.IGNORECASE)
# a word prefixed "non-" names what the study was not ("non-infant", "non-weightbearing"); the terms that
# start with it ("non-contrast", "non-ob", "noninvasive") are mentions of their own
_NON_PREFIX = re.compile(r"\bnon[- ]$", re.IGNORECASE)
# a projection a finding is seen on ("no fracture on the oblique view", "seen in the lateral projection")
_ON_THE_VIEW = re.compile(r"\b(?:on|in)\s+(?:the|this|that|an?)\s+$", re.IGNORECASE)
# the read's "joint" of a finding: a small joint of the hand, foot or spine ("the fifth MTP joint", "facet
# joints") or the joint's own findings ("joint effusion", "joint space narrowing"); the extremity MRI's joint
# codes are the shoulder, elbow, wrist, hip, knee and ankle (CODING_RULES §7: foot and hand are other than joint)
_JOINT_WORDS = frozenset({"joint", "joints"})
_SMALL_JOINTS = ("mtp", "mcp", "pip", "dip", "ip", "cmc", "tmt", "metatarsophalangeal", "metacarpophalangeal",
                 "interphalangeal", "tarsometatarsal", "carpometacarpal", "lisfranc", "facet", "uncovertebral",
                 "costovertebral", "talonavicular", "calcaneocuboid")
_SMALL_JOINT_BEFORE = re.compile(r"\b(?:" + "|".join(_SMALL_JOINTS) + r")[ \t]+$", re.IGNORECASE)
_JOINT_FINDINGS = ("effusions?", "spaces?", "fluid", "capsule", "narrowing", "surfaces?", "bod(?:y|ies)", "margins?",
                   "line", "distension", "distention")
_JOINT_FINDING_AFTER = re.compile(r"[ \t]+(?:" + "|".join(_JOINT_FINDINGS) + r")\b", re.IGNORECASE)
# a provider's role or "per" before "PA" ("per ordering PA", "referring PA", "per PA Jones"): the
# physician assistant, not the posteroanterior projection (CODING_RULES §4 counts views taken)
_PROVIDER_BEFORE = re.compile(r"\b(?:ordering|referring|requesting|attending|treating|per)[ \t]+$", re.IGNORECASE)
# a modal or "to" before a term that is also the verb "be" (the barium enema's "BE"): "VFA can be
# rescheduled", "WILL BE REPEATED" name no colon
_BEFORE_VERB = re.compile(r"\b(?:can|could|cannot|will|would|may|might|must|shall|should|to|not|won't)\s+$", re.IGNORECASE)
# the bare words a chargemaster line names its 3D rendering by ("CT RECON", "MR RECONSTRUCTIONS"); in a
# report's technique or findings they are the slices reconstructed ("thin 1 mm recon", "bone reconstructions")
_BARE_RECON = frozenset({"recon", "recons", "reconstructions"})
_TITLE_SECTIONS = frozenset({"exam", "subtitle", "ordered"})
# a word that places an ablation before or after the study ("pre-ablation", "prior to ablation", "s/p RFA")
_ABLATION_TIME_BEFORE = re.compile(r"\b(?:pre|post|prior\s+to|before|after|s/p|status\s+post|following)[- ]?\s*$",
                                   re.IGNORECASE)
# a bare route word that places a finding ("intra-articular extension of the fracture", "a small free
# intra-articular osteochondral fragment", "intraarticular loose body"): anatomy, no contrast given
_BARE_ROUTES = frozenset({"intra-articular", "intraarticular", "intra articular"})
_FINDING_AFTER_ROUTE = re.compile(
    r"[ \t]+(?:[a-z-]+[ \t]+){0,2}?(?:fractures?|fx|extension|fragments?|bod(?:y|ies)|loose|osteochondral|step-?off|"
    r"effusions?|hemarthrosis|air|gas|hardware|screws?|involvement|chondral|ossific\w*|lesions?|disease|"
    r"abnormalit\w*)\b", re.IGNORECASE)
# a bare route word that names the patient's line or the people placing it ("IV access failed", "the US-guided IV
# team", "IV placement was unsuccessful"): no contrast given by it (CODING_RULES §2)
_BARE_IV = frozenset({"iv", "i.v.", "intravenous"})
_ACCESS_AFTER_ROUTE = re.compile(r"[ \t]+(?:access|line|lines|team|nurse|nurses|nursing|placement|start|starts|"
                                 r"attempts?|cannula\w*|catheter)\b", re.IGNORECASE)
# a level of care before a bare "acute" ("Evergreen Post-Acute", "Hillcrest Sub-Acute Unit"): the facility's
# name, no acute abdomen series
_CARE_LEVEL_BEFORE = re.compile(r"\b(?:post|sub)[ \t]*-?[ \t]*$", re.IGNORECASE)
_CURVED_BEFORE = re.compile(r"\b(?:curved|multi)[- ]?$", re.IGNORECASE)
# a measurement after a bare "FL": the fetal femur length of a biometry line ("FL 3.3 cm", "FL: 62 mm"), no fluoroscopy
_MEASURE_AFTER = re.compile(r"[ \t]*[:=]?[ \t]*\d")
_BREAK_RX = re.compile(r"[.;!?](?!\d)|\n")
_WORD_RX = re.compile(r"[a-z]{2,}")
_PAREN_RX = re.compile(r"[()]")


class _ReportDefaults(EnglishDefaults):
    """English, with the tokenizer these reports need."""

    # no tokenizer special cases: "W/O" and "w/o" must split the same way
    tokenizer_exceptions: dict = {}
    # chargemaster spellings glue words with & + ( ): "ABD&PELVIS", "FLOW&UPTAKE", "TMJ(S)", "BREAST- RT",
    # "TRI(<14WKS"
    infixes = [*(EnglishDefaults.infixes or ()), r"(?<=[A-Za-z0-9])[&+()](?=[A-Za-z0-9(<>])",
               # "and/or" written "&/" glued between two words ("PHRNX&/CRV ESOPH", "CHOLANGIOGRAPHY&/PANCREATOGRAPHY")
               r"(?<=[A-Za-z])&(?=/[A-Za-z])", r"(?<=[A-Za-z]&)/(?=[A-Za-z])",
               r"(?<=[A-Za-z])[<>](?=[0-9])", r"(?<=[A-Za-z])-(?=[0-9])",
               # a comma glued to an ordinal or count word ("EVL,1ST TRIMESTER", "TRI,2ND GEST"), or
               # to a count after a word ("PELVIS,1 OR 2 VWS", "IMAG,3 PHASE")
               r"(?<=[A-Za-z]),(?=[0-9][A-Za-z])", r"(?<=[A-Za-z]{2}),(?=[0-9])",
               # a CSV export's field separator glued between fields ("88453736,MRI ANKLE WO LT",
               # '88453736,"MRI ANKLE WO LT","MRI left ankle'): after a number, or with the field's quotes
               r"(?<=[0-9]),(?=[A-Za-z])", r"(?<=[A-Za-z0-9])(?:\",?\"?|,\")(?=[A-Za-z0-9])",
               # a comma glued after a plural "(S)" ("LARGE VESSEL(S),LIMITED", "BREAST(S),BILATERAL")
               r"(?<=[A-Za-z]\)),(?=[A-Za-z])",
               # a slash between a word and a count ("CHEST/4 VIEWS", "ORBITS/4V MIN", "LTD/3VW"; not "W/3D",
               # nor ordinals, "2ND/3RD TRIMESTER")
               r"(?<=[A-Za-z]{2})(?<![0-9][A-Za-z]{2})/(?=[0-9])",
               # a view count glued after a word ("CHEST2V", "XR UP EXTREM INFANT2V", "KNEE3VW")
               r"(?<=[A-Za-z]{3})(?=[0-9]{1,2}[Vv](?:[Ww][Ss]?|[Ii][Ee][Ww][Ss]?)?\b)",
               # a semicolon between words, as descriptor-style lines write it ("PELVIS;W/O CONTRAST",
               # "KIDNEY FLOW/FUNCTION;W/PHAR", "INFT HIPS W/IMG DOC;DYNMC")
               # (also after a closing parenthesis: "CONTRAST MATERIAL(S);LUMBAR")
               r"(?<=[A-Za-z0-9)]);(?=[A-Za-z(])",
               # a contrast abbreviation glued to the word before it, as fixed-width lines write it
               # ("JOINTW/O CONTRAST", "KIDNEYSW/WO", "MAXILLOFACIALWO CONTRAST"; not "FLOW/FUNCTION")
               r"(?<=[A-Za-z]{3})(?=[Ww]/(?:[Ww]?[Oo])(?![A-Za-z]))", r"(?<=[A-Z]{4})(?=WO(?![A-Za-z]))",
               # an underscore between words ("RIGHT_LIMITED", "BILAT_LTD")
               r"(?<=[A-Za-z0-9])_(?=[A-Za-z0-9])",
               # a period between words ("U.S.ABDOMEN", "ACROMIOCLAVIC.BILAT.JNTS"),
               # not inside a dotted abbreviation ("A.C.")
               r"(?<=[A-Za-z]{2})\.(?=[A-Za-z])|(?<=[A-Za-z])\.(?=[A-Za-z]{2})",
               # the field separator of a pipe-delimited export line ("A7732|MGSCR3D|MG SCREENING BILATERAL|...")
               r"\|",
               # a backslash between words, as some lines separate the region from the contrast
               # ("CT ORBITS/IAC\\W/O CONT")
               r"(?<=[A-Za-z0-9])\\(?=[A-Za-z0-9])"]
    prefixes = [*(EnglishDefaults.prefixes or ()), r"\|"]
    # "A.C." splits like "a.c.": the closing period of a dotted abbreviation is its own token in any case;
    # so does a sentence's period after a capitalised possessive ("AP, LATERAL, SWIMMER'S.")
    # and so does a sentence's period after a one-letter word ("AP and scapular Y."), but not after the letters the
    # terms read alone (R, L, W: "Interpreting: R. Vasquez, MD" is a name's initial, no side)
    suffixes = [*(EnglishDefaults.suffixes or ()), r"-$", r"/$", r"(?<=\.[A-Za-z])\.", r"(?<=['’][Ss])\.", r"\|",
                r"(?<=^[A-Za-z])(?<![RLWrlw])\."]


class ReportEnglish(English):
    """spaCy's blank English with :class:`_ReportDefaults` (the tokenizer is built once with
    them, rather than built with English's and then rebuilt: a tenth of a second at start-up)."""

    Defaults = _ReportDefaults


def build_nlp(lexicon_path: str | None = None) -> spacy.language.Language:
    nlp = ReportEnglish.from_config()
    cfg = {"lexicon_path": lexicon_path}
    nlp.add_pipe("suggester_spelling", config=cfg)
    nlp.add_pipe("suggester_terms", config=cfg)
    nlp.add_pipe("suggester_views")
    nlp.add_pipe("suggester_context", config=cfg)
    nlp.add_pipe("suggester_spans")  # doc.spans["attrs"] for nlp(text); Extractor.read skips it
    return nlp


class Extractor:
    """Reads reports into :class:`~suggester.model.Extraction`\\ s with one spaCy pipeline."""

    def __init__(self, lex: Lexicon, lexicon_path: str | None = None, literals: Literals | None = None):
        self.lex = lex
        # the words every stage finds in a report, in one pass per text (suggester.textview):
        # this stage's own groups unless the pipeline hands in every stage's
        self.literals = literals if literals is not None else Literals(stage_literals(lex))
        self.nlp = build_nlp(lexicon_path)
        self._terms: dict[int, Term] = cast(TermMatcher, self.nlp.get_pipe("suggester_terms")).terms
        # per term (its label): its attributes, whether one is a qualifier, whether one a projection
        self._term_info = {label: (t.attrs, any(k == "qual" for k, _ in t.attrs), any(k == "proj" for k, _ in t.attrs))
                           for label, t in self._terms.items()}
        self._speller = cast(SpellingCorrector, self.nlp.get_pipe("suggester_spelling"))
        self._known_words: frozenset[str] = self._speller.known
        self._views_label = self.nlp.vocab.strings.add(VIEWS_LABEL)
        # the pipeline is built once; the mentions are read from the spans the components hand
        # on, not from doc.spans (the last component, which writes them there for nlp(text));
        # the spelling decisions are the lexemes' norms (most docs have no word to correct, and
        # the component looked at every token of each to find that out)
        self._speller.read_into(self.nlp.vocab)
        self._procs = tuple(proc for name, proc in self.nlp.pipeline
                            if name not in ("suggester_spelling", "suggester_spans"))
        self.vocab_limit: int | None = None  # set on the first read (see _memory_zone)
        # (section name, text) -> mentions (read)
        self._memo: BoundedMemo[tuple[str, str], tuple[tuple, ...]] = BoundedMemo("sections", SECTION_MEMO)

    def extract(self, text: str) -> Extraction:
        # noise set aside and dictated punctuation read as marks: same length, offsets still hold
        original = text
        view = self.literals.view(text)  # (scanned once, when a stage first asks)
        said = normalize_dictation(text, view.low, self.lex.sections, spoken_marks(view))
        # the report's view while dictated punctuation changed nothing, else one of the text read
        said_view = view if view.of(said) else self.literals.view(said)
        text, noise = set_aside(said, self.lex.term_words.__contains__, said_view,
                                 self.lex.exam_words.__contains__, self.lex.admin_fields,
                                 self.lex.term_tokens.__contains__)
        # the cleaned text's words: those of the text read, found again only around the spans set aside
        clean_view = said_view.blanked(text, [(n.start, n.end) for n in noise])
        sections = split_sections(text, self.lex.sections, clean_view, openers=self.lex.modality_words(),
                                  admin_fields=self.lex.admin_fields)
        kept = bounded_sections(sections)
        chosen = within_budget([s for s in kept if s.name in SECTION_BUDGET])
        # an addendum may correct what was performed: always read
        primary = [s for s in chosen if s.name not in FALLBACK_SECTIONS or s.name == "addendum"]
        mentions = self.read(text, primary, 0)
        frames, source = frames_from_mentions(mentions, self.lex, text)
        outside = outside_radiology(text, chosen, mentions, self.lex)
        if outside is not None:
            # the title names a procedure outside radiology and no imaging: no exam to bill, and
            # its findings' anatomy ("the left ventricle", "the sigmoid colon") is no exam either
            frames, source = [], None
        elif needs_fallback(frames, mentions, self.lex, text) and not (not frames and names_other_procedure(text, chosen, mentions)):
            # the findings / body are read only when the title and technique leave a gap
            fallback = [s for s in chosen if s.name in FALLBACK_SECTIONS and s.name != "addendum"]
            mentions += self.read(text, fallback + undone_side_sentences(text, fallback), len(primary))
            frames, source = frames_from_mentions(mentions, self.lex, text)
        else:
            fallback = []
        # a title of several exams: the unread body sentences saying one was not done ("Initial order for
        # CTA head/neck was cancelled") decide which are billed (cancelled_title_exams), read for that only
        undone = self.read(text, exam_undone_sentences(text, chosen), len(primary) + len(fallback)) \
            if len(frames) > 1 and not fallback and outside is None else []
        if len(frames) == 1 and not fallback and outside is None and frames[0].quals & TITLE_COMPONENTS:
            # ... and of a title adding a component to its study ("DXA WITH VFA"): the unread body sentence
            # saying the component was not done ("the VFA was scheduled but not acquired") decides it
            # (frames._title_component_undone)
            mentions += self.read(text, exam_undone_sentences(text, chosen), len(primary))
        cut = kept != sections or len(chosen) < sum(s.name in SECTION_BUDGET for s in kept) \
            or len(frames) > MAX_FRAMES
        ex = Extraction(original, kept, mentions, frames[:MAX_FRAMES], source, cut, noise=noise, clean=text,
                        outside=outside, view=view, clean_view=clean_view)
        ex.title = title_mention(ex)
        ex.title_words, ex.title_unknown = title_words(ex.title, self._known_words)
        ex.frames = documented_second_radiograph(ex, ex.frames, self.lex)
        resolve(ex, self.lex)
        ex.frames = procedure_before_radiograph(ex, cancelled_title_exams(ex, ex.frames, self.lex, undone))
        ex.frames = bowel_loopogram(nose_to_rectum_film(part_within_series(ex, ex.frames), ex))
        ex.mentions = idle_routine_dropped(ex)
        for f in ex.frames:
            documented_approaches(ex, f)
            pregnant_transvaginal(ex, f)
            only_approach(ex, f)
            documented_fetal_doppler(ex, f)
            ob_exam_beside_fetal_doppler(ex, f)
        radiograph_shunt_series(ex, ex.frames)
        ex.frames = generic_localization_merged(split_and_merge(ex.frames, self.lex))
        for f in ex.frames:
            pregnant_transvaginal(ex, f)  # (each route of a "transabdominal and transvaginal" study, split)
        ex.frames = followthrough_without_upper_gi(ex, localization_area_merged(indium_tracer_merged(ex.frames, self.lex)))
        ex.frames = reduction_series(ex, other_side_views(ex, per_side_views(ex, ex.frames, self.lex), self.lex))
        arthrogram_injection_guidance(ex.frames, self.lex)
        spine_fluoroscopy_guidance(ex.frames, self.lex)
        spine_segment_needle_guidance(ex, ex.frames, self.lex)
        intrathecal_injection_guidance(ex, ex.frames, self.lex)
        fluoroscopy_without_guided_needle(ex, ex.frames, self.lex)
        ex.frames = breast_procedure_guidance(ex, ex.frames, self.lex)
        ex.frames = spect_only_bone_scan(ex, ex.frames)
        ex.frames = venous_access_guidances(ex, ex.frames, self.lex)
        converted_guidance(ex, ex.frames, self.lex)
        ex.frames = ct_guided_planning_images(ex, guidance_without_needle(ex, ex.frames, self.lex))
        ex.frames = documented_arthrogram_injection(ex, ex.frames, self.lex)
        ex.frames = arthrogram_with_cross_sectional_read(ex, ex.frames, self.lex)
        ex.frames = myelogram_and_ct(ex, ex.frames, self.lex)
        ex.frames = own_noncontrast_head_read(ex, ex.frames, self.lex)
        for f in ex.frames:
            screening_of_known_disease(ex, f, self.lex)
            converted_to_diagnostic(ex, f, self.lex)
            incomplete_joint_survey(ex, f, self.lex)
            complete_elements(ex, f, self.lex)
            documented_gestations(ex, f)
            documented_nst(ex, f)
            title_only_closing_count(ex, f, self.lex)
            title_only_extremity(ex, f, self.lex)
            title_only_organ_vascular(ex, f)
            title_only_followthrough(ex, f)
            title_only_multiple_gestation(ex, f)
            title_only_rendering(ex, f)
            title_only_limb_duplex(ex, f, self.lex)
            title_only_either_limb_arteries(ex, f, self.lex)
            title_only_myocardial_perfusion(ex, f)
            title_only_localization_count(ex, f)
            esophagus_only_upper_gi(ex, f, self.lex)
            documented_swallowing_function(ex, f, self.lex)
            pharyngoesophagram_extent(ex, f, self.lex)
            cystogram_without_voiding(ex, f, self.lex)
            documented_gestational_age(ex, f)
            follow_up_ob(ex, f)
            limited_ob(ex, f)
            documented_vfa(ex, f)
            documented_velocity_flow(ex, f)
            documented_tomosynthesis(ex, f)
            documented_spect_ct(ex, f)
            acute_stroke_workup(ex, f)
            documented_spect_areas(ex, f)
            documented_screening_colonography(ex, f)
            static_infant_hips(ex, f)
            bone_scan_areas(ex, f)
            myelogram_segments(ex, f, self.lex)
            gallbladder_ef_agent(ex, f)
            renal_baseline_and_intervention(ex, f)
            imaging_days(ex, f)
        ex.frames = esophagram_not_swallow_function(ex, ex.frames, self.lex)
        organ_title_limited(ex, ex.frames)
        for f in ex.frames:
            organ_duplex_extent(ex, f)
            transcranial_extent(ex, f)
            titled_duplex_imaging(ex, f, self.lex)
            physiologic_only(ex, f)
            documented_pressure_levels(ex, f)
            physiologic_extent(f)
            bilateral_duplex_scanned_fully(ex, f)
        ex.frames = physiologic_doppler_title(ex, ex.frames)
        duplex = organ_duplex(ex, ex.frames)
        if duplex is not None:
            ex.frames.append(duplex)
        ex.frames = documented_forearm_density(ex, ex.frames)
        liver_us = documented_liver_grayscale(ex, ex.frames)
        if liver_us is not None:
            ex.frames.append(liver_us)
        tv_pelvis = documented_transvaginal_pelvis(ex, ex.frames)
        if tv_pelvis is not None:
            ex.frames.append(tv_pelvis)
        breast_us = documented_breast_ultrasound(ex, ex.frames)
        if breast_us is not None:
            ex.frames.append(breast_us)
        rendering = documented_rendering(ex, ex.frames, self.lex)
        if rendering is not None:
            ex.frames.append(rendering)
        stressed = documented_stress_views(ex, ex.frames, self.lex)
        if stressed is not None:
            ex.frames.append(stressed)
        return ex

    def read(self, text: str, secs: list[Section], first_id: int) -> list[Mention]:
        """The attribute mentions of the sections (each read up to its ``SECTION_BUDGET``).

        Each section is one doc, run through the components in order (what ``nlp.pipe`` does,
        without its per-call set-up, which cost more than the components on these short docs).
        What a section yields depends on its name and text alone: the sections that repeat from
        report to report (exam titles, templated technique and contrast lines: ``MEMO_SECTIONS``)
        are read once and their mentions kept (bounded, offsets relative to the section)."""
        reads: list[tuple[Section, int, str, tuple[str, str] | None, tuple[tuple, ...] | None]] = []
        unread = []  # the indices of the sections not in the memo
        memo = self._memo
        for doc_id, sec in enumerate(secs, first_id):
            t = text[sec.start:min(sec.end, sec.start + SECTION_BUDGET[sec.name])]
            key = (sec.name, t) if sec.name in MEMO_SECTIONS else None
            found = memo.get(key) if key is not None else None
            if found is None:
                unread.append(len(reads))
            reads.append((sec, doc_id, t, key, found))
        if unread:
            tokenizer, procs = self.nlp.tokenizer, self._procs
            with self._memory_zone():
                for i in unread:
                    sec, doc_id, t, key, _found = reads[i]
                    doc = tokenizer(t)
                    doc.user_data[TEXT_KEY] = t  # components read it instead of rebuilding doc.text
                    for proc in procs:
                        doc = proc(doc)
                    found = self._mentions(doc, sec.name)  # plain strings: valid after the zone
                    if key is not None:
                        memo.put(key, found)
                    reads[i] = (sec, doc_id, t, key, found)
        out: list[Mention] = []
        for sec, doc_id, _t, _key, found in reads:
            assert found is not None  # every section missing from the memo was read above
            name, base = sec.name, sec.start
            # (every field by position: keywords cost a look-up each, for each of a report's mentions)
            out.extend(Mention(k, v, base + a, base + b, name, txt, tok, doc_id, fuzzy, status, sent, neg, paren, joined)
                       for k, v, a, b, txt, tok, fuzzy, status, sent, paren, neg, joined in found)
        return out

    def _memory_zone(self) -> AbstractContextManager:
        """spaCy keeps every new word (an accession number, a date) in its vocabulary for good.
        Once it has learned ``VOCAB_GROWTH`` words beyond its start (the common ones, which its
        tokenizer cache keeps), reports are read in a memory zone that forgets theirs: memory
        stays flat over any number of reports."""
        strings = self.nlp.vocab.strings
        if self.vocab_limit is None:
            self.vocab_limit = len(strings) + VOCAB_GROWTH
        if len(strings) < self.vocab_limit or not hasattr(self.nlp, "memory_zone"):
            return _NO_ZONE
        return self.nlp.memory_zone()

    def _mentions(self, doc: Doc, name: str) -> tuple[tuple, ...]:
        """The mentions of one section's doc as tuples of :class:`~suggester.model.Mention`'s
        fields, offsets relative to the section, without the section's name and doc id."""
        spans = doc.user_data.get(SPANS_KEY)
        if not spans:
            return ()
        marks = doc.user_data.get("context", {})
        fwd = doc.user_data.get("context_forward", {})
        # sentence and parenthesis structure from the characters (cheaper than walking tokens)
        txt = doc_text(doc)
        breaks = [m.start() for m in _BREAK_RX.finditer(txt)]
        parens = _paren_ranges(txt)
        views = self._views_label
        historical = name in ("comparison", "allergy")
        prose = name in _PROSE_SECTIONS
        out = []
        contrast_at = None
        fuzzy = self._speller.is_fuzzy
        for s, e, label, kb in spans:
            last = doc[e - 1]
            a, b = doc[s].idx, last.idx + len(last)  # span.start_char, span.end_char
            sent = bisect.bisect_right(breaks, a)
            in_paren = bool(parens) and any(x < a < y for x, y in parens)
            status = "historical" if historical else marks.get(s, "performed")
            # (a "non-" / "non " ends right before the span: its last character first)
            non_prefixed = status == "performed" and a >= 4 and txt[a - 1] in "- " \
                and _NON_PREFIX.search(txt, a - 4, a) is not None
            if non_prefixed:
                status = "negated"  # "the standard (non-infant) protocol", "non-weightbearing views"
            text = txt[a:b]  # span.text without building its tokens
            if label == views:
                out.append(("views", kb, a, b, text, s, fuzzy(doc, s, e), status, sent, in_paren, False, False))
                continue
            attrs, quals, projs = self._term_info[label]
            low = text.lower()
            if _other_word(low, txt, a, b, name, attrs):
                continue
            if low in _BARE_ROUTES and _FINDING_AFTER_ROUTE.match(txt, b):
                continue  # "intra-articular osteochondral fragment": where a finding lies, no contrast route
            neg_forward = fwd.get(s, False)
            if status == "negated" and projs and _ON_THE_VIEW.search(txt, max(0, a - 12), a):
                status = "performed"  # "no fracture on the oblique view": the view places a finding, it was taken
            joined = quals and JOIN_RX.search(txt, max(0, a - 12), a) is not None
            is_fuzzy = fuzzy(doc, s, e)
            for k, v in attrs:
                if k == "qual" and v == "screening" and _SAFETY_SCREENING.search(txt, max(0, a - 32), a):
                    continue  # "renal function screening was completed before the injection": no screening exam
                if k == "contrast":
                    if low in _BARE_IV and _ACCESS_AFTER_ROUTE.match(txt, b):
                        continue  # "IV access failed after multiple attempts": the line, no contrast
                    if low in _BARE_WITH and _RECONSTRUCTIONS.match(txt, b):
                        continue  # "CT cervical spine w/ sag + cor reformats": a preposition, not contrast
                    if low == "w/" and _COMPONENT_AFTER_W.match(txt, b):
                        continue  # "CARDIAC MRI-MORPH W/FUNCTION": the study's component, not contrast
                    if prose and low in _BARE_SHORTHAND:
                        continue  # "blowout fx w/ herniated fat": a title's contrast shorthand is a preposition in prose
                    if name not in _SHORTHAND_TITLES and low in _BARE_WITH_OR_SHORTHAND:
                        if contrast_at is None:
                            contrast_at = self._contrast_starts(doc, spans)
                        if _preposition(txt, b, contrast_at):
                            continue  # "deviated septum w/ spur", "splenic lac w/o active extrav": a preposition
                    if (name not in _SHORTHAND_TITLES or name == "contrast" and _mid_line(txt, a)) and low == "without":
                        # (a CONTRAST: section's prose: "tolerated the injection without immediate adverse reaction")
                        if contrast_at is None:
                            contrast_at = self._contrast_starts(doc, spans)
                        clause_end = breaks[sent] if sent < len(breaks) else len(txt)
                        if _preposition(txt, b, contrast_at) and not any(b < c < clause_end for c in contrast_at):
                            continue  # "tolerated the examination without complication": no contrast named in its clause
                # (a site prefixed "non-" is negated by the cue before it: "CTA CHEST, NON-CORONARY" names no coronary CTA)
                out.append((k, v, a, b, text, s, is_fuzzy, status, sent, in_paren, neg_forward or non_prefixed and k == "site",
                            joined and k == "qual"))
        return _ambiguous_breast(tuple(out), txt)

    def _contrast_starts(self, doc: Doc, spans) -> frozenset[int]:
        """Where (character offsets) the spans naming a contrast, route or agent start."""
        return frozenset(doc[s].idx for s, _e, label, _kb in spans if label != self._views_label
                         and any(k in ("contrast", "route") for k, _ in self._terms[label].attrs))


# "BR" is the chargemaster's breast and brain alike: beside a head site ("MRI BR/HEAD", "CT HD/BR")
# or a neurologic protocol word ("MRI BR SEIZURE PRTCL", "MR BR EPILEPSY") it is the brain
_HEAD_SITES = frozenset({"head", "brain", "sella", "temporal_bone"})
_NEURO_CUE_RX = re.compile(r"\b(?:seiz(?:ures?)?|epilep\w*|stroke|cva|tia|neuro\w*)\b", re.IGNORECASE)


def _other_word(low: str, txt: str, a: int, b: int, name: str, attrs) -> bool:
    """Whether the term ``low`` at ``txt[a:b]`` (in section ``name``) is another word that reads like it here:
    no mention of the term."""
    if low == "be" and _BEFORE_VERB.search(txt, max(0, a - 10), a):
        return True  # the verb, not the barium enema
    if name not in _TITLE_SECTIONS and low in _JOINT_WORDS and (
            _SMALL_JOINT_BEFORE.search(txt, max(0, a - 24), a) or _JOINT_FINDING_AFTER.match(txt, b)):
        return True  # "the fifth MTP joint", "joint effusion": anatomy of a finding, no joint exam (CODING_RULES §7)
    if low == "pa" and _PROVIDER_BEFORE.search(txt, max(0, a - 16), a):
        return True  # "only R imaged per ordering PA": the physician assistant, no posteroanterior view
    if name not in _TITLE_SECTIONS and low in _BARE_RECON:
        return True  # "Thin 1.25 mm recon", "bone reconstructions" in a technique: slices, no 3D rendering
    if low == "acute" and _CARE_LEVEL_BEFORE.search(txt, max(0, a - 8), a):
        return True  # "Evergreen Post-Acute rm 301": a post-acute care facility, no acute abdomen series
    if low == "planar" and _CURVED_BEFORE.search(txt, max(0, a - 8), a):
        return True  # "curved planar reformats": a CT/MR reformat, not nuclear planar imaging
    if low == "fl" and _MEASURE_AFTER.match(txt, b):
        return True  # "BPD 4.8, AC 15.1, FL 3.3 cm": the femur length, not fluoroscopy
    # "MRA CHEST PRE-ABLATION", "MRI LIVER POST ABLATION": the indication, no ablation guided here
    return ("qual", "tissue_ablation") in attrs and _ABLATION_TIME_BEFORE.search(txt, max(0, a - 16), a) is not None


def _ambiguous_breast(found: tuple[tuple, ...], txt: str) -> tuple[tuple, ...]:
    """A bare "br" read as the breast yields to the brain in the same sentence when a head site or a
    neurologic word sits beside it (fields as :meth:`Extractor._mentions` builds them)."""
    amb = [m for m in found if m[0] == "site" and m[1] == "breast" and m[4].lower() == "br"]
    if not amb:
        return found
    out = list(found)
    for m in amb:
        sent = m[8]
        if any(x[0] == "site" and x[1] in _HEAD_SITES and x[8] == sent for x in found):
            out.remove(m)  # the head site names the exam
            continue
        lo = txt.rfind("\n", 0, m[2]) + 1
        hi = txt.find("\n", m[3])
        if _NEURO_CUE_RX.search(txt, lo, hi if hi >= 0 else len(txt)):
            out[out.index(m)] = (m[0], "brain", *m[2:])
    return tuple(out)


def _mid_line(txt: str, at: int) -> bool:
    """Whether a word comes before ``at`` on its line (prose, not a "CONTRAST: Without" value)."""
    return any(c.isalpha() for c in txt[txt.rfind("\n", 0, at) + 1:at])


def _preposition(txt: str, end: int, contrast_at: frozenset[int]) -> bool:
    """Whether the bare "w/" ending at ``end`` is followed by a word that names no contrast."""
    m = _NEXT_WORD.match(txt, end)
    if m is None:
        return False  # end of line, a number or a sign: "CT HEAD W/", "w/ 100 mL"
    return m.group(1).lower() not in _CONTRAST_NEXT and m.start(1) not in contrast_at


def stage_literals(lex: Lexicon) -> dict:
    """The word groups of the text stages this module runs (noise, sections) for a shared view."""
    return {**_noise.LITERALS, **_sections.literals(tuple(lex.sections))}


def needs_fallback(frames: list[Frame], mentions: list[Mention], lex: Lexicon, text: str = "") -> bool:
    """Whether the findings/body could change the result (see ``frames.resolve``)."""
    if not frames:
        return True
    perf = {m.key for m in mentions if m.section in PERFORMED_SECTIONS and m.status != "historical"}
    for f in frames:
        if f.modality == "XR" and not perf & {"views", "proj"}:
            return True  # views stated only in the body or findings count (frames._body_views_statement)
        if f.modality == "XR" and len(frames) == 1 and next(find_matches(VIEW_ALSO_TAKEN_RX, text), None) is not None:
            return True  # "A sunrise view was also obtained": a view the findings add (frames._views_also_taken)
        if f.modality in ("CT", "MR", "MRA") and (not f.title_contrast and "contrast" not in perf or not perf and any(
                m.value in ("with", "without_then_with") for m in f.title_contrast)):
            return True  # a silent title, or a report with no technique statement whose narrative may say the
            # title's contrast was not given (frames._performed_contrast)
        if f.modality in ("CT", "CTA") and not perf and lex.region_for(f.site, "CT") == "abdomen" \
                and next(find_matches(SCAN_EXTENDED_PELVIS_RX, text), None) is not None:
            return True  # "[per protocol scan extended through pelvis]" in a narrative (frames.resolve_extent)
        if f.modality in ("NM", "FL") and not perf:
            return True  # a narrative nuclear / fluoroscopic study: its body describes the protocol (frames._BODY_PROTOCOL)
        if f.modality == "NM" and not any(m.key == "qual" and m.value == "pharmacologic" and m.section in PERFORMED_SECTIONS
                                          for m in mentions) and drug_code_region(f, lex):
            return True  # a drug given part way through, said in the body (frames._drug_given_in_body)
        if len(frames) == 1 and f.side is None and "side" not in perf:
            region = lex.region_for(f.site, f.modality)
            if region and any(c.side in ("unilateral", "bilateral")
                              for c in lex.codes_for(f.modality, region)):
                return True
    # "the right breast was not scanned": the findings may say which side was (frames._unexamined_side)
    # (asked last: a search of the whole text, which an answer above makes needless)
    return any(f.side for f in frames) and next(find_matches(SIDE_UNDONE_RX, text), None) is not None


def undone_side_sentences(text: str, secs: list[Section]) -> list[Section]:
    """The sentences saying a side was not examined ("The right breast was not scanned.") that lie
    past the part of their section the budget reads: read as well, since they decide the side."""
    out: list[Section] = []
    for sec in secs:
        read_to = sec.start + SECTION_BUDGET[sec.name]
        if sec.end <= read_to:
            continue
        for m in SIDE_UNDONE_RX.finditer(text, read_to, sec.end):
            a = max(text.rfind(".", read_to, m.start()), text.rfind("\n", read_to, m.start())) + 1 or read_to
            a = max(a, read_to)
            b = min(sec.end, a + SECTION_BUDGET[sec.name])
            if not out or a >= out[-1].end:
                out.append(Section(sec.name, a, b, None))
            if len(out) >= 3:
                return out
    return out


def exam_undone_sentences(text: str, secs: list[Section]) -> list[Section]:
    """The body / findings sentences (within their read budget) that say an exam was not done
    (:data:`EXAM_NOT_DONE_RX`: "was cancelled", "not performed"), at most three."""
    out: list[Section] = []
    for sec in secs:
        if sec.name not in ("body", "findings"):
            continue
        end = min(sec.end, sec.start + SECTION_BUDGET[sec.name])
        for m in EXAM_NOT_DONE_RX.finditer(text, sec.start, end):
            a, b = sentence_bounds(text, m.start())
            a, b = max(a, sec.start), min(b, end)
            if not out or a >= out[-1].end:
                out.append(Section(sec.name, a, b, None))
            if len(out) >= 3:
                return out
    return out


def names_other_procedure(text: str, secs: list[Section], mentions: list[Mention]) -> bool:
    """A headed exam line ("PROCEDURE: Colonoscopy.", "EXAM: EEG") that names words but no
    modality, anatomy, contrast, view or qualifier the lexicons know: the report is about another
    kind of procedure, and its findings' anatomy ("polyp in the sigmoid colon") is no exam."""
    headed = [s for s in secs if s.name == "exam" and s.header]
    if not headed or any(m.section in ("exam", "subtitle") for m in mentions):
        return False
    return any(set(_WORD_RX.findall(text[s.start:s.end].lower())) - _EXAM_WORDS for s in headed)


# ------------------------------------------------------------- procedures outside radiology

# the sections that state what was done: a title / procedure line names the procedure, and an
# imaging modality there or in the technique's first sentence makes the report an imaging exam
STATEMENT_SECTIONS = ("exam", "subtitle")
_CLAUSE_END_RX = re.compile(r"[,;:\n]|\.(?:\s|$)")
# a sentence ends at a line break or a period / semicolon before a blank or a one-line export's
# comma join ("Left heart catheterization.,2. Coronary angiography."), never after a list number
_SENTENCE_END_RX = re.compile(r"\n|(?<!\d)[.;](?=[\s,]|$)")
_LINE_END_RX = re.compile(r"\n")
_LIST_NUMBER_RX = re.compile(r"\(?\d{1,2}[.)]\s*")


def procedure_statements(text: str, secs: list[Section], names: tuple[str, ...] = STATEMENT_SECTIONS,
                         ) -> list[tuple[int, int, int]]:
    """The (start, end, title_end) spans of the ``names`` sections that state the procedure.

    A headed line: its first sentence ("PROCEDURES PERFORMED: 1. Left heart catheterization.";
    a narrative after it is no statement). A header-less one (a title, or the opening of a
    one-line transcription "2-D ECHOCARDIOGRAM, Multiple views of the heart ..."): its first
    clause, or its whole first line when the report is nothing but title lines. ``title_end``
    ends the title words that may qualify it ("ECHOCARDIOGRAM, FETAL, ..."): the first sentence
    of a header-less line (at most ``MAX_TITLE`` characters), else ``end``."""
    only_titles = all(s.name in STATEMENT_SECTIONS + ("ordered",) for s in secs)
    out = []
    for s in secs:
        if s.name not in names:
            continue
        end = min(s.end, s.start + SECTION_BUDGET[s.name])
        start = s.start
        while start < end and text[start] in " \t\n,.:;-":
            start += 1
        if s.header:
            num = _LIST_NUMBER_RX.match(text, start, end)
            start = num.end() if num else start
            m = _SENTENCE_END_RX.search(text, start, end)
            stop = wide = m.start() if m else end
        elif only_titles:
            m = _LINE_END_RX.search(text, start, end)
            stop = wide = m.start() if m else end
        else:
            m = _CLAUSE_END_RX.search(text, start, end)
            stop = m.start() if m else end
            m = _SENTENCE_END_RX.search(text, start, min(end, start + MAX_TITLE))
            wide = max(stop, m.start() if m else min(end, start + MAX_TITLE))
        if start < stop:
            out.append((start, stop, wide))
    return out


def outside_radiology(text: str, secs: list[Section], mentions: list[Mention], lex: Lexicon) -> str | None:
    """The class of a procedure outside radiology (``lexicons/procedures.tsv``) that the title /
    procedure statements name when neither they nor the technique's first sentence name an
    imaging modality, else None.

    Only those statements count: a procedure in the history or findings ("history of
    colonoscopy") never blocks an exam, and an x-ray a pacemaker note mentions further on is no
    exam of it. A phrase inside a longer imaging term ("fetal echocardiogram", "virtual
    colonoscopy"), in a clause that a history or negation cue marks ("prior EGD"), or with one of
    its class's ``unless`` words in the title ("ECHOCARDIOGRAM, FETAL") is no such procedure; a
    modality the procedure itself uses (a TEE's Doppler, a catheterization's fluoroscopy) is no
    imaging exam."""
    procs = lex.procedures
    if procs.regex is None:
        return None
    spans = procedure_statements(text, secs)
    if not spans:
        return None
    found: list[tuple[int, int, str]] = []
    # a procedure named only on a line under a title that names an imaging modality is that exam's
    # context ("US IVC DUPLEX" over "Filter placement planned"), not the report's procedure
    titled = [s for s in secs if s.name == "exam" and any(
        m.key == "modality" and m.status == "performed" and s.start <= m.start < s.end for m in mentions)]
    for a, b, wide in spans:
        if titled and not any(s.start <= a < s.end for s in titled):
            continue
        low = text[a:b].lower()
        for hit in procs.regex.finditer(low):
            s, e = a + hit.start(), a + hit.end()
            cls = procs.class_of(hit.group())
            if any(m.start <= s and e <= m.end and m.end - m.start > e - s
                   for m in mentions if m.section in STATEMENT_SECTIONS):
                continue  # part of an imaging term ("fetal echocardiogram")
            unless = procs.unless_regex.get(cls.name)
            if unless is not None and unless.search(text[a:wide].lower()):
                continue
            if _cued(low, hit.start(), hit.end(), lex.context):
                continue
            found.append((s, e, cls.name))
    if not found:
        return None
    uses = frozenset().union(*(procs.classes[c].uses for _s, _e, c in found))
    stated = spans + procedure_statements(text, secs, PERFORMED_SECTIONS)
    for m in mentions:
        # a view count names a radiograph ("ANKLE RT 2 VIEWS" over "s/p ORIF bimalleolar fracture")
        named = m.value if m.key == "modality" else "XR" if m.key == "views" else None
        if named is not None and m.status == "performed" and named not in uses \
                and any(a <= m.start and m.end <= b for a, b, _w in stated) \
                and not any(s <= m.start and m.end <= e for s, e, _c in found):
            return None  # an imaging exam is named: the rules decide
    return found[0][2]


_CUE_RX: dict[int, tuple[tuple[ContextCue, ...], re.Pattern, re.Pattern]] = {}  # id(cues) -> searches


def _cued(low: str, s: int, e: int, cues: tuple[ContextCue, ...]) -> bool:
    """Whether a history or negation cue of ``lexicons/context.tsv`` marks the words low[s:e]:
    a forward cue before them or a backward cue after them, in the same clause."""
    rx = _CUE_RX.get(id(cues))
    if rx is None or rx[0] is not cues:
        def alt(direction: str) -> re.Pattern:
            words = sorted((c.cue for c in cues if c.direction == direction), key=len, reverse=True)
            return re.compile(r"(?<![a-z0-9])(?:" + "|".join(map(re.escape, words)) + r")(?![a-z0-9])")
        rx = _CUE_RX[id(cues)] = (cues, alt("forward"), alt("backward"))
    before = low[:s]
    m = _CLAUSE_END_RX.search(low, e)
    after = low[e:m.start() if m else len(low)]
    cut = max((x.end() for x in _CLAUSE_END_RX.finditer(before)), default=0)
    return bool(rx[1].search(before, cut) or rx[2].search(after))


# words that say a line is about an exam without naming one ("EXAMINATIONS PERFORMED:")
_EXAM_WORDS = frozenset({"exam", "exams", "examination", "examinations", "procedure", "procedures", "study",
                         "studies", "performed", "ordered", "requested", "type", "of", "the", "and", "see", "below"})


def title_mention(ex: Extraction) -> Mention | None:
    """The exam title as the title model reads it: the PERFORMED line when the report has one,
    else the first exam line that names an exam (a modality or a site: not what is left of an
    admin line above an "EXAM:" header), else the first exam line; its first line, noise set aside."""
    exams = [s for s in ex.sections if s.name == "exam"]
    if not exams:
        return None
    sec = next((s for s in exams if s.header and "perform" in s.header.lower()), None) \
        or next((s for s in exams if _names_an_exam(ex.mentions, s)), exams[0])
    raw = ex.clean[sec.start:sec.end]
    lead = len(raw) - len(raw.lstrip(" \t\n,.:;-"))
    line = raw[lead:].split("\n", 1)[0][:MAX_TITLE]
    if not line.strip():
        return None
    start = sec.start + lead
    return Mention("site", "title", start, start + len(line.rstrip()), "exam", line.strip(), 0, -1)


def _names_an_exam(mentions: list[Mention], sec: Section) -> bool:
    """Does a modality or site mention lie in the section?"""
    return any(m.key in ("modality", "site") and sec.start <= m.start < sec.end for m in mentions)


def title_words(title: Mention | None, known: frozenset[str] | set[str]) -> tuple[int, float]:
    """How many words the title has and the share of them no lexicon knows (1.0 without words)."""
    words = _WORD_RX.findall(title.text.lower()) if title else []
    if not words:
        return 0, 1.0
    return len(words), sum(w not in known for w in words) / len(words)


def bounded_sections(sections: list[Section]) -> list[Section]:
    """The first ``MAX_SECTIONS`` sections, each cut to ``MAX_SECTION_CHARS`` characters: what
    every later stage (attributes, flags, text modifiers) may scan."""
    return [s if s.end - s.start <= MAX_SECTION_CHARS else replace(s, end=s.start + MAX_SECTION_CHARS)
            for s in sections[:MAX_SECTIONS]]


def within_budget(secs: list[Section]) -> list[Section]:
    """The sections the attribute pipeline reads, in report order, within the work budget
    (``MAX_SECTIONS_READ`` sections, ``MAX_CHARS_READ`` characters after ``SECTION_BUDGET``)."""
    out: list[Section] = []
    chars = 0
    for s in secs[:MAX_SECTIONS_READ]:
        chars += min(s.end - s.start, SECTION_BUDGET[s.name])
        if chars > MAX_CHARS_READ and out:
            break
        out.append(s)
    return out


def _paren_ranges(text: str) -> list[tuple[int, int]]:
    if "(" not in text:
        return []
    out, stack = [], []
    for m in _PAREN_RX.finditer(text):
        if m.group() == "(":
            stack.append(m.start())
        elif stack:
            out.append((stack.pop(), m.start()))
    return out if not stack else out + [(stack[0], len(text))]
