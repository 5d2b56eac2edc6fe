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

from dataclasses import dataclass, field

from .lexicon import Lexicon
from .model import Conflict, Frame, Mention

__all__ = ["Conflict", "Frame", "Mention", "build_frames", "group_mentions", "site_parts", "split_and_merge"]

_BARE_CONTRAST = frozenset({"w", "w/", "wo", "w/o", "with", "without", "c+", "c-"})
MODALITY_FALLBACK = {"DUPLEX": "US", "US": "DUPLEX", "XR": "FL", "FL": "XR", "CTA": "CT", "MRA": "MR"}
# "US ... WITH DOPPLER" stays the ultrasound; vascular sites make a duplex exam by themselves
UPGRADES = {("CT", "CTA"), ("MR", "MRA"), ("XR", "FL"), ("NM", "PET"),
            ("CT", "PET"), ("XR", "MG"), ("US", "MG")}
COUNTING_CONTRAST = ("without", "with", "without_then_with")
# qualifiers that only nuclear medicine protocols use ("thyroid uptake", "bone imaging three phase")
NM_QUALIFIERS = frozenset({"uptake", "imaging", "imaging_with_uptake", "planar", "spect", "spect_ct",
                           "perfusion", "ventilation", "ventilation_perfusion", "three_phase",
                           "multiple_areas", "vascular_flow", "static", "morphology", "quantitative",
                           "whole_body", "flow_function", "blood_pool_gated",
                           "cisternography", "shunt_evaluation", "gastroesophageal_reflux", "meckel"})
# sections whose mentions describe the performed study
PERFORMED = ("technique", "contrast", "views")


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


def group_mentions(mentions: list[Mention]) -> list[_Group]:
    """Split an exam title's mentions into exam groups (one per modality phrase)."""
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
            if cur is not None and not cur.sites and not pending and _compatible(cur, m):
                _upgrade(cur, m)
                continue
            g = _Group(m)
            if pending:
                g.mentions.extend(pending)
                pending = []
            elif cur is not None and cur.sites:
                # "... AND LIMITED ULTRASOUND LEFT BREAST": a qualifier right before the modality
                lead = [x for x in cur.mentions if x.key == "qual" and x.doc_id == m.doc_id and
                        0 < m.token - x.token <= 2 and x.token > cur.sites[-1].token]
                for x in lead:
                    cur.mentions.remove(x)
                g.mentions.extend(lead)
            elif cur is not None and len(cur.sites) >= 2:
                # "CT head and chest x-ray": the site right before a modality belongs to it
                last = cur.sites[-1]
                if m.doc_id == last.doc_id and 0 <= m.token - last.token <= 2 and m.start > last.end:
                    prev = cur.sites[-2]
                    moved = [x for x in cur.mentions if x.doc_id == m.doc_id and
                             max(prev.token + 1, last.token - 2) <= x.token <= last.token and
                             x.key in ("site", "side", "qual")]
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
    for g in groups:
        if merged and not g.sites and g.modality is not None:
            prev = merged[-1]
            if prev.modality is None or _is_upgrade(prev.modality.value, g.modality.value) or \
                    prev.modality.value == g.modality.value:
                _upgrade(prev, g.modality)
            # its qualifiers and sides still describe the exam before it ("3D RECON CT ON IW")
            prev.mentions.extend(g.mentions)
            continue
        merged.append(g)
    return merged


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


def build_frames(groups: list[_Group], lex: Lexicon, default_modality: str | None) -> list[Frame]:
    frames: list[Frame] = []
    for g in groups:
        modality = g.modality.value if g.modality else None
        sites = g.sites
        if not sites:
            continue
        quals = [m for m in g.mentions if m.key == "qual" and m.status == "performed"]
        qual_values = {m.value for m in quals}
        if modality is None:
            modality = _infer_modality(sites, g.mentions, lex, default_modality)
        if modality == "CT" and "angio" in qual_values:
            modality = "CTA"
        if modality == "MR" and "angio" in qual_values:
            modality = "MRA"
        dominant = [s for s in sites if s.value in lex.sites and lex.sites[s.value].dominant]
        if dominant:
            keep = max(dominant, key=lambda s: lex.sites[s.value].dominant)
            for s in sites:
                if s is not keep and s.value in lex.sites:
                    qual_values |= lex.sites[s.value].absorbed
            sites = [keep]
        # keep the most specific sites: "SP CERV" -> cervical spine, "LLE ART DUPLEX" -> arteries
        level = min((_generic(lex, s.value) for s in sites), default=0)
        specific = [s for s in sites if _generic(lex, s.value) == level]
        if len(specific) < len(sites):
            for s in sites:
                if _generic(lex, s.value) > level and s.value in lex.sites:
                    qual_values |= lex.sites[s.value].implies
            sites = specific
        sides = [m for m in g.mentions if m.key == "side" and m.status != "historical"]
        side_for: dict[str, list[Mention]] = {}
        # a side belongs to anatomy that has sides: "HIP UNI W WO PELV ... LT" is the left hip
        lateral = [s for s in sites if _has_sides(lex, s.value, modality)] or sites
        for s in sides:
            near = _nearest_site(s, lateral)
            if near is not None:
                side_for.setdefault(near.value, []).append(s)
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
            f.add("site", [site_m], "title")
            if g.modality:
                f.add("modality", [g.modality], "title")
            else:
                f.sources["modality"] = "inferred"
            f.quals |= qual_values
            if site:
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
    return frames


def _has_sides(lex: Lexicon, site: str, modality: str | None) -> bool:
    mods = [modality] if modality else ["XR", "CT", "MR", "US"]
    for mod in mods:
        region = lex.region_for(site, mod)
        if region and any(c.side in ("unilateral", "bilateral") for c in lex.codes_for(mod, region)):
            return True
    return False


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


def _infer_modality(sites, mentions, lex: Lexicon, default: str | None) -> str | None:
    quals = {m.value for m in mentions if m.key == "qual"}
    if quals & NM_QUALIFIERS and any(lex.region_for(s.value, "NM") for s in sites):
        return "NM"
    for s in sites:
        site = lex.sites.get(s.value)
        if site and site.default_modality:
            return site.default_modality
    if "angio" in quals:
        return "CTA"
    if quals & {"complete", "limited", "transvaginal", "transabdominal"} and \
            any(lex.region_for(s.value, "US") and not lex.region_for(s.value, "XR") for s in sites):
        return "US"
    if any(m.key == "views" or m.key == "proj" for m in mentions):
        return "XR"
    # a spelled-out contrast phrase implies cross-sectional imaging; a bare "W/" does not
    # ("LUMBAR SPINE COMP W/BEND")
    if any(m.key == "contrast" and m.value in COUNTING_CONTRAST and
           m.text.lower().replace(" ", "") not in _BARE_CONTRAST for m in mentions):
        return default or "CT"
    return default


def split_and_merge(frames: list[Frame], lex: Lexicon) -> list[Frame]:
    """Apply the lexicon's split and merge rules to the frames' regions."""
    out: list[Frame] = []
    for f in frames:
        f.region = resolve_region(f, lex)
        split = next((r for r in lex.rules if r.rule == "split" and f.modality in r.data["modalities"]
                      and f.region == r.data["region"]), None)
        if split is None:
            out.append(f)
            continue
        for part in split.data["into"]:
            g = Frame(f.modality, part, part, f.contrast, f.views, f.side, set(f.quals),
                      {k: list(v) for k, v in f.evidence.items()}, dict(f.sources), list(f.conflicts),
                      f.fuzzy)
            g.region = resolve_region(g, lex)
            out.append(g)
    for r in lex.rules:
        if r.rule != "split_qualifier":
            continue
        first, second = r.data["qualifiers"]
        for f in list(out):
            if f.modality in r.data["modalities"] and {first, second} <= f.quals:
                g = Frame(f.modality, f.site, f.region, f.contrast, f.views, f.side, f.quals - {first},
                          {k: list(v) for k, v in f.evidence.items()}, dict(f.sources), [], f.fuzzy)
                f.quals.discard(second)
                out.insert(out.index(f) + 1, g)
    changed = True
    while changed:
        changed = False
        for r in lex.rules:
            if r.rule != "merge":
                continue
            regions = r.data["regions"]
            for mod in r.data["modalities"]:
                members = [f for f in out if f.modality == mod and f.region in regions]
                if {f.region for f in members} >= set(regions):
                    keep = members[0]
                    for f in members[1:]:
                        for k, v in f.evidence.items():
                            keep.evidence.setdefault(k, []).extend(v)
                        keep.quals |= f.quals
                        if f.contrast and f.contrast != keep.contrast:
                            keep.contrast = _merge_contrast(keep.contrast, f.contrast)
                        out.remove(f)
                    keep.region = r.data["into"]
                    keep.site = r.data["into"]
                    changed = True
    # one frame per (modality, region)
    # the same exam named twice (banner and EXAM line) is one frame; two exams of one region
    # with different qualifiers ("US OB LIMITED" and "FETAL MCA DOPPLER") stay two
    uniq: list[Frame] = []
    for f in out:
        key = (f.modality, f.region, f.side if f.side in ("left", "right") else None,
               tuple(sorted(f.quals & {"transvaginal"})))
        other = next((u for u in uniq if (u.modality, u.region, u.side if u.side in ("left", "right") else None,
                                          tuple(sorted(u.quals & {"transvaginal"}))) == key
                      and (u.quals <= f.quals or f.quals <= u.quals)), None)
        if other is not None:
            for k, v in f.evidence.items():
                other.evidence.setdefault(k, []).extend(v)
            other.quals |= f.quals
        else:
            uniq.append(f)
    return uniq


def _merge_contrast(a: str | None, b: str | None) -> str | None:
    if a is None or b is None:
        return a or b
    if a == b:
        return a
    return "without_then_with"  # mixed regions: CODING_RULES §2 (74178)


def resolve_region(f: Frame, lex: Lexicon) -> str | None:
    if f.modality == "PET":
        return _pet_region(f, lex.region_for(f.site, "PET") or "")
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
                f.modality = site.default_modality
    if region is None:
        return None
    site = lex.sites.get(f.site)
    if f.side == "bilateral" and site and site.bilateral_region and f.modality == "XR":
        region = site.bilateral_region
    for rr in lex.region_rules:
        if rr.modality == f.modality and rr.from_region == region and rr.atoms <= f.quals and \
                (rr.side is None or rr.side == f.side) and (rr.views is None or rr.views == f.views):
            region = rr.to_region
    return region


def _pet_region(f: Frame, region: str) -> str:
    if "skull_base_to_mid_thigh" in f.quals:
        return "skull_base_to_mid_thigh"
    if "whole_body" in f.quals:
        return "whole_body"
    if region == "brain":
        return "brain"
    if f.site in ("chest", "neck", "head") or f.quals & {"limited", "limited_area"}:
        return "limited"
    return "skull_base_to_mid_thigh"
