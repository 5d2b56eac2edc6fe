"""The IR / procedure-service and community radiograph parts (stop 36, fam24): guidance lines billed on
their own, diagnostic fluoroscopy, radiographs of several regions in one report, and MR angiography.
Reports written for these tests. One short report per cause found in the dev records of dv_n / dv_m:

- a central venous device whose vein was found by landmarks ("ultrasound not used") bills only the
  fluoroscopy; a port whose title also names its chest film bills both guidances beside the film;
- ultrasound that only marked the skin for another team's tap is the diagnostic ultrasound of the region;
  a CT-guided procedure stopped before any needle is the limited CT of its planning images (76380);
- a guided biopsy converted to another modality bills the guidance performed (CODING_RULES §6);
- a fistula the title says is to be ruled out is the reason for the enema, not a sinus tract study;
- a pharyngogram titled with the pharynx a second time is one contrast study (74210);
- MRA of the abdominal aorta with the iliac arteries is MRA abdomen + MRA pelvis (no combined code);
- a Norgaard ("ball-catcher") oblique is one view however it is written;
- a shunt series bills each region with its own views, never the acute abdomen series.
"""

from __future__ import annotations

import pytest

from suggester import Suggester


@pytest.fixture(scope="module")
def s():
    return Suggester(billing="global", payer="medicare")


def _lines(out):
    return sorted(c["code"] + "".join("-" + m for m in c["modifiers"]) for c in out["codes"])


def _flags(out):
    return sorted(f["type"] for f in out["flags"])


# ------------------------------------------------------------------ central venous devices


def test_port_by_landmark_access_bills_fluoroscopy_only(s):
    """The vein found by anatomy ("landmark technique; ultrasound not used"), the catheter placed under
    fluoroscopy: the fluoroscopic guidance alone (77001), no ultrasound access line."""
    text = ("CHEST PORT INSERTION, LEFT SUBCLAVIAN VEIN\n"
            "Indication: lymphoma, needs chemotherapy.\n"
            "The left subclavian vein was entered using landmark technique (ultrasound not used). A guidewire was "
            "passed to the IVC under fluoroscopy. The port catheter tip was left at the cavoatrial junction. "
            "Fluoroscopy time 1.1 minutes.\n"
            "IMPRESSION: Left chest port, tip at the cavoatrial junction.")
    assert _lines(s.suggest(text)) == ["77001"]


def test_port_titled_with_its_chest_film_bills_both_guidances_and_the_film(s):
    """"PORT PLACEMENT ... + CXR": the chest film is its own exam, and the body documents the access
    under ultrasound and the catheter under fluoroscopy: 76937 + 77001 + 71045."""
    text = ("PORT PLACEMENT RIGHT IJ + CXR\n"
            "Right internal jugular vein compressible, accessed under real-time US with a saved image; catheter "
            "advanced and positioned under fluoroscopy. Port pocket in the right chest.\n"
            "Post-procedure upright chest radiograph, one frontal view: port tip at the atriocaval junction, "
            "no pneumothorax.\n"
            "IMPRESSION: Right IJ port ready for use.")
    assert _lines(s.suggest(text)) == ["71045", "76937", "77001"]


# ------------------------------------------------------------------ guidance that placed no needle


def test_ascites_site_marking_is_limited_abdominal_ultrasound(s):
    """Ultrasound that surveyed the ascites and marked the skin for a tap the ward team does: no needle
    guidance (76942), the limited abdominal ultrasound (76705)."""
    text = ("US ABDOMEN LIMITED - PARACENTESIS SITE MARKING\n"
            "Indication: tense ascites, medicine team to tap at the bedside.\n"
            "Findings: Moderate free fluid in all four quadrants, deepest pocket right lower quadrant 6 cm. "
            "Site marked on the skin.\n"
            "Impression: Moderate ascites, right lower quadrant site marked.")
    assert _lines(s.suggest(text)) == ["76705"]


def test_pleural_site_marking_is_chest_ultrasound(s):
    """The same for a pleural effusion marked for a bedside thoracentesis: chest ultrasound (76604)."""
    text = ("US CHEST THORACENTESIS SITE MARKING (RIGHT)\n"
            "Indication: right effusion, pulmonology to drain at the bedside.\n"
            "Findings: Large anechoic right pleural effusion, 6 cm deep at the posterior axillary line. "
            "Site marked.\n"
            "Impression: Large right effusion, site marked for pulmonology.")
    assert _lines(s.suggest(text)) == ["76604"]


def test_ultrasound_guided_tap_stays_guidance(s):
    """Control: when radiology places the needle under ultrasound, the guidance line stays (76942)."""
    text = ("US GUIDED PARACENTESIS\n"
            "Findings: Large ascites. Site marked. Under ultrasound guidance a 5 Fr needle catheter was advanced "
            "into the right lower quadrant and 4 L of fluid were drained.\n"
            "Impression: Successful paracentesis.")
    assert _lines(s.suggest(text)) == ["76942"]


def test_ct_guided_biopsy_stopped_before_the_needle_is_limited_ct(s):
    """A CT-guided bone biopsy called off after the planning images showed a benign bone island ("No
    needle was placed"): the planning images are the limited CT (76380), not reduced guidance."""
    text = ("CT GUIDED BIOPSY LEFT SACRUM - NOT PERFORMED\n"
            "Indication: sacral lesion on MRI.\n"
            "Procedure: Prone planning CT images of the sacrum without contrast were obtained. The lesion is a "
            "classic bone island. After discussion with the referring team the biopsy was cancelled. No needle "
            "was placed.\n"
            "Impression: Sacral bone island; biopsy not needed.")
    out = s.suggest(text)
    assert _lines(out) == ["76380"]


# ------------------------------------------------------------------ guidance converted to another modality


def test_ultrasound_biopsy_converted_to_ct_bills_ct_guidance(s):
    """Titled as ultrasound-guided, the lesion not seen and the procedure converted to CT guidance: the
    CT guidance performed (77012), the title a conflict."""
    text = ("US GUIDED KIDNEY MASS BIOPSY\n"
            "Procedure: The upper pole mass could not be seen well with ultrasound because of overlying ribs. "
            "The procedure was converted to CT guidance. Using CT, an 18G needle was advanced into the mass and "
            "two cores were taken.\n"
            "Impression: CT-guided biopsy of a right upper pole renal mass.")
    out = s.suggest(text)
    assert _lines(out) == ["77012"]
    assert "title_technique_conflict" in _flags(out)


# ------------------------------------------------------------------ fluoroscopy


def test_enema_to_rule_out_fistula_is_the_enema(s):
    """"R/O ... FISTULA" in an enema title is what the enema looks for: single contrast enema (74270),
    not an abscess / fistula / sinus tract study (76080)."""
    text = ("WATER SOLUBLE ENEMA - R/O COLOVAGINAL FISTULA\n"
            "Technique: Single contrast enema with water-soluble contrast, frontal and lateral views.\n"
            "Findings: No contrast reaches the vagina. Sigmoid diverticula.\n"
            "Impression: No colovaginal fistula.")
    assert _lines(s.suggest(text)) == ["74270"]


def test_fistulogram_stays_a_sinus_tract_study(s):
    """Control: contrast injected into the tract itself is the sinus tract study (76080)."""
    text = ("FISTULOGRAM PERIANAL\n"
            "Technique: Contrast injected through the external opening under fluoroscopy.\n"
            "Findings: Blind-ending tract 4 cm long.\n"
            "Impression: Blind perianal sinus tract.")
    assert _lines(s.suggest(text)) == ["76080"]


def test_pharyngogram_named_twice_is_one_contrast_study(s):
    """A title naming the pharyngogram and then "contrast study of pharynx": one study (74210)."""
    text = ("PHARYNGOGRAM / CONTRAST EXAM OF PHARYNX\n"
            "Technique: Water-soluble contrast swallowed under fluoroscopy, lateral and frontal projections.\n"
            "Findings: No leak from the pharyngeal repair.\n"
            "Impression: No leak.")
    assert _lines(s.suggest(text)) == ["74210"]


# ------------------------------------------------------------------ MR angiography (CODING_RULES §2)


def test_mra_abdominal_aorta_and_iliacs_is_abdomen_plus_pelvis(s):
    """MRA of the abdominal aorta and iliac arteries: MRA abdomen (74185) + MRA pelvis (72198)."""
    text = ("MRA ABDOMINAL AORTA AND ILIAC ARTERIES W CONTRAST\n"
            "Technique: Gadolinium-enhanced 3D MR angiography from the diaphragm to the femoral heads, MIP "
            "reformats.\n"
            "Findings: 4.2 cm infrarenal aneurysm. Iliac arteries patent.\n"
            "Impression: Infrarenal aortic aneurysm.")
    assert _lines(s.suggest(text)) == ["72198", "74185"]


def test_mra_aortoiliac_is_abdomen_plus_pelvis(s):
    """"AORTOILIAC" names the aorta as well: both regions."""
    text = ("MRA AORTOILIAC WITH CONTRAST\n"
            "Technique: contrast-enhanced MR angiography with MIP.\n"
            "Impression: Patent aortoiliac segments.")
    assert _lines(s.suggest(text)) == ["72198", "74185"]


def test_mra_iliac_arteries_alone_is_the_pelvis(s):
    """The iliac arteries alone are the pelvis (72198)."""
    text = ("MRA ILIAC ARTERIES WITH CONTRAST\n"
            "Technique: contrast-enhanced MR angiography of the pelvis with MIP.\n"
            "Impression: No iliac stenosis.")
    assert _lines(s.suggest(text)) == ["72198"]


# ------------------------------------------------------------------ radiographs (CODING_RULES §4)


def test_norgaard_view_with_its_other_name_is_one_view(s):
    """"PA and Norgaard (ball-catcher) oblique" of both hands: 2 views a hand (73120-50), not 3."""
    text = ("XR BOTH HANDS 2 VIEWS\nHistory: joint pain.\n"
            "Technique: PA and Norgaard (ball-catcher) oblique views of both hands.\n"
            "Findings: No erosions.\nImpression: Normal hands.")
    assert _lines(s.suggest(text)) == ["73120-50"]


def test_shunt_series_bills_each_region_with_its_own_views(s):
    """A shunt series listing the views of each region: skull 2 views (70250), chest 1 view (71045),
    abdomen 1 view (74018), never the acute abdomen series (74022)."""
    text = ("XR VP SHUNT SERIES\nHistory: shunt malfunction?\n"
            "Technique: Frontal and lateral views of the skull, AP view of the chest and AP view of the abdomen.\n"
            "Findings: Shunt tubing continuous from the skull to the peritoneum.\n"
            "Impression: Intact shunt.")
    assert _lines(s.suggest(text)) == ["70250", "71045", "74018"]


def test_shunt_series_projection_before_each_region(s):
    """The same series written "AP and lateral skull, AP chest, AP abdomen": each projection is the
    view of the region after it (70250 + 71045 + 74018)."""
    text = ("SHUNT SERIES\nIndication: infant with vomiting, shunt revised last year.\n"
            "Images: AP and lateral skull, AP chest, AP abdomen.\n"
            "Findings: The tubing is continuous to the peritoneum.\n"
            "Impression: No shunt discontinuity.")
    assert _lines(s.suggest(text)) == ["70250", "71045", "74018"]
