"""Stage 4: exam frames. One frame per billed exam, built from the attribute mentions.

The exam title (or, without one, the technique or body text) is read left to right: each
modality mention opens a group, anatomy mentions join the open group (those written before any
modality join the first one: "CHEST XRAY"); a trailing modality without anatomy refines the
previous group ("US carotid duplex", "CT chest angiography"). Each anatomy site of a group is
one frame after the region rules (split "CAP" into chest + abdomen/pelvis, merge CT abdomen +
pelvis). Contrast, views, side and qualifiers are then resolved per frame, the technique
winning over the title, with a conflict recorded for the flags.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace

from .lexicon import SENTENCE_CUES, Lexicon
from .model import Conflict, Extraction, Frame, Mention
from .scan import all_lower, first_char_filtered, fold_word, folded, may_match, spans_may_match
from .sections import Section, title_like
from .textview import low_of

__all__ = ["Conflict", "Frame", "Mention", "build_frames", "group_mentions", "site_parts", "split_and_merge"]

_BARE_CONTRAST = frozenset({"w", "w/", "wo", "w/o", "with", "without", "c+", "c-"})
MODALITY_FALLBACK = {"DUPLEX": "US", "US": "DUPLEX", "XR": "FL", "FL": "XR", "CTA": "CT", "MRA": "MR"}
# "US ... WITH DOPPLER" stays the ultrasound; vascular sites make a duplex exam by themselves; a
# radiology department's "XR" before the exam's own modality word is that exam ("XR DXA VFA")
UPGRADES = {("CT", "CTA"), ("MR", "MRA"), ("XR", "FL"), ("NM", "PET"),
            ("CT", "PET"), ("XR", "MG"), ("US", "MG"), ("XR", "DXA")}
COUNTING_CONTRAST = ("without", "with", "without_then_with")
# qualifiers that only nuclear medicine protocols use ("thyroid uptake", "bone imaging three phase")
NM_QUALIFIERS = frozenset({"uptake", "imaging", "imaging_with_uptake", "planar", "spect", "spect_ct",
                           "perfusion", "ventilation", "ventilation_perfusion", "three_phase",
                           "multiple_areas", "vascular_flow", "static", "morphology", "quantitative",
                           "whole_body", "flow_function", "blood_pool_gated",
                           "cisternography", "shunt_evaluation", "gastroesophageal_reflux", "meckel"})
# what a narrative nuclear report's body tells about the protocol performed (imaging extent, days,
# tomography, studies, transit phases); a bare "multiple" there describes findings ("multiple foci")
NM_PROTOCOL = frozenset({"whole_body", "multiday", "planar", "spect", "spect_ct", "two_studies", "pharmacologic",
                         "small_bowel_transit", "colon_transit", "three_phase", "vascular_flow", "blood_pool_gated",
                         "rest", "stress", "ventilation", "perfusion", "flow_function", "gbef", "fatty_meal"})
# sections whose mentions describe the performed study, and the narrative read as a fallback
PERFORMED_SECTIONS = ("technique", "contrast", "views")
FALLBACK_SECTIONS = ("body", "findings", "addendum", "impression")
# where the exam frames are read, first source that names an exam wins
FRAME_SOURCES = (("exam",), ("subtitle",), PERFORMED_SECTIONS, FALLBACK_SECTIONS)
# modalities a technique sentence may name while describing a frame of the key modality
_KIN = {"CT": {"CT", "CTA", "POST"}, "CTA": {"CT", "CTA", "POST"}, "MR": {"MR", "MRA"}, "MRA": {"MR", "MRA"},
        "US": {"US", "DUPLEX"}, "DUPLEX": {"US", "DUPLEX"}, "XR": {"XR"}, "FL": {"FL", "XR"},
        "MG": {"MG"}, "NM": {"NM", "CT"}, "PET": {"PET", "CT"}, "DXA": {"DXA"}}
_ANGIO = {"CT": "CTA", "MR": "MRA"}
# qualifier atoms that only tell the modality of a text naming none, no qualifier of the exam itself ("axial
# images": a tomographic study; "real time with image documentation": the ultrasound descriptors' wording)
_MODALITY_HINTS = frozenset({"cross_sectional", "real_time"})
# sections that name other studies (the reason for this one, earlier ones, allergies)
_NOT_THIS_STUDY = frozenset({"history", "comparison", "allergy"})
# sections whose projections document the study's own views
_PROJECTION_SECTIONS = frozenset({"subtitle", "technique", "views", "body", "findings"})
# procedures whose contrast is injected intrathecally or into a joint (CODING_RULES §2: "with")
INJECTED_CONTRAST = frozenset({"myelography", "arthrography"})
_SONOGRAPHIC_APPROACH = frozenset({"transvaginal", "transabdominal"})  # qualifiers only an ultrasound has
_CONTRAST_BY_INJECTION = ("CT", "MR")
# picks the mentions of a pool that describe a frame: (mentions, frame, pool, several exams)
ForFrame = Callable[[list[Mention], Frame, list[Mention], bool], list[Mention]]
_TWINS = {"twins": 2, "triplets": 3}
_NONE_RX = re.compile(r"^\W*(none|no|n/?a|not applicable|0\s*(ml|cc)?)\b", re.IGNORECASE)
_SENTENCE_RX = re.compile(r"[^.;\n]+")
# a sentence that may run over a wrapped line (the next line goes on in lower case)
_PROSE_RX = re.compile(r"[^.;\n]+(?:\n(?=[ \t]*[a-z0-9(])[^.;\n]+)*")
SIDE_UNDONE_RX = re.compile(r"\bnot\s+(be\s+|been\s+)?(examined|scanned|imaged|evaluated|performed|obtained)\b|"
                             r"\bsurgically absent\b|\bcould not be (scanned|examined|imaged|evaluated)\b",
                             re.IGNORECASE)
_APPROACHES = frozenset({"transabdominal", "transvaginal"})
_PRECONTRAST_RX = re.compile(r"pre[-\s]?(contrast|gad|injection|infusion)", re.IGNORECASE)
_VOLUME_RX = re.compile(r"\b\d+(\.\d+)?\s*(ml|cc)\b", re.IGNORECASE)
# what separates two exams named on one title line ("CT CHEST AND BONE SCAN", "CT A/P, CYSTOGRAM")
_EXAM_SEPARATOR_RX = re.compile(r"[,;/+&]|\b(?:and|plus|then)\b", re.IGNORECASE)



def _folded_text(ex: Extraction) -> str | None:
    """The folded copy of the report's text (:func:`suggester.scan.folded`; the shared view's
    when it holds one), for :func:`suggester.scan.may_match`: a rule that reads the sentences of
    a section for its patterns skips the sections that hold none of their words."""
    return low_of(ex.text, ex.view) or folded(ex.text)


def _folded_clean(ex: Extraction) -> str | None:
    """The folded copy of the cleaned text (``ex.clean or ex.text``, what the resolution reads;
    the shared view's when it holds one), for :func:`suggester.scan.may_match`."""
    text = ex.clean or ex.text
    return low_of(text, ex.clean_view) or low_of(text, ex.view) or folded(text)


def site_parts(site: str, lex: Lexicon | None = None) -> tuple[str, ...]:
    """The regions a combined site stands for ("CT CAP" names the chest, abdomen and pelvis):
    regions.tsv ``parts=`` of ``lex`` (default: the packaged lexicon)."""
    if lex is None:
        from .lexicon import default_lexicon

        lex = default_lexicon()
    return lex.site_parts(site)


@dataclass
class _Group:
    modality: Mention | None
    mentions: list[Mention] = field(default_factory=list)

    @property
    def sites(self) -> list[Mention]:
        return [m for m in self.mentions if m.key == "site"]


def stated_modality_governs(mentions: list[Mention], text: str | None) -> list[Mention]:
    """The mentions, where a modality word before a procedure word on the same line names
    another kind of study for the same exam, with the procedure word's modality turned into a
    ``procedure`` mention (which opens no exam).

    A procedure word names a modality of its own ("cystogram" a fluoroscopic study, "myelogram",
    "arthrogram", "scanogram" a radiograph, "cisternogram" a nuclear one): its span also gives a
    site or a qualifier. A modality word earlier on the line with nothing that separates two exams
    between them ("CT PELV CYSTOGRAM", "MR ARTHROGRAM SHOULDER", "CT L-SPINE POST MYELOGRAM")
    says how the exam was done: the procedure word's anatomy and qualifier join that modality's
    exam. A kin modality keeps the procedure's ("XR CYSTOGRAM" is the fluoroscopic study), and
    "CT CHEST AND BONE SCAN" stays two exams."""
    spans = {(m.doc_id, m.start, m.end) for m in mentions if m.key in ("site", "qual")}
    stated = [m for m in mentions if m.key == "modality" and m.status != "negated"
              and (m.doc_id, m.start, m.end) not in spans]
    if not stated or len(stated) == sum(m.key == "modality" for m in mentions):
        return mentions
    governed = set()
    for m in mentions:
        if m.key != "modality" or (m.doc_id, m.start, m.end) not in spans:
            continue
        line = [x for x in stated if x.doc_id == m.doc_id and x.sent == m.sent and x.start < m.start]
        if line and not any(_kin(x.value, m.value) for x in line) and \
                any(_one_exam(x, m, mentions, text) for x in line):
            governed.add(id(m))
    # kept as "procedure" mentions: the word names the exam, not its modality
    return [replace(m, key="procedure") if id(m) in governed else m for m in mentions] if governed else mentions


def _kin(stated: str, implied: str) -> bool:
    """Whether a procedure word's modality agrees with a stated one: the same or a kin method,
    hybrid imaging (SPECT/CT, PET/CT), or a service done on any study (3D rendering)."""
    return stated == implied or _is_upgrade(stated, implied) or _is_upgrade(implied, stated) \
        or MODALITY_FALLBACK.get(stated) == implied or implied == "POST" or {stated, implied} <= _HYBRID


_HYBRID = frozenset({"CT", "NM", "PET"})


def _one_exam(a: Mention, b: Mention, mentions: list[Mention], text: str | None) -> bool:
    """Whether nothing between two mentions of a line separates two exams (the words of other
    mentions aside: "A/P" is a site)."""
    if text is None:
        return True
    lo, hi = (a, b) if a.start < b.start else (b, a)
    between = list(text[lo.end:hi.start])
    for m in mentions:
        if m.doc_id == a.doc_id and lo.end <= m.start and m.end <= hi.start:
            between[m.start - lo.end:m.end - lo.end] = " " * (m.end - m.start)
    return not _EXAM_SEPARATOR_RX.search("".join(between))


# what closes the exam before a modality: a semicolon, or a dash set off by a space (" - ")
_CLOSED_BEFORE_RX = re.compile(r";|\s-|-\s")


def _words_leading_into(cur: _Group, m: Mention, text: str | None) -> list[Mention]:
    """The mentions of exam ``cur`` (which has named its sites) that belong to the next exam, whose
    modality ``m`` they stand right before."""
    def before(x: Mention) -> bool:
        return x.doc_id == m.doc_id and 0 < m.token - x.token <= 2 and x.token > cur.sites[-1].token and \
            (text is None or not _CLOSED_BEFORE_RX.search(text[x.end:m.start]))
    # "... AND LIMITED ULTRASOUND LEFT BREAST": a qualifier right before the modality (not one joined to
    # the exam before, "... WITH TOMOSYNTHESIS; DXA ...", nor one that closes a charge line a dash separates
    # from its restated title: "X-RAY KNEE BILAT STANDING - XR KNEES AP STANDING BILAT", "X-RAY ARM,
    # INFANT - XR UPPER EXTREMITY")
    lead = [x for x in cur.mentions if x.key == "qual" and not x.joined and before(x)]
    # "LEFT LEG VENOUS DUPLEX + BILATERAL ABI": a side right before the modality, after the exam before
    # has named a side of its own, is the next exam's side
    if any(y.key == "side" and y.token < cur.sites[-1].token for y in cur.mentions):
        lead += [x for x in cur.mentions if x.key == "side" and before(x)]
    return lead


def _site_leading_into(cur: _Group, m: Mention, mentions: list[Mention], text: str | None) -> list[Mention]:
    """The last site of exam ``cur`` (two sites or more, a modality) with its side and qualifiers, when it
    belongs to the next exam, whose modality ``m`` it stands right before: "LEFT DIAGNOSTIC MAMMOGRAM; LEFT
    BREAST ULTRASOUND" (the mammogram names the breast itself), "BILATERAL BREAST MRI W WO AND LEFT BREAST
    ULTRASOUND" (a separator between the two sites, another kind of study after the second)."""
    last = cur.sites[-1]
    if cur.modality is None or not (m.doc_id == last.doc_id and 0 <= m.token - last.token <= 2 and m.start > last.end):
        return []
    prev = cur.sites[-2]
    moved = [x for x in cur.mentions if x.doc_id == m.doc_id and
             max(prev.token + 1, last.token - 2) <= x.token <= last.token and x.key in ("site", "side", "qual")]
    own = cur.sites[0].token == cur.modality.token and cur.sites[0].doc_id == cur.modality.doc_id
    if own or moved and not _kin(cur.modality.value, m.value) and prev.doc_id == m.doc_id \
            and not _one_exam(prev, min(moved, key=lambda x: x.start), mentions, text):
        return moved
    return []


def group_mentions(mentions: list[Mention], text: str | None = None, lex: Lexicon | None = None) -> list[_Group]:
    """Split an exam title's mentions into exam groups (one per modality phrase); ``text`` is the
    report the mentions point into (see :func:`stated_modality_governs`); ``lex`` tells which
    sites are vessels (a "DUPLEX" after one names the vessels' scan, not its organ's)."""
    mentions = stated_modality_governs(mentions, text)
    groups: list[_Group] = []
    pending: list[Mention] = []
    doc = None
    fresh = False  # a new exam line ("EXAM 2: FETAL MCA DOPPLER") starts its own exam
    for m in mentions:
        if m.doc_id != doc:
            if doc is not None and pending and (groups or _is_exam_line(pending)):
                _close_pending(groups, pending)
                pending = []
            doc, fresh = m.doc_id, bool(groups)
        if m.key == "modality":
            fresh = False
            cur = groups[-1] if groups else None
            if cur is not None and not cur.sites and not pending and _separate_ct_after_pet(cur, m, text):
                # "PET/CT SKULL BASE TO THIGH; CT CHEST WITH CONTRAST": the PET names its extent, the
                # CT after a separator is a diagnostic CT of its own (the PET's anatomy: its extent)
                extent = next(x for x in cur.mentions if x.key == "qual" and x.value in _PET_EXTENTS)
                cur.mentions.append(replace(extent, key="site", value="torso"))
                groups.append(_Group(m))
                continue
            if cur is not None and not cur.sites and not pending and (_compatible(cur, m) or _sided_ultrasound(cur, m, text)):
                _pet_ct(cur, m)
                _upgrade(cur, m)
                continue
            if cur is not None and not pending and _department_word_before(cur, m, text):
                continue  # "MG MAMMO SCREENING": the department's modality word before the exam's own, one exam
            if cur is not None and cur.sites and not pending and _vessel_study_of(cur, m, mentions, text):
                cur.modality = m  # "US UE VENOUS DUPLEX": the limb's duplex, one exam
                continue
            if cur is not None and cur.sites and not pending and _duplex_ultrasound(cur, m, text):
                continue  # "Venous duplex ultrasound, lower extremity": the duplex's own word, one exam
            g = _Group(m)
            if pending:
                g.mentions.extend(pending)
                pending = []
            elif cur is not None and cur.sites:
                lead = _words_leading_into(cur, m, text)
                for x in lead:
                    cur.mentions.remove(x)
                g.mentions.extend(lead)
            if cur is not None and len(cur.sites) >= 2 and cur.modality is not None:
                moved = _site_leading_into(cur, m, mentions, text)
                for x in moved:
                    cur.mentions.remove(x)
                g.mentions.extend(moved)
            groups.append(g)
        elif groups and not fresh:
            groups[-1].mentions.append(m)
        else:
            pending.append(m)
    if pending:
        if groups and fresh:
            _close_pending(groups, pending)
        else:
            groups.append(_Group(None, pending))
    # a group without anatomy refines the previous one ("US carotid duplex")
    merged: list[_Group] = []
    for grp in groups:
        if merged and not grp.sites and grp.modality is not None and \
                (post := _post_myelogram(merged[-1], grp)) is not None:
            merged.append(post)
            continue
        if merged and not grp.sites and (duplex := _duplex_after_physiologic(merged[-1], grp, text)) is not None:
            merged.append(duplex)
            continue
        if merged and not grp.sites and grp.modality is not None:
            before = merged[-1]
            if before.modality is None or _is_upgrade(before.modality.value, grp.modality.value) or \
                    before.modality.value == grp.modality.value:
                _upgrade(before, grp.modality)
            elif _organ_duplex(before, grp.modality, text, lex):
                before.modality = grp.modality
            else:
                _pet_ct(before, grp.modality)
            # its qualifiers and sides still describe the exam before it ("3D RECON CT ON IW")
            before.mentions.extend(grp.mentions)
            continue
        merged.append(grp)
        if (ct := _myelogram_with_ct(grp)) is not None:
            merged.append(ct)
    return _hybrid_pet_mr(_shared_trailing_side(merged, text), text)


def _duplex_after_physiologic(before: _Group, grp: _Group, text: str | None) -> _Group | None:
    """"ABI AND DUPLEX, BILATERAL": the duplex word joined by "and" to a physiologic arterial study of the legs
    (ankle-brachial indices, segmental pressures) is a second exam, the duplex scan of the same arteries
    (93922 + 93925), not a word that restates the first one. None when it is not that."""
    g, m = before.modality, grp.modality
    if text is None or g is None or m is None or g.doc_id != m.doc_id or m.text.lower() != "duplex" \
            or not before.sites or any(x.value != "lower_extremity_arteries_physiologic" for x in before.sites):
        return None
    end = max(x.end for x in [g, *before.mentions] if x.doc_id == m.doc_id)
    if end > m.start or not _JOINED_EXAMS_RX.fullmatch(text, end, m.start):
        return None
    return _Group(m, [replace(m, key="site", value="lower_extremity_arteries"), *grp.mentions])


def _department_word_before(cur: _Group, m: Mention, text: str | None) -> bool:
    """Whether a modality word right after a group that is one word of the same modality, whose anatomy is
    that word's own ("MG" is a mammogram of the breast: "MG MAMMO SCREENING"), restates it: one exam, not a
    second one that a qualifier of the history could set apart."""
    g = cur.modality
    return text is not None and g is not None and g.value == m.value and g.doc_id == m.doc_id \
        and g.end <= m.start and not text[g.end:m.start].strip() \
        and all((x.doc_id, x.start, x.end) == (g.doc_id, g.start, g.end) for x in cur.mentions)


def _duplex_ultrasound(cur: _Group, m: Mention, text: str | None) -> bool:
    """"ultrasound" / "sonography" right after a vessel's duplex ("Venous duplex ultrasound, lower
    extremity"): the duplex scan named with its kind of imaging, not an ultrasound of the limb as well
    (a department prefix before it, "VAS US UPPER EXT VENOUS DUPLEX", names no vessel: not this)."""
    if text is None or cur.modality is None or cur.modality.value != "DUPLEX" or m.value != "US" \
            or cur.modality.doc_id != m.doc_id:
        return False
    end = max(x.end for x in [cur.modality, *cur.mentions])
    return end <= m.start and not text[end:m.start].strip()


def _hybrid_pet_mr(groups: list[_Group], text: str | None) -> list[_Group]:
    """"PSMA PET/MRI PELVIS": a hybrid PET/MR names its anatomy once, after the MR; the PET images
    the same area, with no CT (the PET-only codes, the MR coded on its own)."""
    if text is None:
        return groups
    for a, b in zip(groups, groups[1:], strict=False):
        if a.modality is None or b.modality is None or a.modality.value != "PET" or b.modality.value not in ("MR", "MRA") \
                or a.sites or not b.sites or a.modality.doc_id != b.modality.doc_id:
            continue
        a_end = max(m.end for m in [a.modality, *a.mentions])
        if a_end <= b.modality.start and text[a_end:b.modality.start].strip() in ("/", "-", ""):
            a.mentions.extend(b.sites)
            if not any(m.key == "qual" and m.value in ("pet_only", "pet_ct") for m in a.mentions):
                a.mentions.append(replace(a.modality, key="qual", value="pet_only"))
    return groups


_JOINED_EXAMS_RX = re.compile(r"\s*(?:and|&|/|\+|plus)\s*", re.IGNORECASE)


def _shared_trailing_side(groups: list[_Group], text: str | None) -> list[_Group]:
    """"Diagnostic mammogram and ultrasound, right breast": two exams joined by "and", the first
    with no side of its own and no anatomy the second does not name, share the side written after
    the second (CODING_RULES §1: 77065-RT + 76642-RT, not a bilateral mammogram)."""
    if text is None:
        return groups
    for a, b in zip(groups, groups[1:], strict=False):
        if a.modality is None or b.modality is None or a.modality.doc_id != b.modality.doc_id \
                or any(m.key == "side" for m in a.mentions):
            continue
        sides = [m for m in b.mentions if m.key == "side" and m.start > b.modality.end]
        a_end = max(m.end for m in [a.modality, *a.mentions])
        if not sides or a_end > b.modality.start or not _JOINED_EXAMS_RX.fullmatch(text, a_end, b.modality.start):
            continue
        if a.sites and {s.value for s in a.sites} <= {s.value for s in b.sites}:
            a.mentions.extend(sides)
    return groups


_TOMOGRAPHIC = frozenset({"CT", "MR"})


def _post_myelogram(before: _Group, grp: _Group) -> _Group | None:
    """"LUMBAR MYELOGRAM WITH POST-MYELOGRAM CT", "CERVICAL MYELOGRAM AND CT": a CT (or MR) named
    after a myelogram without anatomy of its own is a second exam, of the myelogram's spine
    segment, with the intrathecal contrast (CODING_RULES 2); None when ``grp`` is no such study."""
    if before.modality is None or before.modality.value != "FL" or grp.modality is None or \
            grp.modality.value not in _TOMOGRAPHIC or not before.sites:
        return None
    # the myelogram's qualifier may have gone with the CT already, as a qualifier right before it
    myelo = next((m for m in before.mentions + grp.mentions if m.key == "qual" and m.value == "myelography"), None)
    if myelo is None:
        return None
    if myelo not in before.mentions:
        before.mentions.append(myelo)  # the myelogram keeps its own qualifier
    return _Group(grp.modality, [*before.sites, *grp.mentions, *([] if myelo in grp.mentions else [myelo])])


def _myelogram_with_ct(g: _Group) -> _Group | None:
    """"MYELOGRAM LUMBAR W CT": the "with CT" a PET title reads as its CT part names, after a
    myelogram, the post-myelogram CT of the same segment (its qualifier leaves the myelogram)."""
    if g.modality is None or g.modality.value != "FL" or not g.sites:
        return None
    withct = next((m for m in g.mentions if m.key == "qual" and m.value == "pet_ct"), None)
    myelo = next((m for m in g.mentions if m.key == "qual" and m.value == "myelography"), None)
    if withct is None or myelo is None:
        return None
    g.mentions.remove(withct)
    return _Group(replace(withct, key="modality", value="CT"), [*g.sites, myelo])


_LIMB_VESSELS = frozenset({"extremity_veins", "extremity_arteries"})


def _vessel_study_of(g: _Group, m: Mention, mentions: list[Mention], text: str | None) -> bool:
    """Whether modality mention ``m`` names the limb vessels' study of the group's anatomy right
    after it ("US UE VENOUS DUPLEX", "US LEFT LEG ARTERIAL DOPPLER"): the kin modality (US ->
    DUPLEX), a word that also names limb veins or arteries, only blanks between ("US RUQ WITH
    LIVER DOPPLER" stays two exams). The vessel word may follow the modality word instead ("US LOWER
    EXT DPX ARTERIAL BILAT", "US UPPER EXTREMITY DUPLEX VENOUS LEFT")."""
    if g.modality is None or g.modality.value != "US" or m.value != "DUPLEX" or text is None \
            or not _right_after(g.sites[-1], m, text, None):
        return False
    if any(x.key == "site" and x.value in _LIMB_VESSELS and (x.doc_id, x.start, x.end) == (m.doc_id, m.start, m.end)
           for x in mentions):
        return True
    after = next((x for x in mentions if x.key == "site" and x.doc_id == m.doc_id and x.start >= m.end), None)
    return after is not None and after.value in _LIMB_VESSELS and _right_after(m, after, text, None)


_PET_EXTENTS = frozenset({"skull_base_to_mid_thigh", "whole_body"})
# (the CT's own words may stand between: "PET/CT ... + diagnostic CT chest with contrast", "and a separate CT")
_SEPARATOR_ONLY_RX = re.compile(r"[\W\d_]*(?:\b(?:and|plus|then)\b[\W\d_]*)?"
                                r"(?:\b(?:an?|separate|diagnostic|dedicated|full[\s-]dose)\b[\W_]*)*", re.IGNORECASE)


# ... or "with" and the words that make the CT another exam ("PET/CT ... WITH DIAGNOSTIC CT CHEST/ABD/PELVIS")
_WITH_OWN_CT_RX = re.compile(r"[\W\d_]*\bwith\b[\W_]+(?:(?:an?|separate|dedicated|full[\s-]dose)\b[\W_]*)*"
                             r"(?:diagnostic|separate|dedicated|full[\s-]dose)\b[\W_]*", re.IGNORECASE)
# a CT the report says another report reads ("it is interpreted and reported separately under its own accession
# number", "see separate CT report"), not one read below ("separately interpreted below")
_CT_READ_ELSEWHERE_RX = re.compile(r"\bCT\b[^.\n]{0,120}?(?:\b(?:reported|dictated|interpreted|read)\s+separately\b"
                                   r"(?!\s+(?:below|here|in\s+this))|\bown\s+accession|\bseparate\s+(?:CT\s+)?report\b)|"
                                   r"\bsee\s+(?:the\s+|separate\s+)?CT\s+report\b", re.IGNORECASE)


def _separate_ct_after_pet(g: _Group, m: Mention, text: str | None) -> bool:
    """A CT named after a PET title that states its extent, behind a separator (";", "and", a new
    line, "with" a diagnostic CT), is another exam, not the PET's own CT ("PET WITH CONCURRENT CT"
    stays one); not when the report says that CT is read in a report of its own."""
    if text is None or g.modality is None or g.modality.value != "PET" or m.value != "CT" or not g.mentions:
        return False
    if not any(x.key == "qual" and x.value in _PET_EXTENTS for x in g.mentions):
        return False
    last = max(x.end for x in [g.modality, *g.mentions] if not (x.key == "qual" and x.value == "diagnostic"))
    between = text[last:m.start]
    if last > m.start:
        return False
    if not (_SEPARATOR_ONLY_RX.fullmatch(between) and ("\n" in between or _EXAM_SEPARATOR_RX.search(between))
            or _WITH_OWN_CT_RX.fullmatch(between)):
        return False
    # (the text after the CT's name: the title and the report that says where the CT is read)
    return _CT_READ_ELSEWHERE_RX.search(text, m.start) is None


_DUPLEX_WORD_RX = re.compile(r"du?ple?x\b", re.IGNORECASE)


def _organ_duplex(g: _Group, m: Mention, text: str | None, lex: Lexicon | None = None) -> bool:
    """Whether the word 'duplex' right after the organ an ultrasound names ("US ABDOMEN DUPLEX
    COMPLETE", "US-ABD RETROPER DPLX") makes it the duplex scan of that organ's vessels: the word
    names the scan itself ("DOPPLER" does not: "US RENAL WITH DOPPLER" stays the ultrasound), with
    nothing but blanks or a dash between."""
    if g.modality is None or g.modality.value != "US" or m.value != "DUPLEX" or text is None or not g.sites:
        return False
    last = g.sites[-1]
    site = lex.sites.get(last.value) if lex is not None else None
    if site is not None and site.default_modality == "DUPLEX":
        return False  # "US KIDNEYS AND RENAL ARTERY DUPLEX": the vessels' scan, the kidneys keep theirs
    return _right_after(last, m, text, " -") and _DUPLEX_WORD_RX.match(text, m.start) is not None


def _right_after(last: Mention, m: Mention, text: str, between: str | None) -> bool:
    """Is mention ``m`` right after ``last`` (the group's last site): the same sentence, one or
    two tokens on, nothing but the characters ``between`` in between (None: any white space)?"""
    return last.doc_id == m.doc_id and 0 < m.token - last.token <= 2 and not text[last.end:m.start].strip(between)


def _pet_ct(g: _Group, m: Mention) -> None:
    """"PET WITH CONCURRENTLY ACQUIRED CT", "CT PET": a PET and a CT named for the same exam
    make it PET/CT (the qualifier the code table's PET/CT codes carry)."""
    if g.modality is not None and {g.modality.value, m.value} == {"PET", "CT"}:
        g.mentions.append(replace(m, key="qual", value="pet_ct"))


def _close_pending(groups: list[_Group], pending: list[Mention]) -> None:
    """An exam line without a modality word: its own exam when it says what kind of study it is
    ("2. CHEST PA AND LATERAL"), else it completes the exam before ("NUC MED" / "I-131 WBS")."""
    if not groups:
        groups.append(_Group(None, pending))
        return
    prev = groups[-1]
    if not prev.sites or not _is_exam_line(pending):
        prev.mentions.extend(pending)
    else:
        groups.append(_Group(None, pending))


def _is_exam_line(ms: list[Mention]) -> bool:
    return any(m.key in ("views", "proj", "contrast") for m in ms)


def _is_upgrade(a: str, b: str) -> bool:
    return (a, b) in UPGRADES


def _sided_ultrasound(g: _Group, m: Mention, text: str | None) -> bool:
    """"US LEFT LOWER EXTREMITY VENOUS DUPLEX": an ultrasound naming only a side before a duplex's
    words, nothing closing it, is that duplex (the side its side), no exam of its own."""
    if g.modality is None or g.modality.value != "US" or m.value != "DUPLEX" or not g.mentions \
            or any(x.key != "side" or x.doc_id != m.doc_id for x in g.mentions):
        return False
    return text is None or not _CLOSED_BEFORE_RX.search(text, max(x.end for x in g.mentions), m.start)


def _compatible(g: _Group, m: Mention) -> bool:
    a = g.modality.value if g.modality else None
    return a is None or a == m.value or _is_upgrade(a, m.value) or _is_upgrade(m.value, a)


def _upgrade(g: _Group, m: Mention) -> None:
    if g.modality is None or _is_upgrade(g.modality.value, m.value):
        g.modality = m


def _nearest_site(m: Mention, sites: list[Mention]) -> Mention | None:
    same = [s for s in sites if s.doc_id == m.doc_id]
    if not same:
        return None
    # prefer the site that follows ("right knee"), then the one before ("knee, right")
    after = [s for s in same if s.token >= m.token]
    before = [s for s in same if s.token < m.token]
    cands = []
    if after:
        cands.append((after[0].token - m.token, 0, after[0]))
    if before:
        cands.append((m.token - before[-1].token, 1, before[-1]))
    return min(cands, key=lambda c: (c[0], c[1]))[2] if cands else None


def _group_modality(g: _Group, sites: list[Mention], qual_values: set[str], lex: Lexicon,
                    default_modality: str | None) -> str | None:
    """The modality of a title group's frames: the one it names (else inferred from its sites), made
    angiographic by an angio qualifier."""
    modality = g.modality.value if g.modality else _infer_modality(sites, g.mentions, lex, default_modality)
    if modality == "CT" and "angio" in qual_values:
        return "CTA"
    if modality == "MR" and "angio" in qual_values:
        return "MRA"
    if modality == "DUPLEX" and "sonohysterography" in qual_values:
        # "SALINE INFUSION SONOHYSTEROGRAPHY, COLOR FLOW DOPPLER" written with only its Doppler word: the
        # sonohysterogram includes its color flow Doppler (76831), no duplex of the pelvic organs
        return "US"
    return modality


def build_frames(groups: list[_Group], lex: Lexicon, default_modality: str | None) -> list[Frame]:
    frames: list[Frame] = []
    for g in groups:
        sites = g.sites
        if not sites:
            continue
        quals = [m for m in g.mentions if m.key == "qual" and m.status == "performed" and m.value not in _MODALITY_HINTS]
        qual_values = {m.value for m in quals}
        modality = _group_modality(g, sites, qual_values, lex, default_modality)
        sites = _one_exam_sites(modality, sites, g.mentions)
        if modality in _SONOGRAPHIC:
            sites = _organ_arteries(_without_limb_parts_after_vessels(_without_vessel_location(sites), lex))
        dominant = [s for s in sites if s.value in lex.sites and lex.sites[s.value].dominant]
        if g.modality is not None and dominant:
            sites, dominant = _without_foreign_settings(g, sites, dominant, modality, lex)
        radiograph = modality == "XR" if g.modality else "portable" in qual_values
        imaged = [s for s in sites if s not in dominant and lex.region_for(s.value, "XR")]
        if radiograph and imaged and not (_names_guidance_only(dominant, g.mentions) and all(
                s.value in lex.sites and lex.sites[s.value].absorbed for s in imaged)):
            # ("XR NEEDLE PLACEMENT SPINE": the spine is where the needle goes, a site the guidance
            # absorbs; "XR L SPINE POST EPIDURAL" names a procedure, the radiograph is of the spine)
            # "CHEST PORTABLE PICC LINE PLACEMENT": the radiograph checks the line; guidance a
            # radiograph cannot give is the reason for it, not an exam
            sites = [s for s in sites if s not in dominant or lex.region_for(s.value, "XR")]
            dominant = [s for s in dominant if s in sites]
            modality = "XR"
        if dominant:
            keep = max(dominant, key=lambda s: lex.sites[s.value].dominant)
            for s in sites:
                if s is not keep and s.value in lex.sites:
                    qual_values |= lex.sites[s.value].absorbed
            sites = [keep]
        listed = modality == "US" and _survey_list(g, sites, lex)
        if listed:
            sites = [s for s in sites if s.value not in _SURVEY_VESSELS]
        # keep the most specific sites: "SP CERV" -> cervical spine, "LLE ART DUPLEX" -> arteries
        level = min((_generic(lex, s.value) for s in sites), default=0)
        specific = [s for s in sites if _generic(lex, s.value) == level]
        if modality == "US" and specific and all(s.value in lex.sites and lex.sites[s.value].default_modality == "DUPLEX"
                                                 for s in specific):
            # "US RENAL WITH RENAL ARTERY DOPPLER": the organ named on its own beside its vessels is
            # an organ ultrasound of its own, the vessels its duplex (76770 + 93975)
            # (an organ: a vessel such as the aorta has a duplex region of its own)
            specific = [s for s in sites if s in specific or lex.region_for(s.value, "US") in DUPLEX_ORGAN_REGIONS
                        and lex.region_for(s.value, "DUPLEX") in (None, "abdominal_pelvic_organs_vessels")]
        apart = _abdomen_beside_pelvis(sites, specific, modality, lex)  # (exams of their own: no qualifier given)
        apart += _kidneys_after_limited_abdomen(g, sites, specific, modality)
        specific += _limbs_beside_trunk(sites, specific, modality, lex) + apart
        if len(specific) < len(sites):
            for s in sites:
                if _generic(lex, s.value) > level and s.value in lex.sites and not listed and s not in apart:
                    qual_values |= lex.sites[s.value].implies
            sites = [s for s in sites if s in specific]
        doubt = _modality_doubt(g, modality, qual_values, sites, lex)
        sides, side_for = _sides_by_site(g, sites, modality, lex)
        seen_sites = set()
        for site_m in sites:
            if site_m.value in seen_sites:
                continue
            seen_sites.add(site_m.value)
            mod = modality
            site = lex.sites.get(site_m.value)
            if site and site.default_modality and (mod is None or mod in ("US", "XR") and site.default_modality == "DUPLEX"):
                mod = site.default_modality
            f = Frame(mod or "XR", site_m.value)
            f.doubt = doubt
            f.add("site", [site_m], "title")
            if g.modality:
                f.add("modality", [g.modality], "title")
            else:
                f.sources["modality"] = "inferred"
            f.quals |= qual_values
            if site and not listed:
                f.quals |= site.implies
            if quals:
                f.add("qual", quals, "title")
            own = side_for.get(site_m.value, [])
            if own:
                f.side = _combine_sides([m.value for m in own])
                f.add("side", own, "title")
            elif len(sites) == 1 and sides:
                f.side = _combine_sides([m.value for m in sides])
                f.add("side", sides, "title")
            frames.append(f)
    return _without_graft_location(frames)


def _sides_by_site(g: _Group, sites: list[Mention], modality: str | None,
                   lex: Lexicon) -> tuple[list[Mention], dict[str, list[Mention]]]:
    """The group's side mentions, and those of them nearest each site value. A side the title says
    was not done ("R side not done") is no side of the exam; a side belongs to anatomy that has
    sides ("HIP UNI W WO PELV ... LT" is the left hip)."""
    sides = [m for m in g.mentions if m.key == "side" and m.status not in ("historical", "negated")]
    # a title that restricts its order to one side ("MAMMO DIAGNOSTIC BILATERAL - LEFT ONLY"): that side
    only = [s for s in sides if s.value in ("left", "right") and any(
        o.key == "qual" and o.value == "only" and o.doc_id == s.doc_id and 0 < o.start - s.end <= 3 for o in g.mentions)]
    if len({s.value for s in only}) == 1 and any(s.value == "bilateral" for s in sides):
        sides = only
    # the plural of an anatomy word ("EXTREMITIES", "LEGS") beside one side written out ("US ARTERIES LOWER
    # EXTREMITIES-LEFT"): the written side (the plural is the vessels' or the series' own wording)
    plural = [s for s in sides if s.value == "bilateral" and any(
        x.key == "site" and (x.doc_id, x.start, x.end) == (s.doc_id, s.start, s.end) for x in g.mentions)]
    if plural and len({s.value for s in sides if s not in plural}) == 1 \
            and all(s in plural or s.value in ("left", "right") for s in sides):
        sides = [s for s in sides if s not in plural]
    side_for: dict[str, list[Mention]] = {}
    lateral = [s for s in sites if _has_sides(lex, s.value, modality)] or sites
    for s in sides:
        near = _nearest_site(s, lateral)
        if near is not None:
            side_for.setdefault(near.value, []).append(s)
    # one side written before the title's sided anatomy ("XR R ANKLE & FOOT", "RIGHT WRIST AND HAND") is the
    # side of each of them: a part named after it with no side of its own is of that side too
    if len({s.value for s in sides}) == 1 and sides[0].value in ("left", "right") and side_for:
        first = min(sides, key=lambda s: (s.doc_id, s.start))
        if all(x.doc_id == first.doc_id and x.start > first.start for x in lateral):
            for x in lateral:
                side_for.setdefault(x.value, [first])
    return sides, side_for


_ABDOMINAL_VESSELS = frozenset({"aorta", "aorta_iliac"})


def _without_vessel_location(sites: list[Mention]) -> list[Mention]:
    """An ultrasound's sites without the abdomen named right before the aorta or IVC ("US ABD
    AORTA/IVC DUPLEX LIMITED", "US ABD AORTA"): the word says where the vessel lies (the abdominal
    aorta), not an abdominal survey of its own."""
    where = [a for a in sites if a.value == "abdomen" and any(
        v.value in _ABDOMINAL_VESSELS and v.doc_id == a.doc_id and v.token - a.token == 1 for v in sites)]
    return [s for s in sites if s not in where] if where and len(where) < len(sites) else sites


# a lower quadrant named by its initials or in words ("RLQ", "left lower quadrant"): where a transplanted
# kidney lies
_LOWER_QUADRANT_RX = re.compile(r"[RL]LQ|(?:right|left)\s+lower\s+quadrant", re.IGNORECASE)


def _without_graft_location(frames: list[Frame]) -> list[Frame]:
    """An ultrasound's frames without one built from a lower quadrant alone named beside a transplanted
    kidney's ("TRANSPLANT KIDNEY US W/ DOPPLER, RLQ", "US RENAL TRANSPLANT RLQ"): the quadrant says where
    the graft lies (the iliac fossa), no limited abdominal exam of its own (76705)."""
    if not any(f.modality == "US" and f.site == "transplant_kidney" for f in frames):
        return frames
    return [f for f in frames if f.modality not in _SONOGRAPHIC or f.site == "transplant_kidney" or not (
        sites := [m for m in f.evidence.get("site", []) if m.key == "site"])
        or not all(_LOWER_QUADRANT_RX.fullmatch(m.text.strip()) for m in sites)]

def _organ_arteries(sites: list[Mention]) -> list[Mention]:
    """An ultrasound naming the kidney and a bare arterial word and nothing else ("US RENAL ARTERIAL
    DUPLEX", "ARTERIAL DUPLEX RENAL COMPLETE", "US ARTERIAL RENAL"): the arteries are the kidney's, the renal
    vessels' duplex (93975 / 93976), no limb's arteries beside a renal ultrasound (a limb named keeps both)."""
    arteries = [s for s in sites if s.value == "extremity_arteries"]
    if not arteries or any(s.value not in ("extremity_arteries", "kidney") for s in sites) or len(arteries) == len(sites):
        return sites
    return [replace(arteries[0], value="renal_vessels")]


_TITLE_VESSELS = _LIMB_VESSELS | {"carotid"}
_VESSEL_TERRITORY = frozenset({"extremity", "extremity_joint", "neck_soft_tissue"})


def _without_limb_parts_after_vessels(sites: list[Mention], lex: Lexicon) -> list[Mention]:
    """A limb's or the neck's vessel study title without the parts named after its vessel word ("US
    ARTERIAL LE LEFT - L foot ulcer", "LE ARTERIAL DUPLEX, LEFT FEMOROPOPLITEAL GRAFT, left fem-pop
    PTFE", "US CAROTID LTD - L neck bruit after L CEA"): the indication's foot or neck or the graft's
    course, not a nonvascular exam of the part (the limb itself stays: it says which limb's vessels)."""
    vessel = next((s for s in sites if s.value in _TITLE_VESSELS), None)
    if vessel is None:
        return sites
    # (a part right after the vessel word, "CAROTID AND NECK", may be an exam of its own)
    parts = [s for s in sites if s.doc_id == vessel.doc_id and s.token - vessel.token >= 3 and s.value not in _TITLE_VESSELS
             and _generic(lex, s.value) == 0 and lex.region_for(s.value, "US") in _VESSEL_TERRITORY]
    return [s for s in sites if s not in parts] if parts else sites


# the vessels a complete abdominal or retroperitoneal ultrasound surveys itself (CODING_RULES §5:
# the upper IVC and the abdominal aorta are elements of 76700, the aorta of 76770)
_SURVEY_VESSELS = frozenset({"aorta_iliac"})
_SURVEY_REGIONS = frozenset({"abdomen", "retroperitoneum"})


def _survey_list(g: _Group, sites: list[Mention], lex: Lexicon) -> bool:
    """Whether an ultrasound title lists the organs of an abdominal or retroperitoneal survey ("US
    ABDOMEN - liver GB pancreas spleen kidneys aorta IVC CBD", "US RETROPERITONEUM kidneys aorta
    IVC"): three or more sites of those regions, and no Doppler word in the exam. The list names
    the survey's elements: the IVC and aorta among them are no duplex scan of their own, and the
    organs no limited exam of one organ (the documented elements decide complete or limited,
    CODING_RULES §5)."""
    if any(m.key == "modality" and m.value == "DUPLEX" for m in g.mentions) or \
            (g.modality is not None and g.modality.value != "US"):
        return False
    organs = {s.value for s in sites if lex.region_for(s.value, "US") in _SURVEY_REGIONS}
    return len(organs) >= 3


def _one_exam_sites(modality: str | None, sites: list[Mention], mentions: list[Mention]) -> list[Mention]:
    """Sites that several words name as one exam: the aorta with the legs in a CT angiogram (the
    runoff); the head with the neck in an ultrasound ("US HEAD AND NECK", "US THYROID-HEAD NECK":
    the soft tissues of the head and neck, 76536, not an infant head exam as well)."""
    if modality == "CTA":
        return _aorta_with_legs(sites, mentions)
    if modality == "US" and {"head", "neck"} <= {s.value for s in sites}:
        return [s for s in sites if s.value != "head"]
    return sites


_TRUNK = frozenset({"abdomen", "aorta", "abdomen_pelvis"})
_LEGS = frozenset({"lower_extremity", "leg", "femoral", "femur"})


def _aorta_with_legs(sites: list[Mention], mentions: list[Mention]) -> list[Mention]:
    """A CT angiogram of the abdomen or aorta that names the legs, or both sides ("CTA ABD AORTA &
    BIL LOW EXTR", "CTA ABD AORTA/FEMORAL", "CTA ABD AORTA & BIL"), is the abdominal aorta with
    bilateral runoff (CODING_RULES §3: 75635): the legs are read as the runoff."""
    values = {s.value for s in sites}
    if not values & _TRUNK or "runoff" in values:
        return sites
    legs = [s for s in sites if s.value in _LEGS]
    if legs:
        return [replace(s, value="runoff") if s in legs else s for s in sites]
    if not values <= _TRUNK:
        return sites  # "CTA ABDOMEN BILATERAL RENAL ARTERIES": the side is another site's
    both = [m for m in mentions if m.key == "side" and m.value == "bilateral" and m.status == "performed"]
    return sites + [replace(both[0], key="site", value="runoff")] if both else sites


# the limbs' own cross-sectional regions, and the modalities that code a limb on its own
_LIMB_REGIONS = frozenset({"lower_extremity", "upper_extremity"})
_LIMB_MODALITIES = frozenset({"CT", "CTA", "MR", "MRA"})
_TRUNK_REGIONS = frozenset({"chest", "abdomen", "pelvis", "abdomen_pelvis"})


def _limbs_beside_trunk(sites: list[Mention], specific: list[Mention], modality: str | None,
                        lex: Lexicon) -> list[Mention]:
    """The generic limb sites of a cross-sectional title that are exams of their own beside the trunk ("MRV PELVIS
    AND BILATERAL LOWER EXTREMITIES", "CT PELVIS AND LEFT LEG"): a generic site is dropped beside a more specific
    one only when that one is a part of it ("EXT LOW KNEE", "SP CERV"); no trunk region is a part of a limb."""
    if modality not in _LIMB_MODALITIES or not specific:
        return []
    if not {lex.region_for(s.value, "CT") for s in specific} <= _TRUNK_REGIONS:
        return []  # (not beside the spine: "MR LUMBAR SPINE WO; ... with L leg radiculopathy" names the leg's symptom)
    return [s for s in sites if s not in specific and lex.region_for(s.value, "CT") in _LIMB_REGIONS]


def _abdomen_beside_pelvis(sites: list[Mention], specific: list[Mention], modality: str | None,
                           lex: Lexicon) -> list[Mention]:
    """The abdominal organs a sonogram title names beside the pelvis ("US RLQ (APPENDIX) AND PELVIS", "US
    GALLBLADDER AND PELVIS"): a limited abdomen exam of their own beside the pelvic exam (76705 + 76856,
    CODING_RULES §5), not a part of it; the pelvis is no part of the abdomen's code region."""
    if modality != "US" or not specific or {lex.region_for(s.value, "US") for s in specific} != {"pelvis"} \
            or not any(s.value == "pelvis" for s in specific):
        return []
    return [s for s in sites if s not in specific and s.section == "exam" and s.status == "performed"
            and lex.region_for(s.value, "US") == "abdomen"]


def _kidneys_after_limited_abdomen(g: _Group, sites: list[Mention], specific: list[Mention],
                                   modality: str | None) -> list[Mention]:
    """The kidneys a sonogram title names after its limited abdomen and a joining word ("US ABD LIMITED &
    RENAL", "US ABDOMEN LIMITED AND KIDNEYS"): the retroperitoneal exam of their own beside the limited
    abdomen (76705 + 76775, CODING_RULES §5), not the organs of the limited abdominal exam; the kidneys are
    elements of the complete abdomen only."""
    if modality != "US" or [s.value for s in specific] != ["abdomen"]:
        return []
    limited = [m for m in g.mentions if m.key == "qual" and m.value == "limited" and m.section == "exam"
               and m.doc_id == specific[0].doc_id and m.token > specific[0].token]
    if not limited:
        return []
    return [s for s in sites if s.value == "kidney" and s.section == "exam" and s.status == "performed" and not s.paren
            and s.doc_id == limited[0].doc_id and s.token - limited[0].token >= 2]


def _names_guidance_only(dominant: list[Mention], mentions: list[Mention]) -> bool:
    """Does a dominant word name the guidance itself ("NEEDLE PLACEMENT", "NEEDLE LOCALIZATION"),
    not a procedure carrying a qualifier of its own ("EPIDURAL", "PICC")?"""
    spans = {(m.doc_id, m.start, m.end) for m in mentions if m.key == "qual"}
    return any((d.doc_id, d.start, d.end) not in spans for d in dominant)


def _without_foreign_settings(g: _Group, sites: list[Mention], dominant: list[Mention], modality: str | None,
                              lex: Lexicon) -> tuple[list[Mention], list[Mention]]:
    """(sites, dominant sites) of a group whose modality is stated: a dominant word of another
    kind of study ("FL CHOLANGIOGRAM INTRAOPERATIVE": intraoperative ultrasound) is the setting
    of an exam the stated modality codes at another site of the title, and is dropped; the exam
    a procedure word names ("CT SCANOGRAM LOWER EXTREMITIES") stays dominant."""
    procedures = {(m.doc_id, m.start, m.end) for m in g.mentions if m.key == "procedure"}
    foreign = [s for s in dominant if not _site_fits(lex, s.value, modality)
               and not _kin(modality or "", lex.sites[s.value].default_modality or modality or "")
               and (s.doc_id, s.start, s.end) not in procedures]
    rest = [s for s in sites if s not in foreign and _site_fits(lex, s.value, modality)]
    if not (foreign and rest):
        return sites, dominant
    return [s for s in sites if s not in foreign], [s for s in dominant if s not in foreign]


def _modality_doubt(g: _Group, modality: str | None, quals: set[str], sites: list[Mention],
                    lex: Lexicon) -> str | None:
    """Why the exam's modality is in doubt (None: it is not): the title names SPECT and a PET
    tracer; or no word states the modality and anatomy of the same exam has no code of the one a
    site implies ("C-SPINE PUNCTURE CSF DRAIN": CSF alone would be nuclear medicine)."""
    if modality == "PET" and quals & {"spect", "spect_ct"}:
        return "title names both SPECT and PET"
    if g.modality is not None or modality is None or len(sites) < 2 or not any(
            s.value in lex.sites and lex.sites[s.value].default_modality == modality for s in sites):
        return None
    odd = next((s for s in sites if not _site_fits(lex, s.value, modality)), None)
    return f"no modality stated; the {odd.value.replace('_', ' ')} has no {modality} code" if odd else None


def _site_fits(lex: Lexicon, site: str, modality: str | None) -> bool:
    """Whether the modality (or its kin: XR -> FL, US -> DUPLEX...) has a code region for the site."""
    if modality is None:
        return True
    return any(lex.region_for(site, m) for m in (modality, MODALITY_FALLBACK.get(modality)) if m)


def _has_sides(lex: Lexicon, site: str, modality: str | None) -> bool:
    """Whether a code of the site's region (in the modality, else in any of XR, CT, MR, US) has a side
    (read once per lexicon, site and modality: the lexicon does not change)."""
    memo = lex.__dict__.setdefault("_has_sides", {})
    key = (site, modality)
    if key not in memo:
        memo[key] = any(region and any(c.side in ("unilateral", "bilateral") for c in lex.codes_for(mod, region))
                        for mod in ([modality] if modality else ["XR", "CT", "MR", "US"])
                        for region in (lex.region_for(site, mod),))
    return memo[key]


def _generic(lex: Lexicon, site: str) -> int:
    s = lex.sites.get(site)
    return s.generic if s else 0


def _combine_sides(values: list[str]) -> str | None:
    vals = set(values)
    if vals == {"unilateral"}:
        return "unilateral"
    vals.discard("unilateral")
    if not vals:
        return None
    if "bilateral" in vals or {"left", "right"} <= vals:
        return "bilateral"
    return vals.pop()


_SONOGRAPHIC = frozenset({"US", "DUPLEX"})
# what a heart title naming no modality counts of its studies ("MYOCARDIAL MULTI", "MYOCARD TOMO SINGLE")
_HEART_STUDY_COUNT = frozenset({"multiple", "single", "tomosynthesis"})


def _infer_modality(sites, mentions, lex: Lexicon, default: str | None) -> str | None:
    quals = {m.value for m in mentions if m.key == "qual"}
    nm = quals & NM_QUALIFIERS
    # (the bare word "imaging", as in a facility's name, names no nuclear study beside a count of views:
    # "ST. LUKE'S IMAGING ... CHEST 2 VIEWS" is a radiograph)
    if nm and any(lex.region_for(s.value, "NM") for s in sites) \
            and (nm != {"imaging"} or not any(m.key == "views" for m in mentions)):
        return "NM"
    if "calcium_score" in quals and default is None and any(lex.region_for(s.value, "CT") for s in sites):
        # coronary calcium scoring is a CT study ("CORONARY CALCIUM SCORING", "CORONARY ARTERY CALCIUM SCORE": no
        # artery duplex)
        return "CT"
    if quals & {"function", "pharmacologic"} and any(lex.region_for(s.value, "NM") == "kidney" for s in sites):
        # "KIDNEY IMG W/FUNCTION", "RENAL W/DRUG INTERVENTION": a kidney's function (with or without a drug
        # given) is measured by the nuclear renal study, never by a film or a sonogram of the kidney
        return "NM"
    if default is None and quals & _HEART_STUDY_COUNT and not any(m.key == "views" for m in mentions) \
            and any(lex.region_for(s.value, "NM") == "heart" for s in sites):
        # "MYOCARDIAL MULTI", "MYOCARD TOMO MULTI": a heart title counting its studies (single / multiple,
        # tomographic) and naming no modality is the nuclear perfusion line (no film counts studies)
        return "NM"
    if "real_time" in quals and any(lex.region_for(s.value, "US") for s in sites):
        # "CHEST, REAL TIME", "BREAST W/IMAGE COMPLETE": the ultrasound descriptors' own wording ("real
        # time with image documentation") on a line naming no modality
        return "US"
    if "cross_sectional" in quals and any(m.status == "performed" for m in mentions if m.value == "cross_sectional"):
        # "axial images of the chest were obtained": a tomographic study, CT unless an MR
        # sequence of the report says otherwise (then the group has its modality)
        return default if default in ("CT", "MR", "CTA", "MRA") else "CT"
    for s in sites:
        site = lex.sites.get(s.value)
        if site and site.default_modality:
            if default in _SONOGRAPHIC and site.default_modality == "NM":
                # "US LEFT GROIN ... normal inguinal lymph nodes": the nodes an ultrasound shows are
                # no lymphoscintigraphy; the report's stated modality stays (CODING_RULES §6)
                return default
            return site.default_modality
    if "angio" in quals:
        return "CTA"
    if quals & {"levels_single", "levels_multi"} and any(lex.region_for(s.value, "DUPLEX") for s in sites):
        # "EXTREMITY STUDY SGL LEV BIL": the levels of a limb study are a physiologic arterial study's
        return "DUPLEX"
    if quals & ({"complete", "limited"} | _SONOGRAPHIC_APPROACH) and \
            any(lex.region_for(s.value, "US") and not lex.region_for(s.value, "XR") for s in sites):
        return "US"
    if any(m.key == "views" or m.key == "proj" for m in mentions):
        return "XR"
    extent = _extent_modality(sites, quals, lex)
    if extent:
        return extent
    # a spelled-out contrast phrase implies cross-sectional imaging; a bare "W/" does not
    # ("LUMBAR SPINE COMP W/BEND")
    if any(m.key == "contrast" and m.value in COUNTING_CONTRAST and
           m.text.lower().replace(" ", "") not in _BARE_CONTRAST for m in mentions):
        return default or "CT"
    return default


def _extent_modality(sites, quals: set[str], lex: Lexicon) -> str | None:
    """The modality of a complete / limited title naming a site with an ``extent`` option and no
    modality ("ABDOMEN LIMITED", "ABDOMEN COMPLETE": the abdominal ultrasound; regions.tsv), unless
    a qualifier names one of the site's radiograph studies ("COMP ACUTE ABD": the acute series)."""
    if not quals & {"complete", "limited"}:
        return None
    for m in sites:
        site = lex.sites.get(m.value)
        if site is None or site.extent_modality is None:
            continue
        xr = lex.region_for(m.value, "XR")
        if not any(rr.from_region == xr and rr.atoms and rr.atoms <= quals for rr in lex.region_rules_of("XR")):
            return site.extent_modality
    return None


def _one_frame_per_exam(out: list[Frame]) -> list[Frame]:
    """One frame per exam (:func:`_same_exam`), folded in order."""
    uniq: list[Frame] = []
    for f in out:
        other = next((u for u in uniq if _same_exam(u, f)), None)
        if other is not None:
            if other.site != f.site and other.contrast and f.contrast and other.contrast != f.contrast:
                # two parts of one region ("MRI BRAIN WITHOUT & MRI IAC W/WO": the brain code), one plain
                # and one with contrast: the region had both series (CODING_RULES §2); a part whose only
                # contrast is oral or rectal ("CT ENTEROGRAPHY (CT ABDOMEN AND PELVIS WITH IV ...)", the
                # neutral oral drink) states no plain series: the other part's contrast is the exam's
                if _route_only(other):
                    other.contrast = f.contrast
                elif not _route_only(f):
                    other.contrast = _merge_contrast(other.contrast, f.contrast)
            # (a count one naming states and the other leaves open is the exam's: "Chest X-ray. EXAM: CHEST PA
            # AND LATERAL", CODING_RULES §4)
            _merge_same_exam(other, f, attrs=("side", "contrast", "views"))
        else:
            uniq.append(f)
    return uniq


def split_and_merge(frames: list[Frame], lex: Lexicon) -> list[Frame]:
    """Apply the lexicon's split and merge rules to the frames' regions."""
    out: list[Frame] = []
    for f in frames:
        f.region = resolve_region(f, lex)
        split = next((r for r in lex.of_type("split") if f.modality in r.data["modalities"]
                      and f.region == r.data["region"] and r.data.get("when_qualifier", f.region) in f.quals | {f.region}
                      and f.site in r.data.get("sites", (f.site,))),
                     None)
        if split is None:
            out.append(f)
            continue
        for part in split.data["into"]:
            g = Frame(f.modality, part, part, f.contrast, f.views, f.side, set(f.quals),
                      {k: list(v) for k, v in f.evidence.items()}, dict(f.sources), list(f.conflicts),
                      f.fuzzy)
            g.doubt = f.doubt
            g.contrast = f.part_contrast.get(part, f.contrast)
            g.region = resolve_region(g, lex)
            out.append(g)
    for r in lex.of_type("split_qualifier"):
        first, second = r.data["qualifiers"]
        for f in list(out):
            if f.modality not in r.data["modalities"] or second not in f.quals:
                continue
            if f.quals & _BY_APPROACH:
                # "saline instilled under transvaginal ultrasound observation": the approach is how
                # the sonohysterogram is done, no exam of its own (76831 alone)
                f.quals.discard(second)
                continue
            g = f
            if first in f.quals:
                g = Frame(f.modality, f.site, f.region, f.contrast, f.views, f.side, f.quals - {first},
                          {k: list(v) for k, v in f.evidence.items()}, dict(f.sources), [], f.fuzzy)
                g.doubt = f.doubt
                f.quals.discard(second)
                out.insert(out.index(f) + 1, g)
            _approach_only(g, second, lex)
            if g is not f:
                _approach_extent(f, second)
    for r in lex.of_type("split_service"):
        for f in list(out):
            if f.modality in r.data["modalities"] and f.region == r.data["region"]:
                _split_service(f, r.data, out, lex)
    _merge_regions(out, lex)
    # one frame per (modality, region)
    # the same exam named twice (banner and EXAM line; "MRI UPPER EXTREMITY - MR UPPER EXT LEFT W
    # CONTRAST") is one frame, the side and contrast stated once counting for both; two exams of
    # one region with different qualifiers ("US OB LIMITED" and "FETAL MCA DOPPLER") or sides stay two
    uniq = _one_frame_per_exam(out)
    _bladder_with_kidneys(uniq)
    _limb_of_vessel_study(uniq)
    return uniq


def _fewest_merged(lex: Lexicon) -> int:
    """The fewest frames one of the lexicon's merge rules needs (its ``min_regions``, else all its
    regions), found once per lexicon (0 when it has none: the rules, none, are looked at)."""
    memo = lex.__dict__.setdefault("_fewest_merged", [])  # (the rules are immutable, as of_type's memo)
    if not memo:
        memo.append(min((r.data.get("min_regions", len(r.data["regions"])) for r in lex.of_type("merge")), default=0))
    return memo[0]


def _merge_regions(out: list[Frame], lex: Lexicon) -> None:
    """The lexicon's merge rules applied to the frames ``out`` (in place), again until none applies."""
    if len(out) < _fewest_merged(lex):
        return  # (most reports are one frame: no rule can merge, none is looked at)
    changed = True
    while changed:
        changed = False
        for r in lex.of_type("merge"):
            regions = r.data["regions"]
            need = r.data.get("min_regions", len(regions))
            if len(out) < need:
                continue  # (fewer frames than the regions it needs: it cannot merge; most reports are one frame)
            atom = r.data.get("when_qualifier")
            sites = r.data.get("sites")
            for mod in r.data["modalities"]:
                members = [f for f in out if f.modality == mod and f.region in regions
                           and (sites is None or f.region == r.data["into"] or f.site in sites)]
                if atom is not None and not any(atom in f.quals for f in members):
                    continue
                if r.data.get("unless_qualifier") and any(r.data["unless_qualifier"] in f.quals for f in members):
                    continue
                if "min_views" in r.data and not any((f.views or 0) >= r.data["min_views"]
                                                     for f in members if f.region == regions[0]):
                    continue
                if len({f.region for f in members}) >= need and (need < len(regions) or
                                                                  {f.region for f in members} >= set(regions)):
                    keep = members[0]
                    for f in members[1:]:
                        for k, v in f.evidence.items():
                            keep.evidence.setdefault(k, []).extend(v)
                        keep.quals |= f.quals
                        if f.contrast and f.contrast != keep.contrast:
                            keep.contrast = _merge_contrast(keep.contrast, f.contrast)
                        if keep.side is None and f.side is not None:
                            # "PA chest and right rib views": the side of the part that has sides
                            keep.side = f.side
                            keep.sources["side"] = f.sources.get("side", "title")
                        out.remove(f)
                    if "adds_qualifier" in r.data:
                        keep.quals.add(r.data["adds_qualifier"])
                    # ... with the region its qualifiers and views select from there ("T/L SPINE
                    # STANDING": the entire spine's survey, region_rules.tsv)
                    keep.region = _ruled_region(keep, r.data["into"], lex)
                    keep.site = r.data["into"]
                    changed = True


def radiograph_shunt_series(ex: Extraction, frames: list[Frame]) -> None:
    """The radiographs of a shunt series ("XR SHUNT SERIES": skull, chest and abdomen along a ventricular
    shunt's course, the regions named by the technique) carry the title's shunt qualifier: each region is
    its own code, never the acute abdomen series (rules.jsonl acute_abdomen_with_chest)."""
    radiographs = [f for f in frames if f.modality == "XR"]
    if len(radiographs) < 2 or not any(m.key == "qual" and m.value == "shunt_evaluation" and m.section == "exam"
                                       and m.status == "performed" for m in ex.mentions):
        return
    for f in radiographs:
        f.quals.add("shunt_evaluation")


_CROSS_SECTIONAL = frozenset({"CT", "MR"})


def arthrogram_injection_guidance(frames: list[Frame], lex: Lexicon) -> None:
    """A fluoroscopic arthrogram of a joint named with a CT or MR of the same joint ("FL SHOULDER
    ARTHROGRAM INJECTION RT + MR SHOULDER RT W CON") is the fluoroscopy that guided the contrast
    injection for the CT / MR arthrogram (77002), not a conventional arthrogram of its own."""
    imaged = {(f.site, f.side) for f in frames if f.modality in _CROSS_SECTIONAL}
    for f in frames:
        if f.modality == "FL" and f.quals & {"arthrography", "joint"} and (f.site, f.side) in imaged \
                and lex.region_for("guidance", "FL"):
            f.site = "guidance"
            f.region = lex.region_for("guidance", "FL")


def spine_fluoroscopy_guidance(frames: list[Frame], lex: Lexicon) -> None:
    """Fluoroscopy of the spine named with no study of its own ("FLUOROSCOPY SPINE", "XR FLUORO
    SPINE"): the spine has no fluoroscopic code but myelography (and discography of a named
    segment), so a spine fluoroscopy that names neither is the guidance of a spine injection (77003)."""
    region = lex.region_for("guidance", "FL")
    site = lex.sites.get("spine")
    if region is None or site is None:
        return
    for f in frames:
        if f.modality == "FL" and f.site == "spine" and not f.quals & _SPINE_FL_STUDIES:
            f.site, f.region = "guidance", region
            f.quals |= site.absorbed


_SPINE_FL_STUDIES = frozenset({"myelography", "discography"})
_SPINE_SEGMENTS = frozenset({"cervical_spine", "thoracic_spine", "lumbar_spine"})
# what makes a fluoroscopy of a spine segment a study of the spinal canal or a disc after all
_SPINE_STUDY_WORDS_RX = re.compile(r"\b(?:myelo\w*|intrathecal\w*|subarachnoid|thecal|discogra\w*|discs?\s+(?:injection|"
                                   r"puncture)|lumbar\s+puncture)\b", re.IGNORECASE)


def spine_segment_needle_guidance(ex: Extraction, frames: list[Frame], lex: Lexicon) -> None:
    """A fluoroscopy of one spine segment ("FLUOROSCOPIC LOCALIZATION THORACIC SPINE") whose report places a
    needle under fluoroscopy and names no myelogram, intrathecal contrast or disc study: the guidance of a
    spine needle (77003), not the myelography its region's only fluoroscopic codes describe (CODING_RULES §7,
    LABELING: guidance billed on its own line)."""
    region = lex.region_for("guidance", "FL")
    site = lex.sites.get("spine")
    cands = [f for f in frames if f.modality == "FL" and f.site in _SPINE_SEGMENTS and not f.quals & _SPINE_FL_STUDIES]
    if region is None or site is None or not cands:
        return
    text = ex.clean or ex.text
    if _SPINE_STUDY_WORDS_RX.search(text) or not (_FLUORO_INJECTION_RX.search(text) and _NEEDLE_RX.search(text)):
        return
    for f in cands:
        f.site, f.region = "guidance", region
        f.quals |= site.absorbed


def intrathecal_injection_guidance(ex: Extraction, frames: list[Frame], lex: Lexicon) -> None:
    """Fluoroscopic needle guidance of an injection the report says went intrathecally ("intrathecal
    chemotherapy", "nusinersen injected intrathecally"): the needle in the subarachnoid space, the guidance
    of a spinal injection (77003), not the general needle guidance (77002). A myelogram is a study of
    its own (its frame is no guidance)."""
    site = lex.sites.get("spine")
    if site is None or not any(f.modality == "FL" and f.site == "guidance" and not f.quals for f in frames):
        return
    said = [m for m in ex.mentions if m.key == "route" and m.value == "intrathecal" and m.status == "performed"]
    if not said or any(f.quals & _SPINE_FL_STUDIES for f in frames):
        return
    for f in frames:
        if f.modality == "FL" and f.site == "guidance" and not f.quals:
            f.quals |= site.absorbed
            f.add("qual", said[:1], "technique")

# what a fluoroscopic guidance places: a needle (a biopsy, a puncture, an aspiration, an injection,
# a drain placed by puncture), or a central venous device under way
_GUIDED_NEEDLE_RX = re.compile(r"\b(?:needles?|gauge|\d{1,2}[\s-]?(?:g|ga)\b|micropuncture|punctur\w*|biops\w*|"
                               r"aspirat\w*|(?<!contrast )injection(?!\s+of\s+(?:\w+\s+)?contrast\b)|injected\s+into|drain(?:age)?|arthrogra\w*|"
                               r"myelogra\w*|spinal|epidural|facet|vertebroplast\w*|kyphoplast\w*|nerve)\b",
                               re.IGNORECASE)
# (a contrast injection through a tube that confirms its position is no needle: "Small contrast injection
# confirms position", "injection of water-soluble contrast through the tube")
# what fluoroscopy places or follows besides a needle ("a feeding tube advanced past the pylorus",
# "Dobhoff", "the bronchoscopic forceps")
_GUIDED_DEVICE_RX = re.compile(r"\b(?:tubes?|dobhoff|bronch\w*|forceps|scope)\b", re.IGNORECASE)
# a central venous device placed without fluoroscopy, the fluoroscopy checking its tip ("PICC tip
# check", "a PICC placed at the bedside", "line position check")
_DEVICE_CHECK_RX = re.compile(r"\b(?:tip|position|placement)\s+(?:check|confirmation|verification)\b|"
                              r"\bplaced\s+(?:at\s+the\s+bedside|on\s+the\s+(?:floor|unit|ward)|"
                              r"by\s+(?:the\s+)?(?:picc|iv|vascular\s+access)\s+(?:team|nurse))\b", re.IGNORECASE)
_DEVICE_PLACED_UNDER_FLUORO_RX = re.compile(
    r"\b(?:under|with)\s+fluoro\w*\s+(?:guidance\s+)?(?:the\s+|a\s+)?[\w\s-]{0,30}?\b(?:was|were)\s+"
    r"(?:placed|inserted|advanced)\b|\bfluoro\w*\s+(?:was\s+)?used\s+to\s+(?:position|place|guide|advance)\b|"
    r"\bfor\s+(?:picc|port|line|catheter)\s+placement\b|\b(?:tip|catheter)\s+(?:was\s+)?positioned\b",
    re.IGNORECASE)


def fluoroscopy_without_guided_needle(ex: Extraction, frames: list[Frame], lex: Lexicon) -> None:
    """Fluoroscopic guidance that guides no needle (a feeding tube advanced past the pylorus, a
    bronchoscope's forceps), or that only checks the tip of a central venous device placed without it
    ("PICC placed at the bedside", "PICC tip check"), is the fluoroscopy time code: no more specific
    code includes it (CODING_RULES §7; 77002 guides a needle, 77001 the placement of the device)."""
    region = lex.region_for("fluoroscopy", "FL")
    if region is None:
        return
    text = ex.clean or ex.text
    for f in frames:
        if f.modality != "FL" or f.site != "guidance" or f.quals & {"spine_injection"}:
            continue
        if f.quals & {"central_venous_access"}:
            if not _DEVICE_CHECK_RX.search(text) or _DEVICE_PLACED_UNDER_FLUORO_RX.search(text):
                continue
        elif _GUIDED_NEEDLE_RX.search(text) or not _GUIDED_DEVICE_RX.search(text):
            continue
        f.site, f.region = "fluoroscopy", region
        f.quals -= {"central_venous_access", "vascular_access"}
        f.quals.add("fluoro_time")


# a breast procedure whose code includes its imaging guidance (core or vacuum biopsy, clip or marker placement,
# wire or seed localization: outside the table), and the post-procedure mammogram a report documents ("Post-procedure
# 2-view mammogram", "CC and ML views of the left breast"); an aspiration or drainage does not include its guidance
_BREAST_PROCEDURE_RX = re.compile(r"\b(?:biops\w*|clip|marker|locali[sz]ation|wire|seed)\b", re.IGNORECASE)
_BREAST_GUIDANCE_KEPT_RX = re.compile(r"\b(?:aspirat\w*|drain\w*|fna|fine[\s-]needle)\b", re.IGNORECASE)
_POST_MAMMOGRAM_RX = re.compile(r"\bmammogra\w*\b|\b(?:CC|ML|MLO|LM)\s+(?:and|&|/)\s+(?:CC|ML|MLO|LM)\b", re.IGNORECASE)
_NEEDLE_GUIDANCE = frozenset({"US", "FL", "MR", "CT"})


def breast_procedure_guidance(ex: Extraction, frames: list[Frame], lex: Lexicon) -> list[Frame]:
    """The ultrasound, fluoroscopic, MR or CT guidance of a breast biopsy, clip placement or localization
    (a title naming the breast, no axillary node) is part of the breast procedure code, outside the table: no
    guidance line. The post-procedure mammogram the report documents is billed (77065) when no mammogram frame
    holds it."""
    if not any(f.site == "guidance" and f.modality in _NEEDLE_GUIDANCE for f in frames):
        return frames
    titled = {m.value for m in ex.mentions if m.key == "site" and m.section == "exam" and m.status == "performed"}
    text = ex.clean or ex.text
    if "breast" not in titled or titled & {"axilla", "lymphatics"} or not _BREAST_PROCEDURE_RX.search(text) \
            or _BREAST_GUIDANCE_KEPT_RX.search(text):
        return frames
    mammogram = any(f.modality == "MG" for f in frames)
    out = []
    for f in frames:
        if f.site != "guidance" or f.modality not in _NEEDLE_GUIDANCE:
            out.append(f)
        elif not mammogram and _POST_MAMMOGRAM_RX.search(text):
            mammogram = True
            out.append(Frame("MG", "breast", lex.region_for("breast", "MG"), side=f.side, sources=dict(f.sources),
                             evidence={k: v for k, v in f.evidence.items() if k == "side"}))
    return out


# the two guidances of a central venous device the body documents: the vein accessed under ultrasound
# ("accessed under real-time ultrasound guidance", "real-time US guided micropuncture access", "Under
# real-time ultrasound visualization the right IJ was accessed") and the catheter placed under
# fluoroscopy ("Fluoroscopy was used to position the catheter tip", "a wire was advanced into the IVC
# under fluoroscopy", "tip positioned ... on final fluoro image")
_US_ACCESS_RX = re.compile(
    r"\b(?:under|with|using)\s+(?:direct\s+)?(?:real[\s-]?time\s+)?(?:ultrasound|sonograph\w*|US)\s+"
    r"(?:guidance|visuali[sz]ation|control)\b|"
    # ("accessed under real time US (image saved)")
    r"\b(?:accessed|punctured|cannulated)\s+under\s+(?:direct\s+)?(?:real[\s-]?time\s+)?(?:ultrasound|sonograph\w*|US)\b|"
    r"\b(?:ultrasound|sonograph\w*|US)[\s-]+guided\s+(?:\w+\s+){0,2}?(?:access|puncture|venipuncture|cannulation)\b",
    re.IGNORECASE)
_FLUORO_DEVICE_RX = re.compile(
    r"\b(?:under|with|using|on)\s+fluoro\w*\b|\bfluoro\w*[\s-]+guided\b|\bfluoro\w*\s+(?:was\s+)?used\s+to\s+(?:position|place|guide|advance|"
    r"confirm)\b|\b(?:on|by)\s+(?:the\s+)?(?:final\s+)?fluoro\w*\s+(?:spot\s+)?(?:image|film|view)s?\b|"
    # ("Fluoroscopy used for guidewire and catheter tip positioning")
    r"\bfluoro\w*\s+(?:was\s+)?used\s+for\s+(?:[\w/-]+\s+){0,5}?(?:position\w*|placement|guidance|advancement)\b",
    re.IGNORECASE)
# ... and a guidance the report says was not used ("ultrasound was not used", "no fluoroscopy was
# used", "without fluoroscopy")
# ("ultrasound not used due to ...", and a vein accessed "by landmark technique": by anatomy, no ultrasound)
_US_UNUSED_RX = re.compile(r"\b(?:ultrasound|US)\s+(?:guidance\s+)?(?:(?:was|were)\s+)?not\s+(?:used|needed|required|"
                           r"performed)\b|\blandmarks?[\s-]+(?:technique|access|approach|guided)\b|"
                           r"\b(?:no|without)\s+(?:ultrasound|US)(?:\s+guidance)?\s+(?:was\s+)?"
                           r"(?:used|needed|required)\b|"
                           # ... or used with no image kept, which 76937 requires ("No ultrasound image was saved",
                           # "ultrasound images were not stored", "no permanent image recorded")
                           r"\bno\s+(?:permanent\s+|hard[\s-]?copy\s+)?(?:ultrasound\s+|US\s+|sonographic\s+)?images?\s+"
                           r"(?:(?:was|were)\s+)?(?:saved|stored|recorded|retained|archived|kept)\b|"
                           r"\b(?:ultrasound|US|sonographic)\s+images?\s+(?:(?:was|were)\s+)?not\s+(?:saved|stored|"
                           r"recorded|retained|archived|kept)\b", re.IGNORECASE)
_FLUORO_UNUSED_RX = re.compile(r"\bfluoro\w*\s+(?:guidance\s+)?(?:was|were)\s+not\s+(?:used|needed|required|"
                               r"performed)\b|\b(?:no|without)\s+fluoro\w*(?:\s+guidance)?\s+(?:was\s+)?"
                               r"(?:used|needed|required)\b|\bwithout\s+fluoro\w*\b", re.IGNORECASE)
_VENOUS_GUIDANCE_QUALS = frozenset({"central_venous_access", "vascular_access"})
# a title or procedure line naming both guidances at once ("US/FLUORO GUIDED CVC", "Ultrasound and fluoroscopy
# guided placement of a chest port"), and a port the line says was placed ("placement of a left subclavian
# chest port", "port was implanted")
_BOTH_GUIDANCES_RX = re.compile(
    r"\b(?:ultrasound|sonograph\w*|US)[ \t]{0,3}(?:/|and|&|\+)[ \t]{0,3}fluoro\w*[\s-]+guid\w*|"
    r"\bfluoro\w*[ \t]{0,3}(?:/|and|&|\+)[ \t]{0,3}(?:ultrasound|sonograph\w*|US)[\s-]+guid\w*", re.IGNORECASE)
# ... and a title naming both with no guidance word, the modalities listed after the device ("TUNNELED HD CATH
# PLACEMENT RT IJ - US AND FLUORO", "PORT PLACEMENT (ULTRASOUND/FLUOROSCOPY)"): the title of a device lists the
# imaging that guided it
_TITLE_BOTH_GUIDANCES_RX = re.compile(
    r"\b(?:ultrasound|sonograph\w*|US)[ \t]{0,3}(?:/|and|&|\+)[ \t]{0,3}fluoro\w*\b|"
    r"\bfluoro\w*[ \t]{0,3}(?:/|and|&|\+)[ \t]{0,3}(?:ultrasound|sonograph\w*|US)\b", re.IGNORECASE)
_PORT_PLACED_RX = re.compile(
    r"\b(?:placement|insertion|implantation)\s+of\s+(?:an?\s+)?(?:[\w/-]+\s+){0,5}?port\b|"
    r"\bport\s+(?:was\s+)?(?:placed|inserted|implanted)\b", re.IGNORECASE)


def _port_placed(ex: Extraction, text: str) -> bool:
    """A port the title, procedure line or technique says was placed (:data:`_PORT_PLACED_RX`)."""
    return any(_PORT_PLACED_RX.search(text, s.start, s.end) for s in ex.sections if s.name in ("exam", "technique"))


def _guidances_said(ex: Extraction, text: str) -> dict[str, list[re.Match[str]]]:
    """The venous access under ultrasound and the device under fluoroscopy the body documents, and both
    at once where the title or procedure line names both guidances (:data:`_BOTH_GUIDANCES_RX`; a title lists
    them with no guidance word, :data:`_TITLE_BOTH_GUIDANCES_RX`)."""
    said: dict[str, list[re.Match[str]]] = {"US": [], "FL": []}
    for sec in ex.sections:
        if sec.name in ("history", "comparison", "indication", "ordered"):
            continue
        if sec.name != "exam":
            said["US"] += list(_US_ACCESS_RX.finditer(text, sec.start, sec.end))
            said["FL"] += list(_FLUORO_DEVICE_RX.finditer(text, sec.start, sec.end))
        both = (_TITLE_BOTH_GUIDANCES_RX if sec.name == "exam" else _BOTH_GUIDANCES_RX).search(text, sec.start, sec.end)
        if both:
            said["US"].append(both)
            said["FL"].append(both)
    return said


def venous_access_guidances(ex: Extraction, frames: list[Frame], lex: Lexicon) -> list[Frame]:
    """A central venous device (a port, a tunneled or dialysis catheter, a PICC) placed with both
    guidances the body documents: the ultrasound of the venous access (76937) and the fluoroscopy of the
    catheter's course and tip (77001), each its own service; a guidance the report says was not used
    (an exchange over the wire: "no new access, ultrasound was not used") is no line."""
    fl_region, us_region = lex.region_for("guidance", "FL"), lex.region_for("guidance", "US")
    text = ex.clean or ex.text
    titled = any(m.key == "qual" and m.value == "central_venous_access" and m.status == "performed"
                 and m.section == "exam" for m in ex.mentions)
    devices = [f for f in frames if f.site == "guidance" and f.modality in ("US", "FL")
               and (f.quals & _VENOUS_GUIDANCE_QUALS or titled or _port_placed(ex, text))]
    if fl_region is None or us_region is None:
        return frames
    if not devices and not (titled and frames and all(f.modality == "XR" and "central_venous_access" in f.quals
                                                      for f in frames)):
        return frames  # (the body's guidance words are read only for a device: the searches cost every report)
    said = _guidances_said(ex, text)
    unused = {"US": _US_UNUSED_RX.search(text), "FL": _FLUORO_UNUSED_RX.search(text)}
    if not devices:
        # "PORT PLACEMENT L IJ + CXR": the title's radiograph took the device's words as its own (a
        # radiograph checking the line), while the body documents the guidances of the placement: each
        # is its own line beside the radiograph
        if not (said["US"] and said["FL"]):
            return frames
        return frames + _venous_guidance_frames(frames[0], set(), said, unused, us_region, fl_region)
    out = [f for f in frames if f not in devices or not unused[f.modality]]
    kept = [f for f in devices if f in out]
    if not kept:
        # "accessed by landmark technique (ultrasound not used) ... tip on fluoroscopy": the title's
        # device stood for the guidance not used; the one the body documents is the line
        extra = _venous_guidance_frames(devices[0], set(), said, unused, us_region, fl_region)
        return out + extra if extra else frames
    for f in kept:
        f.quals -= {"needle_placement"}
        f.quals.add("central_venous_access")
    return out + _venous_guidance_frames(kept[0], {f.modality for f in kept}, said, unused, us_region, fl_region)


def _venous_guidance_frames(first: Frame, have: set[str], said: dict[str, list[re.Match[str]]],
                            unused: dict[str, re.Match[str] | None], us_region: str, fl_region: str) -> list[Frame]:
    """The guidance frames of a central venous device the body documents and no frame holds yet."""
    out = []
    for modality, region in (("US", us_region), ("FL", fl_region)):
        if modality in have or unused[modality] or not said[modality]:
            continue
        m = said[modality][0]
        g = Frame(modality, "guidance", region, side=first.side, quals={"central_venous_access"}, fuzzy=first.fuzzy)
        mention = Mention("modality", modality, m.start(), m.end(), "technique", m.group()[:80], 0, -1)
        g.add("modality", [mention], "technique")
        g.add("site", [mention], "technique")
        out.append(g)
    return out


# a guidance that placed no needle: the skin marked for a procedure another team does ("PARACENTESIS SITE
# MARKING", "site marked on the skin"), a procedure stopped before any needle ("No needle was placed",
# "biopsy was not performed", "procedure aborted") ...
_SITE_MARKING_RX = re.compile(r"\b(?:site|skin)\s+(?:was\s+)?mark(?:ed|ing)\b|"
                              r"\bmark(?:ed|ing)\s+(?:of\s+)?(?:the\s+)?(?:skin|site)\b", re.IGNORECASE)
_NO_NEEDLE_RX = re.compile(r"\bno\s+needle\s+(?:was\s+)?(?:placed|inserted|advanced|passed)\b|"
                           r"\b(?:biopsy|procedure|aspiration|drainage|injection)\s+(?:was\s+)?(?:not\s+(?:performed|done|"
                           r"completed)|cancel+ed|aborted|abandoned)\b", re.IGNORECASE)
# ... and what says a needle or device did go in
_NEEDLE_WORD_RX = re.compile(r"\b(?:needles?|introducers?|cores?|aspirat\w*|catheters?|drains?|trocars?|stylets?|"
                             r"probes?|antennae?s?|electrodes?|wires?|punctured?|inserted|advanced|placed)\b", re.IGNORECASE)
_NO_NEEDLE_SECTIONS = ("exam", "technique", "body", "findings", "impression", "addendum", "subtitle")


def _no_needle_placed(ex: Extraction, text: str) -> tuple[bool, bool]:
    """(the skin marked, a needle said not placed) when nothing the report documents says a needle or
    device went in (:data:`_NEEDLE_WORD_RX` outside the sentences saying none did)."""
    marked = undone = False
    for sec in ex.sections:
        if sec.name not in _NO_NEEDLE_SECTIONS:
            continue
        spans = [m.span() for m in _NO_NEEDLE_RX.finditer(text, sec.start, sec.end)]
        undone = undone or bool(spans)
        marked = marked or bool(_SITE_MARKING_RX.search(text, sec.start, sec.end))
        if any(not any(a <= w.start() < b for a, b in spans) for w in _NEEDLE_WORD_RX.finditer(text, sec.start, sec.end)):
            return False, False
    return marked, undone


# a guided procedure the body says was converted to another guidance ("the procedure was therefore converted
# to CT guidance", "converted to fluoroscopic guidance")
_CONVERTED_GUIDANCE_RX = re.compile(r"\bconverted\s+to\s+(?:an?\s+)?(?:(CT|computed\s+tomograph\w*)|(ultrasound|US|sonograph\w*)|"
                                    r"(fluoro\w*)|(MRI?|magnetic\s+resonance))[\s-]+(?:guid\w*|control)\b", re.IGNORECASE)
_CONVERTED_MODALITIES = ("CT", "US", "FL", "MR")


def converted_guidance(ex: Extraction, frames: list[Frame], lex: Lexicon) -> None:
    """The guidance of a needle the body says was converted to another modality ("US GUIDED LIVER BIOPSY":
    the dome lesion not seen, "converted to CT guidance") is the guidance performed (CODING_RULES §6: the
    technique beats the title; the conflict is flagged); the survey of the first modality guided no needle."""
    guided = [f for f in frames if f.site == "guidance" and f.modality in _CONVERTED_MODALITIES]
    if len(guided) != 1:
        return
    f = guided[0]
    text = ex.clean or ex.text
    said = {_CONVERTED_MODALITIES[(m.lastindex or 1) - 1]: m for sec in ex.sections if sec.name in _NO_NEEDLE_SECTIONS
            and sec.name != "exam" for m in _CONVERTED_GUIDANCE_RX.finditer(text, sec.start, sec.end)}
    if len(said) != 1:
        return
    modality, m = next(iter(said.items()))
    region = lex.region_for("guidance", modality)
    if modality == f.modality or region is None or any(g.modality == modality for g in frames):
        return
    mention = Mention("modality", modality, m.start(), m.end(), "technique", m.group()[:80], 0, -1)
    f.conflicts.append(Conflict("modality", f.modality, modality, f.evidence.get("modality", []), [mention]))
    f.modality, f.region = modality, region
    f.quals -= {"needle_guidance", "needle_placement", "diagnostic"}
    f.evidence["modality"] = [mention]
    f.sources["modality"] = "technique"


def _ct_procedure_not_done(ex: Extraction) -> bool:
    """Does the report say the whole procedure was not done: no needle at all ("No needle was placed"), or
    a title that says so ("CT GUIDED BIOPSY ... - PROCEDURE NOT COMPLETED", EXAM_NOT_DONE_RX)?"""
    text = ex.clean or ex.text
    for sec in ex.sections:
        if sec.name == "exam" and EXAM_NOT_DONE_RX.search(text, sec.start, sec.end):
            return True
        if sec.name in _NO_NEEDLE_SECTIONS and re.search(r"\bno\s+needle\b", text[sec.start:sec.end], re.IGNORECASE):
            return True
    return False


def guidance_without_needle(ex: Extraction, frames: list[Frame], lex: Lexicon) -> list[Frame]:
    """An ultrasound or CT guidance frame of a report that placed no needle bills the imaging done
    (CODING_RULES §6: bill what was performed; LABELING: guidance only where it guided a procedure):
    the ultrasound of the site marked for another team's procedure is the diagnostic ultrasound of the
    region the title names (ascites survey: abdomen; pleural effusion: chest), the planning images of a
    CT-guided procedure stopped before any needle the limited CT study (76380)."""
    guided = [f for f in frames if f.site == "guidance" and f.modality in ("US", "CT")]
    if len(guided) != 1 or len(frames) != 1:
        return frames
    f = guided[0]
    marked, undone = _no_needle_placed(ex, ex.clean or ex.text)
    if f.modality == "US" and marked:
        named = [m for m in ex.mentions if m.key == "site" and m.section == "exam" and m.status == "performed"
                 and m.value != "guidance" and lex.region_for(m.value, "US")]
        if not named:
            return frames
        f.conflicts.append(Conflict("region", "guidance", "not performed", f.evidence.get("site", []), named[:1]))
        f.site, f.region = named[0].value, lex.region_for(named[0].value, "US")
        f.evidence["site"] = named[:1]
        f.quals -= {"needle_guidance", "needle_placement", "vascular_access", "central_venous_access"}
    elif f.modality == "CT" and undone and not marked and lex.region_for("any", "CT") and _ct_procedure_not_done(ex):
        f.conflicts.append(Conflict("region", "guidance", "not performed", f.evidence.get("site", []), []))
        f.site, f.region = "any", lex.region_for("any", "CT")
        f.quals = (f.quals - {"needle_placement", "ablation"}) | {"limited"}
    return frames


def ct_guided_planning_images(ex: Extraction, frames: list[Frame]) -> list[Frame]:
    """A CT-guided procedure whose title names no diagnostic CT: the CT frames its body alone gives a region
    ("Preliminary noncontrast images through the pelvis were obtained for planning", "Post-procedure CT
    images through the pelvis show no hematoma") are the guidance's own planning and check images, included
    in the guidance line (77012), not a diagnostic CT of the region (LABELING: guidance and procedures)."""
    if not any(f.modality == "CT" and f.site == "guidance" for f in frames):
        return frames
    titled = {m.value for m in ex.mentions if m.key == "site" and m.status == "performed"
              and m.section in ("exam", "subtitle")}

    def body_only(f: Frame) -> bool:
        sites = f.evidence.get("site", [])
        return bool(sites) and f.site not in titled and all(m.section not in ("exam", "subtitle") for m in sites)

    return [f for f in frames if f.modality != "CT" or f.site == "guidance" or not body_only(f)]


# a contrast injection into a joint under fluoroscopy the report documents ("under fluoroscopic guidance, a
# 22-gauge needle was advanced into the hip joint"), what makes it another report's ("performed and reported
# separately", "see separate procedure note"), and a CT / MR arthrogram the report says is not its own
# ("MR to follow, reported separately", "injection ... for MR")
# (or its monitoring, or a procedure paragraph headed by it: "with lateral fluoroscopic monitoring",
# "Injection (fluoro): anterior approach, 22 G needle", "using fluoroscopy, a needle was placed"; not
# fluoroscopic images only compared with: "images correlated with fluoroscopy spot films from the same day")
_FLUORO_INJECTION_RX = re.compile(r"\b(?:under\s+(?:direct\s+|intermittent\s+)?fluoro(?:scop\w*)?|fluoroscopically[\s-]+"
                                  r"(?:guided|monitored)|fluoro(?:scopic)?[\s-]+(?:guid|monitor|control)\w*|"
                                  r"fluoroscopic\s+guidance|(?:using|(?<!correlated\s)(?<!compared\s)with)\s+fluoro(?:scopy)?"
                                  r"(?!\s+(?:spot\s+)?(?:images?|films?|views?|stud(?:y|ies)))\b)|"
                                  r"\binjection\s+\(fluoro(?:scop\w*)?\)|\bfluoro(?:scopic(?:ally)?)?[\s-]+(?:guided\s+)?"
                                  r"injection\b", re.IGNORECASE)
_NEEDLE_RX = re.compile(r"\b(?:needle|gauge|accessed|punctured|injected|injection)\b", re.IGNORECASE)
_INJECTION_ELSEWHERE_RX = re.compile(r"\bseparate(?:ly)?\b|\bprocedure\s+note\b(?!\s*:)|\belsewhere\b|\boutside\b|"
                                     r"\bown\s+(?:report|note)\b", re.IGNORECASE)
# the images of a conventional arthrogram the report reads besides the injection ("fluoroscopic spot images
# of the knee obtained (AP, lateral, obliques)", "KNEE ARTHROGRAM (CONVENTIONAL AND CT)")
# ... or the findings the images show, contrast described in or beyond the joint ("Contrast outlines the
# glenohumeral joint without extravasation", "contrast distends the joint", "no contrast extends into the
# bursa", "contrast promptly flows into the DRUJ", "the popliteal cyst communicates")
_CONVENTIONAL_ARTHROGRAM_RX = re.compile(r"\bconventional\b|\bspot\s+(?:images|films|views)\b|"
                                         r"\b(?:fluoroscopic|arthrographic|post[\s-]?injection)\s+(?:spot\s+)?"
                                         r"(?:images|views|films)\b|"
                                         r"\bcontrast\s+(?:\w+ly\s+)?(?:outlin|distend|distribut|extend|pass|fill|track|"
                                         r"undermin|communicat|opacif|coat|flow|leak|enter)\w*\b|\bcommunicat(?:es|ing)\s+with\s+the\s+joint\b|"
                                         r"\b(?:cyst|bursa)\s+(?:communicat|fill|opacif)\w*\b",
                                         re.IGNORECASE)
# a therapeutic joint injection: a corticosteroid given into the joint
_THERAPEUTIC_INJECTION_RX = re.compile(r"\b(?:kenalog|triamcinolone|methylprednisolone|depo-?medrol|celestone|"
                                       r"betamethasone|dexamethasone|(?:cortico)?steroid)\b", re.IGNORECASE)
_CROSS_SECTIONAL_ELSEWHERE_RX = re.compile(
    r"\b(?:MRI?|m\s?r|CT)\b[^.;\n]{0,30}?\b(?:to\s+follow|(?:reported|dictated|read)\s+separately|"
    r"will\s+be\s+(?:reported|dictated)|separate\s+report)(?:[\s,]+(?:and\s+)?(?:reported|dictated)\s+separately)?|\binjection\b[^.;\n]{0,30}?\bfor\s+(?:an?\s+)?"
    r"(?:MRI?|m\s?r|CT)\b|\b(?:separate|own)\s+(?:MRI?|m\s?r|CT)(?:\s+arthrogra\w+)?\s+(?:report|dictation|read)\b",
    re.IGNORECASE)


# a CT / MR portion of an arthrogram the report says was not done ("the MRI portion was cancelled", "MR
# portion not performed", "the CT was not obtained")
_CROSS_SECTIONAL_UNDONE_RX = re.compile(
    r"\b(?:MRI?|m\s?r|CT)(?:\s+(?:portion|part|scan|exam|examination|study|imaging|arthrogram))?\s+"
    r"(?:(?:was|were|has\s+been)\s+)?(?:cancel+ed|aborted|not\s+(?:performed|obtained|done|completed))\b",
    re.IGNORECASE)


def _find_or_end(text: str, ch: str, start: int) -> int:
    i = text.find(ch, start)
    return len(text) if i == -1 else i


# a sentence that says no arthrographic image was read ("No arthrographic images interpreted here", "spot
# images were not obtained"): no conventional arthrogram read in it
_IMAGES_NOT_READ_RX = re.compile(
    r"\bno\s+(?:\w+\s+){0,2}?(?:images?|films?|views?)\s+(?:(?:was|were)\s+)?(?:interpreted|obtained|read|saved|"
    r"stored|reviewed)\b|\b(?:images?|films?|views?)\s+(?:was\s+|were\s+)?not\s+(?:interpreted|obtained|read|"
    r"saved|stored|reviewed)\b", re.IGNORECASE)


# images that only confirm the needle in the joint ("Spot films confirm intra-articular", "a spot image
# confirmed the needle position"): the guidance's own check, no arthrogram read (not the contrast's
# distribution they show: "Spot images confirm intra-articular distribution")
_IMAGES_CONFIRM_NEEDLE_RX = re.compile(
    r"\b(?:spot|fluoroscopic)\s+(?:images?|films?|views?)\s+(?:\w+\s+){0,2}?confirm\w*\s+(?:(?:\w+\s+){0,3}?"
    r"(?:needle|position|placement)\b|(?:the\s+)?intra[\s-]?articular\b(?![\s-]+(?:distribution|spread|contrast|fill)))",
    re.IGNORECASE)


# a sentence that checks the needle's position, whatever the contrast it names does there ("Position was
# confirmed with a small amount of iodinated contrast flowing away from the needle tip", "intra-articular
# needle placement verified with 1 mL of contrast"): the guidance's own check, no arthrogram read
_NEEDLE_CHECK_RX = re.compile(
    r"\b(?:position|placement)\s+(?:was\s+|is\s+)?(?:confirmed|verified|checked)\b|"
    r"\b(?:confirm\w*|verif\w*)\s+(?:the\s+)?(?:intra[\s-]?articular\s+)?needle\s+(?:tip\s+)?(?:position|placement)\b",
    re.IGNORECASE)


def _conventional_arthrogram_read(text: str) -> bool:
    """Does the report read arthrographic images (:data:`_CONVENTIONAL_ARTHROGRAM_RX`) outside the
    sentences that say no image was read and those that check the needle's position?"""
    checks = [sentence_bounds(text, m.start()) for m in _NEEDLE_CHECK_RX.finditer(text)]
    return any(not any(a <= m.start() < b for a, b in checks)
               for m in _CONVENTIONAL_ARTHROGRAM_RX.finditer(_images_not_read_blanked(text)))


def _images_not_read_blanked(text: str) -> str:
    """The text with the sentences that say no arthrographic image was read blanked (same offsets), and the
    words of images that only confirm the needle's position."""
    spans = [sentence_bounds(text, m.start()) for m in _IMAGES_NOT_READ_RX.finditer(text)]
    spans += [m.span() for m in _IMAGES_CONFIRM_NEEDLE_RX.finditer(text)]
    if not spans:
        return text
    parts, at = [], 0
    for a, b in sorted(spans):
        if a < at:
            a = at
        parts += [text[at:a], " " * max(0, b - a)]
        at = max(at, b)
    return "".join(parts) + text[at:]


def _joint_injection_guidance(frames: list[Frame], text: str, lex: Lexicon, region: str) -> None:
    """A fluoroscopy of a joint whose only fluoroscopic code is its arthrography ("FL HIP INJECTION LEFT",
    "FL INJECTION LT HIP FOR MR ARTHROGRAM" with no arthrographic image read) that documents a needle placed
    under fluoroscopy and reads no arthrogram: the guidance of the injection (77002, CODING_RULES §7)."""
    if len(frames) != 1:
        return
    f = frames[0]
    joint = lex.region_for(f.site, "FL") if f.modality == "FL" else None
    if joint is None or f.site == "guidance":
        return
    fl_codes = lex.codes_for("FL", joint)
    if not fl_codes or any(c.qualifier != "arthrography" for c in fl_codes):
        return
    if _FLUORO_INJECTION_RX.search(text) and _NEEDLE_RX.search(text) and not _CONVENTIONAL_ARTHROGRAM_RX.search(text):
        f.site, f.region = "guidance", region


def _titled_cross_sectional_arthrogram(ex: Extraction, frames: list[Frame]) -> list[Frame]:
    """The one CT / MR frame of a report whose title calls it an arthrogram ("MRI LEFT KNEE ARTHROGRAM"), when
    a body sentence's negated "arthrographic images" ("no diagnostic arthrographic images taken": no
    conventional arthrogram read) took the qualifier off the frame; empty otherwise."""
    if len(frames) != 1 or frames[0].modality not in _CROSS_SECTIONAL:
        return []
    titled = any(m.key == "qual" and m.value == "arthrography" and m.status == "performed"
                 and m.section in ("exam", "subtitle") for m in ex.mentions)
    return frames if titled else []


def documented_arthrogram_injection(ex: Extraction, frames: list[Frame], lex: Lexicon) -> list[Frame]:
    """The fluoroscopy that guided the contrast injection of a CT / MR arthrogram (77002), when the
    report documents the injection itself: with the CT / MR it reads ("MR ARTHROGRAM HIP RT" whose
    procedure paragraph places the needle under fluoroscopy: 77002 + 73722), or alone when it says the
    CT / MR is another report's ("FL WRIST ARTHROGRAM INJECTION LT FOR MR ... MR reported separately":
    77002, not the conventional arthrogram 73115). An injection the report says was done and reported
    separately is not billed here."""
    region = lex.region_for("guidance", "FL")
    arthro = [fr for fr in frames if "arthrography" in fr.quals] or _titled_cross_sectional_arthrogram(ex, frames)
    if region is None or not arthro and (len(frames) != 1 or frames[0].modality != "FL"):
        return frames  # (no arthrogram and no lone fluoroscopy: nothing to read, the text is not searched)
    text = _images_not_read_blanked(ex.clean or ex.text)  # (dictated punctuation read as marks)
    if not arthro:
        _joint_injection_guidance(frames, text, lex, region)
        return frames
    if len(frames) > 1:
        # fluoroscopy frames only, one of them the arthrogram ("FL SHOULDER INJECTION FOR MR ARTHROGRAM":
        # the shoulder and its injection), for a CT / MR another report reads: the guidance alone
        if any(fr.modality != "FL" for fr in frames) or not _CROSS_SECTIONAL_ELSEWHERE_RX.search(text) \
                or _CONVENTIONAL_ARTHROGRAM_RX.search(text):
            return frames
        f = arthro[0]
        f.site, f.region = "guidance", region
        return [f]
    f = frames[0]
    said = None
    for sec in ex.sections:
        if sec.name not in ("technique", "body", "findings", "subtitle"):
            continue
        for sm in _PROSE_RX.finditer(text, sec.start, sec.end):
            t = sm.group()
            # (the line holds the sentences around it: "...injected under fluoroscopic guidance; that
            # procedure is documented in its own report")
            a, b = text.rfind("\n", 0, sm.start()) + 1, _find_or_end(text, "\n", sm.end())
            # ("MR to follow, reported separately" says where the MR is read, not the injection)
            line = _CROSS_SECTIONAL_ELSEWHERE_RX.sub(" ", text[a:b])
            if _FLUORO_INJECTION_RX.search(t) and _NEEDLE_RX.search(line) and not _INJECTION_ELSEWHERE_RX.search(line):
                said = said or Mention("modality", "FL", sm.start(), sm.end(), sec.name, t.strip()[:80], 0, -1)
    if f.modality == "FL":
        if f.site != "guidance" and _THERAPEUTIC_INJECTION_RX.search(text) and not _CONVENTIONAL_ARTHROGRAM_RX.search(text):
            # a steroid / anesthetic injection whose contrast only confirmed the needle in the joint: the
            # guidance (CODING_RULES §7), no arthrogram read
            f.site, f.region = "guidance", region
            return frames
        # (a needle check naming the contrast's flow is the guidance's own, not an arthrogram read)
        if not _CROSS_SECTIONAL_ELSEWHERE_RX.search(text) or _conventional_arthrogram_read(text):
            if f.site == "guidance" and _CONVENTIONAL_ARTHROGRAM_RX.search(text):
                _arthrogram_of_joint(ex, f, lex)
            return frames  # a conventional arthrogram
        f.site, f.region = "guidance", region
        return frames
    if f.modality not in _CROSS_SECTIONAL or said is None:
        return frames
    g = Frame("FL", "guidance", region, side=f.side, quals={"arthrography"}, fuzzy=f.fuzzy)
    g.add("modality", [said], "technique")
    g.add("site", [said], "technique")
    joint = lex.region_for(f.site, "FL")
    if _CROSS_SECTIONAL_UNDONE_RX.search(text):
        # the CT / MR portion cancelled after the injection ("the MRI portion was cancelled"): the
        # arthrogram the report reads (CODING_RULES §6), or the guidance when it reads no image
        if joint is not None and _CONVENTIONAL_ARTHROGRAM_RX.search(text):
            g.site, g.region = f.site, joint
        g.conflicts.append(Conflict("modality", f.modality, "FL", f.evidence.get("modality", []), [said]))
        return [g]
    if _CROSS_SECTIONAL_ELSEWHERE_RX.search(text):
        return [g]  # the injection for a CT / MR another report reads
    return [g, f]


# a CT / MR of the injected joint the report itself reads after a conventional arthrogram: a line or a
# header that names the scan and what it acquired ("CT RIGHT HIP: thin-section axial with reformats", "CT
# right elbow after intra-articular contrast", "MR TECHNIQUE: fat-suppressed T1 images in three planes")
_READ_AFTER = (r"(?=[^.;\n]{0,60}?(?i:\b(?:technique|findings|images?|imaging|sequences?|reformat\w*|"
               r"reconstruct\w*|axial|coronal|sagittal|thin[\s-]section|T1|T2|3T|1\.5T|after|following)\b|:))")
_CROSS_SECTIONAL_READ_RX = re.compile(r"\b(?:CT|MRI?)\b" + _READ_AFTER)
# ... in a lower-cased export ("mr technique: fat-saturated t1 images ...", "ct: thin axial images"), where
# the modality's capitals are gone (not a title of address: "mr. lee")
_CROSS_SECTIONAL_READ_LOWER_RX = re.compile(r"\b(?:ct|mri?)\b(?!\.)" + _READ_AFTER)
_LABEL_REACH = 40  # how far before a section's text its label may name the scan
# ... and a sentence that says the scan is not this report's ("MR to follow", "CT arthrogram reported
# separately", "recommended", "patient to MRI", "MR contraindicated", "MRI portion cancelled"), or is an
# earlier one ("correlated with the CT images of the shoulder from 11/2026", "compared with MRI 2025")
_CROSS_SECTIONAL_NOT_READ_RX = re.compile(
    r"\b(?:to\s+follow|separate\w*|recommend\w*|contraindicat\w*|cancel\w*|deferred|not\s+(?:performed|"
    r"obtained|done)|will\s+be|scheduled|prior|previous|outside|sent|transferred|escorted|walked|see|"
    r"correlat\w*|compar\w*)\b|\bto\s+(?:the\s+)?(?:CT|MRI?)\b|"
    r"\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b\d{1,2}/\d{4}\b|\b(?:19|20)\d{2}\b", re.IGNORECASE)


def _arthrogram_joints(ex: Extraction, lex: Lexicon, sections: tuple[str, ...]) -> dict[str, Mention]:
    """The joints named as performed in ``sections`` that have a fluoroscopic arthrography code, by site."""
    return {m.value: m for m in ex.mentions if m.key == "site" and m.status == "performed"
            and m.section in sections and lex.region_for(m.value, "FL") is not None
            and any(c.region == lex.region_for(m.value, "FL") and c.qualifier == "arthrography"
                    for c in lex.codes.values())}


def _arthrogram_guidance_alone(ex: Extraction, frames: list[Frame], lex: Lexicon) -> tuple[Frame, Frame] | None:
    """The fluoroscopic guidance of an arthrogram's injection billed alone ("FLUOROSCOPIC GUIDED LEFT HIP
    INJECTION FOR CT ARTHROGRAM": 77002), and a stand-in arthrogram frame of the one joint its title names
    (the joint whose CT / MR this report may read itself); None otherwise."""
    if len(frames) != 1 or frames[0].modality != "FL" or frames[0].site != "guidance" \
            or "arthrography" not in frames[0].quals:
        return None
    joints = _arthrogram_joints(ex, lex, ("exam", "subtitle"))
    if len(joints) != 1:
        return None
    site, m = next(iter(joints.items()))
    g = frames[0]
    f = Frame("FL", site, lex.region_for(site, "FL"), side=g.side, quals={"arthrography"}, fuzzy=g.fuzzy)
    f.add("site", [m], "title")
    return g, f


def arthrogram_with_cross_sectional_read(ex: Extraction, frames: list[Frame], lex: Lexicon) -> list[Frame]:
    """A conventional arthrogram followed by a CT / MR of the same joint that the report itself reads
    (its technique and findings written below the injection): the arthrography and the CT / MR with
    contrast, the intra-articular contrast making it "with" (CODING_RULES §2), e.g. 73525 + 73701. A
    CT / MR the report says another report reads, or only plans, adds nothing."""
    arthro = [f for f in frames if f.modality == "FL" and "arthrography" in f.quals and f.site != "guidance"]
    guided = _arthrogram_guidance_alone(ex, frames, lex) if not arthro else None
    if guided is not None:
        arthro = [guided[1]]
    if len(arthro) != 1 or any(f.modality in _CROSS_SECTIONAL for f in frames):
        return frames
    f = arthro[0]
    text = ex.clean or ex.text
    found = None
    read_rx = _CROSS_SECTIONAL_READ_LOWER_RX if all_lower(text) else _CROSS_SECTIONAL_READ_RX
    for sec in ex.sections:
        if sec.name not in ("technique", "body", "findings", "procedure"):
            continue
        # (from the section's own label on its line: "mr technique:" in a lower-cased export is a header)
        lo = max(sec.start - _LABEL_REACH, text.rfind("\n", max(0, sec.start - _LABEL_REACH), sec.start) + 1, 0)
        for m in read_rx.finditer(text, lo, sec.end):
            a, b = sentence_bounds(text, m.start())
            if not _CROSS_SECTIONAL_NOT_READ_RX.search(text, a, b):
                found = found or m
    if found is None:
        return frames
    modality = "CT" if found.group().upper() == "CT" else "MR"
    region = lex.region_for(f.site, modality)
    if region is None:
        return frames
    g = Frame(modality, f.site, region, "with", side=f.side, fuzzy=f.fuzzy)
    said = Mention("modality", modality, found.start(), found.end(), "technique", found.group(), 0, -1)
    g.add("modality", [said], "technique")
    g.add("site", f.evidence.get("site", [said]), "technique")
    g.add("contrast", f.evidence.get("contrast", [said]), "technique")
    g.region = resolve_region(g, lex)
    if not g.region:
        return frames
    if guided is not None:
        return [guided[0], g]  # (the guidance of the injection, and the CT / MR this report reads)
    if not _conventional_arthrogram_read(text):
        # no arthrographic image read (the contrast only checked the needle: "position was confirmed with
        # contrast flowing away from the needle tip"): the fluoroscopy guided the CT / MR arthrogram's
        # injection (77002), once
        if any(fr.modality == "FL" and fr.site == "guidance" for fr in frames):
            return [*(fr for fr in frames if fr is not f), g]
        f.site, f.region = "guidance", lex.region_for("guidance", "FL")
        f.quals.discard("arthrography")
    return [*frames, g]


def _arthrogram_of_joint(ex: Extraction, f: Frame, lex: Lexicon) -> None:
    """A guidance title over a conventional arthrogram ("FLUORO GUIDED INJECTION FOR MR ARTHROGRAM" whose
    body reads the spot images of the contrast in the right shoulder joint): the arthrography of the one
    joint the body names (CODING_RULES §7, the most specific code includes the fluoroscopy)."""
    joints = _arthrogram_joints(ex, lex, ("technique", "body", "findings"))
    if len(joints) != 1:
        return
    site, m = next(iter(joints.items()))
    f.site, f.region = site, lex.region_for(site, "FL")
    f.quals.add("arthrography")
    f.add("site", [m], "technique")


def _same_exam(u: Frame, f: Frame) -> bool:
    """Do two frames name one exam: same modality, region and transvaginal approach, qualifiers
    one within the other, the same side (or one left unstated, the contrasts then agreeing or
    one left open)?"""
    if (u.modality, u.region) != (f.modality, f.region) or \
            u.quals & {"transvaginal"} != f.quals & {"transvaginal"} or not (u.quals <= f.quals or f.quals <= u.quals):
        return False
    lr = ("left", "right")
    us, fs = (u.side if u.side in lr else None), (f.side if f.side in lr else None)
    if us == fs:
        return True
    if us is not None and fs is not None:
        return False
    return u.contrast is None or f.contrast is None or u.contrast == f.contrast


def _merge_same_exam(keep: Frame, f: Frame, *, quals: bool = True, attrs: tuple[str, ...] = ("side", "contrast")) -> None:
    """Fold ``f`` into ``keep`` (one exam): evidence, qualifiers, and the side and contrast ``keep``
    leaves open."""
    for k, v in f.evidence.items():
        keep.evidence.setdefault(k, []).extend(v)
    if quals:
        keep.quals |= f.quals
    for attr in attrs:
        if getattr(keep, attr) is None and getattr(f, attr) is not None:
            setattr(keep, attr, getattr(f, attr))
            if attr in f.sources:
                keep.sources[attr] = f.sources[attr]


def _bladder_with_kidneys(frames: list[Frame]) -> None:
    """The bladder scanned with the kidneys ("US RENAL AND BLADDER", "renal ultrasound for urinary
    tract infections") is an element of the retroperitoneal study, not a pelvic one (CODING_RULES
    §5: kidneys and bladder for renal indications)."""
    kidneys = next((f for f in frames if f.modality == "US" and f.region == "retroperitoneum"), None)
    if kidneys is None:
        return
    for f in [f for f in frames if f is not kidneys and f.modality == "US" and f.site == "bladder"]:
        for k, v in f.evidence.items():
            kidneys.evidence.setdefault(k, []).extend(v)
        frames.remove(f)


# the duplex and physiologic studies of a limb's vessels
_LIMB_VESSEL_REGIONS = frozenset({"lower_extremity_arteries", "upper_extremity_arteries", "extremity_veins",
                                  "lower_extremity_arteries_physiologic", "dialysis_access"})


def _spans(ms: list[Mention]) -> set[tuple[int, int, int]]:
    return {(m.doc_id, m.start, m.end) for m in ms}


def _limb_of_vessel_study(frames: list[Frame]) -> None:
    """The limb a vessel study names ("US HD ACCESS RT FOREARM GRAFT", "PVR/ABI BILAT ... ankle
    waveforms") is where the duplex or the indices were taken, not a nonvascular ultrasound of its
    own: a US extremity frame whose modality no word of its own names (none, or only the words the
    vessel study's frame holds) on the vessel study's side folds into it."""
    vessels = [f for f in frames if f.modality == "DUPLEX" and f.region in _LIMB_VESSEL_REGIONS]
    if not vessels:
        return
    for f in [f for f in frames if f.modality == "US" and f.region == "extremity"]:
        own = _spans(f.evidence.get("modality", []))
        d = next((d for d in vessels if own <= _spans(d.evidence.get("modality", []))
                  and (f.side is None or d.side in (None, f.side, "bilateral"))), None)
        if d is None:
            continue
        _merge_same_exam(d, f, quals=False, attrs=("side",))
        frames.remove(f)


def _split_service(f: Frame, rule: Mapping, out: list[Frame], lex: Lexicon) -> None:
    """A service billed on its own (biophysical profile, umbilical Doppler, nuchal translucency,
    SPECT/CT) named with an exam of the region ("US OB FOLLOW-UP WITH BPP") is its own frame;
    the exam keeps its other qualifiers (CODING_RULES §3: one code per service performed)."""
    service = f.quals & set(rule["qualifiers"])
    if not service or not f.quals & set(rule["with_any"]):
        return
    g = Frame(f.modality, f.site, rule.get("into_region", f.region), f.contrast, f.views, f.side,
              set(f.quals), {k: list(v) for k, v in f.evidence.items()}, dict(f.sources), [], f.fuzzy)
    g.multiplicity, g.doubt = f.multiplicity, f.doubt
    if rule.get("named_first"):
        g.service = min(service)
    f.quals -= service
    _only_codes_of(g, service, lex)
    out.insert(out.index(f) + 1, g)


# services done through an ultrasound approach, which bills no code of its own beside them
_BY_APPROACH = frozenset({"sonohysterography"})


def _approach_only(f: Frame, approach: str, lex: Lexicon) -> None:
    """The exam of the second approach ("transvaginal") is its own code: the qualifiers that
    choose another code of its region (trimester, complete, limited) describe the first
    approach's exam, not this one ("US OB <14 WKS TRANSVAGINAL" is 76817, not 76801)."""
    _only_codes_of(f, {approach}, lex)


def _approach_extent(f: Frame, other: str) -> None:
    """Of two approaches, each is as complete as its own technique says: a first approach
    the technique calls limited ("only a limited transabdominal survey"; the sentences of the
    other approach do not count) is limited even when the title says complete (CODING_RULES §6)."""
    ev = f.evidence.get("qual", [])
    theirs = {(m.doc_id, m.sent) for m in ev if m.value == other and m.section != "exam"}
    said = [m for m in ev if m.section != "exam" and m.status == "performed" and m.value in ("complete", "limited")
            and (m.doc_id, m.sent) not in theirs]
    if "complete" not in f.quals or {m.value for m in said} != {"limited"}:
        return
    f.conflicts.append(Conflict("qualifier", "complete", "limited",
                                [m for m in ev if m.value == "complete" and m.section == "exam"], said))
    f.quals.discard("complete")


def _only_codes_of(f: Frame, atoms: set[str], lex: Lexicon) -> None:
    """Drop from the frame the qualifier atoms that choose a code of its region other than the
    codes whose qualifier names one of ``atoms`` (none: the frame is left as it is)."""
    codes = lex.codes_for(f.modality, f.region) if f.region else ()
    own = {c.qualifier for c in codes if c.qualifier and any(
        alt & atoms for alt in lex.qualifiers[c.qualifier].alternatives)}
    if not own:
        return
    drop: set[str] = set()
    for c in codes:
        if c.qualifier and c.qualifier not in own:
            for alt in lex.qualifiers[c.qualifier].alternatives:
                drop |= alt
    f.quals -= drop - atoms


def _route_only(f: Frame) -> bool:
    """Is the frame's contrast read from oral or rectal contrast alone (no series stated plain)?"""
    ev = f.evidence.get("contrast", [])
    return bool(ev) and all(m.value in _NON_VASCULAR_ROUTES for m in ev)


def _merge_contrast(a: str | None, b: str | None) -> str | None:
    if a is None or b is None:
        return a or b
    if a == b:
        return a
    return "without_then_with"  # mixed regions: CODING_RULES §2 (74178)


def _side_fits(want: str | None, side: str | None) -> bool:
    """A region rule's side condition: "unilateral" is met by a stated left or right too."""
    return want is None or want == side or (want == "unilateral" and side in ("left", "right"))


# the spine and the limbs named without the segment or limb their CT codes need
_UNSPLIT_PARTS = frozenset({"spine", "extremity"})


def resolve_region(f: Frame, lex: Lexicon) -> str | None:
    if f.modality == "PET":
        # a brain PET with an amyloid or tau tracer is a limited-area study (region_rules.tsv)
        return _ruled_region(f, _pet_region(f, lex.region_for(f.site, "PET") or ""), lex)
    region = lex.region_for(f.site, f.modality)
    if region is None and f.modality in MODALITY_FALLBACK:
        # "XR ESOPHAGUS" is a fluoroscopic study, "US CAROTID" a duplex, "CTA" of a region
        # without an angiography code is the plain CT
        alt = MODALITY_FALLBACK[f.modality]
        region = lex.region_for(f.site, alt)
        if region is not None:
            f.modality = alt
    if region is None:
        # a site with one modality: "US OF SURGICAL SPECIMEN" is the specimen radiograph
        site = lex.sites.get(f.site)
        if site and site.dominant and site.default_modality and site.default_modality != f.modality:
            region = lex.region_for(f.site, site.default_modality)
            if region is not None:
                if f.sources.get("modality") == "title" and MODALITY_FALLBACK.get(f.modality) != site.default_modality:
                    f.doubt = f"title names {f.modality}; the {f.site.replace('_', ' ')} code is {site.default_modality}"
                f.modality = site.default_modality
    if region is None and f.modality == "NM":
        # "NM SPECT/CT LUMBAR SPINE": anatomy without an NM code of its own is the area of a
        # localization study (regions.tsv default_for=NM)
        default = lex.default_site(f.modality, f.quals)
        region = lex.region_for(default, f.modality) if default else None
        if default and region:
            # the area's tomographic study: planar atoms belong to another exam of the report
            f.region = region
            _only_codes_of(f, f.quals & lex.sites[default].default_requires, lex)
    if region is None and f.modality == "CT" and "limited" in f.quals and f.site in _UNSPLIT_PARTS:
        # a limited CT of the spine or a limb not split into its coded parts ("CT LTD SPINE", "CT LIMITED
        # EXTREMITY"): the limited (localized) study of any region, 76380 (an organ or vessel word with no CT
        # region, "portal venous phase", names no exam)
        region = "any"
    if region is None:
        return None
    site = lex.sites.get(f.site)
    if f.side == "bilateral" and site and site.bilateral_region and f.modality == "XR":
        region = site.bilateral_region
    return _ruled_region(f, region, lex)


def _ruled_region(f: Frame, region: str, lex: Lexicon) -> str:
    """The region a qualifier, side or view count selects from ``region`` (region_rules.tsv)."""
    for rr in lex.region_rules_of(f.modality):
        if rr.from_region in (region, "*") and rr.atoms <= f.quals and _side_fits(rr.side, f.side) and \
                (rr.views is None or rr.views == f.views) and \
                (rr.views_min is None or (f.views is not None and f.views >= rr.views_min)) and \
                (rr.views_max is None or f.views is None or f.views <= rr.views_max):
            region = rr.to_region
    return region


def _pet_region(f: Frame, region: str) -> str:
    if "skull_base_to_mid_thigh" in f.quals:
        return "skull_base_to_mid_thigh"
    if "whole_body" in f.quals:
        return "whole_body"
    if f.quals & {"limited", "limited_area"}:
        return "limited"  # "PET LIMITED AREA (CHEST/HEAD/NECK)": the head is the area, not the brain
    if region == "brain":
        return "brain"
    if f.site in ("chest", "neck", "head", "pelvis", "abdomen"):
        return "limited"
    return "skull_base_to_mid_thigh"


# --------------------------------------------------------------------------- frames from mentions


# a numbered line of a report that lists its exams ("1) DXA BONE DENSITY", "2. SCREENING MAMMOGRAM", "#2 US")
_ENUMERATED_LINE_RX = re.compile(r"[ \t]*(?:\(?\d{1,2}[).:]|#\d{1,2})[ \t]+")
_SENTENCE_STOP_RX = re.compile(r"[.;:]")


def _enumerated_exam_sentences(ms: list[Mention], text: str) -> set[tuple[int, int]]:
    """The sentences (doc, sentence) whose numbered line opens with an exam's modality."""
    out = set()
    for m in ms:
        if m.key != "modality" or m.status != "performed":
            continue
        a = text.rfind("\n", 0, m.start) + 1
        em = _ENUMERATED_LINE_RX.match(text, a)
        if em is not None and em.end() <= m.start and not _SENTENCE_STOP_RX.search(text, em.end(), m.start):
            out.add((m.doc_id, m.sent))
    return out


def frames_from_mentions(mentions: list[Mention], lex: Lexicon,
                         text: str | None = None) -> tuple[list[Frame], str | None]:
    """The exam frames and where they were read (``exam`` title, technique sections, narrative):
    the first source in :data:`FRAME_SOURCES` order that names an exam. ``text``: the report
    the mentions point into."""
    subtitle = [m for m in mentions if m.section == "subtitle" and m.status != "historical"]
    for source in FRAME_SOURCES:
        ms = [m for m in mentions if m.section in source and m.status != "historical"]
        if not ms:
            continue
        if source == ("exam",) and not any(m.key == "modality" for m in ms) and any(
                m.key == "modality" and m.start > ms[0].start and m.start - _line_start(mentions, m) < 100
                for m in subtitle):
            continue  # "OUTSIDE CHEST FILMS" banner above "XR CHEST 4V (PA/LAT/BIL OBL)"
        if source == ("exam",) and not any(m.key == "site" for m in ms) and any(
                m.key == "site" and m.start > ms[0].start and m.start - _line_start(mentions, m) < 40
                for m in subtitle) and not any(m.key == "modality" for m in subtitle):
            continue  # "OSH FLUORO - OVERREAD" banner above "BA ESOPH DC": the second line names the exam
        if source == ("exam",) and _subtitle_restates(ms, [m for m in subtitle if m.start > ms[0].start]):
            continue  # "OUTSIDE DXA RPT" above "DXA w/ VFA": the second line is the fuller title
            # (not a banner above a PERFORMED header: "OUTSIDE IMAGING CTR - PET RPT" names no exam)
        if text is not None:
            ms = series_with_bending(ms, text)
            ms = _without_range_ends(ms, text, lex)
            ms = _without_symptom_sites(ms, text)
            ms = _without_service_names(ms, text)
            ms = _without_banner_fields(ms, text)
            ms = _without_parenthesized_order(ms, text)
            if source == ("exam",):
                ms = _without_category_prefix(ms, text)
                ms = _without_department_code(ms, text)
                ms = _without_prior_angiogram(ms, text)
                ms = _without_fee_suffix(ms, text)
                ms = _limb_ap_projection(ms, text, lex)
                ms = _without_struck_title_parts(ms, text)
                ms = _without_prior_procedure(ms, text)
                ms = _without_sought_tract(ms, text)
        ms = _without_aside_sites(ms, text)
        ms = _followthrough_of_upper_gi(ms, mentions)
        if source == FALLBACK_SECTIONS:
            # narrative text: the exam is named in the first sentence that names one
            first = next(((m.doc_id, m.sent) for m in ms if m.key == "site"), None)
            # ... or, in a visit report that lists its exams as numbered lines ("1) DXA BONE DENSITY ...",
            # "2) SCREENING MAMMOGRAM BILATERAL ..."), in the first sentence of each line
            listed = _enumerated_exam_sentences(ms, text) if text is not None else set()
            if len(listed) >= 2:
                ms = [m for m in ms if (m.doc_id, m.sent) in listed]
            elif first is not None:
                ms = [m for m in ms if (m.doc_id, m.sent) == first]
        groups = group_mentions(ms, text, lex)
        # the history's "mass on chest x-ray" names an earlier study, not this one's modality
        # nor, in a report that documents radiographic projections, does the impression's ("CT rec.")
        # ... nor the findings' after the projections they document ("Frontal oblique and lateral views of the
        # sternum. ... on the lateral view, although CT is more sensitive")
        first_proj = min(((m.doc_id, m.start) for m in mentions if m.key == "proj" and m.status == "performed"
                          and m.section in _PROJECTION_SECTIONS), default=None)
        default_mod = next((m.value for m in mentions if m.key == "modality" and m.status != "historical"
                            and m.section not in _NOT_THIS_STUDY
                            and not (first_proj and (m.section == "impression" or m.section == "findings"
                                                     and m.value != "XR" and (m.doc_id, m.start) > first_proj))),
                           None) or _implied_modality(mentions)
        frames = build_frames(groups, lex, default_mod) or modality_only_frames(
            groups, lex, one_line=text is not None and "\n" not in text.strip())
        if source == FALLBACK_SECTIONS and default_mod in (None, "XR"):
            # (a narrative that names its radiographs reads the film's anatomy the same way: "Heart size normal.
            # Lungs clear. ... on PA and lateral chest radiographs" is the chest film, not a radiograph of the heart)
            frames = read_on_film(frames, mentions, lex)
        if frames:
            for f in frames:
                _group_attrs(f, groups, ms, text)
            if source in (("exam",), ("subtitle",)):
                # (an export row's ORDERED and PERFORMED columns above the dictated title: one exam)
                frames = _restated_titles(frames)
            if source == ("exam",):
                frames = _dash_restated_exam(frames, text, lex)
                _service_described(frames, text, lex)
                frames = _stressed_joint_frames(frames, ms, text or "", lex)
            if source in (("exam",), ("subtitle",)):
                _technique_modality(frames, mentions, lex)
            if source == ("exam",) and len(frames) == 1:
                _subtitle_attrs(frames[0], subtitle)
            elif source == ("exam",):
                _subtitle_views_per_site(frames, subtitle, text)
            if source == ("exam",):
                frames = frames + _stacked_title_frames(frames, subtitle, lex, text)
            return _without_pressure_levels(frames), "exam" if source == ("subtitle",) else source[0]
    return [], None


# the limb levels an ankle-brachial index study measures ("Doppler waveforms at both ankles", "toe pressures")
_PRESSURE_LEVEL_SITES = frozenset({"ankle", "toe", "upper_extremity", "femur", "leg", "lower_extremity"})


def _without_pressure_levels(frames: list[Frame]) -> list[Frame]:
    """Beside an ankle-brachial index study, an ultrasound of the limb levels it measures ("RESTING
    ANKLE BRACHIAL INDICES WITH DOPPLER WAVEFORMS AT ANKLE LEVEL") is the study's own waveforms,
    no joint or extremity ultrasound (93922 alone)."""
    if not any(f.modality == "DUPLEX" and f.site == "lower_extremity_arteries_physiologic" for f in frames):
        return frames
    for f in frames:
        if f.modality == "DUPLEX" and f.site in _DUPLEX_LEG_SITES \
                and any("duplex" in m.text.lower() for m in f.evidence.get("modality", [])):
            # "ABI'S AND DUPLEX RIGHT LEG": the leg's own duplex named beside the indices is the arterial
            # duplex scan of that leg, a second exam (93922 + 93926), not the indices' levels
            f.site = f.region = "lower_extremity_arteries"
    return [f for f in frames if not (f.modality in ("US", "DUPLEX") and f.site in _PRESSURE_LEVEL_SITES)]


# the limb a duplex word names beside the ankle-brachial indices ("ABI AND DUPLEX RIGHT LEG")
_DUPLEX_LEG_SITES = frozenset({"leg", "lower_extremity"})


def _technique_modality(frames: list[Frame], mentions: list[Mention], lex: Lexicon) -> None:
    """A title naming anatomy and no modality ("TESTICULAR SCAN", "PARATHYROID STUDY") takes the
    modality its technique names ("5 mCi Tc-99m pertechnetate, dynamic flow images"), when the site
    has codes of it, rather than the site's usual one (the scrotal ultrasound); an earlier study the
    history names ("equivocal ultrasound") is not this one."""
    said = {m.value for m in mentions if m.key == "modality" and m.section in PERFORMED_SECTIONS
            and m.status == "performed"}
    if len(said) != 1:
        return
    mod = said.pop()
    for f in frames:
        if f.sources.get("modality") == "inferred" and f.modality != mod and lex.region_for(f.site, mod):
            f.modality = mod
            f.add("modality", [m for m in mentions if m.key == "modality" and m.value == mod
                               and m.section in PERFORMED_SECTIONS], "technique")


STRESS_REPORT_WORDS = 5  # words after the title: a report, not a charge description


def _stressed_joint_frames(frames: list[Frame], ms: list[Mention], text: str, lex: Lexicon) -> list[Frame]:
    """A report whose title names stress views of a joint ("Right ankle stress views", "XR ANKLE
    RT WITH STRESS VIEWS") bills the joint's radiograph beside the manual application of stress
    (77071): the joint the stress site absorbed is an exam frame of its own. A charge description
    (the title alone: "XR STRESS VIEW ELBOW LT") is the stress service alone."""
    out = list(frames)
    for f in frames:
        if f.modality != "XR" or f.site != "joint_stress" or not ms:
            continue
        if len(text[max(m.end for m in ms):].split()) < STRESS_REPORT_WORDS:
            continue
        joints = [m for m in ms if m.key == "site" and m.status == "performed" and m.value != f.site
                  and lex.region_for(m.value, "XR") and not any(g.site == m.value for g in out)]
        if not joints:
            continue
        g = Frame("XR", joints[0].value)
        g.doubt = f.doubt
        g.add("site", joints[:1], "title")
        for key in ("modality", "side"):
            if f.evidence.get(key):
                g.add(key, f.evidence[key], f.sources.get(key, "title"))
        if "modality" not in g.sources:
            g.sources["modality"] = f.sources.get("modality", "inferred")
        g.side = f.side
        g.title_views = list(f.title_views)
        out.insert(out.index(f), g)
    return out


def _restated_titles(frames: list[Frame]) -> list[Frame]:
    """One frame for an exam that two title lines name alike ("PERFORMED: CT head with contrast"
    from the RIS above the dictation's own "EXAM: CT head with contrast"): the same modality, site,
    side and qualifiers, and the same contrast and view count in both titles. Two frames would be
    read as two exams, the technique then shared out among them, and the title would beat the
    technique it disagrees with (CODING_RULES §2, §6: the technique wins)."""
    out: list[Frame] = []
    for f in frames:
        same = next((g for g in out if (g.modality, g.site, g.side, g.quals) == (f.modality, f.site, f.side, f.quals)
                     and contrast_value(g.title_contrast) == contrast_value(f.title_contrast)
                     and views_value(g.title_views) == views_value(f.title_views)), None)
        if same is None:
            out.append(f)
            continue
        for k, v in f.evidence.items():
            same.evidence.setdefault(k, []).extend(v)
        same.title_contrast = same.title_contrast + f.title_contrast
    return out


# what sets a charge line's own name apart from the order name it bills on one title line: a spaced
# dash ("HC DUPLEX EXTREM VENOUS,UNI OR LTD - US DOPPLER VENOUS ARM")
_RESTATING_DASH_RX = re.compile(r"[ \t]-[ \t]")
# qualifiers that tell two exams of one region apart: halves of a title stating one each name two exams
_EXCLUSIVE_QUALS = (frozenset({"screening", "diagnostic"}), frozenset({"single", "multiple"}),
                    frozenset({"limited", "complete"}), frozenset({"first_trimester", "after_first_trimester"}))


def _span(f: Frame) -> tuple[int, int]:
    """Where a frame's anatomy is named (the start of the first site mention, the end of the last)."""
    ms = f.evidence.get("site", [])
    return (min(m.start for m in ms), max(m.end for m in ms)) if ms else (-1, -1)


def _dash_restated_exam(frames: list[Frame], text: str | None, lex: Lexicon) -> list[Frame]:
    """One exam for a title line whose two halves, set off by a spaced dash, name one modality (or
    its kin) and one region, each stating what the other leaves out: a hospital's charge name and
    the order name of the exam it bills ("HC DUPLEX EXTREM VENOUS,UNI OR LTD - US DOPPLER VENOUS
    ARM" is the limited study of one arm's veins, 93971, not the complete bilateral study as well;
    "HT MUSCLE IMAGE SPECT SING - NM HEART PERFUSION SPECT STRESS" one SPECT study). Halves that
    state other sides, contrasts, view counts or qualifiers of different exams (screening and
    diagnostic, single and multiple, limited and complete) stay two exams. Only a description on one
    line (a chargemaster row, an order name): in a dictated report the title's halves are read with
    the technique that documents them."""
    if text is None or len(frames) != 2 or "\n" in text.strip():
        return frames
    a, b = sorted(frames, key=lambda f: _span(f)[0])
    a_end, b_start = _span(a)[1], _span(b)[0]
    if a_end < 0 or b_start < a_end:
        return frames
    gap = text[a_end:b_start]
    dash = _RESTATING_DASH_RX.search(gap)
    if "\n" in gap or not dash:
        return frames
    keep, other = a, b
    if not _same_exam_region(a, b, lex):
        # "INTRACRANIAL LIMITED STUDY - US HEAD DOPPLER LIMITED": a half naming no modality of its own
        # is the exam of the other half's dominant site (the transcranial Doppler study), as one half
        # naming both would be
        cut = a_end + dash.start()
        halves = {id(a): (0, cut), id(b): (cut, len(text))}
        pair = next(((d, o) for d, o in ((a, b), (b, a)) if _absorbs(d, o, halves[id(o)], lex)), None)
        if pair is None:
            return frames
        keep, other = pair
    if a.contrast and b.contrast and a.contrast != b.contrast or a.views and b.views and a.views != b.views:
        return frames
    if any(a.quals & pair and b.quals & pair and a.quals & pair != b.quals & pair for pair in _EXCLUSIVE_QUALS):
        return frames
    _merge_same_exam(keep, other, attrs=("side", "contrast", "views"))
    keep.title_contrast = keep.title_contrast + other.title_contrast
    keep.title_views = keep.title_views + other.title_views
    return [keep]


def _absorbs(d: Frame, o: Frame, half: tuple[int, int], lex: Lexicon) -> bool:
    """Whether frame ``d``'s dominant site takes in frame ``o``, of a kindred modality, whose half of
    the title (``half``: start, end) names no modality of its own."""
    site = lex.sites.get(d.site)
    return site is not None and site.dominant > 0 and o.modality in _KIN.get(d.modality, {d.modality}) \
        and not any(half[0] <= m.start < half[1] for m in o.evidence.get("modality", []))


# what joins a second exam to a service named in a title ("1ST TRIMESTER W/ NUCHAL TRANSLUCENCY")
_JOINING_RX = re.compile(r"\bwith\b|\bw/|\band\b|&|\+|\bplus\b", re.IGNORECASE)
_DESCRIBING_GAP = 12  # at most a word ("FETAL", "MEAS,") between a service and the atom describing it


def _next_to(a: Mention, b: Mention, text: str) -> bool:
    lo, hi = (a, b) if a.start < b.start else (b, a)
    gap = text[lo.end:hi.start]
    return hi.start >= lo.end and len(gap) <= _DESCRIBING_GAP and "\n" not in gap and not _JOINING_RX.search(gap)


def _service_described(frames: list[Frame], text: str | None, lex: Lexicon) -> None:
    """A split_service rule's described_by atom written in the title next to the service it
    describes, with no "with", "and" or "+" between ("US OB NUCHAL 1ST TRIMESTER", "<14 WEEKS
    NUCHAL TRANS", "1ST TRI FETAL NUCHAL TRANSLUCENCY"), is the service's own description, not
    a second exam: the frame drops the atom (76813 alone; "1ST TRIMESTER WITH NUCHAL" stays two).
    An atom the title states elsewhere as well keeps its exam."""
    if text is None:
        return
    for r in lex.of_type("split_service"):
        desc = set(r.data.get("described_by", ()))
        for f in (f for f in frames if desc and f.modality in r.data["modalities"]):
            quals = f.evidence.get("qual", [])
            service = [m for m in quals if m.value in r.data["qualifiers"] and m.section == "exam"]
            said = [m for m in quals if m.value in desc]
            drop = [m for m in said if m.section == "exam" and any(_next_to(m, x, text) for x in service)]
            if not drop or len(drop) != len(said):
                continue
            f.quals -= {m.value for m in drop}
            f.evidence["qual"] = [m for m in quals if m not in drop]


# "A/P" written beside a limb in a radiograph's title ("ANKLE A/P LAT", "KNEES STANDING A/P") is the
# anteroposterior projection, not the abdomen and pelvis (a second exam)
_A_SLASH_P_RX = re.compile(r"a[ \t]?/[ \t]?p", re.IGNORECASE)


def _limb_ap_projection(ms: list[Mention], text: str, lex: Lexicon) -> list[Mention]:
    """The "A/P" of a radiograph title that names a part with sides (a limb, a joint) and no
    other modality is the AP projection (one view), not an abdomen-pelvis site."""
    out = ms
    for m in ms:
        if m.key != "site" or m.value != "abdomen_pelvis" or not _A_SLASH_P_RX.fullmatch(text[m.start:m.end]):
            continue
        line = [x for x in ms if x.doc_id == m.doc_id and x.sent == m.sent and x is not m]
        if any(x.key == "modality" and x.value != "XR" for x in line) or \
                not any(x.key == "site" and x.value != "abdomen_pelvis" and _has_sides(lex, x.value, "XR") for x in line):
            continue
        out = [replace(x, key="proj", value="ap") if x is m else x for x in out]
    return out


# a region named with a symptom ("NECK PAIN", "hip pain", "neck stiffness") names the reason for the exam
_SYMPTOM_AFTER = re.compile(r"[ \t]{1,3}(?:pain|aches?|stiffness|swelling|tenderness|numbness)\b", re.IGNORECASE)
_SYMPTOM_LIST_GAP = re.compile(r"[ \t]*(?:,|/|&|\band\b|\bor\b)[ \t]*|[ \t]*,[ \t]*(?:and|or)[ \t]+", re.IGNORECASE)


def _followthrough_of_upper_gi(ms: list[Mention], mentions: list[Mention]) -> list[Mention]:
    """A small bowel follow-through ("SBFT", "small bowel follow through") in a report that names an upper GI
    series is that series' add-on (74248, §3): its words keep the follow-through qualifier but name no small
    bowel exam of their own; alone it is the small bowel series (74250), also when the report says no upper GI
    series was done ("No upper GI", "without UGI")."""
    if not any(m.key == "site" and m.value == "upper_gi" and m.status not in ("historical", "negated")
               for m in mentions):
        return ms
    spans = {(m.doc_id, m.start, m.end) for m in ms if m.key == "qual" and m.value == "followthrough_addon"}
    return [m for m in ms if not (m.key in ("site", "modality") and (m.doc_id, m.start, m.end) in spans
                                  and (m.key == "modality" or m.value == "small_bowel"))]


# a parenthesis of the title that gives the order beside the exam performed ("CT Abdomen with contrast
# (order: CT abd/pelvis w)", "CT CHEST (ORDERED AS CTA)"), or the other exam whose acquisition this one is
# reconstructed from ("CT T-SPINE AND L-SPINE (reformatted from CT C/A/P trauma)")
_ORDER_PAREN_RX = re.compile(r"\(\s*(?:(?:originally\s+|as\s+)?order(?:ed)?|(?:re)?format(?:ted)?\s+from|"
                             r"(?:re)?construct(?:ed|ions?)\s+from|derived\s+from)\b", re.IGNORECASE)


def _without_parenthesized_order(ms: list[Mention], text: str) -> list[Mention]:
    """The words of a parenthesis that states the order (:data:`_ORDER_PAREN_RX`) name no exam of the
    report, while words outside it name one (CODING_RULES §6: bill what was performed; the order is
    compared, not coded)."""
    def in_order(m: Mention) -> bool:
        if not m.paren:
            return False
        open_at = text.rfind("(", max(0, m.start - 80), m.start)
        return open_at != -1 and ")" not in text[open_at:m.start] and bool(_ORDER_PAREN_RX.match(text, open_at))
    inside = [m for m in ms if in_order(m)]
    if not inside or not any(m.key == "site" and m not in inside for m in ms):
        return ms
    return [m for m in ms if m not in inside]


# a parenthesis right after the word "limited" gives the part the limited exam covers ("US ABDOMEN -
# LIMITED (AORTA)"), not the indication
_LIMITED_SCOPE_PAREN_RX = re.compile(r"\b(?:limited|ltd)\.?[ \t]{0,3}\($", re.IGNORECASE)


# a catheter angiogram a title names as done before its CT / MR ("CT HEAD W/O - POST DIAGNOSTIC CEREBRAL
# ANGIOGRAM", "MRI BRAIN AFTER CEREBRAL ANGIOGRAPHY"): the cue, up to three words, then the angiogram's own word
_DONE_BEFORE_CUE = r"(?:\bpost|\bafter|\bs/p|\bstatus\s+post|\bfollowing)[\s-]{1,3}"  # (shared with _DONE_BEFORE_RX)
_PRIOR_ANGIOGRAM_RX = re.compile(_DONE_BEFORE_CUE + r"(?:[\w-]+[ \t]+){0,3}$", re.IGNORECASE)
_ANGIOGRAM_WORD_RX = re.compile(r"angio", re.IGNORECASE)


def _prior_angiogram(m: Mention, text: str) -> re.Match[str] | None:
    """The "post" / "after" cue of an angiogram mention done before the study ("after angiogram")."""
    if m.key != "qual" or m.value != "angio" or not _ANGIOGRAM_WORD_RX.match(m.text):
        return None
    return _PRIOR_ANGIOGRAM_RX.search(text, max(0, m.start - 60), m.start)


# a procedure a title names as done before its study ("MAMMO ... POST BIOPSY CLIP FILM", "CT CHEST S/P LUNG
# BIOPSY"): the cue, up to two words, then the procedure's word
_PRIOR_PROCEDURE_RX = re.compile(_DONE_BEFORE_CUE + r"(?:[\w-]+[ \t]+){0,2}$", re.IGNORECASE)
# (a biopsy: an injection named after "after" is often the guided step of the study itself, "MR arthrogram after
# fluoroscopically guided injection")
_BIOPSY_WORD_RX = re.compile(r"(?:biops|bx\b|fna\b)", re.IGNORECASE)


def _without_prior_procedure(ms: list[Mention], text: str) -> list[Mention]:
    """A biopsy a title names after "post" / "after" / "s/p" is the reason for the study, done
    before it: no guidance exam of its own (CODING_RULES §6), while another site names the exam."""
    prior = [m for m in ms if m.key == "site" and m.value == "guidance" and _BIOPSY_WORD_RX.match(m.text)
             and _PRIOR_PROCEDURE_RX.search(text, max(0, m.start - 40), m.start)]
    if not prior or not any(m.key == "site" and m.value != "guidance" for m in ms):
        return ms
    drop = {id(m) for m in prior}
    return [m for m in ms if id(m) not in drop]


# what a title says its study looks for ("CONTRAST ENEMA - R/O COLOVESICAL FISTULA", "UGI EVAL FOR LEAK"): the
# cue, up to two words, then the word of the sought tract
_SOUGHT_RX = re.compile(r"(?:\br/o|\brule\s+out|\beval\w*(?:[ \t]+for)?|\bassess\w*(?:[ \t]+for)?|\?|\bquery|"
                        r"\bconcern[ \t]+for|\bsuspect\w*)[ \t]{0,3}(?:[\w/-]+[ \t]+){0,2}$", re.IGNORECASE)
_TRACT_WORD_RX = re.compile(r"(?:fistula|abscess|sinus\s+tract|leak)\w*$", re.IGNORECASE)


def _without_sought_tract(ms: list[Mention], text: str) -> list[Mention]:
    """A fistula or abscess a title names as what the study looks for ("R/O COLOVESICAL FISTULA") is the
    reason for the exam another site of the title names (the enema: 74270), not a sinus tract study
    (76080: contrast injected into the tract itself, "FISTULOGRAM", "SINOGRAM")."""
    sought = [m for m in ms if m.key == "site" and m.value == "abscess_fistula_sinus_tract"
              and _TRACT_WORD_RX.match(m.text) and _SOUGHT_RX.search(text, max(0, m.start - 40), m.start)]
    if not sought or not any(m.key == "site" and m.value != "abscess_fistula_sinus_tract" for m in ms):
        return ms
    drop = {id(m) for m in sought}
    return [m for m in ms if id(m) not in drop]


# a title part its writer struck out: a question answered no or replaced ("NASAL BONES 3 VW? no - FACIAL
# BONES", "TRANSVAGINAL? -- TRANSPERINEAL"), or a part said not to apply ("US OB - not applicable. PELVIC US")
_STRUCK_QUESTION_RX = re.compile(r"\?[ \t]{0,3}(?:no\b\.?[ \t]{0,3})?(?:-{1,2}|[\u2013\u2014])")
_TITLE_PART_STOP = ".;|\n"


def _struck_cues(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """The strike cues of a title span: (cue start, cue end)."""
    out = []
    at = text.find("?", a, b)
    while at != -1:
        m = _STRUCK_QUESTION_RX.match(text, at)
        if m is not None:
            out.append((at, m.end()))
        at = text.find("?", at + 1, b)
    low = text[a:b].lower()
    for word in ("not applicable", "n/a"):
        at = low.find(word)
        while at != -1:
            lead = low[max(0, at - 4):at].rstrip(" \t")
            if lead[-1:] in ("-", "\u2013", "\u2014", ":"):
                out.append((a + at - (at - max(0, at - 4)) + len(lead) - 1, a + at + len(word)))
            at = low.find(word, at + 1)
    return out


def _without_struck_title_parts(ms: list[Mention], text: str) -> list[Mention]:
    """A title part struck out by its writer names no exam (CODING_RULES §6): when a site follows the
    cue (a replacement title), the mentions of the part before it, back to the title's start or the
    last stop; else (a questioned word answered by another: "TRANSVAGINAL? -- TRANSPERINEAL") the
    mention right before the cue. Nothing is struck that would leave the title without a site."""
    if not ms:
        return ms
    a, b = ms[0].start, max(m.end for m in ms)
    line_end = text.find("\n", b)
    b = len(text) if line_end == -1 else line_end
    if "?" not in text[a:b] and "n/a" not in text[a:b].lower() and "applicable" not in text[a:b].lower():
        return ms
    drop: set[int] = set()
    for cs, ce in _struck_cues(text, a, b):
        before = [m for m in ms if m.end <= cs]
        after = [m for m in ms if m.start >= ce]
        if not before or not any(ch.isalpha() for ch in text[ce:min(b, ce + 40)]):
            continue
        if any(m.key == "site" for m in after):
            stop = max(text.rfind(ch, a, cs) for ch in _TITLE_PART_STOP)
            drop |= {id(m) for m in before if m.start > stop}
        elif not text[max(m.end for m in before):cs].strip():
            last = max(m.start for m in before)
            drop |= {id(m) for m in before if m.start == last}
    kept = [m for m in ms if id(m) not in drop]
    if not drop or not any(m.key == "site" for m in kept):
        return ms
    return kept


def _without_prior_angiogram(ms: list[Mention], text: str) -> list[Mention]:
    """A title's angiogram named after "post" / "after" / "s/p" ("CT HEAD W/O - POST DIAGNOSTIC CEREBRAL
    ANGIOGRAM") is the procedure done before the study, its reason: no angiographic qualifier of the CT /
    MR (CODING_RULES §6), nor are the angiogram's own words ("cerebral") anatomy of the exam."""
    drop: set[int] = set()
    for m in ms:
        cue = _prior_angiogram(m, text)
        if cue is None:
            continue
        drop |= {id(x) for x in ms if x.doc_id == m.doc_id and cue.start() <= x.start < m.end and x.key in ("qual", "site")}
    return [m for m in ms if id(m) not in drop] if drop else ms


# a site that gives a film's extent in parentheses ("XR ABDOMEN FOREIGN BODY (NOSE TO RECTUM)"), no indication
_EXTENT_SITES = frozenset({"nose_to_rectum"})


def _without_aside_sites(ms: list[Mention], text: str | None = None) -> list[Mention]:
    """Sites that name no exam, dropped while another site names one: a site negated by a cue
    before it ("no fracture of the distal radius", "no thumb sign") and anatomy in parentheses
    ("CT ABDOMEN PELVIS (RENAL STONE)": the indication), unless the parentheses restate the exam
    with its modality ("MR ANGIOGRAPHY ... (MR RUNOFF)", "CT ARTHROGRAM L WRIST (fluoro-guided inj
    + CT)") or give the scope of a limited exam (:data:`_LIMITED_SCOPE_PAREN_RX`)."""
    if any(m.key == "site" and not m.neg_forward for m in ms):
        ms = [m for m in ms if not (m.key == "site" and m.neg_forward)]
    if any(m.key == "site" and not m.paren for m in ms):
        named = [m for m in ms if m.paren and m.key == "modality"]
        ms = [m for m in ms if not (m.key == "site" and m.paren and not any(
            x.doc_id == m.doc_id and x.sent == m.sent and 0 <= m.start - x.start <= _PAREN_EXAM_SPAN for x in named)
            and not _limited_scope(m, text) and m.value not in _EXTENT_SITES)]
    return ms


def _limited_scope(m: Mention, text: str | None) -> bool:
    """A site that opens the parenthesis right after "limited" ("LIMITED (AORTA)")."""
    if text is None:
        return False
    open_at = text.rfind("(", max(0, m.start - 4), m.start + 1)
    return open_at != -1 and not text[open_at + 1:m.start].strip() and \
        _LIMITED_SCOPE_PAREN_RX.search(text, max(0, open_at - 12), open_at + 1) is not None


# a region word that names a clinic, service or team ("GYN clinic", "Spine clinic", "Chest service", "the
# gynecology fellow"), or an ECG lead ("ST depression in II, III, aVF"), names no exam
_SERVICE_AFTER = re.compile(r"[ \t]{1,4}(?:clinic|clinics|service|services|department|dept|team|office|fellow|resident|"
                            r"attending|surgeon|surgery\s+(?:clinic|service|team)|center|centre|"
                            # ... or the service's own procedure ("(PULM BRONCH)": the pulmonologist's bronchoscopy)
                            r"bronch|bronchoscopy|endoscopy)\b", re.IGNORECASE)
_ECG_LEAD = re.compile(r"aVF\b")
# the ducts an endoscopy images ("X-RAY BILE/PANCREAS ENDOSCOPY": the ERCP's ductal study, no GI service)
_ENDOSCOPIC_DUCT_SITES = frozenset({"bile_ducts", "pancreatic_duct"})


def _without_service_names(ms: list[Mention], text: str) -> list[Mention]:
    """The sites of a report less the region words that name a clinic or service ("ACCESSION 56120038 | GYN
    clinic | ..." over a hysterosalpingogram: no pelvis radiograph) or an ECG lead ("aVF" in a stress test's
    ECG: no dialysis fistula)."""
    drop = {id(m) for m in ms if m.key == "site" and m.value not in _ENDOSCOPIC_DUCT_SITES
            and (_SERVICE_AFTER.match(text, m.end) or _ECG_LEAD.fullmatch(text, m.start, m.end))}
    if not drop:
        return ms
    return [m for m in ms if id(m) not in drop]


def _without_symptom_sites(ms: list[Mention], text: str) -> list[Mention]:
    """A one-line title that runs on into the indication ("CT C-SPINE WO [CTCS3] MVC NECK PAIN", "XR KNEE
    RT 3V HIP PAIN", "MRI C-SPINE WO -- 45F neck pain") names its exam by the other region: a region
    followed by a symptom is the reason for it, not a second exam. The only region of a title stays
    ("CT SOFT TISSUE NECK WO - NECK SWELLING" has a plain "NECK" too; "XR CHEST PAIN" has no other)."""
    sites = [m for m in ms if m.key == "site"]
    symptom = {id(m) for m in sites if _SYMPTOM_AFTER.match(text, m.end)}
    if not symptom:
        return ms
    # ... and so is each region listed before it ("- NECK AND ARM PAIN", "Neck, Shoulder and Arm Pain")
    later = sorted(sites, key=lambda m: m.start, reverse=True)
    for nxt, m in zip(later, later[1:], strict=False):
        if id(nxt) in symptom and m.end <= nxt.start and _SYMPTOM_LIST_GAP.fullmatch(text, m.end, nxt.start):
            symptom.add(id(m))
    if len(symptom) == len(sites):
        return ms
    return [m for m in ms if id(m) not in symptom]


def _without_banner_fields(ms: list[Mention], text: str) -> list[Mention]:
    """A pipe-delimited export line that opens with the facility ("CB CH | XR ABD 2V SUPINE/UPRIGHT |
    ACC ...", "PV MEM | CT L-SPINE W/O | ..."): a field before the one that names the modality, naming
    none of its own, is a banner; an abbreviation in it ("CH": community hospital, not chest) names no
    region of the exam when the modality's field names one."""
    mod = next((m for m in ms if m.key == "modality"), None)
    if mod is None:
        return ms
    line_start = text.rfind("\n", 0, mod.start) + 1
    bar = text.rfind("|", line_start, mod.start)
    if bar == -1:
        return ms
    stop = text.find("|", mod.end)
    if not any(m.key == "site" and bar < m.start and (stop == -1 or m.end <= stop) for m in ms):
        return ms
    return [m for m in ms if not (m.key == "site" and line_start <= m.start < bar)]


def _without_category_prefix(ms: list[Mention], text: str) -> list[Mention]:
    """A title that files its exam under a category before a colon ("UPPER GI SERIES: ESOPHAGRAM DOUBLE
    CONTRAST", "BODY CT: CT CHEST WITH CONTRAST"): the exam is named after the colon, the category
    names no region of its own when the exam's part names one."""
    sites = [m for m in ms if m.key == "site"]
    if len(sites) < 2:
        return ms
    line_start = text.rfind("\n", 0, sites[0].start) + 1
    line_end = text.find("\n", line_start)
    line = text[line_start:line_end if line_end != -1 else len(text)]
    colon = line_start + line.find(":")
    if line.count(":") != 1 or not any(m.start > colon for m in sites):
        return ms  # ("XR CHEST: 2 VIEWS; XR ABDOMEN: 1 VIEW" lists two exams)
    # the exam after the colon names its modality; the category before it, no side, views or contrast
    if not any(m.key == "modality" and m.start > colon for m in ms) or any(
            m.key in ("side", "views", "proj", "contrast") and line_start <= m.start < colon for m in ms):
        return ms
    before = {m.value for m in sites if line_start <= m.start < colon}
    if before & {m.value for m in sites if m.start > colon}:
        return ms  # the same region named twice is one exam
    return [m for m in ms if not (m.key == "site" and line_start <= m.start < colon)]


# a charge line's two-letter department code glued to its exam by a hyphen ("CH-ABDOMEN 2 VWS CR", "SP-SI JNTS
# 3VPLUS CR", "LE-HIP PV UN2OR3V CR"); (one set apart by a blank is the exam's own word as often: "OB US ...",
# "UE ART DUPLEX BILAT")
_DEPARTMENT_CODE = re.compile(r"[ \t]*([A-Z]{2})-(?=[A-Z])")


def _without_department_code(ms: list[Mention], text: str) -> list[Mention]:
    """A title opening with a hyphened department code that is also a region's abbreviation ("CH"
    chest, "SP" spine, "LE" lower extremity): the code names no region of the exam when the line names
    another region after it."""
    sites = [m for m in ms if m.key == "site"]
    if len(sites) < 2:
        return ms
    first = min(sites, key=lambda m: m.start)
    line_start = text.rfind("\n", 0, first.start) + 1
    code = _DEPARTMENT_CODE.match(text, line_start)
    if code is None or code.start(1) != first.start or code.end(1) != first.end:
        return ms
    line_end = text.find("\n", first.end)
    line_end = len(text) if line_end == -1 else line_end
    if not any(m is not first and m.value != first.value and first.end < m.start < line_end for m in sites):
        return ms
    return [m for m in ms if m is not first]


# the professional-fee mark a charge line closes on ("XR FEMUR 1 VW PF", "XR HIP 2 VIEWS PF", "MR CHEST W PF"):
# no posterior fossa
_FEE_SUFFIXES = frozenset({"pf"})


def _without_fee_suffix(ms: list[Mention], text: str) -> list[Mention]:
    """A title whose last word is a professional-fee mark after its region and view count or
    contrast ("XR LUMBAR SPINE 2-3 VIEWS PF", "CT PELVIS W/O PF"): the mark names no second region."""
    sites = [m for m in ms if m.key == "site"]
    drop = set()
    for m in sites[1:]:
        if text[m.start:m.end].lower() not in _FEE_SUFFIXES:
            continue
        end = text.find("\n", m.end)
        if text[m.end:end if end != -1 else min(len(text), m.end + 80)].strip(" \t.,;:-)"):
            continue
        if any(x.doc_id == m.doc_id and x.end <= m.start and x.key in ("views", "contrast") for x in ms):
            drop.add(id(m))
    if not drop:
        return ms
    return [m for m in ms if id(m) not in drop]


def _implied_modality(mentions: list[Mention]) -> str | None:
    """The modality a report names only by its approach: "Transabdominal and transvaginal images
    of the pelvis were obtained" under the title "PELVIS, NON-OBSTETRIC" is an ultrasound."""
    if any(m.key == "qual" and m.value in _SONOGRAPHIC_APPROACH and m.status != "historical"
           and m.section not in _NOT_THIS_STUDY for m in mentions):
        return "US"
    return None


def read_on_film(frames: list[Frame], mentions: list[Mention], lex: Lexicon) -> list[Frame]:
    """A report that names no exam, no modality and no tomographic acquisition, and whose narrative
    reads anatomy a radiograph shows (the heart, the mediastinum, the lungs, the pleura: regions.tsv
    ``film=``) along with the film's own anatomy, is that radiograph: "Findings: The heart is
    normal in size. The lungs are clear." is a chest film. The frame keeps its ``inferred`` modality (low confidence) and the views rule
    (none stated: the lowest code, flagged)."""
    live = [m for m in mentions if m.status != "historical" and m.section not in _NOT_THIS_STUDY]
    if any(m.value in _MODALITY_HINTS for m in live):
        return frames  # "axial images ...", "20 Hounsfield units": a tomographic study
    # the film's own anatomy must be read too ("The lungs are clear."): a text about the heart
    # alone ("The left ventricle is normal in size ...") is no chest film
    read = {m.value for m in live if m.key == "site" and m.section in FALLBACK_SECTIONS}
    out: list[Frame] = []
    for f in frames:
        site = lex.sites.get(f.site)
        if f.modality == "XR" and f.sources.get("modality") == "inferred" and site is not None \
                and site.film in read:
            f.site = site.film
        if any(g.modality == f.modality and g.site == f.site for g in out):
            continue  # "The heart is normal in size. The lungs are clear.": one chest film
        out.append(f)
    return out


_RANGE_FROM = re.compile(r"\bfrom\s+(?:the\s+)?$", re.IGNORECASE)
_RANGE_TO = re.compile(r"\s*(?:to|through|thru)\s+(?:the\s+)?", re.IGNORECASE)


def _without_range_ends(ms: list[Mention], text: str, lex: Lexicon) -> list[Mention]:
    """Sites that bound the extent of a limb named in the same sentence ("the right lower
    extremity, AP and lateral from hip to ankle") are that limb's coverage, not exams of their own."""
    sites = sorted((m for m in ms if m.key == "site"), key=lambda m: m.start)
    drop: set[int] = set()
    for a, b in zip(sites, sites[1:], strict=False):
        if a.doc_id != b.doc_id or not _RANGE_TO.fullmatch(text, a.end, b.start) \
                or not _RANGE_FROM.search(text, max(0, a.start - 12), a.start):
            continue
        if any(m.doc_id == a.doc_id and m.sent == a.sent and m is not a and m is not b and _generic(lex, m.value)
               for m in sites):
            drop |= {id(a), id(b)}
    return [m for m in ms if id(m) not in drop] if drop else ms


def _subtitle_attrs(f: Frame, sub: list[Mention]) -> None:
    """A line under the title that names no other exam ("PA and lateral chest", "AP and lateral
    views") states the title exam's views and contrast; a sentence of it that names other anatomy
    is a finding ("AP and scapular Y views after reduction. Humeral head now located."), and the
    views of its other sentences still count."""
    if not sub or any(m.key == "modality" for m in sub):
        return
    other = {(m.doc_id, m.sent) for m in sub if m.key == "site" and m.value != f.site}
    f.title_views = f.title_views + [m for m in sub if m.key in ("views", "proj") and (m.doc_id, m.sent) not in other]
    if not other and not f.title_contrast:
        f.title_contrast = [m for m in sub if m.key == "contrast"]


def _subtitle_views_per_site(frames: list[Frame], sub: list[Mention], text: str | None) -> None:
    """Radiographs of several sites whose title states no views, under it a line that names each site with its
    own views ("PORTABLE CHEST AND ABDOMEN" / "Chest AP, abdomen AP and left lateral decubitus."): each exam's
    views are those written after its site (CODING_RULES §4; then the acute abdomen series rule may join
    them)."""
    if text is None or any(f.modality != "XR" or f.title_views for f in frames) or any(m.key == "modality" for m in sub):
        return
    sites = [m for m in sub if m.key == "site" and m.status == "performed"]
    views = [m for m in sub if m.key in ("views", "proj") and m.status == "performed"]
    if not views or len({m.doc_id for m in sites + views}) != 1 or \
            {m.value for m in sites} != {f.site for f in frames} or len(sites) != len(frames):
        return
    own = {id(f): _own_segment_views(views, replace(f, evidence={**f.evidence, "site": [m for m in sites
                                                                                       if m.value == f.site]}),
                                     sites, text) for f in frames}
    if any(not v or len(v) == len(views) for v in own.values()):
        return  # (views standing in one place: no exam's own)
    for f in frames:
        f.title_views = own[id(f)]


def _stacked_title_frames(frames: list[Frame], sub: list[Mention], lex: Lexicon,
                          text: str | None) -> list[Frame]:
    """Exams named by the title lines stacked under the first ("CT HEAD WITHOUT CONTRAST" /
    "CT FACIAL BONES WITHOUT CONTRAST" / "CT CERVICAL SPINE WITHOUT CONTRAST": one report, three
    exams): a line that states its own modality and a site the title's exams do not cover (another
    region, or the same region on the other side) is another exam performed. A line restating the
    title's exam in other words ("CT ABD/PEL W CON" / "CT ABDOMEN AND PELVIS WITH CONTRAST") adds
    nothing."""
    extra: list[Frame] = []
    films = bool(frames) and all(f.modality == "XR" for f in frames)
    for doc in dict.fromkeys(m.doc_id for m in sub):
        line = [m for m in sub if m.doc_id == doc]
        # (under radiograph titles, a line that counts its views names a radiograph of its own: "CHEST SINGLE
        # VIEW" / "ABDOMEN 1 VIEW", CODING_RULES §4)
        counted = films and not any(m.key == "modality" for m in line) and any(m.key == "views" for m in line)
        if not (counted or any(m.key == "modality" for m in line)) or not any(m.key == "site" for m in line) or \
                any(m.status != "performed" for m in line if m.key in ("modality", "site")):
            continue  # "CT CERVICAL SPINE WO - CANCELLED": not performed
        if text is None or not title_like(text[text.rfind("\n", 0, line[0].start) + 1:
                                                _find_or_end(text, "\n", line[0].start)]):
            continue  # "68F, dyspnea. CTA chest not done, CXR clear.": history under the title
        line = _without_range_ends(series_with_bending(line, text), text, lex)
        groups = group_mentions(line, text, lex)
        new = build_frames(groups, lex, "XR" if counted else None)
        for f in new:
            if f.modality is None:
                continue
            _group_attrs(f, groups, line, text)
            if any(_same_exam_region(f, g, lex) and not _plain_beside_angiogram(
                    (f.modality, {m.value for m in f.title_contrast}), (g.modality, {m.value for m in g.title_contrast}))
                   for g in frames + extra):
                continue
            extra.append(f)
    return extra


def _plain_beside_angiogram(a: tuple[str | None, set[str]], b: tuple[str | None, set[str]]) -> bool:
    """Whether of two title lines of one region (each a modality and the contrast values it states) one
    names the plain study without contrast and the other the angiogram of its modality ("CT HEAD W/O
    CONT" / "CTA HEAD W&W/O CONT"): two exams the title lists one by one, not one exam restated; the
    bundle rules then decide whether the angiogram includes the plain series (CODING_RULES §2)."""
    plain, angio = (a, b) if a[0] in _ANGIO else (b, a)
    return angio[0] == _ANGIO.get(plain[0] or "") and plain[1] == {"without"}


def _same_exam_region(f: Frame, g: Frame, lex: Lexicon) -> bool:
    """Whether two frames name one exam area: the same code region (or site) of kindred modalities,
    on the same side (or a side unstated on either)."""
    if not (_KIN.get(f.modality or "", {f.modality}) & {g.modality}):
        return False
    here = lex.region_for(f.site, f.modality) or f.site
    there = lex.region_for(g.site, g.modality) or g.site
    if here != there and f.site != g.site:
        return False
    return f.side is None or g.side is None or f.side == g.side


def _subtitle_restates(exam: list[Mention], sub: list[Mention]) -> bool:
    """Whether the line under the title names the same exam with more detail: the same modality
    (of one kin), every site of the title line, and views, projections, contrast, qualifiers or
    sites the title line does not state ("OUTSIDE CHEST FILMS" / "XR CHEST 4V (PA/LAT/BIL OBL)")."""
    if not sub:
        return False
    mods = {m.value for m in exam if m.key == "modality"}
    sub_mods = {m.value for m in sub if m.key == "modality"}
    if not mods or not sub_mods or any(not _KIN.get(v, {v}) & sub_mods for v in mods):
        return False
    if not {m.value for m in exam if m.key == "site"} <= {m.value for m in sub if m.key == "site"}:
        return False
    if len(mods) == 1 and len(sub_mods) == 1 and _plain_beside_angiogram(
            (next(iter(mods)), {m.value for m in exam if m.key == "contrast"}),
            (next(iter(sub_mods)), {m.value for m in sub if m.key == "contrast"})):
        return False  # "CT HEAD W/O CONT" above "CTA HEAD W&W/O CONT": two exams listed
    said = {(m.key, m.value) for m in exam}
    return any(m.key in ("site", "views", "proj", "contrast", "qual") and (m.key, m.value) not in said for m in sub)


_ONLY_RX = re.compile(r"\bonly\b", re.IGNORECASE)


# what joins a qualifier to the exam before it ("MAMMO BIL W TOMO", "C-SPINE W/ FLEX/EXT"):
# extraction sets Mention.joined with it
JOIN_RX = re.compile(r"(?:\bw/?|\bwith|&|\+|\band|\bplus|\bincl\w*)[\s.]*$", re.IGNORECASE)


def series_with_bending(ms: list[Mention], text: str) -> list[Mention]:
    """A spine series named with its flexion/extension views ("C-SPINE W/ FLEX/EXT", "SPINE
    CERVICAL COMPLETE INCL FLEXION & EXT") is the complete series including bending views
    (qualifier ``bending``, as the lumbar code of the reference table names it): the two named
    projections are added to a series of unstated length, so the projections of its line are not
    its view count, and the joining "W/" is no contrast. Flexion/extension on their own ("L-SPINE FLEX/EXT",
    "FLEXION/EXTENSION ONLY") stay the bending views only, except on the cervical spine, whose
    codes have no bending-only study: a cervical series named by its flexion/extension views
    ("C SPINE FLEX EXTN") is the complete series including them, unless it says "only". The word
    "bending" reads as these views too ("LUMBOSACRAL BENDING VIEWS": the bending views only 72120;
    "L-S SPINE W/BENDING", "COMPLETE W BEND": the complete series 72114)."""
    flex = [m for m in ms if m.key == "qual" and m.value == "flexion_extension" and m.status == "performed"]
    if not flex:
        return ms
    spine = {m.doc_id for m in ms if m.key == "site" and m.value.endswith("spine")}
    complete = {m.doc_id for m in ms if m.key == "qual" and m.value == "complete" and m.status == "performed"}
    cervical = {m.doc_id for m in ms if m.key == "site" and m.value == "cervical_spine" and m.section in ("exam", "subtitle")}
    drop: set[int] = set()
    turned: set[int] = set()
    for m in flex:
        if m.doc_id not in spine:
            continue
        line_end = text.find("\n", m.end)
        if _ONLY_RX.search(text, m.end, len(text) if line_end == -1 else line_end):
            continue
        before = [x for x in ms if x.doc_id == m.doc_id and x.end <= m.start]
        # the joining "W/" read as a contrast word
        joint = {id(x) for x in before if m.joined and x.key == "contrast" and x.value == "with" and m.start - x.end < 4}
        prev = [x for x in before if id(x) not in joint]
        prev_flex = prev and (prev[-1].key == "proj" or prev[-1].value == "flexion_extension")
        if not (m.doc_id in complete or m.doc_id in cervical or m.joined and prev and not prev_flex):
            continue
        turned.add(id(m))
        # the projections a series title lists ("COMPLETE, INCLUDING OBLIQUE AND FLEXION") are not all of its views
        drop |= {id(x) for x in ms if x.key == "proj" and x.doc_id == m.doc_id} | joint
    if not turned:
        return ms
    return [replace(m, value="bending") if id(m) in turned else m for m in ms if id(m) not in drop]


# modalities whose default site reads a description on one line only (a chargemaster row, an order name): a
# report's title naming a duplex and no vessel leaves the vessels to its technique and findings; a side named
# ("DUPLX SCAN COMP BILAT") is a limb's or the carotids', no organ duplex
_ONE_LINE_DEFAULTS = frozenset({"DUPLEX"})
# breast tomosynthesis (DBT) written alone: no other exam has it ("Dbt, Screening", "TOMOSYNTHESIS DIAG ADD ON")
_DBT_WORD_RX = re.compile(r"(?:dbt|tomo\s?synthesis)", re.IGNORECASE)


def modality_only_frames(groups: list[_Group], lex: Lexicon, one_line: bool = False) -> list[Frame]:
    """Frames of a title that names a modality and no anatomy ("DXA"): the modality's default site.
    A view count without a modality word is a radiograph's ("FOREIGN BODY 1 VW CHILD": the child's
    nose-to-rectum film, 76010). On a description of one line, a duplex naming no vessel or organ
    ("DOPPLER US, LTD STUDY") is the duplex of the abdominal / pelvic / scrotal / retroperitoneal organs
    (93975 / 93976), and breast tomosynthesis named with no modality or anatomy is the mammogram's."""
    out = []
    for g in groups:
        counted = any(m.key == "views" and m.status == "performed" for m in g.mentions)
        quals = {m.value for m in g.mentions if m.key == "qual" and m.status == "performed"}
        site: str | None
        if g.modality is None and not counted:
            if not (one_line and any(m.key == "qual" and m.value == "tomosynthesis" and m.status == "performed"
                                     and _DBT_WORD_RX.fullmatch(m.text) for m in g.mentions)):
                continue
            modality, site = "MG", "breast"
            named = [m for m in g.mentions if m.key == "qual" and m.status == "performed"]
        else:
            named = []
            modality = g.modality.value if g.modality is not None else "XR"
            site = lex.default_site(modality, quals) if modality not in _ONE_LINE_DEFAULTS or one_line and not any(
                m.key == "side" for m in g.mentions) else None
        if site:
            f = Frame(modality, site)
            if g.modality is not None:
                f.add("modality", [g.modality], "title")
            else:
                f.sources["modality"] = "inferred"
            f.sources["site"] = "default"
            f.quals.add("site_defaulted")
            f.quals |= quals
            if named:
                f.add("qual", named, "title")  # the title names the DBT itself: its add-on line leads
            out.append(f)
    return out


def _group_attrs(f: Frame, groups: list[_Group], ms: list[Mention], text: str | None = None) -> None:
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
    f.title_contrast = _own_segment_contrast(contrast, f, own)
    f.title_views = _own_segment_views(
        [m for m in own if m.key in ("views", "proj") and not _count_of_next_site(m, f, own)], f, own, text)


def _own_segment_contrast(contrast: list[Mention], f: Frame, own: list[Mention]) -> list[Mention]:
    """A title that gives its exams contrasts of their own ("TRAUMA CT: HEAD WO, C-SPINE WO,
    CHEST/ABDOMEN/PELVIS W CONTRAST"; "CT HEAD AND C-SPINE WITHOUT, CHEST WITH"): each site takes the
    contrast written after it and before the next site that follows a contrast (CODING_RULES §2, §3:
    contrast per region). A title with one contrast, a contrast before its first site, or sites after
    its last contrast keeps every contrast for every exam."""
    sites = sorted((m for m in own if m.key == "site"), key=lambda m: (m.doc_id, m.start))
    mine = [m for m in f.evidence.get("site", []) if m in sites]
    if len(contrast) < 2 or not mine or len({m.doc_id for m in sites + contrast}) > 1:
        return contrast
    marks = sorted(sites + contrast, key=lambda m: m.start)
    runs: list[tuple[list[Mention], list[Mention]]] = []  # (sites, the contrast written after them)
    for m in marks:
        if m.key == "site":
            if not runs or runs[-1][1]:
                runs.append(([], []))
            runs[-1][0].append(m)
        elif runs:
            runs[-1][1].append(m)
        else:
            return contrast  # "CT W/O HEAD ...": a contrast before the sites
    if len(runs) < 2 or not runs[-1][1]:
        return contrast
    values = [{x.value for x in ss} for ss, _c in runs]
    if any(not v - set().union(*(w for j, w in enumerate(values) if j != i)) for i, v in enumerate(values)):
        return contrast  # a site named again in another run ("ABDOMEN ... LIVER NONCONTRAST ... LIVER"): one exam
    own_runs = [c for ss, c in runs if any(x in mine for x in ss)]
    if len(own_runs) != 1:
        return contrast
    return own_runs[0]


def _own_segment_views(views: list[Mention], f: Frame, own: list[Mention], text: str | None) -> list[Mention]:
    """A title that names several sites, each with views of its own ("PORTABLE CHEST 1V + PELVIS (AP,
    INLET, OUTLET)", "CHEST PA/LAT, ABDOMEN 1V"): each exam's views are those written after its site and
    before the next one's; a title whose views stand in one place keeps them for every site ("XR HAND
    AND WRIST 3 VIEWS")."""
    sites = sorted((m for m in own if m.key == "site"), key=lambda m: (m.doc_id, m.start))
    mine = [m for m in f.evidence.get("site", []) if m in sites]
    if text is None or len({m.value for m in sites}) < 2 or not mine:
        return views

    def segment(m: Mention) -> int | None:
        before = [i for i, x in enumerate(sites) if x.doc_id == m.doc_id and x.end <= m.start]
        return before[-1] if before else None

    if any(x.doc_id == m.doc_id and _VIEW_BEFORE_SITE.fullmatch(text, m.end, x.start)
           for m in views for x in sites if x.start >= m.end):
        # views written before their sites ("AP pelvis, frog lateral right hip"): no segments, unless each
        # projection stands before a site of its own ("AP and lateral skull, AP chest, AP abdomen": a shunt
        # series, one code per region); a pelvis view belongs to the hip series it stands in (§4)
        return _views_before_own_sites(views, sites, mine, text)
    seg = {id(m): segment(m) for m in views}
    held = {i for i in seg.values() if i is not None}
    owners = {sites[i].value for i in held}
    if len(owners) == 1 and None not in seg.values() and _between_sites(held, sites):
        # views written after one site and before another of another value ("X-RAY PELVIS 1 VIEW AND LEFT
        # HIP"): that site's only; the other's views are those its report documents
        holder = sites[next(iter(held))]
        return views if holder.value == f.site or holder in mine else []
    if len(owners) < 2:
        return views
    at = {i for i, x in enumerate(sites) if x in mine}
    return [m for m in views if (i := seg[id(m)]) is not None and (i in at or sites[i].value == f.site)]


def _between_sites(held: set[int], sites: list[Mention]) -> bool:
    """Whether the title's views all stand in one site's segment, followed by a site of another value."""
    i = max(held)
    return len(held) == 1 and any(x.value != sites[i].value for x in sites[i + 1:])


def _views_before_own_sites(views: list[Mention], sites: list[Mention], mine: list[Mention], text: str) -> list[Mention]:
    """The views of a title that writes each projection before its site (:func:`_own_segment_views`):
    those before the frame's own sites when every projection has one and two or more sites hold views."""
    owner: dict[int, Mention] = {}
    for m in views:
        if m.key != "proj":
            return views
        nxt = next((x for x in sites if x.doc_id == m.doc_id and m.end <= x.start <= m.end + 60
                    and _PROJ_TO_SITE_GAP.fullmatch(text, m.end, x.start)), None)
        if nxt is None:
            return views
        owner[id(m)] = nxt
    values = {x.value for x in owner.values()}
    if len(values) < 2 or "pelvis" in values:
        return views
    return [m for m in views if owner[id(m)].value in {x.value for x in mine}]


# what stands between a projection and the site it is of ("AP pelvis", "frog lateral right hip")
_VIEW_BEFORE_SITE = re.compile(r"[ \t]+(?:(?:of[ \t]+)?(?:the[ \t]+)?(?:right|left|rt|lt|r|l|bilateral|both)[ \t]+)?",
                               re.IGNORECASE)


def _count_of_next_site(m: Mention, f: Frame, own: list[Mention]) -> bool:
    """A view count written just before another site of the same title, after the frame's own site,
    counts that site's views: "ABD FLAT & UPRIGHT &1V CHEST" is one chest view, not one abdomen view."""
    if m.key != "views" or m.value is None:
        return False
    near = [x for x in own if x.doc_id == m.doc_id and x is not m]
    nxt = min((x for x in near if x.start >= m.end), key=lambda x: x.start, default=None)
    prev = max((x for x in near if x.end <= m.start), key=lambda x: x.end, default=None)
    # ("XR HAND 3V AND WRIST 2V": the count just after the hand is the hand's)
    return nxt is not None and nxt.key == "site" and nxt.value != f.site and prev is not None \
        and prev.key not in ("site", "side") and any(x.key == "site" and x.value == f.site and x.end <= m.start
                                                     for x in near)


def _line_start(mentions: list[Mention], m: Mention) -> int:
    """Start offset of the first mention in ``m``'s section (the start of a short title line)."""
    return min(x.start for x in mentions if x.doc_id == m.doc_id)


# --------------------------------------------------------------------------- resolution
#
# Each attribute is resolved by a small function with the same precedence: the performed
# sections (technique, contrast, views) beat the title, and a difference becomes a Conflict for
# the flags (CODING_RULES §6); the narrative (body, findings) fills only what both leave open; an
# addendum that states what was done corrects the result.


class _SentenceIndex:
    """Per mention pool, the site and modality values of each (doc_id, sentence), built once:
    ``index(pool)[(doc_id, sent)] -> (sites, modalities)``. Keeps the technique-sentence
    assignment of a multi-exam report linear in its mentions."""

    def __init__(self, text: str | None = None) -> None:
        self.text = text  # the report text: a line's label ("Orbits: ...") names every sentence of the line
        self._by_pool: dict[int, tuple[list[Mention], dict[tuple[int, int], tuple[set[str], set[str]]]]] = {}

    def __call__(self, pool: list[Mention]) -> dict[tuple[int, int], tuple[set[str], set[str]]]:
        hit = self._by_pool.get(id(pool))
        if hit is not None and hit[0] is pool:
            return hit[1]
        idx: dict[tuple[int, int], tuple[set[str], set[str]]] = {}
        ends = _extent_ends(pool, self.text) if self.text is not None else []
        end_ids = {id(p) for p in ends}
        for p in pool:
            sites, mods = idx.setdefault((p.doc_id, p.sent), (set(), set()))
            if p.key == "site" and id(p) not in end_ids:
                sites.add(p.value)
            elif p.key == "modality":
                mods.add(p.value)
        if self.text is not None:
            _line_labels(pool, idx, self.text)
        bare = {(p.doc_id, p.sent) for p in ends if not idx[(p.doc_id, p.sent)][0]}
        for p in ends:  # a sentence whose only anatomy is the extent's ends names them
            if (p.doc_id, p.sent) in bare:
                idx[(p.doc_id, p.sent)][0].add(p.value)
        self._by_pool[id(pool)] = (pool, idx)  # the pool is kept alive, so its id stays its own
        return idx


_NO_SENTENCE: tuple[set[str], set[str]] = (set(), set())
# the ends of a scan's extent ("contrast-enhanced MRA of the neck from the aortic arch to the circle of Willis")
_EXTENT_TO_END = re.compile(r"\bfrom\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?(?:to|through|thru)\s+(?:the\s+)?$", re.IGNORECASE)
_EXTENT_FROM_END = re.compile(r"(?:\s+[\w-]+){0,2}?\s+(?:to|through|thru)\s", re.IGNORECASE)
_FROM_BEFORE = re.compile(r"\bfrom\s+(?:the\s+)?$", re.IGNORECASE)
# ... and an end whose own term holds its "to" ("from lung apices to the symphysis pubis")
_FROM_WORDS_BEFORE = re.compile(r"\bfrom\s+(?:the\s+)?(?:[\w-]+\s+){1,3}$", re.IGNORECASE)
_TO_TERM = re.compile(r"(?:to|through|thru)\s", re.IGNORECASE)


def _extent_ends(pool: list[Mention], text: str) -> list[Mention]:
    """The site mentions that bound a scan's extent ("from the aortic arch to the circle of Willis"): the
    coverage of the exam the sentence (or its line's label) names, not another exam of the report; a
    sentence naming nothing else is still indexed under them (:class:`_SentenceIndex`)."""
    return [p for p in pool if p.key == "site" and (
        _EXTENT_TO_END.search(text, max(0, p.start - 60), p.start)
        or _TO_TERM.match(text, p.start) and _FROM_WORDS_BEFORE.search(text, max(0, p.start - 60), p.start)
        or _FROM_BEFORE.search(text, max(0, p.start - 10), p.start) and _EXTENT_FROM_END.match(text, p.end))]
_LABEL_RX = re.compile(r"[ \t]*[^:\n]{1,30}:")


def _line_labels(pool: list[Mention], idx: dict[tuple[int, int], tuple[set[str], set[str]]], text: str) -> None:
    """A label opening a line of a multi-exam technique ("Orbits: coronal T2; precontrast T1;
    post-contrast T1", "MRA head: ...") names the exam of every sentence on that line: its
    anatomy and modality join those of each sentence the line holds."""
    labels: dict[int, tuple[int, int]] = {}  # line start -> (label end, line end)
    for p in pool:
        if p.key not in ("site", "modality"):
            continue
        start = text.rfind("\n", 0, p.start) + 1
        if start not in labels:
            m = _LABEL_RX.match(text, start)
            end = text.find("\n", start)
            labels[start] = (m.end() if m else -1, len(text) if end == -1 else end)
        label_end, line_end = labels[start]
        if p.end > label_end:
            continue
        for q in pool:
            if q.doc_id == p.doc_id and label_end <= q.start < line_end:
                sites, mods = idx.setdefault((q.doc_id, q.sent), (set(), set()))
                (sites if p.key == "site" else mods).add(p.value)


@dataclass
class Pools:
    """The mention pools of one report that the resolution reads (built once per report)."""

    text: str  # the cleaned text (noise blanked, a one-line export's joins as line breaks; same offsets)
    frame_source: str | None
    perf: list[Mention]  # technique / contrast / views sections
    fallback: list[Mention]  # narrative: body, findings, addendum, impression
    fallback_c: list[Mention]  # narrative that may state the contrast: body, addendum
    history: list[Mention]
    title: list[Mention]  # the exam title's mentions (exam / subtitle sections)
    addendum: list[Mention]  # what an addendum says was done (or a view it withdraws)
    contrast_section: Section | None
    multi: bool  # several exam frames
    frame_sites: frozenset[str]
    lex: Lexicon
    # the sites of the angiographic exams (CTA / MRA) the frames name: a technique's "angiographic images"
    # of such a site are that exam's, not the plain CT / MR beside it
    angio_sites: frozenset[str] = frozenset()
    # ... and their regions, by modality: a plain MR of the brain beside an MRA of the head covers the same region
    angio_regions: frozenset[tuple[str, str]] = frozenset()
    index: _SentenceIndex = field(default_factory=_SentenceIndex)
    sections: list[Section] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)  # every mention, historical ones too
    low: str | None = None  # folded(text) (suggester.scan.may_match: a whole-text pattern searched only when it can match)

    def for_frame(self, ms: list[Mention], f: Frame, pool: list[Mention], multi: bool) -> list[Mention]:
        return _for_frame(ms, f, pool, multi, self.frame_sites, self.index(pool) if multi else None, self.lex)


def pools(ex: Extraction, lex: Lexicon) -> Pools:
    live = [m for m in ex.mentions if m.status != "historical"]
    fallback = [m for m in live if m.section in FALLBACK_SECTIONS]
    return Pools(
        text=ex.clean or ex.text, frame_source=ex.frame_source,
        perf=[m for m in live if m.section in PERFORMED_SECTIONS],
        fallback=fallback,
        # contrast is read from narrative body text or an addendum, not from findings ("no
        # contrast in the bursa" describes anatomy)
        fallback_c=[m for m in fallback if m.section in ("body", "addendum")],
        history=[m for m in ex.mentions if m.section == "history"],
        title=[m for m in live if m.section in ("exam", "subtitle")],
        # an addendum that documents a different study corrects the report (CODING_RULES §6)
        addendum=[m for m in ex.mentions if m.section == "addendum" and m.status == "performed"
                  or m.section == "addendum" and m.status == "negated" and m.key == "proj"],
        contrast_section=next((s for s in ex.sections if s.name == "contrast"), None),
        multi=len(ex.frames) > 1,
        frame_sites=frozenset(x for fr in ex.frames for x in (fr.site, *site_parts(fr.site, lex))), lex=lex,
        angio_sites=frozenset(fr.site for fr in ex.frames if fr.modality in _ANGIO.values()),
        angio_regions=frozenset((fr.modality, r) for fr in ex.frames if fr.modality in _ANGIO.values()
                                and (r := lex.region_for(fr.site, fr.modality)) is not None),
        index=_SentenceIndex(ex.text), sections=ex.sections, mentions=ex.mentions, low=_folded_clean(ex))


# the words that join the routes a contrast statement lists ("No gadolinium was given, intravenously
# or intra-articularly", "no contrast, IV or intrathecal"): the negation covers every route listed
_ROUTE_LIST_GAP = re.compile(r"[\s,]*(?:(?:was|were|is|has\s+been|had\s+been)\s+(?:given|administered|injected|used|"
                             r"instilled)\b[\s,]*)?(?:(?:either|neither|whether)\s+)?", re.IGNORECASE)
_ROUTE_JOIN = re.compile(r"\s*(?:,\s*)?(?:or|nor|and|,)\s*", re.IGNORECASE)
_NEGATED_PLAIN = re.compile(r"(?:no|without|neither)\b", re.IGNORECASE)


def negated_route_lists(mentions: list[Mention], text: str) -> list[Mention]:
    """The routes a negated contrast statement lists after it ("No gadolinium was given,
    intravenously or intra-articularly"): not given either (CODING_RULES §2), though the cue
    before the agent is part of its own mention."""
    out = list(mentions)
    for i, m in enumerate(out):
        if m.key != "contrast" or m.value != "without" or m.status != "performed" or not _NEGATED_PLAIN.match(m.text):
            continue
        gap = _ROUTE_LIST_GAP.match(text, m.end)  # every part optional: matches, perhaps empty
        at = gap.end() if gap else m.end
        for j in range(i + 1, len(out)):
            r = out[j]
            if r.start < at:
                continue
            if r.start != at or r.key not in ("contrast", "route") or r.value not in ("with", "intra_articular",
                                                                                        "intrathecal", "intravenous"):
                break
            out[j] = replace(r, status="negated")
            if j + 1 < len(out) and out[j + 1].start == r.start:
                continue  # the route of the same words ("intra-articularly": contrast and route)
            join = _ROUTE_JOIN.match(text, r.end)
            if join is None or join.end() == r.end:
                break
            at = join.end()
    return out


# "Image quality: diagnostic", "images of diagnostic quality": the images' quality, not a diagnostic
# (as opposed to screening) study (CODING_RULES §5)
_IMAGE_QUALITY_BEFORE = re.compile(r"\bquality\W{0,3}$", re.IGNORECASE)
_IMAGE_QUALITY_AFTER = re.compile(r"[ \t]*(?:image[ \t]+)?quality\b", re.IGNORECASE)


def image_quality_dropped(mentions: list[Mention], text: str) -> list[Mention]:
    return [m for m in mentions if not (m.key == "qual" and m.value == "diagnostic" and (
        _IMAGE_QUALITY_BEFORE.search(text, max(0, m.start - 12), m.start) or _IMAGE_QUALITY_AFTER.match(text, m.end)))]


# a statement that views were someone else's to read ("A stress view was also performed by the orthopedic surgeon;
# this is not interpreted here", "fluoroscopic stress views, reported separately")
_NOT_READ_HERE_RX = re.compile(r"\bnot[ \t]+(?:interpreted|reported)[ \t]+(?:here|in[ \t]+this[ \t]+report|by[ \t]+radiology)\b|"
                               r"\b(?:interpreted|reported)[ \t]+separately\b|\bseparately[ \t]+(?:interpreted|reported)\b",
                               re.IGNORECASE)


def views_read_elsewhere_dropped(mentions: list[Mention], text: str, low: str | None) -> list[Mention]:
    """The mentions without the views of a clause the report says it does not interpret ("A stress view ... was
    also performed by the orthopedic surgeon; this is not interpreted here"): no views of this study (CODING_RULES
    §4: the views documented and read); the clause before a semicolon when the statement's own names no view."""
    if not may_match(_NOT_READ_HERE_RX, low):
        return mentions
    views = [m for m in mentions if m.key in ("proj", "views")]
    spans = []
    for x in _NOT_READ_HERE_RX.finditer(text):
        a, _b = sentence_bounds(text, x.start())
        if a > 0 and text[a - 1] == ";" and not any(a <= m.start < x.start() for m in views):
            a = sentence_bounds(text, a - 1)[0]  # "...; this is not interpreted here": the clause before
        spans.append((a, x.start()))
    return [m for m in mentions if m.key not in ("proj", "views") or not any(a <= m.start < b for a, b in spans)]


def resolve(ex: Extraction, lex: Lexicon) -> None:
    """Resolve contrast, views, side and qualifiers of every frame of the extraction."""
    text = ex.clean or ex.text
    ex.mentions = image_quality_dropped(negated_route_lists(ex.mentions, text), text)
    ex.mentions = views_read_elsewhere_dropped(ex.mentions, text, _folded_clean(ex))
    p = pools(ex, lex)
    # (the parts of one title that share its side are one side to the report: see _title_parts_one_side)
    side_pools = replace(p, multi=False) if _title_parts_one_side(ex.frames, p) else p
    for f in ex.frames:
        resolve_defaulted_site(f, p)
        resolve_extent(f, p)
        resolve_undone_part(f, p)
        resolve_leg_cta_extent(f, p)
        resolve_performed_site(f, p)
        resolve_technique_site(f, p)
        resolve_hip_series(f, p)
        resolve_contrast(f, p)
        resolve_views(f, p)
        resolve_side(f, side_pools)
        resolve_qualifiers(f, p)
        resolve_routine_series(f)
    _stressed_joint_views(ex.frames)


def _title_parts_one_side(frames: list[Frame], p: Pools) -> bool:
    """Whether the frames are the parts of one title of one modality that names one side for all of them ("US LT
    WRIST / HAND SOFT TISSUE MASS") and the technique names one side: the report's side statements are about that
    one side, as for one exam (a technique of the other side's "dorsal right wrist" images that side, CODING_RULES
    §6)."""
    if len(frames) < 2 or len({f.modality for f in frames}) != 1 \
            or len({m.value for m in p.perf if m.key == "side"} & {"left", "right", "bilateral"}) != 1:
        return False
    sides = {f.side for f in frames}
    return len(sides - {None}) == 1 and sides & {"left", "right"} != set() \
        and all(f.sources.get("side") == "title" for f in frames if f.side)


def resolve_routine_series(f: Frame) -> None:
    """A 'routine' series ("XR WRIST ROUTINE", "Hb Xray Knee Routine") is the site's routine
    complete series when no count is stated (mapping: as 'complete'); elsewhere the word (a
    priority field, "routine screening", a stated count) decides nothing and is no evidence."""
    if "routine_series" not in f.quals or (f.modality == "XR" and f.views is None):
        return
    f.quals.discard("routine_series")
    kept = [m for m in f.evidence.get("qual", []) if m.value != "routine_series"]
    if kept:
        f.evidence["qual"] = kept
        if f.sources.get("qual") == "title" and all(m.section not in ("exam", "subtitle") for m in kept):
            f.sources["qual"] = "technique"  # the title's word was the first evidence
    else:
        f.evidence.pop("qual", None)
        f.sources.pop("qual", None)


def idle_routine_dropped(ex: Extraction) -> list[Mention]:
    """The mentions without the 'routine' words no frame kept as evidence (resolve_routine_series):
    a priority field's "Routine" is no unused title qualifier."""
    used = {(m.start, m.end) for f in ex.frames for m in f.evidence.get("qual", [])}
    return [m for m in ex.mentions if m.value != "routine_series" or (m.start, m.end) in used]


def _stressed_joint_views(frames: list[Frame]) -> None:
    """The joint radiograph beside its stress views (:func:`_stressed_joint_frames`) counts the views
    the report shares out to the stress frame when none were read for the joint itself ("3 VIEWS AND
    STRESS VIEWS", "AP, mortise and lateral views, then stress views")."""
    for g in frames:
        if g.modality != "XR" or g.site != "joint_stress" or g.views is None:
            continue
        for j in frames:
            if j.modality == "XR" and j is not g and j.views is None and j.side == g.side and "site" in j.sources:
                j.views = g.views
                j.sources["views"] = g.sources.get("views", "technique")
                j.evidence["views"] = list(g.evidence.get("views", []))


def resolve_defaulted_site(f: Frame, p: Pools) -> None:
    """A title that names the modality alone ("DXA w/ VFA") takes its anatomy from the technique
    when the technique names performed sites of one region of that modality ("L-spine + L hip
    DXA": the axial skeleton), instead of the modality's default site."""
    if "site_defaulted" not in f.quals or p.multi:
        return
    if f.modality == "FL" and "followthrough_addon" in f.quals and "small_bowel" in p.lex.sites:
        # "FL SMALL BOWEL FOLLOW THROUGH" with no upper GI named: the small bowel study itself (the
        # follow-through add-on is never billed alone, CODING_RULES §3); a title alone keeps the
        # follow-through for title_only_followthrough (the add-on's own charge line)
        f.site = "small_bowel"
        f.quals -= {"site_defaulted"} if _title_alone(p.sections, p.text) else {"followthrough_addon", "site_defaulted"}
        f.sources["site"] = f.sources.get("qual", "title")
        return
    ms = _defaulted_site_mentions(f, p, p.perf)
    if not ms and f.modality == "FL" and not any(s.name in PERFORMED_SECTIONS for s in p.sections):
        # a fluoroscopy with no technique heading ("FLUORO INJ RT GREATER TROCHANTERIC BURSA" over one paragraph:
        # "Under fluoroscopy 22g needle to the greater trochanter"): its procedure paragraph is the technique, and
        # the fluoroscopy time code is for none more specific (CODING_RULES §7)
        ms = _body_site_mentions(f, p)
    regions = {p.lex.region_for(m.value, f.modality) for m in ms}
    region = regions.pop() if len(regions) == 1 else None
    if region is None:
        return
    values = {m.value for m in ms}
    f.site = values.pop() if len(values) == 1 else region if region in p.lex.sites else ms[0].value
    f.quals.discard("site_defaulted")
    f.evidence["site"] = list(ms)
    f.sources["site"] = "technique"


def _body_site_mentions(f: Frame, p: Pools) -> list[Mention]:
    """The sites of the procedure paragraph (body) for a frame titled with its modality alone; a dominant site
    among them (the guidance of the needle the paragraph places) is the one kept, as in a title
    (:func:`build_frames`: "needle ... to the iliopsoas bursa anterior to the hip"). The others give it nothing:
    a paragraph names the needle's kind and the anatomy around it ("22g spinal needle"), not parts of the title."""
    ms = _defaulted_site_mentions(f, p, [m for m in p.fallback if m.section == "body"])
    dominant = [m for m in ms if m.value in p.lex.sites and p.lex.sites[m.value].dominant]
    if not dominant:
        return ms
    keep = max(dominant, key=lambda m: p.lex.sites[m.value].dominant).value
    return [m for m in ms if m.value == keep]


def _defaulted_site_mentions(f: Frame, p: Pools, pool: list[Mention]) -> list[Mention]:
    """The performed sites of ``pool`` the frame's modality codes, but those a qualifier of their clause makes its
    extent (:func:`resolve_defaulted_site`)."""
    quals = [m for m in pool if m.key == "qual" and m.status == "performed"]
    # sites in a clause with a qualifier are that part's extent ("lateral VFA of T4-L4 spine", "lateral
    # spine VFA"), unless a joining word sets them apart as sites of their own before it ("DXA of the
    # lumbar spine and left hip with lateral vertebral fracture assessment")
    return [m for m in pool if m.key == "site" and m.status == "performed" and p.lex.region_for(m.value, f.modality)
            and not any(_clause(p.text, q.start) == _clause(p.text, m.start)
                        and not (m.end <= q.start and _JOINED_BEFORE_RX.search(p.text, m.end, q.start)) for q in quals)]


# a joining word between a site and a later qualifier of its clause: the site is not the qualifier's extent
_JOINED_BEFORE_RX = re.compile(r"\bwith\b|\bw/|\bplus\b|\+|\band\b", re.IGNORECASE)


def _clause(text: str, at: int) -> int:
    """Start offset of the clause (between ";", "." and line ends) holding offset ``at``."""
    return max(text.rfind(c, 0, at) for c in ";.\n") + 1


def _clause_end(text: str, at: int) -> int:
    """End offset of the clause holding offset ``at`` (see :func:`_clause`)."""
    ends = [i for i in (text.find(c, at) for c in ";.\n") if i != -1]
    return min(ends) if ends else len(text)


# a narrative's sentence that says the scan covered a region ("[per protocol scan extended through pelvis]",
# "coverage included the pelvis"): the extent performed, wherever the sentence stands in the body
_SCAN_EXTENDED_RX = re.compile(r"\b(?:extended|extending|coverage|covered|included|scanned)\b", re.IGNORECASE)
# ... which, with the pelvis named after it, makes the body of a CT abdomen worth reading (needs_fallback)
SCAN_EXTENDED_PELVIS_RX = re.compile(r"\b(?:extended|extending|coverage|covered|included|scanned)\b[^.;\n]{0,40}?"
                                     r"\bpelvi", re.IGNORECASE)


def _sole_region(f: Frame, region: str, p: Pools) -> bool:
    """Do the other frames name no region of the frame's modality but its own (a vessel territory of a
    CTA title: "CTA ABDOMEN MESENTERIC")?"""
    return all(p.lex.region_for(s, f.modality) in (None, region) for s in p.frame_sites if s != f.site)


def resolve_extent(f: Frame, p: Pools) -> None:
    """CT of the abdomen whose technique or addendum documents the pelvis scanned too is the
    combined abdomen-pelvis study; a CT abdomen-pelvis whose technique says the abdomen was not
    imaged is the pelvis alone (CODING_RULES §3, §6: the performed extent is billed)."""
    region = p.lex.region_for(f.site, "CT") or (p.lex.region_for(f.site, f.modality) if p.multi else None)
    if f.modality == "CT" and not p.multi and region == "pelvis":
        # "CT PELVIS" whose technique or addendum says the abdomen and pelvis were scanned ("the
        # technologist scanned the full abdomen and pelvis"): the combined study (CODING_RULES §3, §6)
        both = [m for m in p.perf + p.addendum if m.key == "site" and m.value == "abdomen_pelvis"
                and m.status == "performed"]
        if both:
            f.conflicts.append(Conflict("region", f.site, "abdomen_pelvis", f.evidence.get("site", []), both))
            f.site = "abdomen_pelvis"
            f.add("site", both, "technique")
        return
    if f.modality not in ("CT", "CTA") or region not in ("abdomen", "abdomen_pelvis") \
            or p.multi and not _sole_region(f, region, p):
        return
    perf = p.perf
    if not perf:
        # a narrative: the rest of the sentence that names the exam says how it was done
        body = [m for m in p.fallback if m.section == "body"]
        perf = [m for m in body if m.doc_id == body[0].doc_id and m.sent == 0
                or m.key == "site" and m.value in ("pelvis", "abdomen_pelvis") and m.status == "performed"
                and _SCAN_EXTENDED_RX.search(p.text, *sentence_bounds(p.text, m.start))] if body else []
    # the regions themselves, not organs ("IV contrast was not given because of the kidneys")
    said = [m for m in perf + p.addendum if m.key == "site" and m.value in ("abdomen", "pelvis", "abdomen_pelvis")]
    pelvis = [m for m in said if m.value != "abdomen"]
    if region == "abdomen_pelvis":
        # "the pelvis was not scanned", an addendum's "the pelvis was not imaged": the abdomen alone
        undone = [m for m in perf + [m for m in p.fallback if m.section == "addendum"]
                  if m.key == "site" and m.value == "pelvis" and m.status == "negated" and said_undone(m, p.text)]
        if undone and not any(m.status == "performed" and m.value == "pelvis" and m.section != "addendum"
                              and (m.doc_id, m.sent) > max((u.doc_id, u.sent) for u in undone) for m in said) \
                and not any(m.value == "abdomen" and m.status == "negated" for m in said):
            f.conflicts.append(Conflict("region", f.site, "abdomen", f.evidence.get("site", []), undone))
            f.site = "abdomen"
            f.add("site", undone, "technique")
            return
    if any(m.status == "negated" for m in pelvis):
        return
    abdomen_undone = [m for m in said if m.value == "abdomen" and m.status == "negated"]
    if region == "abdomen" and any(m.status == "performed" for m in pelvis):
        to, ms = "abdomen_pelvis", pelvis
    elif region == "abdomen_pelvis" and abdomen_undone and pelvis:
        to, ms = "pelvis", pelvis + abdomen_undone
    else:
        return
    f.conflicts.append(Conflict("region", f.site, to, f.evidence.get("site", []), ms))
    f.site = to
    f.add("site", ms, "technique")


def resolve_undone_part(f: Frame, p: Pools) -> None:
    """An exam of a composite region the lexicon splits into codes ("CT CHEST/ABD/PELVIS": chest + abdomen-pelvis)
    whose technique says one part was not scanned ("after the chest acquisition the patient asked to stop; the
    abdomen and pelvis were not scanned") and never scanned after, is the other part alone when one is left
    (CODING_RULES §6: bill what was performed, not what was ordered); the title becomes a conflict."""
    if p.multi or f.sources.get("site") != "title":
        return
    split = next((r for r in p.lex.of_type("split") if f.modality in r.data["modalities"]
                  and r.data["region"] == f.site and "when_qualifier" not in r.data), None)
    if split is None:
        return
    into = split.data["into"]
    sites = [m for m in p.perf if m.key == "site" and m.section == "technique"]
    undone = [m for m in sites if m.status == "negated" and m.value in into and said_undone(m, p.text)]
    if not undone:
        return
    first = min((m.doc_id, m.sent) for m in undone)
    gone = {m.value for m in undone if not any(o.status == "performed" and o.value == m.value
                                               and (o.doc_id, o.sent) > first for o in sites)}
    left = [x for x in into if x not in gone]
    done = [m for m in sites if m.status == "performed" and m.value in left]
    if len(left) != 1 or not done:
        return
    f.conflicts.append(Conflict("region", f.site, left[0], f.evidence.get("site", []), undone + done))
    f.site = left[0]
    f.add("site", undone + done, "technique")


# the extent of a leg CTA that starts below the abdomen ("from the common femoral artery to the foot", "groin to
# toes", "femoral to feet", "from the femoral heads through the feet")
_LEGS_ONLY_EXTENT_RX = re.compile(
    r"\bfrom\s+(?:the\s+)?(?:level\s+of\s+the\s+)?(?:common\s+femoral|femoral|groins?|inguinal|hips?)\b|"
    r"\b(?:common\s+femoral|femoral|groins?|inguinal)\s+(?:\w+\s+)?(?:to|through|thru)\s+(?:the\s+)?(?:feet|foot|toes?|ankles?)\b",
    re.IGNORECASE)
# an aorta named as the start of the coverage, not its bifurcation alone ("from the aortic bifurcation")
_AORTA_BIFURCATION_RX = re.compile(r"\s*bifurcation\b", re.IGNORECASE)


def resolve_leg_cta_extent(f: Frame, p: Pools) -> None:
    """The CTA "runoff" code 75635 is the abdominal aorta with both legs (CODING_RULES §3): a runoff CTA of
    one leg, or of the legs whose title leaves the abdomen out ("RUNOFF - NO ABDOMEN") or whose technique
    starts the coverage at the groin ("from the common femoral artery to the foot"), with no aorta
    imaged, is the lower extremity CTA (73706 per leg); a CTA titled for both legs whose technique covers
    the abdominal aorta ("from the level of the renal arteries (abdominal aorta) through the feet") is the
    runoff code (CODING_RULES §6: the technique wins)."""
    if f.modality != "CTA" or p.multi or p.frame_source != "exam":
        return
    region = p.lex.region_for(f.site, "CTA")
    if region not in ("aorta_runoff", "lower_extremity"):
        return
    tech = [m for m in p.perf if m.section == "technique"]
    aorta = [m for m in tech if m.key == "site" and m.value in ("aorta", "abdomen", "abdomen_pelvis")
             and m.status == "performed" and not _AORTA_BIFURCATION_RX.match(p.text, m.end)]
    if region == "lower_extremity":
        if f.side == "bilateral" and aorta:
            f.conflicts.append(Conflict("region", f.site, "aorta_runoff", f.evidence.get("site", []), aorta))
            f.site = "runoff"
            f.add("site", aorta, "technique")
        return
    if aorta or any(m.key == "site" and m.value in ("aorta", "abdomen") and m.status == "performed" for m in p.title):
        return
    if f.side in ("left", "right"):
        to = "lower_extremity"
    elif any(m.key == "site" and m.value in ("abdomen", "aorta") and m.status == "negated" for m in p.title) \
            or any(_LEGS_ONLY_EXTENT_RX.search(p.text, sec.start, sec.end) for sec in p.sections
                   if sec.name in ("technique", "subtitle")):
        to = "lower_extremity"
    else:
        return
    f.site = to
    f.sources["site"] = "technique"


# what says a region named before it was left out of the scan ("the pelvis was not included")
_EXTENT_UNDONE_RX = re.compile(r"\bnot\s+(?:be\s+|been\s+)?(?:included|covered)\b", re.IGNORECASE)


def said_undone(m: Mention, text: str) -> bool:
    """Does the rest of the mention's sentence say it was not imaged ("the pelvis was not scanned"),
    rather than a finding in it being absent ("no pelvic fluid")?"""
    tail = _SENTENCE_RX.match(text, m.end)
    if tail is None:
        return False
    cue = SIDE_UNDONE_RX.search(tail.group()) or _EXTENT_UNDONE_RX.search(tail.group())
    # (one series left out, "the pelvis was not imaged before contrast": the region was imaged after it,
    # and the without-then-with code covers a non-contrast series of one region, CODING_RULES §2)
    return cue is not None and not _ONE_SERIES_ONLY_RX.match(tail.group(), cue.end())


_ONE_SERIES_ONLY_RX = re.compile(r"\s+(?:(?:on|in|with|during)\s+(?:the\s+)?)?(?:before|prior\s+to|pre-?\s*contrast|"
                                 r"pre-?\s*injection|without|non-?\s*contrast|unenhanced|until)\b", re.IGNORECASE)


_NOT_IMAGED_RX = re.compile(r"\binstead\b|\bnot\s+(?:\w+\s+){0,2}?(?:measurable|evaluable|assessable|analy[sz]able)\b|"
                            r"\bunable\b|\bcould\s+(?:not\s+)?be\s+(?:measured|analy[sz]ed|imaged|scanned|evaluated|"
                            r"assessed|obtained)\b|\bcould\s+not\b", re.IGNORECASE)


# parts named together as not measured or imaged ("Neither hip nor the lumbar spine is measurable")
_NEITHER_MEASURED_RX = re.compile(r"\bneither\b[^.;\n]*?\b(?:measur\w*|scanned|imaged|evaluable|assessable|obtained)\b",
                                  re.IGNORECASE)


def _said_not_imaged(m: Mention, text: str) -> bool:
    """Does the sentence of a negated site say the anatomy was not imaged ("hip and spine measurements were
    not obtained", "imaged instead of the ankle", "neither hip is measurable"), not a finding in it absent?"""
    a, b = sentence_bounds(text, m.start)
    return any(rx.search(text, a, b) for rx in (EXAM_NOT_DONE_RX, SIDE_UNDONE_RX, _NOT_IMAGED_RX))


def resolve_performed_site(f: Frame, p: Pools) -> None:
    """A title site the technique says was not imaged, with anatomy of another code region of the
    same modality imaged instead ("DXA HIP AND SPINE": "hip and spine were not obtained; the left
    forearm was scanned instead"; "MRI ANKLE": "the forefoot was imaged instead of the ankle"), is
    billed as the anatomy performed (CODING_RULES §6); the title becomes a conflict."""
    if p.multi or p.frame_source != "exam" or f.sources.get("site") != "title":
        return
    titled = {m.value for m in f.evidence.get("site", [])}
    here = p.lex.region_for(f.site, f.modality)
    sites = [m for m in p.perf if m.key == "site" and p.lex.region_for(m.value, f.modality)]
    # (a finding negated, "NO PE", "no effusion", says nothing of what was imaged: only a sentence saying the
    # anatomy was not imaged or was replaced undoes it)
    undone = [m for m in sites if m.status == "negated" and m.value in titled and _said_not_imaged(m, p.text)]
    if titled == {here} and {m.value for m in undone} != titled:
        # a title naming the region itself ("DXA BONE DENSITY AXIAL"): the technique undoes it by its
        # parts ("neither hip nor the lumbar spine is measurable"), none of its parts performed
        parts = [m for m in sites if p.lex.region_for(m.value, f.modality) == here and m.value not in titled]
        # (each part said not imaged, not a finding in it absent: "No coronary artery calcium" under a
        # calcium score's technique leaves the heart imaged)
        if parts and all(m.status == "negated" and (_said_not_imaged(m, p.text) or _NEITHER_MEASURED_RX.search(
                p.text, *sentence_bounds(p.text, m.start))) for m in parts):
            undone = parts
            titled = {m.value for m in parts}
    if not titled or not undone or {m.value for m in undone} != titled:
        return
    # what was imaged instead is named with the statement that the title's anatomy was not ("X
    # instead of Y") or after it ("... were not obtained. The forearm was scanned instead")
    first = min((m.doc_id, m.sent) for m in undone)
    if any(m.status == "performed" and m.value in titled and (m.doc_id, m.sent) > first for m in sites):
        return  # ("Biopsy not repeated. Two antennas placed under CT guidance": the titled guidance was done after)
    done = [m for m in sites if m.status == "performed" and (m.doc_id, m.sent) >= first
            and p.lex.region_for(m.value, f.modality) != here and m.value not in titled]
    level = min((_generic(p.lex, m.value) for m in done), default=0)
    done = [m for m in done if _generic(p.lex, m.value) == level]  # "forefoot ... joints": the foot
    regions = {p.lex.region_for(m.value, f.modality) for m in done}
    if len(regions) != 1:
        return
    to = done[0].value
    f.conflicts.append(Conflict("region", f.site, to, f.evidence.get("site", []), undone + done))
    f.site = to
    f.evidence["site"] = list(done)
    f.sources["site"] = "technique"


# anatomy a technique names as included in the film of another part ("including the wrist and elbow
# joints", "to include the ankle", "with the knee included")
_INCLUDED_BEFORE = re.compile(r"\b(?:including|includes|included|to\s+include|inclusive\s+of)\b[\w\s,/-]{0,30}$",
                              re.IGNORECASE)
_INCLUDED_AFTER = re.compile(r"[ \t]+(?:joints?[ \t]+)?(?:(?:is|are|was|were)[ \t]+)?included\b", re.IGNORECASE)


def resolve_technique_site(f: Frame, p: Pools) -> None:
    """A radiograph whose technique documents its views of another part of the limb than the title's
    ("XR WRIST LEFT 2 VIEWS": "Left forearm, AP and lateral, including the wrist and elbow joints"; "XR
    ANKLE RIGHT": "AP, oblique and lateral views of the right foot") is billed as the part imaged
    (CODING_RULES §6: the technique wins); the title becomes a conflict. A part the technique names only
    as included in the film, or the title's own part named in the technique, changes nothing."""
    if p.multi or p.frame_source != "exam" or f.modality != "XR" or f.sources.get("site") != "title":
        return
    titled = {m.value for m in f.evidence.get("site", [])}
    here = p.lex.region_for(f.site, "XR")
    if here is None or not _has_sides(p.lex, f.site, "XR"):
        return
    sites = [m for m in p.perf if m.key == "site" and m.status == "performed" and m.section == "technique"
             and p.lex.region_for(m.value, "XR") is not None]
    named = [m for m in sites if not _INCLUDED_BEFORE.search(p.text, max(0, m.start - 45), m.start)
             and not _INCLUDED_AFTER.match(p.text, m.end)]
    if any(m.value in titled or p.lex.region_for(m.value, "XR") == here for m in named):
        return
    projs = {(m.doc_id, m.sent) for m in p.perf if m.key in ("proj", "views") and m.section == "technique"}
    other = [m for m in named if (m.doc_id, m.sent) in projs and _has_sides(p.lex, m.value, "XR")
             and _generic(p.lex, m.value) == _generic(p.lex, f.site)]
    if len({p.lex.region_for(m.value, "XR") for m in other}) != 1:
        return
    f.conflicts.append(Conflict("region", f.site, other[0].value, f.evidence.get("site", []), other))
    f.site = other[0].value
    f.evidence["site"] = list(other)
    f.sources["site"] = "technique"


# what joins a projection to the hip it is of ("cross-table lateral of the left hip", "frog-leg lateral
# views of both hips", "frog lateral R hip", "AP and lateral views of the right hip")
_HIP_VIEW_GAP = re.compile(r"[ \t]+(?:(?:views?|projections?|images?|films?)[ \t]+)?(?:of[ \t]+)?"
                           r"(?:the[ \t]+)?(?:(?:both|each|bilateral|right|left|rt|lt|r|l)[ \t]+)?", re.IGNORECASE)
# a hip named with its own count of views ("right hip 2 views", "L hip two views")
_HIP_COUNT_AFTER = re.compile(r"[ \t]+(?:\d|one|two|three|four)[ \t]*(?:views?|vws?|v)\b", re.IGNORECASE)
_BOTH_HIPS = re.compile(r"\b(?:both|each|bilateral)[ \t]+hips?\b|\bhips\b", re.IGNORECASE)


def resolve_hip_series(f: Frame, p: Pools) -> None:
    """A pelvis radiograph whose technique documents a view of a hip itself ("AP pelvis and
    cross-table lateral of the right hip", "XR PELVIS AP and right hip 2 views") is the hip series,
    whose codes include the pelvis view (CODING_RULES §4: 73501-73503 one side, 73521-73523 both);
    the title's pelvis becomes a conflict. A hip named in a finding ("right hip joint space
    narrowing") describes the pelvis film."""
    if f.modality != "XR" or p.multi or p.lex.region_for(f.site, "XR") != "pelvis":
        return
    pool = [m for m in p.perf if m.status == "performed"] if f.sources.get("site") == "title" and p.perf \
        else [m for m in p.fallback if m.status == "performed" and m.section == "body" and m.sent == 0]
    projs = [m for m in pool if m.key == "proj"]
    hips = []
    for h in (m for m in pool if m.key == "site" and m.value == "hip"):
        if _HIP_COUNT_AFTER.match(p.text, h.end) or any(
                m.doc_id == h.doc_id and m.end <= h.start and _HIP_VIEW_GAP.fullmatch(p.text, m.end, h.start)
                for m in projs):
            hips.append(h)
    if not hips:
        return
    sides = {m.value for m in pool if m.key == "side" and m.value in ("left", "right")
             and any(m.doc_id == h.doc_id and abs(m.start - h.start) <= 6 for h in hips)}
    both = any(_BOTH_HIPS.search(p.text, max(0, h.start - 12), h.end + 1) for h in hips)
    side = "bilateral" if both or len(sides) == 2 else sides.pop() if sides else None
    if side is None:
        return
    f.conflicts.append(Conflict("region", f.site, "hip", f.evidence.get("site", []), hips))
    f.site = "hip"
    f.quals.add("with_pelvis")
    f.side = side
    f.evidence["site"] = list(hips)
    f.sources["site"] = "technique"
    f.evidence.pop("side", None)
    f.sources.pop("side", None)
    f.add("side", [m for m in pool if m.key == "side" and m.value in ("left", "right", "bilateral")
                   and any(abs(m.start - h.start) <= 6 for h in hips)], "technique")


# a statement that an exam named in the title was not done ("Forearm DXA was ordered but cancelled at the
# scanner", "the hand views were not obtained", "CT of the cervical spine was deferred"); a finding's
# negation ("no cervical spine fracture") says nothing about it
EXAM_NOT_DONE_RX = re.compile(r"\b(?:cancel+ed|aborted|deferred|omitted|not\s+(?:be\s+|been\s+)?(?:performed|obtained|done|"
                               r"scanned|imaged|acquired|examined|included))\b", re.IGNORECASE)
_NOT_DONE_SECTIONS = ("technique", "body", "findings", "addendum")


# a word before a procedure's name that makes it the reason for the study, done before it ("KUB - POST ERCP
# STENT", "XR ABDOMEN S/P ERCP", "CHEST AFTER BRONCHOSCOPY")
_DONE_BEFORE_RX = re.compile(_DONE_BEFORE_CUE + "$", re.IGNORECASE)


def procedure_before_radiograph(ex: Extraction, frames: list[Frame]) -> list[Frame]:
    """A fluoroscopic procedure the title names after "post" / "s/p" / "after" beside a radiograph ("XR
    ABDOMEN 1 VIEW (KUB) - POST ERCP STENT"): the procedure was done before, the radiograph checks its
    result; only the radiograph is this report's exam (CODING_RULES §6)."""
    if len(frames) < 2 or not any(f.modality == "XR" for f in frames):
        return frames
    text = ex.clean or ex.text

    def before(f: Frame) -> bool:
        said = f.evidence.get("modality", [])
        return f.modality == "FL" and bool(said) and all(
            m.section in ("exam", "subtitle") and _DONE_BEFORE_RX.search(text, max(0, m.start - 16), m.start)
            for m in said)

    keep = [f for f in frames if not before(f)]
    return keep if keep else frames


# a radiograph's part that lies within another part the title names ("XR FOOT LEFT 3V / TOES", "LEFT FOOT 2
# VIEWS; ... plantar calcaneal spur"): the containing part's series shows it
_NESTED_XR_PARTS = {"toe": "foot", "calcaneus": "foot", "finger": "hand"}
_NOT_A_VIEWS_STATEMENT = frozenset({"history", "comparison", "impression", "ordered", "allergy"})


def part_within_series(ex: Extraction, frames: list[Frame]) -> list[Frame]:
    """A radiograph of a part (toes, calcaneus, fingers) beside one of the part that contains it (foot,
    hand) whose report states projections of the containing part and none of the part itself: the
    containing part's series includes it, no second code (CODING_RULES §4, §6)."""
    xr = {f.site for f in frames if f.modality == "XR"}
    if len(frames) < 2 or not any(_NESTED_XR_PARTS.get(site) in xr for site in xr):
        return frames
    live = [m for m in ex.mentions if m.status == "performed" and m.section not in _NOT_A_VIEWS_STATEMENT]
    projected = {(m.doc_id, m.sent) for m in live if m.key == "proj"}

    def views_of(site: str) -> bool:
        return any(m.key == "site" and m.value == site and (m.doc_id, m.sent) in projected for m in live)

    return [f for f in frames if not (f.modality == "XR" and _NESTED_XR_PARTS.get(f.site) in xr
                                      and views_of(_NESTED_XR_PARTS[f.site]) and not views_of(f.site))]


# the parts a single film from the nose to the rectum covers
_NOSE_TO_RECTUM_PARTS = frozenset({"abdomen", "abdomen_pelvis", "chest", "neck", "pelvis"})


# a loopogram named by the word alone: the urinary conduit's study (74425) or a bowel loop's (a distal colostogram)
_LOOPOGRAM_RX = re.compile(r"^loopogram$", re.IGNORECASE)


def bowel_loopogram(frames: list[Frame]) -> list[Frame]:
    """A loopogram the title names beside a contrast study of the colon ("CONTRAST ENEMA (LOOPOGRAM -
    DISTAL)": a distal colostogram through the mucous fistula) is that colon study's loop, no urinary
    conduit study of its own (74425): one exam, the colon's (74270)."""
    if len(frames) < 2 or not any(f.modality == "FL" and f.site == "colon" for f in frames):
        return frames
    return [f for f in frames if not (f.modality == "FL" and f.site == "urinary_tract" and (
        said := f.evidence.get("site", [])) and all(_LOOPOGRAM_RX.match(m.text.strip()) for m in said))]


def nose_to_rectum_film(frames: list[Frame], ex: Extraction | None = None) -> list[Frame]:
    """A foreign-body film from the nose to the rectum ("XR ABDOMEN FOREIGN BODY (NOSE TO RECTUM), 1 VIEW")
    covers the abdomen, chest and neck its title names: one film, one code (76010). So does the film the
    technique or findings say went from the nose to the rectum under a title naming only its parts ("XR
    CHEST AND ABDOMEN ... Single AP view from the nose to the rectum", "XR ABDOMEN ... nose to rectum")."""
    if ex is not None and frames and all(f.modality == "XR" and f.site in _NOSE_TO_RECTUM_PARTS for f in frames) and (
            said := [m for m in ex.mentions if m.key == "site" and m.value == "nose_to_rectum"
                     and m.status == "performed" and m.section in ("technique", "findings", "body")]):
        film = Frame("XR", "nose_to_rectum", region="nose_to_rectum", views=min((f.views for f in frames if f.views),
                                                                                 default=None))
        for f in frames:
            film.quals |= f.quals
            for attr in ("modality", "views"):
                if attr in f.evidence and attr not in film.evidence:
                    film.add(attr, f.evidence[attr], f.sources.get(attr, "title"))
        film.add("site", said, "findings")
        return [film]
    if len(frames) < 2 or not any(f.modality == "XR" and f.site == "nose_to_rectum" for f in frames):
        return frames
    return [f for f in frames if not (f.modality == "XR" and f.site in _NOSE_TO_RECTUM_PARTS)]


def cancelled_title_exams(ex: Extraction, frames: list[Frame], lex: Lexicon,
                          undone_read: list[Mention] | None = None) -> list[Frame]:
    """A title that names several exams ("DXA LUMBAR SPINE AND FOREARM", "XR WRIST AND HAND") whose
    report says one of them was not done ("forearm DXA was ordered but cancelled") and only speaks of
    its anatomy to say so bills the others (CODING_RULES §6: bill what was performed); the dropped exam
    becomes a title conflict of the first one kept. An angiogram the title names beside another modality's
    exam is also named by its modality ("Coronary CTA was not performed" after the calcium score).
    ``undone_read``: the mentions of the unread body sentences that say an exam was not done."""
    if ex.frame_source != "exam" or len(frames) < 2:
        return frames
    frames = _replaced_title_exams(ex, frames, lex)
    pool = ex.mentions + (undone_read or [])
    said = [m for m in pool if m.key in ("site", "modality") and m.section in _NOT_DONE_SECTIONS]
    if not said:
        return frames
    frames = _undone_title_modality(ex, frames, said)
    plain = {f.modality for f in frames if f.modality not in ("CTA", "MRA")}
    angio_alone = {f.modality for f in frames if f.modality in ("CTA", "MRA")} - plain if plain else set()
    angio_sents = {(m.doc_id, m.sent): m.value for m in said if m.key == "modality" and m.value in angio_alone}

    def own(f: Frame) -> list[Mention]:
        here = lex.region_for(f.site, f.modality) or f.site
        sites = [m for m in said if m.key == "site" and (m.value == f.site or (
            lex.region_for(m.value, f.modality) or m.value) == here)]
        if f.modality not in angio_alone:
            return sites
        # an angiogram beside another modality's exam of the same anatomy: its own sentences name it
        return [m for m in said if angio_sents.get((m.doc_id, m.sent)) == f.modality
                and (m.key == "modality" or m in sites)]

    # a sentence that undoes a contrast series ("Abdomen and pelvis post-contrast images were not obtained
    # because the injector failed") leaves the plain series of its anatomy done (CODING_RULES §2, §6)
    series_undone = {(m.doc_id, m.sent) for m in ex.mentions if m.key == "contrast" and m.value == "with"
                     and m.status == "negated" and m.section in _NOT_DONE_SECTIONS}

    def undone(m: Mention) -> bool:
        return (m.doc_id, m.sent) not in series_undone and (_said_undone(m, ex.text) or _scout_only(m, ex.text))

    drop = [f for f in frames if f.sources.get("site") == "title" and own(f) and all(undone(m) for m in own(f))
            and any(_said_undone(m, ex.text) for m in own(f))]
    keep = [f for f in frames if f not in drop]
    if not drop or not any(m.status == "performed" for f in keep for m in own(f)):
        return frames  # every exam named undone (or none said done): nothing to choose
    for f in drop:
        keep[0].conflicts.append(Conflict("region", f.site, "not performed", f.evidence.get("site", []), own(f)))
    return keep


# a sentence that says none of a part's images were taken ("no dedicated small FOV hip sequences were obtained",
# "No dedicated ankle views were obtained"): that part was not imaged
_NONE_OBTAINED_RX = re.compile(r"\bno\s+(?:[\w/-]+\s+){0,4}?(?:sequences?|images?|views?|series|films?|radiographs?)\s+"
                               r"(?:was|were|(?:have|had)\s+been)\s+(?:performed|obtained|done|acquired|taken)\b",
                               re.IGNORECASE)


# a scout (topogram, localizer) said to be what was taken of a part, with no diagnostic series named in its sentence
# ("For the abdomen/pelvis, a scout topogram was obtained, after which the patient pulled his IV"): no exam of it
_SCOUT_RX = re.compile(r"\b(?:scouts?|topograms?|localizers?|scanograms?|surview)\b", re.IGNORECASE)
_DIAGNOSTIC_SERIES_RX = re.compile(r"\b(?:axial|helical|spiral|contiguous|thin|sections?|slices?|series|phases?|"
                                   r"sequences?|reformat\w*|reconstruct\w*|contrast)\b", re.IGNORECASE)


def _scout_only(m: Mention, text: str) -> bool:
    """A part's mention in a sentence that says only its scout was taken (CODING_RULES §6: a scout alone is
    no diagnostic exam); the caller asks it only of a title exam the report also says was not done."""
    a, b = sentence_bounds(text, m.start)
    return _SCOUT_RX.search(text, a, b) is not None and _DIAGNOSTIC_SERIES_RX.search(text, a, b) is None


def _said_undone(m: Mention, text: str) -> bool:
    """A mention not said performed, in a sentence that says an exam was not done ("was not performed",
    "cancelled", "no dedicated hip sequences were obtained")."""
    if m.status == "performed":
        return False
    a, b = sentence_bounds(text, m.start)
    return EXAM_NOT_DONE_RX.search(text, a, b) is not None or _NONE_OBTAINED_RX.search(text, a, b) is not None


def _undone_title_modality(ex: Extraction, frames: list[Frame], said: list[Mention]) -> list[Frame]:
    """Two exams a title names on one anatomy by different modalities ("DIAGNOSTIC MAMMOGRAM RT W/TOMO + US RT
    BREAST"): the one whose modality the report says was not performed ("US was not needed for calcifications and
    was not performed"), and never says was done, is not billed (CODING_RULES §6); the other exam keeps a modality
    conflict. The anatomy the two share cannot tell which one was undone, the modality's own words can."""
    titled = [f for f in frames if f.sources.get("site") == "title" and f.sources.get("modality") == "title"]
    drop: list[tuple[Frame, Frame, list[Mention]]] = []
    for f in titled:
        other = next((g for g in titled if g.modality != f.modality and g.site == f.site), None)
        ms = [m for m in said if m.key == "modality" and m.value == f.modality]
        if other is not None and ms and all(_said_undone(m, ex.text) for m in ms):
            drop.append((f, other, ms))
    if len(drop) != 1:  # (both said undone: nothing to choose)
        return frames
    f, other, ms = drop[0]
    other.conflicts.append(Conflict("modality", f.modality, other.modality, f.evidence.get("modality", []), ms))
    return [g for g in frames if g is not f]


# the exam a report says another was done in place of ("MRI LEFT HIP PERFORMED IN PLACE OF PELVIS", "CT of the
# chest was performed instead of the abdomen and pelvis CT")
_REPLACED_RX = re.compile(r"\b(?:in\s+place\s+of|instead\s+of)\s+(?:(?:the|an?|ordered|requested|planned|"
                          r"scheduled)\s+){0,2}$", re.IGNORECASE)
_REPLACED_CLAUSE_ENDS = ".;!?\n|"


def _replaced_title_exams(ex: Extraction, frames: list[Frame], lex: Lexicon) -> list[Frame]:
    """A title (or an export's order column) naming two exams whose report says one was done in place of
    the other ("MR PELVIS WO | ... DEDICATED MRI LEFT HIP PERFORMED IN PLACE OF PELVIS"): the replaced exam
    was not performed (CODING_RULES §6); it becomes a region conflict of the exam done. The clause before
    the cue must name the anatomy of the exam done."""
    text = ex.text
    replaced = [m for m in ex.mentions if m.key == "site" and m.status == "negated"
                and _REPLACED_RX.search(text, max(0, m.start - 40), m.start)]
    if not replaced:
        return frames

    def region(site: str, f: Frame) -> str:
        return lex.region_for(site, f.modality) or site

    drop: list[tuple[Frame, Frame, Mention]] = []
    for m in replaced:
        cue = _REPLACED_RX.search(text, max(0, m.start - 40), m.start)
        lo = max(text.rfind(c, 0, m.start) for c in _REPLACED_CLAUSE_ENDS) + 1
        done = {x.value for x in ex.mentions if x.key == "site" and x.status == "performed"
                and lo <= x.start < (cue.start() if cue else m.start)}
        gone = [f for f in frames if f.sources.get("site") == "title" and region(m.value, f) == region(f.site, f)]
        kept = [f for f in frames if f not in gone and any(region(v, f) == region(f.site, f) for v in done)]
        if gone and kept:
            drop += [(f, kept[0], m) for f in gone]
    for f, keep, m in drop:
        keep.conflicts.append(Conflict("region", f.site, "not performed", f.evidence.get("site", []), [m]))
    gone_ids = {id(f) for f, _k, _m in drop}
    return [f for f in frames if id(f) not in gone_ids]


def _iv_named(m: Mention, text: str) -> bool:
    """A contrast mention that names the intravenous route, in its words or just before them ("no IV
    contrast", "without intravenous contrast"): in an arthrogram or myelogram, the route not used."""
    return bool(_IV_WORD.search(text, max(0, m.start - 16), m.end))


def resolve_contrast(f: Frame, p: Pools) -> None:
    title_c = f.title_contrast
    tval = contrast_value(title_c)
    if tval == "without" and _followed_by_contrast(title_c, p.text):
        tval = "without_then_with"
    perf_c, pval = _performed_contrast(f, p, tval)
    if any(m.value == "with" and m.status == "negated" and m.section != "contrast" for m in perf_c) and not any(
            m.value == "with" and m.status == "performed" and m.section != "contrast" for m in perf_c):
        # "Post contrast imaging was not performed: patient declined gadolinium" above a templated
        # "CONTRAST: Gadavist 7 mL IV" line: no contrast series was acquired (CODING_RULES §2, §6)
        perf_c = [m for m in perf_c if m.section != "contrast"]
        pval = contrast_value(perf_c)
    if pval == "with" and not p.multi and (_series_before_contrast(perf_c, p.text)
                                           or f.modality == "MR" and (_sequences_listed_before_contrast(perf_c, p.text)
                                                                      or _plain_sequences_sentence(perf_c, p))):
        pval = "without_then_with"  # "T1 and T2 images, followed by T1 images after IV gadolinium"
    injected = _injected_contrast(f, p)
    not_iv = [m for m in perf_c if not ((m.value == "without" or m.value == "with" and m.status == "negated")
                                        and _iv_named(m, p.text))]
    if injected and contrast_value(not_iv) != "without_then_with" and not any(
            m.status == "negated" and m.value == "with" and not _iv_named(m, p.text) for m in perf_c):
        # a CT / MR arthrogram or myelogram: "no IV contrast" names the route not used, and the
        # contrast injected into the joint or the thecal sac makes the study "with" (CODING_RULES §2)
        perf_c = [m for m in perf_c if m.value == "with" and m.status == "performed"] + injected
        pval = "with"
    converted = _converted_to_plain(perf_c, p.text) if pval in ("with", "without_then_with") else []
    if converted:
        # "the study was converted to a noncontrast examination": the contrast named before it was the plan
        perf_c, pval = converted, "without"
    negated_plain = any(m.status == "negated" and m.value == "without" for m in perf_c)
    if pval == "with" and tval == "without_then_with" and not negated_plain \
            and not _acquired_after_contrast(perf_c, p.text) and not _plain_series_of_other_exam(perf_c, p):
        pval = tval  # the technique names the contrast series; the title adds the plain one
    elif pval == "without" and tval == "without_then_with" and not any(m.status == "negated" for m in perf_c) \
            and all(_PRECONTRAST_RX.match(m.text) for m in perf_c if m.value == "without"):
        pval = tval  # "precontrast T1" names the series that precedes the contrast one the title states
    if pval is not None:
        f.contrast = pval
        f.add("contrast", [m for m in perf_c if m.status != "historical"], "technique")
        if tval is not None and tval != pval and _contrast_matters(f):
            f.conflicts.append(Conflict("contrast", tval, pval, title_c, perf_c))
    elif tval is not None:
        f.contrast = tval
        f.add("contrast", title_c, "title")
    _apply_addendum_contrast(f, p.addendum, p.for_frame, p.text, withdrawn=any(
        m.section == "addendum" and m.key == "contrast" and m.value == "with" and m.status == "negated"
        for m in p.fallback))
    _part_contrasts(f, p, perf_c)
    if f.contrast is None and f.modality in _CONTRAST_BY_INJECTION and f.quals & INJECTED_CONTRAST:
        # a CT / MR myelogram or arthrogram images contrast injected into the thecal sac or the
        # joint: a study "with contrast" (CODING_RULES §2) unless the report says otherwise
        f.contrast = "with"
        f.add("contrast", [m for m in f.evidence.get("qual", []) if m.value in INJECTED_CONTRAST], "inferred")


# a study said converted to a plain one ("the study was converted to a noncontrast examination", "changed to an
# unenhanced study"): the plain study is the one performed (CODING_RULES §2, §6)
_CONVERTED_TO_RX = re.compile(r"\b(?:converted|changed|switched)\s+(?:\w+\s+)?to\s+(?:an?\s+)?(?:\w+\s+)?$",
                              re.IGNORECASE)


def _converted_to_plain(perf_c: list[Mention], text: str) -> list[Mention]:
    """The technique's statement that the study was converted to a plain one, with the "without" mentions from it on,
    when no later sentence names a contrast series ("then post-contrast images were obtained through a new line"):
    the contrast named before it (the protocol, the failed injection) was planned, not performed; else []."""
    conv = next((m for m in perf_c if m.value == "without" and m.status == "performed" and m.section == "technique"
                 and _CONVERTED_TO_RX.search(text, sentence_bounds(text, m.start)[0], m.start)), None)
    if conv is None:
        return []
    later = [m for m in perf_c if m.start > conv.start]
    if any(m.value in ("with", "without_then_with") and m.status == "performed"
           and _SERIES_WORD.search(text, *sentence_bounds(text, m.start)) for m in later):
        return []
    return [conv] + [m for m in later if m.value == "without" or m.value == "with" and m.status == "negated"]


# a contrast named after images that another series follows in one sentence: "axial T1 and STIR
# images, followed by fat-suppressed T1 images after intravenous gadobutrol", "dynamic images
# acquired before, during and after the injection" (the plain series first, CODING_RULES §2)
_SERIES_WORD = re.compile(r"\b(?:images?|imaging|sequences?|series|scans?|t1|t2|stir|dwi|diffusion|weighted)\b",
                          re.IGNORECASE)
_THEN_AFTER = re.compile(r"\b(?:followed\s+by|and\s+then|then)\b[^.;:\n]*?\b(?:after|following|post)\b[^.;:\n]*$"
                         r"|\bbefore,?\s+(?:during,?\s+)?and\s+after\b[^.;:\n]*$", re.IGNORECASE)


def _plain_series_of_other_exam(perf_c: list[Mention], p: Pools) -> bool:
    """In a report of several exams, does the sentence of this exam's contrast series state the plain series for
    another exam only ("Unenhanced images of the abdomen, followed by enhanced images of the chest, abdomen and
    pelvis"): the title's "without and with" is not this exam's (CODING_RULES §2, §3: contrast per region)?"""
    if not p.multi:
        return False
    sents = {(m.doc_id, m.sent) for m in perf_c if m.value == "with" and m.status == "performed"}
    return any(m.key == "contrast" and m.value == "without" and m.status == "performed" and m not in perf_c
               and (m.doc_id, m.sent) in sents for m in p.perf)


def _series_before_contrast(perf_c: list[Mention], text: str) -> bool:
    """Is a performed "with" mention the contrast of a series that a plain series of its sentence
    precedes (:data:`_THEN_AFTER`)?"""
    for m in perf_c:
        if m.value != "with" or m.status != "performed":
            continue
        start = max(text.rfind(".", 0, m.start), text.rfind("\n", 0, m.start), text.rfind(";", 0, m.start)) + 1
        head = text[start:m.start]
        hit = _THEN_AFTER.search(head)
        if hit and _SERIES_WORD.search(head, 0, hit.start() if not head[hit.start():].lower().startswith("before")
                                      else len(head)):
            return True
    return False


# the technique says the images were acquired after the contrast ("Axial CT images of the head were
# obtained following the administration of 75 mL Omnipaque"): the study is the contrast series only
# (CODING_RULES §2, §6), whatever the title's "with and without"
_ACQUIRED_AFTER = re.compile(r"\b(?:images?|imaging|scans?|sections?)\b[^.;:\n]{0,60}?\b(?:were|was)\s+"
                             r"(?:obtained|acquired|performed)\s+(?:following|after)\b", re.IGNORECASE)
_PLAIN_SERIES = re.compile(r"\b(?:non-?contrast|unenhanced|pre-?contrast|plain|without|before|prior\s+to|"
                           r"precontrast|non-?enhanced|pre-?\s*and\s+post|additional|also|then|repeat\w*|again)\b",
                           re.IGNORECASE)


def _acquired_after_contrast(perf_c: list[Mention], text: str) -> bool:
    """Does a technique sentence say its images were acquired after the contrast, and no sentence of
    the technique name a plain series?"""
    sents = {sentence_bounds(text, m.start) for m in perf_c if m.section in PERFORMED_SECTIONS}
    if not any(m.value == "with" and m.status == "performed" for m in perf_c):
        return False
    if any(_PLAIN_SERIES.search(text, a, b) for a, b in sents):
        return False
    return any(_ACQUIRED_AFTER.search(text, a, b) for a, b in sents)


# an MR protocol listing plain sequences, then the contrast series by its prefix ("sagittal T1, axial
# T2, FLAIR, DWI, post-contrast axial and coronal T1", "T2 in three planes, DWI, dynamic
# contrast-enhanced T1"): the plain sequences precede the contrast ones (CODING_RULES §2)
_SEQUENCE_LISTED = re.compile(r"\b(?:t1|t2|flair|stir|dwi|diffusion|swi|gre|gradient|pd|proton\s+density)\b[^.;:\n]*?,",
                              re.IGNORECASE)
_CONTRAST_PREFIX = re.compile(r"(?:post|dynamic|contrast[\s-]*enhanced|gadolinium[\s-]*enhanced)", re.IGNORECASE)


def _sequences_listed_before_contrast(perf_c: list[Mention], text: str) -> bool:
    """Is a performed "with" mention a contrast series named by its prefix after a list of plain MR
    sequences in its sentence (:data:`_SEQUENCE_LISTED`)? A list that a contrast series opens
    ("Post-contrast axial and coronal T1, 3D T1 and post-contrast FLAIR") is of contrast series."""
    for m in perf_c:
        if m.value != "with" or m.status != "performed" or not _CONTRAST_PREFIX.match(m.text):
            continue
        start, _end = sentence_bounds(text, m.start)
        if any(o.value == "with" and o.status == "performed" and start <= o.start < m.start for o in perf_c):
            continue
        if _SEQUENCE_LISTED.search(text, start, m.start):
            return True
    return False


# a technique sentence of plain MR sequences ("Sagittal T1, T2 and STIR, axial T2 gradient echo.")
_SEQUENCE_WORD = re.compile(r"\b(?:t1|t2|flair|stir|dwi|diffusion|swi|gre|gradient\s+echo|proton\s+density)\b",
                            re.IGNORECASE)
_NOT_ACQUIRED = re.compile(r"\b(?:not|no)\b", re.IGNORECASE)


def _plain_sequences_sentence(perf_c: list[Mention], p: Pools) -> bool:
    """Does a sentence of the technique that lists MR sequences, names no contrast and negates
    nothing come before the first sentence giving the contrast ("Sagittal T1, T2 and STIR. Following
    IV administration of 7 mL gadoterate, sagittal and axial T1 images were obtained": the plain
    series, then the contrast one, CODING_RULES §2)? The contrast may be given in a contrast section
    of its own right after the technique ("Technique: Sagittal T1, axial T2, FLAIR and DWI. Contrast:
    7 mL Gadavist IV. Postcontrast axial T1"): every sentence of that technique comes before it."""
    withs = [m for m in perf_c if m.value == "with" and m.status == "performed" and m.section in ("technique", "contrast")]
    if not withs:
        return False
    first = min(m.start for m in withs)
    sec = next((s for s in p.sections if s.name == "technique" and s.start <= first < s.end), None)
    if sec is None:
        sec = _technique_before_contrast_section(first, p)
        if sec is None:
            return False
        cut = sec.end
    else:
        cut, _ = sentence_bounds(p.text, first)
    said = [m.start for m in p.perf if m.key in ("contrast", "route")]
    a = sec.start
    while a < cut:
        _, b = sentence_bounds(p.text, a)
        b = min(b, cut)
        if _SEQUENCE_WORD.search(p.text, a, b) and not _NOT_ACQUIRED.search(p.text, a, b) \
                and not any(a <= x < b for x in said):
            return True
        a = b + 1
    return False


def _technique_before_contrast_section(pos: int, p: Pools) -> Section | None:
    """The technique section right before the contrast section holding ``pos`` (no other section between)."""
    i = next((i for i, s in enumerate(p.sections) if s.name == "contrast" and s.start <= pos < s.end), None)
    if i is None or i == 0 or p.sections[i - 1].name != "technique":
        return None
    return p.sections[i - 1]


# "W/O CNTRST, FLWD BY CNTRST & SQNC", "without contrast material(s), followed by contrast ...":
# the plain series followed by the contrast one (CODING_RULES §2), however the words are shortened
_FOLLOWED_BY = re.compile(r"\W*(?:[a-z()]+\W+){0,3}?fo?l+o?w\w*\s+by\b", re.IGNORECASE)


def _followed_by_contrast(title_c: list[Mention], text: str) -> bool:
    """Does a "without" of the title go on with "followed by" (a contrast series) on its line?"""
    for m in title_c:
        if m.value == "without" and m.status == "performed":
            end = text.find("\n", m.end)
            if _FOLLOWED_BY.match(text, m.end, min(m.end + 40, len(text) if end == -1 else end)):
                return True
    return False


_INJECT_RX = re.compile(r"\b(?:inject|instill|introduc|administer)\w*", re.IGNORECASE)


def _injected_contrast(f: Frame, p: Pools) -> list[Mention]:
    """What documents contrast injected into a joint or the thecal sac for this CT / MR: the
    arthrogram / myelogram named in the title or technique, an intra-articular or intrathecal
    route, or a technique sentence that injects contrast into a joint ("10 mL of iodinated
    contrast was injected into the left glenohumeral joint")."""
    if f.modality not in _CONTRAST_BY_INJECTION:
        return []
    ev = [m for m in f.evidence.get("qual", []) if m.value in INJECTED_CONTRAST and m.status == "performed"]
    perf = p.for_frame(p.perf, f, p.perf, p.multi)
    ev += [m for m in perf if m.status == "performed" and (
        m.key == "qual" and m.value in INJECTED_CONTRAST or m.key == "route")]
    if ev:
        return ev
    given = [m for m in perf if m.key == "contrast" and m.value == "with" and m.status == "performed"]
    for j in perf:
        if j.key != "qual" or j.value != "joint" or j.status != "performed":
            continue
        for c in given:
            if (c.doc_id, c.sent) == (j.doc_id, j.sent) and _INJECT_RX.search(
                    p.text, min(c.start, j.start), max(c.end, j.end)):
                return [c, j]
    return []


def _performed_contrast(f: Frame, p: Pools, tval: str | None) -> tuple[list[Mention], str | None]:
    """The contrast the performed sections document (else a CONTRAST: line, else the narrative
    when the title is silent), with its mentions."""
    perf_c = p.for_frame(_read_routes([m for m in p.perf if m.key == "contrast"], p.text), f, p.perf, p.multi)
    perf_c = [m for m in perf_c if not _perfusion_contrast(m, f, p)]
    if p.multi and not perf_c:
        perf_c = _combined_site_series(perf_c, f, p)
    if p.multi and tval is not None:
        # sentences naming this exam's anatomy beat the title; general ones do not
        general = perf_c
        perf_c = [m for m in perf_c if _names_frame(m, f, p.perf, p.index(p.perf), p.lex)
                  or _semicolon_clause_names_frame(m, f, p)]
        perf_c = [m for m in perf_c if not _clause_names_other_exam(m, f, p) and not _clause_names_angiogram(m, f, p)]
        perf_c += _general_contrast_series(general, perf_c, tval, p)
    elif p.multi:
        # (a title silent on contrast: the clause that gives another exam its series is still not this one's,
        # "Noncontrast images through the liver, then portal venous images of the chest, abdomen and pelvis")
        perf_c = [m for m in perf_c if not _clause_names_other_exam(m, f, p)]
    pval = contrast_value(perf_c)
    sec = p.contrast_section
    if pval is None and sec is not None:
        pval = _contrast_section_value(p.text, sec)
        if pval:
            perf_c = [Mention("contrast", pval, sec.start, sec.end, "contrast",
                              p.text[sec.start:sec.end].strip()[:80], 0, -1)]
    if pval is None and p.frame_source == "exam" and tval is None:
        perf_c = p.for_frame([m for m in p.fallback_c if m.key == "contrast"], f, p.fallback, p.multi)
        pval = contrast_value(perf_c)
    elif pval is None and p.frame_source == "exam" and tval in ("with", "without_then_with") \
            and (not p.multi or p.frame_sites == {f.site, *site_parts(f.site, p.lex)}):  # (one exam named twice)
        # a contrast title over a narrative with no technique section that says the contrast was not
        # given ("GADOLINIUM NOT GIVEN - PT DECLINED IV, NONCONTRAST ONLY", "postcontrast images were not
        # obtained and gadolinium was not administered", "CURRENT EXAM PERFORMED WITHOUT IV CONTRAST"):
        # the plain study was done (CODING_RULES §2, §6)
        said = p.for_frame([m for m in p.fallback_c if m.key == "contrast"] + _iv_refused_in_narrative(p),
                           f, p.fallback, p.multi)
        if any(m.value == "with" and m.status == "negated" or m.value == "without" and m.status == "performed"
               for m in said) and not any(m.value in ("with", "without_then_with") and m.status == "performed"
                                          for m in said):
            perf_c = [m for m in said if m.status != "historical"]
            pval = "without"
    return perf_c, pval


def _combined_site_series(perf_c: list[Mention], f: Frame, p: Pools) -> list[Mention]:
    """In a report of several exams where no sentence of this exam's own states its contrast, the contrast
    given in a clause that names a combined site made of this exam's ("followed by contrast enhanced images of
    the chest, abdomen and pelvis" for the chest exam of a title naming the three apart), which a sentence naming
    another exam's anatomy too keeps from it: a contrast series of each exam the combined site is made of
    (CODING_RULES §2, §3). A plain series said of the combined site is left to the title (narrowed at the gate)."""
    return [m for m in p.perf if m.key == "contrast" and m.value == "with" and m not in perf_c and m.status != "historical"
            and any(f.site in site_parts(x, p.lex) for x in _clause_sites(m, p))]


def _general_contrast_series(general: list[Mention], own: list[Mention], tval: str, p: Pools) -> list[Mention]:
    """In a report of several exams titled without then with contrast, a contrast series that a sentence naming no
    exam states after the plain series the exam's own sentences state ("Sagittal T1, T2 and STIR images of the
    cervical, thoracic and lumbar spine were obtained before contrast. After intravenous gadobutrol, sagittal and
    axial T1 images of the entire spine"): the contrast series of every exam, as the title says (CODING_RULES §2);
    not when the report says a contrast was not given (an oral or rectal contrast not given says nothing of the
    intravenous series: "Oral contrast was not administered", CODING_RULES §2)."""
    if tval != "without_then_with" or contrast_value(own) != "without" or any(
            m.key == "contrast" and m.status == "negated" and m.value not in _NON_VASCULAR_ROUTES for m in p.perf):
        return []
    plain = max((m.start for m in own if m.value == "without"), default=None)
    if plain is None:  # (the plain study said by a negated contrast or an oral route alone: no series to follow)
        return []
    return [m for m in general if m not in own and m.value == "with" and m.status == "performed" and m.start > plain]


def _semicolon_clause_names_frame(m: Mention, f: Frame, p: Pools) -> bool:
    """In a report of several exams, does a contrast clause that names no anatomy end in a semicolon
    before a clause naming this exam's anatomy ("Then 100 mL Omnipaque 350 IV; portal venous images of
    the chest, abdomen and pelvis"): the contrast given for the series that clause names (CODING_RULES
    §2, §3)?"""
    idx = p.index(p.perf)
    if idx.get((m.doc_id, m.sent), _NO_SENTENCE)[0]:
        return False
    _, end = sentence_bounds(p.text, m.start)
    if p.text[end:end + 1] != ";":
        return False
    nxt = next((x for x in p.perf if x.start > end and x.doc_id == m.doc_id), None)
    return nxt is not None and nxt.sent != m.sent and _names_frame(nxt, f, p.perf, idx, p.lex)


def _iv_refused_in_narrative(p: Pools) -> list[Mention]:
    """In a report with no technique section (a one-line export: "CT ABD/PEL W | ... | IMP: ... Oral contrast
    only, IV not given"), the findings or impression sentence that says the intravenous contrast was not
    given, naming the route: it states the technique (CODING_RULES §2, §6). Other contrast words there
    describe anatomy ("no extravasation of contrast") and are not read."""
    return [m for m in p.fallback if m.key == "contrast" and m.section in ("findings", "impression")
            and m.value == "with" and m.status == "negated" and _iv_named(m, p.text)
            and not _CONTRAST_FINDING_RX.search(p.text, *sentence_bounds(p.text, m.start))]


# a finding about contrast seen in the body ("no extravasation of IV contrast", "no contrast leak")
_CONTRAST_FINDING_RX = re.compile(r"\b(?:extravasat\w*|leak\w*|blush\w*|pool\w*|opacif\w*|enhanc\w*)",
                                  re.IGNORECASE)


# where a technique sentence turns from one exam's series to the next ("Noncontrast CT of the chest,
# then 100 mL Omnipaque IV and images of the abdomen and pelvis")
_NEXT_SERIES_RX = re.compile(r",?\s*\b(?:and\s+)?(?:then|followed\s+by|after\s+which)\b", re.IGNORECASE)


def _clause_names_other_exam(m: Mention, f: Frame, p: Pools) -> bool:
    """In a report of several exams, does the clause of a contrast mention (its sentence cut at
    "then" / "followed by") name another exam's anatomy and not this one's: the chest without
    contrast, then the abdomen and pelvis after it (CODING_RULES §2, §3: contrast per region)."""
    a, b = sentence_bounds(p.text, m.start)
    if not _series_cuts(p.text, a, b):
        return False
    named = _clause_sites(m, p)
    # (an organ names the region it lies in: "noncontrast images through the liver" are the abdomen's)
    named |= {r for x in named if (r := p.lex.region_for(x, f.modality))}
    mine = {f.site, *site_parts(f.site, p.lex)}
    if not named or named & mine or any(f.site in site_parts(x, p.lex) for x in named):
        return False
    return bool(named & p.frame_sites)


# a "then" inside a clause's verb ("The abdomen and pelvis were then scanned after 100 mL Isovue"): the clause
# goes on with its own subject, no turn to the next exam's series
_THEN_IN_VERB_RX = re.compile(r"\b(?:was|were|is|are|been|being)\s*$", re.IGNORECASE)


def _series_cuts(text: str, a: int, b: int) -> list[int]:
    """Where a sentence turns from one exam's series to the next (:data:`_NEXT_SERIES_RX`)."""
    return [x.start() for x in _NEXT_SERIES_RX.finditer(text, a, b)
            if not _THEN_IN_VERB_RX.search(text, max(a, x.start() - 12), x.start())]


def _clause_bounds(m: Mention, p: Pools) -> tuple[int, int]:
    """The clause of a mention: its sentence cut at "then" / "followed by"."""
    a, b = sentence_bounds(p.text, m.start)
    cuts = _series_cuts(p.text, a, b)
    return max([a] + [c for c in cuts if c <= m.start]), min([b] + [c for c in cuts if c > m.start])


def _clause_sites(m: Mention, p: Pools) -> set[str]:
    """The sites the clause of a mention names (its sentence cut at "then" / "followed by")."""
    lo, hi = _clause_bounds(m, p)
    return {x.value for x in p.perf if x.key == "site" and lo <= x.start < hi and x.status == "performed"}


# a CT perfusion study, which has no code of its own: its contrast is not a plain head CT's
_PERFUSION_STUDY_RX = re.compile(r"\b(?:CT[ \t]+perfusion|perfusion[ \t]+(?:CT|imaging|study|scan|maps?)|CTP)\b",
                                 re.IGNORECASE)


def _perfusion_contrast(m: Mention, f: Frame, p: Pools) -> bool:
    """Is a contrast mention of a plain CT of a report whose title names a CT besides a CT perfusion ("CT PERFUSION HEAD AND
    CT HEAD") in the clause of the perfusion study ("CT perfusion after 40 mL Omnipaque 350 IV"): the perfusion's
    contrast, which does not make the head CT "without then with" (CODING_RULES §2)?"""
    if f.modality != "CT" or not any(x.key == "modality" and x.value == "CT" and not _PERFUSION_STUDY_RX.search(x.text)
                                     for x in p.title):
        return False
    return bool(_PERFUSION_STUDY_RX.search(p.text, *_clause_bounds(m, p)))


def _beside_angiogram(f: Frame, p: Pools) -> bool:
    """Is ``f`` a plain CT / MR of a site an angiographic exam (CTA / MRA) of the report also covers (its site,
    or another word for the angiogram's region: "MRI BRAIN ... MRA HEAD")?"""
    if f.modality not in _ANGIO:
        return False
    angio = _ANGIO[f.modality]
    return f.site in p.angio_sites or (angio, p.lex.region_for(f.site, angio)) in p.angio_regions


def _clause_names_angiogram(m: Mention, f: Frame, p: Pools) -> bool:
    """Beside an angiographic exam of its site ("CT HEAD WO AND CTA HEAD AND NECK"), is a contrast mention
    of a plain CT / MR frame in the clause of the angiographic series ("noncontrast images of the head,
    then angiographic images of the head and neck after 75 mL Omnipaque IV"): the CTA's contrast, the
    plain exam's being the series before it (CODING_RULES §2)?"""
    if not _beside_angiogram(f, p):
        return False
    lo, hi = _clause_bounds(m, p)
    return any(lo <= x.start < hi and x.status == "performed" and (
        x.key == "qual" and x.value == "angio" or x.key == "modality" and x.value in _ANGIO.values()) for x in p.perf)


def _part_contrasts(f: Frame, p: Pools, perf_c: list[Mention]) -> None:
    """A composite exam billed as several codes (chest/abdomen/pelvis: chest + abdomen-pelvis) whose
    technique names its plain or its contrast series for some parts only ("Noncontrast images of the
    abdomen, followed by portal venous images of the chest, abdomen and pelvis"; "CT of the chest
    without contrast, followed by the abdomen and pelvis after IV contrast"): each part takes the
    series its clauses name (CODING_RULES §2, §3: contrast per region)."""
    if f.contrast != "without_then_with" or f.modality != "CT":
        return  # (a CT angiogram includes its contrast and its plain series; MR plain sequences carry no "without")
    split = next((r for r in p.lex.of_type("split") if f.modality in r.data["modalities"]
                  and r.data["region"] == f.site), None)
    if split is None:
        return
    into = split.data["into"]
    ms = [m for m in perf_c if m.status == "performed" and m.value in ("without", "with", "without_then_with")]
    parts = _series_parts(ms, f, p, into)
    if len(parts) < len(into):
        # a sentence that gives every part its series ("CT of the chest without contrast, followed by CT of the
        # abdomen and pelvis with intravenous contrast") decides over the report's remarks on the injection
        # elsewhere ("the chest was acquired before injection as the arm IV infiltrated")
        # (unless another sentence states a series of a part otherwise: "Post-contrast images of the chest were
        # also obtained")
        for key in sorted({(m.doc_id, m.sent) for m in ms}):
            own = _series_parts([m for m in ms if (m.doc_id, m.sent) == key], f, p, into)
            if len(own) == len(into) and len(set(own.values())) > 1 and not any(
                    _states_other_series(m, own, f, p, into) for m in ms if (m.doc_id, m.sent) != key):
                parts = own
                break
    f.part_contrast.update(parts)


_SERIES_STATED_RX = re.compile(r"\b(?:images?|imaging|series|scans|phases?|post|enhanc\w*|sequences?)\b", re.IGNORECASE)


def _states_other_series(m: Mention, own: dict[str, str], f: Frame, p: Pools, into: list[str]) -> bool:
    """Does a contrast mention give a part another series than ``own`` in a sentence about images or a phase?"""
    sites = _clause_sites(m, p)
    if not sites or f.site in sites:
        sites = set(into)
    vals = ("without", "with") if m.value == "without_then_with" else (m.value,)
    sites |= {r for x in sites if (r := p.lex.region_for(x, f.modality))}
    hit = [part for part in into if own.get(part) not in vals and (
        {part, *site_parts(part, p.lex)} & sites or any(part in site_parts(x, p.lex) for x in sites))]
    return bool(hit) and _SERIES_STATED_RX.search(p.text, *sentence_bounds(p.text, m.start)) is not None


# a part named as what the injection came after ("Contrast injection began after chest acquisition", "injected
# following the chest scan"): that part's images were taken before it, no contrast series of it
_IMAGED_BEFORE_RX = re.compile(r"\b(?:after|following|upon\s+completion\s+of)\s+(?:the\s+)?$", re.IGNORECASE)


def _series_parts(ms: list[Mention], f: Frame, p: Pools, into: list[str]) -> dict[str, str]:
    """The parts of a composite exam (``into``) whose clauses in ``ms`` name one series only, and that series."""
    named: dict[str, set[str]] = {"without": set(), "with": set()}
    for m in ms:
        sites = _clause_sites(m, p)
        if m.value == "with" and sites:
            lo, hi = _clause_bounds(m, p)
            sites -= {x.value for x in p.perf if x.key == "site" and lo <= x.start < hi
                      and _IMAGED_BEFORE_RX.search(p.text, max(0, x.start - 24), x.start)}
            if not sites:
                continue  # the injection said to follow a part's images names no contrast series of its own
        if not sites or f.site in sites:
            sites = set(into)  # a series of the whole exam (or of no stated part)
        for v in (("without", "with") if m.value == "without_then_with" else (m.value,)):
            named[v] |= sites | {r for x in sites if (r := p.lex.region_for(x, f.modality))}
    if not named["without"] or not named["with"]:
        return {}
    out: dict[str, str] = {}
    for part in into:
        mine = {part, *site_parts(part, p.lex)}
        said = [v for v, sites in named.items()
                if sites & mine or any(part in site_parts(x, p.lex) for x in sites)]
        if len(said) == 1:
            out[part] = said[0]
    return out


def resolve_views(f: Frame, p: Pools) -> None:
    """Views count only on radiographs; a portable chest film is one view unless stated. A
    fluoroscopy of a site with radiograph codes only whose title counts its views ("CR CHEST
    W/FLUORO MIN 2 VIEWS") becomes the radiograph (resolve_region), so the views count as a
    radiograph's (the projections of a fluoroscopy's narrative do not)."""
    if f.modality == "XR" or f.modality == "FL" and any(m.key == "views" for m in f.title_views) \
            and p.lex.region_for(f.site, "FL") is None and p.lex.region_for(f.site, "XR") is not None:
        _resolve_xr_views(f, p)
        _apply_addendum_views(f, p.addendum, p.for_frame)
        _stated_total_views(f, p)
        _repeated_projection(f, p)
        _abdomen_views_with_chest(f, p)
        _abdomen_series_without_chest(f, p)
        _abdomen_series_views_all_abdomen(f, p)
    if f.views is None and "portable" in f.quals and f.site == "chest":
        f.views = 1
        f.sources["views"] = "inferred"


# the total the report states of its views ("Total 3 views reviewed", "4 images total", "a total of five
# views"), after counting them itself
_TOTAL_VIEWS_RX = re.compile(
    r"\btotal(?:\s+of)?\s+(?P<a>\d|one|two|three|four|five|six|seven|eight)\s+(?:views|images|projections|radiographs)\b|"
    r"\b(?P<b>\d|one|two|three|four|five|six|seven|eight)\s+(?:views|images|projections|radiographs)\s+(?:in\s+)?total\b",
    re.IGNORECASE)
_COUNT_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}


def _stated_total_views(f: Frame, p: Pools) -> None:
    """A one-exam radiograph whose report states the total of its views ("AP and lateral: ... ADDENDUM: a
    sunrise view was added ... Total 3 views reviewed"; "... 4 images total") has that many (CODING_RULES §4:
    the documented views), whatever its own list of projections counts; one total, none split for coverage."""
    if p.multi or f.modality != "XR" or f.side == "bilateral" and not _one_code_for_both_sides(f, p.lex):
        return  # (both sides on codes of one side: the total counts the two sides' views, "6 images total")
    found = {fold_word(m.group("a") or m.group("b")) for sec in p.sections if sec.name not in ("history", "comparison")
             and may_match(_TOTAL_VIEWS_RX, p.low, sec.start, sec.end)
             for m in _TOTAL_VIEWS_RX.finditer(p.text, sec.start, sec.end)
             if not _SPLIT_FOR_COVERAGE.search(p.text, *sentence_bounds(p.text, m.start()))}
    if len(found) != 1:
        return
    n = next(iter(found))
    f.views = int(n) if n.isdigit() else _COUNT_WORDS[n]
    f.sources["views"] = "technique"


# an image taken again ("a repeat AP exposure", "the first AP was repeated", "retake") for its quality or
# the patient's position ("rotated", "clipped the costophrenic angle", "after repositioning", "same projection")
_REPEAT_RX = re.compile(r"\b(?:repeat\w*|retake\w*|re-?exposure)\b", re.IGNORECASE)
_RETAKEN_RX = re.compile(r"\bsame\s+projection\b|\b(?:rotat|clip|reposition|underexpos|overexpos|suboptimal|"
                         r"inadequate|motion|cut\s+off)\w*", re.IGNORECASE)


def _repeated_projection(f: Frame, p: Pools) -> None:
    """A one-exam radiograph counted two images or more whose one projection was taken again for its quality
    ("AP chest, then a repeat AP exposure after repositioning (same projection)", "Two AP images; the first
    was repeated because it was rotated"): one view (CODING_RULES §4 counts views, not exposures)."""
    if p.multi or f.modality != "XR" or (f.views or 0) < 2 or not may_match(_REPEAT_RX, p.low):
        return
    said = [m for m in (*p.title, *p.perf, *p.fallback) if m.key == "proj" and m.status == "performed"]
    projs = [m for m in said if not m.value.startswith("pos_")]
    if len({m.value for m in projs}) != 1 or len({m.value for m in said}) - 1 > 1:
        return  # (one projection in two positions, "supine AP and upright AP", is two views)
    for m in projs:
        a, b = sentence_bounds(p.text, m.start)
        if _REPEAT_RX.search(p.text, a, b) and _RETAKEN_RX.search(p.text, a, b):
            f.views = 1
            f.add("views", [m], "technique")
            f.sources["views"] = "technique"
            return


def _abdomen_views_with_chest(f: Frame, p: Pools) -> None:
    """An abdomen radiograph whose technique lists a chest view with two or more abdomen views
    ("VIEWS: SUPINE AND UPRIGHT ABDOMEN, PA CHEST") is the acute abdomen series (CODING_RULES §4:
    74022), whatever the title's view count; with the title's two abdomen views, when one statement names the
    abdomen's views and the chest view ("Supine and upright views of the abdomen, with an upright PA view of the chest
    included": the chest view the title's count leaves out)."""
    if f.site != "abdomen" or p.multi or "acute_abdomen" in f.quals or (f.views or 0) < 2:
        return
    # (a report without a technique section lists them in its narrative: "Supine and upright AP abdomen and
    # upright PA chest.")
    pool = p.perf if any(m.key in ("views", "proj") for m in p.perf) else p.fallback
    views = {(m.doc_id, m.sent) for m in pool if m.key in ("views", "proj") and m.status == "performed"}
    chest = [m for m in pool if m.key == "site" and m.value == "chest" and m.status == "performed"
             and (m.doc_id, m.sent) in views]
    if (f.views or 0) < 3:
        abdomen = {(m.doc_id, m.sent) for m in pool if m.key == "site" and m.value == "abdomen" and m.status == "performed"}
        chest = [m for m in chest if (m.doc_id, m.sent) in abdomen]
    if not chest:
        return
    f.quals.add("acute_abdomen")
    f.add("qual", [replace(m, key="qual", value="acute_abdomen") for m in chest], "technique")


def _abdomen_series_without_chest(f: Frame, p: Pools) -> None:
    """An acute abdomen series whose technique says its chest view was not taken ("The chest view
    was not obtained", "chest radiograph not performed") is the abdomen views alone (CODING_RULES
    §4: 74022 needs the chest view), unless a chest view is documented beside it."""
    if f.site != "abdomen" or not f.quals & {"acute_abdomen", "with_chest"} or "no_chest_view" in f.quals:
        return
    # (a report without a technique section says it in its narrative: "Upright chest was not obtained (pt unable
    # to stand); left lateral decubitus abdomen obtained instead.")
    # (there, only where its sentence says a view was not taken: "no free air under the diaphragm on CXR" negates
    # the free air, not the chest film)
    narrative = not any(m.key in ("views", "proj") for m in p.perf)
    pool = p.fallback if narrative else p.perf
    chest = [m for m in pool if m.key == "site" and m.value == "chest"]
    undone = [m for m in chest if m.status == "negated" and (not narrative or _said_undone(m, p.text))]
    views = {(m.doc_id, m.sent) for m in pool if m.key in ("views", "proj") and m.status == "performed"}
    if not undone or any(m.status == "performed" and (m.doc_id, m.sent) in views for m in chest):
        return
    f.quals.add("no_chest_view")
    f.add("qual", [replace(m, key="qual", value="no_chest_view") for m in undone], "technique")


def _abdomen_series_views_all_abdomen(f: Frame, p: Pools) -> None:
    """An acute abdomen series whose technique lists its views as the abdomen's and names no chest view
    ("Views: supine, left lateral decubitus, and upright abdomen" under "ABDOMEN, OBSTRUCTION SERIES") is
    the abdomen views alone (CODING_RULES §4: 74022 needs a chest view; §6: the documented views win);
    a PA view (the chest's) or a chest named anywhere in the technique keeps the series."""
    if f.site != "abdomen" or not f.quals & {"acute_abdomen", "with_chest"} or "no_chest_view" in f.quals \
            or (f.views or 0) < 2 or f.sources.get("views") != "technique":
        return
    said = [m for m in p.perf if m.key in ("views", "proj") and m.status == "performed"]
    if not said or any(m.value == "pa" for m in said) \
            or any(m.key == "site" and m.value == "chest" for m in p.perf):
        return
    views = {(m.doc_id, m.sent) for m in said}
    abdomen = [m for m in p.perf if m.key == "site" and m.value == "abdomen" and m.status == "performed"
               and (m.doc_id, m.sent) in views]
    if not abdomen:
        return
    f.quals.add("no_chest_view")
    f.add("qual", [replace(m, key="qual", value="no_chest_view") for m in abdomen], "technique")


# dynamic views whose projection a body names with them ("flexion and extension lateral views"): no more views
_DYNAMIC_VIEWS = frozenset({"flexion", "extension"})


def _said_views_count(f: Frame, said: list[Mention], p: Pools) -> int | None:
    """The views a body's views statement documents: per side on a study of both sides, on a code of one side
    (twice the projections of "each knee") and on a code of both ("AP pelvis, AP and frog-leg lateral views of
    each hip": 5 views, CODING_RULES §4)."""
    pv = views_value(said, p.text, pelvis_view=f.site == "hip")
    if pv is None or f.side not in (None, "bilateral"):
        return pv
    if not _one_code_for_both_sides(f, p.lex):
        return _per_side_count(pv, said, p) if f.side == "bilateral" else pv
    return pv if any(m.key == "views" for m in said) else pv + _per_side_projections(said, p, p.fallback)


def _resolve_xr_views(f: Frame, p: Pools) -> None:
    title_v = f.title_views
    tv = views_value(title_v, p.text, series=0 if f.site in _NO_ROUTINE_SERIES else 2,
                     paired_oblique=f.site in _PAIRED_OBLIQUE_SITES)
    if tv is not None and _views_a_complete_series_includes(f, title_v, p):
        tv = None  # the complete series (its code called complete, in mapping), not the few views it names
    if tv is not None and f.side in (None, "bilateral") and _one_code_for_both_sides(f, p.lex) \
            and not any(m.key == "views" for m in title_v):
        # "XR HIPS BILAT W PELVIS: AP pelvis, frog lateral right hip, frog lateral left hip": the
        # title's projections of each side count once per side, as a technique's do
        tv += _per_side_projections(title_v, p, p.title)
    pv_m = _views_not_places(p.for_frame([m for m in p.perf if m.key in ("views", "proj")], f, p.perf, p.multi),
                             f, p.perf, p)
    if p.multi:
        pv_m = _views_of_other_site(pv_m, f, p.perf, p)
        pv_m = _pelvis_sentence_view(f, pv_m, p)
    pv = views_value(pv_m, p.text, pelvis_view=f.site == "hip")
    lone_position = pv is not None and tv is not None and _lone_position(pv_m, p.text)
    if lone_position:
        pv, pv_m = None, []  # "XR L-SPINE 5 VIEWS ... TECHNIQUE: Upright views": how the titled views were taken
    if pv is not None and f.side == "bilateral" and any(m.key == "views" for m in pv_m):
        pv = _per_side_count(pv, pv_m, p)
    elif pv is not None and f.side in (None, "bilateral") and _one_code_for_both_sides(f, p.lex):
        pv += _per_side_projections(pv_m, p)
    undone = {m.value for m in p.fallback + [m for m in p.title if m.section == "subtitle"]
              if m.key == "proj" and m.status == "negated"}
    if pv is None and tv is None and p.frame_source in ("exam", "body"):
        # views stated in the narrative ("PA and lateral views were obtained.") when the title and
        # technique state none
        pv_m = _views_not_places(p.for_frame([m for m in p.fallback if m.key in ("views", "proj")], f, p.fallback,
                                             p.multi), f, p.fallback, p)
        if p.multi:
            pv_m = _views_of_other_site(pv_m, f, p.fallback, p)
        pv = views_value(pv_m, p.text, pelvis_view=f.site == "hip")
        if pv is not None and f.side in (None, "bilateral") and _one_code_for_both_sides(f, p.lex) \
                and not any(m.key == "views" for m in pv_m):
            pv += _per_side_projections(pv_m, p, p.fallback)  # "frog lateral right hip, frog lateral left hip"
    elif pv is None and p.frame_source in ("exam", "body") and not p.multi and not lone_position:
        # a title that names projections keeps them, unless the body says one was not done ("the
        # swimmer's view was not performed") or its statement names them and more ("XR CHEST PA ONLY"
        # / "PA and lateral views obtained"): a body naming part of them may name the rest elsewhere
        # (a title projection the title says was not taken, "PT UNABLE TO TOLERATE OBLIQUES", is none)
        titled = {_unsided(m.value) for m in title_v if m.key == "proj" and m.status != "negated"}
        said = _body_views_statement(f, p)
        more = titled < {_unsided(m.value) for m in said if m.key == "proj"} and not titled & _DYNAMIC_VIEWS
        if not titled or titled & undone or more or _states_count(said) or any(m.section == "subtitle" for m in said):
            pv_m = said
            pv = _said_views_count(f, pv_m, p)
        if pv is None and titled & undone and not any(m.key == "views" for m in title_v) and titled - undone:
            # "ABDOMEN (SUPINE AND ERECT) ... The upright view was not obtained": the title's other projections
            pv_m = [m for m in title_v if m.key == "proj" and _unsided(m.value) not in undone]
            pv = len(titled - undone)
    counted = pv_m if pv is not None else title_v
    also = _views_also_taken(f, p, {m.value for m in counted if m.key == "proj"}) if pv or tv else []
    if also:
        # "A sunrise (Merchant) view was also obtained": a view the findings add to those counted
        pv, pv_m = (pv or tv or 0) + len({m.value for m in also}), [*counted, *also]
    if pv is not None:
        f.views = pv
        f.add("views", pv_m, "technique")
        if tv is not None and tv != pv and not _in_title_range(title_v, pv) \
                and not (f.site == "hip" and "with_pelvis" in f.quals and pv == tv + 1):
            # ("XR HIP LEFT 2 VIEWS WITH PELVIS": the hip's views, and the pelvis view it names)
            f.conflicts.append(Conflict("views", str(tv), str(pv), title_v, pv_m))
    elif tv is not None:
        f.views = tv
        f.add("views", title_v, "title")


def _pelvis_sentence_view(f: Frame, ms: list[Mention], p: Pools) -> list[Mention]:
    """The views of a hip series under a title that names the pelvis as an exam of its own ("XR PELVIS AND
    BILATERAL HIPS", "XR PELVIS 1 VIEW; XR HIP RIGHT 2 VIEWS"), with the pelvis view its technique states in a
    sentence of the pelvis alone ("AP pelvis. Frog-leg lateral of each hip."): the hip codes include the pelvis
    view (CODING_RULES §4), so it counts among the hip's views, and the frame is the hip series with the pelvis
    view (a title or order counting the hip's own views, one fewer, does not conflict with it). A pelvis series
    of several views ("AP, inlet and outlet views of the pelvis") is the pelvis exam's, not a hip view."""
    if f.modality != "XR" or f.site != "hip":
        return ms
    index = p.index(p.perf)
    groups: dict[tuple[int, int], list[Mention]] = {}
    for m in p.perf:
        sites, mods = index.get((m.doc_id, m.sent), _NO_SENTENCE)
        if m.key in ("views", "proj") and m.status == "performed" and sites == {"pelvis"} and mods <= {"XR"}:
            groups.setdefault((m.doc_id, m.sent), []).append(m)
    pelvis = [g for g in groups.values() if views_value(g, p.text) == 1]
    if not pelvis:
        return ms
    f.quals.add("with_pelvis")
    return sorted({id(m): m for m in [*ms, *(m for g in pelvis for m in g)]}.values(), key=lambda m: (m.doc_id, m.start))


# words that make a lone position word a count of one view ("upright only", "single upright view")
_ONE_VIEW_WORDS = re.compile(r"\b(?:only|single|one|solitary|sole)\b", re.IGNORECASE)
_ONE_VIEW_REACH = 30


def _lone_position(ms: list[Mention], text: str) -> bool:
    """Whether the views a technique states are one position word alone ("Upright.", "Upright views of the lumbar
    spine were obtained"), no projection and no count: it says how the views were taken, not how many (a title's
    count stands); "supine and upright" are two views, "upright only" is one."""
    if not ms or any(m.key != "proj" or not m.value.startswith("pos_") for m in ms) or len({m.value for m in ms}) > 1:
        return False
    return not any(_ONE_VIEW_WORDS.search(text, max(0, m.start - _ONE_VIEW_REACH), m.end + _ONE_VIEW_REACH)
                   for m in ms)


def _views_a_complete_series_includes(f: Frame, title_v: list[Mention], p: Pools) -> bool:
    """Does a title that calls its series complete name projections the series includes ("ABDOMEN
    COMPLETE W/ DECUB/ERECT", "KNEE; COMPLETE, INCLUDING OBLIQUE(S), AND TUNNEL ... VIEWS"), no count,
    for a region with a complete code (or the abdomen, whose complete code is 74021)? Those are views
    the complete series includes, as its code says, not all of its views (a chest or cervical spine
    series, no code called complete, counts its routine views and those named: "T-SPINE W/SWIMMERS")."""
    projs = [m for m in title_v if m.key == "proj"]
    at = {(m.doc_id, m.start, m.end) for m in projs}  # (a "views" attribute of a projection term is its weight)
    if not projs or p.text is None or any(m.key == "views" and (m.doc_id, m.start, m.end) not in at for m in title_v):
        return False
    region = f.region or p.lex.region_for(f.site, "XR")
    if f.site not in _NO_ROUTINE_SERIES and not any(
            c.modality == "XR" and c.region == region and "complete" in c.label.lower() for c in p.lex.codes.values()):
        return False
    first = min(projs, key=lambda m: m.start)
    complete = [m for m in p.title if m.key == "qual" and m.value == "complete" and m.status == "performed"
                and m.doc_id == first.doc_id and m.end <= first.start]
    if not complete:
        return False
    names = {m.value for m in projs}
    if names & {"pa", "ap", "frontal"} and names & {"lateral", "cross_table_lateral"}:
        return False  # the series spelt out ("COMPLETE: AP, LATERAL AND OBLIQUES")
    gap = max(m.end for m in complete)
    return first.start - gap <= 16 and _INCLUDED_VIEW.fullmatch(p.text, gap, first.start) is not None


# what joins the projections a complete series includes to the word complete ("COMPLETE W/ DECUB",
# "COMP,DECUB AND/OR ERECT", "COMPLETE, INCLUDING OBLIQUE(S)")
_INCLUDED_VIEW = re.compile(r"[\s,;:]*(?:(?:w/|w\s|with\s|\+|incl\w*)[\s.,:]*)?", re.I)


def _unsided(proj: str) -> str:
    """A projection without the side it is taken on ("right_decubitus": the decubitus a title names)."""
    return proj.removeprefix("right_").removeprefix("left_")


def _per_side_count(pv: int, pv_m: list[Mention], p: Pools) -> int:
    """The views of one side when a bilateral statement counts the images of both ("AP, lateral and sunrise
    views of each knee (6 images)", "AP/mortise/lateral each (6 images)"): twice the projections named."""
    named = views_value([m for m in pv_m if m.key == "proj"], p.text)
    return named if named and pv == 2 * named else pv


_VIEWS_RANGE = re.compile(r"(\d{1,2})\s*(?:-|to)\s*(\d{1,2})")
_VIEWS_AT_LEAST = re.compile(r"(\d{1,2})\s*(?:\+|or\s+more\b|or\s*>)", re.IGNORECASE)  # "2+V", "3 OR MORE VIEWS"


def _in_title_range(title_v: list[Mention], views: int) -> bool:
    """Whether a title's range of views ("XR HIP LT W PELVIS 2-3V", "XR TOE(S) RT 2+V") holds the documented
    count: no conflict with a title that names the code's range rather than a count."""
    return any(m.key == "views" and ((r := _VIEWS_RANGE.search(m.text)) and int(r[1]) <= views <= int(r[2])
                                     or (a := _VIEWS_AT_LEAST.search(m.text)) and int(a[1]) <= views)
               for m in title_v)


# a sentence saying a view was taken besides the others ("A sunrise view was also obtained",
# "an additional oblique view was performed", "a swimmer's view was obtained as well")
VIEW_ALSO_TAKEN_RX = re.compile(r"\b(?:also|additional(?:ly)?|in addition)\b[^.;\n]*?\b(?:obtained|performed|taken|acquired)\b|"
                                r"\b(?:obtained|performed|taken|acquired)\s+as\s+well\b", re.IGNORECASE)

# ... unless it is a suggestion ("a sunrise view could also be obtained if ...")
_VIEW_NOT_TAKEN = re.compile(r"\b(?:could|would|may|might|should|can|recommend\w*|consider\w*|suggest\w*|if)\b",
                             re.IGNORECASE)


def _views_also_taken(f: Frame, p: Pools, counted: set[str]) -> list[Mention]:
    """Projections the body or findings of a one-exam report say were taken besides the views
    counted (CODING_RULES §4: views documented in the findings count), not named among them."""
    if p.multi:
        return []
    out = []
    for m in p.fallback:
        if m.key != "proj" or m.section not in ("body", "findings") or m.status != "performed" \
                or m.value.startswith("pos_") or m.value in counted or m.value in _NOT_A_VIEW:
            continue
        bounds = sentence_bounds(p.text, m.start)
        if VIEW_ALSO_TAKEN_RX.search(p.text, *bounds) and not _PRIOR_STUDY.search(p.text, *bounds) \
                and not _VIEW_NOT_TAKEN.search(p.text, *bounds):
            out.append(m)
    return out


# a sentence about a prior study, not this one
_PRIOR_STUDY = re.compile(r"\b(?:compar\w*|prior|previous\w*|earlier|(?:19|20)\d\d)\b", re.IGNORECASE)


_SENTENCE_END_RX = re.compile(r"[.;!?\n]")


def sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    """The sentence around offset ``pos`` (between ``.;!?`` or line breaks)."""
    # (one call per mark, not a generator: this runs many times a report)
    start = max(text.rfind(".", 0, pos), text.rfind(";", 0, pos), text.rfind("!", 0, pos),
                text.rfind("?", 0, pos), text.rfind("\n", 0, pos)) + 1
    end = _SENTENCE_END_RX.search(text, pos)
    return start, (end.start() if end is not None else len(text))


# where a report without a technique section states its views: the body, the findings, or the line under
# the title ("XR CHEST 2V / Frontal view of the chest. Lateral view not obtained.")
_VIEWS_STATEMENT_SECTIONS = ("body", "findings", "subtitle")
# a view said not taken ("not obtained", "could not be performed", "was not done")
_VIEW_NOT_OBTAINED = re.compile(r"\bnot\s+(?:be\s+)?(?:obtained|performed|taken|done|acquired|possible)\b", re.IGNORECASE)


def _body_views_statement(f: Frame, p: Pools) -> list[Mention]:
    """The views a report without a technique statement documents in its body or findings, when its
    title states a bare count (CODING_RULES §4: the documented views win): the first sentence that states
    a count ("Single AP view only", "Three views of the left ankle") or lists two or more projections
    ("PA and lateral views of the chest", "AP, obl and lat L foot"). A sentence naming one projection
    to place a finding ("an effusion on the lateral view") documents no count, nor does one about a prior
    study; a report of several exams is left to its title lines."""
    ms = [m for m in p.fallback if m.key in ("views", "proj") and m.section in ("body", "findings")
          and m.status == "performed"]
    # the line under the title may say its one projection was all that was taken (below)
    ms += [m for m in p.title if m.key == "proj" and m.section == "subtitle" and m.status == "performed"]
    ms = _views_not_places(p.for_frame(ms, f, p.fallback, p.multi), f, p.fallback, p)
    proj_at = {(m.doc_id, m.start, m.end) for m in ms if m.key == "proj"}
    by_sent: dict[tuple[int, int], list[Mention]] = {}
    for m in ms:
        by_sent.setdefault((m.doc_id, m.sent), []).append(m)
    # a sentence naming the modality with a count restates the title ("PERFORMED: XR WRIST LT 2V"
    # above the dictation's own "XR WRIST LT 2V -- 9 y/o M FOOSH. PA, lateral and oblique views")
    titled = {(m.doc_id, m.sent) for m in p.fallback if m.key == "modality" and m.section in ("body", "findings")}
    # sentences that say a projection was not taken ("Lateral view not obtained; patient unable to stand")
    undone = {(m.doc_id, m.sent) for m in p.fallback + p.title if m.key == "proj" and m.status == "negated"
              and m.section in _VIEWS_STATEMENT_SECTIONS
              and _VIEW_NOT_OBTAINED.search(p.text, *sentence_bounds(p.text, m.start))}
    for key in sorted(by_sent):
        sent = by_sent[key]
        named = {m.value for m in sent if m.key == "proj" and not m.value.startswith("pos_")}
        if len(named) == 1 and (key in undone or (key[0], key[1] + 1) in undone) \
                and any(m.key == "proj" and _VIEW_WORD_AFTER.match(p.text, m.end) for m in sent):
            return sent  # "Frontal view of the chest. Lateral view not obtained.": the one projection taken
        if any(m.section == "subtitle" for m in sent) and not _subtitle_views_sentence(sent, named, p):
            continue
        if _PRIOR_STUDY.search(p.text, *sentence_bounds(p.text, sent[0].start)):
            continue  # "compared with radiographs from 2019, which were AP and lateral only"
        counted = any(m.key == "views" and (m.doc_id, m.start, m.end) not in proj_at for m in sent)
        if counted and key in titled:
            continue
        if counted or len(named) >= 2:
            return sent
        if len(named) == 1 and any(m.key == "proj" and _said_only(m, p.text) for m in sent):
            return sent  # "Portable AP chest only; lateral not obtained": one projection, said to be all
    return []


def _subtitle_views_sentence(sent: list[Mention], named: set[str], p: Pools) -> bool:
    """Whether a line under the title is a sentence listing the views taken ("AP, lateral and sunrise
    views."): two or more projections, the last followed by the word views, no modality (not the title
    restated)."""
    if len(named) < 2 or not _VIEW_WORD_AFTER.match(p.text, max(m.end for m in sent if m.key == "proj")):
        return False
    key = (sent[0].doc_id, sent[0].sent)
    return not any(m.key == "modality" and (m.doc_id, m.sent) == key for m in p.title + p.fallback)


# a projection that places a finding ("seen on the lateral view only")
_PLACED_ON_VIEW = re.compile(r"\b(?:on|in|from)[ \t]+(?:the[ \t]+)?$", re.IGNORECASE)
# a projection said to be the only one taken ("Portable AP chest only", "AP view only", "AP only")
_ONLY_AFTER_VIEW = re.compile(r"(?:[ \t]+(?:upright|supine|semi[\s-]?(?:upright|erect)|portable|view|image|film|"
                              r"radiograph|projection|of\s+the|chest|abdomen|pelvis)){0,3}[ \t]+only\b", re.IGNORECASE)


def _said_only(m: Mention, text: str) -> bool:
    """A projection said to be the only one taken ("semi-erect, AP only"): the positions of its sentence are
    how it was taken, not views of their own (CODING_RULES §4)."""
    return _ONLY_AFTER_VIEW.match(text, m.end) is not None \
        and not _PLACED_ON_VIEW.search(text, max(0, m.start - 12), m.start)


def _states_count(said: list[Mention]) -> bool:
    """Whether a body views statement states its count in words ("single AP semi-upright view only
    obtained", "two views of the chest"), not only by naming projections: it documents every view taken,
    so it wins over the projections the title names (CODING_RULES §4, §6)."""
    proj_at = {(m.doc_id, m.start, m.end) for m in said if m.key == "proj"}
    return any(m.key == "views" and (m.doc_id, m.start, m.end) not in proj_at for m in said)


# what names each side after a projection ("frog-leg laterals of the right and left hips", "of each
# hip"); "both hips" may be one image of the two
_CLAUSE_END = re.compile(r"[.;\n]")
_EACH_SIDE = re.compile(r"\beach\b|\b(?:right|rt|r|left|lt|l)\s*(?:and|&|/)\s*(?:the\s+)?(?:right|rt|r|left|lt|l)\b",
                        re.IGNORECASE)
# ... or a plural projection of both sides ("frog-leg lateral views of both hips", "frog-leg laterals
# bilaterally"): several images, one a side, where a singular "frog-leg lateral of both hips" may be one
_PLURAL_VIEWS = re.compile(r"\b(?:views|projections|images|films|radiographs|laterals|obliques)\b", re.IGNORECASE)
_BOTH_SIDES = re.compile(r"\b(?:both|bilateral(?:ly)?)\b", re.IGNORECASE)
# ... unless the report says one image holds both sides ("both hips on each image", "both hips included
# on each film", "both hips on one exposure")
_BOTH_ON_ONE_IMAGE = re.compile(r"\b(?:on|in)\s+(?:each|every|one|the\s+same|a\s+single)\s+(?:images?|films?|"
                                r"exposures?|radiographs?)\b", re.IGNORECASE)


# what joins the projections of a list ("AP and frog-leg lateral", "AP, lateral")
_PROJECTION_LIST_GAP = re.compile(r"\s*(?:,\s*(?:and\s+)?|and\s+|&\s*|/\s*)", re.IGNORECASE)
# a projection written before the anatomy it images ("AP pelvis", "AP of the pelvis")
_OTHER_ANATOMY = re.compile(r"\s+(?:of\s+the\s+)?pelvis\b", re.IGNORECASE)


def _one_code_for_both_sides(f: Frame, lex: Lexicon) -> bool:
    """A radiograph of anatomy whose study of both sides is billed on one code that counts the views
    of both (bilateral hips 73521-73523: regions.tsv ``bilateral=``), not a unilateral code with 50
    (knees: views per side)."""
    site = lex.sites.get(f.site)
    return bool(site and site.bilateral_region and f.modality == "XR")


def _per_side_projections(ms: list[Mention], p: Pools, sides: list[Mention] | None = None) -> int:
    """Projections a bilateral study documents once for each side ("AP pelvis, frog-leg lateral views
    of the right and left hips", "FROG LAT RT HIP, FROG LAT LT HIP"): each counts twice where
    :func:`views_value` counts a projection once (CODING_RULES §4, views of a bilateral code)."""
    projs = sorted((m for m in ms if m.key == "proj" and m.status == "performed"), key=lambda m: (m.doc_id, m.start))
    sides = [m for m in (p.perf if sides is None else sides) if m.key == "side" and m.status == "performed"]
    seen: dict[str, set[str]] = {}
    plain: set[str] = set()  # projections also documented once, of other anatomy ("AP pelvis")
    for i, m in enumerate(projs):
        stop = _CLAUSE_END.search(p.text, m.end)
        end = stop.start() if stop else len(p.text)
        j = i
        # a list of projections ("AP and frog-leg lateral views of each hip"): what names the sides
        # after the last one names them for each
        while j + 1 < len(projs) and projs[j + 1].doc_id == m.doc_id and projs[j + 1].start < end \
                and _PROJECTION_LIST_GAP.fullmatch(p.text, projs[j].end, projs[j + 1].start):
            j += 1
        if j + 1 < len(projs) and projs[j + 1].doc_id == m.doc_id:
            end = min(end, projs[j + 1].start)
        after = [s for s in sides if s.doc_id == m.doc_id and m.end <= s.start < end]
        got = seen.setdefault(m.value, set())
        if _BOTH_ON_ONE_IMAGE.search(p.text, projs[j].end, end):
            continue
        if _EACH_SIDE.search(p.text, projs[j].end, end) or (
                _PLURAL_VIEWS.search(p.text, m.start, end) and _BOTH_SIDES.search(p.text, projs[j].end, end)):
            got |= {"left", "right"}
        elif j == i and not after and _OTHER_ANATOMY.match(p.text, m.end):
            plain.add(m.value)
        got |= {s.value for s in after if s.value in ("left", "right")}
    return sum(1 + (k in plain) for k, v in seen.items() if v == {"left", "right"})


# projection names that are also ordinary anatomical directions ("lateral", "oblique fracture",
# "frontal sinus") or adjectives of a region ("left axillary surgical clips" on a chest film); AP / PA
# never are
_DIRECTION_WORDS = frozenset({"lateral", "oblique", "frontal", "axial", "axillary"})
# what may stand between a direction word and the anatomy it places ("lateral 6th rib")
_PLACE_GAP = re.compile(r"\s+(?:\d{1,2}(?:st|nd|rd|th)\s+)?")
# a finding, or a part of a bone or joint, that a direction word describes ("oblique fracture", "the
# lateral malleolus", "lateral tibial plateau", "the lateral aspect"): no view
_PLACED_FINDING = re.compile(
    r"\s+(?:fractures?|fx|malleol\w*|plateaus?|(?:epi)?condyl\w*|aspects?|margins?|cortex|cortical|compartments?|"
    r"menisc\w*|ligaments?|tendons?|facets?|gutters?|recess|tibial|femoral|humeral|patellar|talar|"
    r"cuneiform|column|wall|border|soft[\s-]+tissues?|"
    # ... or what lies in a region the word names ("axillary lymph nodes", "lateral surgical clips")
    r"(?:lymph\s+)?nodes?|lymph\w*|adenopathy|clips?|surgical|dissection|tail|folds?|mass(?:es)?|"
    r"arter(?:y|ies)|veins?|vessels?|port)\b", re.IGNORECASE)
# a count of images (not views) taken to cover the anatomy of one projection ("two images were obtained to
# include both costophrenic angles because of patient size", "on two cassettes due to body habitus")
_IMAGES_NOT_VIEWS = re.compile(r"\b(?:images?|films?|exposures?|cassettes?)\b", re.IGNORECASE)
_SPLIT_FOR_COVERAGE = re.compile(r"\bto\s+include\b|\b(?:patient|body)\s+(?:size|habitus)\b|\bhabitus\b|"
                                 r"\bcassettes\b|\bto\s+cover\b", re.IGNORECASE)
# a bone, graft or canal a projection word names as a passage ("femoral and tibial tunnels", "the carpal
# tunnel", "the intercondylar notch"), unless a view word follows ("carpal tunnel view")
_BONE_PASSAGE_BEFORE = re.compile(r"\b(?:femoral|tibial|humeral|glenoid|bone|bony|carpal|tarsal|cubital|acl|pcl|"
                                  r"drill|graft|intercondylar|sciatic|spinoglenoid|suprascapular)"
                                  r"(?:[ \t]+(?:and|&|/)[ \t]+(?:femoral|tibial))?[ \t]+$", re.IGNORECASE)
_VIEW_WORD_AFTER = re.compile(r"[ \t]*(?:views?|projections?|images?|films?)\b", re.IGNORECASE)
# a projection word that names the anatomy a finding describes ("the ankle mortise is maintained")
# a projection word that names an anatomical line of a finding ("radiocapitellar line intact", "the anterior
# humeral line"): no view
_ANATOMIC_LINE = re.compile(r"[ \t]{1,4}lines?\b", re.IGNORECASE)
# ... or an anatomical relation ("radiocapitellar alignment is normal", "radiocapitellar articulation preserved")
_PROJECTION_AS_ANATOMY = re.compile(r"\s+(?:is|are|appears?|remains?|intact|maintained|congruent|widen\w*|"
                                    r"preserved|alignment|articulations?|relationship)\b", re.IGNORECASE)


# the projections a sentence of several exams writes before a site ("AP and lateral views of the skull, AP view
# of the chest and AP view of the abdomen", "AP and lateral skull, AP chest, AP abdomen"): what may stand
# between the projection and its site (more projections joined to it, "view(s) of (the)")
_SPACE_ONLY = re.compile(r"[ \t]*")
_PROJ_TO_SITE_GAP = re.compile(r"(?:[ \t]*(?:,|and|&|/|\+)[ \t]*[\w-]+){0,4}(?:[ \t]+views?(?:[ \t]+of)?)?"
                               r"[ \t]+(?:the[ \t]+|both[ \t]+|bilateral[ \t]+)?", re.IGNORECASE)


def _views_of_other_site(ms: list[Mention], f: Frame, pool: list[Mention], p: Pools) -> list[Mention]:
    """In a report of several radiographs (a shunt series: skull, chest, abdomen), a projection written
    before another exam's site ("AP chest", "AP view of the abdomen") is that exam's view, not this one's."""
    mine = {f.site, *site_parts(f.site, p.lex)}
    sites = sorted((m for m in pool if m.key == "site"), key=lambda m: m.start)
    other = []
    for m in ms:
        if m.key == "proj" and not m.value.startswith("pos_"):
            nxt = [x for x in sites if m.end < x.start <= m.end + 60]
            of = next((x for x in nxt if _PROJ_TO_SITE_GAP.fullmatch(p.text, m.end, x.start)), None)
            # (a pelvis view belongs to the hip series it stands in, §4)
            if of is not None and of.value not in mine and of.value in p.frame_sites and of.value != "pelvis":
                other.append(m)
        elif m.key == "views":
            # ... and a count written before it ("a single AP view of the abdomen")
            of = next((x for x in sites if m.end <= x.start <= m.end + 24
                       and _VIEWS_OF_SITE_GAP.fullmatch(p.text, m.end, x.start)), None)
            if of is not None and of.value not in mine and of.value in p.frame_sites and of.value != "pelvis":
                other.append(m)
    # ... with the patient position that describes it ("supine AP view of the abdomen")
    starts = {m.start for m in other}
    other += [m for m in ms if m.key == "proj" and m.value.startswith("pos_")
              and any(_SPACE_ONLY.fullmatch(p.text, m.end, a) for a in starts if m.end <= a <= m.end + 3)]
    return [m for m in ms if m not in other]


def _views_not_places(ms: list[Mention], f: Frame, pool: list[Mention], p: Pools) -> list[Mention]:
    """Projection words that place a finding on other anatomy than the exam's ("a R lateral 6th rib
    fracture" on a chest film, "the lateral tibial plateau" on a knee film) are directions, not views;
    the exam's own anatomy after them ("lateral chest") keeps them a view."""
    if not any(m.key == "proj" for m in ms):
        return ms
    mine = {f.site, *site_parts(f.site, p.lex)}
    sites = [m for m in pool if m.key == "site"]
    out = []
    for m in ms:
        if m.key == "views" and _IMAGES_NOT_VIEWS.search(m.text) \
                and _SPLIT_FOR_COVERAGE.search(p.text, *sentence_bounds(p.text, m.start)):
            continue  # "two images were obtained to include both costophrenic angles": one projection, split
        if m.key == "proj" and (_PROJECTION_AS_ANATOMY.match(p.text, m.end) or _ANATOMIC_LINE.match(p.text, m.end)):
            continue
        if m.key == "proj" and _BONE_PASSAGE_BEFORE.search(p.text, max(0, m.start - 40), m.start) \
                and not _VIEW_WORD_AFTER.match(p.text, m.end):
            continue  # "femoral and tibial tunnels well positioned": the graft's bone tunnels, no view
        if m.key == "proj" and m.value in _DIRECTION_WORDS:
            if _PLACED_FINDING.match(p.text, m.end):
                continue
            nxt = next((s for s in sites if s.doc_id == m.doc_id and s.start >= m.end
                        and _PLACE_GAP.fullmatch(p.text, m.end, s.start)), None)
            if nxt is not None and nxt.value not in mine:
                continue
        out.append(m)
    return out


# a vessel of the other side sampled only to compare with ("with the right common femoral vein only
# for waveform comparison", "left CFV waveform for symmetry"): no side of a vascular study
_FOR_COMPARISON_RX = re.compile(r"\b(?:for|as)\s+(?:\w+\s+){0,2}?(?:comparison|symmetry|reference)\b|"
                                r"\bcomparison\s+only\b", re.IGNORECASE)
_CLAUSE_STOP_RX = re.compile(r"[.;,\n]")


def _comparison_sides(ms: list[Mention], f: Frame, text: str) -> list[Mention]:
    """The side mentions of a duplex scan less those of a vessel sampled for comparison only, when
    the other side's mentions remain (a unilateral study with the contralateral waveform)."""
    if f.modality != "DUPLEX" or len({m.value for m in ms}) < 2:
        return ms

    def clause(m: Mention) -> tuple[int, int]:
        lo = max((x.end() for x in _CLAUSE_STOP_RX.finditer(text, max(0, m.start - 200), m.start)), default=m.start)
        hi = _CLAUSE_STOP_RX.search(text, m.end)
        return lo, hi.start() if hi else len(text)

    compared = []
    for m in ms:
        lo, hi = clause(m)
        if _FOR_COMPARISON_RX.search(text, lo, hi) and not any(
                x is not m and x.value != m.value and lo <= x.start < hi for x in ms):
            compared.append(m)
    kept = [m for m in ms if m not in compared]
    if not compared or len({m.value for m in kept}) != 1 or kept[0].value not in ("left", "right"):
        return ms
    return kept


# the side of the intravenous access a contrast injection went through ("via 20-gauge right antecubital
# IV", "IV access left forearm", "18G right AC", "through a left hand IV"): no side of the exam
_ACCESS_SITE = r"(?:antecubital|ac|forearm|hand|arm|basilic|cephalic|external\s+jugular|ej)(?:\s+(?:fossa|vein))?"
_ACCESS_AFTER_RX = re.compile(r"\s*" + _ACCESS_SITE + r"\s*(?:peripheral\s+)?(?:iv|intravenous|access|line|cannula|"
                              r"catheter|angiocath|injection)\b", re.IGNORECASE)
_ACCESS_BEFORE_RX = re.compile(r"\b(?:iv|intravenous|access|cannula|catheter|angiocath|\d+\s*-?\s*(?:g|ga|gauge))\b"
                               r"[\s:,]*(?:(?:via|in|through|at|of|the|a|an)\s+){0,3}$", re.IGNORECASE)
_ACCESS_SITE_RX = re.compile(r"\s*" + _ACCESS_SITE + r"\b", re.IGNORECASE)


def _access_sides(ms: list[Mention], text: str) -> list[Mention]:
    """The side mentions less those naming the arm of the contrast injection's IV access."""
    def access(m: Mention) -> bool:
        if _ACCESS_AFTER_RX.match(text, m.end):
            return True
        return _ACCESS_SITE_RX.match(text, m.end) is not None and \
            _ACCESS_BEFORE_RX.search(text, max(0, m.start - 40), m.start) is not None
    return [m for m in ms if not access(m)]


def resolve_side(f: Frame, p: Pools) -> None:
    perf_s = _comparison_sides(p.for_frame([m for m in _access_sides([m for m in p.perf if m.key == "side"], p.text)],
                                           f, p.perf, p.multi), f, p.text)
    psid = _side(perf_s)
    if psid and f.side == "unilateral":
        if psid == "bilateral":  # "UNILATERAL" title; the technique names the side first
            psid = next((m.value for m in perf_s if m.value in ("left", "right")), None)
        if psid:
            f.side = psid
            f.add("side", perf_s, "technique")
    elif psid == "bilateral" and f.side in ("left", "right") and _breast_study(f) and not p.multi \
            and any(m.value == "bilateral" for m in perf_s):
        # a mammogram's technique that images both breasts ("CC and MLO views of each breast") is bilateral
        # whatever side the title or order named (CODING_RULES §6: performed); so is a breast MRI's ("Bilateral
        # breast MRI was performed", "dynamic images of both breasts": 77049, CODING_RULES §2)
        f.correct_side(psid, perf_s)
    elif psid == "bilateral" and f.side in ("left", "right"):
        # a side named in the title is not undone by the other side's mention, unless the technique
        # states its views of both sides ("AP, lateral and sunrise views of both knees", "AP and lateral of
        # the right knee and of the left knee"): both were imaged (CODING_RULES §6)
        both = _views_of_both_sides(f, perf_s, p)
        if both and not p.multi and _has_sides(p.lex, f.site, f.modality):
            f.correct_side("bilateral", both)
    elif psid and f.side and psid != f.side and not p.multi:
        # (a study whose codes have no side has no side conflict: "DXA SPINE/HIPS", the left hip scanned)
        f.correct_side(psid, perf_s, conflict=_has_sides(p.lex, f.site, f.modality))
    elif psid and not f.side:
        f.side = psid
        f.add("side", perf_s, "technique")
    if not f.side and not p.multi:
        _subtitle_side(f, p)
    if not f.side and not p.multi:
        fb = [m for m in p.fallback if m.key == "side"][:3]
        fsid = _side(fb)
        if fsid:
            f.side = fsid
            f.add("side", fb, "findings")
    uni = [m for m in perf_s + p.fallback if m.key == "side" and m.value == "unilateral" and m.status == "performed"]
    if not f.side and not p.multi and uni and _has_sides(p.lex, f.site, f.modality):
        # "One side only evaluated", side never named: the unilateral code, no side modifier (CODING_RULES §1)
        f.side = "unilateral"
        f.add("side", uni, "findings")
    if not perf_s:
        _body_views_side(f, p)
        _mammogram_views_side(f, p)
    _unexamined_side(f, p)
    _only_side_examined(f, p)
    _labelled_side(f, p)
    if not perf_s:
        _duplex_scanned_side(f, p)  # (after a statement of the only side examined, which says it outright)
    _addendum_side_correction(f, p)
    _ordered_side(f, p)


# an addendum sentence that corrects the report ("Correction: this is the left wrist", "the side should read left,
# not right", "the right was dictated in error")
_CORRECTION_RX = re.compile(r"\b(?:correct(?:ion|ed)|should[ \t]+(?:read|be|say|state)|incorrect(?:ly)?|erroneous(?:ly)?|"
                            r"in[ \t]+error|wrong[ \t]+side|mis-?(?:labell?ed|stated|dictated|identified|transcribed))\b",
                            re.IGNORECASE)


def _ordered_side(f: Frame, p: Pools) -> None:
    """A one-exam report of a sided site that names its side only with the order ("ORDERED: XR RIGHT ANKLE 3 VIEWS"
    over "EXAM: XR ANKLE 3 VIEWS"): the exam performed is the order's site, so its side is the order's (CODING_RULES
    §6: a side the report states otherwise decides first). One side, named in a sentence of the order that names
    the exam's site."""
    if f.side or p.multi or not _has_sides(p.lex, f.site, f.modality):
        return
    said = [m for m in p.mentions if m.key == "side" and m.value in ("left", "right")
            and (m.section == "ordered" or m.section in ("exam", "subtitle") and m.status == "historical")]
    if len({m.value for m in said}) != 1:
        return
    sites = {(m.doc_id, m.sent) for m in p.mentions if m.key == "site" and m.value == f.site
             and m.section in ("ordered", "exam", "subtitle")}
    said = [m for m in said if (m.doc_id, m.sent) in sites]
    if said:
        f.side = said[0].value
        f.add("side", said, "ordered")


def _clause_with_lead(text: str, pos: int) -> tuple[int, int]:
    """The sentence around ``pos`` with the clause that leads into it: the one before a semicolon ("the side is
    incorrect; this is the left wrist") or a label line ending in a colon ("CORRECTION:" over the sentence)."""
    a, b = sentence_bounds(text, pos)
    if a > 1 and (text[a - 1] == ";" or text[a - 1] == "\n" and text[:a - 1].rstrip(" \t").endswith(":")):
        a = sentence_bounds(text, a - 2)[0]
    return a, b


ADDENDUM_SIDES_MAX = 20


def _addendum_side_correction(f: Frame, p: Pools) -> None:
    """An addendum of a one-exam report of a sided site whose sentence corrects the side ("ADDENDUM: Correction:
    this examination is of the left wrist") gives the side imaged: the addendum corrects the report (CODING_RULES
    §6: laterality in title vs report, the performed side is coded); one side named in its correcting sentences."""
    if p.multi or not _has_sides(p.lex, f.site, f.modality):
        return
    # (the first sides of the addendum only: each sentence is found by scanning back, bounded on a huge addendum)
    first = [m for m in p.addendum if m.key == "side" and m.value in ("left", "right")][:ADDENDUM_SIDES_MAX]
    said = [m for m in first if _CORRECTION_RX.search(p.text, *_clause_with_lead(p.text, m.start))]
    if not said and f.side != "bilateral":  # (both sides imaged: a sentence on one of them is about its findings)
        said = _addendum_restated_side(f, p, first)
    sides = {m.value for m in said}
    if len(sides) != 1 or f.side in sides:
        return
    side = next(iter(sides))
    f.correct_side(side, said, conflict=f.side in ("left", "right") and f.sources.get("side") != "findings",
                   source="addendum")


# what joins a side to the site it names ("the LEFT ankle", "RIGHT-sided foot")
_SIDE_SITE_GAP = re.compile(r"[ \t-]*(?:sided[ \t]+)?")
# a sentence that names a side to compare with, not the side imaged ("compared with the left knee")
_COMPARISON_RX = re.compile(r"\b(?:compar\w*|prior|previous|earlier|contralateral|opposite|reference|baseline)\b",
                            re.IGNORECASE)


def _addendum_restated_side(f: Frame, p: Pools, sides: list[Mention]) -> list[Mention]:
    """The sides an addendum that corrects the report ("the order was entered for the right side in error")
    restates on the exam's site in a sentence of its own ("The images are of the LEFT ankle"): the side imaged.
    A sentence that compares with the other side ("compared with the left knee") states none."""
    fixes = [s for s in p.sections if s.name == "addendum" and _CORRECTION_RX.search(p.text, s.start, s.end)]
    if not fixes:
        return []
    sites = {(m.doc_id, m.start) for m in p.addendum if m.key == "site" and m.value == f.site}
    out = []
    for m in sides:
        if not any(s.start <= m.start < s.end for s in fixes):
            continue
        gap = _SIDE_SITE_GAP.match(p.text, m.end)
        if gap is None or (m.doc_id, gap.end()) not in sites:
            continue
        if not _COMPARISON_RX.search(p.text, *sentence_bounds(p.text, m.start)):
            out.append(m)
    return out


def _breast_study(f: Frame) -> bool:
    """Is the frame a mammogram or a breast MRI (whose technique states the breasts it imaged)?"""
    return f.modality == "MG" or f.modality == "MR" and f.site == "breast"


def _subtitle_side(f: Frame, p: Pools) -> None:
    """A title without a side whose restatement on the line under it names one ("Knee MRI" over "MRI of
    the right knee.", "LOWER EXTREMITY VENOUS DOPPLER" over "Left leg venous duplex for DVT"): the
    exam's side, as the title's own would be, for a site whose codes have sides."""
    sub = [m for m in p.title if m.key == "side" and m.section == "subtitle" and m.status == "performed"][:3]
    side = _side(sub)
    if side and _has_sides(p.lex, f.site, f.modality):
        f.side = side
        f.add("side", sub, "title")


# the side marker the images carry ("Images labeled R", "images are marked RIGHT by the technologist",
# "films labelled as left")
_LABELLED_SIDE_RX = re.compile(r"\b(?:images?|films?|radiographs?)[ \t]{1,3}(?:(?:are|were|is|was)[ \t]{1,3})?"
                               r"(?:labell?ed|marked)[ \t]{1,3}(?:as[ \t]{1,3})?(?:the[ \t]{1,3})?"
                               r"(?:(?P<r>right|rt|r)|(?P<l>left|lt|l))\b", re.IGNORECASE)
_LABEL_SECTIONS = ("technique", "body", "findings", "impression", "subtitle")


def _labelled_side(f: Frame, p: Pools) -> None:
    """A one-exam radiograph of a sided site whose report says its images carry the other side's marker
    ("XR HAND LEFT": "Images labeled R.") imaged that side (CODING_RULES §6: laterality in title vs report,
    the performed side is coded; the title conflicts); one side's labels only."""
    if f.modality != "XR" or p.multi or f.side not in ("left", "right") or not _has_sides(p.lex, f.site, f.modality):
        return
    labels = [x for sec in p.sections if sec.name in _LABEL_SECTIONS
              and may_match(_LABELLED_SIDE_RX, p.low, sec.start, sec.end)
              for x in _LABELLED_SIDE_RX.finditer(p.text, sec.start, sec.end)]
    said = {"right" if x["r"] else "left" for x in labels}
    if len(said) != 1 or f.side in said:
        return
    side = next(iter(said))
    spans = [x.span() for x in labels]
    marks = [m for m in p.perf + p.fallback if m.key == "side" and any(a <= m.start < b for a, b in spans)]
    f.correct_side(side, marks)


_COMPARISON_OR_PART = re.compile(r"\bcompar\w*|\binclud\w*|\bpelvis\b|\bstanding\b|\bweight[\s-]*bearing\b", re.IGNORECASE)


def _views_of_both_sides(f: Frame, sides: list[Mention], p: Pools) -> list[Mention]:
    """The technique's side mentions when every technique sentence with projections and a side states
    them of both sides ("both" / "bilateral", or the right and the left side in one sentence), none for
    comparison, in a film of other anatomy or a standing view of both (its own code); [] otherwise."""
    if f.modality == "DUPLEX":
        return _duplex_both_sides(sides, p)
    if f.modality != "XR":
        return []
    projs = {(m.doc_id, m.sent) for m in p.perf if m.key in ("proj", "views") and m.status == "performed"}
    by_sent: dict[tuple[int, int], list[Mention]] = {}
    for m in sides:
        if (m.doc_id, m.sent) in projs and m.section in PERFORMED_SECTIONS:
            by_sent.setdefault((m.doc_id, m.sent), []).append(m)
    both = []
    for ms in by_sent.values():
        values = {m.value for m in ms}
        a, b = sentence_bounds(p.text, ms[0].start)
        if values not in ({"bilateral"}, {"left", "right"}) or _COMPARISON_OR_PART.search(p.text, a, b):
            return []  # a sentence of one side's views, or the other side for comparison / in the film
        both += ms
    return both


def _duplex_both_sides(sides: list[Mention], p: Pools) -> list[Mention]:
    """A duplex technique whose every sentence naming a side states the scan of both ("color and
    spectral Doppler of the femoral, popliteal and calf veins bilaterally", "Both legs were examined"),
    none a vessel sampled for comparison or another study: the technique's side mentions; [] otherwise."""
    both = []
    for m in sides:
        if m.section not in PERFORMED_SECTIONS:
            continue
        a, b = sentence_bounds(p.text, m.start)
        t = p.text[a:b]
        if m.value != "bilateral" or not _DUPLEX_SCANNED_RX.search(t) or _DUPLEX_SCANNED_NOT_HERE_RX.search(t):
            return []
        both.append(m)
    return both


def _body_views_side(f: Frame, p: Pools) -> None:
    """A radiograph without a technique statement whose body states its views of the other side than
    the title's ("XR ELBOW RIGHT 2V": "AP and lateral views of the LEFT elbow") imaged that side
    (CODING_RULES §6: laterality in title vs report, the performed side is coded; the title conflicts)."""
    if f.modality != "XR" or p.multi or f.side not in ("left", "right") or f.sources.get("side") != "title":
        return
    stated = _body_views_statement(f, p)
    if not stated:
        return
    key = (stated[0].doc_id, stated[0].sent)
    sides = [m for m in p.fallback if m.key == "side" and m.status == "performed" and (m.doc_id, m.sent) == key]
    other = {m.value for m in sides}
    if len(other) == 1 and other <= {"left", "right"} and f.side not in other:
        f.correct_side(sides[0].value, sides)


# a mammography views statement ("Right CC, MLO and spot compression views", "Magnification CC and ML
# views of R breast") and the sides it names ("R breast" / "L breast" only before the breast)
_MAMMO_VIEWS_RX = re.compile(r"\b(?:cc|mlo|ml|lm|craniocaudal|mediolateral)\b", re.IGNORECASE)
_MAMMO_SIDE_RX = re.compile(r"\b(?:(?P<r>right|rt)|(?P<l>left|lt)|(?P<b>bilateral\w*|both|each))\b|"
                            r"\b(?:(?P<r1>r)|(?P<l1>l))\s+(?:breast|cfv|cfa|fv|sfv|sfa|pfv|ica|cca|eca|gsv|ssv|ijv|"
                            r"leg|arm|calf|thigh|groin|popliteal|femoral|carotid|subclavian|axillary|brachial)\b",
                            re.IGNORECASE)
# (only standard views decide the side: views named additional, "Additional right spot magnification CC and ML
# views", and spot, exaggerated (XCCL), rolled or tangential views naming no standard view work up a finding of
# a study whose standard views are the title's)
_MAMMO_VIEWS_NOT_HERE_RX = re.compile(r"\b(?:no|not|prior|previous\w*|compar\w*|recommend\w*|will|should|if|"
                                      r"mastectomy|additional|addl|further|supplement\w*|(?:19|20)\d\d)\b",
                                      re.IGNORECASE)


def _mammogram_views_side(f: Frame, p: Pools) -> None:
    """A mammogram titled bilateral whose report has no technique statement of sides and whose views
    statements in the findings or body name one breast only ("Magnification CC and ML views of R
    breast", "Right CC, MLO and spot views") imaged that breast (CODING_RULES §6: 77065 for one side)."""
    if f.modality == "MG":
        _one_side_stated(f, p, _MAMMO_VIEWS_RX, _MAMMO_VIEWS_NOT_HERE_RX, technique_rx=_MAMMO_VIEWS_RX)


# a duplex report's statement of what was scanned ("Grey scale compression and color Doppler imaging of the
# deep veins of the right leg"), and what makes it none ("the left CFV was sampled for symmetry only", "no DVT")
_DUPLEX_SCANNED_RX = re.compile(r"\b(?:compression|doppler|duplex|imaging|imaged|scanned|interrogated|insonated|"
                                r"evaluated|examined|studied)\b", re.IGNORECASE)
_DUPLEX_SCANNED_NOT_HERE_RX = re.compile(_FOR_COMPARISON_RX.pattern + r"|\bwave-?forms?\s+only\b|"
                                         r"\b(?:no|not|prior|previous\w*|compar\w*|recommend\w*|if|last|yesterday|ago|"
                                         r"earlier|(?:19|20)\d\d)\b",
                                         re.IGNORECASE)
# a findings sentence that describes a side's vessels or any duplex finding ("Left lower extremity: No evidence of
# DVT", "Left ICA PSV 98 cm/s"): that side was examined too, unless a sentence says it was only sampled (for
# symmetry, comparison, waveforms only) or not examined, or the sentence is about another study
_DUPLEX_DESCRIBED_RX = re.compile(r"\b(?:(?:non)?compressib\w*|psv|edv|velocit\w*|flow|wave-?forms?|thromb\w*|dvt|"
                                  r"stenos\w*|plaque|occlu\w*|patent|phasic\w*|augment\w*|reflux|veins?|venous|"
                                  r"arter\w*|ica|cca|eca|carotids?|femoral|popliteal|cfv|sfa|cfa|tibial|peroneal|"
                                  r"saphenous|gsv|iliac|subclavian|axillary|brachial|radial|ulnar|basilic|cephalic|"
                                  r"jugular|ijv)\b", re.IGNORECASE)
_DUPLEX_SAMPLED_RX = re.compile(_FOR_COMPARISON_RX.pattern + r"|\bwave-?forms?\s+only\b|\bsampled\b|"
                                + SIDE_UNDONE_RX.pattern, re.IGNORECASE)
_DUPLEX_OTHER_STUDY_RX = re.compile(r"\b(?:prior|previous\w*|last|yesterday|ago|earlier|(?:19|20)\d\d)\b",
                                    re.IGNORECASE)


def _duplex_scanned_side(f: Frame, p: Pools) -> None:
    """A limb or carotid duplex titled bilateral whose report has no technique statement of sides and
    whose body says what was scanned on one side only ("compression and color Doppler imaging of the
    deep veins of the right leg"; the other side's vein sampled for symmetry only) is that side's
    unilateral study (CODING_RULES §5, §6: 93971, 93926, 93882)."""
    if f.modality == "DUPLEX" and _has_sides(p.lex, f.site, f.modality):
        _one_side_stated(f, p, _DUPLEX_SCANNED_RX, _DUPLEX_SCANNED_NOT_HERE_RX, described_rx=_DUPLEX_DESCRIBED_RX)


def _sides_named(t: str) -> set[str]:
    """The sides a sentence names: "r", "l", "b" (both) (read only for the sentences that need them)."""
    return {k[0] for m in _MAMMO_SIDE_RX.finditer(t) for k, v in m.groupdict().items() if v}


def _prose_sentences(p: Pools, names: tuple[str, ...]) -> Iterator[tuple[str, re.Match]]:
    """(section name, sentence match) of the sentences of the ``names`` sections, in text order."""
    for sec in p.sections:
        if sec.name in names:
            for sm in _PROSE_RX.finditer(p.text, sec.start, sec.end):
                yield sec.name, sm


def _described_sides(p: Pools, described_rx: re.Pattern) -> set[str]:
    """The sides (``"r"``, ``"l"``) the findings / body sentences of ``described_rx`` describe, less
    those a sentence says were only sampled or not examined (read only once a statement of what was
    imaged has named a side: most reports never need them)."""
    described: set[str] = set()
    sampled: set[str] = set()
    for _name, sm in _prose_sentences(p, ("subtitle", "findings", "body")):
        t = sm.group()
        if _DUPLEX_SAMPLED_RX.search(t):
            sampled |= _sides_named(t)
        elif described_rx.search(t) and not _DUPLEX_OTHER_STUDY_RX.search(t):
            described |= _sides_named(t) & {"r", "l"}
    return described - sampled


def _one_side_stated(f: Frame, p: Pools, stated_rx: re.Pattern, not_here_rx: re.Pattern,
                     described_rx: re.Pattern | None = None, technique_rx: re.Pattern | None = None) -> None:
    """A bilateral title whose findings/body statements of what was imaged (``stated_rx``, none of
    ``not_here_rx``) name one side only: that side, the title a conflict. A statement naming no side
    is the title's (both sides), as is a technique sentence of ``technique_rx`` naming no side; a
    sentence describing the other side (``described_rx``) counts that side as examined unless the
    report says that side was only sampled or not examined."""
    if p.multi or f.sources.get("side") != "title" or not (
            f.side == "bilateral" or (described_rx is not None and f.side in ("left", "right"))):
        return  # (a duplex titled with one side whose body scanned the other only: that side)
    sides: set[str] = set()
    said: list[Mention] = []
    for name, sm in _prose_sentences(p, ("subtitle", "findings", "body", "technique")):
        t = sm.group()
        if name == "technique":
            if technique_rx is not None and technique_rx.search(t) and not not_here_rx.search(t) \
                    and _sides_named(t) <= {"b"}:
                sides.add("b")
            continue
        if not stated_rx.search(t) or not_here_rx.search(t):
            continue
        # (views with no side named are the title's: "Standard CC and MLO views. Right spot views.")
        found = _sides_named(t) or {"b"}
        sides |= found
        if found != {"b"}:
            said.append(Mention("side", "x", sm.start(), sm.end(), name, t.strip()[:80], 0, -1))
    if sides - {"b"} and described_rx is not None:
        sides |= _described_sides(p, described_rx)  # (a described side never decides alone)
    if len(sides) != 1 or sides == {"b"}:
        return
    side = "right" if sides == {"r"} else "left"
    if side == f.side:
        return
    ms = [replace(m, value=side) for m in said]
    f.correct_side(side, ms, source="findings")


# "only the right carotid system was examined", "Only right leg studied", "the left side only was
# scanned", "images of the right knee only"; an order changed
# or a study limited to one side ("bilateral order changed to right only", "converted to a left
# leg only study", "exam limited to the right lower extremity"): one side of a bilateral title
# performed (CODING_RULES §5, §6)
_ONLY_SIDE_RX = re.compile(
    r"\bonly\s+(?:the\s+)?(left|right)\b[^.;\n]{0,60}?\b(?:(?:was|were|is|are)\s+)?(?:examined|imaged|scanned|evaluated|studied)\b"
    r"|\b(?:the\s+)?(left|right)\s+(?:[a-z]+\s+){0,2}?only\s+(?:was|were)\s+(?:examined|imaged|scanned|evaluated|studied)\b"
    r"|\b(?:images|sequences|views|imaging|scans?)\s+of\s+the\s+(left|right)\s+(?:[a-z]+\s+){0,2}?only\b"
    r"|\b(?:changed|converted|modified|amended|reduced|downgraded)\s+to\s+(?:an?\s+|the\s+)?(left|right)"
    r"(?:[\s-]+(?:side|sided|leg|arm|limb|lower|upper|extremity|le|ue|lle|rle|lue|rue))*[\s-]+only\b"
    r"|\b(?:study|exam|examination|evaluation|scan|order)\s+(?:was\s+)?(?:limited|restricted)\s+to\s+the\s+(left|right)\s+"
    r"(?:side|leg|arm|limb|lower|upper|extremity)\b"
    # "Performed: left upper extremity only", "scanned: right leg only"
    r"|\b(?:performed|done|scanned|examined|imaged|studied)\s*:\s*(?:the\s+)?(left|right)\s+(?:[a-z]+\s+){0,2}?only\b",
    re.IGNORECASE)


def _only_side_examined(f: Frame, p: Pools) -> None:
    """A bilateral study the report says examined one side only is that side (a statement in the
    history or comparison is about another study)."""
    if f.side != "bilateral" or p.multi or not _has_sides(p.lex, f.site, f.modality) or not may_match(_ONLY_SIDE_RX, p.low):
        return
    said = {next(g for g in m.groups() if g) for m in _ONLY_SIDE_RX.finditer(p.text)
            if not any(s.name in _NOT_THIS_STUDY and s.start <= m.start() < s.end for s in p.sections)}
    if len(said) != 1:
        return
    side = said.pop().lower()
    f.conflicts.append(Conflict("side", f.side, side, f.evidence.get("side", []), []))
    f.side = side
    f.sources["side"] = "technique"


def _unexamined_side(f: Frame, p: Pools) -> None:
    """A side the report says was not examined ("RIGHT: Not examined.", "the right breast was
    not scanned") is not a side of the study: a bilateral title becomes the other side, a
    one-sided title the other side when the report documents that one (CODING_RULES §6)."""
    if f.side not in ("left", "right", "bilateral") or not _has_sides(p.lex, f.site, f.modality):
        return
    pool = [m for m in p.perf + p.fallback if m.key in ("side", "site")]
    sides = [m for m in p.for_frame([m for m in pool if m.key == "side"], f, pool, p.multi)
             if m.value in ("left", "right")]
    undone = [m for m in sides if _not_examined(m, f, pool, p)]
    if not undone:
        return
    gone = {m.value for m in undone}
    other = {"left": "right", "right": "left"}
    if len(gone) > 1:
        return
    (side,) = gone
    done = [m for m in sides if m.value == other[side] and m.status == "performed"]
    if f.side == side and not done or f.side not in (side, "bilateral"):
        return
    f.correct_side(other[side], undone + done)


def _not_examined(m: Mention, f: Frame, pool: list[Mention], p: Pools) -> bool:
    """The side mention is followed, in its sentence, by a not-examined cue with no other
    anatomy in between ("the left vertebral artery was not seen" is about the vertebral)."""
    tail = _SENTENCE_RX.match(p.text, m.end)
    if tail is None:
        return False
    cue = SIDE_UNDONE_RX.search(tail.group())
    if cue is None:
        return False
    stop = m.end + cue.start()
    mine = {f.site, *site_parts(f.site, p.lex)}
    # the limb that holds the exam's anatomy is no other anatomy ("the left leg was not examined"
    # on an arterial duplex): a broader site (regions.tsv generic=) than the frame's
    level = _generic(p.lex, f.site)
    return not any(x.key == "site" and m.end <= x.start < stop and x.value not in mine and
                   x.doc_id == m.doc_id and _generic(p.lex, x.value) <= level and
                   not _same_region(p.lex, x.value, f) for x in pool)


def _same_region(lex: Lexicon, site: str, f: Frame) -> bool:
    """The site names, for the frame's modality, the frame's own region ("the right neck could not be
    imaged" on a carotid duplex: the neck of a duplex is the carotid study)."""
    a, b = lex.sites.get(site), lex.sites.get(f.site or "")
    if a is None or b is None or f.modality is None:
        return False
    region = a.regions.get(f.modality)
    return region is not None and region == b.regions.get(f.modality)


# the MR sequences a technique sentence lists ("axial and coronal T2, FLAIR, DWI, axial 3D TOF MRA of the posterior
# fossa source images, precontrast and postcontrast 3D T1")
_MR_SEQUENCE_WORD = re.compile(r"\b(?:t1|t2|flair|stir|dwi|diffusion|swi|fiesta|ciss|gre|pd)\b", re.IGNORECASE)


def _mra_sequence_listed(m: Mention, text: str) -> bool:
    """Is an MRA the technique names one sequence among the MRI's (two or more other sequences listed in its
    sentence): a source sequence read with the MRI, no angiographic study of its own (CODING_RULES §6)?"""
    a, b = sentence_bounds(text, m.start)
    return len(_MR_SEQUENCE_WORD.findall(text, a, m.start)) + len(_MR_SEQUENCE_WORD.findall(text, m.end, b)) >= 2


def resolve_qualifiers(f: Frame, p: Pools) -> None:
    _technique_qualifiers(f, p)
    _narrative_radiograph_qualifiers(f, p)
    _narrative_protocol(f, p)
    _drug_given_in_body(f, p)
    _title_drug_not_given(f, p)
    _perfusion_study_count(f, p)
    _spect_without_ct(f, p)
    _pet_extent(f, p)
    _apply_addendum_qualifiers(f, p)
    _infant_patient(f, p)
    _survey_over_infancy(f, p)
    _survey_of_whole_skeleton(f, p)
    _indication_from_history(f, p.history or _body_indication(f, p), p)
    _symptomatic_screening(f, p)
    _personal_history_screening(f, p)
    _extent_not_limited(f, p)
    # the technique may name the angiographic study the title calls plain CT / MR
    # (a negated one, "CTA not performed due to contrast limit", names none)
    pm = {m.value for m in p.for_frame([m for m in p.perf if m.key == "modality" and m.status != "negated"], f, p.perf,
                                       p.multi)
          if not (m.value == "MRA" and f.modality == "MR" and _mra_sequence_listed(m, p.text))}
    if not p.multi and (f.modality == "CT" and "CTA" in pm or f.modality == "MR" and "MRA" in pm):
        f.quals.add("angio")
    if f.modality in _ANGIO and "angio" in f.quals:
        f.modality = _ANGIO[f.modality]
    plain = {v: k for k, v in _ANGIO.items()}
    done = {m.value for m in p.perf if m.key == "modality" and m.status == "performed"}
    if f.modality in plain and f.modality not in done and any(
            m.key == "modality" and m.value == f.modality and m.status == "negated" for m in p.perf) and (
            not p.multi and plain[f.modality] in done or _cta_without_any_contrast(f, p)):
        # "CTA HEAD" titled, "the CT angiogram was not performed", a plain CT was: bill the plain CT
        f.conflicts.append(Conflict("modality", f.modality, plain[f.modality], f.evidence.get("modality", []),
                                    [m for m in p.perf if m.key == "modality"]))
        f.modality = plain[f.modality]
        f.quals.discard("angio")
    _angiogram_done_as_routine(f, p)
    _angiogram_without_contrast(f, p)
    _structural_heart_ct(f, p)
    _rendering_workstation(f, p)
    if f.side in ("left", "right", "unilateral") and (f.modality == "DUPLEX" or f.modality == "US" and f.site == "kidney"):
        # duplex "unilateral or limited" codes; one kidney is a limited retroperitoneal study (76775)
        f.quals.add("one_side")
    if {"double_contrast", "single_contrast"} <= f.quals:
        _single_contrast_only(f, p)
    if {"double_contrast", "single_contrast"} <= f.quals:
        f.quals.discard("single_contrast")  # a double-contrast study includes single-contrast views
    _title_component_undone(f, p)
    _pancreatic_duct_not_imaged(f, p)
    _pancreatic_duct_imaged(f, p)
    _transplant_kidney_without_duplex(f, p)
    for q, n in _TWINS.items():
        if q in f.quals:
            f.multiplicity = n
    _discography_levels(f, p)


# a disc level of the spine ("L4-5", "L5-S1", "C5/6", "T11-T12")
_DISC_LEVEL_RX = re.compile(r"\b([CTL])(\d{1,2})\s*[-/]\s*(?:([CTLS])\s*)?(\d{1,2})\b", re.IGNORECASE)
_DISC_LEVEL_SECTIONS = frozenset({"exam", "subtitle", "technique", "body", "findings"})


def _discography_levels(f: Frame, p: Pools) -> None:
    """Discography supervision and interpretation is reported per disc level injected (72285 / 72295 x the
    levels): the distinct disc levels the title, procedure and findings name ("PROVOCATIVE LUMBAR DISCOGRAPHY
    L4-5 AND L5-S1": 2); the history's levels (an MRI's herniation) are not injected levels."""
    if f.modality != "FL" or "discography" not in f.quals:
        return
    levels = set()
    for sec in p.sections:
        if sec.name not in _DISC_LEVEL_SECTIONS:
            continue
        for m in _DISC_LEVEL_RX.finditer(p.text, sec.start, sec.end):
            levels.add((m.group(1).upper(), int(m.group(2))))
    if len(levels) > 1:
        f.multiplicity = len(levels)


# a CT angiogram the report says was done as a routine contrast study instead ("performed as a routine
# contrast-enhanced CT of the chest in the portal venous phase", "PE timing not achieved; a routine venous
# phase study was performed instead"; a bolus timing "not optimized" alone is still the CTA) ... and says it
# produced no angiographic reconstructions ("No angiographic reformations", "no MIP images were created"): both
# needed
_ROUTINE_INSTEAD_RX = re.compile(
    r"\b(?:performed|done|obtained|acquired)\s+as\s+an?\s+routine\b|\broutine\s+(?:\w+\s+){0,2}?(?:(?:portal\s+)?venous[- ]phase|"
    r"contrast[- ]enhanced)\b", re.IGNORECASE)
_NO_ANGIO_RECONSTRUCTION_RX = re.compile(
    r"\bno\s+(?:angiographic|MIPs?|maximum\s+intensity\s+projection)\s+(?:\w+\s+)?(?:reconstructions?|reformat\w*|"
    r"images?)\b", re.IGNORECASE)
# ... unless a sentence says the angiographic acquisition itself was done ("Pulmonary arterial phase CT
# angiography with bolus tracking", "CT angiography ... followed by routine portal venous phase images"): a
# CTA whose reconstructions are missing stays the CTA, with the documentation flag (CODING_RULES §2)
_ANGIO_ACQUIRED_RX = re.compile(r"\b(?:arterial[- ]phase|bolus[- ]track\w*|ct\s+angiogra\w*|cta)\b", re.IGNORECASE)
_ANGIO_NOT_ACQUIRED_RX = re.compile(r"\b(?:no|not|failed|fail\w*|missed|late|infiltrat\w*|instead|attempt\w*|"
                                    r"suboptimal|unable|aborted|abandoned|converted|if|planned|ordered|requested)\b",
                                    re.IGNORECASE)


def _angiographic_acquisition_said(p: Pools) -> bool:
    return any(_ANGIO_ACQUIRED_RX.search(sm.group()) and not _ANGIO_NOT_ACQUIRED_RX.search(sm.group())
               for sec in p.sections if sec.name in ("technique", "body")
               for sm in _PROSE_RX.finditer(p.text, sec.start, sec.end))


def _angiogram_done_as_routine(f: Frame, p: Pools) -> None:
    """A CTA the report says was performed as a routine contrast CT with no angiographic reconstruction
    is that contrast CT (CODING_RULES §6: bill what was performed; §2: a CTA needs its 3D / MIP
    reconstruction), the title conflicting."""
    if f.modality != "CTA" or p.multi:
        return
    said = [m for sec in ("technique", "body") for m in _sections_matches(p, sec, _ROUTINE_INSTEAD_RX)]
    if not said or not any(_sections_matches(p, sec, _NO_ANGIO_RECONSTRUCTION_RX) for sec in ("technique", "body")) \
            or _angiographic_acquisition_said(p):
        return
    plain = {v: k for k, v in _ANGIO.items()}["CTA"]
    m = said[0]
    ev = [Mention("modality", plain, m.start(), m.end(), "technique", m.group(0), 0, -1)]
    f.conflicts.append(Conflict("modality", f.modality, plain, f.evidence.get("modality", []), ev))
    f.modality = plain
    f.quals.discard("angio")
    if f.contrast is None:
        f.contrast = "with"
        f.add("contrast", [Mention("contrast", "with", m.start(), m.end(), "technique", m.group(0), 0, -1)], "technique")


def _cta_without_any_contrast(f: Frame, p: Pools) -> bool:
    """A CTA the technique says was not done ("the contrast CTA was not performed" after the calcium
    score) in a report whose technique documents a plain series and no contrast given: no CT angiogram
    of any exam was done (a CTA includes its contrast, CODING_RULES §2), whatever else the title names."""
    if f.modality != "CTA":
        return False
    said = [m for m in p.perf if m.key == "modality" and m.value == "CTA" and m.section in _NOT_DONE_SECTIONS]
    if not said or not all(m.status == "negated" and EXAM_NOT_DONE_RX.search(p.text, *sentence_bounds(p.text, m.start))
                           for m in said):
        return False
    contrast = [m for m in p.perf if m.key == "contrast"]
    return any(m.value == "without" and m.status == "performed" for m in contrast) and not any(
        m.value in ("with", "without_then_with") and m.status == "performed" for m in contrast)


def _angiogram_without_contrast(f: Frame, p: Pools) -> None:
    """A CTA / MRA title whose technique documents a plain study only ("IV contrast was not administered.
    Noncontrast CT of the chest performed"; "Performed: CT chest without contrast"): a CT angiogram
    includes its contrast and cannot be done without it, so the plain CT / MR that was performed is billed
    (CODING_RULES §2, §6), the title conflicting. (MRA needs no contrast: only CTA.)"""
    if f.modality != "CTA" or p.multi or f.contrast != "without" or f.sources.get("contrast") != "technique" \
            or _angiographic_acquisition_said(p):
        return
    if any(m.key == "contrast" and m.value in ("with", "without_then_with") and m.status == "performed"
           for m in p.perf):
        return
    if all(_NOT_ABOUT_THE_STUDY.match(p.text, m.end) for m in f.evidence.get("contrast", [])):
        return  # "no IV contrast complications": nothing said of the study's contrast
    plain = {v: k for k, v in _ANGIO.items()}["CTA"]
    f.conflicts.append(Conflict("modality", f.modality, plain, f.evidence.get("modality", []),
                                f.evidence.get("contrast", [])))
    f.modality = plain
    f.quals.discard("angio")


# a contrast CT of the heart done for its structure: valve and access planning ("TAVR", "TAVI", "annular
# sizing"), the left atrial appendage, pulmonary vein mapping
_STRUCTURAL_HEART_RX = re.compile(
    r"\b(?:tavr|tavi|transcatheter\s+aortic\s+valve|annul(?:us|ar)|structural\s+heart|left\s+atrial\s+appendage|"
    r"pulmonary\s+vein\s+(?:mapping|anatomy))\b", re.IGNORECASE)
# ... and the coronary arteries read for stenosis (a coronary CTA: "CAD-RADS 2", "LAD: 50-69% stenosis")
_CORONARY_READ_RX = re.compile(r"\bcad-?rads\b|\b(?:coronar\w*|lad|lcx|rca|left\s+main|circumflex)\b[^.;\n]{0,80}?"
                               r"\b(?:stenos[ie]s|occlu\w*|plaque)\b", re.IGNORECASE)
_NOT_READ_RX = re.compile(r"\bnot\s+(?:assessed|evaluated|analy[sz]ed|interpreted)\b", re.IGNORECASE)


def _structural_heart_ct(f: Frame, p: Pools) -> None:
    """A heart CTA done for the heart's structure ("ECG-gated CTA of the aortic root for TAVR planning",
    "pulmonary vein mapping") whose report reads no coronary artery for stenosis ("proximal coronaries
    not assessed for stenosis") is the contrast CT of cardiac structure (75572), not the coronary CTA
    (75574: the coronary arteries and grafts) (CODING_RULES §6: bill what was performed)."""
    if f.modality != "CTA" or p.lex.region_for(f.site, "CTA") != "coronary" or not _STRUCTURAL_HEART_RX.search(p.text):
        return
    for sm in _PROSE_RX.finditer(p.text):
        if _CORONARY_READ_RX.search(sm.group()) and not _NOT_READ_RX.search(sm.group()):
            return
    f.modality = "CT"
    f.quals.discard("angio")
    f.quals.add("structure")
    if f.contrast is None:
        f.contrast = "with"
        f.sources["contrast"] = "inferred"


_WORKSTATION_ATOMS = frozenset({"3d_workstation", "no_workstation"})


def _rendering_workstation(f: Frame, p: Pools) -> None:
    """The 3D rendering line of a report that names it beside its exam ("MRI PROSTATE ... AND 3D
    POSTPROCESSING") takes the workstation the technique states ("3D rendering performed on an
    independent workstation"), whichever exam's sentence states it: only the rendering has one
    (76377 vs 76376)."""
    if f.modality != "POST" or f.quals & _WORKSTATION_ATOMS:
        return
    said = [m for m in p.perf if m.key == "qual" and m.value in _WORKSTATION_ATOMS and m.status == "performed"]
    if len({m.value for m in said}) == 1:
        f.quals.add(said[0].value)
        f.add("qual", said, "technique")


# components a title may add to its study that the report can say were not done ("UGI W SBFT": "small bowel
# follow-through was cancelled, the patient vomited")
TITLE_COMPONENTS = frozenset({"followthrough_addon", "vertebral_fracture_assessment"})


def _title_component_undone(f: Frame, p: Pools) -> None:
    """A component the title adds (the small bowel follow-through of "UGI W SBFT") that the report says
    was cancelled or not performed, and nowhere says was done, is not billed (CODING_RULES §6: bill what
    was performed); the title conflicts."""
    for q in f.quals & TITLE_COMPONENTS:
        said = [m for m in p.perf + p.fallback if m.key == "qual" and m.value == q
                and m.section in _NOT_DONE_SECTIONS and m.status != "historical"]
        undone = [m for m in said if m.status == "negated"
                  and EXAM_NOT_DONE_RX.search(p.text, *sentence_bounds(p.text, m.start))]
        if undone and not any(m.status == "performed" for m in said):
            f.conflicts.append(Conflict("qualifier", q, "not performed", f.evidence.get("qual", []), undone))
            f.quals.discard(q)


# what says an ultrasound's Doppler was not done: the grayscale study said to be the only one ("grayscale
# only", "only B-mode images"), or a Doppler word said not done ("no color or spectral images", "without
# Doppler", "Doppler deferred / was not performed")
_GRAYSCALE_ONLY_RX = re.compile(r"\b(?:gr[ae]y[- ]?scale|b[- ]mode)\s+(?:images?\s+|imaging\s+)?only\b|"
                                r"\bonly\s+(?:gr[ae]y[- ]?scale|b[- ]mode)\b", re.IGNORECASE)
_DOPPLER_WORD = r"(?:doppler|duplex|spectral|color\s+flow|waveforms?)"
_NO_DOPPLER_RX = re.compile(rf"\b(?:no|without)\s+(?:\w+\s+){{0,3}}?{_DOPPLER_WORD}\b|"
                            rf"\b{_DOPPLER_WORD}\b[^.;,\n]{{0,30}}?\b(?:deferred|omitted|unavailable|cancel+ed|"
                            r"not\s+(?:be\s+|been\s+)?(?:performed|obtained|done|acquired|possible|available))\b", re.IGNORECASE)
_DOPPLER_WORD_RX = re.compile(rf"\b{_DOPPLER_WORD}\b", re.IGNORECASE)


def _transplant_kidney_without_duplex(f: Frame, p: Pools) -> None:
    """A transplanted kidney's ultrasound whose report says its Doppler was not done ("grayscale only,
    Doppler deferred") and states no Doppler done is the kidney's grayscale study alone: one kidney, the
    limited retroperitoneal ultrasound (76775), not the study with duplex (76776: CODING_RULES §6, bill
    what was performed); the title conflicts."""
    if f.modality != "US" or f.site != "transplant_kidney":
        return
    undone = said = False
    for sec in p.sections:
        if sec.name not in _NOT_DONE_SECTIONS + ("impression", "subtitle"):
            continue
        for sm in _PROSE_RX.finditer(p.text, sec.start, sec.end):
            t = sm.group()
            if _GRAYSCALE_ONLY_RX.search(t) or _NO_DOPPLER_RX.search(t):
                undone = True
            elif _DOPPLER_WORD_RX.search(t):
                said = True
    if undone and not said:
        f.conflicts.append(Conflict("qualifier", "duplex", "not performed", f.evidence.get("site", []), []))
        f.site = "kidney"
        f.quals.add("one_side")

def _pancreatic_duct_not_imaged(f: Frame, p: Pools) -> None:
    """An ERCP whose report says the pancreatic duct was not opacified or not cannulated, and nowhere
    that it was imaged, is the biliary ductal imaging alone (74328), not the combined study (region_rules:
    ercp+biliary)."""
    if f.modality != "FL" or "ercp" not in f.quals:
        return
    said = [m for m in p.perf + p.fallback if m.key == "site" and m.value == "pancreatic_duct"
            and m.section not in ("exam", "history", "comparison") and m.status != "historical"]
    if said and all(m.status == "negated" and _DUCT_NOT_IMAGED_RX.search(p.text, *sentence_bounds(p.text, m.start))
                    for m in said):
        # (its cholangiogram is the endoscopic one, not an intraoperative cholangiogram)
        f.quals -= {"intraoperative_cholangiography", "pancreatic"}
        f.quals |= {"biliary", "ercp_biliary"}


# what says a duct was not imaged ("the pancreatic duct was not opacified / could not be cannulated"), not
# a finding of it ("not dilated")
_DUCT_NOT_IMAGED_RX = re.compile(r"\bnot\s+(?:be\s+|been\s+)?(?:opacified|cannulated|injected|filled|imaged|"
                                 r"visuali[sz]ed)\b", re.IGNORECASE)
# ... and what says it was ("the CBD and the pancreatic duct were cannulated and opacified", "pancreatogram")
_DUCT_IMAGED_RX = re.compile(r"\b(?:opacif\w*|cannulat\w*|injected|filled|pancreatogra\w*)\b", re.IGNORECASE)


def _pancreatic_duct_imaged(f: Frame, p: Pools) -> None:
    """An ERCP that a bile duct word made the biliary study (74328) whose technique or body says the
    pancreatic duct was opacified too ("Both the common bile duct and the pancreatic duct were cannulated
    and opacified") is the combined biliary and pancreatic ductal study (74330; region_rules: the
    pancreatic qualifier): what was imaged is billed (CODING_RULES §6)."""
    if f.modality != "FL" or "ercp" not in f.quals or "biliary" not in f.quals or "pancreatic" in f.quals:
        return
    said = [m for m in p.perf + p.fallback if m.key == "site" and m.value == "pancreatic_duct" and m.status == "performed"
            and m.section in ("technique", "body")]
    for m in said:
        a, b = sentence_bounds(p.text, m.start)
        if _DUCT_IMAGED_RX.search(p.text, a, b) and not _DUCT_NOT_IMAGED_RX.search(p.text, a, b):
            f.quals.add("pancreatic")
            f.add("qual", [m], m.section)
            return


# a study done with one contrast only, in place of the double-contrast study titled ("effervescent granules
# refused; the study was performed single contrast with thin barium only")
_INSTEAD_RX = re.compile(r"\b(?:only|instead|rather\s+than|refus\w*|declin\w*|unable|could\s+not|not\s+tolerat\w*)\b",
                         re.IGNORECASE)


# ... and the gas part refused or not given ("effervescent granules refused by the patient")
_REFUSED_RX = re.compile(r"\b(?:refus\w*|declin\w*|unable|could\s+not|not\s+(?:tolerat\w*|given|administered|performed|"
                         r"obtained|retain\w*))\b", re.IGNORECASE)


def _single_contrast_only(f: Frame, p: Pools) -> None:
    """A double-contrast title whose report says the study was done single contrast only (the patient
    refused the gas granules) is the single-contrast study (CODING_RULES §6); the title conflicts. A
    report that documents double-contrast views too (a biphasic study) stays double contrast."""
    said = [m for m in p.perf + p.fallback if m.key == "qual" and m.status == "performed"
            and m.value in ("single_contrast", "double_contrast") and m.section != "impression"]
    single = [m for m in said if m.value == "single_contrast"
              and _INSTEAD_RX.search(p.text, *sentence_bounds(p.text, m.start))]
    double = [m for m in said if m.value == "double_contrast"
              and not _REFUSED_RX.search(p.text, *sentence_bounds(p.text, m.start))]
    if not single or double:
        return
    f.conflicts.append(Conflict("qualifier", "double_contrast", "single_contrast", f.evidence.get("qual", []), single))
    f.quals.discard("double_contrast")


_LIMITED_TO = re.compile(r"[ \t]+to\b", re.IGNORECASE)


def _extent_not_limited(f: Frame, p: Pools) -> None:
    """A CT "limited to the pelvis" names the region scanned, whose own code applies: not the
    limited (localized) follow-up study (76380), which a report calls limited outright ("LIMITED
    FOLLOW-UP CT PELVIS", "limited noncontrast CT at the level of the drain")."""
    if f.modality != "CT" or "limited" not in f.quals:
        return
    said = [m for m in f.evidence.get("qual", []) if m.value == "limited"]
    if said and all(_LIMITED_TO.match(p.text, m.end) for m in said):
        f.quals.discard("limited")


# what a radiograph's narrative may state about its series when no technique section does ("no
# separate chest view was taken": the rib series without the chest, CODING_RULES §4)
_NARRATIVE_XR_QUALS = frozenset({"no_chest_view"})


def _narrative_radiograph_qualifiers(f: Frame, p: Pools) -> None:
    if f.modality != "XR" or p.multi:
        return
    ms = [m for m in p.fallback if m.key == "qual" and m.value in _NARRATIVE_XR_QUALS and m.status == "performed"
          and m.section in ("body", "findings")]
    for m in ms:
        f.quals.add(m.value)
        f.add("qual", [m], "findings")


# the field of view of a limb study ("coronal T1 of the entire right thigh including the hip and knee
# joints", "from the knee joint to the ankle"): the joints bound the coverage, no joint study
_COVERAGE_RX = re.compile(r"\b(?:includ\w*|encompass\w*|to\s+include|from|through|spanning)\b[^.;:,\n]{0,50}$",
                          re.IGNORECASE)


# a study named as what another follows ("post-myelography CT", "post myelogram CT")
_POST_STUDY_BEFORE = re.compile(r"\bpost[\s-]?$", re.IGNORECASE)
_BARE_ADDITIONAL = frozenset({"additional", "addl", "add'l"})


def _technique_qualifiers(f: Frame, p: Pools) -> None:
    """Qualifiers the technique states are added; ones it negates are removed (a conflict when
    the title had them)."""
    # "axial images" only tells a header-less report's modality (_infer_modality), no qualifier
    # a bare "additional" in a technique names more images ("Additional transabdominal sweeps were
    # required"), not an add-on line ("ADD'L GESTATION" in a title; "each additional fetus" says which)
    ms = p.for_frame([m for m in p.perf if m.key == "qual" and m.value not in _MODALITY_HINTS
                      and not (m.value == "joint" and _COVERAGE_RX.search(p.text, max(0, m.start - 60), m.start))
                      and _prior_angiogram(m, p.text) is None and not _angiogram_contrast_left(m, p.text)
                      and not (m.value == "addon_requested" and m.section not in ("exam", "subtitle", "ordered")
                               and m.text.lower() in _BARE_ADDITIONAL)],
                     f, p.perf, p.multi)
    if p.multi:
        ms = [m for m in ms if _nearest_exam_is(m, f, p)]
        if _beside_angiogram(f, p):
            # "CT HEAD WO AND CTA HEAD": the technique's angiographic images are the CTA's (CODING_RULES §2)
            ms = [m for m in ms if m.value != "angio"]
        if f.modality == "CT":
            ms = [m for m in ms if not _hybrid_ct_word(m, p.text)]
    # an approach stated as done ("only a limited transabdominal survey was obtained") is not undone
    # by what it failed to show ("the adnexa were not visualized transabdominally")
    done = {m.value for m in ms if m.status == "performed" and m.value in _APPROACHES}
    # a component the technique says was not done is not done by another word for it in the same
    # sentence ("tomosynthesis could not be acquired because of a fault on the DBT unit")
    undone = {(m.doc_id, m.sent, m.value) for m in ms if m.status == "negated" and m.value not in done}
    for m in ms:
        if m.status == "performed" and (m.doc_id, m.sent, m.value) in undone:
            continue
        if m.status == "negated":
            if m.value in done or _POST_STUDY_BEFORE.search(p.text, max(0, m.start - 6), m.start):
                # (a "post-myelography CT was deferred" undoes the CT, not the myelogram)
                continue
            if m.value in f.quals:
                f.conflicts.append(Conflict("qualifier", m.value, "not performed", f.evidence.get("qual", []), [m]))
            f.quals.discard(m.value)
        else:
            f.quals.add(m.value)
            f.add("qual", [m], "technique")
    if not (f.modality == "US" and (f.region or p.lex.region_for(f.site, "US")) in p.lex.elements):
        # (a US region with required elements: the documented elements decide, complete_elements)
        _limited_beats_complete(f, ms, p.text)
    _composite_parts(f, ms, p.lex)


# "limited" as a remark on image quality, not the extent of the study ("evaluation is limited by
# bowel gas", "technically limited")
_QUALITY_BEFORE = re.compile(r"\b(?:is|was|were|are|been|somewhat|partially|slightly|technically|mildly)\s+$",
                             re.IGNORECASE)
_QUALITY_AFTER = re.compile(r"\s+(?:by|due|secondary|because|in|to|visuali[sz]ation)\b", re.IGNORECASE)


def _limited_beats_complete(f: Frame, ms: list[Mention], text: str) -> None:
    """A technique that states a limited (focused, targeted) study beats a title's "complete"
    (CODING_RULES §5/§6: complete ordered, limited documented); the title becomes a conflict."""
    if "complete" not in f.quals or any(m.value == "complete" and m.status == "performed" for m in ms):
        return
    said = [m for m in ms if m.value == "limited" and m.status == "performed"
            and not _QUALITY_BEFORE.search(text, max(0, m.start - 20), m.start)
            and not _QUALITY_AFTER.match(text, m.end)]
    if not said:
        return
    title = [m for m in f.evidence.get("qual", []) if m.value == "complete"]
    f.conflicts.append(Conflict("qualifier", "complete", "limited", title, said))
    f.quals.discard("complete")


# what a narrative fluoroscopy report's body tells about the technique ("a double-contrast
# examination of the esophagus, stomach and duodenum was performed", "SLP present, videofluoro
# lateral only": a swallowing function study, CODING_RULES §8)
FL_PROTOCOL = frozenset({"single_contrast", "double_contrast", "video"})
_BODY_PROTOCOL = {"NM": NM_PROTOCOL, "FL": FL_PROTOCOL}


# a protocol word that names a finding ("perfusion defect in the left upper lobe", "ventilation abnormality"):
# what the images show, not the part of the protocol done
_FINDING_NOUN_AFTER = re.compile(r"[ \t]+(?:defects?|abnormalit(?:y|ies)|mismatch(?:es)?|deficits?)\b", re.IGNORECASE)


def _narrative_protocol(f: Frame, p: Pools) -> None:
    """A nuclear or fluoroscopic report without a technique section describes its protocol in the
    body ("whole body images at 4 hours and again the following day", "two studies were performed",
    "no SPECT was acquired", "a double-contrast examination was performed"): what it states there
    decides between the protocol codes like a technique."""
    protocol = _BODY_PROTOCOL.get(f.modality)
    if protocol is None or p.perf or p.frame_source != "exam":
        return
    # (a fluoroscopy report's findings describe the passes it made: "Report: DOUBLE CONTRAST BARIUM ESOPHAGRAM ...
    # Upright double contrast views ...", "FINDINGS: Single contrast images of the esophagus show")
    read = ("body", "findings") if f.modality == "FL" else ("body",)
    said = [m for m in p.fallback if m.section in read and m.key == "qual" and m.value in protocol
            and not _FINDING_NOUN_AFTER.match(p.text, m.end)]
    if p.multi and p.frame_sites != {f.site, *site_parts(f.site, p.lex)}:
        # several exams (one exam named twice is one): the body may only take back a part of the
        # title this exam names ("NM BONE WB + SPECT/CT PELVIS" ... "SPECT/CT not acquired")
        stated = {m.value for m in said if m.status == "performed"}
        said = [m for m in said if m.status == "negated" and m.value in f.quals and m.value not in stated]
    # a part stated as done in one sentence is not undone by a finding another negates ("Perf: 1.5 mCi
    # Tc-99m MAA, 8 views" ... "no segmental perfusion defects")
    done = {(m.value, m.doc_id, m.sent) for m in said if m.status == "performed"}
    for m in said:
        if m.status == "negated":
            if any(v == m.value and (d, s) != (m.doc_id, m.sent) for v, d, s in done):
                continue
            f.quals.discard(m.value)
        elif m.status == "performed":
            f.quals.add(m.value)
            f.add("qual", [m], "findings")
    # "Stress images normal; rest imaging was cancelled": what is left of the protocol was done
    _composite_parts(f, said, p.lex)


def drug_code_region(f: Frame, lex: Lexicon) -> bool:
    """Whether the frame's nuclear region has a code chosen by a drug given during the study
    (hepatobiliary with morphine / sincalide, renal with furosemide / captopril)."""
    region = lex.region_for(f.site, f.modality) if f.modality == "NM" else None
    return region is not None and any(
        c.qualifier and any("pharmacologic" in alt for alt in lex.qualifiers[c.qualifier].alternatives)
        for c in lex.codes_for("NM", region))


def _drug_given_in_body(f: Frame, p: Pools) -> None:
    """A nuclear study whose technique names the tracer and the imaging while the body says a drug
    was given part way through ("GB not visualized at 60 min. Morphine sulfate 3 mg IV given, 30
    additional min of imaging"): the intervention was performed (78227, 78708), as if in the
    technique. A drug the technique or the body says was not given, or named only in the
    impression or a recommendation section, does not count."""
    if f.modality != "NM" or p.multi or "pharmacologic" in f.quals or not drug_code_region(f, p.lex):
        return
    if any(m.key == "qual" and m.value == "pharmacologic" for m in p.perf):
        return  # the technique speaks of the drug (given or not): it decides
    said = [m for m in p.fallback if m.key == "qual" and m.value == "pharmacologic" and m.section in ("body", "findings")]
    if said and all(m.status == "performed" for m in said):
        f.quals.add("pharmacologic")
        f.add("qual", said, "findings")


# a sentence that says the drug of a nuclear study was not given ("sincalide infusion was ordered but not
# administered", "morphine was not needed and was not given", "Furosemide NOT given", "Lasix was withheld")
# ... and one that only plans or recommends it ("repeat with furosemide when BP allows", "if needed")
_DRUG_NOT_GIVEN_RX = re.compile(r"\bnot\s+(?:be\s+|been\s+)?(?:given|administered|infused|injected|needed|required|"
                                r"used|performed|available)\b|\b(?:withheld|omitted|cancel+ed|deferred)\b|"
                                r"\bhold\s+the\b|\bheld\s+(?:because|due|for|given)\b|\bnone\s+(?:was\s+)?given\b",
                                re.IGNORECASE)
_DRUG_PLANNED_RX = re.compile(r"\b(?:if|would|should|could|will|repeat\w*|recommend\w*|consider\w*|when|ordered|"
                              r"scheduled|planned)\b", re.IGNORECASE)


def _title_drug_not_given(f: Frame, p: Pools) -> None:
    """A title that names the drug of a nuclear study ("HIDA WITH CCK", "RENAL SCAN W/ LASIX") whose
    technique or body says the drug was not given, and nowhere that it was: the study without
    pharmacologic intervention (CODING_RULES §6: 78226, 78707), the title conflicting."""
    if f.modality != "NM" or p.multi or "pharmacologic" not in f.quals or not drug_code_region(f, p.lex):
        return
    said = [m for m in p.mentions if m.key == "qual" and m.value == "pharmacologic"
            and m.section in ("technique", "body", "findings", "addendum")]
    bounds = [(m, sentence_bounds(p.text, m.start)) for m in said]
    undone = [m for m, (a, b) in bounds if _DRUG_NOT_GIVEN_RX.search(p.text, a, b)]
    if not undone or any(m.status == "performed" and m not in undone and not _DRUG_PLANNED_RX.search(p.text, a, b)
                         for m, (a, b) in bounds):
        return  # (a drug said given, not only planned, keeps the intervention)
    f.conflicts.append(Conflict("qualifier", "pharmacologic", "not performed", f.evidence.get("qual", []), undone))
    f.quals.discard("pharmacologic")


# a second myocardial perfusion acquisition after the first tracer dose ("4-hour redistribution SPECT",
# "reinjection images")
_SECOND_PERFUSION_RX = re.compile(r"\b(?:redistribution|re-?injection)\b", re.IGNORECASE)
# a stress acquisition named without the word "stress" ("walked on the treadmill per Bruce protocol", "injected at
# peak", "adenosine infusion"), and the tracer doses of the acquisitions ("10 mCi ... 30 mCi")
_STRESS_PART_RX = re.compile(r"\b(?:treadmill|exercise|bruce|peak|regadenoson|lexiscan|adenosine|dipyridamole|"
                             r"persantine|dobutamine)\b", re.IGNORECASE)
_TRACER_DOSE_RX = re.compile(r"\b\d+(?:\.\d+)?\s?m[Cc]i\b")


def _perfusion_study_count(f: Frame, p: Pools) -> None:
    """The studies of a myocardial perfusion SPECT: a rest acquisition with no stress is a single study
    (78451), unless redistribution or reinjection images follow it, or a stress acquisition named without
    the word (treadmill, peak, a stress drug) or a second tracer dose, which make multiple studies (78452,
    "rest and/or stress and/or redistribution")."""
    if f.modality != "NM" or (f.region or p.lex.region_for(f.site, "NM")) != "heart" \
            or not f.quals & {"perfusion", "spect"}:
        return
    second = stress = False
    doses = 0
    for sec in p.sections:
        if sec.name not in ("technique", "body"):
            continue
        for m in _SECOND_PERFUSION_RX.finditer(p.text, sec.start, sec.end):
            if not EXAM_NOT_DONE_RX.search(p.text, *sentence_bounds(p.text, m.start())):
                second = True
        for m in _STRESS_PART_RX.finditer(p.text, sec.start, sec.end):
            if not EXAM_NOT_DONE_RX.search(p.text, *sentence_bounds(p.text, m.start())):
                stress = True
        doses += len(_TRACER_DOSE_RX.findall(p.text, sec.start, sec.end))
    if second:
        f.quals.discard("single")
        f.quals.add("multiple")
    elif "rest" in f.quals and not f.quals & {"stress", "multiple", "single"}:
        f.quals.add("multiple" if stress or doses > 1 else "single")


# the hybrid qualifier of a study whose CT part the technique may say was not done, and what is left
_HYBRID_CT = {"NM": ("spect_ct", "spect"), "PET": ("pet_ct", "pet_only")}
# a CT other than the hybrid's own named before a negated "CT" ("no diagnostic contrast-enhanced CT")
_OTHER_CT_RX = re.compile(r"\b(?:diagnostic|contrast|enhanced|dedicated|separate|full[- ]dose)\b[\w\s-]{0,25}$",
                          re.IGNORECASE)

# a negated "CT" that names the contrast of the CT, not the CT ("No IV or oral CT contrast"): the CT was done
_CT_CONTRAST_RX = re.compile(r"\s*(?:agent|contrast|dye)\b", re.IGNORECASE)

# the words of a hybrid study's tomographic acquisition ("SPECT", "PET", "tomographic images")
_TOMOGRAPHIC_RX = re.compile(r"\b(?:SPECT|PET|tomographic|tomograms?)\b", re.IGNORECASE)


def _spect_without_ct(f: Frame, p: Pools) -> None:
    """A SPECT/CT or PET/CT whose technique says the CT was not performed ("the low-dose CT could
    not be acquired", "no CT images were obtained; attenuation correction with transmission
    sources") is SPECT / PET without CT (CODING_RULES §6: bill what was done)."""
    hybrid = _HYBRID_CT.get(f.modality)
    if hybrid is None or hybrid[0] not in f.quals or p.multi:
        return
    # (a report dictated without a technique section states its protocol in the body: there the CT is said
    # not done in the sentence that names the tomographic acquisition, "planar + SPECT (no CT; ...)")
    narrative = not any(s.name == "technique" for s in p.sections)
    pool = p.perf + [m for m in p.fallback if narrative and m.section == "body" and _TOMOGRAPHIC_RX.search(
        p.text, *sentence_bounds(p.text, m.start))]
    undone = [m for m in pool if m.key == "modality" and m.value == "CT" and m.status == "negated"
              and not _OTHER_CT_RX.search(p.text, max(0, m.start - 60), m.start)
              and not _CT_CONTRAST_RX.match(p.text, m.end)]
    if not undone:
        return
    said = [m for m in f.evidence.get("qual", []) if m.value == hybrid[0]]
    if not said or any(m.section not in PERFORMED_SECTIONS and not (narrative and m.section == "body") for m in said):
        # the title's hybrid study (the technique's own word for it, "attenuation correction", is no title)
        f.conflicts.append(Conflict("qualifier", hybrid[0], hybrid[1], f.evidence.get("qual", []), undone))
    f.quals.discard(hybrid[0])
    f.quals.add(hybrid[1])


# the body extent a PET technique states ("from the vertex of the skull through the mid thighs",
# "skull base to the proximal thighs", "from the top of the head to the toes")
_PET_EXTENT_RX = re.compile(
    r"\b(?:vertex|skull(?:\s+base)?|base\s+of\s+(?:the\s+)?skull|top\s+of\s+(?:the\s+)?head|head|orbits?|eyes?)\b"
    r"[^.;\n]{0,30}?\b(?:to|through|thru)\s+(?:the\s+)?(?:(?P<thigh>(?:mid|upper|proximal)[\s-]*thighs?|thighs?)|"
    r"(?P<feet>feet|toes|soles))\b", re.IGNORECASE)


# a PET acquisition the technique says was cut to one area ("PET/CT was limited to the chest", "only the
# chest was imaged", "acquisition restricted to the head and neck")
_PET_LIMITED_RX = re.compile(
    r"\b(?:limited|restricted|confined|reduced)\s+to\s+(?:the\s+)?(?P<a>chest|thorax|lungs?|head(?:\s+and\s+neck)?|neck|"
    r"brain|abdomen|pelvis)\b|\bonly\s+(?:the\s+)?(?P<b>chest|thorax|head(?:\s+and\s+neck)?|neck|abdomen|pelvis)\s+"
    r"(?:bed\s+positions?\s+|fields?\s+)?(?:\([^()\n]{0,60}\)\s+)?(?:was|were)\s+(?:imaged|scanned|acquired|covered|completed)\b",
    re.IGNORECASE)
# an extent the report says was only the plan ("Exam was planned skull base to mid-thigh; ... the field was
# extended from the vertex to the toes", "initially planned skull base to mid thigh"): the extent done is the other
# (the plan word governs the extent: "As requested, imaging from the vertex to the toes" confirms it)
_PET_PLANNED_RX = re.compile(r"(?:\b(?:was|were|been|initially|originally|first)\s+(?:planned|ordered|requested|scheduled)\b|"
                             r"\b(?:planned|ordered|requested|scheduled)\s*:|\binstead\s+of\b)[^.;\n]{0,30}$", re.IGNORECASE)


def _pet_extent(f: Frame, p: Pools) -> None:
    """The extent a PET title or technique documents decides between skull base to mid-thigh (78812 /
    78815) and whole body (78813 / 78816) when it differs from the title's ("PET/CT WHOLE BODY",
    images "from the vertex through the mid thighs"; CODING_RULES §6); a technique that says the
    acquisition was cut to one area ("limited to the chest") is the limited-area study (78811 / 78814)."""
    if f.modality != "PET" or p.multi:
        return
    cut = [m for m in _sections_matches(p, "technique", _PET_LIMITED_RX)]
    if cut and f.quals & {"skull_base_to_mid_thigh", "whole_body"}:
        m = cut[0]
        had = f.quals & {"skull_base_to_mid_thigh", "whole_body"}
        said = [Mention("qual", "limited", m.start(), m.end(), "technique", m.group(0), 0, -1)]
        f.conflicts.append(Conflict("qualifier", "/".join(sorted(had)), "limited", f.evidence.get("qual", []), said))
        f.quals -= had
        f.quals.add("limited")
        f.add("qual", said, "technique")
        return
    # (a narrative report states it in its body's protocol paragraph or its title line)
    found: list[tuple[re.Match, str]] = []
    for sec in ("technique", "body", "exam"):
        found = found or [(m, sec) for m in _sections_matches(p, sec, _PET_EXTENT_RX)
                          if not _PET_PLANNED_RX.search(p.text, max(0, m.start() - 40), m.start())]
    kinds = {"skull_base_to_mid_thigh" if m.group("thigh") else "whole_body" for m, _ in found}
    if len(kinds) != 1:
        return
    (want,) = kinds
    had = f.quals & {"skull_base_to_mid_thigh", "whole_body"}
    if had == {want}:
        return
    m, _ = found[0]
    said = [Mention("qual", want, m.start(), m.end(), "technique", m.group(0), 0, -1)]
    if had:
        f.conflicts.append(Conflict("qualifier", "/".join(sorted(had)), want, f.evidence.get("qual", []), said))
    f.quals -= had
    f.quals.add(want)
    f.add("qual", said, "technique")


def _sections_matches(p: Pools, name: str, rx: re.Pattern) -> list[re.Match]:
    return [m for sec in p.sections if sec.name == name for m in rx.finditer(p.text, sec.start, sec.end)]


# the CT of a PET or SPECT acquisition ("PET with low-dose CT attenuation correction"): its low dose is
# no low-dose chest CT of a separate CT exam in the same report
_HYBRID_CT_RX = re.compile(r"\b(?:attenuation|localization|PET|SPECT|fused|fusion)\b", re.IGNORECASE)


def _hybrid_ct_word(m: Mention, text: str) -> bool:
    if m.value != "low_dose":
        return False
    a, b = sentence_bounds(text, m.start)
    return bool(_HYBRID_CT_RX.search(text, a, b))


def _nearest_exam_is(m: Mention, f: Frame, p: Pools) -> bool:
    """In a sentence that names the anatomy of several exams ("CT pulmonary angiography, followed
    by portal venous imaging of the abdomen and pelvis"), a qualifier describes the exam whose
    anatomy stands nearest to it; in other sentences it is the frame's as before."""
    sites = [x for x in p.perf if x.key == "site" and x.doc_id == m.doc_id and x.sent == m.sent
             and x.value in p.frame_sites]
    if len({x.value for x in sites}) < 2:
        return True
    mine = {f.site, *site_parts(f.site, p.lex)}
    nearest = min(sites, key=lambda x: (abs(x.token - m.token), x.token))
    return nearest.value in mine


def _composite_parts(f: Frame, ms: list[Mention], lex: Lexicon) -> None:
    """A part of a composite protocol the technique says was not performed ("the ventilation
    portion was not performed" in a V/Q scan, "rest imaging was cancelled"): what remains of
    the protocol is what was done (qualifiers.tsv atom parts). A part the technique also states
    as done stays."""
    negated = {m.value for m in ms if m.status == "negated"}
    done = {m.value for m in ms if m.status == "performed"}
    for whole in sorted(q for q in lex.parts if q in f.quals or lex.parts[q][1]):
        parts, rest = lex.parts[whole]
        gone = (parts & negated) - done
        if not gone:
            continue
        if whole not in f.quals:
            # a protocol the title does not name as a whole, one part done and the other said not
            # to be ("stress images only; rest imaging not required and not performed"): what is
            # left (a single study) is what was done
            if not (parts - gone) or not (parts - gone) <= done:
                continue
            f.quals |= rest
            continue
        f.conflicts.append(Conflict("qualifier", whole, "not performed", f.evidence.get("qual", []),
                                    [m for m in ms if m.value in gone and m.status == "negated"]))
        f.quals.discard(whole)
        f.quals |= (parts - gone) | rest


# a patient's stated age ("68-year-old", "3 yo", "45M"), read in the history
# (not a duration: "quit 5 years ago")
_AGE_RX = re.compile(r"\b(?P<n>\d{1,3})[\s-]*(?:(?P<u>year|yr|month|mo|week|wk|day)s?[\s-]*old\b|(?:yo|y/o)\b|"
                     r"(?-i:[MF])\b)", re.IGNORECASE)
SCREENING_AGE_MIN = 50  # lung cancer screening is for adults of 50 and over (CODING_RULES §5: 71271)


def _too_young_for_screening(f: Frame, p: Pools | None) -> bool:
    """A low-dose chest CT of a child or a young adult (a "pediatric low dose" title, a stated age under
    50 in the history) is no lung cancer screening: the dose is the child's protocol (§5: 71250). Only
    asked when the history does not say screening (§5 names no age: a stated screening decides)."""
    if "pediatric" in f.quals:
        return True
    if p is None:
        return False
    for sec in p.sections:
        if sec.name != "history":
            continue
        m = _AGE_RX.search(p.text, sec.start, sec.end)
        if m is not None:
            unit = (m.group("u") or "y").lower()
            return not unit.startswith("y") or int(m.group("n")) < SCREENING_AGE_MIN
    return False


# the views of a diagnostic mammogram ("right spot compression and XCCL views at the marker")
_DIAGNOSTIC_VIEWS_RX = re.compile(r"\b(?:spot|magnif\w*|mag|xccl|tangential|exaggerated)\b", re.IGNORECASE)


def _symptomatic_screening(f: Frame, p: Pools) -> None:
    """A mammogram titled screening whose history states a symptom ("Palpable lump right breast") and
    whose report documents diagnostic views taken for it ("right spot compression and XCCL views at the
    marker") is the diagnostic mammogram (CODING_RULES §5, §6); the title's screening a conflict."""
    if f.modality != "MG" or "screening" not in f.quals or "diagnostic" in f.quals:
        return
    symptom = [m for m in p.history if m.key == "qual" and m.value == "diagnostic" and m.status == "performed"
               and not _DIAGNOSTIC_VIEWS_RX.search(m.text)]
    views = [m for m in p.perf + p.history if m.key == "qual" and m.value == "diagnostic" and m.status == "performed"
             and _DIAGNOSTIC_VIEWS_RX.search(m.text)]
    if not symptom or not views:
        return
    f.conflicts.append(Conflict("qualifier", "screening", "diagnostic", f.evidence.get("qual", []), views))
    f.quals.discard("screening")
    f.quals.add("diagnostic")
    f.add("qual", views, "technique")


# a personal history of breast cancer treated ("personal history of left breast cancer", "s/p right lumpectomy
# and radiation"), and a history that denies one
_PERSONAL_BREAST_CANCER_RX = re.compile(
    r"\bpersonal\s+(?:history|hx)\s+of\s+(?:(?:right|left|bilateral|rt|lt)\s+)?breast\s+(?:cancer|ca|carcinoma|"
    r"malignancy|dcis)\b|\b(?:s/p|status\s+post)\s+(?:(?:right|left|rt|lt)\s+)?(?:breast\s+)?(?:lumpectomy|"
    r"(?:partial\s+)?mastectomy)\b", re.IGNORECASE)
_NO_PERSONAL_HISTORY_RX = re.compile(r"\bno\s+(?:\w+\s+){0,2}personal\s+(?:history|hx)\b", re.IGNORECASE)


def _personal_history_screening(f: Frame, p: Pools) -> None:
    """A mammogram titled screening whose history states the patient's own treated breast cancer
    ("Personal history of left breast cancer, status post lumpectomy and radiation") is the
    diagnostic mammogram (CODING_RULES §5: personal history of cancer), the title a conflict."""
    if f.modality != "MG" or "screening" not in f.quals or "diagnostic" in f.quals or p.multi:
        return
    for sec in p.sections:
        if sec.name != "history":
            continue
        m = _PERSONAL_BREAST_CANCER_RX.search(p.text, sec.start, sec.end)
        if m is None or _NO_PERSONAL_HISTORY_RX.search(p.text, sec.start, sec.end):
            continue
        said = Mention("qual", "diagnostic", m.start(), m.end(), "history", m.group(), 0, -1)
        f.conflicts.append(Conflict("qualifier", "screening", "diagnostic", f.evidence.get("qual", []), [said]))
        f.quals.discard("screening")
        f.quals.add("diagnostic")
        f.add("qual", [said], "history")
        return


def _body_indication(f: Frame, p: Pools) -> list[Mention]:
    """A low-dose chest CT report in prose with no history section ("Low-dose CT of the chest was performed
    for lung cancer screening in a 64-year-old who smokes"): its body's qualifiers state the indication
    (CODING_RULES §5: a low dose alone names no screening)."""
    if "low_dose" not in f.quals or f.site != "chest":
        return []
    return [m for m in p.fallback if m.key == "qual" and m.section == "body"]


def _symptomatic_lung_screening(f: Frame, history: list[Mention], hq: set[str]) -> None:
    """A chest CT titled lung cancer screening whose history states a symptom or a finding under
    follow-up ("2 weeks of hemoptysis", "Lung-RADS 4A nodule, 3-month follow-up") is the diagnostic
    chest CT (CODING_RULES §5: screening is for the asymptomatic; §6), the title's screening a conflict."""
    if f.modality != "CT" or f.site != "chest" or "screening" not in f.quals or "diagnostic" in f.quals \
            or "diagnostic" not in hq:
        return
    said = [m for m in history if m.key == "qual" and m.value == "diagnostic" and m.status == "performed"]
    f.conflicts.append(Conflict("qualifier", "screening", "diagnostic", f.evidence.get("qual", []), said))
    f.quals -= {"screening", "low_dose"}
    f.quals.add("diagnostic")
    f.add("qual", said, "history")


def _indication_from_history(f: Frame, history: list[Mention], p: Pools | None = None) -> None:
    """Screening / diagnostic from the history when the title does not say."""
    hq = {m.value for m in history if m.key == "qual" and m.status == "performed"}
    # (a finding under follow-up is the reason for this exam even beside the prior study that found it:
    # "6 mm nodule on prior CT, 6 month follow-up")
    followed = any(m.key == "qual" and m.value == "diagnostic" and m.status == "historical" for m in history)
    if "low_dose" in f.quals and "screening" not in f.quals and f.site == "chest" \
            and "screening" not in hq and ("diagnostic" in hq or followed or _too_young_for_screening(f, p)):
        # a low-dose chest CT for a symptom ("hemoptysis", with "study quality is diagnostic" in the
        # technique) or of a child names no screening (§5)
        f.quals.discard("low_dose")
        f.quals.add("diagnostic")
    _symptomatic_lung_screening(f, history, hq)
    if {"screening", "diagnostic"} & f.quals:
        return
    if "diagnostic" in hq:
        f.quals.add("diagnostic")
        # a low-dose technique names no screening of its own: a chest CT for a symptom or a cancer
        # under surveillance ("new hemoptysis", "surveillance after lobectomy") is diagnostic (§5)
        f.quals.discard("low_dose")
    elif "screening" in hq or ("screening_hint" in hq and "low_dose" in f.quals):
        f.quals.add("screening")


_DOTTED_ABBREVIATION_RX = re.compile(r"\b(?:[A-Za-z]\.){2,}")
_DOTTED_PAIR_RX = re.compile(r"\.[A-Za-z]\.")  # in every match of it (opens with a literal: a fast search)


# where a one-line title stops and its report begins ("US KIDNEYS + BLADDER: both kidneys normal size ...")
_TITLE_STOP_RX = re.compile(r":\s|\s-\s")
_RUN_ON_WORDS = 6
# a run-on that opens with the reason for the exam ("- hx stones", ": reason RUQ pain", "- referring dx:")
_RUN_ON_INDICATION_RX = re.compile(r"\s*(?:hx\b|history\b|reason\b|indications?\b|eval|r/o\b|rule\s+out\b|"
                                   r"ordered\s+for\b|(?:referring\s+)?dx\b|clinical\b)", re.IGNORECASE)


def _title_run_on(ex: Extraction) -> str:
    """The findings a one-line title runs on into (a title, a colon or a dash, then the report in
    one line): the text after the stop, when it is a report's worth of words, not a title's. Only
    a report with no findings of its own runs on so; its first sentence, when it opens with the
    reason for the exam, is the indication. (A one-line report's sections may hold a "body" of a
    few words after its indication: it is no findings section.)"""
    if any(s.name == "findings" for s in ex.sections):
        return ""
    for sec in ex.sections:
        if sec.name != "exam":
            continue
        line_end = ex.text.find("\n", sec.start, sec.end)
        end = sec.end if line_end == -1 else line_end
        m = _TITLE_STOP_RX.search(ex.text, sec.start, end)
        if m is None or len(ex.text[m.end():end].split()) < _RUN_ON_WORDS:
            continue
        start = m.end()
        first = _SENTENCE_RX.search(ex.text, start, end) if _RUN_ON_INDICATION_RX.match(ex.text, start) else None
        if first is not None:
            start = first.end()
        return "\n" + ex.text[start:end]
    return ""


def complete_elements(ex: Extraction, f: Frame, lex: Lexicon) -> None:
    """Complete vs limited ultrasound from the documented elements (CODING_RULES §5)."""
    if f.modality != "US" or f.region not in lex.elements:
        return
    body = "\n".join(ex.text[s.start:s.end] for s in ex.sections
                     if s.name in ("findings", "body", "impression", "technique"))
    if not any(s.name in ("findings", "body", "technique") and ex.text[s.start:s.end].strip(" \t\n.,;:")
               for s in ex.sections):
        # no findings of their own: a history line that runs on into them ("History: abdominal pain. The
        # liver measures 15 cm ...") holds them, past its first sentence (the reason for the exam); a
        # section of nothing but a mark (the ". " after a title copied under a RIS header pair) holds none
        for s in ex.sections:
            first = _SENTENCE_RX.search(ex.text, s.start, s.end) if s.name == "history" else None
            if first is not None:
                body += "\n" + ex.text[first.end():s.end]
    body += _title_run_on(ex)
    if not body.strip():
        # a title alone: trust it, save that the aorta alone is one element of the retroperitoneal
        # survey, never its complete study ("US AORTA", "AORTA SONOGRAM", "US AORTA COMPLETE": 76775;
        # a title saying complete is the documentation gap CODING_RULES §5 names)
        if f.region == "retroperitoneum" and f.site == "aorta":
            _limited(f, [el.group for el in lex.elements[f.region] if el.group != "aorta_or_bladder"])
        return
    # dotted abbreviations ("The I.V.C. is patent", "C.B.D. 3 mm") are one word, not sentence ends
    if _DOTTED_PAIR_RX.search(body):
        body = _DOTTED_ABBREVIATION_RX.sub(lambda m: m.group().replace(".", ""), body)
    # a sentence saying an organ was not seen or not examined does not document it ("pancreas,
    # aorta and IVC not visualized"), unless it says the organ is surgically absent
    # (a cue or an element pattern without its words anywhere in the text matches no sentence of it)
    # (each pattern is searched only in the sentences that hold one of its words: spans_may_match)
    low = folded(body)
    spans = [m.span() for m in _SENTENCE_RX.finditer(body)]
    starts = [a for a, _b in spans]
    sents = [body[a:b] for a, b in spans]
    cued: dict[str, set[int]] = {"documented": set(), "not_documented": set()}  # sentences by cue group
    for c in lex.elements.get(SENTENCE_CUES, ()):
        marked = cued[c.group]
        marked.update(k for k in spans_may_match(c.pattern, low, spans, starts)
                      if k not in marked and c.pattern.search(sents[k]))
    kept = {k for k in range(len(sents)) if k not in cued["not_documented"] or k in cued["documented"]}
    groups: dict[str, bool] = {}
    for el in lex.elements[f.region]:
        groups[el.group] = groups.get(el.group, False) or \
            any(el.pattern.search(sents[k]) for k in spans_may_match(el.pattern, low, spans, starts) if k in kept)
    missing = [g for g, ok in groups.items() if not ok]
    if missing:
        _limited(f, missing)
        return
    f.elements_missing = missing
    if "limited" not in f.quals:
        f.quals.add("complete")


def _limited(f: Frame, missing: list[str]) -> None:
    """A US survey with ``missing`` elements undocumented is limited; "complete" in the title is a
    conflict (flagged with the elements, coded limited)."""
    f.elements_missing = missing
    if "complete" in f.quals:
        f.conflicts.append(Conflict("complete", "complete", "limited", f.evidence.get("qual", []), []))
    f.quals.discard("complete")
    f.quals.add("limited")


# the history of an aneurysm screening naming an aneurysm already known ("known 4.2 cm AAA",
# "infrarenal aneurysm ... for interval surveillance", "follow-up of aortic ectasia")
_KNOWN_ANEURYSM_RX = re.compile(r"\b(aneurysm\w*|AAA|ectasi\w*|dilat\w*)\b", re.IGNORECASE)
_KNOWN_RX = re.compile(r"\b(known|existing|previously (diagnosed|documented|measured|seen)|surveillance|"
                       r"follow[- ]?up|interval|measuring|measured|repaired|stable|\d+(\.\d+)?\s*cm)\b",
                       re.IGNORECASE)
_NO_ANEURYSM_RX = re.compile(r"\b(no|without|rule out|r/o|evaluate for|screen\w*|family history)\b", re.IGNORECASE)
# the history of an aneurysm "screening" naming a sign or symptom of one ("pulsatile abdominal mass on
# exam", "new back pain"): the patient is no screening candidate; and what makes it no symptom
_AORTA_SYMPTOM_RX = re.compile(r"\b(pulsatile\s+(?:abdominal\s+)?mass|(?:abdominal|back|flank)\s+pain|"
                               r"abdominal\s+bruit)\b", re.IGNORECASE)
_NO_SYMPTOM_RX = re.compile(r"\b(no|denies|denied|without|asymptomatic|family history)\b", re.IGNORECASE)


# a screening exam the report says became diagnostic ("the exam was converted to diagnostic by the
# radiologist", "converted to a diagnostic examination"): a symptom or finding at the visit
# ("converted to a diagnostic exam", "converted to a right diagnostic exam", "performed as DIAGNOSTIC R")
_CONVERTED_RX = re.compile(r"\b(?:(?:converted|changed|switched|upgraded)\s+(?:in)?to|(?:performed|done|completed)\s+as)\s+"
                           r"(?:an?\s+|the\s+)?(?:(?P<side>right|left|rt|lt|unilateral|bilateral|bilat)\s+)?diagnostic\b"
                           # ... and the side written after it ("performed as DIAGNOSTIC R:")
                           r"(?:[ \t]+(?P<after>right|left|rt|lt|r|l)\b(?![ \t]*\w))?", re.IGNORECASE)
_CONVERTED_SIDES = {"right": "right", "rt": "right", "r": "right", "left": "left", "lt": "left", "l": "left"}
_CONVERSION_NOT_SAID = re.compile(r"\b(?:if|not|no|prior|previous|would|should|could|recommend\w*)\b", re.IGNORECASE)


def converted_to_diagnostic(ex: Extraction, f: Frame, lex: Lexicon) -> None:
    """A screening exam whose report says it was converted to a diagnostic one is the diagnostic
    exam (CODING_RULES §5, §6: 77066 not 77067), the title's screening a conflict."""
    if "screening" not in f.quals:
        return
    # ("Performed as DIAGNOSTIC R: CC and ML magnification views, no tomo, no L views": what the diagnostic
    # exam left out, after it, withdraws no conversion)
    said = documented_in_body(ex, _CONVERTED_RX, _CONVERSION_NOT_SAID, "diagnostic", ("history", "impression"),
                              before=True)
    if said is None:
        return
    f.conflicts.append(Conflict("qualifier", "screening", "diagnostic", f.evidence.get("qual", []), [said]))
    f.quals.discard("screening")
    f.quals.add("diagnostic")
    f.add("qual", [said], "findings")
    m = _CONVERTED_RX.search(ex.text, said.start, said.end)
    side = _CONVERTED_SIDES.get(((m.group("side") or m.group("after") or "") if m else "").lower())
    if side is not None and f.side in (None, "bilateral"):
        # the one breast the diagnostic exam was done on ("converted to a right diagnostic exam")
        f.side = side
        f.add("side", [Mention("side", side, said.start, said.end, said.section, said.text, 0, -1)], "findings")
    f.region = resolve_region(f, lex)


def screening_of_known_disease(ex: Extraction, f: Frame, lex: Lexicon) -> None:
    """An aortic aneurysm "screening" ultrasound of a patient whose history documents a known
    aneurysm under surveillance, or a sign or symptom of one (a pulsatile mass, back pain), is diagnostic (CODING_RULES §5, §6): the screening code 76706 is
    for a patient without a known aneurysm; the aorta is then a retroperitoneal study, limited
    unless its elements are documented."""
    if f.modality != "US" or f.region != "aorta" or "screening" not in f.quals:
        return
    hist = [s for s in ex.sections if s.name == "history"]
    for sec in hist:
        for sm in _PROSE_RX.finditer(ex.text, sec.start, sec.end):
            t = sm.group()
            if _KNOWN_ANEURYSM_RX.search(t) and _KNOWN_RX.search(t) and not _NO_ANEURYSM_RX.search(t) or \
                    _AORTA_SYMPTOM_RX.search(t) and not _NO_SYMPTOM_RX.search(t):
                said = [Mention("qual", "diagnostic", sm.start(), sm.end(), "history", t.strip()[:80], 0, -1)]
                f.conflicts.append(Conflict("qualifier", "screening", "diagnostic", f.evidence.get("qual", []), said))
                f.quals.discard("screening")
                f.quals.add("diagnostic")
                f.add("qual", said, "history")
                f.region = resolve_region(f, lex)
                return


# a sentence saying parts of the study's anatomy were left out ("the anterior, medial and lateral
# compartments ... were not examined"); one about the other limb is no part of this study
_PARTS_UNDONE_RX = re.compile(r"\b(were|was|are|is)\s+not\s+(examined|scanned|imaged|included|interrogated|evaluated|assessed)\b",
                              re.IGNORECASE)
_OTHER_LIMB_RX = re.compile(r"\b(contralateral|opposite|other side|other (knee|shoulder|hip|elbow|wrist|ankle)|"
                            r"left|right|bilateral\w*)\b", re.IGNORECASE)
# a part that ultrasound cannot show ("the posterior labrum is not evaluated by ultrasound") was not left out
_NOT_BY_ULTRASOUND_RX = re.compile(r"\bnot\s+\w+\s+(?:by|with|on)\s+(?:ultrasound|sonography|US)\b|\bsonographically\b",
                                   re.IGNORECASE)
# a study the report confines to one structure ("Targeted evaluation of the Achilles tendon only", "exam
# limited to the dorsal ganglion")
_FOCAL_LESION_TITLE_RX = re.compile(r"\bsoft[\s-]+tissues?\b|\b(?:mass|lump|ganglion|cyst|nodule|lesion|"
                                    r"foreign\s+body|lipoma)\b", re.IGNORECASE)
# a title's purpose clause before the lesion word ("EVALUATE ROTATOR CUFF TEAR VS MASS", "r/o cyst", "?ganglion"):
# what the study looks for, not its object
_LESION_PURPOSE_RX = re.compile(r"(?:\bevaluat\w*|\beval\b|\br/o\b|\brule\s+out\b|\bvs\b|\bversus\b|\?|"
                                r"\bquery\b|\bquestion\w*|\bconcern\s+for\b|\bassess\w*)", re.IGNORECASE)
# a body that documents a complete survey of the joint ("Complete evaluation of the left shoulder was performed")
_COMPLETE_SURVEY_RX = re.compile(r"\bcomplete\s+(?:\w+\s+){0,2}?(?:evaluation|exam\w*|survey|study|assessment|"
                                 r"ultrasound|sonograph\w*)\b", re.IGNORECASE)
_SURVEY_UNDONE_RX = re.compile(r"\b(?:no|not|limited|incomplete|unable|cannot|could\s+not|prior|previous\w*)\b",
                               re.IGNORECASE)
_TARGETED_ONLY_RX = re.compile(r"\b(?:targeted|focused|focal|limited)\s+(?:\w+\s+){0,2}?(?:evaluation|exam\w*|assessment|"
                               r"study|scan\w*|ultrasound|US|sonograph\w*)\s+of\s+[^.;\n]{0,50}?\bonly\b|"
                               r"\b(?:exam\w*|evaluation|study|scan)\s+(?:was\s+)?(?:limited|confined|restricted)\s+to\s+the\b",
                               re.IGNORECASE)


# a part of a joint a complete ultrasound surveys (its compartments, recesses, tendons, ligaments...)
_JOINT_PART_RX = re.compile(r"\b(?:compartments?|recess(?:es)?|tendons?|ligaments?|bursae?|labrum|cuff|capsule|aspects?|"
                            r"joints?|menisc\w*|plates?|retinacul\w*|pulleys?|synovi\w*|cartilage|muscles?)\b", re.IGNORECASE)


# a named structure a complete joint ultrasound surveys (tendons, muscles, ligaments, nerves, recesses,
# bursae of the shoulder, elbow, wrist, hip, knee, ankle); counted by its first letters, once each
_JOINT_STRUCTURE_RX = re.compile(
    r"\b(?:biceps(?:\s+femoris)?|subscapularis|supra\s?spinatus|infra\s?spinatus|teres\s+minor|rotator\s+cuff|"
    r"acromio-?\s?clavicular|a\.?\s?c\.?\s+(?:joint|jt)|glenohumeral|sub-?acromial|subdeltoid|SASD|labrum|"
    r"coracoacromial|brachialis|triceps|common\s+(?:extensor|flexor)|(?:ulnar|radial)\s+collateral|UCL|RCL|"
    r"annular\s+ligament|olecranon|(?:ulnar|median|radial)\s+nerve|radial\s+head|carpal\s+tunnel|TFCC|"
    r"triangular\s+fibrocartilage|scapholunate|extensor\s+(?:compartments?|tendons?)|flexor\s+tendons?|radiocarpal|"
    r"iliopsoas|gluteus\s+(?:medius|minimus|maximus)|trochanter\w*|rectus\s+femoris|sartorius|hamstrings?|"
    r"quadriceps|patellar|suprapatellar|(?:medial|lateral)\s+collateral|MCL|LCL|menisc\w*|pes\s+anserin\w*|"
    r"iliotibial|ITB|popliteus|baker'?s?|popliteal|semimembranosus|gastrocnemius|ATFL|CFL|talofibular|"
    r"calcaneofibular|peroneal|peroneus|tibialis|posterior\s+tibial|FHL|FDL|EHL|EDL|flexor\s+hallucis|achilles|"
    r"deltoid(?:\s+ligament)?|plantar\s+fascia|retrocalcaneal|tarsal\s+tunnel|tibiofibular|"
    r"(?:anterior|posterior|joint)\s+recess|effusion|synovi\w*|bursa\w*)\b", re.IGNORECASE)
_JOINT_PARTS_COMPLETE = 5  # the fewest distinct structures a report of a complete joint survey names
# the rotator cuff names its four tendons at once ("Rotator cuff tendons, biceps, bursa and AC joint normal")
_CUFF_TENDONS = frozenset({"supras", "infras", "subsca", "teres "})


def _few_joint_parts(ex: Extraction) -> Mention | None:
    """The first sentence of a joint ultrasound report whose technique, findings and impression name
    fewer than five structures of the joint ("The supraspinatus tendon is intact. No effusion.") and
    never state a complete survey ("Complete evaluation of the left elbow was performed"): the study of
    a specific structure (76882), whatever the title says (CODING_RULES §5: a complete exam is the one
    whose elements are documented). None when the report has no such body or documents more."""
    secs = [sec for sec in ex.sections if sec.name in ("technique", "findings", "body", "impression")]
    if not any(sec.name != "impression" for sec in secs):
        return None
    keys: set[str] = set()
    first = None
    for sec in secs:
        for sm in _PROSE_RX.finditer(ex.text, sec.start, sec.end):
            t = sm.group()
            if sec.name != "impression" and _COMPLETE_SURVEY_RX.search(t) and not _SURVEY_UNDONE_RX.search(t):
                return None
            for m in _JOINT_STRUCTURE_RX.finditer(t):
                key = " ".join(m.group().lower().split())[:6]
                keys |= _CUFF_TENDONS if key == "rotato" else {key}
            if first is None and t.strip():
                first = Mention("qual", "limited", sm.start(), sm.end(), sec.name, t.strip()[:80], 0, -1)
            if len(keys) >= _JOINT_PARTS_COMPLETE:
                return None
    return first


def incomplete_joint_survey(ex: Extraction, f: Frame, lex: Lexicon) -> None:
    """A complete joint ultrasound (76881) evaluates the whole joint; a report that says parts of
    the joint were not examined, or confines the study to one structure ("Targeted evaluation of the
    Achilles tendon only"), documents a limited study of a specific structure (76882), the complete
    title becoming a documentation gap (CODING_RULES §5, §6). A part ultrasound cannot show ("not
    evaluated by ultrasound") was not left out."""
    if f.modality != "US" or f.region != "extremity_joint" or "infant" in f.quals:
        return
    if "complete" not in f.quals:
        # a joint title that names a soft-tissue lesion ("US RT WRIST SOFT TISSUE", "US KNEE MASS", "ULTRASOUND
        # LEFT WRIST GANGLION"): the study of that specific structure, not a joint evaluation (76882)
        # (a lesion the title's purpose clause looks for, "EVALUATE ROTATOR CUFF TEAR VS MASS", is not its object,
        # and a body that documents a complete survey keeps the complete study)
        surveyed = any(_COMPLETE_SURVEY_RX.search(sm.group()) and not _SURVEY_UNDONE_RX.search(sm.group())
                       for sec in ex.sections if sec.name in ("technique", "findings", "body")
                       for sm in _PROSE_RX.finditer(ex.text, sec.start, sec.end))
        for sec in ex.sections:
            if surveyed or sec.name not in ("exam", "subtitle"):
                continue
            tm = next((m for m in _FOCAL_LESION_TITLE_RX.finditer(ex.text, sec.start, sec.end)
                       if not _LESION_PURPOSE_RX.search(ex.text, sec.start, m.start())), None)
            if tm is not None:
                f.quals.add("limited")
                f.add("qual", [Mention("qual", "limited", tm.start(), tm.end(), sec.name, tm.group(), 0, -1)], "title")
                f.region = resolve_region(f, lex)
                return
    # (a joint whose ultrasound the report never names, its modality inferred from the anatomy, is left to
    # the title model: "ankle break ial index" is an ankle-brachial index dictated by speech recognition)
    few = _few_joint_parts(ex) if f.sources.get("modality") != "inferred" else None
    if few is not None:
        titled = [m for m in f.evidence.get("qual", []) if m.value == "complete" and m.section in ("exam", "subtitle")]
        if titled:
            # a title saying complete: the documentation gap (flagged, coded limited)
            f.conflicts.append(Conflict("complete", "complete", "limited", titled, [few]))
            f.elements_missing = ["joint_structures_not_documented"]
        f.quals.discard("complete")
        f.quals.add("limited")
        f.add("qual", [few], "findings")
        f.region = resolve_region(f, lex)
        return
    said = []
    low = _folded_text(ex)
    # a technique that states the complete survey ("Complete joint evaluation. Anterior: ...") sets the
    # extent: an aside of the findings about something else not assessed ("Grip strength was not assessed",
    # "The suprascapular notch region was not evaluated") leaves it complete; a part of the joint the findings
    # say was not examined ("The anterior compartment was not examined"), or the technique's own word, does not
    stated = any(_COMPLETE_SURVEY_RX.search(sm.group()) and not _SURVEY_UNDONE_RX.search(sm.group())
                 for sec in ex.sections if sec.name == "technique"
                 for sm in _PROSE_RX.finditer(ex.text, sec.start, sec.end))
    for sec in ex.sections:
        if sec.name not in ("technique", "findings", "body") or not (may_match(_PARTS_UNDONE_RX, low, sec.start, sec.end)
                                                                      or may_match(_TARGETED_ONLY_RX, low, sec.start, sec.end)):
            continue
        for sm in _PROSE_RX.finditer(ex.text, sec.start, sec.end):
            t = sm.group()
            if stated and sec.name != "technique" and not _JOINT_PART_RX.search(t):
                continue
            if _PARTS_UNDONE_RX.search(t) and not _OTHER_LIMB_RX.search(t) and not _NOT_BY_ULTRASOUND_RX.search(t) \
                    or _TARGETED_ONLY_RX.search(t):
                said.append(Mention("qual", "limited", sm.start(), sm.end(), sec.name, t.strip()[:80], 0, -1))
    if not said:
        return
    f.conflicts.append(Conflict("complete", "complete", "limited", f.evidence.get("qual", []), said))
    f.elements_missing = ["joint_parts_stated_not_examined"]
    f.quals.discard("complete")
    f.quals.add("limited")
    f.add("qual", said, "findings")
    f.region = resolve_region(f, lex)


# spectral Doppler documented for an organ's vessels (waveforms, velocities, resistive indices),
# the arterial inflow and the venous outflow it covers, and a sentence saying it was not done
_SPECTRAL_RX = re.compile(r"\bspectral\b|\bwave-?forms?\b|\bduplex\b", re.IGNORECASE)
_MEASURED_RX = re.compile(r"\bvelocit(y|ies)\b|\d\s*cm/s(ec)?\b|\bresistive ind|\bRIs?\b\s*(of\s*)?\d|\bPSV\b|"
                          r"\bpulsatility ind", re.IGNORECASE)
_ARTERIAL_RX = re.compile(r"\barter(y|ies|ial)\b|\bresistive ind|\bRIs?\b|\bPSV\b", re.IGNORECASE)
_OUTFLOW_RX = re.compile(r"\b(hepatic|renal|testicular|gonadal|ovarian|splenic|superior\s+mesenteric)\s+veins?\b|"
                         r"\bIVC\b|\bvena cava\b|\bSMV\b|\b(?:mesenteric\s+)?venous outflow\b|"
                         # an organ's own venous signal ("arterial and venous spectral waveforms" of each testis),
                         # not the portal vein's (the liver's inflow)
                         r"(?<!portal\s)\bvenous\s+(?:spectral\s+|doppler\s+)?(?:wave\s?forms?|signals?)\b", re.IGNORECASE)
_TRANSPLANT_RX = re.compile(r"\b(transplant\w*|allograft|txp)\b", re.IGNORECASE)
# a transplanted liver or pancreas: no code includes its duplex ("liver transplant", "OLT", "transplant liver")
_NONRENAL_TRANSPLANT_RX = re.compile(r"\b(?:liver|hepatic|pancrea\w*)\s+(?:transplant\w*|allograft|txp)\b|\bOLT\b|"
                                     r"\b(?:transplant\w*|allograft)\s+(?:liver|pancreas)\b", re.IGNORECASE)
_NO_SPECTRAL_RX = re.compile(r"\b(no|not|without)\b", re.IGNORECASE)
_COLOR_ONLY_RX = re.compile(r"\bcolou?r(?:\s+(?:doppler|flow))?\s+only\b|\bonly\s+colou?r\b", re.IGNORECASE)
# what a negation before the spectral word may be about instead ("no detectable arterial or venous
# flow on color and spectral Doppler" documents the spectral Doppler), and a withdrawal after it
_FLOW_RX = re.compile(r"\b(flow|signal|vascularity|perfusion|waveforms?)\b", re.IGNORECASE)
_SPECTRAL_UNDONE_RX = re.compile(r"^[^.;]{0,40}?\b(?:not|never)\s+(?:be\s+|been\s+)?(?:performed|obtained|done|"
                                 r"acquired|interrogated|evaluated|recorded|measured|sampled|saved|captured|"
                                 r"documented)\b", re.IGNORECASE)
# ultrasound studies of organs whose vessels a duplex scan of abdominal / pelvic / scrotal /
# retroperitoneal organs examines (CODING_RULES §5; a transplant kidney study includes its duplex)
DUPLEX_ORGAN_REGIONS = frozenset({"abdomen", "retroperitoneum", "scrotum", "pelvis"})


_VENOUS_RX = re.compile(r"\bvenous\b|\bveins?\b", re.IGNORECASE)
# an organ's own veins said patent ("Renal veins patent.", "patent hepatic veins"); not the IVC, an element
# of the abdominal survey
_ORGAN_VEINS_PATENT_RX = re.compile(r"\b(?:hepatic|renal|testicular|gonadal|ovarian|splenic)\s+veins?\b[^.;\n]{0,30}?"
                                    r"\bpatent\b|\bpatent\s+(?:hepatic|renal|testicular|gonadal|ovarian|splenic)\s+veins?\b",
                                    re.IGNORECASE)
_GRAYSCALE_AFTER_RX = re.compile(r"[\s-]*(?:gr[ae]y[\s-]?scale|b-?mode)\b", re.IGNORECASE)
_AORTOILIAC_PART_RX = re.compile(r"\b(?:aort\w*|IVC|vena\s+cava|iliacs?)\b", re.IGNORECASE)
_VESSEL_NOT_DONE_RX = re.compile(r"\bnot\s+(?:be\s+|been\s+)?(?:separately\s+|specifically\s+|adequately\s+|well\s+)?"
                                 r"(?:assessed|evaluated|seen|visuali[sz]ed|interrogated|imaged|examined|performed|recorded|sampled|acquired)\b|"
                                 r"\b(?:neither|none\s+of)\b[^.;\n]{0,40}?\b(?:could|can)\s+be\s+(?:assessed|evaluated|seen|"
                                 r"visuali[sz]ed|interrogated|imaged|examined)\b", re.IGNORECASE)
# a sentence reporting the flow of a vessel, read for the extent once spectral Doppler is documented
_VESSEL_FLOW_RX = re.compile(r"\b(?:flow|inflow|outflow|phasic|triphasic|hepatopetal|hepatofugal|"
                             r"waveforms?)\b", re.IGNORECASE)


def _spectral_stated(t: str) -> bool:
    """Whether the sentence documents spectral Doppler: a spectral word that no negation before it
    is about ("no spectral Doppler", "without duplex") and that is not withdrawn after it ("spectral
    Doppler was not performed"); a negation of the flow it measured documents it."""
    if _COLOR_ONLY_RX.search(t):
        return False
    for m in _SPECTRAL_RX.finditer(t):
        negs = list(_NO_SPECTRAL_RX.finditer(t, 0, m.start()))
        neg = negs[-1] if negs else None
        if neg is not None and not _FLOW_RX.search(t, neg.end(), m.start()):
            continue
        if _SPECTRAL_UNDONE_RX.search(t[m.end():]):
            continue
        return True
    return False


# a technique that names color Doppler as the Doppler done ("Real-time grayscale and color Doppler
# sonography of the abdomen"), and the words that name a spectral analysis outright
_COLOR_TECHNIQUE_RX = re.compile(r"\bcolou?r\s+(?:doppler|flow|imaging)\b", re.IGNORECASE)
_SPECTRAL_NAMED_RX = re.compile(r"\bspectral\b|\bduplex\b|\bpulsed[\s-]*(?:wave|doppler)\b|"
                                r"\bwaveform\s+analys[ie]s\b", re.IGNORECASE)
_DOPPLER_TITLE_RX = re.compile(r"\bdoppler\b|\bduplex\b", re.IGNORECASE)


def _color_doppler_technique(ex: Extraction, secs: list) -> bool:
    """Whether the technique states color Doppler as the study's Doppler, the title names no
    Doppler study and no section names a spectral analysis ("pulsed Doppler", "waveform
    analysis"): the flow and waveforms its organ survey reports then add no duplex code."""
    tech = [sec for sec in ex.sections if sec.name == "technique"]
    return any(_COLOR_TECHNIQUE_RX.search(ex.text, sec.start, sec.end) for sec in tech) and \
        not any(_DOPPLER_TITLE_RX.search(ex.text, sec.start, sec.end) for sec in ex.sections if sec.name == "exam") and \
        not any(_SPECTRAL_NAMED_RX.search(ex.text, sec.start, sec.end) for sec in secs)


def organ_duplex(ex: Extraction, frames: list[Frame]) -> Frame | None:
    """An organ ultrasound whose technique or findings document spectral Doppler of the organ's
    vessels ("spectral", "waveforms") is also a duplex scan: 93975 when both the arterial inflow
    and the venous outflow are analysed, else the limited 93976. Color flow alone, or one velocity
    in a grayscale survey, adds no code."""
    # one organ study (a transabdominal and a transvaginal pelvis are two frames of one region)
    if not frames or len({(f.modality, f.region) for f in frames}) != 1 or frames[0].modality != "US" \
            or frames[0].region not in DUPLEX_ORGAN_REGIONS:
        return None
    # only a sentence holding a spectral word states the duplex: a report without one in these
    # sections has none (the words every match of _SPECTRAL_RX holds; suggester.scan.may_match)
    low = _folded_text(ex)
    secs = [sec for sec in ex.sections if sec.name in ("technique", "findings", "body")]
    if not any(may_match(_SPECTRAL_RX, low, sec.start, sec.end) for sec in secs):
        return None
    if _TRANSPLANT_RX.search(ex.text) and not _NONRENAL_TRANSPLANT_RX.search(ex.text):
        return None  # a transplanted kidney's study includes its duplex (76776); a liver's does not
    if _color_doppler_technique(ex, secs):
        return None
    said: list[tuple[int, int, str]] = []
    flows: list[str] = []
    stated = False
    for sec in secs:
        for sm in _PROSE_RX.finditer(ex.text, sec.start, sec.end):
            t = sm.group()
            spectral = _spectral_stated(t)
            if spectral or _MEASURED_RX.search(t):
                said.append((sm.start(), sm.end(), sec.name))
                stated = stated or spectral
            elif _VESSEL_FLOW_RX.search(t) or _ORGAN_VEINS_PATENT_RX.search(t):
                flows.append(t)  # (or the organ's veins said patent: "Renal veins patent.")
    if not stated:
        return None
    # the extent: what the spectral sentences analyse and the flow the study reports beside them
    # ("Spectral Doppler of the portal veins ... Hepatic veins patent with phasic outflow.")
    # (a vessel the report says it did not record is no part of it: "venous waveforms were not recorded")
    text = " ".join(t for t in [*(ex.text[a:b] for a, b, _ in said), *flows] if not _VESSEL_NOT_DONE_RX.search(t))
    # the testes' and the ovaries' venous flow is their organs' outflow
    outflow = _OUTFLOW_RX.search(text) or frames[0].region in ("scrotum", "pelvis") and _VENOUS_RX.search(text)
    complete = bool(_ARTERIAL_RX.search(text) and outflow)
    if complete and frames[0].region in ("scrotum", "pelvis") and _one_side_analysed(ex, secs):
        complete = False  # "L ovarian arterial and venous waveforms. R ovary normal.": one of the paired organs, limited
    f = frames[0]
    g = Frame("DUPLEX", "abdominal_pelvic_organs_vessels", "abdominal_pelvic_organs_vessels",
              quals={"complete" if complete else "limited"}, fuzzy=f.fuzzy)
    ms = [Mention("modality", "DUPLEX", a, b, name, ex.text[a:b].strip()[:80], 0, -1) for a, b, name in said[:3]]
    g.add("modality", ms, "findings")
    g.add("site", ms, "findings")
    return g


# the sides of the paired organs (testes, ovaries) a duplex's sentences name ("right ovary", "L testicular
# artery", "both ovaries", "bilateral", "each testis")
_PAIRED_SIDE_RX = re.compile(r"\b(?:(?P<r>right|rt|r)|(?P<l>left|lt|l)|(?P<b>both|bilateral\w*|bilat|each|either|"
                             r"symmetric\w*))\b", re.IGNORECASE)


def _one_side_analysed(ex: Extraction, secs: list) -> bool:
    """Do the Doppler sentences of a paired organ's duplex (those that found no flow too: "no venous waveform
    obtained in the right ovary" analysed it), with the label their line starts with ("Right ovary: ..."),
    name one side only, and neither both sides nor each?"""
    sides: set[str] = set()
    for sec in secs:
        for sm in _PROSE_RX.finditer(ex.text, sec.start, sec.end):
            if not (_SPECTRAL_RX.search(sm.group()) or _DOPPLER_TITLE_RX.search(sm.group())):
                continue
            a = max(sec.start, ex.text.rfind("\n", sec.start, sm.start()) + 1)
            sides |= {k for m in _PAIRED_SIDE_RX.finditer(ex.text, a, sm.end()) for k, v in m.groupdict().items() if v}
    return len(sides) == 1 and "b" not in sides


# a breast ultrasound a mammography report documents as done ("Targeted ultrasound of the right breast at
# the palpable site", "ULTRASOUND: Left breast 2 o'clock: 6 mm simple cyst"): its words, the breast's
# places it names, what says it was not done here (recommended, prior, to follow, guidance of a biopsy,
# another report's: "also performed and reported separately")
_BREAST_US_RX = re.compile(r"\b(?:ultrasound|sonograph\w*|sonogram|sonographic(?:ally)?)\b", re.IGNORECASE)
_BREAST_US_LABEL_RX = re.compile(r"^[ \t]*(?:breast[ \t]+)?(?:ultrasound|sonography|US)"
                                 # ... with its side and organ before the colon ("US L BREAST:", "ULTRASOUND RIGHT:")
                                 r"(?:[ \t]+(?:right|left|rt|lt|r|l|bilateral|bilat|breasts?)\b){0,3}[ \t]*:",
                                 re.IGNORECASE | re.MULTILINE)
_BREAST_PLACE_RX = re.compile(r"\b(?:breasts?|o'?clock|axilla\w*|lumpectomy|retroareolar|subareolar|palpable)\b",
                              re.IGNORECASE)
_BREAST_US_NOT_HERE_RX = re.compile(
    r"\b(?:recommend\w*|advis\w*|suggest\w*|consider\w*|prior|previous\w*|comparison|correlat\w*|if\b|"
    r"guid\w*|biops\w*|schedul\w*|will\b|should|not|no\b|declined|unavailable|outside|seen|shown|known|"
    r"earlier|last|dated|ago|after|returns?|work-?up|likely|assessed|characteri[sz]ed|since|history|"
    r"separate(?:ly)?|(?:19|20)\d\d)\b", re.IGNORECASE)
# ... and an "ULTRASOUND:" part that says none was done ("ULTRASOUND: Not performed.", "US: none", "N/A")
_BREAST_US_UNDONE_RX = re.compile(r"[ \t]*(?:not\b|none\b|n/?a\b|declined|deferred|recommend\w*|to\s+follow)", re.IGNORECASE)
# (not a finding's "complete": "complete effacement of the fatty hilum", "complete resolution of the collection")
_BREAST_COMPLETE_RX = re.compile(r"\b(?:complete(?![ \t]+(?:effacement|obliteration|loss|replacement|occlusion|"
                                 r"resolution|rupture|tear|fracture|collapse|absence|thrombosis|response|"
                                 r"regression|disruption|transection)\b)|whole[- ]breast|"
                                 r"entire\s+(?:right\s+|left\s+)?breast|all\s+(?:four\s+)?quadrants)\b", re.IGNORECASE)
_SIDE_WORD_RX = re.compile(r"\b(?:(?P<r>right|rt)|(?P<l>left|lt)|(?P<b>bilateral\w*|both))\b", re.IGNORECASE)


def _titled_breast_ultrasound(ex: Extraction) -> list[Mention]:
    """The ultrasound a mammogram's title names beside it with no anatomy of its own ("DIAGNOSTIC MAMMO L +
    US L", "MAMMO DX BILAT / US RT"): its modality mention and the sides after it on its part of the title."""
    for m in ex.mentions:
        if m.section != "exam" or m.key != "modality" or m.value != "US" or m.status != "performed":
            continue
        part = [x for x in ex.mentions if x.section == "exam" and x.doc_id == m.doc_id and x.sent == m.sent
                and x.start > m.start and x.status == "performed"]
        if any(x.key in ("site", "modality") for x in part) or not _TITLE_JOIN_BEFORE_RX.search(
                ex.text, max(0, m.start - 6), m.start):
            continue
        return [m] + [x for x in part if x.key == "side"]
    return []


# the join of a second exam onto a title ("MAMMO L + US L", "MAMMO / US", "MAMMOGRAM AND ULTRASOUND")
_TITLE_JOIN_BEFORE_RX = re.compile(r"(?:\+|/|&|,|\band)[ \t]*$", re.IGNORECASE)


# a report that may be of a pregnancy (its transvaginal study the obstetric one, or none of this rule's)
_PREGNANCY_WORD_RX = re.compile(r"\b(?:pregnan\w*|gestation\w*|IUP|intrauterine|b?hcg|ectopic|fet(?:al|us)|embryo\w*|"
                                r"yolk|obstetric\w*|OB|placenta\w*|amniotic|AFI|EFW|cervi\w*|\d+\s*w(?:ee)?ks?|\d+w\d+d)\b",
                                re.IGNORECASE)


def documented_transvaginal_pelvis(ex: Extraction, frames: list[Frame]) -> Frame | None:
    """An abdominal ultrasound whose report documents transvaginal images of the pelvis taken at the visit
    ("also transvaginal images of the adnexa were obtained", a "Transvaginal:" part of the findings) bills
    the transvaginal study too (76830; CODING_RULES §3, §6: performed), no transabdominal pelvis unless one
    is documented. A pelvic or obstetric exam of the report, or a pregnancy, leaves it to their own rules."""
    if not any(f.modality == "US" and f.region in ("abdomen", "retroperitoneum") for f in frames) \
            or any(f.modality == "US" and (f.region in ("pelvis", "ob") or f.site in ("pelvis", "ob", "transvaginal_site"))
                   for f in frames) or _PREGNANCY_WORD_RX.search(ex.text):
        return None
    for sec in ex.sections:
        if sec.name not in ("technique", "findings", "body", "subtitle"):
            continue
        for sm in _SENTENCE_RX.finditer(ex.text, sec.start, sec.end):
            t = sm.group()
            tv = _TRANSVAGINAL_RX.search(t)
            if tv is None or _APPROACH_NOT_DONE.search(t) or _EARLIER_SCAN_RX.search(t):
                continue
            a, b = sm.start() + tv.start(), sm.start() + tv.end()
            g = Frame("US", "pelvis", "pelvis", quals={"transvaginal"})
            ms = [Mention("qual", "transvaginal", a, b, sec.name, ex.text[a:b], 0, -1)]
            g.add("modality", ms, "findings")
            g.add("site", ms, "findings")
            g.add("qual", ms, "findings")
            return g
    return None


def documented_breast_ultrasound(ex: Extraction, frames: list[Frame]) -> Frame | None:
    """A mammogram whose report documents a breast ultrasound done at the visit, under the title's
    mammogram alone ("Targeted ultrasound of the right breast at the palpable site", an "ULTRASOUND:"
    part of the findings), bills the breast ultrasound too: limited (76642) unless the whole breast
    was scanned (76641), on the breasts the ultrasound sentences name (CODING_RULES §6: performed)."""
    if not any(f.modality == "MG" for f in frames) or any(f.modality == "US" for f in frames):
        return None
    said: list[tuple[int, int]] = []
    for sec in ex.sections:
        if sec.name not in ("technique", "findings", "body"):
            continue
        for lm in _BREAST_US_LABEL_RX.finditer(ex.text, sec.start, sec.end):
            nl = ex.text.find("\n", lm.end(), sec.end)
            if not _BREAST_US_UNDONE_RX.match(ex.text, lm.end()):
                said.append((lm.start(), sec.end if nl == -1 else nl))
        for sm in _SENTENCE_RX.finditer(ex.text, sec.start, sec.end):
            t = sm.group()
            if _BREAST_US_RX.search(t) and _BREAST_PLACE_RX.search(t) and not _BREAST_US_NOT_HERE_RX.search(t):
                said.append((sm.start(), sm.end()))
    titled = [] if said else _titled_breast_ultrasound(ex)
    said += [(m.start, m.end) for m in titled]
    if not said:
        return None
    text = " ".join(ex.text[a:b] for a, b in said)
    sides = {k for m in _SIDE_WORD_RX.finditer(text) for k, v in m.groupdict().items() if v}
    sides |= {m.value[0] for m in titled if m.key == "side" and m.value in ("left", "right", "bilateral")}
    side = "bilateral" if "b" in sides or {"r", "l"} <= sides else "right" if "r" in sides else \
        "left" if "l" in sides else None
    g = Frame("US", "breast", "breast", side=side,
              quals={"complete" if _BREAST_COMPLETE_RX.search(text) else "limited"})
    ms = [Mention("modality", "US", a, b, "findings", ex.text[a:b].strip()[:80], 0, -1) for a, b in said[:3]]
    g.add("modality", ms, "findings")
    g.add("site", ms, "findings")
    if side is not None:
        g.add("side", ms, "findings")
    return g


# digital breast tomosynthesis as a mammography report writes it ("with tomosynthesis", "Tomo slices
# reviewed", "2D and DBT", "3D"), what makes a sentence not say it was done at this visit ("no tomo",
# "prior tomosynthesis 2024", "recommend tomosynthesis views"), and a title's shorthand that says it was
# not done ("W/O TOMO", "WO DBT", "NON-3D")
_DBT_RX = re.compile(r"\b(?:tomosynthesis|tomo(?:\s+synthesis)?|dbt|3-?d)\b", re.IGNORECASE)
_DBT_NOT_HERE_RX = re.compile(
    r"(?:\b(?:no|not|without|wo|non|never|prior|previous\w*|compar\w*|recommend\w*|advis\w*|suggest\w*|"
    r"consider\w*|declined|unavailable|deferred|if|will|would|should|could|outside|may|can|might|improv\w*|"
    r"availab\w*|offer\w*|benefit\w*)\b|\bw/o\b|\bw/out\b|\b(?:19|20)\d\d\b)", re.IGNORECASE)
# what says tomosynthesis was done for this exam: a verb of acquisition or review ("Tomosynthesis was performed",
# "Tomo slices reviewed"), tomosynthesis attached to the views ("CC and MLO views with tomosynthesis", "2D and
# tomosynthesis"), or its images ("tomosynthesis slices"); a general notice ("Tomosynthesis may improve cancer
# detection in women with dense breasts") says none of these
_DBT_DONE_RX = re.compile(
    r"\b(?:obtained|performed|acquired|reviewed|taken|done|included|utilized|used)\b|"
    r"\b(?:with|and|plus|w/)\s*(?:tomo\w*|dbt|3-?d)\b|\b(?:tomo\w*|dbt|3-?d)\s+(?:slices?|images?|views?|projections?)\b",
    re.IGNORECASE)
_DBT_UNDONE_RX = re.compile(r"\b(?:no\s+(?:tomo\w*|dbt|3-?d)|not|without|unavailable|declined|deferred|down|outage|"
                            r"out\s+of\s+service|"
                            r"2-?d\s+only|only\s+2-?d)\b|\bw/o\b", re.IGNORECASE)
_DBT_UNDONE_BEFORE_RX = re.compile(r"(?:\bw/o|\bwo|\bw/out|\bwithout|\bno|\bnon)[\s-]*$", re.IGNORECASE)


def documented_tomosynthesis(ex: Extraction, f: Frame) -> None:
    """A mammogram's tomosynthesis (the DBT add-on, CODING_RULES §3): "with 3D" on a mammogram is DBT,
    never a 3D rendering; a title's "W/O TOMO" says it was not done; a findings or body sentence that
    says the views were taken with tomosynthesis documents it when the title and technique are silent."""
    if f.modality != "MG":
        return
    text = ex.text
    titled = [m for m in f.evidence.get("qual", []) if m.value in ("tomosynthesis", "3d_rendering")]
    undone = any(m.key == "qual" and m.value == "tomosynthesis" and m.status == "negated"
                 and m.section not in _NOT_THIS_STUDY for m in ex.mentions)
    if "3d_rendering" in f.quals:
        f.quals.discard("3d_rendering")
        if not undone:
            f.quals.add("tomosynthesis")
    if titled and all(_DBT_UNDONE_BEFORE_RX.search(text, max(0, m.start - 8), m.start) for m in titled):
        f.quals.discard("tomosynthesis")
        return
    if "tomosynthesis" in f.quals or undone:
        return
    said: list[Mention] = []
    for sec in ex.sections:
        if sec.name not in ("subtitle", "technique", "findings", "body"):
            continue
        for sm in _PROSE_RX.finditer(text, sec.start, sec.end):
            dm = _DBT_RX.search(sm.group())
            if dm is None:
                continue
            if _DBT_UNDONE_RX.search(sm.group()):
                return  # a report that says tomosynthesis was not done anywhere ("the 3D unit was down")
            if _DBT_DONE_RX.search(sm.group()) and not _DBT_NOT_HERE_RX.search(sm.group()):
                a, b = sm.start() + dm.start(), sm.start() + dm.end()
                said.append(Mention("qual", "tomosynthesis", a, b, sec.name, text[a:b], 0, -1))
    if said:
        f.quals.add("tomosynthesis")
        f.add("qual", said[:1], "findings")


# a grayscale survey of the liver a hepatic vessel duplex report documents ("Grayscale imaging of the liver
# with color and spectral Doppler", "Grayscale liver: cirrhotic morphology"), and what makes it none ("No
# grayscale survey of the liver", "limited grayscale views", "grayscale of the TIPS")
_LIVER_GRAYSCALE_RX = re.compile(r"\b(?:gr[ae]y[\s-]?scale|b-?mode)\b(?:[^.;:\n]{0,30}?\bliver\b|\s+liver\s*:)",
                                 re.IGNORECASE)
_LIVER_GRAYSCALE_LABEL_RX = re.compile(r"^[ \t]*(?:gr[ae]y[\s-]?scale|b-?mode)[ \t]*:[ \t]*(?:the\s+)?(?:transplant\w*\s+)?liver\b",
                                       re.IGNORECASE | re.MULTILINE)
_NO_GRAYSCALE_RX = re.compile(r"\b(?:no|not|without|limited|brief|cursory|tips|shunt|stent)\b", re.IGNORECASE)


def documented_liver_grayscale(ex: Extraction, frames: list[Frame]) -> Frame | None:
    """A duplex scan of the hepatic vessels ("US LIVER DOPPLER", "TIPS check") whose report documents a
    grayscale survey of the liver done with it ("Grayscale imaging of the liver w/ color and spectral
    Doppler", "Grayscale liver: cirrhotic morphology") bills that organ study too (the limited abdominal
    ultrasound, 76705), as a title naming both does (CODING_RULES §6: performed)."""
    if any(f.modality == "US" for f in frames) or not any(
            f.modality == "DUPLEX" and f.region == "abdominal_pelvic_organs_vessels" for f in frames):
        return None
    said: list[tuple[int, int]] = []
    for sec in ex.sections:
        if sec.name not in ("technique", "findings", "body", "history"):
            continue
        for lm in _LIVER_GRAYSCALE_LABEL_RX.finditer(ex.text, sec.start, sec.end):
            said.append((lm.start(), lm.end()))
        for sm in _PROSE_RX.finditer(ex.text, sec.start, sec.end):
            gm = _LIVER_GRAYSCALE_RX.search(sm.group())
            if gm and not _NO_GRAYSCALE_RX.search(sm.group(), 0, gm.end()):
                said.append((sm.start() + gm.start(), sm.start() + gm.end()))
    if not said:
        return None
    g = Frame("US", "liver", "abdomen", quals={"limited"})
    ms = [Mention("site", "liver", a, b, "findings", ex.text[a:b].strip()[:80], 0, -1) for a, b in said[:3]]
    g.add("modality", ms, "findings")
    g.add("site", ms, "findings")
    return g


# the duplex imaging said not done ("Duplex imaging was not performed because the ABIs were normal", "the
# duplex portion was deferred")
_DUPLEX_IMAGING_RX = re.compile(r"\b(?:duplex|imaging|ultrasound|sonograph\w*|grayscale|color\s+doppler)\b", re.IGNORECASE)


def physiologic_only(ex: Extraction, f: Frame) -> None:
    """An arterial duplex of the legs titled whose report says the duplex imaging was not done and
    documents the ankle-brachial indices obtained is the physiologic study performed (93922; 93923
    when the levels' pressures or waveforms were recorded): bill what was performed, the title a
    conflict (CODING_RULES §6)."""
    if f.modality != "DUPLEX" or f.region != "lower_extremity_arteries":
        return
    abi = [m for m in ex.mentions if m.key == "site" and m.value == "lower_extremity_arteries_physiologic"
           and m.status == "performed" and m.section in _NOT_DONE_SECTIONS]
    if not abi:
        return
    undone = False
    for sec in ex.sections:
        if sec.name in _NOT_DONE_SECTIONS:
            for sm in _SENTENCE_RX.finditer(ex.text, sec.start, sec.end):
                t = sm.group()
                for dm in _DUPLEX_IMAGING_RX.finditer(t):
                    nd = EXAM_NOT_DONE_RX.search(t, dm.end(), dm.end() + 40)
                    if nd is not None and not _PHYSIOLOGIC_WORD_RX.search(t, dm.end(), nd.start()):
                        undone = True
    if not undone:
        return
    f.conflicts.append(Conflict("region", f.region, "lower_extremity_arteries_physiologic",
                                f.evidence.get("site", []), abi))
    f.region = f.site = "lower_extremity_arteries_physiologic"
    f.evidence["site"] = abi
    # the levels' pressures or volume recordings documented ("segmental pressures") make it complete
    at = {m.start for m in abi}
    levels = any(m.key == "qual" and m.value == "complete" and m.start in at for m in ex.mentions)
    f.quals = (f.quals - {"complete", "limited", "one_side"}) | {"complete" if levels else "limited"}


_DUPLEX_WORD_RX = re.compile(r"\bduplex\b", re.IGNORECASE)


def titled_duplex_imaging(ex: Extraction, f: Frame, lex: Lexicon) -> None:
    """"ARTERIAL DUPLEX LOWER EXTREMITIES BILATERAL" under a "NONINVASIVE VASCULAR LAB" letterhead (or titled
    "NONINVASIVE ARTERIAL DUPLEX"): a limb arterial study whose title names the duplex, over a report that
    documents the duplex imaging (colour and spectral Doppler, velocities), is the duplex scan (93925 / 93930,
    unilateral 93926 / 93931). "Noninvasive" is true of every vascular-lab study: alone it does not make the
    physiologic pressure study (93922 / 93923), which the indices, segmental pressures or volume recordings
    name (their own frame when the report names them)."""
    if f.modality != "DUPLEX" or f.region != "lower_extremity_arteries_physiologic" or "noninvasive" not in f.quals:
        return
    own = lex.region_for(f.site, "DUPLEX") if f.site else None
    sites = f.evidence.get("site", [])
    if own in (None, "lower_extremity_arteries_physiologic") or not sites \
            or any(m.value == "lower_extremity_arteries_physiologic" for m in sites):
        return
    titles = [s for s in ex.sections if s.name in ("exam", "subtitle") and any(s.start <= m.start < s.end for m in sites)]
    if not any(_DUPLEX_WORD_RX.search(ex.text, s.start, s.end) for s in titles) or not _duplex_documented(ex):
        return
    f.quals.discard("noninvasive")
    f.region = _ruled_region(f, own, lex)


# (the indices named between the duplex and its "not done" are what was not done: "imaging with ABIs
# was not repeated")
_PHYSIOLOGIC_WORD_RX = re.compile(r"\b(?:abis?|ankle[- /]?brachial|pvrs?|segmental|pressures?)\b", re.IGNORECASE)


# the levels of a segmental pressure study ("brachial, high thigh, above-knee, below-knee and ankle pressures")
_PRESSURE_LEVEL_RX = re.compile(r"\b(?:(?P<ht>high[\s-]+thigh)|(?P<lt>low[\s-]+thigh|above[\s-]+(?:the\s+)?knee|ak)|"
                                r"(?P<calf>calf|below[\s-]+(?:the\s+)?knee|bk)|(?P<ankle>ankle)|(?P<toe>toes?|digit\w*|tbi))\b",
                                re.IGNORECASE)
_PRESSURE_WORD_RX = re.compile(r"\b(?:pressures?|pvrs?|plethysmo\w*|pulse\s+volume)\b", re.IGNORECASE)
# the levels said as a number rather than named ("PVR at multiple levels", "segmental pressures at 4 levels")
_PRESSURE_LEVELS_SAID_RX = re.compile(r"\b(?:multiple|several|multi|all|each|every|[3-6]|three|four|five)[\s-]*levels?\b",
                                      re.IGNORECASE)
_PRESSURE_NOT_DONE_RX = re.compile(r"\b(?:no|not|prior|previous\w*|recommend\w*|consider\w*|if)\b", re.IGNORECASE)


def documented_pressure_levels(ex: Extraction, f: Frame) -> None:
    """An ankle-brachial index study whose findings or body document pressures at three or more levels of
    the leg ("high thigh, above-knee, below-knee and ankle pressures with plethysmographic waveforms at each
    level") documents the multi-level study (93923, CODING_RULES §5); ``physiologic_extent`` then bills it."""
    if f.modality != "DUPLEX" or f.region != "lower_extremity_arteries_physiologic" or "limited" not in f.quals \
            or "complete" in f.quals:
        return
    for sec in ex.sections:
        if sec.name not in ("technique", "findings", "body"):
            continue
        for sm in _PROSE_RX.finditer(ex.text, sec.start, sec.end):
            t = sm.group()
            if not _PRESSURE_WORD_RX.search(t) or _PRESSURE_NOT_DONE_RX.search(t):
                continue
            levels = {k for m in _PRESSURE_LEVEL_RX.finditer(t) for k, v in m.groupdict().items() if v}
            if len(levels) >= 3 or _PRESSURE_LEVELS_SAID_RX.search(t):
                said = Mention("qual", "complete", sm.start(), sm.end(), sec.name, t.strip()[:80], 0, -1)
                f.quals.add("complete")
                f.add("qual", [said], "findings")
                return


def physiologic_extent(f: Frame) -> None:
    """A physiologic arterial study whose title names the ankle-brachial indices (limited, 93922)
    and whose technique or findings document the multi-level study performed ("extended to
    segmental pressures with pulse volume recordings at each level") is complete (93923): what was
    performed is billed, and the title is a conflict (CODING_RULES §5, §6). A multi-level title
    over a report that says the levels were not done keeps the limited reading its text gives."""
    if f.modality != "DUPLEX" or f.region != "lower_extremity_arteries_physiologic" \
            or not {"complete", "limited"} <= f.quals:
        return
    ev = f.evidence.get("qual", [])
    done = [m for m in ev if m.value == "complete" and m.status == "performed"
            and m.section not in ("exam", "subtitle", "ordered")]
    title = [m for m in ev if m.value == "limited" and m.section in ("exam", "subtitle")]
    if not done or not title:
        return
    f.conflicts.append(Conflict("qualifier", "limited", "complete", title, done))
    f.quals.discard("limited")
    f.evidence["qual"] = [m for m in ev if m.value != "limited"]


# a transcranial Doppler that examined less than the whole circle of Willis: the posterior circulation (or
# a vessel of it, or the anterior cerebral arteries) not examined, one window only, the middle cerebral arteries only
_TCD_LIMITED_RX = re.compile(
    r"\b(?:posterior\s+circulation|vertebral|basilar|PCAs?|ACAs?|(?:anterior|posterior)\s+cerebral\s+arter(?:y|ies)|"
    r"suboccipital|transforaminal)\b[^.;\n]{0,60}?"
    r"\b(?:not\s+(?:be\s+|been\s+)?(?:evaluated|insonated|assessed|attempted|obtained|imaged|interrogated|examined|"
    r"performed|seen|visuali[sz]ed)|inadequate|unobtainable)\b"
    r"|\b(?:temporal|transtemporal|one|single)\s+windows?\s+only\b"
    r"|\bonly\b[^.;\n]{0,30}?\b(?:MCAs?|middle\s+cerebral|temporal\s+windows?)\b"
    r"|\b(?:MCAs?|middle\s+cerebral\s+arter(?:y|ies))\b[^.;\n]{0,40}?\bonly\b", re.IGNORECASE)
_TCD_LIMITED_NOT_SAID = re.compile(r"\b(?:if|recommend\w*|consider\w*|prior|previous)\b", re.IGNORECASE)


def transcranial_extent(ex: Extraction, f: Frame) -> None:
    """A transcranial Doppler is complete (93886) only when it examines the circle of Willis with the
    posterior circulation; one the report says examined less ("posterior circulation not evaluated",
    "R temporal window only", "only bilateral MCA and distal ICA insonated") is limited (93888),
    whatever the title says (CODING_RULES §5/§6: the title's "complete" becomes a conflict)."""
    if f.modality != "DUPLEX" or f.region != "transcranial" or "limited" in f.quals:
        return
    said = documented_in_body(ex, _TCD_LIMITED_RX, _TCD_LIMITED_NOT_SAID, "limited", also=("history", "impression", "exam"))
    if said is None:
        return
    if "complete" in f.quals:
        f.conflicts.append(Conflict("qualifier", "complete", "limited", f.evidence.get("qual", []), [said]))
        f.quals.discard("complete")
    f.quals.add("limited")
    f.add("qual", [said], "technique")


_LIMB_NECK_DUPLEX = frozenset({"carotid", "extremity_veins", "lower_extremity_arteries", "upper_extremity_arteries"})
# a statement that both sides were scanned in full ("both sides were scanned completely", "a complete
# bilateral examination was performed", "both carotid systems were examined fully")
_BOTH_SCANNED_FULLY_RX = re.compile(
    r"\b(?:both|bilateral\w*)\b[^.;\n]{0,60}?\b(?:scanned|examined|imaged|studied|interrogated|evaluated)\s+"
    r"(?:completely|fully|in\s+full)\b"
    r"|\bcomplete(?:ly)?\s+bilateral\s+(?:study|exam\w*|scan|duplex)\s+(?:was\s+)?(?:performed|obtained|done)\b",
    re.IGNORECASE)
_BOTH_SCANNED_NOT_SAID_RX = re.compile(r"\b(?:not|if|recommend\w*|consider\w*|prior|previous\w*|should|could)\b",
                                       re.IGNORECASE)


def bilateral_duplex_scanned_fully(ex: Extraction, f: Frame) -> None:
    """A carotid or limb duplex of both sides titled limited ("CAROTID DUPLEX BILATERAL - LIMITED
    FOLLOW UP") whose report says both sides were scanned in full is the complete bilateral study
    (CODING_RULES §5, §6: performed wins; 93880, not 93882-50), the title a conflict."""
    if f.modality != "DUPLEX" or f.region not in _LIMB_NECK_DUPLEX or f.side != "bilateral" \
            or "limited" not in f.quals or "complete" in f.quals:
        return
    title = [m for m in f.evidence.get("qual", []) if m.value == "limited" and m.section in ("exam", "subtitle")]
    if not title:
        return
    for sec in ex.sections:
        if sec.name in ("exam", "subtitle", "ordered", "comparison", "impression"):
            continue
        for sm in _PROSE_RX.finditer(ex.text, sec.start, sec.end):
            t = sm.group()
            if _BOTH_SCANNED_FULLY_RX.search(t) and not _BOTH_SCANNED_NOT_SAID_RX.search(t):
                said = Mention("qual", "complete", sm.start(), sm.end(), sec.name, t.strip()[:80], 0, -1)
                f.conflicts.append(Conflict("qualifier", "limited", "complete", title, [said]))
                f.quals.discard("limited")
                f.quals.add("complete")
                f.evidence["qual"] = [m for m in f.evidence.get("qual", []) if m.value != "limited"] + [said]
                return


# what a duplex scan of the leg arteries writes and a physiologic study does not: the imaging, the
# spectral velocities, the plaque ("Color and spectral Doppler of the CFA", "SFA PSV 120 cm/s")
_DUPLEX_DOCUMENTED_RX = re.compile(
    r"\b(?:duplex|colou?r|spectral|gr[ae]y[\s-]*scale|b[\s-]*mode|psv|peak\s+systolic|cm/s(?:ec)?|velocit\w*|"
    r"imag\w*|plaque|compressi\w*|transducer|sonograph\w*)\b", re.IGNORECASE)


def physiologic_doppler_title(ex: Extraction, frames: list[Frame]) -> list[Frame]:
    """"LOWER EXT ARTERIAL DOPPLER BILAT (ABI) WITH SEGMENTAL PRESSURES": a leg arterial "Doppler" named
    with the physiologic study it is done with (the ankle-brachial indices, the segmental pressures), over a
    report that documents the pressures and waveforms and no duplex imaging, is that physiologic study's
    Doppler, not an arterial duplex scan as well (93922 / 93923 alone; bill what was performed, CODING_RULES
    §6). A title saying "duplex", or a body documenting the imaging, keeps the duplex."""
    if not any(f.modality == "DUPLEX" and f.region == "lower_extremity_arteries_physiologic" for f in frames):
        return frames
    out = []
    for f in frames:
        words = {m.text.lower() for m in f.evidence.get("modality", [])}
        if f.modality == "DUPLEX" and f.region == "lower_extremity_arteries" and words \
                and all("doppler" in w and "duplex" not in w for w in words) and not _duplex_documented(ex):
            continue
        out.append(f)
    return out


def _duplex_documented(ex: Extraction) -> bool:
    return any(_DUPLEX_DOCUMENTED_RX.search(ex.text, sec.start, sec.end) for sec in ex.sections
               if sec.name not in ("exam", "subtitle", "ordered", "comparison", "history", "indication"))


# a word between two others of a title ("US ABD LTD (liver doppler)": "liver")
_TITLE_WORD_RX = re.compile(r"[A-Za-z0-9]+")


def organ_title_limited(ex: Extraction, frames: list[Frame]) -> None:
    """A title naming an organ ultrasound and its Doppler whose "limited" stands with the organ, before the
    Doppler and apart from it ("US ABD LTD (liver doppler requested)", "US ABDOMEN LIMITED WITH DOPPLER"):
    the limited B-mode study (76705), not the extent of the duplex, which the report's vessels decide
    (organ_duplex_extent: 93975 with the arterial inflow and the venous outflow, CODING_RULES §5). A
    "limited" after the Doppler word or next to it ("US LIVER DOPPLER LIMITED") stays the duplex's."""
    organs = [f for f in frames if f.modality == "US" and f.region in DUPLEX_ORGAN_REGIONS and "limited" in f.quals]
    if not organs:
        return
    for g in frames:
        if g.modality != "DUPLEX" or g.region != "abdominal_pelvic_organs_vessels" or "complete" in g.quals:
            continue
        said = [m for m in g.evidence.get("qual", []) if m.value == "limited"]
        if not said or "limited" not in g.quals or any(m.section not in ("exam", "subtitle") for m in said):
            continue
        for m in said:
            sec = next((s for s in ex.sections if s.start <= m.start < s.end), None)
            dop = _DOPPLER_TITLE_RX.search(ex.text, m.end, sec.end) if sec is not None else None
            if sec is None or dop is None or _DOPPLER_TITLE_RX.search(ex.text, sec.start, m.start) \
                    or not _TITLE_WORD_RX.search(ex.text, m.end, dop.start()):
                break
        else:
            g.quals.discard("limited")
            g.evidence["qual"] = [m for m in g.evidence["qual"] if m.value != "limited"]


def organ_duplex_extent(ex: Extraction, f: Frame) -> None:
    """A duplex scan of abdominal / pelvic organ vessels is complete (93975) only when the report
    documents both the arterial inflow and the venous outflow; one that examines less ("portal vein
    patency only": main, right and left portal veins) is limited (93976). A title that says which
    stays as it is; a title alone is trusted. "Limited grayscale of the liver" in the technique is
    the extent of the B-mode images, not of the duplex."""
    if f.modality != "DUPLEX" or f.region not in ("abdominal_pelvic_organs_vessels", "aorta_ivc_iliac"):
        return
    said = [m for m in f.evidence.get("qual", []) if m.value == "limited"]
    if "limited" in f.quals and "complete" not in f.quals and said \
            and all(m.section not in ("exam", "subtitle", "ordered") and _GRAYSCALE_AFTER_RX.match(ex.text, m.end)
                    for m in said):
        f.quals.discard("limited")
        f.evidence["qual"] = [m for m in f.evidence["qual"] if m.value != "limited"]
    titled = [m for m in f.evidence.get("qual", []) if m.value == "complete"]
    if f.region == "abdominal_pelvic_organs_vessels" and "complete" in f.quals and "limited" not in f.quals \
            and titled and all(m.section in ("exam", "subtitle") for m in titled):
        _titled_complete_extent(ex, f, titled)
        return
    if f.region == "aorta_ivc_iliac" and "complete" in f.quals and "limited" not in f.quals \
            and titled and all(m.section in ("exam", "subtitle") for m in titled):
        # "AORTOILIAC DUPLEX - COMPLETE" whose iliacs "could not be visualized": limited (93979), the
        # title a conflict (CODING_RULES §5, §6)
        _aorta_iliac_extent(ex, f)
        if "limited" in f.quals:
            f.conflicts.append(Conflict("complete", "complete", "limited", titled, []))
            f.elements_missing = ["a part of the aorta / IVC / iliac vessels"]
            f.quals.discard("complete")
        return
    if f.quals & {"complete", "limited"}:
        return
    if f.region == "aorta_ivc_iliac":
        _aorta_iliac_extent(ex, f)
        return
    text = " ".join(ex.text[s.start:s.end] for s in ex.sections if s.name in ("technique", "findings", "body"))
    if not text.strip():
        # a one-line outside read ("Doppler TIPS eval. Hx: ... MPV hepatopetal 38 cm/s ..."): what follows the title
        text = " ".join(ex.text[s.start:s.end] for s in ex.sections if s.name in ("history", "subtitle"))
        if not _VESSEL_FLOW_RX.search(text):
            return  # a title alone: trusted
    # a vessel the report says it did not examine ("HA/hepatic veins not assessed") is no part of the extent
    text = " ".join(t for t in _SENTENCE_RX.findall(text) if not _VESSEL_NOT_DONE_RX.search(t))
    if _ARTERIAL_RX.search(text) and _OUTFLOW_RX.search(text):
        return
    f.quals.add("limited")


# a duplex of organ vessels the report says it confined to part of them ("study limited to the right renal
# artery", "only the main portal vein was interrogated")
_DUPLEX_CONFINED_RX = re.compile(r"\b(?:limited|confined|restricted)\s+to\s+(?:the\s+)?|\bonly\s+the\s+[^.;\n]{0,40}?\b(?:was|were)\s+"
                                 r"(?:examined|evaluated|interrogated|assessed|imaged|sampled)\b|\bnot\s+(?:be\s+|been\s+)?"
                                 r"(?:assessed|evaluated|interrogated|examined|visuali[sz]ed|sampled)\b", re.IGNORECASE)


def _titled_complete_extent(ex: Extraction, f: Frame, titled: list[Mention]) -> None:
    """A duplex of organ vessels titled complete whose report says part of them was not examined ("The
    left renal artery and both renal veins could not be evaluated; study limited to the right renal
    artery") and documents no arterial inflow or no venous outflow is limited (93976): what was
    performed is billed, the title is a conflict (CODING_RULES §5, §6)."""
    sents = [t for s in ex.sections if s.name in ("technique", "findings", "body") for t in _SENTENCE_RX.findall(ex.text, s.start, s.end)]
    if not any(_DUPLEX_CONFINED_RX.search(t) for t in sents):
        return
    text = " ".join(t for t in sents if not _VESSEL_NOT_DONE_RX.search(t))
    missing = [name for name, ok in (("arterial inflow", _ARTERIAL_RX.search(text)),
                                     ("venous outflow", _OUTFLOW_RX.search(text))) if not ok]
    if not missing:
        return
    f.conflicts.append(Conflict("complete", "complete", "limited", titled, []))
    f.elements_missing = missing
    f.quals.discard("complete")
    f.quals.add("limited")


# a sentence confining the study to one of the vessels ("of the infrarenal IVC only", "only the right common
# iliac artery") or leaving one out ("Iliac veins were not included")
_AORTOILIAC_CONFINED_RX = re.compile(
    r"\b(?:aort\w*|IVC|vena\s+cava|iliac\w*)(?:\s+(?:arter(?:y|ies)|veins?|limbs?|filter|stent))?\s+only\b|"
    r"\bonly\s+(?:the\s+)?(?:[\w-]+\s+){0,3}(?:aort\w*|IVC|vena\s+cava|iliac\w*)\b|"
    r"\bnot\s+(?:been\s+)?(?:included|covered)\b|\b(?:excluded|omitted)\b", re.IGNORECASE)


def _aorta_iliac_extent(ex: Extraction, f: Frame) -> None:
    """A duplex scan of the aorta, IVC and iliac vessels whose report says a part of them was not
    examined ("Iliac veins and aorta not examined", "Iliac veins were not included": an IVC filter check) or
    confines it to one of them ("Color and spectral Doppler of the infrarenal IVC only") is limited (93979)."""
    for sec in ex.sections:
        if sec.name not in ("technique", "findings", "body"):
            continue
        for t in _SENTENCE_RX.findall(ex.text, sec.start, sec.end):
            if (_VESSEL_NOT_DONE_RX.search(t) or _AORTOILIAC_CONFINED_RX.search(t)) and _AORTOILIAC_PART_RX.search(t):
                f.quals.add("limited")
                return


# the report body documenting several gestations ("dichorionic diamniotic twin pregnancy", "twin
# A ... twin B"), and what makes a sentence not count ("vanishing twin", "singleton")
_GESTATIONS = ((3, re.compile(r"\b(triplets?|trichorionic|triamniotic)\b", re.IGNORECASE)),
               (2, re.compile(r"\b(twins?|di-?chorionic|mono-?chorionic|di-?amniotic|mono-?amniotic)\b",
                              re.IGNORECASE)))
_NOT_GESTATIONS = re.compile(r"\b(vanishing|demise|resorb\w*|singleton|no|not|without|rule out|r/o|suspected)\b",
                             re.IGNORECASE)


# an unlabelled line naming the site that did the exam ("TWIN FORKS CAH  ACC TF00981740", "Twin Lakes
# Regional", "TWIN PEAKS COMMUNITY HOSP"): a facility word on a short line without a sentence's period
_FACILITY_LINE_RX = re.compile(
    r"^[^.\n]{0,60}\b(?:CAH|HOSP|HOSPITAL|MED(?:ICAL)?[ \t]+C(?:EN)?TR|MEDICAL[ \t]+CENTER|CLINIC|HEALTH(?:CARE)?|"
    r"COMMUNITY|REGIONAL|OUTPATIENT|IMAGING|CENTER|CTR)\b[^.\n]{0,60}$", re.IGNORECASE | re.MULTILINE)


def documented_gestations(ex: Extraction, f: Frame) -> None:
    """An obstetric exam whose findings or impression document several gestations bills the
    add-on per additional gestation even when the title does not say so (CODING_RULES §3). A title
    that asks ("US OB <14 WKS, TRIPLET?") documents no count: the body does."""
    said = [m for m in f.evidence.get("qual", []) if m.value in _TWINS]
    if said and all(ex.text[m.end:m.end + 1] == "?" or ex.text[max(0, m.start - 1):m.start] == "?" for m in said):
        f.quals -= {m.value for m in said}
        f.multiplicity = 1
    if f.site not in ("ob", "fetal") or f.multiplicity > 1:
        return
    # (the unlabelled lines above the report's findings may name the site, not the pregnancy)
    read = min((s.start for s in ex.sections if s.name in ("findings", "impression", "technique")), default=len(ex.text))
    body = "\n".join(_FACILITY_LINE_RX.sub("", ex.text[s.start:s.end]) if s.name == "body" and s.start < read
                     else ex.text[s.start:s.end] for s in ex.sections if s.name in ("findings", "body", "impression", "technique"))
    kept = [s for s in _SENTENCE_RX.findall(body) if not _NOT_GESTATIONS.search(s)]
    for n, rx in _GESTATIONS:
        if any(rx.search(s) for s in kept):
            f.multiplicity = n
            return


# the non-stress test of a biophysical profile, and a sentence saying it was not done
_NST_RX = re.compile(r"\b(NST|non-?\s?stress(?:\s+test\w*)?)\b", re.IGNORECASE)
_NOT_DONE_RX = re.compile(r"\b(no|not|without|w/o|wo|only)\b", re.IGNORECASE)
# a non-stress test done by another service or place ("NST performed in the physician office", "NST done on
# labor and delivery", "reported separately"): no part of this profile
_NST_ELSEWHERE_RX = re.compile(r"\b(?:office|clinic|elsewhere|separately|labou?r\s+and\s+delivery|l\s*&\s*d|"
                               r"triage|another|outside)\b", re.IGNORECASE)


def documented_nst(ex: Extraction, f: Frame) -> None:
    """A biophysical profile whose title does not say whether the non-stress test was part of it:
    a one-line title is the standard profile with the NST (76818, how hospitals bill "FETAL
    BIOPHYSICAL PROFILE"); a report with a body bills the NST only when it documents one (an
    ultrasound-only profile scored out of 8 is 76819, CODING_RULES §6)."""
    if "biophysical_profile" not in f.quals or f.quals & {"nst", "no_nst"}:
        return
    body = "\n".join(ex.text[s.start:s.end] for s in ex.sections if s.name not in ("exam", "subtitle", "ordered"))
    if not body.strip():
        return
    said = [s for s in _SENTENCE_RX.findall(body) if _NST_RX.search(s)]
    f.quals.add("nst" if said and not any(_NOT_DONE_RX.search(s) or _NST_ELSEWHERE_RX.search(s) for s in said)
                else "no_nst")


# a structure, or a word for "limited", that makes a limb ultrasound limited (76882: one anatomic area)
_LIMB_LIMITED_RX = re.compile(r"\b(lim\w*|ltd|lmt\w*|soft[\s-]*tis\w*|s/t|mass\w*|lump\w*|cyst\w*|nodul\w*|lesion\w*|tendon\w*|"
                                r"ligament\w*|muscle\w*|abscess\w*|foreign|fluid|collection|hernia\w*|node\w*)\b",
                                re.IGNORECASE)


def _title_alone(sections: list[Section], text: str) -> bool:
    """The input is a title alone (a hospital charge line): no section but the exam line has text."""
    return not any(s.name not in ("exam", "subtitle", "ordered") and text[s.start:s.end].strip() for s in sections)


# a voiding study whose report says the patient did not void, or no voiding images were taken ("unable to
# void around the catheter", "no voiding images of the urethra were obtained")
_NO_VOIDING_RX = re.compile(r"\b(?:unable\s+to|could\s+not|did\s+not|cannot|failed\s+to)\s+void\b|"
                            r"\bno\s+voiding\s+(?:images?|phase|views?|films?|study)\b|"
                            r"\bvoiding\s+(?:images?|phase|views?|films?)\s+(?:(?:was|were)\s+)?not\s+"
                            r"(?:obtained|performed|possible)\b", re.IGNORECASE)


def cystogram_without_voiding(ex: Extraction, f: Frame, lex: Lexicon) -> None:
    """A voiding cystourethrogram whose report says the patient did not void (no voiding images) is the
    cystogram of the bladder filled through the catheter (74430), not 74455 (CODING_RULES §6)."""
    if f.modality != "FL" or f.region != "urethra_bladder" or "retrograde" in f.quals:
        return
    region = lex.region_for("bladder", "FL")
    text = ex.clean or ex.text
    if region is None or not any(_NO_VOIDING_RX.search(text, s.start, s.end) for s in ex.sections
                                 if s.name not in ("exam", "history", "indication", "comparison")):
        return
    f.conflicts.append(Conflict("region", f.site, "bladder", f.evidence.get("site", []), []))
    f.site, f.region = "bladder", region
    f.quals = (f.quals - {"voiding", "complete"}) | {"cystography"}


# the consistencies a swallowing function study (modified barium swallow) feeds, one after another
# ("thin liquid by cup/straw, nectar-thick, honey-thick, puree, solid (cracker)"), and a report that
# says it is no such study ("this is not a functional swallowing evaluation")
_CONSISTENCY_RX = re.compile(r"\b(?:nectar|honey|puree\w*|pudding|cracker|cookie|mechanical\s+soft|thin\s+liquids?|"
                             r"thickened|mildly\s+thick|moderately\s+thick|extremely\s+thick|applesauce)\b",
                             re.IGNORECASE)
_ESOPHAGRAM_BOLUS = frozenset({"thin", "cracker", "cookie"})  # first words of _CONSISTENCY_RX's ungraded ones
_NO_SWALLOW_FUNCTION_RX = re.compile(r"\bnot\s+(?:an?\s+)?(?:functional|modified|video\w*)\s+(?:barium\s+)?swallow\w*",
                                     re.IGNORECASE)

# a swallow done with a speech-language pathologist or therapist (the exam title's words)
_SWALLOW_THERAPIST_RX = re.compile(r"\b(?:speech|slp|therap\w*)\b", re.IGNORECASE)


def documented_swallowing_function(ex: Extraction, f: Frame, lex: Lexicon) -> None:
    """A "barium swallow" or esophagram whose body feeds the patient the consistencies of a swallowing
    function study (thin liquid, nectar-thick, honey-thick, puree, solid) is the modified barium swallow
    (74230), not the esophagram (CODING_RULES §8)."""
    if f.modality != "FL" or f.region not in ("esophagus", "pharynx_cervical_esophagus"):
        return
    region = lex.region_for("swallowing_function", "FL")
    text = ex.clean or ex.text
    # (a line under the title may hold the protocol: "Consistencies trialed: thin, nectar-thick ...")
    body = [s for s in ex.sections if s.name not in ("exam", "ordered", "history", "indication", "comparison")]
    low = _folded_clean(ex)
    found = {m.group().lower().split()[0] for s in body if may_match(_CONSISTENCY_RX, low, s.start, s.end)
             for m in _CONSISTENCY_RX.finditer(text, s.start, s.end)}
    # thin barium and a solid bolus (a cookie, a cracker) are what any esophagram may feed: at least one
    # graded (thickened) consistency makes the swallowing function study; so does a title that has the
    # swallow done with a speech therapist ("BARIUM SWALLOW W/ THERAPIST", "BA SWALLOW W SPEECH PATH")
    graded = len(found) >= 2 and bool(found - _ESOPHAGRAM_BOLUS)
    therapist = ex.title is not None and _SWALLOW_THERAPIST_RX.search(ex.title.text) is not None
    if region is None or not (graded or therapist) or _NO_SWALLOW_FUNCTION_RX.search(text):
        return
    f.site, f.region = "swallowing_function", region
    f.quals -= {"single_contrast", "double_contrast"}


def esophagram_not_swallow_function(ex: Extraction, frames: list[Frame], lex: Lexicon) -> list[Frame]:
    """A generic "swallow study" title or order line beside an esophagram the report performs ("FL SWALLOW
    STUDY ESOPHAGRAM - DOUBLE CONTRAST", "Swallow study ordered ... Performed: esophagram, single contrast")
    with no swallowing-function protocol (no graded consistencies, no therapist: documented_swallowing_function)
    is the esophagram alone (74220 / 74221, CODING_RULES §8), not also a modified barium swallow (74230)."""
    swallow = [f for f in frames if f.modality == "FL" and f.site == "swallowing_function"]
    region = lex.region_for("esophagus", "FL")
    if len(swallow) != 1 or region is None:
        return frames
    esophagram = [f for f in frames if f.modality == "FL" and f.region == region]
    probe = Frame("FL", "esophagus", region)
    documented_swallowing_function(ex, probe, lex)
    if probe.site == "swallowing_function":
        return frames  # (a swallowing-function protocol the body documents)
    if esophagram:
        return [f for f in frames if f is not swallow[0]]
    performed = any(m.key == "site" and m.value == "esophagus" and m.status == "performed"
                    and m.section in ("technique", "body") for m in ex.mentions)
    if len(frames) == 1 and performed:
        f = swallow[0]
        f.site, f.region = "esophagus", region
        if not f.quals & {"single_contrast", "double_contrast"} and any(
                m.key == "qual" and m.value == "double_contrast" and m.status == "performed" for m in ex.mentions):
            f.quals.add("double_contrast")
    return frames


# the whole esophagus a pharyngoesophagram's technique says was imaged ("fluoroscopy of the pharynx and full
# esophagus", "the entire esophagus to the GE junction", "the thoracic esophagus"), and what says it was not
_WHOLE_ESOPHAGUS_RX = re.compile(r"\b(?:full|entire|whole|thoracic)\s+(?:length\s+of\s+the\s+)?esophag(?:us|eal)\b",
                                 re.IGNORECASE)
_WHOLE_ESOPHAGUS_NOT_DONE = re.compile(r"\b(?:no|not|without|omitted|deferred|declined|unable)\b", re.IGNORECASE)


def pharyngoesophagram_extent(ex: Extraction, f: Frame, lex: Lexicon) -> None:
    """A pharyngoesophagram (74210: the pharynx and cervical esophagus) whose technique documents the full
    esophagus imaged ("lateral and AP fluoroscopy of the pharynx and full esophagus") is the esophagram
    (74220), which includes the pharynx: the extent performed decides (CODING_RULES §6, §8)."""
    if f.modality != "FL" or f.region != "pharynx_cervical_esophagus":
        return
    region = lex.region_for("esophagus", "FL")
    if region is None:
        return
    # (what was imaged, not the findings' course of the bolus: "transit into the thoracic esophagus is prompt")
    read = ("technique",) if any(s.name == "technique" for s in ex.sections) else ("body",)
    for sec in ex.sections:
        if sec.name not in read:
            continue
        for sm in _PROSE_RX.finditer(ex.text, sec.start, sec.end):
            m = _WHOLE_ESOPHAGUS_RX.search(sm.group())
            if m and not _WHOLE_ESOPHAGUS_NOT_DONE.search(sm.group()):
                a, b = sm.start() + m.start(), sm.start() + m.end()
                f.site, f.region = "esophagus", region
                f.add("site", [Mention("site", "esophagus", a, b, sec.name, ex.text[a:b], 0, -1)], "technique")
                return


# a body that says the upper GI series stopped at the esophagus ("BARIUM ESOPHAGRAM ONLY PER GI REQUEST",
# "esophagus only", "the stomach and duodenum were not evaluated", "stomach/duodenum not examined")
_ESOPHAGUS_ONLY_RX = re.compile(
    r"\b(?:esophag(?:ram|us|eal\s+study)|barium\s+swallow|swallow(?:ing)?\s+study)\s+only\b|"
    r"\b(?:stomach|duodenum|duodenal\s+bulb)(?:\s*(?:/|,|and)\s*(?:the\s+)?(?:stomach|duodenum|duodenal\s+bulb))?\s+"
    r"(?:(?:was|were)\s+)?not\s+(?:evaluated|examined|imaged|studied|assessed|included|performed)\b", re.IGNORECASE)


def esophagus_only_upper_gi(ex: Extraction, f: Frame, lex: Lexicon) -> None:
    """An upper GI series whose body says only the esophagus was studied ("UGI" ordered, "BARIUM
    ESOPHAGRAM ONLY - STOMACH/DUODENUM NOT EVALUATED") is the esophagram (CODING_RULES §6: bill what
    was performed)."""
    if f.modality != "FL" or f.region != "upper_gi" or "followthrough_addon" in f.quals:
        return
    region = lex.region_for("esophagus", "FL")
    text = ex.clean or ex.text
    if region is None or not any(_ESOPHAGUS_ONLY_RX.search(text, s.start, s.end) for s in ex.sections
                                 if s.name not in ("history", "indication", "comparison")):
        return
    f.site, f.region = "esophagus", region


def title_only_followthrough(ex: Extraction, f: Frame) -> None:
    """A one-line title naming the small bowel follow-through and no upper GI ("SM INT F-THRU STD",
    "SMALL INTESTINE FOLLOW-THROUGH STUDY") is the follow-through add-on's own charge line (74248),
    as hospitals list it beside their upper GI lines; a report with a body that performed the
    follow-through alone is the small bowel study (74250: the add-on is never billed alone,
    CODING_RULES §3)."""
    if f.modality != "FL" or f.region != "small_bowel" or "followthrough_addon" not in f.quals:
        return
    if not _title_alone(ex.sections, ex.text):
        f.quals.discard("followthrough_addon")
        return
    f.quals.add("addon_requested")



# the obstetric scans whose code serves every fetus (no add-on line of their own)
_OB_PER_FETUS = frozenset({"biophysical_profile", "follow_up", "limited", "transvaginal"})


def title_only_multiple_gestation(ex: Extraction, f: Frame) -> None:
    """A one-line obstetric title naming a multiple gestation by a bare "MULTI" / "MULTIPLE" ("US OBS 1ST
    TRI MULTI ABDO", "US OB DETAIL FETAL MULTI") is the charge line of the added gestation (76802 /
    76810 / 76812 / 76814), as hospitals list it beside the first gestation's line; scans billed per
    fetus (biophysical profile, follow-up, limited) keep their code, and a report with a body bills
    what it documents."""
    if f.modality != "US" or f.region != "ob" or "multiple" not in f.quals or f.quals & _OB_PER_FETUS:
        return
    if _title_alone(ex.sections, ex.text):
        f.quals.add("addon_requested")


def title_only_rendering(ex: Extraction, f: Frame) -> None:
    """A one-line title naming a 3D rendering after its exam on its own ("CT FACIAL BONES 3D ADDL",
    "MRCP 3D RENDERING": not joined by "with") is the rendering's own charge line, as hospitals list
    it beside the exam's line: the rendering is the service the line names (listed first); the exam
    stays beside it."""
    if f.modality == "POST" and "3d_rendering" in f.quals and _title_alone(ex.sections, ex.text):
        f.service = "3d_rendering"


# a charge line's closing bare count, as CMS's short descriptors close theirs ("X-RAY EXAM OF KNEE 3",
# "HB XRAY RIBS BILAT 4", "CHEST XRAY 4+", "X-RAY EXAM OF KNEE 1 OR 2": the lower end), searched in the
# line's last characters only; a count after "less than" / "up to" is no such count
_TITLE_COUNT_RX = re.compile(r"(?<=[A-Za-z,] )(?:(?P<a>[1-9])[ \t]*(?:-|or|to)[ \t]*)?(?P<n>[1-9])[ \t]*\+?$",
                             re.IGNORECASE)
_TITLE_COUNT_AFTER_RX = re.compile(r"(?:less|fewer|under|than|lt|max|maximum|up|upto|<)[ \t,]*$", re.IGNORECASE)


def title_only_closing_count(ex: Extraction, f: Frame, lex: Lexicon) -> None:
    """A one-line radiograph title that states no views but closes on a bare count ("XRAY EXAM OF
    KNEE 3", "HB XRAY THORACIC SPINE 3", "CHEST XRAY 4+") states its views by it, as hospital charge
    lines copy CMS's short descriptors; in a report with a body a closing number is a grade, a level
    or a score, and the views stay those the report documents (CODING_RULES §4)."""
    if f.modality != "XR" or f.views is not None or ex.title is None or not _title_alone(ex.sections, ex.text):
        return
    line = ex.title.text.rstrip()
    m = _TITLE_COUNT_RX.search(line, max(0, len(line) - 12))
    if m is None or _TITLE_COUNT_AFTER_RX.search(line, max(0, m.start() - 12), m.start()):
        return
    f.views = int(m.group("a") or m.group("n"))
    f.sources["views"] = "title"
    f.region = resolve_region(f, lex)


# the word that names an organ ultrasound's vessels in a charge line ("US ABD VASCULAR FLOW", "US RENAL
# VASCULAR COMPL", "US VASC LTD-ABD/PELV/RETRPERI"); not the nonvascular study ("NON-VASC")
_ORGAN_VASCULAR_RX = re.compile(r"(?<!non)(?<!non[ -])\bvasc(?:ular)?\b", re.IGNORECASE)


def title_only_organ_vascular(ex: Extraction, f: Frame) -> None:
    """A one-line title naming an abdominal or retroperitoneal organ ultrasound's vascular study ("US
    ABD VASCULAR FLOW", "US RENAL VASCULAR COMPL") is the duplex scan of the abdominal organs' vessels
    (93975, limited 93976), as hospital charge lines name it; in a report the body decides whether a
    duplex was done (:func:`organ_duplex`)."""
    if f.modality != "US" or f.region not in ("abdomen", "retroperitoneum") or ex.title is None:
        return
    if not _title_alone(ex.sections, ex.text) or not _ORGAN_VASCULAR_RX.search(ex.title.text):
        return
    f.modality, f.site, f.region = "DUPLEX", "abdominal_pelvic_organs_vessels", "abdominal_pelvic_organs_vessels"
    f.sources["modality"] = "title"


def title_only_extremity(ex: Extraction, f: Frame, lex: Lexicon) -> None:
    """A one-line title naming a whole limb for a nonvascular ultrasound ("US EXTREMITY NONVASC
    LT"), neither limited nor a structure, is the complete study (76881), as hospital charge lines
    name it; a report with a body is read by what it documents (a lump, a tendon: limited)."""
    site = lex.sites.get(f.site or "")
    if f.modality != "US" or f.region != "extremity" or site is None or site.generic < 2 or f.quals - {"upper_limb"}:
        return
    if not _title_alone(ex.sections, ex.text):
        return
    if ex.title is None or _LIMB_LIMITED_RX.search(ex.title.text):
        return
    f.quals.add("complete")
    f.region = resolve_region(f, lex)



# the limbs a duplex title names without its vessels (the code table's arterial studies of these
# limbs; an "extremity" alone is the venous study, as in CMS's own wording)
_DUPLEX_LIMBS = frozenset({"lower_extremity", "upper_extremity"})
_VESSEL_SITES = frozenset({"extremity_veins", "extremity_arteries"})
# a title that names the clot it looks for names the veins ("LE DUPLEX R/O DVT", "ARM DUPLEX THROMBUS")
_VENOUS_SEARCH_RX = re.compile(r"\b(?:dvt|thromb\w*|clots?|phleb\w*)\b", re.IGNORECASE)


def title_only_limb_duplex(ex: Extraction, f: Frame, lex: Lexicon) -> None:
    """A one-line title naming a duplex of the lower or upper limb and no vessel ("DUPLEX SCAN LOWER
    EXTREMITY BILAT", "DUP SC UPPER EXT UNI/LM") is the limb's arterial study (93925/93926,
    93930/93931), as hospital charge lines word them after CMS ("extremity study" alone is the
    veins); a report with a body keeps the venous default and is read by the vessels it names."""
    if f.modality != "DUPLEX" or f.region != "extremity_veins" or f.site not in _DUPLEX_LIMBS:
        return
    if not _title_alone(ex.sections, ex.text):
        return
    if any(m.key == "site" and m.value in _VESSEL_SITES for m in ex.mentions) or \
            ex.title is None or _VENOUS_SEARCH_RX.search(ex.title.text):
        return
    f.region = _ruled_region(f, "lower_extremity_arteries", lex)



# a charge line naming the upper OR the lower limb ("UPPER OR LOWER ARTERIES", "UPR LWR EXTREMITY ART", "UE OR LE",
# "UPP/LOW EX", "UPLO EX"): the physiologic study's wording (one code for either limb); "upper and lower" names both
_EITHER_LIMB_RX = re.compile(r"\b(?:upper|upp|upr|up|ue)[ \t]*(?:or|/)?[ \t]*(?:lower|lwr|low|lo|le)\b|\buplo\b",
                             re.IGNORECASE)
_LIMB_ARTERY_REGIONS = frozenset({"lower_extremity_arteries", "upper_extremity_arteries", "extremity_veins"})


def title_only_either_limb_arteries(ex: Extraction, f: Frame, lex: Lexicon) -> None:
    """A one-line limb vascular title naming the upper or the lower limb as one choice ("DOPPLER UPPER OR
    LOWER ARTERIES LIMITED", "DOPP UPR LWR EXTREMITY ART"), or a noninvasive study of a limb naming no
    vessel ("NONINVASV EXTREM EXAM,MULT,BILAT"), is the noninvasive physiologic arterial study (93922 /
    93923), whose code serves either limb; the duplex codes are one limb's. A vein named keeps the
    venous study; a report with a body is read by what it documents."""
    if f.modality != "DUPLEX" or f.region not in _LIMB_ARTERY_REGIONS or ex.title is None:
        return
    if not _title_alone(ex.sections, ex.text) or _VENOUS_SEARCH_RX.search(ex.title.text):
        return
    if any(m.key == "site" and m.value == "extremity_veins" for m in ex.mentions):
        return
    either = _EITHER_LIMB_RX.search(ex.title.text) is not None
    if not either and not ("noninvasive" in f.quals and f.region == "extremity_veins"):
        return
    f.region = _ruled_region(f, "lower_extremity_arteries_physiologic", lex)


# SPECT as nuclear charge lines shorten it ("NM MYOCARDIAL SPE STRESS/REST", "PRF SPC MLT", "PRF SP SGL",
# "MYCRD SPT RST", "MYOCARD TOMO MULTI", "PERF IMG,TOMOGRAPH"; outside a nuclear line these words are
# "special", "specific", tomosynthesis), the gated acquisition of a perfusion study ("MYO/PERF W/GATED": gated
# SPECT), and a negation before it ("PERF PLN NO SPEC")
_NM_SPECT_SHORT_RX = re.compile(r"\b(?P<no>(?:no|w/o|wo|without|non)[ \t-]+)?"
                                r"(?:sp|spe|spec|spc|spt|spct|tomo|tomograph\w*|gated)\b", re.IGNORECASE)
_PERFUSION_ACQUISITION = frozenset({"spect", "spect_ct", "planar", "blood_pool_gated"})


# a localization charge line closing on "2", "2+" or "2 or more" ("RP LOCLZJ TUM SPECT W/CT 2", "TUMOR LOC SPECT
# W/CT 2 OR MORE"), as CMS's short descriptors close the lines of two or more areas or days; searched in the
# line's last characters only
_TITLE_TWO_OR_MORE_RX = re.compile(r"(?<=[A-Za-z/,)] )2[ \t]*(?:\+|(?:or|/)[ \t]*more)?[ \t]*$", re.IGNORECASE)


def title_only_localization_count(ex: Extraction, f: Frame) -> None:
    """A one-line radiopharmaceutical localization title closing on a bare "2" ("2+", "2 or more") names
    the study of two or more areas or days (78801 / 78831 / 78832), as hospital charge lines copy CMS's
    short descriptors; in a report a closing number is no such count."""
    if f.modality != "NM" or f.region != "localization" or f.quals & {"multiple", "multiday", "multiple_areas"}:
        return
    if ex.title is None or not _title_alone(ex.sections, ex.text):
        return
    line = ex.title.text.rstrip()
    if _TITLE_TWO_OR_MORE_RX.search(line, max(0, len(line) - 14)) is None:
        return
    f.quals.add("multiple")


def title_only_myocardial_perfusion(ex: Extraction, f: Frame) -> None:
    """A one-line nuclear heart title: SPECT written short ("SPE", "SPC", "SPT", "TOMO") is the SPECT
    study, "NO SPEC" the planar one (78453 / 78454); a line naming no acquisition keeps the SPECT default
    (hospitals bill such lines planar about 2 to 1, an open policy question). A report with a body is read
    by what its technique documents."""
    if f.modality != "NM" or f.region != "heart" or f.quals & _PERFUSION_ACQUISITION or ex.title is None:
        return
    if not _title_alone(ex.sections, ex.text):
        return
    m = _NM_SPECT_SHORT_RX.search(ex.title.text)
    if m is None:
        return  # (no acquisition named: the SPECT default stands; planar vs SPECT for such lines is open)
    if m.group("no"):
        f.quals.add("planar")
    else:
        f.quals.discard("tomosynthesis")
        f.quals.add("spect")

# a gestational age the report documents for this scan ("15 weeks 4 days", "8w2d", "GA 12.3 weeks", and the
# weeks+days and weeks-of-forty of UK/Irish/Australian/NZ reports: "9+1 weeks", "28+2/40", "24/40"),
# and sentences whose age is not the scan's ("recommend anatomy survey at 18 weeks", "prior scan at 9 weeks")
_GA_RX = re.compile(r"\b(\d{1,2})\s*(?:weeks?|wks?|w)\b[\s,]*(?:and\s+)?\d\s*(?:days?|d)\b|"
                    r"\b(\d{1,2})w\s*\d\s*d\b|"
                    r"\b(\d{1,2})(?:\+[0-6][ \t]*(?:weeks?\b|wks?\b|w\b|/40\b)|/40\b)|"
                    r"\b(?:gestational age|GA|EGA|menstrual age)\b[^.;\n\d]{0,30}(\d{1,2})(?:\.\d)?\s*(?:weeks?|wks?|w)\b",
                    re.IGNORECASE)
_NOT_THIS_SCAN = re.compile(r"\b(recommend\w*|follow-?up|prior|previous|earlier|comparison|compared|LMP|last menstrual"
                            r"|due date|EDD|EDC|by dates)\b", re.IGNORECASE)
_TRIMESTER_ATOMS = frozenset({"first_trimester", "after_first_trimester"})
# obstetric qualifiers that choose a code other than the two by gestational age (76801 / 76805)
_OTHER_OB_SERVICES = frozenset({"limited", "follow_up", "detailed_anatomy", "nuchal_translucency", "biophysical_profile",
                                "transvaginal", "doppler_umbilical", "doppler_mca", "fetal_echocardiography"})


_GA_SECTIONS = ("findings", "body", "impression", "technique")


def _scan_weeks(ex: Extraction, names: tuple[str, ...] = _GA_SECTIONS) -> list[tuple[int, int, int]]:
    """The gestational ages (weeks, start, end) the report documents for this scan."""
    weeks: list[tuple[int, int, int]] = []
    for sec in ex.sections:
        if sec.name not in names:
            continue
        for sm in _PROSE_RX.finditer(ex.text, sec.start, sec.end):
            if _NOT_THIS_SCAN.search(sm.group()):
                continue
            for m in _GA_RX.finditer(sm.group()):
                w = int(next(g for g in m.groups() if g))
                if 4 <= w <= 42:
                    weeks.append((w, sm.start() + m.start(), sm.start() + m.end()))
    return weeks


# a gestational age a one-line title or its restatement states ("OB US 12 WEEKS", "Obstetric ultrasound at
# 20 weeks", "8 week pregnancy"): not a trimester bound ("< 14 WKS", "14 WEEKS OR MORE", "14-27 weeks"; a bare
# 14 weeks is the bound whose sign a charge line dropped: "US PREG UTERUS 14 WK TRANSABDL")
_TITLE_GA_RX = re.compile(r"(?:\b(?P<pre>under|over|than|before|after|to|below|above|from|up|less|greater|more|lt|gt)[ \t]+|(?P<sym>[<>\u2264\u2265/-])[ \t]*=?[ \t]*)?"
                          r"\b(?P<n>\d{1,2})[ \t-]*(?:weeks?|wks?)\b"
                          r"(?P<post>[ \t]*(?:or[ \t]+(?:more|greater|less|over|above|later|earlier|after|before)|and[ \t]+"
                          r"(?:over|up|above|more|later|after)|\+|plus|ago|of\b|-|/))?", re.IGNORECASE)


def _title_weeks(ex: Extraction) -> list[tuple[int, int, int]]:
    """The gestational age a one-line obstetric title states (see ``_TITLE_GA_RX``), in a report with
    no body that could document it."""
    if not _title_alone(ex.sections, ex.text):
        return []
    return [(int(m["n"]), m.start("n"), m.end()) for s in ex.sections if s.name in ("exam", "subtitle")
            for m in _TITLE_GA_RX.finditer(ex.text, s.start, s.end)
            if not (m["pre"] or m["sym"] or m["post"]) and 4 <= int(m["n"]) <= 42 and int(m["n"]) != 14]


# what only an early pregnancy's scan documents: the hCG level, the sac looked for and not found, a
# pregnancy of unknown location, an ectopic one ("beta hCG 2,450", "No intrauterine gestational sac")
_EARLY_PREGNANCY_RX = re.compile(r"\b(?:(?:beta[\s-]*)?h?CG|pregnancy\s+of\s+unknown\s+location|ectopic|"
                                 r"no\s+(?:definite\s+|visible\s+)?(?:IUP|intrauterine\s+(?:gestational\s+sac|pregnancy|"
                                 r"gestation)))\b", re.IGNORECASE)


def _early_pregnancy(ex: Extraction, f: Frame) -> None:
    """An obstetric scan with no gestational age, nor a trimester in its title, whose body documents an
    early pregnancy (an hCG level, no intrauterine sac yet, a pregnancy of unknown location or an ectopic one):
    the scan under 14 weeks (76801), not the default of 14 weeks or more."""
    if f.quals & _TRIMESTER_ATOMS:
        return
    said = documented_in_body(ex, _EARLY_PREGNANCY_RX, _NOT_THIS_EXAM_RX, "first_trimester", ("history", "impression"))
    if said is not None:
        f.quals.add("first_trimester")
        f.add("qual", [said], "findings")


def documented_gestational_age(ex: Extraction, f: Frame) -> None:
    """An obstetric exam coded by gestational age (under 14 weeks 76801, 14 weeks or more 76805)
    follows the age the report documents for the scan, not the order's trimester ("US OB < 14
    WEEKS" with biometry of 15 weeks 4 days is 76805; CODING_RULES §6). Ages on both sides of
    14 weeks decide nothing."""
    if f.region != "ob" or f.quals & _OTHER_OB_SERVICES:
        return
    weeks = _scan_weeks(ex) or _title_weeks(ex)
    if not weeks:
        _early_pregnancy(ex, f)
        return
    after = {w >= 14 for w, _, _ in weeks}
    if len(after) != 1:
        return
    want = "after_first_trimester" if after.pop() else "first_trimester"
    had = f.quals & _TRIMESTER_ATOMS
    if had == {want} or not had and want == "after_first_trimester":
        return  # agrees (a frame without a trimester is coded 14 weeks or more by default)
    _, a, b = weeks[0]
    sec_name = next((s.name for s in ex.sections if s.start <= a < s.end), "findings")
    ga = [Mention("qual", want, a, b, sec_name, ex.text[a:b], 0, -1)]
    if had:
        f.conflicts.append(Conflict("qualifier", "/".join(sorted(had)), want, f.evidence.get("qual", []), ga))
    f.quals -= _TRIMESTER_ATOMS
    f.quals.add(want)
    f.evidence["qual"] = [m for m in f.evidence.get("qual", []) if m.value not in had]
    f.add("qual", ga, "findings")


# the limited obstetric elements a follow-up scan also re-evaluates (amniotic fluid volume)
_FOLLOW_UP_ELEMENTS = re.compile(r"\b(?:amniotic|afi|fluid)\b", re.IGNORECASE)


# what a standard or first-trimester obstetric exam measures (biometry, anatomy, the sac), and the elements
# of the limited one (heart activity, placenta, fluid, presentation)
_OB_BIOMETRY_RX = re.compile(r"\b(?:BPD|HC|AC|FL|EFW|CRL|MSD|biometry|biparietal|head\s+circumference|"
                             r"abdominal\s+circumference|femur\s+length|estimated\s+fetal\s+weight|anatom\w*|"
                             r"four[- ]chamber|gestational\s+sac|yolk\s+sac|fetal\s+pole|cervi\w*|nuchal)\b", re.IGNORECASE)
_FETAL_GROWTH_RX = re.compile(r"\b(?:BPD|HC|AC|FL|EFW|(?:interval\s+)?biometry|biparietal|head\s+circumference|"
                              r"abdominal\s+circumference|femur\s+length|estimated\s+fetal\s+weight)\b", re.IGNORECASE)
_OB_LIMITED_RX = re.compile(r"\b(?:FHR|fetal\s+heart\s+(?:rate|tones?|motion)|cardiac\s+activity)\b", re.IGNORECASE)


_BIOMETRY_NOT_DONE_RX = re.compile(r"\b(?:no|not|without)\b[^.;\n]{0,20}\bbiometry\b|\bbiometry\b[^.;\n]{0,30}"
                                   r"\bnot\s+(?:performed|obtained|done|measured|assessed|evaluated|included)\b",
                                   re.IGNORECASE)


def limited_ob(ex: Extraction, f: Frame) -> None:
    """An obstetric exam that names no service and documents only the limited elements (fetal heart
    activity, placenta, fluid, presentation: "ED OB US - FHR 152, placenta fundal, AFV normal") with no
    biometry or anatomy is the limited exam (76815), not the standard one (76805)."""
    if f.modality == "US" and f.site == "ob" and "limited" in f.quals and f.quals & _TRIMESTER_ATOMS and (any(
            m.value == "limited" and m.section in ("exam", "subtitle") for m in f.evidence.get("qual", []))
            or _limited_without_biometry(ex, f)):
        # "US OB LIMITED, > 14 WEEKS": the limited exam, whatever the age (76815); so is a technique's "Limited
        # bedside evaluation" that measures no biometry under a title naming the trimester
        f.quals -= _TRIMESTER_ATOMS
        return
    if f.modality != "US" or f.site != "ob" or f.quals & (_OTHER_OB_SERVICES | {"first_trimester", "twins", "triplets"}):
        return
    body = "\n".join(ex.text[s.start:s.end] for s in ex.sections
                     if s.name in ("findings", "body", "impression", "technique", "subtitle"))
    # (biometry said not done is none: "Biometry was not performed", "No biometry.")
    measured = " ".join(t for t in _SENTENCE_RX.findall(body) if not _BIOMETRY_NOT_DONE_RX.search(t))
    if not _OB_LIMITED_RX.search(body) or _OB_BIOMETRY_RX.search(measured):
        return
    m = _OB_LIMITED_RX.search(ex.text)
    if m is None:
        return
    f.quals.add("limited")
    f.add("qual", [Mention("qual", "limited", m.start(), m.end(), "findings", m.group(), 0, -1)], "findings")


def _limited_without_biometry(ex: Extraction, f: Frame) -> bool:
    """The technique states the limited exam and no sentence of the report measures biometry or anatomy."""
    if not any(m.value == "limited" and m.section == "technique" for m in f.evidence.get("qual", [])):
        return False
    body = "\n".join(ex.text[s.start:s.end] for s in ex.sections
                     if s.name in ("findings", "body", "impression", "technique", "subtitle"))
    measured = " ".join(t for t in _SENTENCE_RX.findall(body) if not _BIOMETRY_NOT_DONE_RX.search(t))
    return _OB_BIOMETRY_RX.search(measured) is None


# a follow-up said in words ("F/U", "follow-up"), not only the growth it measures ("US OB GROWTH >14 WEEKS":
# the standard exam with biometry)
_FOLLOW_UP_WORD = re.compile(r"\b(?:f/?u|f-up|f/up|follow|flw)", re.IGNORECASE)


# anatomy words that name no imaged area of a bone scan
_NOT_AN_AREA = frozenset({"bone", "whole_body", "heart"})
# parts of the pelvis area of a bone scan: its views include the hips and, said so, the proximal femurs
_PELVIS_AREA = frozenset({"pelvis", "hip", "sacrum", "sacroiliac_joints"})
_PROXIMAL = re.compile(r"\bproximal\s+$", re.IGNORECASE)
# one femur, the pelvis views taken with it ("the pelvis and left femur", "the right femur, hip to knee"): the femur's
# limited area (78300), as the pelvis and proximal femurs are; both femurs stay an area of their own
_ONE_FEMUR = re.compile(r"femur", re.IGNORECASE)
_BOTH_BEFORE = re.compile(r"\b(?:both|bilateral|bilat|b/l)\s+(?:\w+\s+)?$", re.IGNORECASE)
_VEIN_AFTER = re.compile(r"\s+(?:antecubital\s+)?veins?\b", re.IGNORECASE)  # "a right arm vein": the injection's


# the joining of two anatomy words that give an area's extent ("hip to knee", "from knee to ankle")
_EXTENT_GAP = re.compile(r"[ \t]+(?:to|through|thru)[ \t]+(?:the[ \t]+)?", re.IGNORECASE)


def _bone_areas(ms: list[Mention], text: str) -> tuple[list[Mention], bool]:
    """The imaged areas a bone scan's technique names ("the pelvis, both femurs and both tibias"),
    one per area, and whether one of them is imaged on both sides: the hips and the proximal femurs
    are the pelvis's ("planar images of the pelvis and proximal femurs" is one area, its two sides
    one area too), and so is one femur ("the pelvis and left femur": the femur's limited area); a vein
    (the injection's) or the heart's blood pool is no area."""
    out: dict[str, Mention] = {}
    pelvic: set[int] = set()
    sites = sorted((m for m in ms if m.key == "site"), key=lambda m: m.start)
    extent = {x.start for a, b in zip(sites, sites[1:], strict=False) if _EXTENT_GAP.fullmatch(text, a.end, b.start) for x in (a, b)}
    for m in ms:
        if m.key != "site" or m.status != "performed" or m.value in _NOT_AN_AREA or "vein" in m.value \
                or "arter" in m.value or _VEIN_AFTER.match(text, m.end):
            continue
        if m.start in extent and out:
            continue  # "the right femur, hip to knee": the extent of the area named before it
        area = m.value
        if area in _PELVIS_AREA or area in ("femur", "femoral") and (
                _PROXIMAL.search(text, max(0, m.start - 12), m.start) or _ONE_FEMUR.fullmatch(m.text)
                and not _BOTH_BEFORE.search(text, max(0, m.start - 16), m.start)):
            area = "pelvis"
            pelvic.add(m.start)
        out.setdefault(area, m)
    both = any(m.key == "side" and m.value == "bilateral" and m.status == "performed" and m.start not in pelvic
               for m in ms)
    return list(out.values()), both


# a report that says its tomographic images are the only ones ("No planar whole body images", "reinjected for
# tomographic imaging only", "SPECT only"), and what makes the sentence no statement of this study
_NO_PLANAR_RX = re.compile(r"\bno\s+(?:\w+\s+){0,2}?planar\b|\bplanar\s+(?:\w+\s+){0,3}?(?:was|were)\s+not\s+"
                           r"(?:acquired|obtained|performed)\b|\b(?:tomographic\s+imaging|SPECT(?:/CT)?)\s+only\b",
                           re.IGNORECASE)
_NO_PLANAR_NOT_SAID = re.compile(r"\b(?:prior|previous|if|recommend\w*|consider\w*)\b", re.IGNORECASE)


def spect_only_bone_scan(ex: Extraction, frames: list[Frame]) -> list[Frame]:
    """A bone scan titled with its SPECT ("NM BONE SPECT LUMBAR SPINE") whose report says no planar images
    were taken is the SPECT study alone (78803 / 78830 ...): no planar bone imaging code (CODING_RULES §6)."""
    if not any(f.modality == "NM" and f.quals & {"spect", "spect_ct"} for f in frames) or not any(
            f.modality == "NM" and f.region == "bone" for f in frames):
        return frames
    low = _folded_text(ex)
    if not may_match(_NO_PLANAR_RX, low):
        return frames
    if not any(not _NO_PLANAR_NOT_SAID.search(sm.group()) and _NO_PLANAR_RX.search(sm.group())
               for sec in ex.sections if sec.name in ("technique", "body", "findings")
               for sm in _PROSE_RX.finditer(ex.text, sec.start, sec.end)):
        return frames
    return [f for f in frames if not (f.modality == "NM" and f.region == "bone")]


def bone_scan_areas(ex: Extraction, f: Frame) -> None:
    """A bone scan whose technique says the whole body was not imaged ("spot planar images of the pelvis
    and of both knees only; a whole body sweep was not acquired") is coded by the areas it imaged: two
    or more (or one on both sides) multiple areas (78305), one limited (78300); CODING_RULES §6. A title
    that says limited ("NM BONE LTD") over a technique that imaged two or more areas ("static images of the
    pelvis, both femurs and both tibias") is the multiple-area study: the documented areas decide."""
    if f.modality != "NM" or f.region != "bone" or f.quals & {"whole_body", "multiple_areas", "three_phase",
                                                                "multiple"}:
        return
    # (a protocol written in the body when the report has no technique section)
    said = ("technique",) if any(s.name == "technique" for s in ex.sections) else ("technique", "body")
    ms = [m for m in ex.mentions if m.section in said]
    # (a body is findings too: only its sentences that say images were made name imaged areas, not "uptake at the
    # tip of the femoral component")
    areas, both = _bone_areas([m for m in ms if m.section != "body" or m.key != "site"
                               or _IMAGED_RX.search(ex.text, *sentence_bounds(ex.text, m.start))], ex.text)
    if "limited" in f.quals:
        if len(areas) >= 2:
            f.quals.discard("limited")
            f.quals.add("multiple_areas")
            f.add("qual", areas, "technique")
        return
    if not any(m.key == "qual" and m.value == "whole_body" and m.status == "negated" for m in ms):
        return
    if not areas:
        return
    f.quals.add("multiple_areas" if len(areas) >= 2 or both else "limited")


# the spine segments a myelogram may image, and a sentence that says images were made of them
_MYELO_SEGMENTS = frozenset({"cervical_spine", "thoracic_spine", "lumbar_spine"})
_IMAGED_RX = re.compile(r"\b(?:images?|imaged|spots?|views?|radiographs?|films?|filmed|fluoroscop\w*|projections?|"
                        r"obtained|interpreted)\b", re.IGNORECASE)


def myelogram_segments(ex: Extraction, f: Frame, lex: Lexicon) -> None:
    """A myelogram titled by one spine segment whose technique or body documents images of two or more
    segments ("contrast followed to the cervical spine with spot images of lumbar, thoracic and cervical
    regions") is myelography of two or more regions (72270, CODING_RULES §6: bill what was performed)."""
    if f.modality != "FL" or "myelography" not in f.quals or "levels_multi" in f.quals:
        return
    said = [m for m in ex.mentions if m.key == "site" and m.status == "performed" and m.value in _MYELO_SEGMENTS
            and m.section in ("technique", "body", "findings")
            and _IMAGED_RX.search(ex.text, *sentence_bounds(ex.text, m.start))]
    if len({m.value for m in said}) >= 2:
        before = f.region
        f.quals.add("levels_multi")
        f.region = resolve_region(f, lex)
        if f.region != before and f.sources.get("site") == "title":
            f.conflicts.append(Conflict("region", before or f.site, f.region or "", f.evidence.get("site", []), said))


# fluoroscopic images of a myelogram ("AP, lateral and oblique fluoroscopic spot images of the lumbar
# spine", "Fluoro: moderate L3-L4 narrowing"), not the guidance of the puncture ("under fluoroscopy")
# ... or named as the myelogram's ("Lumbar myelographic images AP, lateral and oblique obtained")
_MYELO_FLUORO_RX = re.compile(r"\bfluoro\w*\b[^.;\n]{0,40}\b(?:spot|images?|views?|projections?|radiographs?)\b|"
                              r"\bspot\s+(?:images?|films?|views?|radiographs?)\b|^\W*fluoro\w*\s*:|"
                              r"\bmyelographic\s+(?:spot\s+)?(?:images?|films?|views?|radiographs?)\b", re.IGNORECASE)
_GUIDANCE_RX = re.compile(r"\b(?:guid\w*|under\s+fluoro\w*|needle|puncture|placement|time|dose|dap|kerma)\b", re.IGNORECASE)
# a CT of the myelogram said done and read in this report ("CT LUMBAR SPINE POST-MYELOGRAM:", "then
# transferred to CT: helical axial images"), or said to be read elsewhere ("CT to follow (separate report)")
_CT_ELSEWHERE_RX = re.compile(r"\b(?:separate(?:ly)?\s+(?:report|dictat\w*|read)|reported\s+separately|"
                              r"(?:to|will)\s+follow|dictated\s+separately|see\s+separate)\b", re.IGNORECASE)
_CT_WORD_RX = re.compile(r"\bCT\b")
_CT_WORD_LOWER_RX = re.compile(r"\bct\b")  # (a lower-cased corpus: "ct lumbar spine post-myelogram:")
_CT_READ_RX = re.compile(r"\b(?:axial|helical|images|reformat\w*|reconstruct\w*)\b", re.IGNORECASE)


def _fluoro_myelogram_said(ex: Extraction) -> Mention | None:
    """The myelogram's own fluoroscopic images said in this report; not those its context says another
    report holds ("procedure and fluoroscopic images dictated separately": a history cue, CODING_RULES §6)."""
    elsewhere = [(m.start, m.end) for m in ex.mentions
                 if m.key == "modality" and m.value == "FL" and m.status in ("historical", "negated")]
    for sec in ex.sections:
        if sec.name not in ("technique", "body", "findings"):
            continue
        for sm in _PROSE_RX.finditer(ex.text, sec.start, sec.end):
            m = _MYELO_FLUORO_RX.search(sm.group())
            if m and not _GUIDANCE_RX.search(sm.group()):
                a, b = sm.start() + m.start(), sm.start() + m.end()
                if any(a <= x < b for x, _y in elsewhere):
                    continue
                return Mention("modality", "FL", a, b, sec.name, ex.text[a:b], 0, -1)
    return None


def _ct_sentences(ex: Extraction, names: tuple[str, ...] | None) -> list[tuple[int, int]]:
    """The sentences naming CT in the sections ``names`` (every section when None)."""
    out = []
    ct_rx = _CT_WORD_LOWER_RX if all_lower(ex.text) else _CT_WORD_RX
    for sec in ex.sections:
        if names is not None and sec.name not in names:
            continue
        out += [sm.span() for sm in _PROSE_RX.finditer(ex.text, sec.start, sec.end) if ct_rx.search(sm.group())]
    return out


def myelogram_and_ct(ex: Extraction, frames: list[Frame], lex: Lexicon) -> list[Frame]:
    """A CT myelogram report that documents the myelogram's own fluoroscopic images bills the myelography
    too (CODING_RULES §2/§7: 72265 + 72132), and only the myelography when it says the CT is read in a
    separate report; a myelogram report that reads its post-myelogram CT bills that CT (with the
    intrathecal contrast)."""
    if len(frames) > 1 and len({f.site for f in frames}) == len(frames) and all(
            f.modality == "CT" and "myelography" in f.quals and f.site in _MYELO_SEGMENTS for f in frames):
        return _myelogram_of_segments(ex, frames, lex)
    if len(frames) != 1 or "myelography" not in frames[0].quals:
        return frames
    f = frames[0]
    elsewhere = any(_CT_ELSEWHERE_RX.search(ex.text, a, b) for a, b in _ct_sentences(ex, None))
    if f.modality == "CT":
        seen = _fluoro_myelogram_said(ex)
        if seen is None:
            return frames
        fl = Frame("FL", f.site, quals={"myelography"}, side=f.side)
        fl.add("site", f.evidence.get("site", []), "title")
        fl.add("modality", [seen], "technique")
        fl.region = resolve_region(fl, lex)
        if fl.region is None:
            return frames
        return [fl] if elsewhere else [fl, f]
    read = [(a, b) for a, b in _ct_sentences(ex, ("technique", "body", "findings")) if _CT_READ_RX.search(ex.text, a, b)]
    if f.modality == "FL" and read and not elsewhere:
        ct = Frame("CT", f.site, contrast="with", side=None)
        ct.add("site", f.evidence.get("site", []), "title")
        a, b = read[0]
        ct.add("modality", [Mention("modality", "CT", a, b, "body", ex.text[a:b], 0, -1)], "technique")
        ct.region = resolve_region(ct, lex)
        if ct.region is not None:
            return [f, ct]
    return frames


# the label of a noncontrast head CT's own read at the start of a line or sentence, its read following ("NCCT: no
# hemorrhage, ASPECTS 7", "NCCT neg (ASPECTS 10)", "Noncontrast CT head: no acute infarct"): an exam read apart
# from the CTA beside it, not the CTA's own noncontrast series (CODING_RULES §2)
_OWN_HEAD_CT_READ_RX = re.compile(
    r"(?:\A|(?<=[.;\n])|(?<=[.;\n][ \t])|(?<=[.;\n][ \t][ \t]))[ \t]*(?:NCCT|NCHCT|(?:non-?contrast(?:ed)?|unenhanced|plain)[ \t]+(?:CT[ \t]+(?:of[ \t]+the[ \t]+)?"
    r"(?:head|brain)|(?:head|brain)[ \t]+CT)|CT[ \t]+(?:head|brain)[ \t]+(?:without|w/?o|non-?contrast)(?:[ \t]+contrast)?)"
    r"(?:[ \t]+(?:head|brain))?[ \t]*(?:\([^()\n]{0,40}\)[ \t]*)?"
    r"(?::|-[ \t]|(?=(?:neg|negative|unremarkable|normal|no|shows?|showed|demonstrates?|aspects)\b))",
    re.IGNORECASE)
_OWN_READ_SECTIONS = ("body", "findings", "impression", "addendum")


def own_noncontrast_head_read(ex: Extraction, frames: list[Frame], lex: Lexicon) -> list[Frame]:
    """A CTA of the head whose report reads a noncontrast head CT under its own label ("NCCT: no hemorrhage,
    ASPECTS 7") though its title names the CTA alone: the head CT is an exam of its own (qualifier own_read,
    which the bundle cta_includes_noncontrast keeps; CODING_RULES §2)."""
    if not any(f.modality == "CTA" and f.region == "head" for f in frames) or any(
            f.modality == "CT" and f.region == "head" for f in frames):
        return frames
    for sec in ex.sections:
        if sec.name not in _OWN_READ_SECTIONS:
            continue
        m = _OWN_HEAD_CT_READ_RX.search(ex.text[sec.start:sec.end])  # (a label may open the section)
        if m is None:
            continue
        label = Mention("modality", "CT", sec.start + m.start(), sec.start + m.end(), sec.name, m.group().strip(), 0, -1)
        ct = Frame("CT", "head", contrast="without", quals={"own_read"})
        for attr in ("modality", "site", "contrast", "qual"):
            ct.add(attr, [replace(label, key=attr, value={"site": "head", "contrast": "without",
                                                          "qual": "own_read"}.get(attr, "CT"))], "technique")
        ct.region = resolve_region(ct, lex)
        if ct.region == "head":
            return [*frames, ct]
    return frames


def _myelogram_of_segments(ex: Extraction, frames: list[Frame], lex: Lexicon) -> list[Frame]:
    """A CT myelogram of two or more spine segments ("CT MYELOGRAM ENTIRE SPINE": a CT frame per segment) that
    documents the myelogram's own images bills the myelography of two or more regions too (72270)."""
    seen = _fluoro_myelogram_said(ex)
    if seen is None:
        return frames
    fl = Frame("FL", frames[0].site, quals={"myelography", "levels_multi"})
    fl.add("site", frames[0].evidence.get("site", []), "title")
    fl.add("modality", [seen], "technique")
    fl.region = resolve_region(fl, lex)
    if fl.region is None:
        return frames
    elsewhere = any(_CT_ELSEWHERE_RX.search(ex.text, a, b) for a, b in _ct_sentences(ex, None))
    return [fl] if elsewhere else [fl, *frames]


def gallbladder_ef_agent(ex: Extraction, f: Frame) -> None:
    """A gallbladder ejection fraction stands for the drug that empties the gallbladder (sincalide) unless
    the report says what emptied it was a fatty meal, or that no drug was given ("8 oz of a fatty meal
    supplement ... No pharmacologic agent was given"): then the hepatobiliary study is without
    pharmacologic intervention (78226, not 78227)."""
    if f.modality != "NM" or f.region != "hepatobiliary" or "gbef" not in f.quals or "pharmacologic" in f.quals:
        return
    ms = [m for m in ex.mentions if m.key == "qual" and m.section not in ("history", "comparison", "ordered")]
    if any(m.value == "fatty_meal" and m.status == "performed" for m in ms) or any(
            m.value == "pharmacologic" and m.status == "negated" for m in ms):
        f.quals.discard("gbef")


# a renogram after an ACE inhibitor and a baseline study without it ("Day 2: baseline study without
# captopril", "baseline renogram, then a second study after captopril"): two studies (78709)
_ACE_INHIBITOR_RX = re.compile(r"\b(?:captopril|enalapril(?:at)?|ace[\s-]+inhibitors?|acei)\b", re.IGNORECASE)
_BASELINE_STUDY_RX = re.compile(r"\bbaseline\b(?!\s+(?:creatinine|renal\s+function|blood\s+pressure|bp|egfr|gfr)\b)",
                                re.IGNORECASE)
_NOT_DONE_TODAY_RX = re.compile(r"\b(?:if|will|would|should|could|recommend\w*|consider\w*|not\s+(?:needed|required|"
                                r"performed|done|obtained|given|administered)|held|withheld|omitted|only|prior|previous)\b",
                                re.IGNORECASE)


def renal_baseline_and_intervention(ex: Extraction, f: Frame) -> None:
    """A kidney flow-and-function study whose technique documents both an ACE-inhibitor study and a
    baseline study without it is two studies with the pharmacologic intervention (78709); "without
    captopril" on the baseline study withdraws nothing from the title."""
    if f.modality != "NM" or f.region != "kidney" or "two_studies" in f.quals:
        return
    # (the body of a report without a technique section states the protocol as a technique would)
    read = ("technique",) if any(s.name == "technique" for s in ex.sections) else ("technique", "body")
    said = [ex.text[s.start:s.end] for s in ex.sections if s.name in read]
    sentences = [t for x in said for t in _SENTENCE_RX.findall(x) if not _NOT_DONE_TODAY_RX.search(t)]
    if not any(_BASELINE_STUDY_RX.search(t) for t in sentences) or \
            not any(_ACE_INHIBITOR_RX.search(t) for t in sentences):
        return
    # (the baseline study's "without captopril" negated the title's agent and the renogram after it)
    undone = {c.title_value for c in f.conflicts if c.attribute == "qualifier" and c.performed_value == "not performed"}
    restored = undone & {"pharmacologic", "flow_function", "vascular_flow"}
    f.quals |= {"two_studies", "pharmacologic"} | restored
    f.conflicts = [c for c in f.conflicts if not (c.attribute == "qualifier" and c.title_value in restored)]


# a scan that returns to complete the anatomy an earlier one left incomplete: a follow-up (76816); today's
# incomplete survey is no follow-up (the sentence names the earlier scan)
_ANATOMY_COMPLETION_RX = re.compile(
    r"(?=[^.;\n]*\b(?:last|prior|previous|earlier|ago|outside)\b)\b(?:anatomy|anatomic(?:al)?\s+survey)\b[^.;\n]{0,40}?"
    r"\b(?:was|were|remained|is)\s+(?:incomplete|suboptimal|not\s+(?:fully\s+)?(?:seen|visuali[sz]ed|completed))\b|\bcompletion\s+of\s+(?:the\s+)?(?:fetal\s+)?"
    r"(?:anatomy|anatomic(?:al)?\s+survey)\b|\breturn(?:ed|s|ing)?\s+(?:today\s+)?for\s+(?:additional\s+|completion\s+)?"
    r"views\b|\b(?:previously|of|for|indication:|reason:)\s+(?:the\s+)?incompletely\s+(?:seen|visuali[sz]ed)\s+anatomy\b",
    re.IGNORECASE)
_NOT_THIS_EXAM_RX = re.compile(r"\b(?:recommend\w*|suggest\w*|consider\w*|if|should|could)\b", re.IGNORECASE)
# the anatomy survey an earlier scan (or another clinic) already completed, today's scan not surveying it
# again ("Anatomy previously completed at MFM", "Detailed anatomy done at outside clinic", "fetal anatomy was
# reviewed as normal at 20 weeks and was not re-surveyed today", "limited survey (detailed survey performed
# elsewhere)"): a follow-up (76816)
_ANATOMY_DONE_BEFORE_RX = re.compile(
    r"\b(?:anatomy|anatomic(?:al)?\s+survey|(?:detailed|anatomy|anatomic)\s+(?:survey|scan))\b[^.;\n]{0,50}?(?:"
    r"\b(?:previously|already|elsewhere|ago)\b|\bat\s+(?:an?\s+|the\s+)?(?:outside|other|MFM|another|maternal[\s-]+fetal)\b|"
    r"\bnot\s+(?:re-?surveyed|re-?evaluated|re-?assessed|re-?examined|repeated)\b)", re.IGNORECASE)
# a "limited" that names the follow-up itself or the anatomy an earlier scan surveyed ("Limited follow-up
# imaging", "Limited anatomy: stomach, kidneys ...")
_LIMITED_FOLLOW_UP_RX = re.compile(r"[\s-]*(?:f/?u\b|f-up|follow|(?:fetal\s+)?anatomy|(?:anatomic(?:al)?\s+)?survey)",
                                   re.IGNORECASE)


# the imaging time points of a nuclear localization study ("whole body images at 4 and 24 hours", "WB
# planar at 4 h (day 1) and 24 h (day 2)", "images at 24, 48 and 72 hours"), and what makes a sentence
# not say images were taken then ("4 hour images were not obtained", "if needed, 48 hour images")
_HOURS_RX = re.compile(r"\b(\d{1,3}(?:\s*(?:,|and|&|/|or)\s*\d{1,3})*)\s*-?\s*(?:h|hrs?|hours?)\b", re.IGNORECASE)
_DAY_RX = re.compile(r"\bday\s*(\d)\b", re.IGNORECASE)
_TIME_POINT_NOT_TAKEN = re.compile(r"\b(?:no|not|cancel+ed|omitted|deferred|if|would|could|should|recommend\w*|"
                                   r"consider\w*|prior|previous|post[\s-]*(?:labeling|labelling|injection\s+of\s+cells)|"
                                   r"incubat\w*|half[\s-]*life|fast\w*|npo)\b", re.IGNORECASE)
_TIME_POINT_SECTIONS = ("exam", "subtitle", "technique", "body", "findings")


def imaging_days(ex: Extraction, f: Frame) -> None:
    """A planar whole-body localization study is billed by its imaging days (78802 one day, 78804 two
    or more): the time points its technique states decide, each 24 hours a day ("images at 24 hours
    only" is one day of imaging though the day after the injection; "4 h (day 1) and 24 h (day 2)"
    two). A report that names no time point keeps what its words said. The same counts the days of a
    planar localization of one area or more ("planar images of the feet at 4 h and 24 h": 78801)."""
    if f.modality != "NM" or f.region != "localization" or "whole_body" not in f.quals and f.quals & {"spect", "spect_ct"}:
        return
    days: set[int] = set()
    for sec in ex.sections:
        if sec.name not in _TIME_POINT_SECTIONS:
            continue
        for sm in _PROSE_RX.finditer(ex.text, sec.start, sec.end):
            sent = sm.group()
            if _TIME_POINT_NOT_TAKEN.search(sent):
                continue
            for m in _HOURS_RX.finditer(sent):
                days |= {int(n) // 24 for n in re.findall(r"\d+", m.group(1)) if int(n) <= 168}
            days |= {int(d) - 1 for d in _DAY_RX.findall(sent)}
    if not days:
        return
    if len(days) >= 2:
        f.quals.add("multiday")
    else:
        f.quals -= {"multiday", "multiple_days"}


def _anatomy_done_before(ex: Extraction, f: Frame) -> None:
    """A detailed (or complete) anatomy survey the report names only in a sentence saying an earlier scan
    did it ("The complete anatomic survey was performed on 09/14 and is not repeated"): no qualifier of
    today's scan (follow_up_ob then reads the follow-up from that sentence)."""
    for value in ("detailed_anatomy", "complete"):
        said = [m for m in f.evidence.get("qual", []) if m.value == value]
        if value not in f.quals or not said or any(m.section in ("exam", "subtitle", "ordered") for m in said):
            continue
        if all(_ANATOMY_DONE_BEFORE_RX.search(ex.text, *sentence_bounds(ex.text, m.start)) for m in said):
            f.quals.discard(value)
            f.evidence["qual"] = [m for m in f.evidence["qual"] if m.value != value]


# the words that make an anatomy survey the detailed one (76811), not the survey every standard scan holds
_DETAILED_WORD_RX = re.compile(r"\bdeta?i?l\w*|\blevel\s*(?:ii|2)\b", re.IGNORECASE)


def _detailed_over_trimester(f: Frame) -> None:
    """A detailed anatomy exam named with its trimester ("US OB 2ND TRIMESTER ANATOMY SCAN - DETAILED"):
    the trimester says when, the detailed survey what was done (76811, with 76812 per added gestation),
    not the standard scan after the first trimester (76805). An anatomy survey no word calls detailed
    stays the standard scan's."""
    if "after_first_trimester" not in f.quals or "detailed_anatomy" not in f.quals:
        return
    if any(m.value == "detailed_anatomy" and _DETAILED_WORD_RX.search(m.text) for m in f.evidence.get("qual", [])):
        f.quals.discard("after_first_trimester")
        f.evidence["qual"] = [m for m in f.evidence["qual"] if m.value != "after_first_trimester"]


def follow_up_ob(ex: Extraction, f: Frame) -> None:
    """A follow-up obstetric scan (fetal growth and amniotic fluid re-evaluated: 76816) whose report
    names the amniotic fluid, an element of the limited scan (76815) too, stays a follow-up; a
    "limited" the report says in words keeps the limited code. A follow-up said in words after the first
    trimester ("OB US 2ND TRIMESTER F/U GROWTH", "OB f/u US ... 30w1d") is the follow-up, whatever
    trimester the title or the dating names: the trimester tells when, the follow-up what was done."""
    if f.region != "ob":
        return
    _anatomy_done_before(ex, f)
    _detailed_over_trimester(f)
    said = None
    if not f.quals & (_OTHER_OB_SERVICES | {"first_trimester"}):
        said = documented_in_body(ex, _ANATOMY_COMPLETION_RX, _NOT_THIS_EXAM_RX, "follow_up", ("history", "impression"))
    if said is None and not f.quals & ((_OTHER_OB_SERVICES - {"limited", "follow_up"}) | {"first_trimester"}):
        said = documented_in_body(ex, _ANATOMY_DONE_BEFORE_RX, _NOT_THIS_EXAM_RX, "follow_up", ("history", "impression"))
    if said is not None:
        f.quals.add("follow_up")
        f.add("qual", [said], "findings")
    if "follow_up" not in f.quals:
        return
    explicit = said is not None or any(m.value == "follow_up" and _FOLLOW_UP_WORD.search(m.text)
                                       for m in f.evidence.get("qual", []))
    if explicit and f.quals & _TRIMESTER_ATOMS and not f.quals & (_OTHER_OB_SERVICES - {"follow_up", "limited"}):
        weeks = {w >= 14 for w, _, _ in _scan_weeks(ex, (*_GA_SECTIONS, "exam"))}
        if "after_first_trimester" in f.quals and weeks != {False} or weeks == {True}:
            f.quals -= _TRIMESTER_ATOMS
            f.evidence["qual"] = [m for m in f.evidence.get("qual", []) if m.value not in _TRIMESTER_ATOMS]
    if "limited" not in f.quals:
        return
    limited = [m for m in f.evidence.get("qual", []) if m.value == "limited"]
    # ("LIMITED FOLLOW-UP" over a report that measures no biometry is the limited exam: fluid, heart, lie)
    grows = _OB_BIOMETRY_RX.search(ex.text) is not None
    # (a "focused re-evaluation" of a follow-up said in words that measures interval biometry is the follow-up:
    # the limited code has no biometry)
    measured = explicit and _FETAL_GROWTH_RX.search(ex.text) is not None
    if limited and all(_FOLLOW_UP_ELEMENTS.search(m.text) or grows and _LIMITED_FOLLOW_UP_RX.match(ex.text, m.end)
                       or measured for m in limited):
        f.quals.discard("limited")
        f.evidence["qual"] = [m for m in f.evidence["qual"] if m.value != "limited"]


# fetal Doppler velocimetry an obstetric report documents with its indices ("Umbilical artery Doppler: S/D
# 2.9, PI 1.02", "UA S/D 3.4", "MCA PI 1.62", "MCA PSV 1.1 MoM"), and what says it was not done here
# (recommended, planned, prior)
_UMBILICAL_DOPPLER_RX = re.compile(r"\b(?:umbilical\s+arter(?:y|ial)|UA)\b[^.;\n]{0,30}?(?:\bdoppler\b|\bS/D\b|\bPI\b|"
                                   r"\bRI\b|pulsatility|resistive|end[\s-]diastolic|velocimetry)", re.IGNORECASE)
_MCA_DOPPLER_RX = re.compile(r"\b(?:MCA|middle\s+cerebral\s+arter(?:y|ial))\b[^.;\n]{0,30}?(?:\bdoppler\b|\bPSV\b|\bPI\b|"
                             r"\bRI\b|pulsatility|peak\s+systolic|velocit|\bMoM\b|velocimetry)", re.IGNORECASE)
_FETAL_DOPPLER_NOT_DONE = re.compile(r"\b(?:no|not|recommend\w*|consider\w*|suggest\w*|should|could|will|would|"
                                     r"weekly|daily|schedul\w*|plan\w*|prior|previous|last|declin\w*)\b", re.IGNORECASE)


# the extents of an obstetric exam that the fetal Doppler is billed beside (rules.jsonl ob_umbilical_doppler)
_OB_EXAM_EXTENTS = frozenset({"first_trimester", "after_first_trimester", "follow_up", "limited", "detailed_anatomy",
                              "biophysical_profile"})
# the growth an earlier scan measured, re-measured today ("Interval growth since 3 weeks ago is suboptimal")
_INTERVAL_GROWTH_RX = re.compile(r"\binterval\s+(?:fetal\s+)?(?:growth|biometry)\b|\bgrowth\s+since\b", re.IGNORECASE)


def ob_exam_beside_fetal_doppler(ex: Extraction, f: Frame) -> None:
    """"OB ULTRASOUND WITH UMBILICAL ARTERY DOPPLER": a title naming the obstetric exam apart from the fetal
    Doppler, over a report that measures the fetal biometry, is the exam too (76805, or the follow-up 76816
    when the interval growth is re-measured) beside the velocimetry (76820 / 76821; CODING_RULES §3, §6). A
    title naming the Doppler alone ("UMBILICAL ARTERY DOPPLER") stays the velocimetry."""
    if f.modality != "US" or f.site != "ob" or not f.quals & {"doppler_umbilical", "doppler_mca"} \
            or f.quals & _OB_EXAM_EXTENTS:
        return
    doppler = [(m.start, m.end) for m in f.evidence.get("qual", []) if m.value in ("doppler_umbilical", "doppler_mca")]
    named = [m for m in f.evidence.get("site", []) if m.value == "ob" and m.section in ("exam", "subtitle")
             and not any(a < m.end and m.start < b for a, b in doppler)]
    if not named:
        return
    grows = documented_in_body(ex, _FETAL_GROWTH_RX, _FETAL_DOPPLER_NOT_DONE, "after_first_trimester")
    if grows is None:
        return
    interval = documented_in_body(ex, _INTERVAL_GROWTH_RX, _NOT_THIS_EXAM_RX, "follow_up")
    said = interval if interval is not None else grows
    f.quals.add(said.value)
    f.add("qual", [said], "findings")


def documented_fetal_doppler(ex: Extraction, f: Frame) -> None:
    """An obstetric ultrasound whose report documents umbilical artery or middle cerebral artery Doppler
    velocimetry with its indices (the body of a growth scan: "Umbilical artery Doppler: S/D 2.9, PI 1.02")
    bills the velocimetry too (76820 / 76821), as a title naming it does (CODING_RULES §6: performed)."""
    if f.modality not in ("US", "DUPLEX") or not {"ob", "fetal"} & {f.region, f.site}:
        return
    for rx, qual in ((_UMBILICAL_DOPPLER_RX, "doppler_umbilical"), (_MCA_DOPPLER_RX, "doppler_mca")):
        if qual in f.quals:
            continue
        said = documented_in_body(ex, rx, _FETAL_DOPPLER_NOT_DONE, qual)
        if said is not None:
            f.quals.add(qual)
            f.add("qual", [said], "findings")


# a vertebral fracture assessment the body of a bone density report documents as done with it, and
# what makes a sentence not say so ("VFA was not performed", "consider VFA", "VFA in 2023", "VFA can be
# rescheduled")
_VFA_RX = re.compile(r"\b(?:vertebral\s+fracture\s+assessment|lateral\s+vertebral\s+assessment|VFA)\b", re.IGNORECASE)
_VFA_NOT_DONE = re.compile(r"\b(?:no|not|recommend\w*|consider\w*|suggest\w*|should|could|can|cannot|may|might|will|would|"
                           r"reschedul\w*|defer\w*|declin\w*|unable|prior|previous|outside|ago|19\d\d|20\d\d)\b", re.IGNORECASE)


def documented_velocity_flow(ex: Extraction, f: Frame) -> None:
    """A cardiac MRI whose report states its sequences in the body, under no technique header ("Cine SSFP
    ..., late gadolinium enhancement. Phase contrast flow through the aortic valve."), documents the velocity
    flow mapping it performed there: the add-on (75565) is billed as when a technique says so (a body that
    says none was done, "No phase-contrast flow sequences", adds nothing)."""
    if f.modality != "MR" or f.site != "heart" or "velocity_flow" in f.quals \
            or any(sec.name == "technique" for sec in ex.sections):
        return
    said = [m for m in ex.mentions if m.key == "qual" and m.value == "velocity_flow" and m.section == "body"]
    if said and all(m.status == "performed" for m in said):
        f.quals.add("velocity_flow")
        f.add("qual", said[:1], "findings")


def documented_vfa(ex: Extraction, f: Frame) -> None:
    """An axial bone density study whose report body documents a vertebral fracture assessment
    done at the same visit ("a lateral vertebral fracture assessment was performed on the same
    device") is 77085, not 77080 (CODING_RULES §3), whatever the title says; one that says no bone
    density was measured at this visit ("no bone density measurement was obtained today") is the
    assessment alone (77086)."""
    if f.modality == "DXA" and f.region == "spine" and "site_defaulted" in f.quals and not _vfa_only(ex) \
            and documented_in_body(ex, _AXIAL_DENSITY_RX, _VFA_NOT_DONE, "bone_density", also=("impression",)):
        # "DEXA W VFA" above spine and hip T-scores: the axial bone density was measured with the
        # assessment (77085), not the assessment alone (77086)
        f.region = "axial_skeleton"
    if f.modality != "DXA" or f.region != "axial_skeleton":
        return
    if "vertebral_fracture_assessment" not in f.quals and not _component_not_done(ex, "vertebral_fracture_assessment"):
        _body_vfa(ex, f)
    if "vertebral_fracture_assessment" in f.quals and any(
            m.key == "qual" and m.value == "bone_density" and m.status == "negated" for m in ex.mentions):
        f.region = "spine"
    elif "vertebral_fracture_assessment" in f.quals and _vfa_only(ex):
        f.region = "spine"  # "DXA VFA ONLY", "Lateral VFA only": the assessment alone (77086)


# an axial bone density measurement a report documents: a spine or hip site with its T-score or BMD
# ("AP SPINE L1-L4 T-SCORE -2.8", "Left femoral neck BMD 0.790", "R TH T -1.9")
_AXIAL_DENSITY_RX = re.compile(r"\b(?:L[1-4](?:\s*-\s*L[1-4])?|lumbar|spine|femoral\s+neck|(?:total\s+)?hip|FN|TH)\b"
                               r"[^.;\n|]{0,30}?\b(?:T[\s-]?scores?|BMD|T\s*[=:]?\s*[-+\u2212]\s*\d|T\s*[=:]?\s*\d+\.\d)",
                               re.IGNORECASE)


# a forearm bone density measurement a report documents: the radius or forearm with its T-score or BMD
# ("Forearm (33% radius, non-dominant): T -2.2", "The right one-third radius T-score is -1.8")
_FOREARM_DENSITY_RX = re.compile(r"\b(?:forearm|radius|radial)\b[^.;\n|]{0,40}?\b(?:T[\s-]?scores?|BMD|"
                                 r"T\s*[=:]?\s*[-+\u2212]\s*\d|T\s*[=:]?\s*\d+\.\d)", re.IGNORECASE)
# ... a sentence that says a site was not measured ("Distal radius not performed", "forearm T-score unavailable")
_DENSITY_NOT_MEASURED = re.compile(r"\b(?:no|not|unable|cancel+ed|deferred|declined|unavailable|omitted)\b", re.IGNORECASE)
# the words of a bone density title that name no skeleton site ("Bone density", "DXA - FOLLOW-UP")
_GENERIC_DENSITY_SITE_RX = re.compile(r"^(?:bone\s+dens\w*|(?:bone\s+)?densitometry|dxa|dexa)$", re.IGNORECASE)


def documented_forearm_density(ex: Extraction, frames: list[Frame]) -> list[Frame]:
    """A bone density study whose title names no skeleton site ("DXA - FOLLOW-UP", "Bone density") is
    coded by the sites its report documents measured: a forearm T-score beside a spine or hip one bills the
    appendicular study too (77080 + 77081); a forearm T-score alone, the appendicular study (77081), not
    the axial one the modality defaults to (CODING_RULES §6: what was performed)."""
    if len(frames) != 1 or frames[0].modality != "DXA" or frames[0].region != "axial_skeleton" \
            or frames[0].quals & {"vertebral_fracture_assessment"}:
        return frames
    f = frames[0]
    titled = f.evidence.get("site", [])
    if f.sources.get("site") != "default" and not (
            titled and all(_GENERIC_DENSITY_SITE_RX.match(m.text.strip()) for m in titled)):
        return frames
    low = _folded_text(ex)
    if not may_match(_FOREARM_DENSITY_RX, low):
        return frames
    forearm: tuple[int, int] | None = None
    axial = False
    for sec in ex.sections:
        if sec.name not in ("technique", "body", "findings"):
            continue
        for sm in _PROSE_RX.finditer(ex.text, sec.start, sec.end):
            t = sm.group()
            if _DENSITY_NOT_MEASURED.search(t):
                continue
            fm = _FOREARM_DENSITY_RX.search(t)
            if fm and forearm is None:
                forearm = (sm.start() + fm.start(), sm.start() + fm.end())
            axial = axial or _AXIAL_DENSITY_RX.search(t) is not None
    if forearm is None:
        return frames
    said = Mention("site", "forearm", forearm[0], forearm[1], "findings", ex.text[forearm[0]:forearm[1]][:80], 0, -1)
    g = Frame("DXA", "forearm", "appendicular_skeleton")
    g.add("modality", f.evidence.get("modality", []), "title")
    g.add("site", [said], "findings")
    return [f, g] if axial else [g]


def _vfa_only(ex: Extraction) -> bool:
    """A title or technique that says the vertebral fracture assessment alone was done ("VFA ONLY")."""
    vfa = [m for m in ex.mentions if m.key == "qual" and m.value == "vertebral_fracture_assessment"
           and m.status == "performed" and m.section not in _NOT_THIS_STUDY]
    return any(m.key == "qual" and m.value == "only" and m.status == "performed" and any(
        v.doc_id == m.doc_id and 0 <= m.start - v.end <= 3 for v in vfa) for m in ex.mentions)


def _component_not_done(ex: Extraction, qual: str) -> bool:
    """Whether the report says a component was not performed ("the VFA was not performed", "VFA cancelled") and
    nowhere that it was: another sentence that only names it ("Vertebral fracture assessment was ordered;
    however ...") does not document it done (CODING_RULES §6: bill what was performed)."""
    said = [m for m in ex.mentions if m.key == "qual" and m.value == qual and m.section in _NOT_DONE_SECTIONS]
    text = ex.clean or ex.text
    return not any(m.status == "performed" for m in said) and any(
        m.status == "negated" and EXAM_NOT_DONE_RX.search(text, *sentence_bounds(text, m.start)) for m in said)


def _body_vfa(ex: Extraction, f: Frame) -> None:
    # (a one-line report's "Indication:" runs on into what was done: "Indication: Long-term prednisone.
    # Lumbar spine and hip DXA; lateral VFA image T4-L4.")
    said = documented_in_body(ex, _VFA_RX, _VFA_NOT_DONE, "vertebral_fracture_assessment", also=("history",))
    if said is not None:
        f.quals.add("vertebral_fracture_assessment")
        f.add("qual", [said], "findings")


def documented_in_body(ex: Extraction, rx: re.Pattern, not_done: re.Pattern, value: str,
                       also: tuple[str, ...] = (), before: bool = False) -> Mention | None:
    """The first sentence of the technique, body or findings (and the sections ``also`` names) that
    documents a component (``rx``) and does not withdraw it (``not_done``; ``before``: in the words up to
    the end of the match only, a list of what was left out after it withdrawing nothing): a qualifier
    mention of ``value`` over the words ``rx`` matched."""
    low = _folded_text(ex)
    for sec in ex.sections:
        if sec.name not in ("technique", "body", "findings", *also) or not may_match(rx, low, sec.start, sec.end):
            continue  # (nor a section without the words every match of ``rx`` holds)
        for sm in _PROSE_RX.finditer(ex.text, sec.start, sec.end):
            m = rx.search(sm.group())
            if m and not not_done.search(sm.group(), 0, m.end() if before else len(sm.group())):
                a, b = sm.start() + m.start(), sm.start() + m.end()
                return Mention("qual", value, a, b, sec.name, ex.text[a:b], 0, -1)
    return None


# an infant hip ultrasound whose report says the stress (dynamic) manoeuvres were not done, or the static
# images were the only ones ("static coronal images only; stress views not performed")
_HIP_STATIC_RX = re.compile(r"\b(?:stress|dynamic|barlow|ortolani)\b[^.;\n]{0,40}?\b(?:not\s+(?:be\s+|been\s+)?(?:performed|obtained|done|"
                            r"possible|tolerated|attempted)|deferred|omitted|unable)\b|"
                            r"\b(?:no|without)\s+(?:stress|dynamic)\s+(?:maneuvers?|manoeuvres?|testing|views?|imaging|evaluation)\b|"
                            r"\bstatic\b[^.;\n]{0,60}?\bonly\b|\bonly\s+static\b", re.IGNORECASE)
_HIP_STATIC_NOT_SAID = re.compile(r"\b(?:if|recommend\w*|consider\w*|prior|previous)\b", re.IGNORECASE)


def static_infant_hips(ex: Extraction, f: Frame) -> None:
    """Infant hip ultrasound without stress manoeuvres is the static limited study (76886), the
    dynamic one (76885) otherwise; the report body may say so when the title does not."""
    if f.modality != "US" or f.region != "infant_hips" or f.quals & {"static", "dynamic"}:
        return
    # (a harness follow-up often says so with its indication: "in Pavlik harness, static evaluation only")
    said = documented_in_body(ex, _HIP_STATIC_RX, _HIP_STATIC_NOT_SAID, "static", also=("history",))
    if said is not None:
        f.quals.add("static")
        f.add("qual", [said], "technique")


# 3D rendering a report documents as produced on an independent workstation (76377), and what
# makes the sentence not say so ("3D not performed", "3D could be produced on request")
# a 3D MR sequence named by its weighting or its vendor name ("3D T1 post-contrast volume", "3D FLAIR",
# "3D proton density volume acquisition") is an acquisition, not a rendering
_SEQUENCE_3D = (r"(?!\s*(?:t1|t2|flair|pd|proton|gradient|gre|spgr|fspgr|mprage|mp-?rage|space|cube|fiesta|ciss|"
                r"tof|time[- ]of[- ]flight|swi|stir|dess|vibe|fse|tse|bravo|frfse|vista|dixon|fat[- ]sat\w*)\b)")
_RENDERING_RX = re.compile(r"\b(?:3-?d|three[- ]dimensional)\b" + _SEQUENCE_3D + r"[^.;\n]{0,60}?\b(?:render\w*|reconstruct\w*|recons?|"
                           r"reformat\w*|images?)\b|\b(?:volume|surface)[- ]render\w*", re.IGNORECASE)
# (the words between may be hyphenated: "an independent post-processing workstation")
_WORKSTATION_RX = re.compile(r"\b(?:independent|separate|dedicated|stand-?alone)\s+(?:[\w-]+\s+){0,2}workstation\b",
                             re.IGNORECASE)
_RENDERING_NOT_DONE = re.compile(r"\b(?:no|not|could|can|may|upon request|on request|if)\b", re.IGNORECASE)
# renderings the scanner made by itself ("Automated volume-rendered images were sent to PACS by the
# scanner", "3D surface images auto-generated by the scanner software"): no rendering a physician
# performed or supervised, so no 76376/76377
# (not the scanner's automatic exposure or tube-current control, said in the same sentence)
_RENDERING_AUTOMATIC = re.compile(r"\b(?:automat\w*(?!\s+(?:exposure|tube|dose|current|m[as]|kv|bolus|injector))|"
                                  r"auto[- ]?(?:generated|created|rendered|reconstructed|sent|pushed))\b", re.IGNORECASE)
# the workstation a console rendering was not made on ("at the scanner console (no independent
# workstation)", "not on a separate workstation"): says where the rendering was made, not that it was not
_NO_WORKSTATION_RX = re.compile(r"\b(?:no|not\s+(?:on|at|using|with)\s+an?|without\s+an?)\s+(?:independent|separate|"
                                r"dedicated|stand-?alone)\s+(?:[\w-]+\s+){0,2}workstation\b", re.IGNORECASE)
_RENDERED_MODALITIES = frozenset({"CT", "MR", "US", "NM"})
# rendering named as such: "3D surface reconstructions", "3D VR images", "volume-rendered images"
_RENDERED_AS_SUCH = re.compile(r"\b(?:3-?d|three[- ]dimensional)\b" + _SEQUENCE_3D + r"[^.;\n]{0,40}?\b(?:render\w*|vr|surface|volume)\b|"
                               r"\b(?:volume|surface)[- ]render\w*|\bvr\s+images?\b", re.IGNORECASE)
# every match of _RENDERING_RX and _RENDERED_AS_SUCH holds one of these (lower case): a section without
# one is not read sentence by sentence (tests/test_scan.py checks the patterns against them; "3d"
# and "3-d", not any "3": a date or a dose holds one, so 78% of reports read every sentence, 12% now)
_RENDERING_WORDS = ("3d", "3-d", "three", "render", "vr")


def _workstation_clause_before(text: str, start: int) -> bool:
    """Whether the clause a semicolon joins before a rendering clause names the independent workstation
    ("segmentation was performed on an independent workstation; 3D volume rendered images were created")."""
    if start == 0 or text[start - 1] != ";":
        return False
    lo = max(0, start - 300)
    lo = max(text.rfind(c, lo, start - 1) + 1 for c in ".;\n") or lo
    t = _NO_WORKSTATION_RX.sub(lambda w: " " * len(w.group()), text[lo:start - 1])
    return _WORKSTATION_RX.search(t) is not None and not (_RENDERING_NOT_DONE.search(t) or _RENDERING_AUTOMATIC.search(t))


def documented_rendering(ex: Extraction, frames: list[Frame], lex: Lexicon) -> Frame | None:
    """A non-angiographic study whose technique or body documents 3D rendering made on an
    independent workstation ("three-dimensional volume-rendered reconstructions were produced on a
    separate workstation") bills 76377 beside the study; rendering named as such without one ("3D
    surface reconstructions", "3D VR images created at the scanner console") bills 76376 (never with
    a CTA / MRA, CODING_RULES §2). Bare "3D reconstructions / reformats" name no rendering of their own."""
    # (the needle guidance of a CT / MR arthrogram's injection is no study of its own: "CT ARTHROGRAM" + 77002)
    studies = [f for f in frames if not (f.site == "guidance" and f.modality == "FL")]
    if not studies or any(f.modality not in _RENDERED_MODALITIES or f.quals & {"angio", "colonography"}
                          for f in studies) \
            or any("3d_rendering" in f.quals and f.modality == "POST" for f in frames):
        return None
    low = _folded_text(ex)
    unsaid = False  # a sentence naming a rendering that says it was not made (or made by the scanner alone)
    for sec in ex.sections:
        if sec.name not in ("technique", "body") or low is not None and \
                not any(low.find(w, sec.start, sec.end) != -1 for w in _RENDERING_WORDS):
            continue
        for sm in _PROSE_RX.finditer(ex.text, sec.start, sec.end):
            t = _NO_WORKSTATION_RX.sub(lambda w: " " * len(w.group()), sm.group())
            if _RENDERING_NOT_DONE.search(t) or _RENDERING_AUTOMATIC.search(t):
                unsaid = unsaid or _RENDERING_RX.search(t) is not None or _RENDERED_AS_SUCH.search(t) is not None
                continue
            m = _RENDERING_RX.search(t)
            station = m is not None and (_WORKSTATION_RX.search(t) is not None
                                         or _workstation_clause_before(ex.text, sm.start()))
            if not station:
                m = _RENDERED_AS_SUCH.search(t)
            if m:
                a, b = sm.start() + m.start(), sm.start() + m.end()
                quals = {"3d_rendering", "3d_workstation"} if station else {"3d_rendering"}
                g = Frame("POST", "post_3d", lex.region_for("post_3d", "POST"), quals=quals)
                ms = [Mention("qual", "3d_workstation" if station else "3d_rendering", a, b, sec.name, ex.text[a:b], 0, -1)]
                g.add("modality", ms, "technique")
                g.add("qual", ms, "technique")
                return g
    return None if unsaid else _titled_rendering(ex, frames, lex)


def _titled_rendering(ex: Extraction, frames: list[Frame], lex: Lexicon) -> Frame | None:
    """A report whose title names the 3D rendering of its exam ("CT BILATERAL FEET WITHOUT CONTRAST WITH 3D
    (independent workstation)") and whose body neither documents nor withdraws it bills the rendering the
    title names: on the workstation the title states (76377), else 76376. A one-line title is left to the
    title's own reading."""
    titled = [m for f in frames for m in f.evidence.get("qual", [])
              if m.value in ("3d_rendering", "3d_workstation") and m.section == "exam"]
    if not any(m.value == "3d_rendering" for m in titled) or any(f.modality not in ("CT", "MR") for f in frames) \
            or _title_alone(ex.sections, ex.text):
        return None  # (an ultrasound's "3D" is its own acquisition)
    station = any(m.value == "3d_workstation" for m in titled)
    g = Frame("POST", "post_3d", lex.region_for("post_3d", "POST"),
              quals={"3d_rendering", "3d_workstation"} if station else {"3d_rendering"})
    g.add("modality", titled, "title")
    g.add("qual", titled, "title")
    return g


# a stress view of a joint radiograph the report documents as taken ("plus an inversion stress view, stress
# applied by the radiologist", "AP, mortise, lateral and manual external rotation stress mortise views"), not
# a stress fracture or reaction; and what makes the sentence not document one (recommended, not done, not
# interpreted here, or a stress no hand applied: gravity or weight bearing, CPT 77071 being manual stress)
_STRESS_VIEW_RX = re.compile(r"\bstress\s+(?!fract|reaction|injur|change|lesion|response)(?:[a-z-]+\s+){0,2}?(?:views?|"
                             r"radiographs?|films?|images?|projections?)\b|\bwith\s+(?:manual\s+)?stress\s+(?:applied|"
                             r"maneuvers?|manoeuvres?)\b", re.IGNORECASE)
_STRESS_NOT_DONE = re.compile(r"\b(?:no|not|without|consider\w*|recommend\w*|suggest\w*|if|could|may|would|should|"
                              r"can|cannot|unable|gravity|weight[- ]?bearing|standing|prior|previous|outside|"
                              r"separate\w*)\b|n't\b",  # "..., reported separately": another report's
                              re.IGNORECASE)
# a whole sentence (its clauses too: "...; this is not interpreted here"), and what a history sentence must
# say for its stress view to be one taken today ("AP, mortise, lateral, plus a manual stress view performed by
# the radiologist" under a one-line history), not the reason for the exam ("request for stress radiographs")
_WHOLE_SENTENCE_RX = re.compile(r"[^.\n]+")
_STRESS_DONE_RX = re.compile(r"\b(?:performed|obtained|taken|applied|acquired)\b", re.IGNORECASE)


def _stress_view_said(ex: Extraction) -> Mention | None:
    low = _folded_text(ex)
    for sec in ex.sections:
        if sec.name not in ("technique", "body", "findings", "history", "subtitle") \
                or not may_match(_STRESS_VIEW_RX, low, sec.start, sec.end):
            continue
        for sm in _WHOLE_SENTENCE_RX.finditer(ex.text, sec.start, sec.end):
            m = _STRESS_VIEW_RX.search(sm.group())
            if m is None or _STRESS_NOT_DONE.search(sm.group()) \
                    or sec.name in ("history", "subtitle") and not _STRESS_DONE_RX.search(sm.group()):
                continue
            a, b = sm.start() + m.start(), sm.start() + m.end()
            return Mention("qual", "manual_stress", a, b, sec.name, ex.text[a:b], 0, -1)
    return None


# the joints whose radiograph a stress view is taken of
_STRESSED_JOINTS = frozenset({"ankle", "knee", "elbow", "wrist", "shoulder", "acromioclavicular_joints", "hand", "finger",
                              "foot", "toe", "hip"})


def documented_stress_views(ex: Extraction, frames: list[Frame], lex: Lexicon) -> Frame | None:
    """A joint radiograph whose technique or body documents a stress view taken with stress applied by
    hand ("AP, mortise and lateral views, plus a manual inversion stress view performed by the
    radiologist") bills the manual application of stress (77071) beside the joint's own code, as a
    title naming the stress views does (:func:`_stressed_joint_frames`). A stress view recommended,
    not done or not interpreted in the report, a gravity or weight-bearing stress, and a stress
    fracture add nothing."""
    joints = [f for f in frames if f.modality == "XR" and f.site in _STRESSED_JOINTS]
    if not joints or len(joints) != len(frames) or "joint_stress" not in lex.sites:
        return None
    said = _stress_view_said(ex)
    if said is None:
        return None
    g = Frame("XR", "joint_stress", lex.region_for("joint_stress", "XR"), quals={"manual_stress"})
    g.side = joints[0].side
    g.add("site", [replace(said, key="site", value="joint_stress")], "technique")
    g.add("qual", [said], "technique")
    g.sources["modality"] = joints[0].sources.get("modality", "inferred")
    return g


# the approaches a narrative pelvic ultrasound documents ("transabdominal imaging through a full
# bladder followed by transvaginal imaging"), and what makes a sentence not say one was used
# (or the approach's label opening a line of the body: "TA: Single live fetus ...", "TV: cervix 3.5 cm")
_TRANSVAGINAL_RX = re.compile(r"\b(?:trans-?vaginal\w*|endo-?vaginal\w*)\b|^[ \t]*(?:TV|EV)[ \t]*:", re.IGNORECASE | re.MULTILINE)
_TRANSABDOMINAL_RX = re.compile(r"\btrans-?abdominal\w*\b|^[ \t]*TA[ \t]*:", re.IGNORECASE | re.MULTILINE)
# a history sentence about an earlier scan ("transvaginal US 2 weeks ago showed a cyst"), not this one's approach
_EARLIER_SCAN_RX = re.compile(r"\b(?:ago|earlier|last|showed|shown|demonstrated|revealed|outside|dated)\b", re.IGNORECASE)
_APPROACH_NOT_DONE = re.compile(r"\b(?:no|not|declined|refused|deferred|unable|cannot|recommend\w*|consider\w*|"
                                r"if|could|may|prior|previous)\b", re.IGNORECASE)


def documented_approaches(ex: Extraction, f: Frame) -> None:
    """A pelvic ultrasound whose title names no approach and whose body documents the transvaginal
    one (with or without the transabdominal one) is coded by the approaches performed: both bill
    76856 (or 76857) + 76830 (CODING_RULES §3), the transvaginal alone 76830. An obstetric exam whose
    body documents both approaches bills both (76801 + 76817), as does one titled with the transvaginal
    study in addition ("OB US <14 WKS W TV", "OB US >14 WKS + TV CERVICAL LENGTH") whose body documents
    the transabdominal survey too."""
    ob = f.site == "ob" and not f.quals & (_APPROACHES | _OTHER_OB_SERVICES) - {"transvaginal"} and (
        "transvaginal" not in f.quals or f.sources.get("qual") == "title")
    if f.modality != "US" or not ob and (f.site != "pelvis" or f.quals - {"complete", "limited"}):
        return  # (an approach stated, or another service: a sonohysterogram is imaged transvaginally)
    said: dict[str, Mention] = {}
    low = _folded_text(ex)
    for sec in ex.sections:
        # (a line under the title or the history may state the approaches: "12w6d. Transabdominal and
        # transvaginal.", "History: IVF twins, 9 weeks, transabdominal and transvaginal.")
        if sec.name not in ("technique", "body", "findings", "subtitle", "history") or not (
                may_match(_TRANSVAGINAL_RX, low, sec.start, sec.end)
                or may_match(_TRANSABDOMINAL_RX, low, sec.start, sec.end)):
            continue  # (no approach named in the section)
        for sm in _PROSE_RX.finditer(ex.text, sec.start, sec.end):
            t = sm.group()
            if _APPROACH_NOT_DONE.search(t) or sec.name == "history" and _EARLIER_SCAN_RX.search(t):
                continue
            for atom, rx in (("transvaginal", _TRANSVAGINAL_RX), ("transabdominal", _TRANSABDOMINAL_RX)):
                m = rx.search(t)
                if m and atom not in said:
                    a, b = sm.start() + m.start(), sm.start() + m.end()
                    said[atom] = Mention("qual", atom, a, b, sec.name, ex.text[a:b], 0, -1)
    if "transvaginal" not in said or ob and "transabdominal" not in said:
        return  # (an obstetric exam: both approaches, 76801/76805 + 76817)
    f.quals |= set(said)
    f.add("qual", list(said.values()), "technique")


# an approach the technique states as the only one done ("transvaginal imaging only", "only transvaginal
# images are submitted", "TV only")
_ONLY_APPROACH_RX = re.compile(
    r"\bonly\s+(?:the\s+|a\s+)?(?P<a>trans-?vaginal|endo-?vaginal|TV|trans-?abdominal|TA)\b|"
    r"\b(?P<b>trans-?vaginal|endo-?vaginal|TV|trans-?abdominal|TA)\s+(?:(?:imaging|images|scan(?:ning)?|approach|"
    r"sonography|ultrasound|views?|exam(?:ination)?)\s+)?only\b", re.IGNORECASE)


def only_approach(ex: Extraction, f: Frame) -> None:
    """A pelvic or obstetric ultrasound whose title names both approaches (or the other one) and whose
    technique says one approach alone was done ("TECHNIQUE: Transvaginal imaging only; unable to fill
    the bladder") is coded by that approach (76830 / 76817; CODING_RULES §6) and the title is a conflict.
    The transvaginal obstetric code has no trimester."""
    if f.modality != "US" or f.site not in ("pelvis", "ob") or not f.quals & _APPROACHES:
        return
    said: dict[str, Mention] = {}
    # (a narrative without a technique section states it in its body or the history it runs on in: "...
    # transabdominal imaging was not performed. transvaginal images only.")
    names = ("technique",) if any(sec.name == "technique" for sec in ex.sections) else ("body", "findings", "history")
    for sec in ex.sections:
        if sec.name not in names:
            continue
        for m in _ONLY_APPROACH_RX.finditer(ex.text, sec.start, sec.end):
            word = (m.group("a") or m.group("b")).lower().replace("-", "")
            atom = "transabdominal" if word in ("ta", "transabdominal") else "transvaginal"
            said.setdefault(atom, Mention("qual", atom, m.start(), m.end(), sec.name, m.group(), 0, -1))
    if len(said) != 1:
        return
    (kept,) = said
    gone = f.quals & (_APPROACHES - {kept})
    if not gone:
        return
    f.conflicts.append(Conflict("qualifier", "/".join(sorted(gone)), kept, f.evidence.get("qual", []), list(said.values())))
    f.quals -= gone
    f.quals.add(kept)
    if f.site == "ob" and kept == "transvaginal":
        f.quals -= _TRIMESTER_ATOMS
    f.evidence["qual"] = [m for m in f.evidence.get("qual", []) if m.value not in gone]
    f.add("qual", list(said.values()), "technique")


# SPECT acquired with a CT for localization or attenuation ("SPECT with a low-dose localization CT
# of the neck"), and what makes the sentence not say so ("no CT", "CT was not performed")
_SPECT_WITH_CT = re.compile(r"\bSPECT\b[^.;\n]{0,20}?\b(?:with|and|plus|using)\s+(?:an?\s+)?(?:[\w-]+\s+){0,3}?"
                            r"(?:CT|computed\s+tomography)\b", re.IGNORECASE)
_CT_NOT_DONE = re.compile(r"\b(?:no|not|without|unable|declined)\b", re.IGNORECASE)


# an acute stroke workup named anywhere in the report (a "CODE STROKE" banner, "LKW 50 min", "NIHSS 16"): its
# noncontrast head CT is the hemorrhage check before thrombolysis, an exam of its own beside the CTA (rules.jsonl
# cta_includes_noncontrast); without one the CTA's noncontrast series is part of the CTA (CODING_RULES §2)
_STROKE_WORKUP_RX = re.compile(r"\b(?:code\s+stroke|stroke\s+(?:alert|code|team)|(?:tele-?)?stroke\s+protocol|ctstroke|"
                               r"telestroke|last\s+(?:known|seen)\s+(?:well|normal)|lkw|nihss|nih\s+stroke\s+scale|aspects|acute\s+stroke|"
                               r"(?:tpa|tnk|thrombolysis|thrombectomy)\s+candidate|large\s+vessel\s+occlusion|lvo)\b",
                               re.IGNORECASE)
_STROKE_NOT_SAID = re.compile(r"\b(?:no|not|prior|previous|history\s+of)\s+(?:code\s+stroke|stroke\s+alert)\b", re.IGNORECASE)
_STROKE_SECTIONS = ("exam", "subtitle", "history", "impression", "addendum", "ordered")


def acute_stroke_workup(ex: Extraction, f: Frame) -> None:
    """A noncontrast head CT of a report that documents an acute stroke workup carries the qualifier
    stroke_protocol (the head CT the title names beside a CTA is then billed on its own)."""
    if f.modality != "CT" or f.region != "head" or "stroke_protocol" in f.quals:
        return
    said = documented_in_body(ex, _STROKE_WORKUP_RX, _STROKE_NOT_SAID, "stroke_protocol", _STROKE_SECTIONS)
    if said is not None:
        f.quals.add("stroke_protocol")
        f.add("qual", [said], said.section)


def documented_spect_ct(ex: Extraction, f: Frame) -> None:
    """A nuclear study whose report documents SPECT acquired with a CT ("SPECT with a low-dose
    localization CT of the neck was performed") is SPECT/CT (78072, 78803 → 78830...)."""
    if f.modality != "NM" or "spect" not in f.quals or "spect_ct" in f.quals:
        return
    said = documented_in_body(ex, _SPECT_WITH_CT, _CT_NOT_DONE, "spect_ct")
    if said is not None:
        f.quals.discard("spect")
        f.quals.add("spect_ct")
        f.add("qual", [said], "technique")


# the extent of a SPECT acquisition: a count of areas ("SPECT/CT of two separate fields of view",
# "2 bed positions", "multiple areas"), or areas named apart after the SPECT word ("SPECT/CT of the
# chest and of the pelvis"; "of the lumbar spine and pelvis" may be one field of view)
_SPECT_WORD_RX = re.compile(r"\bspect\b", re.IGNORECASE)
_SPECT_AREAS_RX = re.compile(r"\b(?:two|2|three|3|four|4|multiple|several|separate)\s+(?:separate\s+|distinct\s+)?"
                             r"(?:fields?\s+of\s+view|fovs|areas|regions|bed\s+positions|anatomic\s+(?:areas|regions))\b",
                             re.IGNORECASE)
_AREA_JOIN_RX = re.compile(r"^\s*(?:;|,?\s*(?:and|plus|&)\s+of)\s*(?:the\s+)?$", re.IGNORECASE)
_SPECT_ONE_AREA_RX = re.compile(r"\b(?:single|one|1)\s+(?:field\s+of\s+view|fov|area|region|bed\s+position)\b",
                                re.IGNORECASE)


# the words that name a localization study only by its purpose ("tumor recurrence", "4D localization"),
# no tracer or protocol of its own
_GENERIC_LOCALIZATION_RX = re.compile(r"^(?:tumou?r|localization|localisation)$", re.IGNORECASE)


# the lung qualifiers of NM: a chest frame with none of them names no lung scan of its own
_LUNG_SCAN_QUALS = frozenset({"ventilation", "perfusion", "ventilation_perfusion", "quantitative"})


# an indium tracer named in a study whose own code has no localization read: In-111 DTPA is the tracer of
# cisternography and of the liquid phase of gastric emptying / bowel transit
_INDIUM_RX = re.compile(r"^(?:indium|indium-111|in-111)$", re.IGNORECASE)
_INDIUM_STUDIES = frozenset({"cerebrospinal_fluid", "gastric_emptying", "esophagus", "bowel"})


# labeled red cells named by their label ("tagged RBC"): the blood-pool tracer of a liver (hemangioma) or
# cardiac (MUGA) study as much as of a bleeding scan
_LABELED_RBC_RX = re.compile(r"^(?:tagged|labell?ed)\s+(?:rbcs?|red\s+(?:blood\s+)?cells)$", re.IGNORECASE)
_RBC_STUDY_SITES = frozenset({"liver", "liver_spleen", "spleen", "heart"})


def indium_tracer_merged(frames: list[Frame], lex: Lexicon | None = None) -> list[Frame]:
    """A localization frame that only an indium tracer word made ("NM CISTERNOGRAPHY (IN-111 DTPA)", "Tc-99m
    egg meal + In-111 DTPA liquid" of a gastric emptying study) beside an NM study that uses that tracer
    (cisternography 78630, gastric emptying and transit 78264-78266) is the tracer of that study, no
    tumor or infection localization of its own (78800-78804). So is a GI bleeding frame that only labeled
    red cells made ("NM LIVER SPECT/CT WITH TAGGED RBC", "NM MUGA (TAGGED RBC)") beside a liver or heart
    study: the blood-pool tracer, no bleeding scan (78278); its qualifiers (SPECT/CT) join the liver's."""
    out = list(frames)
    for f in frames:
        if f.modality != "NM" or f.site not in ("localization", "gi_bleed"):
            continue
        said = f.evidence.get("site", [])
        tracer, studies = (_INDIUM_RX, None) if f.site == "localization" else (_LABELED_RBC_RX, _RBC_STUDY_SITES)
        if not said or not all(tracer.match(m.text.strip()) for m in said):
            continue
        study = next((g for g in out if g is not f and g.modality == "NM" and (
            g.region in _INDIUM_STUDIES if studies is None else g.site in studies)), None)
        if study is None:
            continue
        out.remove(f)
        if studies is not None and study.site != "heart" and f.quals - study.quals and lex is not None:
            study.quals |= f.quals
            for m in f.evidence.get("qual", []):
                study.evidence.setdefault("qual", []).append(m)
            study.region = resolve_region(study, lex) or study.region
    return out


def localization_area_merged(frames: list[Frame]) -> list[Frame]:
    """The chest or lungs named with a tracer localization study ("NM GALLIUM SCAN CHEST", "INDIUM WBC
    SCAN OF THE CHEST", "GA-67 LUNG SCAN") are the area of that study (78800-78832), not a lung
    ventilation/perfusion scan of their own: only a ventilation or perfusion study makes one."""
    loc = next((f for f in frames if f.modality == "NM" and f.region == "localization"), None)
    if loc is None:
        return frames
    out = list(frames)
    for f in frames:
        if f is loc or f.modality != "NM" or f.region != "lung" or f.quals & _LUNG_SCAN_QUALS:
            continue
        loc.quals |= f.quals
        for attr, ms in f.evidence.items():
            if attr == "qual":
                loc.evidence.setdefault(attr, []).extend(ms)
        out.remove(f)
    return out


def followthrough_without_upper_gi(ex: Extraction, frames: list[Frame]) -> list[Frame]:
    """A small bowel follow-through without an upper GI series in the report ("SBFT", "SMALL BOWEL
    FOLLOW THROUGH" alone) is the small bowel series itself (74250): the follow-through add-on (74248)
    is billed only with its upper GI primary (§3), never alone. A one-line charge description that
    states its modality ("FL SMALL BOWEL FOLLOW-THROUGH", "XR SM INT F-THRU") is the add-on's own
    chargemaster line and keeps it."""
    if any(f.modality == "FL" and f.region == "upper_gi" for f in frames):
        return frames
    charge_line = all(sec.name in _CHARGE_LINE_SECTIONS for sec in ex.sections)
    for f in frames:
        if f.modality != "FL" or f.region != "small_bowel" or "followthrough_addon" not in f.quals:
            continue
        terms = {(m.doc_id, m.start, m.end) for m in f.evidence.get("qual", [])}
        if charge_line and any((m.doc_id, m.start, m.end) not in terms for m in f.evidence.get("modality", [])):
            continue
        # the department's radiograph word before the follow-through words on its line ("XR SM INT F-THRU",
        # "XRAY SMALL BOWEL FOLLOW-THROUGH STUDY") states the modality as well ("overhead films" under a
        # title are the series' films, no department word)
        if charge_line and any(m.key == "modality" and m.value == "XR" and m.status == "performed"
                               and (m.doc_id, m.sent) == (q.doc_id, q.sent) and m.end <= q.start
                               for m in ex.mentions for q in f.evidence.get("qual", [])):
            continue
        f.quals.discard("followthrough_addon")
    return frames


# the sections of a one-line title (a charge description)
_CHARGE_LINE_SECTIONS = frozenset({"exam", "subtitle", "ordered"})


def generic_localization_merged(frames: list[Frame]) -> list[Frame]:
    """A localization frame of NM or PET that only a purpose word made ("BRAIN PET (F-18 FDG) - TUMOR
    RECURRENCE ...", "Parathyroid scan w/ SPECT/CT - 4D localization") beside a frame of the same
    modality with an organ of its own is that organ's study, no second exam: its qualifiers (SPECT/CT)
    join the organ's frame."""
    out = list(frames)
    for f in frames:
        if f.modality not in ("NM", "PET") or f.site != "localization":
            continue
        said = f.evidence.get("site", [])
        if not said or not all(_GENERIC_LOCALIZATION_RX.match(m.text.strip()) for m in said):
            continue
        organ = next((g for g in out if g is not f and g.modality == f.modality and g.site != "localization"), None)
        if organ is None:
            continue
        organ.quals |= f.quals - {"upper_limb", "lower_limb"}
        for attr, ms in f.evidence.items():
            if attr == "qual":
                organ.evidence.setdefault(attr, []).extend(ms)
        out.remove(f)
    return out


def documented_spect_areas(ex: Extraction, f: Frame) -> None:
    """A SPECT (or SPECT/CT) localization whose title or technique documents two or more areas
    imaged is the multiple-area code (78831 / 78832), one area the single (78803 / 78830)."""
    if f.modality != "NM" or f.region != "localization" or not f.quals & {"spect", "spect_ct"} \
            or f.quals & {"multiple", "multiday"}:
        return
    # (the body of a report without a technique section states the acquisition as a technique would)
    read = ("exam", "subtitle", "technique") if any(s.name == "technique" for s in ex.sections) \
        else ("exam", "subtitle", "body")
    for sec in ex.sections:
        if sec.name not in read:
            continue
        for sm in _SENTENCE_RX.finditer(ex.text, sec.start, sec.end):
            w = _SPECT_WORD_RX.search(sm.group())
            if w is None:
                continue
            a = sm.start() + w.end()
            if _SPECT_ONE_AREA_RX.search(ex.text, a, sm.end()):
                return
            if _SPECT_AREAS_RX.search(ex.text, a, sm.end()):
                f.quals.add("multiple")
                return
            sites = sorted((m for m in ex.mentions if m.key == "site" and m.status == "performed"
                            and a <= m.start and m.end <= sm.end()), key=lambda m: m.start)
            if any(x.value != y.value and _AREA_JOIN_RX.match(ex.text[x.end:y.start])
                   for x, y in zip(sites, sites[1:], strict=False)):
                f.quals.add("multiple")
                return


# an average-risk screening a CT colonography report states in its history or body, and what
# makes the study diagnostic instead (symptoms, bleeding, a positive stool test, an incomplete
# or failed colonoscopy: CODING_RULES §5)
_AVERAGE_RISK_RX = re.compile(r"\baverage[- ]risk\b|\bscreening\b[^.;\n]*\b(?:asymptomatic|no\s+(?:\w+\s+){0,2}symptoms)\b|"
                              r"\b(?:asymptomatic|no\s+(?:\w+\s+){0,2}symptoms)\b[^.;\n]*\bscreening\b", re.IGNORECASE)
_DIAGNOSTIC_CTC_RX = re.compile(r"\b(?:incomplete|failed|unsuccessful|positive|bleed\w*|an(?:a)?emi\w*|hematochezia|"
                                r"melena|symptomatic|obstruct\w*|surveillance|personal history)\b", re.IGNORECASE)


def documented_screening_colonography(ex: Extraction, f: Frame) -> None:
    """A CT colonography whose title says neither screening nor diagnostic and whose history or body
    states an average-risk screening of an asymptomatic patient is the screening study (74263);
    anything that makes it diagnostic keeps the diagnostic code (CODING_RULES §5)."""
    if f.site != "colon" or "colonography" not in f.quals or "diagnostic" in f.quals:
        return
    said = None
    low = _folded_text(ex)
    for sec in ex.sections:
        if sec.name not in ("history", "body", "technique") or not (
                may_match(_DIAGNOSTIC_CTC_RX, low, sec.start, sec.end) or may_match(_AVERAGE_RISK_RX, low, sec.start, sec.end)):
            continue
        for sm in _PROSE_RX.finditer(ex.text, sec.start, sec.end):
            if _DIAGNOSTIC_CTC_RX.search(sm.group()):
                if not any(m.section in ("exam", "subtitle", "ordered")
                           for m in f.evidence.get("qual", []) if m.value == "screening"):
                    f.quals.discard("screening")  # "incomplete screening colonoscopy": the reason, diagnostic
                return
            if said is None and _AVERAGE_RISK_RX.search(sm.group()):
                said = Mention("qual", "screening", sm.start(), sm.end(), sec.name, sm.group().strip()[:80], 0, -1)
    if said is not None and "screening" not in f.quals:
        f.quals.add("screening")
        f.add("qual", [said], "history")


# a pregnancy the report documents (a positive test, a gestational age, an ectopic work-up), and
# what makes a sentence not say so ("hCG negative", "not pregnant")
_PREGNANT_RX = re.compile(r"(?:\+|\bpositive|\bpos)\s*(?:serum\s+|urine\s+|quantitative\s+|home\s+)?(?:beta[- ]?|b-?)?"
                          r"(?:hcg|pregnancy\s+test|upt)\b|\b(?:beta[- ]?|b-?)?hcg\s*(?:\+|positive\b|pos\b|"
                          r"(?:of\s+|level\s+|=\s*|:\s*|\(?beta\s+)?[1-9][\d,]{2,})|\bpregnant\b|\bectopic\b|"
                          r"\b\d{1,2}\s*(?:weeks?|wks?)\s+(?:pregnant|gestation|by\s+LMP)\b|"
                          # a gestational age ("GA 20w5d", "24 weeks 3 days"), a cervical length (an obstetric measure)
                          r"\bgestational\s+age\b|\bGA\s*:?\s*\d|\b\d{1,2}\s*w(?:ks?)?\s*\+?\s*\d\s*d\b|"
                          r"\b\d{1,2}\s+weeks?\s+(?:and\s+)?\d\s+days?\b|\bcervical\s+length\b", re.IGNORECASE)
_NOT_PREGNANT_RX = re.compile(r"\b(?:negative|neg)\b\s*(?:\w+\s+){0,2}?(?:pregnan\w*|(?:beta[- ]?|b-?)?hcg)|"
                              r"\bnot\s+pregnant\b|\bnon-?pregnant\b|\bhcg\s*(?:negative|neg\b|-)", re.IGNORECASE)


def pregnant_transvaginal(ex: Extraction, f: Frame) -> None:
    """A transvaginal pelvic ultrasound of a patient whose report documents a pregnancy (a positive
    hCG, an ectopic work-up, a gestational age) is the obstetric transvaginal study (76817), not the
    non-obstetric 76830; a transabdominal one is the obstetric scan by gestational age (76801 / 76805),
    not the non-obstetric pelvis (76856 / 76857)."""
    route = next((q for q in ("transvaginal", "transabdominal") if q in f.quals), None)
    if f.modality != "US" or f.site not in ("pelvis", "transvaginal_site") or route is None or \
            f.quals - {route, "complete", "limited"} - ({"screening"} if route == "transabdominal" else set()):
        return
    text = " ".join(ex.text[s.start:s.end] for s in ex.sections if s.name not in ("comparison",))
    if _NOT_PREGNANT_RX.search(text):
        return
    m = _PREGNANT_RX.search(text)
    if m is None:
        return
    f.site = "ob"
    if f.region is not None:
        f.region = "ob"  # (a frame split after its region was resolved)
    f.quals -= {"complete", "limited", "screening", "transabdominal"}
    f.add("site", [Mention("site", "ob", m.start(), m.end(), "history", ex.text[m.start():m.end()], 0, -1)], "history")
    if route == "transabdominal":
        documented_gestational_age(ex, f)


# a plain series the addendum places before the contrast one ("noncontrast images were acquired
# before contrast administration")
_BEFORE_CONTRAST_RX = re.compile(r"\b(?:before|prior\s+to|preceding)\s+(?:the\s+)?(?:iv\s+|intravenous\s+)?"
                                 r"(?:contrast|injection)\b|\bpre-?contrast\b"
                                 r"|\b(?:was|were)\s+(?:also\s+)?(?:acquired|obtained|performed)\s+first\b", re.IGNORECASE)
# a contrast series an addendum adds to the plain study of the same visit ("the patient remained on
# the table and postcontrast T1 images were obtained", "additional post-gadolinium images were
# acquired"): the study is without then with (CODING_RULES §2), not "with"
_ADDED_SERIES_RX = re.compile(r"\b(?:additional(?:ly)?|also|in\s+addition|remained\s+on\s+the\s+(?:table|scanner)|"
                              r"subsequently|were\s+then|was\s+then|same\s+(?:session|visit|sitting))\b", re.IGNORECASE)


# a contrast series named as the one after the plain series ("post-contrast images were obtained
# after the noncontrast series"): the addendum adds a series, it does not undo the contrast
_POST_SERIES = re.compile(r"post", re.IGNORECASE)
_AFTER_PLAIN = re.compile(r"\b(?:after|following)\s+(?:the\s+)?(?:initial\s+)?(?:non-?contrast|unenhanced|plain|"
                          r"pre-?contrast)\b", re.IGNORECASE)


# an addendum sentence about the next study, not this one ("recommend repeat MRI with and without contrast",
# "scheduled with sedation so that a full precontrast protocol can be completed")
_NEXT_STUDY_RX = re.compile(r"\b(?:will|would|should|could|can|recommend\w*|suggest\w*|consider\w*|if)\b", re.IGNORECASE)


# an addendum's oral or rectal contrast said to be the only one given ("oral contrast only", "rectal contrast alone")
_ROUTE_ONLY_RX = re.compile(r"\b(?:only|alone|solely)\b", re.IGNORECASE)


def _apply_addendum_contrast(f: Frame, addendum: list[Mention], for_frame: ForFrame, text: str = "",
                             withdrawn: bool = False) -> None:
    """An addendum stating the contrast given ("received 100 mL Omnipaque IV", "rescanned after
    IV contrast") decides the frame's contrast; the title/technique value becomes a conflict. Plain
    images it says were acquired before the contrast series add that series (without then with).
    An oral or rectal contrast alone named in it ("the patient also drank oral contrast", initials read
    as "P.O.") leaves an intravenous contrast standing, unless the addendum says it was the only contrast
    or withdraws the intravenous one (``withdrawn``: "no IV contrast was given"; CODING_RULES §2)."""
    if not _contrast_matters(f):
        return
    ms = [m for m in for_frame([m for m in addendum if m.key == "contrast"], f, addendum, len(addendum) > 0)
          if m.status == "performed" and not _NEXT_STUDY_RX.search(text, *sentence_bounds(text, m.start))]
    if f.contrast in ("with", "without_then_with") and ms and not withdrawn \
            and all(m.value in _NON_VASCULAR_ROUTES for m in ms) \
            and not any(_ROUTE_ONLY_RX.search(text, *sentence_bounds(text, m.start)) for m in ms):
        return
    val = contrast_value(ms)
    if val == "without" and f.contrast in ("with", "without_then_with") and any(
            m.value == "without" and _BEFORE_CONTRAST_RX.search(text, _clause(text, m.start), _clause_end(text, m.end))
            for m in ms):
        val = "without_then_with"
    elif val == "with" and f.contrast == "without" and f.sources.get("contrast") in ("title", "technique") and any(
            m.value == "with" and _ADDED_SERIES_RX.search(text, _clause(text, m.start), _clause_end(text, m.end))
            for m in ms):
        val = "without_then_with"
    elif val == "without_then_with" and f.contrast == "without_then_with":
        return  # "washout = (enhanced - delayed) / (enhanced - unenhanced)": both series, as documented
    elif val == "without_then_with" and not any(m.value == "without_then_with" or _POST_SERIES.match(m.text)
                                                for m in ms) and not any(
            rx.search(text, _clause(text, m.start), _clause_end(text, m.end))
            for m in ms for rx in (_BEFORE_CONTRAST_RX, _ADDED_SERIES_RX, _THEN_AFTER, _AFTER_PLAIN)):
        # "the contrast injection extravasated ...; the examination is a noncontrast study": an
        # addendum that names the contrast and says the study was done without it, with no series
        # before or after the other, corrects the study to without (CODING_RULES §2, §6)
        val = "without"
    if val is None or val == f.contrast:
        return
    f.conflicts.append(Conflict("contrast", f.contrast or "not stated", val, f.evidence.get("contrast", []), ms))
    f.contrast = val
    f.evidence["contrast"] = ms
    f.sources["contrast"] = "addendum"


# a patient under one year of age ("this 3-month-old girl", "a 6 week old male infant", "newborn"; a history's
# shorthand without "old": "2 mo F f/u DDH", "6 wk male", not "6 mo f/u")
_INFANT_AGE_RX = re.compile(
    r"\b(?:(?P<n>\d{1,2})[\s-]*(?P<unit>day|week|wk|month|mo)s?(?:[\s-]*old)?[\s-]+(?:(?:pre-?term|term|premature|"
    r"former|male|female|ex-?\d+[\s-]*week(?:er)?)[\s-]+)*(?:girl|boy|infant|baby|male|female|patient|neonate|"
    r"child|twins?|son|daughter|[mf])\b(?!/)|(?P<word>newborn|neonate|neonatal))", re.IGNORECASE)


_INFANT_LIMIT = {"day": 366, "week": 53, "wk": 53, "month": 12, "mo": 12}
# what every match of _INFANT_AGE_RX holds in the lower-cased text: its count's last digit right before its unit
# ("6 weeks", "3-month"), or its word ("newborn", "neonate"); a search that skips to the digits
_AGE_COUNT_RX = re.compile(r"\d[\s-]*(?:day|week|wk|month|mo)")


_CHILD_MIN_YEARS = 2  # an age from which the patient is no infant (a toddler of 12-23 months is left to the title)


def _survey_over_infancy(f: Frame, p: Pools) -> None:
    """An osseous survey titled for an infant or a child ("SKELETAL SURVEY INFANT/CHILD") of a patient the
    report says is two years old or more (its first age stated: "3 yo NAT evaluation"): the complete survey
    (77075), not the infant code."""
    if f.site != "bone_survey" or not f.quals & {"infant", "pediatric"} or not may_match(_AGE_RX, p.low):
        return
    m = _AGE_RX.search(p.text)
    if m is None:
        return
    unit = (m.group("u") or "y").lower()
    if unit.startswith("y") and int(m.group("n")) >= _CHILD_MIN_YEARS \
            or unit.startswith("mo") and int(m.group("n")) >= 12 * _CHILD_MIN_YEARS:
        f.quals -= {"infant", "pediatric"}


# the long bones of both limbs and the axial skeleton a survey's view list names ("AP both humeri and AP both
# femora", "lateral skull, AP and lateral spine"), and a sentence that says they were not imaged
_SURVEY_HUMERUS_RX = re.compile(r"\bhumer(?:us|i|uses)\b", re.IGNORECASE)
_SURVEY_FEMUR_RX = re.compile(r"\bfem(?:ur|urs|ora)\b", re.IGNORECASE)
_SURVEY_AXIAL_RX = re.compile(r"\b(?:skull|calvari\w*|spines?)\b", re.IGNORECASE)
_SURVEY_NOT_IMAGED_RX = re.compile(r"\b(?:not|no|without|omitted|deferred)\b", re.IGNORECASE)


def _survey_of_whole_skeleton(f: Frame, p: Pools) -> None:
    """An osseous survey read as limited from its purpose alone ("METASTATIC BONE SURVEY": CPT's example
    of a limited survey) whose report lists views of the axial skeleton and of the long bones of both
    limbs ("lateral skull, AP/lateral C, T and L spine, AP pelvis, both humeri and femora") is the complete
    survey of the axial and appendicular skeleton (77075). A title or technique that says "limited" keeps it."""
    if f.site != "bone_survey" or "limited" not in f.quals or f.quals & {"infant", "pediatric"}:
        return
    if any("limit" in m.text.lower() for m in f.evidence.get("qual", [])) \
            or not may_match(_SURVEY_HUMERUS_RX, p.low) or not may_match(_SURVEY_FEMUR_RX, p.low):
        return
    found = {"humerus": False, "femur": False, "axial": False}
    for sec in p.sections:
        if sec.name not in ("technique", "views", "subtitle", "body"):
            continue  # (the view list, not the findings: "lesions in the skull, left humerus and right femur")
        for sm in _SENTENCE_RX.finditer(p.text, sec.start, sec.end):
            t = sm.group()
            if "limit" in t.lower():
                return  # "Limited survey at the request of the oncologist: ..."
            if _SURVEY_NOT_IMAGED_RX.search(t):
                continue
            found["humerus"] = found["humerus"] or _SURVEY_HUMERUS_RX.search(t) is not None
            found["femur"] = found["femur"] or _SURVEY_FEMUR_RX.search(t) is not None
            found["axial"] = found["axial"] or _SURVEY_AXIAL_RX.search(t) is not None
    if all(found.values()):
        f.quals.discard("limited")
        f.quals.add("complete")


def _infant_patient(f: Frame, p: Pools) -> None:
    """A radiograph of a patient the report says is under one year old is an infant study: the
    reference table's infant extremity regions apply (region_rules.tsv, qualifier ``infant``). So
    is an ultrasound of the hips ("US HIPS BILATERAL" for a 6-week-old with a click: the infant hip
    study, 76885/76886), not of another joint (an infant's shoulder is a joint study)."""
    if not (f.modality == "XR" or f.modality == "US" and f.site == "hip") or "infant" in f.quals \
            or p.low is not None and "newborn" not in p.low and "neonat" not in p.low and not _AGE_COUNT_RX.search(p.low):
        return
    for m in _INFANT_AGE_RX.finditer(p.text):
        if m.group("word") or int(m.group("n")) < _INFANT_LIMIT[m.group("unit").lower()]:
            f.quals.add("infant")
            f.add("qual", [Mention("qual", "infant", m.start(), m.end(), "body", m.group(0), 0, -1)], "findings")
            return


# components an addendum may document as also performed at the visit (each adds or changes a code)
ADDENDUM_COMPONENTS = frozenset({"tomosynthesis", "vertebral_fracture_assessment", "3d_rendering", "3d_workstation"})


def _apply_addendum_qualifiers(f: Frame, p: Pools) -> None:
    """A component an addendum documents as performed at the same visit ("tomosynthesis images
    were also acquired", "a lateral vertebral fracture assessment was acquired during the same
    visit") is part of the billed study (CODING_RULES §6: bill what was performed and documented)."""
    ms = [m for m in p.for_frame([m for m in p.addendum if m.key == "qual"], f, p.addendum, p.multi)
          if m.status == "performed" and m.value in ADDENDUM_COMPONENTS and m.value not in f.quals]
    if not ms:
        return
    f.conflicts.append(Conflict("qualifier", "not stated", "/".join(sorted({m.value for m in ms})),
                                f.evidence.get("qual", []), ms))
    f.quals |= {m.value for m in ms}
    f.add("qual", ms, "addendum")


def _apply_addendum_views(f: Frame, addendum: list[Mention], for_frame: ForFrame) -> None:
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


_PAREN_EXAM_SPAN = 40  # a site this close after a modality inside the same parentheses restates the exam

# a word that names the non-contrast series itself: negated, that series was not acquired
# ("no precontrast TOF acquired": a time-of-flight MRA is the non-contrast series)
# (a series named by its time: "the abdomen was not imaged before contrast", "no images prior to the contrast")
_PLAIN_SERIES_WORD = re.compile(r"(?:(?:pre|non|un)[- ]?(?:contrast|enhanced)|tof|time[- ]of[- ]flight|"
                                r"(?:before|prior[- ]to)\b)", re.IGNORECASE)


# contrast given by a route that makes no study "with contrast" (CODING_RULES §2: oral or rectal alone, and
# contrast instilled into the bladder for a CT cystogram, are not intravascular)
_NON_VASCULAR_ROUTES = frozenset({"oral", "rectal", "intravesical"})


def _cue_of_negation(m: Mention, mentions: list[Mention]) -> bool:
    """A bare "without" that negates the contrast word right after it ("MRA after 10 mL gadoterate without
    noncontrast TOF"): the cue of that word, no contrast value of its own."""
    return m.value == "without" and m.status == "performed" and m.text.lower() in _BARE_WITHOUT and any(
        x.status == "negated" and x.neg_forward and x.key == "contrast" and x.doc_id == m.doc_id
        and 0 < x.start - m.end <= 2 for x in mentions)


_BARE_WITHOUT = frozenset({"without", "w/o", "wo"})


def contrast_value(mentions: list[Mention]) -> str | None:
    vals, oral, no_post = set(), False, False
    # a sentence that says the plain series was not acquired ("No precontrast imaging performed as a head CT
    # without contrast was done this morning"): another "without" its negation covers is another study's
    no_plain = {(m.doc_id, m.sent) for m in mentions if m.status == "negated" and m.value == "without"
                and _PLAIN_SERIES_WORD.match(m.text)}
    for m in mentions:
        if m.status == "historical" or _cue_of_negation(m, mentions):
            continue
        v = m.value
        if v in _NON_VASCULAR_ROUTES:
            oral = oral or m.status == "performed"
            continue
        if m.status == "negated":
            if v == "with":
                vals.add("without")
                no_post = no_post or _POST_SERIES_WORD.match(m.text) is not None
            elif m.neg_forward and not (v == "without" and (_PLAIN_SERIES_WORD.match(m.text)
                                                            or (m.doc_id, m.sent) in no_plain)):
                vals.add(v)  # "NO JNT W/WO CONTRAST": the cue is about something else
            continue  # ("no precontrast series", "no unenhanced images": that series was not done)
        vals.add(v)
    if no_post and "without" in vals and "without_then_with" not in vals:
        # "no post-contrast images were obtained" (an injection stopped for a reaction): the contrast named
        # elsewhere made no series, the non-contrast one is the study (CODING_RULES §2, §6)
        vals.discard("with")
    if "without_then_with" in vals or {"with", "without"} <= vals:
        return "without_then_with"
    if "with" in vals:
        return "with"
    if "without" in vals or oral:
        return "without"
    return None


# the contrast series itself named: negated, no contrast series was acquired ("no post-contrast images")
_POST_SERIES_WORD = re.compile(r"post[- ]?(?:contrast|gad\w*|injection)\b", re.IGNORECASE)


def views_value(mentions: list[Mention], text: str | None = None, series: int = 0, *,
                pelvis_view: bool = False, paired_oblique: bool = False) -> int | None:
    """The number of views the mentions document (CODING_RULES §4).

    A stated count wins ("3 views"), plus projections joined to it ("2V W AP LORDOTIC": 3).
    Otherwise each distinct projection counts once, or as often as its term says ("bilateral
    obliques": 2, "right lateral" and "left lateral": 2); a projection the text withdraws ("the
    oblique view was not obtained") does not count. A patient position is a view of its own
    ("supine and upright abdomen", "supine and decubitus views") unless it describes a projection
    it stands next to ("upright PA", "supine portable AP"). ``series``: the views of the routine
    series of an exam title, to which projections joined by "with" are added ("T-SPINE
    W/SWIMMERS": 2 + 1); 0 when the mentions are not a title. ``pelvis_view``: the views of a hip
    series, whose pelvis view counts beside the hip's own view of the same projection ("AP pelvis,
    AP left hip": 2; CODING_RULES §4, the hip codes include the pelvis view). ``paired_oblique``: the
    title of a spine series, whose oblique named once is the right and the left one ("L-SPINE W/OBL",
    "C SPINE AP LAT AND OBL": 4)."""
    live = [m for m in mentions if m.status != "historical"]
    proj_at = {(m.doc_id, m.start, m.end) for m in live if m.key == "proj"}
    # a "views=N" attribute of a projection term is that projection's weight, not a count
    weight = {(m.doc_id, m.start, m.end): int(m.value) for m in live
              if m.key == "views" and (m.doc_id, m.start, m.end) in proj_at}
    counts = [m for m in live if m.key == "views" and (m.doc_id, m.start, m.end) not in proj_at]
    projs = [m for m in live if m.key == "proj" and m.status != "negated" and m.value not in _NOT_A_VIEW]
    if text is not None:
        _times_weight(projs, counts, weight, text)
    named = [m for m in projs if not m.value.startswith("pos_")]
    if counts:
        nums = [int(m.value) for m in counts]
        if len(nums) == 1:
            return nums[0] + len(_joined_projections(counts[0], named, text) | _listed_before(counts[0], named, text))
        return max(nums)
    only = {(n.doc_id, n.sent) for n in named if text is not None and _said_only(n, text)}
    positions = [m for m in projs if m.value.startswith("pos_") and not _describes(m, named, text)
                 and not (text is not None and _position_of_named(m, named, text))
                 and (m.doc_id, m.sent) not in only]
    base = series if series and _added_views(projs, text) else 0
    if text is not None:
        named = _without_oblique_of_named(named, text)
    tally: dict[str, int] = {}
    for m in named + positions:
        # "AP pelvis, AP left hip": the pelvis view of a hip series is a view of its own
        key = m.value + "|pelvis" if pelvis_view and text is not None and _PELVIS_AFTER.match(text, m.end) else m.value
        if text is not None and _view_taken_again(m, text):
            key = f"{m.value}|again{m.start}"  # "PA and lateral, with an additional PA view with nipple markers"
        tally[key] = max(tally.get(key, 0), weight.get((m.doc_id, m.start, m.end), 1))
    if len(_SIDED_OBLIQUES & tally.keys()) == 1:
        # "AP, lateral and right oblique": one oblique; only a right and a left oblique ("right oblique, left
        # oblique") are two views
        sided = next(iter(_SIDED_OBLIQUES & tally.keys()))
        tally["oblique"] = max(tally.get("oblique", 0), tally.pop(sided))
    elif paired_oblique and tally.get("oblique") == 1:
        tally["oblique"] = 2
    if "frontal" in tally and {"pa", "ap"} & tally.keys():
        del tally["frontal"]  # "frontal (PA)": the generic name of the same projection
    if tally.get("decubitus") == 1 and {"left_decubitus", "right_decubitus"} & tally.keys():
        del tally["decubitus"]  # "left lateral decubitus views ... on the decubitus view": the sided one, named again
    if {"lateral", "cross_table_lateral"} <= tally.keys() and not (
            {(m.doc_id, m.sent) for m in named if m.value == "lateral"}
            & {(m.doc_id, m.sent) for m in named if m.value == "cross_table_lateral"}):
        # "AP and lateral views. ... on the cross-table lateral view": the lateral, named again
        del tally["cross_table_lateral"]
    return base + sum(tally.values()) or None


_SIDED_OBLIQUES = frozenset({"right_oblique", "left_oblique"})
# the oblique projections known by a name of their own ("Norgaard (ball-catcher) oblique": one view)
_NAMED_OBLIQUES = frozenset({"norgaard"})
_PAREN_CLOSE_BETWEEN = re.compile(r"[ \t]*\)[ \t]*")


def _without_oblique_of_named(named: list[Mention], text: str) -> list[Mention]:
    """An "oblique" right after a parenthesis closing a named oblique projection ("Norgaard (ball-catcher)
    oblique") is that projection's own word, not a second view."""
    ends = {m.end for m in named if m.value in _NAMED_OBLIQUES}
    if not ends:
        return named
    return [m for m in named if not (m.value == "oblique" and any(
        e <= m.start and e >= m.start - 8 and _PAREN_CLOSE_BETWEEN.fullmatch(text, e, m.start) for e in ends))]
# an oblique projection taken a number of times ("OBLIQUE X2", "oblique x 2 views": the internal and external,
# or the two sides' obliques); a repeat of another projection is the same view again
# a lateral named for each side ("bilateral lateral views", "both laterals", "right and left lateral views"), not
# a side of the anatomy ("both lateral menisci", "bilateral lateral recess narrowing": no view word follows)
_PAIRED_BEFORE = re.compile(r"\b(?:bilateral|both|right\s+and\s+left|left\s+and\s+right)\s+$", re.IGNORECASE)
_TIMES_AFTER = re.compile(r"[ \t]{0,2}(?:views?[ \t]{1,2})?[x\u00d7][ \t]?([2-4])\b", re.IGNORECASE)


def _times_weight(projs: list[Mention], counts: list[Mention], weight: dict[tuple[int, int, int], int],
                  text: str) -> None:
    """Weigh each oblique followed by a multiplier ("OBLIQUE X2") by it, and drop a count that is that
    multiplier ("obliques x 2 views": the "2 views" are the obliques, not the total)."""
    for m in projs:
        if m.value == "lateral" and _PAIRED_BEFORE.search(text, max(0, m.start - 16), m.start) \
                and (m.text.lower().endswith("s") or _VIEW_WORD_AFTER.match(text, m.end)):
            weight[(m.doc_id, m.start, m.end)] = 2  # "AP, Towne, and bilateral lateral views": two laterals
            continue
        if m.value != "oblique" or not (x := _TIMES_AFTER.match(text, m.end)):
            continue
        weight[(m.doc_id, m.start, m.end)] = int(x[1])
        counts[:] = [c for c in counts if not (c.doc_id == m.doc_id and m.end <= c.start <= x.end())]
# a projection said to be taken once more besides the series ("an additional PA view with nipple markers",
# "a second lateral view", "another oblique projection"): a view of its own even if the series names it
_AGAIN_BEFORE = re.compile(r"\b(?:an?\s+)?(?:additional|second|another|extra|further)\s+(?:(?:portable|frontal|coned?"
                           r"(?:[\s-]down)?|spot)\s+)?$", re.IGNORECASE)


def _view_taken_again(m: Mention, text: str) -> bool:
    if not _AGAIN_BEFORE.search(text, max(0, m.start - 30), m.start):
        return False
    return not _VIEW_NOT_TAKEN.search(text, *sentence_bounds(text, m.start))


# a projection of the pelvis named beside the same projection of a hip ("AP pelvis, AP left hip")
_PELVIS_AFTER = re.compile(r"[ \t]+(?:(?:view|image|radiograph)s?[ \t]+)?(?:of[ \t]+)?(?:the[ \t]+)?pelvis\b", re.I)
# projection terms that are not a view of their own ("in the upright position")
_NOT_A_VIEW = frozenset({"pos_note"})
# the patient's position said of a film whose projection is named ("AP portable radiograph, patient supine",
# "obtained with the patient semi-upright"): how it was taken, not a view of its own
_PATIENT_POSITION = re.compile(r"\bpatient(?:'s)?\s+(?:(?:was|is|being|lying|positioned|sitting|in\s+(?:the\s+)?|"
                               r"(?:semi|partially|fully)[\s-]?)\s*){0,3}$", re.IGNORECASE)
# what ends the clause of a named projection before such a position ("PA and lateral views; additional view with
# the patient supine", "AP view with the patient supine and an additional view with the patient upright")
_CLAUSE_BREAK = re.compile(r"[;.\n]|\band\s+(?:an?|the)\b|\b(?:additional|another|second|extra|further|then)\b",
                           re.IGNORECASE)
_CLAUSE_REACH = 80  # the farthest a position said of a projection stands from it


# the verb that took the films named before it, then their position ("PA and lateral obtained upright", "views
# were taken erect"): how they were taken; a second position after it ("obtained supine and upright") is a film
_TAKEN_IN_POSITION = re.compile(r"\b(?:obtained|taken|acquired|performed|done)[ \t]+(?:in[ \t]+(?:the[ \t]+)?)?$",
                                re.IGNORECASE)


def _position_of_named(m: Mention, named: list[Mention], text: str) -> bool:
    """A "patient <position>" said in the clause of a named projection ("AP portable radiograph, patient
    supine", "PA and lateral obtained upright"): how that film was taken, not a view of its own."""
    if not named or not (_PATIENT_POSITION.search(text, max(0, m.start - 40), m.start)
                         or _TAKEN_IN_POSITION.search(text, max(0, m.start - 20), m.start)):
        return False
    for n in named:
        a, b = (n.end, m.start) if n.end <= m.start else (m.end, n.start)
        if n.doc_id == m.doc_id and 0 <= b - a <= _CLAUSE_REACH and not _CLAUSE_BREAK.search(text, a, b):
            return True
    return False
# what may stand between a position and the projection it describes ("supine portable AP")
_POSITION_GAP = re.compile(r"[\s\-/]*(?:(?:portable|bedside|mobile|semi|single|frontal)[\s\-/]*)*", re.I)
# what joins extra projections to a stated count ("2V W AP LORDOTIC", "3 views plus sunrise")
_COUNT_JOIN = re.compile(r"\s*(?:w/|\+|(?:w|with|plus|and|&)\s)\s*(?:(?:an?|the)\s+)?", re.I)
# what adds projections to a series named without a count ("SPINE THORACIC W/SWIMMER") ...
_ADDED_VIEW = re.compile(r"(?:\bw/|\bw\s|\bwith\s|\+|\bplus\s)\s*$", re.I)
# ... and what may follow them on the line (not an anatomy word: "RIBS W/ PA CHEST" is a chest view)
_ADDED_TAIL = re.compile(r"(?:[\s.,;:()/&+-]|\b(?:and|or|views?|vws?|v|projections?|only|pro\s+fee|pc)\b)*", re.I)
# sites left to their projections: the abdomen's routine film is one view, and its positions are
# named as alternatives ("ABD W/DECUB OR ERECT"); elsewhere the routine series is frontal and lateral
_NO_ROUTINE_SERIES = frozenset({"abdomen"})
# spine segments whose oblique views are taken on both sides: a title naming "the oblique" once means the pair
_PAIRED_OBLIQUE_SITES = frozenset({"cervical_spine", "thoracic_spine", "lumbar_spine"})


def _added_views(projs: list[Mention], text: str | None) -> bool:
    """Are the projections of a title joined to its exam by "with" and all that ends the line?"""
    if not projs or text is None:
        return False
    names = {m.value for m in projs}
    if names & {"pa", "ap", "frontal"} and names & {"lateral", "cross_table_lateral"}:
        return False  # "Chest radiograph with PA, lateral and apical lordotic views": the series spelt out
    first, last = min(projs, key=lambda m: m.start), max(projs, key=lambda m: m.end)
    if not _ADDED_VIEW.search(text, max(0, first.start - 8), first.start):
        return False
    end = text.find("\n", last.end)
    return _ADDED_TAIL.fullmatch(text, last.end, len(text) if end == -1 else end) is not None


def _describes(pos: Mention, named: list[Mention], text: str | None) -> bool:
    """Does the position stand next to a named projection of the same sentence?"""
    for n in named:
        if n.doc_id != pos.doc_id or n.sent != pos.sent:
            continue
        if text is None:
            if abs(n.token - pos.token) <= 1:
                return True
            continue
        a, b = (pos.end, n.start) if pos.end <= n.start else (n.end, pos.start)
        if 0 <= b - a <= 40 and _POSITION_GAP.fullmatch(text[a:b]):
            return True
    return False


def _joined_projections(count: Mention, named: list[Mention], text: str | None) -> set[str]:
    """Projections joined to a stated count by "with" / "plus" right after it."""
    if text is None:
        return set()
    out: set[str] = set()
    end = count.end
    for n in sorted(named, key=lambda m: m.start):
        if n.doc_id != count.doc_id or n.start < end:
            continue
        gap = text[end:n.start]
        if not (_COUNT_JOIN.fullmatch(gap) or (out and re.fullmatch(r"\s*(?:,|and|&)\s*", gap))):
            break
        out.add(n.value)
        end = n.end
    return out


# the projection a count is written on ("two oblique views", "2 lateral views")
_COUNTED_PROJECTION = re.compile(r"\b(?:oblique|lateral|ap|pa|frontal)\b", re.IGNORECASE)
# what joins a listed projection to the next one ("AP, lateral, open mouth, and")
_LIST_JOIN = re.compile(r"\s*(?:,|and|&|/|\+)(?:\s*(?:,|and|&))*\s*", re.IGNORECASE)
# ... or the chest film listed before a count of rib views ("PA chest and two oblique views of the right ribs")
_CHEST_LIST_JOIN = re.compile(r"\s+(?:(?:view|film|radiograph)\s+of\s+(?:the\s+)?)?chest" + _LIST_JOIN.pattern,
                              re.IGNORECASE)
_SAME_PROJECTION = {"oblique": ("oblique", "right_oblique", "left_oblique", "internal_oblique", "external_oblique"),
                    "frontal": ("frontal", "ap", "pa")}


def _listed_before(count: Mention, named: list[Mention], text: str | None) -> set[str]:
    """The other projections of a list a count of one projection closes ("AP, lateral, open mouth, and two
    oblique views": the two views are the obliques, the three before them views of their own)."""
    word = _COUNTED_PROJECTION.search(count.text)
    if word is None or text is None:
        return set()
    same = _SAME_PROJECTION.get(word[0].lower(), (word[0].lower(),))
    out: set[str] = set()
    end = count.start
    for n in sorted((m for m in named if m.doc_id == count.doc_id and m.end <= end), key=lambda m: -m.start):
        if n.value in same or not (_LIST_JOIN.fullmatch(text, n.end, end) or _CHEST_LIST_JOIN.fullmatch(text, n.end, end)):
            break
        out.add(n.value)
        end = n.start
    return out


def _side(mentions: list[Mention]) -> str | None:
    # "the right neck could not be scanned": a side not examined is not a side of the study
    vals = {m.value for m in mentions if m.status == "performed"} - {"unilateral"}
    if not vals:
        return None
    if "bilateral" in vals or {"left", "right"} <= vals:
        return "bilateral"
    return vals.pop()


def _for_frame(ms: list[Mention], f: Frame, pool: list[Mention], multi: bool,
               frame_sites: frozenset = frozenset(), index: dict | None = None,
               lex: Lexicon | None = None) -> list[Mention]:
    """Mentions that describe this frame. In a multi-exam report: those in a sentence that names
    the frame's anatomy, or that names no anatomy of any exam in the report."""
    if not multi:
        return ms
    if index is None:
        index = _SentenceIndex()(pool)
    mine = {f.site, *site_parts(f.site, lex)}
    out = []
    for m in ms:
        sites, mods = index.get((m.doc_id, m.sent), _NO_SENTENCE)
        if mods and not mods & _KIN.get(f.modality, {f.modality}):
            continue  # "V/Q: anterior, posterior and oblique views" is not the chest radiograph
        if f.modality in _TWIN and _TWIN[f.modality] in mods and _twin_clause(m, f.modality, pool):
            continue
        if sites & mine or not sites & frame_sites:
            out.append(m)
    return out


# the plain and angiographic study of one modality, named in one sentence of a multi-exam report
_TWIN = {"CT": "CTA", "CTA": "CT", "MR": "MRA", "MRA": "MR"}


def _twin_clause(m: Mention, modality: str, pool: list[Mention]) -> bool:
    """Whether ``m`` follows the twin study's modality word in its sentence ("Noncontrast CT of
    the head, followed by CT angiography ... after 70 mL Omnipaque 350": the agent is the CTA's)."""
    before = [p for p in pool if p.key == "modality" and p.doc_id == m.doc_id and p.sent == m.sent
              and p.start < m.start]
    return bool(before) and max(before, key=lambda p: p.start).value == _TWIN[modality]


def _names_frame(m: Mention, f: Frame, pool: list[Mention], index: dict | None = None,
                 lex: Lexicon | None = None) -> bool:
    if index is None:
        index = _SentenceIndex()(pool)
    sites = index.get((m.doc_id, m.sent), _NO_SENTENCE)[0]
    # ... or a site made of the frame's ("abdomen and pelvis" names the abdomen frame of a split title)
    return bool(sites & {f.site, *site_parts(f.site, lex)}) or any(f.site in site_parts(s, lex) for s in sites)


# what a negated contrast word may be about instead of the study ("no contrast reaction")
_NOT_ABOUT_THE_STUDY = re.compile(r"\s*(?:reactions?|allerg|extravasation|nephropathy|leak|complications?)",
                                  re.IGNORECASE)
# ... and one the reaction names before it ("no immediate adverse reaction to contrast", "no allergy to
# iodinated contrast", "no extravasation of contrast")
_REACTION_BEFORE = re.compile(r"\b(?:reactions?|allerg(?:y|ies|ic)|extravasation|intolerance|sensitivity)\s+"
                              r"(?:to|of|from)\s+(?:the\s+)?(?:iv\s+|intravenous\s+|iodinated\s+)?$", re.IGNORECASE)
# ("the patient's arm IV infiltrated", "through a new IV", "the IV had to be replaced")
_THE_LINE = re.compile(r"\b(?:the|an|his|her|their|peripheral|new|arm|hand|forearm|antecubital|existing)\s+$",
                       re.IGNORECASE)
_LINE_WORD = re.compile(r"\s+(?:access|line|catheter|cannula|site|placement|infiltrat\w*|failed|had\s+to|"
                        r"was\s+(?:lost|removed|replaced|infiltrated))\b", re.IGNORECASE)
# a drug's dose right before a route word: contrast is dosed in mL (or mmol), a drug in mg, mcg or units
_DRUG_DOSE = re.compile(r"\b\d+(?:\.\d+)?\s*(?:mg|mcg|ug|µg|micrograms?|milligrams?|units?)\s+$", re.IGNORECASE)
_IV_WORD = re.compile(r"\b(?:iv|intra[- ]?venous(?:ly)?|intravascular|intra-?arterial|bolus)\b", re.IGNORECASE)


# a template's conditional sentence about contrast: it says how contrast is given when it is, not
# that it was ("Contrast agent (where given) by hand injection via 22 gauge IV", "Where contrast is
# described above, it was administered by power injector", "If contrast was used, ...")
_CONDITIONAL_CONTRAST_RX = re.compile(
    r"\b(?:where|if|when|whenever)\s+(?:(?:iv\s+|intravenous\s+)?(?:contrast|gadolinium)(?:\s+agent)?\s+"
    r"(?:is|was|has\s+been|were)\s+)?(?:given|administered|used|applicable|described)\b", re.IGNORECASE)


# the localizer a noncontrast word names ("noncontrast localizer", "non-contrast scout images", "unenhanced
# topogram"): planning images, not a noncontrast series (CODING_RULES §2: without-then-with needs a series)
_SCOUT_AFTER = re.compile(r"[ \t]+(?:[a-z-]+[ \t]+)?(?:localizers?|scouts?|topograms?|scanograms?|surviews?)\b", re.IGNORECASE)


# contrast an earlier study or procedure left in the images ("retained angiographic contrast in the cisterns",
# "residual contrast in the colon", "angiographic contrast absent"): a finding, not contrast given for this one
_LEFT_BEFORE = re.compile(r"\b(?:retained|residual)[ \t]+(?:[\w-]+[ \t]+)?$", re.IGNORECASE)
_LEFT_AFTER = re.compile(r"[ \t]+(?:(?:is|was|are|were)[ \t]+)?(?:absent|retained|staining)\b", re.IGNORECASE)
_ANGIOGRAPHIC_CONTRAST = re.compile(r"[ \t]+contrast\b", re.IGNORECASE)


def _contrast_left(text: str, start: int, end: int) -> bool:
    """Is the contrast word at ``start``-``end`` contrast left in the images (:data:`_LEFT_BEFORE`)?"""
    return bool(_LEFT_BEFORE.search(text, max(0, start - 40), start) or _LEFT_AFTER.match(text, end))


def _angiogram_contrast_left(m: Mention, text: str) -> bool:
    """Is an "angiographic" qualifier the word of contrast an earlier angiogram left in the images
    ("Angiographic contrast absent", "retained angiographic contrast"): no angiographic study of its own?"""
    if m.key != "qual" or m.value != "angio" or not m.text.lower().startswith("angiographic"):
        return False
    after = _ANGIOGRAPHIC_CONTRAST.match(text, m.end)
    return after is not None and (_contrast_left(text, after.end() - len("contrast"), after.end())
                                  or bool(_LEFT_BEFORE.search(text, max(0, m.start - 40), m.start)))


def _read_routes(ms: list[Mention], text: str) -> list[Mention]:
    """Contrast mentions as the sentence means them: an agent given by mouth or rectum in a
    sentence that names no intravenous route is oral ("after oral administration of 900 mL dilute
    Omnipaque"); a negated contrast word about a reaction or allergy says nothing of the study
    ("no immediate contrast reaction was observed"); a template's conditional sentence
    (:data:`_CONDITIONAL_CONTRAST_RX`) documents no contrast."""
    ms = [m for m in ms if not _CONDITIONAL_CONTRAST_RX.search(text, *sentence_bounds(text, m.start))]
    oral_sents = {(m.doc_id, m.sent) for m in ms if m.value in _NON_VASCULAR_ROUTES and m.status == "performed"}
    iv_sents = {(m.doc_id, m.sent) for m in ms if m.status == "performed" and _IV_WORD.search(m.text)}
    out = []
    for m in ms:
        if m.status == "negated" and m.value in ("with", "without") and (
                _NOT_ABOUT_THE_STUDY.match(text, m.end) or _REACTION_BEFORE.search(text, max(0, m.start - 40), m.start)):
            continue
        if m.value == "without" and _SCOUT_AFTER.match(text, m.end):
            continue  # "an initial noncontrast localizer only (scout)": the planning image, no plain series
        if m.value == "with" and _contrast_left(text, m.start, m.end):
            continue  # "Retained angiographic contrast in the cisterns": a finding, no contrast given
        if m.text.lower() in ("iv", "intravenous") and (_THE_LINE.search(text, max(0, m.start - 12), m.start)
                                                        or _LINE_WORD.match(text, m.end)):
            continue  # "removed the IV after the precontrast series": the line, not contrast
        if m.text.lower() in ("iv", "intravenous", "intravenously") and _DRUG_DOSE.search(
                text, max(0, m.start - 16), m.start):
            continue  # "Buscopan 20 mg IV for peristalsis": a drug's route, not contrast
        key = (m.doc_id, m.sent)
        if m.value == "with" and m.status == "performed" and key in oral_sents and key not in iv_sents:
            m = replace(m, value="oral")
        out.append(m)
    return out


def _contrast_matters(f: Frame) -> bool:
    return f.modality in ("CT", "MR", "MRA")


def _contrast_section_value(text: str, sec: Section) -> str | None:
    body = text[sec.start:sec.end].strip()
    if _NONE_RX.match(body):
        return "without"
    if _VOLUME_RX.search(body):
        return "with"
    return None



# a side label that opens the views of that side ("RIGHT: AP, mortise and lateral", "Left knee: AP and
# lateral - s/p TKA"); its views list runs to the next colon, dash, sentence end or line end
_SIDE_LABEL_RX = re.compile(r"(?:^|(?<=[.;\n]))[ \t]*(?:(?P<r>right|rt)|(?P<l>left|lt))(?:[ \t]{1,3}[a-z]{2,12})?[ \t]*:",
                            re.IGNORECASE | re.MULTILINE)
_SIDE_LIST_END_RX = re.compile(r"[.;:\n]|[ \t]-[ \t]")
_PER_SIDE_SECTIONS = frozenset({"technique", "views", "body", "findings", "subtitle"})
_SENTENCE_SPAN_RX = re.compile(r"[^.;!?\n]+")


# a side's statement about a past study, not views taken at this visit ("Left: compared with the prior of 2019");
# views of the other side taken "for comparison" at this visit are that side's own exam (CODING_RULES §4, §1)
_PAST_SIDE_STATEMENT_RX = re.compile(r"\b(?:prior|previous\w*|earlier|ago|dated|outside|old|yesterday|last)\b|"
                                     r"\d{1,2}/\d{1,2}/\d{2,4}", re.IGNORECASE)


def _side_statements(ex: Extraction) -> list[tuple[str, int, int]]:
    """The spans of a report that state one side's views: after a side label ("RIGHT: AP, mortise and
    lateral"), or a sentence listing views of one side ("AP and lateral views of the right knee."), none
    for comparison."""
    text = ex.clean or ex.text
    out = []
    for sec in ex.sections:
        if sec.name not in _PER_SIDE_SECTIONS:
            continue
        for m in _SIDE_LABEL_RX.finditer(text, sec.start, sec.end):
            end = _SIDE_LIST_END_RX.search(text, m.end(), sec.end)
            out.append(("right" if m["r"] else "left", m.end(), end.start() if end else sec.end))
        labelled = {a for _, a, _ in out}
        for x in _SENTENCE_SPAN_RX.finditer(text, sec.start, sec.end):
            a, b = x.span()
            sides = {"right" if w["r"] else "left" for w in _SIDE_WORD_RX.finditer(text, a, b) if not w["b"]}
            if len(sides) == 1 and not any(a <= y < b for y in labelled):
                out.append((next(iter(sides)), a, b))
    return [(s, a, b) for s, a, b in out if not _PAST_SIDE_STATEMENT_RX.search(text, a, b)]


def _states_side_views(ms: list[Mention], text: str, start: int) -> bool:
    """Whether a side's statement lists its views: two projections or more, a count ("Single AP view"), or
    one projection opening it ("Left: AP only for comparison")."""
    projs = [m for m in ms if m.key == "proj" and m.status != "negated"]
    if len(projs) >= 2 or any(m.key == "views" and m.status != "negated" for m in ms):
        return True
    return bool(projs) and not text[start:projs[0].start].strip(" \t:")


def per_side_views(ex: Extraction, frames: list[Frame], lex: Lexicon) -> list[Frame]:
    """A radiograph of both sides of a sided site whose report states different views for each side
    ("RIGHT: AP, mortise and lateral. LEFT: AP and lateral only") is one exam per side, each coded by
    its own views (CODING_RULES §4 documented views, §1 RT and LT lines; not one line with 50); a title
    count that differs is flagged. A report of one exam only; each side's views stated once."""
    xr = [f for f in frames if f.modality == "XR"]
    if len(frames) != 1 or len(xr) != 1 or not _has_sides(lex, xr[0].site, "XR") or _one_code_for_both_sides(xr[0], lex):
        return frames
    f = xr[0]
    text = ex.clean or ex.text
    views: dict[str, set[int]] = {"right": set(), "left": set()}
    for side, a, b in _side_statements(ex):
        ms = [m for m in ex.mentions if m.key in ("proj", "views") and a <= m.start < b and m.status != "historical"]
        n = views_value(ms, text) if _states_side_views(ms, text, a) else None
        if n:
            views[side].add(n)
    if any(len(v) != 1 for v in views.values()) or views["right"] == views["left"]:
        return frames
    out = []
    for side in ("right", "left"):
        g = replace(f, side=side, views=next(iter(views[side])), quals=set(f.quals), evidence=dict(f.evidence),
                    sources={**f.sources, "views": "technique", "side": "technique"}, conflicts=list(f.conflicts))
        if f.title_views and (tv := views_value(f.title_views, text)) is not None and tv != g.views:
            g.conflicts.append(Conflict("views", str(tv), str(g.views), f.title_views, []))
        out.append(g)
    return out


# views of one side named beside a study of the other side or of both ("comparison PA views of the LEFT wrist
# (2 views) were obtained"; "standing AP of both knees on one image, and lateral and sunrise views of the left
# knee"): the side and the site word; and what makes the sentence no study taken at this visit
# (the projections may stand for the word "views": "Comparison AP and lateral of the left elbow obtained")
_OTHER_SIDE_VIEWS_RX = re.compile(r"(?:\b(?P<word>views?|films?|radiographs?)[ \t]+)?\bof[ \t]+the[ \t]+"
                                  r"(?P<side>left|right)[ \t]+(?P<site>[a-z]+)\b", re.IGNORECASE)
_OTHER_SIDE_NOT_TAKEN_RX = re.compile(r"\b(?:not|no|prior|previous\w*|earlier|outside|old|last|ago|dated|yesterday|"
                                      r"recommend\w*|if|will|would|should)\b|\d{1,2}/\d{1,2}/\d{2,4}", re.IGNORECASE)


def _names_views_before(m: re.Match, mentions: list[Mention], text: str) -> bool:
    """Whether a match of _OTHER_SIDE_VIEWS_RX follows a word of views or a projection ("lateral of the left ...")."""
    return bool(m["word"]) or any(x.key == "proj" and x.end <= m.start() and not text[x.end:m.start()].strip()
                                  for x in mentions)


def other_side_views(ex: Extraction, frames: list[Frame], lex: Lexicon) -> list[Frame]:
    """A radiograph of one side (or both knees standing on one image, 73565) whose report says views of the other
    side's same site were also taken at this visit, in a sentence of their own or a clause after ", and" ("comparison
    PA and clenched-fist PA views of the LEFT wrist (2 views) were obtained") bills those views as that side's exam,
    coded by their own count (CODING_RULES §4, §1: an RT and an LT line, not one line with 50)."""
    if len(frames) != 1 or frames[0].modality != "XR":
        return frames
    f = frames[0]
    site = "knee" if f.region == "knees_standing" else f.site
    if f.side not in ("right", "left") and f.region != "knees_standing" or not _has_sides(lex, site, "XR"):
        return frames
    text = ex.clean or ex.text
    for sec in ex.sections:
        if sec.name not in ("technique", "findings", "body"):
            continue
        for m in _OTHER_SIDE_VIEWS_RX.finditer(text, sec.start, sec.end):
            side = m["side"].lower()
            a, b = sentence_bounds(text, m.start())
            if side == f.side or not _names_views_before(m, ex.mentions, text) \
                    or not any(x.key == "site" and x.value == site and x.start == m.start("site") for x in ex.mentions) \
                    or not _views_taken_beside(f, sec.name, text, a, b):
                continue
            lo = max(a, text.rfind(", and ", a, m.start()) + 1)
            if f.region == "knees_standing":
                # (the knee's own views after the standing image: "Standing AP of both knees on one image, plus
                # lateral and sunrise views of the right knee")
                lo = max([lo, *(j.end() for j in _ADDED_VIEWS_JOIN_RX.finditer(text, a, m.start()))])
            # (a "comparison" view reads as a past study's: the sentence says these were taken)
            ms = [x if x.status != "historical" else replace(x, status="performed") for x in ex.mentions
                  if x.key in ("proj", "views") and lo <= x.start < b and x.status != "negated"]
            n = views_value(ms, text) if ms else None
            region = lex.region_for(site, "XR")
            if not n or region is None:
                continue
            g = replace(f, site=site, region=region, side=side, views=n, quals=set(f.quals) - {"standing"},
                        evidence=dict(f.evidence), sources={**f.sources, "views": "technique", "side": "technique"},
                        conflicts=[])
            return [f, g]
    return _standing_knees_side_views(ex, f, lex) if f.region == "knees_standing" else frames


# what joins the views of one knee to the standing image of both in one sentence ("..., plus lateral and sunrise
# views of the left knee", "... as well as a lateral of the right knee")
_ADDED_VIEWS_JOIN_RX = re.compile(r",?[ \t]+(?:plus|as[ \t]+well[ \t]+as|along[ \t]+with|in[ \t]+addition[ \t]+to)[ \t]+|"
                                  r",[ \t]+(?:and|with)[ \t]+", re.IGNORECASE)


def _views_taken_beside(f: Frame, section: str, text: str, a: int, b: int) -> bool:
    """Whether the sentence ``text[a:b]`` naming views of the other side says they were taken at this visit: a
    word of films taken ("were obtained"), or, beside both knees standing on one image (73565), a technique
    sentence that lists them with it (a technique states what was done); none that says them past or undone."""
    if _OTHER_SIDE_NOT_TAKEN_RX.search(text, a, b):
        return False
    return bool(_FILMS_TAKEN_RX.search(text, a, b)) or f.region == "knees_standing" and section == "technique"


def _standing_knees_side_views(ex: Extraction, f: Frame, lex: Lexicon) -> list[Frame]:
    """Both knees standing on one image (73565) beside a sentence of one knee's own views ("Standing AP view of
    both knees on a single image. Right knee lateral and sunrise."): that knee's exam, coded by its views
    (CODING_RULES §4: 73565 is its own code; the knee's series is billed beside it, RT or LT)."""
    text = ex.clean or ex.text
    region = lex.region_for("knee", "XR")
    found: dict[str, int] = {}
    for side, a, b in _side_statements(ex):
        ms = [m for m in ex.mentions if a <= m.start < b and m.status != "historical"]
        if not any(m.key == "site" and m.value == "knee" for m in ms) or any(m.key == "qual" for m in ms):
            continue
        vs = [m for m in ms if m.key in ("proj", "views")]
        if sum(m.key == "proj" and m.status != "negated" for m in vs) >= 2 and (n := views_value(vs, text)):
            found.setdefault(side, n)
    if region is None or not found:
        return [f]
    return [f] + [replace(f, site="knee", region=region, side=side, views=n, quals=set(f.quals) - {"standing"},
                          evidence=dict(f.evidence), sources={**f.sources, "views": "technique", "side": "technique"},
                          conflicts=[]) for side, n in found.items()]


# a line that opens the films taken after a reduction ("POST-REDUCTION, 23:35: PA and lateral views", "Post
# reduction, repeat shoulder series (same accession): AP and Y views") or before it ("PRE-REDUCTION, 22:10:")
_POST_REDUCTION_LABEL_RX = re.compile(r"^[ \t]*post[- \t]?(?:closed[ \t]+)?reduction\b[^\n:.]{0,60}:", re.IGNORECASE | re.MULTILINE)
_PRE_REDUCTION_LABEL_RX = re.compile(r"^[ \t]*(?:pre[- \t]?(?:closed[ \t]+)?reduction|initial)\b[^\n:.]{0,60}:",
                                     re.IGNORECASE | re.MULTILINE)
_REPEAT_SERIES_RX = re.compile(r"\brepeat\b", re.IGNORECASE)
_SERIES_END_RX = re.compile(r"[.\n]")  # where a series' label's list of views ends
_NOT_THE_FILMS = frozenset({"exam", "history", "indication", "comparison", "ordered"})


def _series_views(ex: Extraction, text: str, a: int, b: int) -> int | None:
    """The views a span of one series' films documents: its projections, or a count."""
    ms = [m for m in ex.mentions if m.key in ("proj", "views") and a <= m.start < b and m.status == "performed"
          and m.section not in _NOT_THE_FILMS]
    return views_value(ms, text) if ms else None


def reduction_series(ex: Extraction, frames: list[Frame]) -> list[Frame]:
    """A radiograph report of one side's site holding two series, the films before a reduction and those after
    it, each opened by its label ("PRE-REDUCTION, 22:10: PA, lateral and oblique views ... POST-REDUCTION, 23:35:
    PA and lateral views through plaster"; the report's first series then "POST-REDUCTION, repeat shoulder
    series: AP and Y views"): two exams, each coded by its own views (CODING_RULES §4, §6: what was performed).
    Two series whose codes coincide stay one line (the repeat's 76 is the text's to say)."""
    if len(frames) != 1 or frames[0].modality != "XR" or frames[0].side not in ("right", "left"):
        return frames
    f = frames[0]
    text = ex.clean or ex.text
    post = next(_POST_REDUCTION_LABEL_RX.finditer(text), None)
    if post is None:
        return frames
    pre = next((m for m in _PRE_REDUCTION_LABEL_RX.finditer(text, 0, post.start())), None)
    if pre is None and not _REPEAT_SERIES_RX.search(post.group()):
        return frames
    stop = _SERIES_END_RX.search(text, post.end())
    n_post = _series_views(ex, text, post.end(), stop.start() if stop else len(text))
    n_pre = _series_views(ex, text, pre.end() if pre else 0, post.start())
    if not n_pre or not n_post:
        return frames
    return [replace(f, views=n, quals=set(f.quals), evidence=dict(f.evidence), sources={**f.sources, "views": "technique"},
                    conflicts=list(f.conflicts) if n == n_pre else []) for n in (n_pre, n_post)]


# a count or projection of views followed by the site it images ("a single AP view of the abdomen", "2 views of
# the chest"): the joining words; and a sentence that says the views listed were taken
_VIEWS_OF_SITE_GAP = re.compile(r"(?:[ \t]+views?)?[ \t]+(?:of|through)[ \t]+(?:the[ \t]+|both[ \t]+)?", re.IGNORECASE)
_FILMS_TAKEN_RX = re.compile(r"\b(?:obtained|taken|performed|acquired|provided|submitted)\b", re.IGNORECASE)
_FILMS_NOT_TAKEN_RX = re.compile(r"\bnot\b|\bn't\b|\bno\b|\bprior\b|\bprevious\b|\bcompar\w*|\brecommend\w*|\bif\b",
                                 re.IGNORECASE)
_SECOND_FILM_SECTIONS = ("technique", "body", "findings")


def _views_of_site(ms: list[Mention], text: str) -> list[tuple[Mention, Mention]]:
    """The (views, site) pairs of a sentence's mentions where a view count or projection stands right before
    "(view(s)) of (the)" and the site it images ("PA and lateral views of the chest", "a single AP view of the
    abdomen")."""
    sites = [m for m in ms if m.key == "site" and m.status == "performed"]
    out = []
    for v in ms:
        if v.key not in ("views", "proj") or v.status != "performed":
            continue
        s = next((x for x in sites if v.end <= x.start <= v.end + 24 and _VIEWS_OF_SITE_GAP.fullmatch(text, v.end, x.start)),
                 None)
        if s is not None:
            out.append((v, s))
    return out


def documented_second_radiograph(ex: Extraction, frames: list[Frame], lex: Lexicon) -> list[Frame]:
    """A radiograph report titled by one exam whose technique or body lists the views taken of it and of another
    radiograph region in one sentence ("EXAMINATION: CHEST (PA AND LAT)" ... "PA and lateral views of the chest and
    a single AP view of the abdomen were obtained") documents that second exam: its own frame (CODING_RULES §6:
    bill what was performed; §4 then decides whether the two are one series, the acute abdomen series)."""
    if len(frames) != 1 or frames[0].modality != "XR":
        return frames
    f = frames[0]
    here = lex.region_for(f.site, "XR")
    if here is None:
        return frames
    text = ex.clean or ex.text
    mine = {f.site, *site_parts(f.site, lex)}
    ms = [m for m in ex.mentions if m.section in _SECOND_FILM_SECTIONS and m.key in ("views", "proj", "site")]
    by_sentence: dict[tuple[int, int], list[Mention]] = {}
    for m in ms:
        by_sentence.setdefault((m.doc_id, m.sent), []).append(m)
    for sent in by_sentence.values():
        pairs = _views_of_site(sent, text)
        if len(pairs) < 2 or not any(s.value in mine for _, s in pairs):
            continue
        a, b = sentence_bounds(text, sent[0].start)
        if not _FILMS_TAKEN_RX.search(text, a, b) or _FILMS_NOT_TAKEN_RX.search(text, a, b):
            continue
        other = [s for _, s in pairs if s.value not in mine]
        if len({s.value for s in other}) != 1:
            continue
        there = lex.region_for(other[0].value, "XR")
        if there is None or there == here:
            continue
        g = Frame("XR", other[0].value)
        g.add("modality", [replace(other[0], key="modality", value="XR")], "technique")
        g.add("site", [other[0]], "technique")
        return [f, g]
    return frames


# Every pattern of this module's own (not the exported ones, which other modules search through
# suggester.scan's literal prefilters) with a lookahead for the characters its matches start with:
# the same matches, found without trying most positions of the text (scan.first_char_filtered).
for _name, _rx in list(globals().items()):
    if _name.startswith("_") and isinstance(_rx, re.Pattern):
        globals()[_name] = first_char_filtered(_rx)
del _name, _rx
