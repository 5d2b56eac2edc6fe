"""Load and validate the lexicons: the code table, terms, regions, qualifiers, rules, payers.

Every file carries a schema line; every record is checked at load. Errors name the file and
line (``LexiconError: lexicons/terms/anatomy.tsv:42: duplicate term 'knee'``). Loaded data is
immutable (frozen dataclasses, tuples, mapping proxies) and cached per directory.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .resources import lexicon_dir
from .scan import LiteralIndex

ATTR_KEYS = ("modality", "site", "contrast", "side", "qual", "proj", "views", "route")
# XA (catheter angiography) has no code in the table: a title that names it bills nothing by rule
MODALITIES = ("CT", "CTA", "MR", "MRA", "XR", "FL", "US", "DUPLEX", "MG", "DXA", "NM", "PET", "POST", "XA")
CONTRASTS = ("without", "with", "without_then_with", "oral", "rectal", "intravesical")
CODE_CONTRASTS = ("without", "with", "without_then_with", "angio", "any")
SIDES = ("left", "right", "bilateral", "unilateral")
CODE_SIDES = ("unilateral", "bilateral", "either")
ROUTES = ("intra_articular", "intrathecal")
COMPONENTS = ("split", "professional_only", "technical_only", "none")
BILATERAL_POLICIES = ("modifier_50", "rt_lt")
# payer keys a rule's ``when_payer`` condition may test; the values of the open ones
# (diagnostic_tomosynthesis) are the ones rules.jsonl names, bilateral's are fixed
PAYER_POLICY_KEYS = ("bilateral", "diagnostic_tomosynthesis")
VARIANTS_MAX = 8  # variants of a code counted (Lexicon.code_variants)
# what Lexicon.code_variants holds for a code, in order: its variants' count, then whether one differs
# in each attribute alone (the confidence features ``variant_<key>`` read them in this order)
VARIANT_KEYS = ("n", "contrast", "views", "side", "qualifier")


class LexiconError(ValueError):
    """A lexicon file is malformed; the message starts with ``file:line``."""


@dataclass(frozen=True)
class Code:
    code: str
    family: str
    modality: str
    region: str
    contrast: str | None
    views: tuple[int, int] | None  # inclusive range; hi 99 for "N+"
    side: str | None
    qualifier: str | None
    label: str
    components: str

    @property
    def unilateral(self) -> bool:
        return self.side == "unilateral"


@dataclass(frozen=True)
class Term:
    term: str
    attrs: tuple[tuple[str, str], ...]
    source: str  # file:line

    def get(self, key: str) -> list[str]:
        return [v for k, v in self.attrs if k == key]


@dataclass(frozen=True)
class Site:
    name: str
    regions: MappingProxyType  # modality -> region
    default_modality: str | None = None
    bilateral_region: str | None = None
    parts: tuple[str, ...] = ()
    implies: frozenset = frozenset()
    default_for: str | None = None
    generic: int = 0  # 0 specific; higher = broader (dropped when a more specific site is named)
    dominant: int = 0  # priority: a named dominant site absorbs the exam's other sites
    absorbed: frozenset = frozenset()  # qualifiers this site gives when a dominant site absorbs it
    default_requires: frozenset = frozenset()  # default_for applies only when one of these is named
    film: str | None = None  # the radiograph that shows this site when a report reads it without naming one (heart -> chest)
    complete_views: int | None = None  # views of the site's routine complete radiograph series ("HIP COMPLETE": 3)
    extent_modality: str | None = None  # the modality a complete / limited title of the site alone means ("ABDOMEN LIMITED": US)


@dataclass(frozen=True)
class QualifierRule:
    name: str
    alternatives: tuple[frozenset, ...]  # any alternative whose atoms are all present
    default: bool


@dataclass(frozen=True)
class RegionRule:
    modality: str
    from_region: str
    atoms: frozenset
    side: str | None
    to_region: str
    views: int | None = None  # exactly this many views ("views:1")
    views_min: int | None = None  # at least this many ("views:>=3")
    views_max: int | None = None  # at most this many, or no count ("views:<=1": a one-image study)


@dataclass(frozen=True)
class ContextCue:
    cue: str
    kind: str
    direction: str


SENTENCE_CUES = "*"  # elements.tsv rows about sentences, not elements of a region


@dataclass(frozen=True)
class Element:
    region: str
    name: str
    pattern: re.Pattern
    group: str


@dataclass(frozen=True)
class Rule:
    rule: str
    id: str
    data: MappingProxyType
    source: str = ""  # file:line

    def applies_to(self, payer) -> bool:
        """The rule's ``when_payer`` condition holds for ``payer`` (no condition: every payer)."""
        return all(getattr(payer, k, None) == v for k, v in self.data.get("when_payer", {}).items())

    @cached_property
    def named_codes(self) -> frozenset:
        """Every code the rule names (built once: a rule that names none of the codes a report
        bills cannot change its lines, and the mapping skips it)."""
        out: set[str] = set()
        for k in _CODE_KEYS:
            v = self.data.get(k, ())
            out.update(v if isinstance(v, tuple | list) else (v,))
        return frozenset(out)


PROCEDURES_SCHEMA = "procedures/1"
PROCEDURE_OPTIONS = ("uses", "unless")
_CLASS_RX = re.compile(r"[a-z][a-z0-9 /-]*[a-z0-9]")
_SEP_RX = re.compile(r"[\s-]+")


def phrase_key(text: str) -> str:
    """A procedure phrase as matched: lower case, a hyphen or a run of blanks read as one blank."""
    return _SEP_RX.sub(" ", text.lower()).strip()


def whole_words_rx(phrases: Sequence[str]) -> re.Pattern:
    """Any of ``phrases`` (phrase_key form) as whole words of a lower-cased text, a blank matching
    a hyphen or a run of blanks; the alternatives are tried in the given order."""
    body = "|".join(r"[\s-]+".join(re.escape(w) for w in p.split(" ")) for p in phrases)
    return re.compile(rf"(?<![a-z0-9])(?:{body})(?![a-z0-9])")


@dataclass(frozen=True)
class ProcedureClass:
    name: str  # the short label the review reason names ("echocardiography")
    uses: frozenset = frozenset()  # modalities the procedure itself employs
    unless: tuple[str, ...] = ()  # title words that make the line a radiology exam
    source: str = ""  # file:line of the class row (or of its first phrase)


@dataclass(frozen=True)
class Procedures:
    """Procedures outside radiology a title may name (``procedures/1``): phrase -> class."""

    phrases: MappingProxyType  # phrase_key -> class name
    classes: MappingProxyType  # class name -> ProcedureClass
    source: str = ""

    @cached_property
    def regex(self) -> re.Pattern | None:
        """Every phrase as whole words of a lower-cased text, longest first (None: no phrases)."""
        if not self.phrases:
            return None
        return whole_words_rx(sorted(self.phrases, key=lambda p: (-len(p), p)))

    @cached_property
    def unless_regex(self) -> MappingProxyType:
        """Per class, the whole-word search of its ``unless`` words in a lower-cased text."""
        return MappingProxyType({c.name: whole_words_rx(c.unless) for c in self.classes.values() if c.unless})

    def class_of(self, matched: str) -> ProcedureClass:
        return self.classes[self.phrases[phrase_key(matched)]]


NO_PROCEDURES = Procedures(MappingProxyType({}), MappingProxyType({}))

ABBREVIATIONS_SCHEMA = "abbreviations/1"
_ABBREV_RX = re.compile(r"[a-z][a-z0-9]*")
RESPELLINGS_SCHEMA = "respellings/1"
RESPELLING_PLACES = ("any", "end")

ADMIN_FIELDS_SCHEMA = "admin_fields/1"
ADMIN_FIELDS_FILE = "admin_fields.tsv"
# what an administrative field's label does where it is written (admin_fields.tsv): it opens a line the
# noise stage sets aside, it is a labelled field of a banner line above the title, it is a field an
# unformatted export writes without its colon
ADMIN_ROLES = ("noise", "banner", "plain")
_FIELD_LABEL_RX = re.compile(r"[a-z0-9#][a-z0-9./#-]*(?: [a-z0-9./#-]+)*")


@dataclass(frozen=True)
class AdminField:
    field: str  # the label ("mrn", "date of birth")
    roles: frozenset  # of ADMIN_ROLES
    pattern: str  # the regular expression matched (case-insensitive): the label's, or the row's own
    source: str = ""  # file:line


@dataclass(frozen=True)
class AdminFields:
    """The administrative fields of report headers (``admin_fields/1``), in file order."""

    fields: tuple[AdminField, ...]
    source: str = ""

    def alternation(self, role: str) -> str:
        """The patterns of the fields of ``role``, in file order, as the alternatives of a regular
        expression (for a non-capturing group: the stages wrap it in their own context)."""
        memo = self.__dict__.setdefault("_alternation", {})  # immutable: join once
        if role not in memo:
            memo[role] = "|".join(f.pattern for f in self.fields if role in f.roles)
        return memo[role]


def load_admin_fields(path: str | Path) -> AdminFields:
    """Load and validate an administrative field table; errors name ``file:line``."""
    return _load_admin_fields(str(Path(path).resolve()))


def default_admin_fields() -> AdminFields:
    """The packaged table (a lexicon whose manifest names none reads these fields)."""
    return load_admin_fields(lexicon_dir() / ADMIN_FIELDS_FILE)


DISTINCT_POLICIES = ("59", "X")
PHRASES_SCHEMA = "billing_phrases/1"
PHRASE_FILE = "billing_phrases.tsv"
TEXT_MODIFIERS = ("52", "76", "77", "59/XE", "59/XS", "59/XP", "59/XU")
DOCUMENT_KINDS = ("cta_reconstruction", "contrast_agent", "contrast_route")
GUARD_KINDS = ("modifier", "document")
SECTION_NAMES = ("exam", "subtitle", "body", "ordered", "history", "technique", "contrast", "views",
                 "comparison", "allergy", "findings", "impression", "addendum", "dose")
# "*" in the phrase file: every section that describes this study (not history, priors or the order)
DEFAULT_SECTIONS = tuple(s for s in SECTION_NAMES if s not in ("history", "comparison", "allergy", "ordered"))


@dataclass(frozen=True)
class Phrase:
    kind: str  # modifier | guard | document
    value: str
    pattern: re.Pattern
    sections: tuple[str, ...]
    note: str
    source: str  # file:line

    @cached_property
    def anchored(self) -> bool:
        """Patterns tied to a sentence's start or end ("^\\W*repeat") must be tried per sentence."""
        return "^" in self.pattern.pattern.replace("[^", "") or "$" in self.pattern.pattern


@dataclass(frozen=True)
class Phrases:
    """The billing phrase table (``billing_phrases/1``)."""

    phrases: tuple[Phrase, ...]
    source: str

    def of(self, kind: str, value: str | None = None) -> tuple[Phrase, ...]:
        memo = self.__dict__.setdefault("_of", {})  # the table is immutable: select once
        if (kind, value) not in memo:
            memo[kind, value] = tuple(p for p in self.phrases if p.kind == kind and (value is None or p.value == value))
        return memo[kind, value]

    @cached_property
    def index(self) -> LiteralIndex:
        """The words each pattern needs (:mod:`suggester.scan`), found in one pass per report."""
        return LiteralIndex([p.pattern for p in self.phrases])


@dataclass(frozen=True)
class Payer:
    """A payer profile: bilateral reporting, add-on policy, substitutions, distinct-service
    modifier and the billing phrase table the text modifiers come from."""

    name: str
    description: str
    bilateral: str
    diagnostic_tomosynthesis: str
    substitutions: MappingProxyType
    source: str
    distinct_service: str = "59"  # "59", or "X": the X{EPSU} modifier the text points to
    phrases: Phrases | None = None


@dataclass(frozen=True)
class Lexicon:
    version: str
    directory: Path
    codes: MappingProxyType  # code -> Code
    terms: tuple[Term, ...]
    sites: MappingProxyType  # name -> Site
    qualifiers: MappingProxyType  # code qualifier -> QualifierRule
    atoms: frozenset
    region_rules: tuple[RegionRule, ...]
    sections: MappingProxyType  # header (lowercase) -> section
    context: tuple[ContextCue, ...]
    rules: tuple[Rule, ...]
    payers: MappingProxyType
    regions_by_modality: MappingProxyType
    elements: MappingProxyType  # region -> tuple[Element, ...]
    # composite atom -> (its parts, the atoms that stand for it when the report negates a part)
    parts: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    # procedures outside radiology a title may name (procedures.tsv; optional in the manifest)
    procedures: Procedures = NO_PROCEDURES
    # one-word shorthand of exam descriptions -> the term word it stands for (abbreviations.tsv;
    # optional in the manifest): "uppr" -> "upper", so "UPPR EXTRM" matches "upper extremity"
    abbreviations: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    # letter rewrites of a regional spelling (respellings.tsv; optional in the manifest): (from, to, place), so
    # "oesophagus" reads as the term word "esophagus"; a rewrite counts only when it spells a term word
    respellings: tuple[tuple[str, str, str], ...] = ()
    # the administrative fields of report headers (admin_fields.tsv; optional in the manifest: the packaged table)
    admin_fields: AdminFields = field(default_factory=default_admin_fields)

    def codes_for(self, modality: str, region: str) -> tuple[Code, ...]:
        return self.regions_by_modality.get((modality, region), ())

    def of_type(self, kind: str) -> tuple[Rule, ...]:
        """The rules of one type (``addon``, ``indication``, ...) in file order."""
        memo = self.__dict__.setdefault("_of_type", {})  # immutable: select once
        if kind not in memo:
            memo[kind] = tuple(r for r in self.rules if r.rule == kind)
        return memo[kind]

    def rules_by_code(self) -> MappingProxyType:
        """Code -> the positions in ``rules`` of the rules naming it (:attr:`Rule.named_codes`),
        ascending: the rules that can change the lines of a report billing that code."""
        memo = self.__dict__.setdefault("_rules_by_code", [])  # immutable: index once
        if not memo:
            by: dict[str, list[int]] = {}
            for i, r in enumerate(self.rules):
                for c in r.named_codes:
                    by.setdefault(c, []).append(i)
            memo.append(MappingProxyType({c: tuple(ix) for c, ix in by.items()}))
        return memo[0]

    def code_variants(self) -> MappingProxyType:
        """Code -> (its variants: the other codes of its modality and region, at most
        ``VARIANTS_MAX``; whether one differs from it in the contrast only, in the views only, in
        the side only, in the qualifier only): how many near codes a coding slip can land on
        (confidence features version 8)."""
        memo = self.__dict__.setdefault("_code_variants", [])  # immutable: index once
        if not memo:
            keys = VARIANT_KEYS[1:]
            out = {}
            for c in self.codes.values():
                near = [o for o in self.codes_for(c.modality, c.region) if o.code != c.code]
                only = tuple(any(getattr(o, k) != getattr(c, k)
                                 and all(getattr(o, j) == getattr(c, j) for j in keys if j != k) for o in near)
                             for k in keys)
                out[c.code] = (min(len(near), VARIANTS_MAX), *only)
            memo.append(MappingProxyType(out))
        return memo[0]

    def modality_words(self) -> frozenset[str]:
        """The one-word names of a modality ("xr", "ct", "mammo", "ultrasound"), lower case."""
        memo = self.__dict__.setdefault("_modality_words", [])
        if not memo:
            memo.append(frozenset(t.term for t in self.terms if t.get("modality") and " " not in t.term))
        return memo[0]

    @cached_property
    def term_words(self) -> frozenset[str]:
        """Every term (lower case): a bracketed title code that is one stays ("(BILAT)", "(CTA)")."""
        return frozenset(t.term for t in self.terms)

    @cached_property
    def term_tokens(self) -> frozenset[str]:
        """Every word of the terms (lower-case letters only: "attenuation" of "attenuation correction"): a word a line
        end's hyphen broke in two is read whole when it is one of them ("attenua-" + "tion")."""
        return frozenset(w for t in self.terms for w in re.findall(r"[a-z]+", t.term))

    @cached_property
    def exam_words(self) -> frozenset[str]:
        """The terms that name an exam in a banner line: a modality, a view count or contrast (anatomy
        alone is a facility's name: "BREAST & BONE IMAGING")."""
        return frozenset(t.term for t in self.terms if any(k in ("modality", "views", "contrast") for k, _ in t.attrs))

    def region_rules_of(self, modality: str) -> tuple[RegionRule, ...]:
        """The region rules of one modality, in file order."""
        memo = self.__dict__.setdefault("_region_rules_of", {})
        if modality not in memo:
            memo[modality] = tuple(rr for rr in self.region_rules if rr.modality == modality)
        return memo[modality]

    def addons_of(self, code: str) -> tuple[Rule, ...]:
        """The add-on rules whose primaries include ``code``, in file order."""
        memo = self.__dict__.setdefault("_addons_of", {})
        if code not in memo:
            memo[code] = tuple(r for r in self.of_type("addon") if code in r.data["primaries"])
        return memo[code]

    def not_billed_to(self, payer) -> MappingProxyType:
        """Add-on codes ``payer`` does not bill: code -> the rule whose payer condition it fails.

        A code stays billable when any of its add-on rules applies to the payer (or has no payer
        condition)."""
        key = tuple(getattr(payer, k, None) for k in PAYER_POLICY_KEYS)
        memo = self.__dict__.setdefault("_not_billed", {})
        if key not in memo:
            ok = {r.data["code"] for r in self.of_type("addon") if r.applies_to(payer)}
            out: dict[str, Rule] = {}
            for r in self.of_type("addon"):
                if r.data["code"] not in ok:
                    out.setdefault(r.data["code"], r)
            memo[key] = MappingProxyType(out)
        return memo[key]

    @cached_property
    def payer_policies(self) -> MappingProxyType:
        """Allowed values of each payer policy key (bilateral: fixed; the others: named by rules)."""
        return MappingProxyType(_payer_policies(self.rules))

    def site_parts(self, site: str | None) -> tuple[str, ...]:
        """The billed regions a combined site names ("CT CAP": chest, abdomen_pelvis, abdomen,
        pelvis), from regions.tsv ``parts=`` (transitively)."""
        s = self.sites.get(site) if site else None
        return s.parts if s is not None else ()

    @cached_property
    def per_unit_codes(self) -> frozenset:
        """Codes billed once per fetus / structure of their exam (units = the frame's multiplicity)."""
        return frozenset(c for r in self.of_type("per_unit") for c in r.data["codes"])

    @cached_property
    def secondary_codes(self) -> frozenset:
        """Codes never chosen as a frame's primary code (add-ons, payer-chosen codes)."""
        out = set()
        for r in self.rules:
            if r.rule == "addon":
                out.add(r.data["code"])
            elif r.rule == "secondary":
                out.update(r.data["codes"])
        return frozenset(out)

    def default_site(self, modality: str, quals: frozenset | set = frozenset()) -> str | None:
        return next((s.name for s in self.sites.values() if s.default_for == modality
                     and (not s.default_requires or s.default_requires & set(quals))), None)

    def region_for(self, site: str, modality: str) -> str | None:
        s = self.sites.get(site)
        if s is not None and modality in s.regions:
            return s.regions[modality]
        if (modality, site) in self.regions_by_modality:
            return site
        return None


# --------------------------------------------------------------------------- readers


def _err(path: Path, line: int, msg: str) -> LexiconError:
    return LexiconError(f"{path}:{line}: {msg}")


def _tsv_rows(path: Path, schema: str, ncols: tuple[int, int]):
    """Yield (line_no, columns) for data rows; checks the schema comment."""
    seen_schema = False
    with path.open(encoding="utf-8") as fh:
        for no, raw in enumerate(fh, 1):
            line = raw.rstrip("\n").rstrip("\r")
            if not line.strip():
                continue
            if line.startswith("#"):
                if line.startswith("# schema:"):
                    got = line.split(":", 1)[1].strip()
                    if got != schema:
                        raise _err(path, no, f"schema {got!r}, expected {schema!r}")
                    seen_schema = True
                continue
            if not seen_schema:
                raise _err(path, no, f"missing '# schema: {schema}' line before data")
            cols = line.split("\t")
            while len(cols) > ncols[0] and cols[-1] == "":
                cols.pop()
            if not ncols[0] <= len(cols) <= ncols[1]:
                raise _err(path, no, f"expected {ncols[0]}-{ncols[1]} tab-separated columns, got {len(cols)}")
            yield no, cols


def _jsonl_rows(path: Path, schema: str):
    with path.open(encoding="utf-8") as fh:
        for no, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw)
            except json.JSONDecodeError as e:
                raise _err(path, no, f"invalid JSON: {e.msg}") from None
            if no == 1:
                if obj.get("_schema") != schema:
                    raise _err(path, no, f"schema {obj.get('_schema')!r}, expected {schema!r}")
                continue
            if not isinstance(obj, dict):
                raise _err(path, no, "expected a JSON object")
            yield no, obj


def _check_keys(path: Path, no: int, obj: dict, allowed: set, required: set) -> None:
    unknown = set(obj) - allowed
    if unknown:
        raise _err(path, no, f"unknown key(s) {sorted(unknown)}")
    missing = required - set(obj)
    if missing:
        raise _err(path, no, f"missing key(s) {sorted(missing)}")


def parse_views(text: str | None) -> tuple[int, int] | None:
    if not text:
        return None
    if text.endswith("+"):
        return int(text[:-1]), 99
    if "-" in text:
        lo, hi = text.split("-")
        return int(lo), int(hi)
    return int(text), int(text)


def _load_codes(path: Path, lines: dict[str, int] | None = None) -> dict[str, Code]:
    """The code table; ``lines`` (when given) receives each code's line number."""
    codes: dict[str, Code] = {}
    lines = {} if lines is None else lines
    keys = {"code", "family", "modality", "region", "contrast", "views", "side", "qualifier",
            "label", "components"}
    for no, obj in _jsonl_rows(path, "codes/1"):
        _check_keys(path, no, obj, keys, keys)
        c = obj["code"]
        if c in codes:
            raise _err(path, no, f"duplicate code {c!r}")
        if obj["modality"] not in MODALITIES:
            raise _err(path, no, f"unknown modality {obj['modality']!r}")
        if obj["contrast"] is not None and obj["contrast"] not in CODE_CONTRASTS:
            raise _err(path, no, f"unknown contrast {obj['contrast']!r}")
        if obj["side"] is not None and obj["side"] not in CODE_SIDES:
            raise _err(path, no, f"unknown side {obj['side']!r}")
        if obj["components"] not in COMPONENTS:
            raise _err(path, no, f"unknown components {obj['components']!r}")
        try:
            views = parse_views(obj["views"])
        except ValueError:
            raise _err(path, no, f"bad views {obj['views']!r}") from None
        codes[c] = Code(c, obj["family"], obj["modality"], obj["region"], obj["contrast"], views,
                        obj["side"], obj["qualifier"], obj["label"], obj["components"])
        lines[c] = no
    return codes


def _load_qualifiers(path: Path, codes: dict[str, Code], code_path: Path, code_lines: dict[str, int]):
    rules: dict[str, QualifierRule] = {}
    atoms: set[str] = set()
    declared: set[str] = set()
    rows: dict[str, int] = {}
    for no, cols in _tsv_rows(path, "qualifiers/1", (2, 4)):
        kind, name = cols[0], cols[1]
        if kind == "atom":
            if name in declared:
                raise _err(path, no, f"duplicate atom {name!r}")
            declared.add(name)
            atoms.add(name)
            continue
        if kind != "code":
            raise _err(path, no, f"unknown kind {kind!r} (code|atom)")
        if name in rules:
            raise _err(path, no, f"duplicate qualifier {name!r}")
        sat = cols[2] if len(cols) > 2 else "-"
        default = len(cols) > 3 and cols[3] == "yes"
        if len(cols) > 3 and cols[3] not in ("yes", ""):
            raise _err(path, no, f"default must be 'yes' or empty, got {cols[3]!r}")
        alts = () if sat in ("-", "") else tuple(frozenset(a.split("+")) for a in sat.split("|"))
        for a in alts:
            atoms.update(a)
        rules[name] = QualifierRule(name, alts, default)
        rows[name] = no
    for c in codes.values():
        if c.qualifier and c.qualifier not in rules:
            raise _err(code_path, code_lines[c.code], f"code {c.code}: qualifier {c.qualifier!r} has no "
                                                      f"'code' row in {path.name}")
    return rules, frozenset(atoms), rows


def _load_parts(path: Path, atoms: frozenset) -> dict[str, tuple[frozenset, frozenset]]:
    """Atom rows with parts: ``atom <TAB> ventilation_perfusion <TAB> ventilation+perfusion``;
    a fourth column names atoms that stand for the composite once a part is not performed
    (``three_phase``: ``limited``)."""
    out = {}
    for no, cols in _tsv_rows(path, "qualifiers/1", (2, 4)):
        if cols[0] != "atom" or len(cols) < 3 or cols[2] in ("", "-"):
            continue
        parts = frozenset(cols[2].split("+"))
        rest = frozenset(cols[3].split("+")) if len(cols) > 3 and cols[3] not in ("", "-") else frozenset()
        unknown = sorted((parts | rest) - atoms)
        if unknown:
            raise _err(path, no, f"unknown qualifier atom {unknown[0]!r}")
        out[cols[1]] = (parts, rest)
    return out


def _check_qualifiers_used(path: Path, rows: dict[str, int], codes: dict[str, Code], code_path: Path) -> None:
    """A 'code' qualifier row no code has is left over from a deleted code (checked after the
    rules, so a deleted code is first reported where a rule still names it)."""
    used = {c.qualifier for c in codes.values() if c.qualifier}
    for name, no in rows.items():
        if name not in used:
            raise _err(path, no, f"qualifier {name!r} is used by no code of {code_path.name} "
                                 f"(delete the row, or make it an 'atom' row if terms or rules still name it)")


def _site_option(path: Path, no: int, name: str, k: str, v: str, opts: dict[str, Any], regions: dict[str, str],
                 regions_by_mod: Mapping[tuple[str, str], Any], known_regions: set[str], atoms: frozenset) -> None:
    """One ``key=value`` option of a regions.tsv row into ``opts`` (errors name the file and line)."""
    if k in ("default_modality", "default_for"):
        if v not in MODALITIES:
            raise _err(path, no, f"unknown modality {v!r}")
        opts[k] = v
    elif k == "bilateral":
        if v not in known_regions:
            raise _err(path, no, f"bilateral: no code has region {v!r}")
        opts["bilateral_region"] = v
    elif k == "parts":
        opts["parts"] = tuple(v.split("+"))
    elif k in ("generic", "dominant"):
        opts[k] = 1 if v == "yes" else int(v) if v.isdigit() else -1
        if opts[k] < 0:
            raise _err(path, no, f"{k} must be yes or a number, got {v!r}")
    elif k == "complete":
        opts["complete_views"] = _view_count(path, no, k, v)
    elif k == "extent":
        if v not in MODALITIES or (v, regions.get(v, name)) not in regions_by_mod:
            raise _err(path, no, f"extent: no {v} code for site {name!r}")
        opts["extent_modality"] = v
    elif k == "film":
        if ("XR", v) not in regions_by_mod:
            raise _err(path, no, f"film: no XR code has region {v!r}")
        opts[k] = v
    elif k in ("default_requires", "absorbed", "implies"):
        opts[k] = frozenset(v.split("+"))
        bad = sorted(opts[k] - atoms)
        if bad:
            raise _err(path, no, f"{k}: unknown qualifier atom {bad[0]!r}")
    else:
        raise _err(path, no, f"unknown option {k!r}")


def _load_sites(path: Path, regions_by_mod: Mapping[tuple[str, str], Any], atoms: frozenset, splittable: set[str]) -> dict[str, Site]:
    """regions.tsv; every region, part and qualifier atom it names must exist (``splittable``:
    the regions a split rule divides, which no code has)."""
    sites: dict[str, Site] = {}
    rows: dict[str, int] = {}
    known_regions = {reg for _mod, reg in regions_by_mod} | splittable
    for no, cols in _tsv_rows(path, "regions/1", (2, 3)):
        name = cols[0]
        if name in sites:
            raise _err(path, no, f"duplicate site {name!r}")
        regions: dict[str, str] = {}
        for pair in cols[1].split(";"):
            if "=" not in pair:
                raise _err(path, no, f"expected MODALITY=region, got {pair!r}")
            mod, reg = pair.split("=", 1)
            if mod not in MODALITIES:
                raise _err(path, no, f"unknown modality {mod!r}")
            if (mod, reg) not in regions_by_mod and reg not in splittable:
                raise _err(path, no, f"site {name!r}: no {mod} code has region {reg!r}")
            regions[mod] = reg
        opts: dict[str, Any] = {}
        for opt in cols[2].split(";") if len(cols) > 2 and cols[2] else ():
            k, _, v = opt.partition("=")
            _site_option(path, no, name, k, v, opts, regions, regions_by_mod, known_regions, atoms)
        sites[name] = Site(name, MappingProxyType(regions), **opts)
        rows[name] = no
    return _close_parts(path, sites, rows)


def _view_count(path: Path, no: int, key: str, value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise _err(path, no, f"{key} must be a view count, got {value!r}")
    return int(value)


def _close_parts(path: Path, sites: dict[str, Site], rows: dict[str, int]) -> dict[str, Site]:
    """Every ``parts=`` names a site; a part's own parts are parts too ("chest_abdomen_pelvis":
    chest + abdomen_pelvis, hence abdomen and pelvis). Cycles are errors."""
    def closure(name: str, stack: tuple[str, ...]) -> tuple[str, ...]:
        out: list[str] = []
        for part in sites[name].parts:
            if part not in sites:
                raise _err(path, rows[name], f"parts: unknown site {part!r}")
            if part in stack:
                raise _err(path, rows[name], f"parts: {' -> '.join(stack + (part,))} is a cycle")
            for x in (part, *closure(part, stack + (part,))):
                if x not in out:
                    out.append(x)
        return tuple(out)

    return {name: (s if not s.parts else replace(s, parts=closure(name, (name,))))
            for name, s in sites.items()}


def _parse_attrs(path: Path, no: int, text: str, sites, atoms) -> tuple[tuple[str, str], ...]:
    out = []
    if not text:
        raise _err(path, no, "term without attributes")
    for pair in text.split(";"):
        k, sep, v = pair.partition("=")
        if not sep or not v:
            raise _err(path, no, f"expected key=value, got {pair!r}")
        if k not in ATTR_KEYS:
            raise _err(path, no, f"unknown attribute {k!r}")
        ok = {
            "modality": v in MODALITIES,
            "site": v in sites,
            "contrast": v in CONTRASTS,
            "side": v in SIDES,
            "qual": v in atoms,
            "proj": True,
            "views": v.isdigit(),
            "route": v in ROUTES,
        }[k]
        if not ok:
            raise _err(path, no, f"unknown {k} label {v!r}")
        out.append((k, v))
    return tuple(out)


def _load_terms(paths: list[Path], sites, atoms) -> tuple[Term, ...]:
    seen: dict[str, str] = {}
    terms: list[Term] = []
    parsed: dict[str, tuple[tuple[str, str], ...]] = {}  # terms share attribute lists: each is checked once
    for path in paths:
        name = path.name
        for no, cols in _tsv_rows(path, "terms/1", (2, 2)):
            term = " ".join(cols[0].lower().split())
            if not term:
                raise _err(path, no, "empty term")
            if term in seen:
                raise _err(path, no, f"duplicate term {term!r} (first at {seen[term]})")
            seen[term] = where = f"{name}:{no}"
            attrs = parsed.get(cols[1])
            if attrs is None:
                attrs = parsed[cols[1]] = _parse_attrs(path, no, cols[1], sites, atoms)
            terms.append(Term(term, attrs, where))
    return tuple(terms)


def _load_procedures(path: Path, terms: tuple[Term, ...]) -> Procedures:
    """procedures.tsv: phrase rows (class, phrase) and class rows (class, "*", options).

    A phrase that is itself a term carrying a modality would hide imaging exams ("echo" is
    ultrasound: "ECHO, PELVIC"): an error, like duplicates, unknown options and
    modalities, and a class without phrases."""
    phrases: dict[str, str] = {}
    first: dict[str, int] = {}  # phrase -> line
    first_of: dict[str, int] = {}  # class -> line of its first phrase
    classes: dict[str, ProcedureClass] = {}
    class_rows: dict[str, int] = {}
    for no, cols in _tsv_rows(path, PROCEDURES_SCHEMA, (2, 3)):
        name, phrase = cols[0].strip(), cols[1].strip()
        if not _CLASS_RX.fullmatch(name):
            raise _err(path, no, f"class {name!r}: use lower-case words (a-z, 0-9, blank, '/', '-')")
        if phrase == "*":
            if name in class_rows:
                raise _err(path, no, f"duplicate class row {name!r} (first at line {class_rows[name]})")
            uses: frozenset = frozenset()
            unless: tuple[str, ...] = ()
            for opt in (o.strip() for o in (cols[2] if len(cols) > 2 else "").split(";") if o.strip()):
                k, eq, v = opt.partition("=")
                if k not in PROCEDURE_OPTIONS or not eq:
                    raise _err(path, no, f"unknown option {opt!r} (known: uses=MOD+MOD, unless=word|word)")
                if k == "uses":
                    uses = frozenset(m for m in v.split("+") if m)
                    bad = sorted(uses - set(MODALITIES))
                    if bad:
                        raise _err(path, no, f"uses: unknown modality {bad[0]!r}")
                else:
                    unless = tuple(phrase_key(w) for w in v.split("|") if w.strip())
                    if not unless:
                        raise _err(path, no, "unless: name at least one word")
            classes[name] = ProcedureClass(name, uses, unless, f"{path.name}:{no}")
            class_rows[name] = no
            continue
        if len(cols) > 2 and cols[2].strip():
            raise _err(path, no, "options belong on the class row (phrase '*')")
        if phrase != phrase.lower() or not phrase or "\t" in phrase:
            raise _err(path, no, f"phrase {phrase!r}: write it in lower case")
        key = phrase_key(phrase)
        if len(key) < 2:
            raise _err(path, no, f"phrase {phrase!r} is too short")
        if key in phrases:
            raise _err(path, no, f"duplicate phrase {phrase!r} (first at line {first[key]})")
        phrases[key] = name
        first[key] = no
        first_of.setdefault(name, no)
    for name, no in first_of.items():
        classes.setdefault(name, ProcedureClass(name, source=f"{path.name}:{no}"))
    for name, no in class_rows.items():
        if name not in first_of:
            raise _err(path, no, f"class {name!r} has no phrase")
    by_term = {t.term: t for t in terms}
    for key in phrases:
        t = by_term.get(key)
        if t is not None and t.get("modality"):
            raise _err(path, first[key], f"phrase {key!r} is the imaging term {t.source} (modality "
                                         f"{t.get('modality')[0]}): it would hide imaging exams; name the procedure otherwise")
    return Procedures(MappingProxyType(phrases), MappingProxyType(classes), path.name)


def _load_abbreviations(path: Path, terms: tuple[Term, ...]) -> MappingProxyType:
    """abbreviations.tsv: one-word shorthand <TAB> the word of a term it stands for.

    The spelling stage reads the shorthand as that word, so it joins every term the word is
    part of. A shorthand that is itself a word of a term would stop matching as written, and a
    word no term uses would match nothing: both are errors, like duplicates."""
    words: dict[str, str] = {}
    for t in terms:
        for w in t.term.split():
            words.setdefault(w, t.source)
    out: dict[str, str] = {}
    first: dict[str, int] = {}
    for no, cols in _tsv_rows(path, ABBREVIATIONS_SCHEMA, (2, 2)):
        short, word = cols[0].strip(), cols[1].strip()
        if not _ABBREV_RX.fullmatch(short):
            raise _err(path, no, f"shorthand {short!r}: write one lower-case word (a-z, 0-9)")
        if short in first:
            raise _err(path, no, f"duplicate shorthand {short!r} (first at line {first[short]})")
        if short in words:
            raise _err(path, no, f"shorthand {short!r} is a word of the term at {words[short]}: "
                                 "it would no longer match as written")
        if word not in words:
            raise _err(path, no, f"word {word!r} is in no term: the shorthand would match nothing")
        out[short] = word
        first[short] = no
    return MappingProxyType(out)


def _load_respellings(path: Path) -> tuple[tuple[str, str, str], ...]:
    """respellings.tsv: letters <TAB> letters they are written as in the lexicon <TAB> place (any | end).

    The spelling stage rewrites a word no term uses with each row (every occurrence, or the word's end)
    and with all rows together, and reads the word as the rewrite when that is a word of a term: a
    regional spelling ("haemorrhage", "tumour", "centre") then matches the term as written. Letters are
    lower case a-z; the same letters twice in one place are an error."""
    out: list[tuple[str, str, str]] = []
    first: dict[tuple[str, str], int] = {}
    for no, cols in _tsv_rows(path, RESPELLINGS_SCHEMA, (3, 3)):
        frm, to, place = (c.strip() for c in cols)
        if not re.fullmatch(r"[a-z]+", frm) or not re.fullmatch(r"[a-z]*", to) or frm == to:
            raise _err(path, no, f"rewrite {frm!r} -> {to!r}: write lower-case letters a-z, two different spellings")
        if place not in RESPELLING_PLACES:
            raise _err(path, no, f"place {place!r}: write one of {', '.join(RESPELLING_PLACES)}")
        if (frm, place) in first:
            raise _err(path, no, f"duplicate rewrite {frm!r} at {place} (first at line {first[(frm, place)]})")
        first[(frm, place)] = no
        out.append((frm, to, place))
    return tuple(out)


@lru_cache(maxsize=8)
def _load_admin_fields(path_s: str) -> AdminFields:
    """admin_fields.tsv: label <TAB> roles (noise+banner+plain) [<TAB> pattern].

    A label is lower-case words one blank apart, matched with blanks or tabs between them; a row's
    pattern replaces it (a regular expression without capturing groups that matches no empty text).
    The same label twice in one role, an unknown role and a role without fields are errors."""
    path = Path(path_s)
    if not path.is_file():
        raise LexiconError(f"{path}: administrative field table not found")
    out: list[AdminField] = []
    first: dict[tuple[str, str], int] = {}  # (label, role) -> line
    for no, cols in _tsv_rows(path, ADMIN_FIELDS_SCHEMA, (2, 3)):
        label, roles_s = cols[0], cols[1]
        if not _FIELD_LABEL_RX.fullmatch(label):
            raise _err(path, no, f"field {label!r}: write lower-case words one blank apart")
        roles = roles_s.split("+")
        bad = [r for r in roles if r not in ADMIN_ROLES]
        if bad or not roles_s:
            raise _err(path, no, f"unknown role {bad[0] if bad else roles_s!r}; known: {'+'.join(ADMIN_ROLES)}")
        for r in roles:
            if (label, r) in first:
                raise _err(path, no, f"duplicate field {label!r} in role {r} (first at line {first[label, r]})")
            first[label, r] = no
        own = cols[2] if len(cols) > 2 else ""
        if own:  # (a label's own pattern is its escaped words: nothing to check)
            try:  # (as the stages use it: an inline global flag fails here too)
                rx = re.compile(f"(?:{own})", re.IGNORECASE)
            except re.error as e:
                raise _err(path, no, f"bad pattern: {e}") from None
            if rx.groups:
                raise _err(path, no, "the pattern has a capturing group: write (?:...)")
            if rx.match("") is not None:
                raise _err(path, no, "the pattern matches an empty text")
        pattern = own or r"[ \t]+".join(re.escape(w) for w in label.split(" "))
        out.append(AdminField(label, frozenset(roles), pattern, f"{path.name}:{no}"))
    for r in ADMIN_ROLES:
        if not any(r in f.roles for f in out):
            raise LexiconError(f"{path}: no field has role {r}")
    return AdminFields(tuple(out), path.name)


def _load_region_rules(path: Path, atoms, regions_by_mod, sites: dict[str, Site]) -> tuple[RegionRule, ...]:
    out: list[RegionRule] = []
    for no, cols in _tsv_rows(path, "region_rules/1", (4, 4)):
        mod, frm, req, to = cols
        if mod not in MODALITIES:
            raise _err(path, no, f"unknown modality {mod!r}")
        if (mod, to) not in regions_by_mod:
            raise _err(path, no, f"no {mod} code has region {to!r}")
        # the region a frame can have before this rule: a code's, a site's, or an earlier rule's result
        # ("*": any region of the modality, "CT * limited+follow_up": the localized follow-up study)
        reachable = frm == "*" or (mod, frm) in regions_by_mod or any(s.regions.get(mod) == frm for s in sites.values()) \
            or any(r.modality == mod and r.to_region == frm for r in out)
        if not reachable:
            raise _err(path, no, f"no {mod} code or site has region {frm!r}")
        need, side, views, views_min, views_max = set(), None, None, None, None
        for part in req.split("+"):
            if part.startswith("side:"):
                side = part[5:]
            elif part.startswith("views:") and part[6:].isdigit():
                views = int(part[6:])
            elif part.startswith("views:>=") and part[8:].isdigit():
                views_min = int(part[8:])
            elif part.startswith("views:<=") and part[8:].isdigit():
                views_max = int(part[8:])
            elif part in atoms:
                need.add(part)
            else:
                raise _err(path, no, f"unknown qualifier atom {part!r}")
        out.append(RegionRule(mod, frm, frozenset(need), side, to, views, views_min, views_max))
    return tuple(out)


def _load_sections(path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    known = {"exam", "ordered", "history", "technique", "contrast", "views", "comparison",
             "allergy", "findings", "impression", "addendum", "dose"}
    for no, cols in _tsv_rows(path, "sections/1", (2, 2)):
        h = cols[0].lower()
        if h in out:
            raise _err(path, no, f"duplicate header {h!r}")
        if cols[1] not in known:
            raise _err(path, no, f"unknown section {cols[1]!r}")
        out[h] = cols[1]
    return out


def _load_context(path: Path) -> tuple[ContextCue, ...]:
    out, seen = [], set()
    for no, cols in _tsv_rows(path, "context/1", (3, 3)):
        cue = cols[0].lower()
        if cols[1] not in ("negation", "history"):
            raise _err(path, no, f"unknown kind {cols[1]!r}")
        if cols[2] not in ("forward", "backward", "adjacent"):
            raise _err(path, no, f"unknown direction {cols[2]!r}")
        key = (cue, cols[2])
        if key in seen:
            raise _err(path, no, f"duplicate cue {cue!r} ({cols[2]})")
        seen.add(key)
        out.append(ContextCue(cue, cols[1], cols[2]))
    return tuple(out)


RULE_KEYS = {
    # min_regions: merge when at least that many of the regions are present (default: all of them);
    # when_qualifier: only an exam that documents that atom ("ENTIRE" thoracic and lumbar spine);
    # min_views: only when the exam of the first region documents at least that many views (an
    # acute abdomen series is 2+ abdomen views with a chest view; a chest series with one abdomen
    # view is two exams); sites: only frames of these sites join a frame of the ``into`` region (the
    # hip named in an infant hip study is that study; another joint is an exam of its own); flagged:
    # false when the exam merged is part of the other's study (an esophagram within an upper GI
    # series), no combined code a flag should name (default true); adds_qualifier: the merged exam
    # documents that atom (an upper GI named with the small bowel is the series with its follow-through);
    # unless_qualifier: not when an exam documents that atom (a shunt series is no acute abdomen series)
    "merge": ({"rule", "id", "modalities", "regions", "into", "min_regions", "when_qualifier", "unless_qualifier",
               "min_views", "sites", "flagged", "adds_qualifier", "note"},
              {"rule", "id", "modalities", "regions", "into"}),
    # when_qualifier: only an exam that documents that atom (an MRA of the legs whose title names the aorta);
    # sites: only an exam of one of these sites (the aorta with the iliac arteries, not the pelvis named)
    "split": ({"rule", "id", "modalities", "region", "into", "when_qualifier", "sites", "note"},
              {"rule", "id", "modalities", "region", "into"}),
    # unless_named_exam: a dropped code stays when the title names its exam on its own (own
    # modality word): "CT HEAD WO; CTA HEAD AND NECK" (stroke protocol) is 70450 + 70496 + 70498;
    # named_when_qualifier: and only when an exam of the report documents that atom (the named exam was
    # separately indicated: a code stroke's noncontrast head CT, not an aneurysm CTA's noncontrast series);
    # unless_qualifier: a dropped code stays when its own exam documents that atom (a head CT read under its own label)
    "bundle": ({"rule", "id", "if_any", "drop", "unless_named_exam", "named_when_qualifier", "unless_qualifier", "note"},
               {"rule", "id", "if_any", "drop"}),
    "replace": ({"rule", "id", "all", "with", "note"}, {"rule", "id", "all", "with"}),
    # when_qualifier: one unit when the primary's exam documents that atom; without it, one unit
    # per additional gestation/structure (the frame's multiplicity - 1); when_payer: {policy: value};
    # named_first: when the exam title names when_qualifier, the title names this service: its
    # line is listed first ("SCREENING DIGITAL BREAST TOMOSYNTHESIS BILAT": 77063, then 77067)
    "addon": ({"rule", "id", "code", "primaries", "when_qualifier", "when_payer", "named_first", "note"},
              {"rule", "id", "code", "primaries"}),
    "secondary": ({"rule", "id", "codes", "note"}, {"rule", "id", "codes"}),
    # a code billed once per fetus / structure: units = the exam's multiplicity (twins: 76816 x2)
    "per_unit": ({"rule", "id", "codes", "note"}, {"rule", "id", "codes"}),
    "split_qualifier": ({"rule", "id", "modalities", "qualifiers", "note"}, {"rule", "id", "modalities", "qualifiers"}),
    # a separately billed service named with an exam of the region ("US OB FOLLOW-UP WITH BPP",
    # "NM BONE WHOLE BODY WITH SPECT/CT"): its own frame (in into_region when given) when the exam
    # documents one of with_any; the exam keeps the rest. named_first: when the title names the
    # service as the exam ("OB US NUCHAL TRANSLUCENCY, FIRST TRIMESTER EXAM"), its line is listed first;
    # described_by: atoms of with_any that, written in the title next to the service with no "with",
    # "and" or "+" between ("US PREG UTERUS <14 WKS NUCHAL TRANS", "NUCHAL MEAS, 1ST TRIMESTER"),
    # describe the service itself: no exam of their own
    "split_service": ({"rule", "id", "modalities", "region", "qualifiers", "with_any", "into_region", "named_first",
                       "described_by", "note"},
                      {"rule", "id", "modalities", "region", "qualifiers", "with_any"}),
    # a code whose exam documents when_qualifier but none of the indications: flag indication_unclear
    "indication": ({"rule", "id", "codes", "when_qualifier", "indications", "message", "note"},
                   {"rule", "id", "codes", "when_qualifier", "indications", "message"}),
}
# the keys of each rule that name codes, qualifier atoms, modalities and regions (checked at load)
_CODE_KEYS = ("if_any", "drop", "all", "primaries", "codes", "with", "code")
_ATOM_KEYS = ("qualifiers", "when_qualifier", "named_when_qualifier", "unless_qualifier", "indications", "with_any",
              "adds_qualifier", "described_by")
_REGION_KEYS = ("regions", "region", "into", "into_region")


def _listed(obj: dict, key: str) -> list:
    v = obj.get(key, [])
    return list(v) if isinstance(v, list) else [v]


def _load_rules(path: Path, codes, atoms: frozenset) -> tuple[Rule, ...]:
    """rules.jsonl. Every code, qualifier atom, modality and region a rule names must exist:
    a deleted code fails here (``rules.jsonl:N: unknown code '74248'``), never at run time."""
    out, ids = [], set()
    rows = list(_jsonl_rows(path, "rules/1"))
    code_regions = {c.region for c in codes.values()}
    split_regions = {r.get("region") for _no, r in rows if r.get("rule") == "split"}
    for no, obj in rows:
        kind = obj.get("rule")
        if kind not in RULE_KEYS:
            raise _err(path, no, f"unknown rule type {kind!r}")
        allowed, required = RULE_KEYS[kind]
        _check_keys(path, no, obj, allowed, required)
        if obj["id"] in ids:
            raise _err(path, no, f"duplicate rule id {obj['id']!r}")
        ids.add(obj["id"])
        for c in (c for k in _CODE_KEYS for c in _listed(obj, k)):
            if c not in codes:
                raise _err(path, no, f"unknown code {c!r}")
        for a in (a for k in _ATOM_KEYS for a in _listed(obj, k)):
            if a not in atoms:
                raise _err(path, no, f"unknown qualifier atom {a!r}")
        for m in _listed(obj, "modalities"):
            if m not in MODALITIES:
                raise _err(path, no, f"unknown modality {m!r}")
        for r in (r for k in _REGION_KEYS for r in _listed(obj, k)):
            if r not in code_regions and r not in split_regions:
                raise _err(path, no, f"no code has region {r!r}")
        if "when_payer" in obj:
            _check_when_payer(path, no, obj["when_payer"])
        for key in ("unless_named_exam", "flagged"):
            if not isinstance(obj.get(key, False), bool):
                raise _err(path, no, f"{key} must be true or false, got {obj[key]!r}")
        if kind == "indication":
            try:
                obj["message"].format(code="")
            except (KeyError, IndexError, ValueError) as e:
                raise _err(path, no, f"message: only {{code}} may be filled in ({e!r})") from None
        frozen = {k: tuple(v) if isinstance(v, list) else MappingProxyType(v) if isinstance(v, dict) else v
                  for k, v in obj.items()}
        out.append(Rule(kind, obj["id"], MappingProxyType(frozen), f"{path.name}:{no}"))
    return tuple(out)


def _check_when_payer(path: Path, no: int, cond) -> None:
    if not isinstance(cond, dict) or not cond:
        raise _err(path, no, "when_payer must be a non-empty object {policy: value}")
    for k, v in cond.items():
        if k not in PAYER_POLICY_KEYS:
            raise _err(path, no, f"when_payer: unknown payer policy {k!r} (known: {', '.join(PAYER_POLICY_KEYS)})")
        if not isinstance(v, str) or not v:
            raise _err(path, no, f"when_payer: {k} must be a non-empty string")
        if k == "bilateral" and v not in BILATERAL_POLICIES:
            raise _err(path, no, f"when_payer: bilateral must be one of {BILATERAL_POLICIES}")


def _payer_policies(rules) -> dict[str, tuple[str, ...]]:
    """The values a payer may give each policy key: bilateral's are fixed (the modifier stage
    implements them); the others are whatever the rules' ``when_payer`` conditions name."""
    out: dict[str, list[str]] = {k: [] for k in PAYER_POLICY_KEYS}
    out["bilateral"] = list(BILATERAL_POLICIES)
    for r in rules:
        for k, v in r.data.get("when_payer", {}).items():
            if v not in out[k]:
                out[k].append(v)
    return {k: tuple(v) for k, v in out.items()}


def _load_elements(path: Path, regions_by_mod) -> dict[str, tuple[Element, ...]]:
    out: dict[str, list[Element]] = {}
    seen = set()
    for no, cols in _tsv_rows(path, "elements/1", (4, 4)):
        region, name, pattern, group = cols
        if region == SENTENCE_CUES and group not in ("documented", "not_documented"):
            raise _err(path, no, f"a sentence cue's group is documented or not_documented, not {group!r}")
        if region != SENTENCE_CUES and ("US", region) not in regions_by_mod:
            raise _err(path, no, f"no US code has region {region!r}")
        if (region, name) in seen:
            raise _err(path, no, f"duplicate element {name!r} for {region!r}")
        seen.add((region, name))
        try:
            rx = re.compile(pattern, re.IGNORECASE)
        except re.error as e:
            raise _err(path, no, f"bad pattern: {e}") from None
        out.setdefault(region, []).append(Element(region, name, rx, group))
    return {k: tuple(v) for k, v in out.items()}

# --------------------------------------------------------------------------- phrase table


def load_phrases(path: str | Path) -> Phrases:
    """Load and validate a billing phrase table; errors name ``file:line``."""
    return _load_phrases(str(Path(path).resolve()))


@lru_cache(maxsize=8)
def _load_phrases(path_s: str) -> Phrases:
    path = Path(path_s)
    if not path.is_file():
        raise LexiconError(f"{path}: billing phrase table not found")
    out: list[Phrase] = []
    seen: dict[tuple[str, str, str], int] = {}
    for no, cols in _tsv_rows(path, PHRASES_SCHEMA, (5, 5)):
        kind, value, pattern, sections, note = cols
        allowed = {"modifier": TEXT_MODIFIERS, "guard": GUARD_KINDS, "document": DOCUMENT_KINDS}.get(kind)
        if allowed is None:
            raise _err(path, no, f"unknown kind {kind!r} (modifier|guard|document)")
        if value not in allowed:
            raise _err(path, no, f"unknown {kind} value {value!r}; known: {', '.join(allowed)}")
        if not pattern.strip():
            raise _err(path, no, "empty pattern")
        try:
            rx = re.compile(pattern, re.IGNORECASE)
        except re.error as e:
            raise _err(path, no, f"bad pattern: {e}") from None
        if sections == "*":
            secs = DEFAULT_SECTIONS
        else:
            secs = tuple(s.strip() for s in sections.split(","))
            bad = [s for s in secs if s not in SECTION_NAMES]
            if bad:
                raise _err(path, no, f"unknown section(s) {bad}; known: {', '.join(SECTION_NAMES)} or *")
        if not note.strip():
            raise _err(path, no, "empty note (say what the phrase means)")
        key = (kind, value, pattern)
        if key in seen:
            raise _err(path, no, f"duplicate {kind} phrase (first at line {seen[key]})")
        seen[key] = no
        out.append(Phrase(kind, value, rx, secs, note, f"{path.name}:{no}"))
    if not out:
        raise LexiconError(f"{path}: no phrases")
    return Phrases(tuple(out), path.name)


def default_phrases() -> Phrases:
    return load_phrases(lexicon_dir() / PHRASE_FILE)


def load_payer(path: Path, codes=None, policies=None) -> Payer:
    """Load and validate a payer profile (``payer/1``); errors name the file and the key's line.

    Required keys: name, description, bilateral (modifier_50 | rt_lt), diagnostic_tomosynthesis
    (a value the lexicon's add-on rules name in ``when_payer``: G0279 | cpt in the packaged
    rules.jsonl), substitutions ({code: code}), source. Optional: distinct_service_modifier
    ("59", or "X" for the X{EPSU} modifier the text points to; default "59") and phrases (the
    billing phrase table, relative to the profile file; default: the packaged one). With
    ``codes`` (the code table), substitution codes must be in it. ``policies`` (the lexicon's
    :attr:`Lexicon.payer_policies`) gives the allowed policy values; default: the packaged
    lexicon's.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise _err(path, 1, f"not UTF-8: {e.reason}") from None
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as e:
        raise _err(path, e.lineno, f"invalid JSON: {e.msg}") from None
    if not isinstance(obj, dict):
        raise _err(path, 1, "expected a JSON object")

    def line(key: str) -> int:
        m = re.search(r'"' + re.escape(key) + r'"\s*:', text)
        return text.count("\n", 0, m.start()) + 1 if m else 1

    required = {"_schema", "name", "description", "bilateral", "diagnostic_tomosynthesis",
                "substitutions", "source"}
    optional = {"distinct_service_modifier", "phrases"}
    unknown = sorted(set(obj) - required - optional)
    if unknown:
        raise _err(path, line(unknown[0]), f"unknown key(s) {unknown}")
    _check_keys(path, 1, obj, required | optional, required)
    if obj["_schema"] != "payer/1":
        raise _err(path, line("_schema"), f"schema {obj['_schema']!r}, expected 'payer/1'")
    for k in ("name", "description", "source"):
        if not isinstance(obj[k], str) or not obj[k].strip():
            raise _err(path, line(k), f"{k} must be a non-empty string")
    if not re.fullmatch(r"[a-z0-9][a-z0-9_.-]*", obj["name"]):
        raise _err(path, line("name"), f"name {obj['name']!r}: use lowercase letters, digits, '_', '-', '.'")
    if policies is None:
        policies = default_lexicon().payer_policies
    for k in PAYER_POLICY_KEYS:
        if obj[k] not in policies[k]:
            raise _err(path, line(k), f"{k} must be one of {policies[k]}")
    subs = obj["substitutions"]
    if not isinstance(subs, dict):
        raise _err(path, line("substitutions"), "substitutions must be an object {code: code}")
    for a, b in subs.items():
        for c in (a, b):
            if not isinstance(c, str) or not re.fullmatch(r"[0-9A-Z]\d{3}[0-9A-Z]", c):
                raise _err(path, line("substitutions"), f"substitution {a!r} -> {b!r}: {c!r} is not a code")
            if codes is not None and c not in codes:
                raise _err(path, line("substitutions"), f"substitution {a!r} -> {b!r}: unknown code {c!r}")
        if a == b:
            raise _err(path, line("substitutions"), f"substitution {a!r} -> {b!r} maps a code to itself")
    distinct = obj.get("distinct_service_modifier", "59")
    if distinct not in DISTINCT_POLICIES:
        raise _err(path, line("distinct_service_modifier"),
                   f"distinct_service_modifier must be one of {DISTINCT_POLICIES}")
    if "phrases" in obj:
        if not isinstance(obj["phrases"], str) or not obj["phrases"].strip():
            raise _err(path, line("phrases"), "phrases must be a file path (relative to the profile)")
        ppath = path.parent / obj["phrases"]
        if not ppath.is_file():
            raise _err(path, line("phrases"), f"phrase table {obj['phrases']!r} not found")
    else:
        ppath = lexicon_dir() / PHRASE_FILE
    return Payer(obj["name"], obj["description"], obj["bilateral"], obj["diagnostic_tomosynthesis"],
                        MappingProxyType(dict(subs)), obj["source"], distinct_service=distinct,
                        phrases=load_phrases(ppath))


def load_lexicon(directory: Path | None = None) -> Lexicon:
    """Load (uncached) the lexicon in ``directory`` (default: the packaged one)."""
    d = Path(directory) if directory else lexicon_dir()
    mpath = d / "manifest.json"
    try:
        mtext = mpath.read_text(encoding="utf-8")
        manifest = json.loads(mtext)
    except json.JSONDecodeError as e:
        raise _err(mpath, e.lineno, f"invalid JSON: {e.msg}") from None
    mkeys = {"_schema", "name", "version", "codes", "terms", "regions", "qualifiers", "region_rules", "elements",
             "sections", "context", "rules", "payers"}
    # a lexicon without these files names no procedure outside radiology / reads no shorthand / reads the packaged
    # administrative fields
    optional = {"procedures", "abbreviations", "admin_fields", "respellings"}
    _check_keys(mpath, 1, manifest, mkeys | optional, mkeys)
    for name in (n for k in sorted((mkeys | optional) - {"_schema", "name", "version"}) for n in _listed(manifest, k)):
        if not (d / name).is_file():
            m = re.search(r'"' + re.escape(name) + r'"', mtext)
            raise _err(mpath, mtext.count("\n", 0, m.start()) + 1 if m else 1, f"file {name!r} not found")
    code_lines: dict[str, int] = {}
    codes = _load_codes(d / manifest["codes"], code_lines)
    by_mod: dict[tuple[str, str], list[Code]] = {}
    for c in codes.values():
        by_mod.setdefault((c.modality, c.region), []).append(c)
    regions_by_modality = MappingProxyType({k: tuple(v) for k, v in by_mod.items()})
    qualifiers, atoms, qual_rows = _load_qualifiers(d / manifest["qualifiers"], codes, d / manifest["codes"],
                                                    code_lines)
    rules = _load_rules(d / manifest["rules"], codes, atoms)
    _check_qualifiers_used(d / manifest["qualifiers"], qual_rows, codes, d / manifest["codes"])
    splittable = {r.data["region"] for r in rules if r.rule == "split"}
    sites = _load_sites(d / manifest["regions"], regions_by_modality, atoms, splittable)
    terms = _load_terms([d / p for p in manifest["terms"]], sites, atoms)
    policies = _payer_policies(rules)
    payers = {}
    for p in manifest["payers"]:
        payer = load_payer(d / p, codes, policies)
        payers[payer.name] = payer
    return Lexicon(
        version=manifest["version"],
        directory=d,
        codes=MappingProxyType(codes),
        terms=terms,
        sites=MappingProxyType(sites),
        qualifiers=MappingProxyType(qualifiers),
        atoms=atoms,
        region_rules=_load_region_rules(d / manifest["region_rules"], atoms, regions_by_modality, sites),
        sections=MappingProxyType(_load_sections(d / manifest["sections"])),
        context=_load_context(d / manifest["context"]),
        rules=rules,
        payers=MappingProxyType(payers),
        regions_by_modality=regions_by_modality,
        elements=MappingProxyType(_load_elements(d / manifest["elements"], regions_by_modality)),
        parts=MappingProxyType(_load_parts(d / manifest["qualifiers"], atoms)),
        procedures=_load_procedures(d / manifest["procedures"], terms) if "procedures" in manifest else NO_PROCEDURES,
        abbreviations=(_load_abbreviations(d / manifest["abbreviations"], terms) if "abbreviations" in manifest
                       else MappingProxyType({})),
        respellings=_load_respellings(d / manifest["respellings"]) if "respellings" in manifest else (),
        admin_fields=(load_admin_fields(d / manifest["admin_fields"]) if "admin_fields" in manifest
                      else default_admin_fields()),
    )


@lru_cache(maxsize=8)
def default_lexicon(directory: str | None = None) -> Lexicon:
    return load_lexicon(Path(directory) if directory else None)
