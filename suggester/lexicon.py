"""Load and validate the lexicons: the code table, terms, regions, qualifiers, rules, payers.

Every file carries a schema line; every record is checked at load. Errors name the file and
line (``LexiconError: lexicons/terms/anatomy.tsv:42: duplicate term 'knee'``). Loaded data is
immutable (frozen dataclasses, tuples, mapping proxies) and cached per directory.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .resources import lexicon_dir

ATTR_KEYS = ("modality", "site", "contrast", "side", "qual", "proj", "views", "route")
MODALITIES = ("CT", "CTA", "MR", "MRA", "XR", "FL", "US", "DUPLEX", "MG", "DXA", "NM", "PET", "POST")
CONTRASTS = ("without", "with", "without_then_with", "oral", "rectal")
CODE_CONTRASTS = ("without", "with", "without_then_with", "angio", "any")
SIDES = ("left", "right", "bilateral", "unilateral")
CODE_SIDES = ("unilateral", "bilateral", "either")
ROUTES = ("intra_articular", "intrathecal")
COMPONENTS = ("split", "professional_only", "technical_only", "none")
BILATERAL_POLICIES = ("modifier_50", "rt_lt")
DBT_POLICIES = ("G0279", "cpt")


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
    views: int | None = None


@dataclass(frozen=True)
class ContextCue:
    cue: str
    kind: str
    direction: str


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


@dataclass(frozen=True)
class Payer:
    name: str
    description: str
    bilateral: str
    diagnostic_tomosynthesis: str
    substitutions: MappingProxyType
    source: str


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

    def codes_for(self, modality: str, region: str) -> tuple[Code, ...]:
        return self.regions_by_modality.get((modality, region), ())

    @property
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


def _load_codes(path: Path) -> dict[str, Code]:
    codes: dict[str, Code] = {}
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
    return codes


def _load_qualifiers(path: Path, codes: dict[str, Code]):
    rules: dict[str, QualifierRule] = {}
    atoms: set[str] = set()
    declared: set[str] = set()
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
    used = {c.qualifier for c in codes.values() if c.qualifier}
    missing = used - set(rules)
    if missing:
        raise _err(path, 1, f"code table qualifiers without a rule: {sorted(missing)}")
    unused = set(rules) - used
    if unused:
        raise _err(path, 1, f"qualifier rules for no code: {sorted(unused)}")
    return rules, frozenset(atoms)


def _load_sites(path: Path, regions_by_mod: dict, codes: dict[str, Code]) -> dict[str, Site]:
    sites: dict[str, Site] = {}
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
            regions[mod] = reg
        opts: dict[str, Any] = {}
        if len(cols) > 2 and cols[2]:
            for opt in cols[2].split(";"):
                k, _, v = opt.partition("=")
                if k == "default_modality":
                    if v not in MODALITIES:
                        raise _err(path, no, f"unknown modality {v!r}")
                    opts[k] = v
                elif k == "bilateral":
                    opts["bilateral_region"] = v
                elif k == "parts":
                    opts["parts"] = tuple(v.split("+"))
                elif k == "generic":
                    opts[k] = 1 if v == "yes" else int(v) if v.isdigit() else -1
                    if opts[k] < 0:
                        raise _err(path, no, f"generic must be yes or a number, got {v!r}")
                elif k == "dominant":
                    opts[k] = 1 if v == "yes" else int(v) if v.isdigit() else -1
                    if opts[k] < 0:
                        raise _err(path, no, f"dominant must be yes or a number, got {v!r}")
                elif k == "default_for":
                    if v not in MODALITIES:
                        raise _err(path, no, f"unknown modality {v!r}")
                    opts[k] = v
                elif k == "default_requires":
                    opts[k] = frozenset(v.split("+"))
                elif k == "absorbed":
                    opts[k] = frozenset(v.split("+"))
                elif k == "implies":
                    opts["implies"] = frozenset(v.split("+"))
                else:
                    raise _err(path, no, f"unknown option {k!r}")
        sites[name] = Site(name, MappingProxyType(regions), **opts)
    # every mapped region must be a real code region or a region a rule splits
    splittable = {"chest_abdomen_pelvis", "abdomen_pelvis", "total_spine"}
    for s in sites.values():
        for mod, reg in s.regions.items():
            if (mod, reg) not in regions_by_mod and reg not in splittable:
                raise LexiconError(f"{path}: site {s.name!r}: no {mod} code has region {reg!r}")
    return sites


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
    for path in paths:
        for no, cols in _tsv_rows(path, "terms/1", (2, 2)):
            term = " ".join(cols[0].lower().split())
            if not term:
                raise _err(path, no, "empty term")
            if term in seen:
                raise _err(path, no, f"duplicate term {term!r} (first at {seen[term]})")
            seen[term] = f"{path.name}:{no}"
            terms.append(Term(term, _parse_attrs(path, no, cols[1], sites, atoms), f"{path.name}:{no}"))
    return tuple(terms)


def _load_region_rules(path: Path, atoms, regions_by_mod) -> tuple[RegionRule, ...]:
    out = []
    for no, cols in _tsv_rows(path, "region_rules/1", (4, 4)):
        mod, frm, req, to = cols
        if mod not in MODALITIES:
            raise _err(path, no, f"unknown modality {mod!r}")
        if (mod, to) not in regions_by_mod:
            raise _err(path, no, f"no {mod} code has region {to!r}")
        need, side, views = set(), None, None
        for part in req.split("+"):
            if part.startswith("side:"):
                side = part[5:]
            elif part.startswith("views:") and part[6:].isdigit():
                views = int(part[6:])
            elif part in atoms:
                need.add(part)
            else:
                raise _err(path, no, f"unknown qualifier atom {part!r}")
        out.append(RegionRule(mod, frm, frozenset(need), side, to, views))
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
        if cols[2] not in ("forward", "backward"):
            raise _err(path, no, f"unknown direction {cols[2]!r}")
        key = (cue, cols[2])
        if key in seen:
            raise _err(path, no, f"duplicate cue {cue!r} ({cols[2]})")
        seen.add(key)
        out.append(ContextCue(cue, cols[1], cols[2]))
    return tuple(out)


RULE_KEYS = {
    "merge": ({"rule", "id", "modalities", "regions", "into", "note"}, {"rule", "id", "modalities", "regions", "into"}),
    "split": ({"rule", "id", "modalities", "region", "into", "note"}, {"rule", "id", "modalities", "region", "into"}),
    "bundle": ({"rule", "id", "if_any", "drop", "note"}, {"rule", "id", "if_any", "drop"}),
    "replace": ({"rule", "id", "all", "with", "note"}, {"rule", "id", "all", "with"}),
    "addon": ({"rule", "id", "code", "primaries", "note"}, {"rule", "id", "code", "primaries"}),
    "secondary": ({"rule", "id", "codes", "note"}, {"rule", "id", "codes"}),
    "split_qualifier": ({"rule", "id", "modalities", "qualifiers", "note"}, {"rule", "id", "modalities", "qualifiers"}),
}


def _load_rules(path: Path, codes) -> tuple[Rule, ...]:
    out, ids = [], set()
    for no, obj in _jsonl_rows(path, "rules/1"):
        kind = obj.get("rule")
        if kind not in RULE_KEYS:
            raise _err(path, no, f"unknown rule type {kind!r}")
        allowed, required = RULE_KEYS[kind]
        _check_keys(path, no, obj, allowed, required)
        if obj["id"] in ids:
            raise _err(path, no, f"duplicate rule id {obj['id']!r}")
        ids.add(obj["id"])
        refs = []
        for k in ("if_any", "drop", "all", "primaries", "codes"):
            refs += obj.get(k, [])
        for k in ("with", "code"):
            if k in obj:
                refs.append(obj[k])
        for c in refs:
            if c not in codes:
                raise _err(path, no, f"unknown code {c!r}")
        frozen = {k: tuple(v) if isinstance(v, list) else v for k, v in obj.items()}
        out.append(Rule(kind, obj["id"], MappingProxyType(frozen)))
    return tuple(out)


def _load_elements(path: Path, regions_by_mod) -> dict[str, tuple[Element, ...]]:
    out: dict[str, list[Element]] = {}
    seen = set()
    for no, cols in _tsv_rows(path, "elements/1", (4, 4)):
        region, name, pattern, group = cols
        if ("US", region) not in regions_by_mod:
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


def load_payer(path: Path, codes=None) -> Payer:
    """Load and validate a payer profile (``payer/1``); errors name the file and the key's line.

    Required keys: name, description, bilateral (modifier_50 | rt_lt), diagnostic_tomosynthesis
    (G0279 | cpt), substitutions ({code: code}), source. Optional: distinct_service_modifier
    ("59", or "X" for the X{EPSU} modifier the text points to; default "59") and phrases (the
    billing phrase table, relative to the profile file; default: the packaged one). With
    ``codes`` (the code table), substitution codes must be in it.
    """
    from .modifiers import DISTINCT_POLICIES, PHRASE_FILE, PayerProfile, load_phrases

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
    if obj["bilateral"] not in BILATERAL_POLICIES:
        raise _err(path, line("bilateral"), f"bilateral must be one of {BILATERAL_POLICIES}")
    if obj["diagnostic_tomosynthesis"] not in DBT_POLICIES:
        raise _err(path, line("diagnostic_tomosynthesis"), f"diagnostic_tomosynthesis must be one of {DBT_POLICIES}")
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
    return PayerProfile(obj["name"], obj["description"], obj["bilateral"], obj["diagnostic_tomosynthesis"],
                        MappingProxyType(dict(subs)), obj["source"], distinct_service=distinct,
                        phrases=load_phrases(ppath))


def load_lexicon(directory: Path | None = None) -> Lexicon:
    """Load (uncached) the lexicon in ``directory`` (default: the packaged one)."""
    d = Path(directory) if directory else lexicon_dir()
    mpath = d / "manifest.json"
    try:
        manifest = json.loads(mpath.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise _err(mpath, e.lineno, f"invalid JSON: {e.msg}") from None
    mkeys = {"_schema", "name", "version", "codes", "terms", "regions", "qualifiers", "region_rules", "elements",
             "sections", "context", "rules", "payers"}
    _check_keys(mpath, 1, manifest, mkeys, mkeys)
    codes = _load_codes(d / manifest["codes"])
    by_mod: dict[tuple[str, str], list[Code]] = {}
    for c in codes.values():
        by_mod.setdefault((c.modality, c.region), []).append(c)
    regions_by_modality = MappingProxyType({k: tuple(v) for k, v in by_mod.items()})
    qualifiers, atoms = _load_qualifiers(d / manifest["qualifiers"], codes)
    sites = _load_sites(d / manifest["regions"], regions_by_modality, codes)
    terms = _load_terms([d / p for p in manifest["terms"]], sites, atoms)
    payers = {}
    for p in manifest["payers"]:
        payer = load_payer(d / p)
        payers[payer.name] = payer
    return Lexicon(
        version=manifest["version"],
        directory=d,
        codes=MappingProxyType(codes),
        terms=terms,
        sites=MappingProxyType(sites),
        qualifiers=MappingProxyType(qualifiers),
        atoms=atoms,
        region_rules=_load_region_rules(d / manifest["region_rules"], atoms, regions_by_modality),
        sections=MappingProxyType(_load_sections(d / manifest["sections"])),
        context=_load_context(d / manifest["context"]),
        rules=_load_rules(d / manifest["rules"], codes),
        payers=MappingProxyType(payers),
        regions_by_modality=regions_by_modality,
        elements=MappingProxyType(_load_elements(d / manifest["elements"], regions_by_modality)),
    )


@lru_cache(maxsize=8)
def default_lexicon(directory: str | None = None) -> Lexicon:
    return load_lexicon(Path(directory) if directory else None)
