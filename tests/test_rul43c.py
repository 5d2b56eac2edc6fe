"""Error classes of dev (stop 43, part dz_c: a community hospital's ultrasound department, breast center and
vascular lab) fixed with general lexicon entries. Reports written for these tests."""

from __future__ import annotations

import pytest
from conftest import codes


@pytest.mark.parametrize(("text", "expected"), [
    # "noninvasive" (a vascular lab's letterhead, or the title's own word) is true of every vascular-lab study:
    # a limb arterial title naming the duplex over a report documenting the duplex imaging is the duplex scan
    # (CODING_RULES §5: 93925 / 93930 complete bilateral, 93926 one leg), a resting ABI named beside it its own
    # 93922; a lab's "arterial study" documenting only pressures stays the physiologic study (93922 / 93923)
    ("MERCY VALLEY HOSPITAL - NONINVASIVE VASCULAR LABORATORY\n"
     "EXAM: DUPLEX ARTERIAL BILATERAL UPPER EXTREMITIES\n"
     "INDICATION: Hand pallor with overhead work.\n"
     "TECHNIQUE: Color and spectral Doppler of the subclavian, axillary, brachial, radial and ulnar arteries "
     "of both arms.\n"
     "FINDINGS: Triphasic waveforms throughout both arms. No stenosis.\n"
     "IMPRESSION: Normal bilateral upper extremity arterial duplex.", ["93930"]),
    ("NON-INVASIVE VASCULAR LAB - MERCY VALLEY HOSP\n"
     "EXAM 1: DUPLEX ARTERIAL LOWER EXTREMITIES BILATERAL\n"
     "EXAM 2: ANKLE BRACHIAL INDICES, RESTING\n"
     "INDICATION: Calf claudication.\n"
     "TECHNIQUE: Brachial and ankle systolic pressures with continuous-wave Doppler. Color and spectral "
     "Doppler of both legs from the common femoral to the tibial arteries.\n"
     "FINDINGS: ABI right 0.72, left 0.95. Right SFA stenosis, PSV 310 cm/s. Left leg arteries patent.\n"
     "IMPRESSION: Right SFA stenosis.", ["93922", "93925"]),
    ("NONINVASIVE ARTERIAL DUPLEX RIGHT LOWER EXTREMITY\n"
     "INDICATION: Right calf claudication.\n"
     "TECHNIQUE: B-mode, color and spectral Doppler from the right common femoral to the tibial arteries.\n"
     "FINDINGS: Right popliteal occlusion with reconstitution of the tibial arteries. PSV 40 cm/s distally.\n"
     "IMPRESSION: Right popliteal occlusion.", ["93926-RT"]),
    ("NONINVASIVE VASCULAR LABORATORY\n"
     "EXAM: LOWER EXTREMITY ARTERIAL STUDY BILATERAL\n"
     "TECHNIQUE: Resting ankle-brachial indices with continuous-wave Doppler.\n"
     "FINDINGS: ABI right 0.8, left 0.85.\n"
     "IMPRESSION: Mild bilateral arterial insufficiency.", ["93922"]),
    # a second exam that names the liver's vessels ("DUPLEX LIVER VASCULAR", "LIVER DUPLEX") beside a complete
    # abdomen sonogram is the duplex of the organ's inflow and outflow (93975 with both documented), not a
    # limited abdomen sonogram of the liver (76705) as well (CODING_RULES §5, LABELING: spectral Doppler)
    ("EXAM 1: US ABDOMEN COMPLETE\n"
     "EXAM 2: DUPLEX LIVER VASCULAR\n"
     "INDICATION: Cirrhosis, evaluate portal vein.\n"
     "TECHNIQUE: Complete abdominal sonogram. Color and spectral Doppler of the portal veins, hepatic artery "
     "and hepatic veins.\n"
     "FINDINGS: Liver nodular. Gallbladder normal. CBD 4 mm. Pancreas normal. Spleen 14 cm. Kidneys normal. "
     "IVC patent. Aorta normal caliber.\n"
     "Portal vein patent with hepatopetal flow. Hepatic artery RI 0.68. Hepatic veins patent, phasic.\n"
     "IMPRESSION: Cirrhosis. Patent hepatic vasculature.", ["76700", "93975"]),
    ("US LIVER DUPLEX\n"
     "INDICATION: TIPS planning.\n"
     "TECHNIQUE: Spectral and color Doppler of the main portal vein, hepatic artery and hepatic veins.\n"
     "FINDINGS: Main portal vein patent, hepatopetal, 22 cm/s. Hepatic artery RI 0.7. Hepatic veins patent "
     "with phasic flow.\n"
     "IMPRESSION: Patent hepatic vasculature.", ["93975"]),
])
def test_duplex_named_beside_physiologic_or_organ(sg, text, expected):
    assert codes(sg.suggest(text)) == expected
