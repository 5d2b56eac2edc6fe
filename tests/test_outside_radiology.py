"""Procedures outside radiology (issue 11): a title or procedure line that names one
(``lexicons/procedures.tsv``: echocardiography, EMG / nerve conduction, EEG, cardiac
catheterization, ...) and no imaging modality bills nothing and goes to review with the reason
"names a procedure outside radiology: <class>"; the learned title model proposes no imaging code
for it. Imaging exams that name such a procedure in their history or findings, or whose title
names imaging too (nuclear stress test, CT coronary angiography, fetal echocardiography, carotid
duplex), still bill their exact codes. One-line transcriptions in the style of public medical
transcription samples, written for these tests; billing global, Medicare."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from suggester.lexicon import LexiconError, load_lexicon
from suggester.resources import lexicon_dir

REASON = "names a procedure outside radiology: "


def codes(rec):
    return sorted(c["code"] for c in rec["codes"])


# (id, one-line transcription, class named in the review reason)
OUTSIDE = [
    ('echo_2d',
     '2-D ECHOCARDIOGRAM, Multiple views of the heart and great vessels reveal normal biventricular function. The left ventricle is normal in size with an ejection fraction of 60%. The left atrium measures 3.8 cm. The aortic root is normal. The mitral valve shows mild thickening of the anterior leaflet. Doppler study reveals mild mitral regurgitation and trace tricuspid regurgitation. No pericardial effusion., IMPRESSION:, 1. Normal left ventricular function. 2. Mild mitral regurgitation.',
     'echocardiography'),
    ('echo_tee',
     'TRANSESOPHAGEAL ECHOCARDIOGRAM, INDICATION:, Atrial fibrillation prior to cardioversion. Rule out left atrial appendage thrombus., PROCEDURE:, After informed consent, the oropharynx was anesthetized with topical lidocaine and the patient received 2 mg of Versed intravenously. The transesophageal probe was passed into the esophagus without difficulty and multiplane images were obtained., FINDINGS:, The left atrial appendage is free of thrombus with normal emptying velocities by pulsed Doppler. There is mild spontaneous echo contrast in the left atrium. The interatrial septum is intact by color Doppler and agitated saline. There is grade II atheroma in the descending aorta., IMPRESSION:, No left atrial appendage thrombus. The patient may proceed with cardioversion.',
     'echocardiography'),
    ('echo_tte_doppler',
     'TRANSTHORACIC ECHOCARDIOGRAM WITH COLOR FLOW DOPPLER, REASON FOR STUDY:, Shortness of breath and a systolic murmur. History of coronary artery bypass grafting and a CT of the chest last year., FINDINGS:, The left ventricle is mildly dilated with moderate global hypokinesis; the ejection fraction is estimated at 35%. The right ventricle is normal. Continuous wave Doppler across the aortic valve shows a peak gradient of 48 mmHg and a mean gradient of 28 mmHg. Color flow Doppler shows moderate mitral regurgitation. The inferior vena cava is normal in size., IMPRESSION:, Cardiomyopathy with ejection fraction of 35%. Moderate aortic stenosis.',
     'echocardiography'),
    ('echo_dobutamine',
     'DOBUTAMINE STRESS ECHOCARDIOGRAM, INDICATION:, Chest pain, unable to walk on a treadmill., PROCEDURE:, Baseline images were obtained, then dobutamine was infused in 3-minute stages from 10 to 40 mcg/kg/min with atropine 0.5 mg added. The patient reached 88% of the maximum predicted heart rate. The blood pressure response was normal. The EKG showed no ST changes., FINDINGS:, At rest, wall motion is normal. With dobutamine, all segments become hyperdynamic. No new wall motion abnormality is seen., IMPRESSION:, Negative dobutamine stress echocardiogram for ischemia.',
     'echocardiography'),
    ('echo_report',
     'ECHOCARDIOGRAM REPORT, M-MODE:, Aortic root 3.0 cm, left atrium 4.1 cm, septum 1.1 cm, posterior wall 1.0 cm, left ventricular end-diastolic dimension 5.2 cm., 2-D:, Normal left ventricular size and wall motion. Mild left atrial enlargement., DOPPLER:, Normal transmitral flow pattern for age. Trace aortic insufficiency., CONCLUSION:, Mild left atrial enlargement; otherwise normal study.',
     'echocardiography'),
    ('emg_ncs',
     'EMG/NERVE CONDUCTION STUDIES, HISTORY:, A 52-year-old woman with numbness of the right hand and a prior MRI of the cervical spine showing mild spondylosis., NERVE CONDUCTION STUDIES:, The right median sensory distal latency is prolonged at 4.2 ms with a reduced amplitude. The right median motor distal latency is 5.1 ms. The ulnar sensory and motor responses are normal. The radial sensory response is normal., NEEDLE EMG:, Needle examination of selected muscles of the right upper extremity and cervical paraspinals shows no denervation., IMPRESSION:, Moderate right carpal tunnel syndrome. No evidence of cervical radiculopathy.',
     'electromyography and nerve conduction'),
    ('emg_lower',
     'ELECTROMYOGRAM AND NERVE CONDUCTION STUDY OF THE LEFT LOWER EXTREMITY, REASON:, Left foot drop after a fall. Lumbar spine x-rays were negative., FINDINGS:, The left peroneal motor response recorded at the extensor digitorum brevis is absent. The left tibial motor and sural sensory responses are normal. Needle examination shows fibrillation potentials in the left tibialis anterior and extensor hallucis longus with normal short head of the biceps femoris and lumbar paraspinal muscles., IMPRESSION:, Left peroneal neuropathy at the fibular head.',
     'electromyography and nerve conduction'),
    ('eeg',
     'ELECTROENCEPHALOGRAM, CLINICAL HISTORY:, A 24-year-old man with a first generalized seizure. CT of the head in the emergency department was normal., TECHNIQUE:, A 21-channel digital EEG was recorded in the awake and drowsy states with the international 10-20 system of electrode placement. Hyperventilation and photic stimulation were performed., DESCRIPTION:, The background shows a well-organized 10 Hz posterior dominant rhythm. There are brief bursts of generalized 3 Hz spike-and-wave discharges during hyperventilation., IMPRESSION:, Abnormal EEG consistent with a generalized epilepsy.',
     'electroencephalography'),
    ('video_eeg',
     'VIDEO EEG MONITORING, 48 HOURS, INDICATION:, Spells of unresponsiveness. MRI of the brain showed left mesial temporal sclerosis., FINDINGS:, The waking background is normal. Frequent left anterior temporal sharp waves are seen in sleep. Two typical spells were captured with a rhythmic theta onset over the left temporal region., IMPRESSION:, Left temporal lobe epilepsy.',
     'electroencephalography'),
    ('cath',
     'CARDIAC CATHETERIZATION, PROCEDURES PERFORMED:, Left heart catheterization, selective coronary angiography and left ventriculography., INDICATIONS:, Unstable angina and an abnormal nuclear stress test., DESCRIPTION OF PROCEDURE:, The right femoral artery was accessed using the modified Seldinger technique and a 6-French sheath was placed. Selective angiograms of the left and right coronary arteries were obtained in multiple projections. Fluoroscopy time was 6.2 minutes. Omnipaque 95 mL was used., FINDINGS:, The left main is normal. The left anterior descending artery has a 90% proximal stenosis. The circumflex and right coronary arteries have mild disease. The left ventricular ejection fraction is 55%., IMPRESSION:, Single-vessel coronary artery disease.',
     'cardiac catheterization'),
    ('cath_right',
     'RIGHT HEART CATHETERIZATION, INDICATION:, Pulmonary hypertension on echocardiogram., PROCEDURE:, The right internal jugular vein was accessed under ultrasound guidance and a Swan-Ganz catheter was advanced under fluoroscopy to the pulmonary capillary wedge position., HEMODYNAMICS:, Right atrial pressure 12 mmHg, pulmonary artery pressure 62/28 with a mean of 40 mmHg, wedge pressure 14 mmHg, cardiac output 4.1 L/min., IMPRESSION:, Moderate precapillary pulmonary hypertension.',
     'cardiac catheterization'),
    ('pci',
     'PERCUTANEOUS CORONARY INTERVENTION, PROCEDURE:, Drug-eluting stent placement in the proximal left anterior descending artery., DESCRIPTION:, A 6-French EBU guide was engaged in the left main. The lesion was crossed with a BMW wire and predilated with a 2.5 mm balloon. A 3.0 x 18 mm drug-eluting stent was deployed at 14 atmospheres. Final angiography showed 0% residual stenosis with TIMI 3 flow., IMPRESSION:, Successful PCI of the proximal LAD.',
     'coronary intervention'),
    ('ep_ablation',
     'ELECTROPHYSIOLOGY STUDY AND RADIOFREQUENCY CATHETER ABLATION, INDICATION:, Recurrent supraventricular tachycardia., PROCEDURE:, Catheters were placed in the high right atrium, His position, coronary sinus and right ventricular apex under fluoroscopic guidance. Baseline intervals were normal. Typical AV nodal reentrant tachycardia was induced. The slow pathway was ablated with radiofrequency energy., RESULTS:, No tachycardia was inducible after the ablation, with and without isoproterenol., IMPRESSION:, Successful slow pathway ablation.',
     'electrophysiology'),
    ('pacemaker',
     'PERMANENT PACEMAKER INSERTION, DUAL CHAMBER, INDICATION:, Symptomatic complete heart block., PROCEDURE:, The left subclavian vein was accessed and the atrial and ventricular leads were positioned under fluoroscopy. Thresholds and sensing were satisfactory. The generator was placed in a subcutaneous pocket and the wound was closed in layers. A chest x-ray will be obtained in the morning., IMPRESSION:, Successful dual-chamber pacemaker implantation.',
     'electrophysiology'),
    ('holter',
     "HOLTER MONITOR REPORT, INDICATION:, Palpitations., FINDINGS:, The patient was monitored for 24 hours. The underlying rhythm is sinus with a heart rate ranging from 54 to 128 beats per minute, average 78. There were 412 isolated premature ventricular contractions and 2 couplets. There were 36 premature atrial contractions. No pauses longer than 2 seconds. The patient's diary symptoms correlated with sinus tachycardia., IMPRESSION:, Sinus rhythm with occasional PVCs.",
     'ambulatory cardiac monitoring'),
    ('ekg',
     '12-LEAD EKG, INTERPRETATION:, Normal sinus rhythm at 72 beats per minute. PR interval 160 ms, QRS 88 ms, QTc 420 ms. Normal axis. There are nonspecific T-wave changes in the lateral leads. No acute ST-segment elevation. Compared with the prior tracing, no significant change., IMPRESSION:, Nonspecific T-wave abnormality.',
     'electrocardiography'),
    ('treadmill',
     'EXERCISE TREADMILL STRESS TEST, INDICATION:, Atypical chest pain., PROCEDURE:, The patient exercised for 9 minutes and 30 seconds on the Bruce protocol, achieving 10.1 METs and 92% of the maximum predicted heart rate. The test was stopped for fatigue. The resting EKG showed sinus rhythm without ST changes. There were no ischemic ST changes with exercise or recovery. Blood pressure response was normal. No arrhythmias. The patient had no chest pain., IMPRESSION:, Negative exercise stress test for ischemia at a good workload.',
     'exercise stress test'),
    ('pft',
     'PULMONARY FUNCTION TESTS, HISTORY:, A 68-year-old former smoker with dyspnea. Chest x-ray showed hyperinflation., SPIROMETRY:, The FVC is 2.9 L (78% predicted) and the FEV1 is 1.6 L (58% predicted), with an FEV1/FVC ratio of 55%. There is a 14% improvement in FEV1 after bronchodilator., LUNG VOLUMES:, The total lung capacity is 118% predicted with a residual volume of 160% predicted., DIFFUSION:, The DLCO is reduced at 52% predicted., IMPRESSION:, Moderate obstructive lung disease with a significant bronchodilator response, air trapping and a reduced diffusing capacity.',
     'pulmonary function test'),
    ('sleep',
     'POLYSOMNOGRAM, INDICATION:, Loud snoring and daytime sleepiness., TECHNIQUE:, An attended overnight polysomnogram was performed with EEG, EOG, chin and leg EMG, EKG, airflow, respiratory effort and oximetry., FINDINGS:, Total sleep time was 362 minutes with a sleep efficiency of 81%. The apnea-hypopnea index was 34 per hour, worse in the supine position, with a nadir oxygen saturation of 79%. Periodic limb movements were not significant., IMPRESSION:, Severe obstructive sleep apnea. A CPAP titration study is recommended.',
     'sleep study'),
    ('colonoscopy',
     'COLONOSCOPY, PREOPERATIVE DIAGNOSIS:, Screening; family history of colon cancer., POSTOPERATIVE DIAGNOSIS:, Sigmoid polyp and diverticulosis., PROCEDURE:, After conscious sedation, the colonoscope was advanced to the cecum, identified by the appendiceal orifice and ileocecal valve. The preparation was good. A 6 mm sessile polyp in the sigmoid colon was removed with a cold snare. There is moderate sigmoid diverticulosis. Retroflexion in the rectum showed small internal hemorrhoids., IMPRESSION:, Sigmoid polyp removed. Repeat colonoscopy in 5 years.',
     'endoscopy'),
    ('egd',
     'ESOPHAGOGASTRODUODENOSCOPY WITH BIOPSY, INDICATION:, Epigastric pain and iron deficiency anemia. An abdominal ultrasound last month was normal., PROCEDURE:, The Olympus gastroscope was passed under direct vision into the esophagus, stomach and second portion of the duodenum. There is a 1 cm clean-based ulcer in the gastric antrum. Biopsies were taken for H. pylori. The esophagus and duodenum are normal., IMPRESSION:, Gastric antral ulcer.',
     'endoscopy'),
    ('bronchoscopy',
     'FLEXIBLE BRONCHOSCOPY WITH BRONCHOALVEOLAR LAVAGE, INDICATION:, Right upper lobe infiltrate on CT of the chest not responding to antibiotics., PROCEDURE:, After topical anesthesia, the bronchoscope was passed through the nose into the trachea. The vocal cords move normally. The airways were examined to the subsegmental level on both sides and were normal except for thick secretions in the right upper lobe. Lavage was performed in the right upper lobe posterior segment., IMPRESSION:, Right upper lobe secretions; lavage sent for cultures and cytology.',
     'endoscopy'),
    ('cystoscopy',
     'CYSTOSCOPY, INDICATION:, Gross hematuria. A CT urogram was negative., PROCEDURE:, The flexible cystoscope was passed per urethra. The urethra is normal. The prostate shows moderate lateral lobe enlargement. The bladder mucosa is normal without tumor, stones or diverticula. Both ureteral orifices are in normal position with clear efflux., IMPRESSION:, Benign prostatic hyperplasia; no bladder lesion.',
     'endoscopy'),
    ('audiogram',
     'AUDIOGRAM, HISTORY:, Decreased hearing in the left ear for 6 months. MRI of the internal auditory canals is pending., RESULTS:, Pure tone audiometry shows a moderate sensorineural hearing loss in the left ear at 2000 to 8000 Hz. The right ear is normal. Speech discrimination is 96% on the right and 72% on the left. Tympanometry is type A bilaterally., IMPRESSION:, Asymmetric left sensorineural hearing loss.',
     'audiology'),
    ('lap_chole',
     'LAPAROSCOPIC CHOLECYSTECTOMY, PREOPERATIVE DIAGNOSIS:, Symptomatic cholelithiasis on ultrasound., PROCEDURE:, The patient was placed supine and general anesthesia was induced. Pneumoperitoneum was established through an umbilical port and three additional ports were placed. The cystic duct and cystic artery were identified, clipped and divided. The gallbladder was removed from the liver bed with electrocautery and extracted through the umbilical port., FINDINGS:, Chronically inflamed gallbladder with multiple stones., ESTIMATED BLOOD LOSS:, Minimal.',
     'operation'),
    ('tka',
     'TOTAL KNEE ARTHROPLASTY, RIGHT, PREOPERATIVE DIAGNOSIS:, Severe osteoarthritis of the right knee on radiographs., PROCEDURE:, Under spinal anesthesia and tourniquet control, a medial parapatellar arthrotomy was made. The distal femur and proximal tibia were cut with the use of intramedullary and extramedullary guides. The components were cemented in place and the patella was resurfaced. The wound was closed in layers., IMPLANTS:, Cemented posterior-stabilized femoral and tibial components., COMPLICATIONS:, None.',
     'operation'),
    ('arthroscopy',
     'ARTHROSCOPY OF THE LEFT KNEE WITH PARTIAL MEDIAL MENISCECTOMY, PREOPERATIVE DIAGNOSIS:, Medial meniscus tear on MRI., PROCEDURE:, Standard anteromedial and anterolateral portals were made. Diagnostic arthroscopy showed a complex tear of the posterior horn of the medial meniscus, which was debrided to a stable rim. The articular cartilage and cruciate ligaments are intact., IMPRESSION:, Medial meniscus tear, treated.',
     'operation'),
    ('evoked',
     'VISUAL EVOKED POTENTIALS, INDICATION:, Blurred vision in the right eye; MRI of the brain showed white matter lesions., FINDINGS:, Pattern-reversal stimulation of the right eye produces a P100 latency of 132 ms; the left eye 104 ms. Amplitudes are symmetric., IMPRESSION:, Prolonged right P100 latency, consistent with right optic nerve demyelination.',
     'evoked potentials'),
    ('echo_m_mode',
     '2-D M-MODE: , ,1. Left atrial enlargement with left atrial diameter of 4.7 cm.,2. Normal size right and left ventricle.,3. Normal LV systolic function with left ventricular ejection fraction of 51%.,4. No pericardial effusion.,DOPPLER: , ,1. Mild mitral and tricuspid regurgitation.,2. Trace aortic and pulmonary regurgitation.',
     'echocardiography'),
    ('echo_2d_study',
     '2-D STUDY,1. Mild aortic stenosis, widely calcified, minimally restricted.,2. Mild left ventricular hypertrophy but normal systolic function.,3. Moderate biatrial enlargement.,DOPPLER,1. There is 1 to 2+ aortic regurgitation easily seen, but no aortic stenosis.,SUMMARY,1. Normal left ventricle.,2. Moderate biatrial enlargement.',
     'echocardiography'),
    ('cath_numbered',
     'PROCEDURES PERFORMED:, 1. Left heart catheterization.,2. Coronary angiography.,3. Left ventriculography.,INDICATIONS:, Chest pain with an abnormal stress test.,FINDINGS:, The left main is normal. The LAD has a 70% mid stenosis. The ejection fraction is 55%.',
     'cardiac catheterization'),
    ('tilt',
     'TILT TABLE TEST, INDICATION:, Recurrent syncope., PROCEDURE:, After 20 minutes supine, the patient was tilted to 70 degrees. After 14 minutes she became lightheaded with a blood pressure drop to 68/40 and a heart rate drop to 42, followed by syncope. She recovered promptly when supine., IMPRESSION:, Positive tilt table test with a mixed vasovagal response.',
     'electrophysiology'),
    ('venogram_extremity',
     'LEFT UPPER EXTREMITY VENOGRAM, INDICATION:, Arm swelling with a dialysis fistula., PROCEDURE:, A 4-French catheter was placed in a dorsal hand vein and contrast injected under fluoroscopy with digital subtraction images of the forearm, arm and central veins., FINDINGS:, Tight stenosis of the cephalic arch., IMPRESSION:, Cephalic arch stenosis.',
     'vascular catheter procedure'),
    ('ivc_filter',
     'INFERIOR VENA CAVA FILTER PLACEMENT (IVC FILTER), INDICATION:, Pulmonary embolism with a contraindication to anticoagulation., PROCEDURE:, Right internal jugular access under ultrasound; cavogram showed a normal-caliber IVC; a retrievable filter was deployed below the renal veins., IMPRESSION:, Successful infrarenal IVC filter placement.',
     'vascular catheter procedure'),
    ('uterine_artery_embolization',
     'BILATERAL UTERINE ARTERY EMBOLIZATION, INDICATION:, Symptomatic fibroids., PROCEDURE:, Right femoral access; selective catheterization of both uterine arteries and embolization with 500-700 micron particles to near stasis., IMPRESSION:, Technically successful embolization.',
     'vascular catheter procedure'),
    ('renal_arteriogram',
     'RENAL ARTERIOGRAM, HISTORY:, Resistant hypertension., FINDINGS:, Flush aortogram and selective right and left renal arteriograms show beading of the mid right renal artery., IMPRESSION:, Right renal fibromuscular dysplasia.',
     'vascular catheter procedure'),
]

# headed lines and bare titles
HEADED = [
    ('h_tte',
     'PROCEDURE: Transthoracic echocardiogram.\nINDICATION: Murmur.\nFINDINGS: Normal left ventricular size and function. Trace mitral regurgitation by color Doppler.',
     'echocardiography'),
    ('h_tee',
     'EXAM: , TEE , INDICATION: , Stroke, rule out cardiac source of embolus. , FINDINGS: , No left atrial appendage thrombus. Negative bubble study.',
     'echocardiography'),
    ('h_eeg',
     'EXAM: EEG\nHISTORY: Seizure.\nFINDINGS: Normal awake and asleep record.',
     'electroencephalography'),
    ('h_cath',
     'PROCEDURE PERFORMED: Left heart catheterization with coronary angiography.\nFINDINGS: Mild nonobstructive coronary artery disease. Left ventricular ejection fraction 60%.',
     'cardiac catheterization'),
    ('h_emg',
     'STUDY: Nerve conduction studies and EMG of both upper extremities.\nIMPRESSION: Bilateral carpal tunnel syndrome.',
     'electromyography and nerve conduction'),
    ('h_colonoscopy',
     'EXAM: Colonoscopy.',
     'endoscopy'),
    ('t_echo',
     'ECHOCARDIOGRAM COMPLETE WITH DOPPLER',
     'echocardiography'),
    ('t_ekg',
     'EKG 12 LEAD',
     'electrocardiography'),
    ('t_sleep',
     'SLEEP STUDY (POLYSOMNOGRAPHY)',
     'sleep study'),
]

# imaging exams (some naming such a procedure elsewhere): their exact code sets
IMAGING = [
    ('nm_lexiscan',
     'LEXISCAN MYOVIEW STRESS TEST, INDICATION:, Chest pain; unable to exercise. Prior cardiac catheterization in 2019 showed mild disease., PROCEDURE:, The patient received 10 mCi of Myoview at rest and SPECT images were obtained. Regadenoson 0.4 mg was given intravenously followed by 30 mCi of Myoview and stress SPECT images with gating were obtained. The EKG showed no ischemic changes., FINDINGS:, Normal perfusion at rest and stress. Ejection fraction 64%., IMPRESSION:, Normal pharmacologic nuclear stress test.',
     ['78452']),
    ('nm_nuclear_stress',
     'NUCLEAR STRESS TEST, PROCEDURE:, Exercise treadmill stress test on the Bruce protocol with Cardiolite, rest and stress SPECT imaging. The patient exercised 8 minutes. Resting and peak-stress images were obtained., FINDINGS:, A small reversible defect in the inferior wall. Ejection fraction 58%., IMPRESSION:, Small area of inferior ischemia.',
     ['78452']),
    ('cta_coronary',
     'CTA CORONARY ARTERIES, INDICATION:, Chest pain, equivocal exercise treadmill test., TECHNIQUE:, Prospectively ECG-gated CT angiography of the coronary arteries after 80 mL of Omnipaque 350 intravenously with 3D reconstructions., FINDINGS:, Calcium score 12. Mild nonobstructive plaque in the proximal LAD. No significant stenosis., IMPRESSION:, Mild nonobstructive coronary artery disease.',
     ['75574']),
    ('ct_coronary_angiography',
     'CT CORONARY ANGIOGRAPHY WITH CONTRAST',
     ['75574']),
    ('carotid_duplex',
     'CAROTID DUPLEX ULTRASOUND, BILATERAL, INDICATION:, Transient ischemic attack. An echocardiogram was normal., TECHNIQUE:, Gray-scale, color Doppler and spectral Doppler images of both carotid and vertebral arteries., FINDINGS:, Mild plaque at both carotid bulbs. Peak systolic velocities in the internal carotid arteries are 72 cm/s on the right and 80 cm/s on the left. Antegrade vertebral flow bilaterally., IMPRESSION:, Less than 50% stenosis of both internal carotid arteries.',
     ['93880']),
    ('venous_doppler',
     'VENOUS DOPPLER BILATERAL LOWER EXTREMITIES, INDICATION:, Leg swelling after cardiac catheterization., FINDINGS:, The common femoral, femoral and popliteal veins of both legs are compressible with normal flow. No deep venous thrombosis., IMPRESSION:, Negative.',
     ['93970']),
    ('fetal_echo',
     'FETAL ECHOCARDIOGRAM, INDICATION:, Maternal diabetes, 22 weeks., FINDINGS:, Normal four-chamber view and outflow tracts. Normal fetal heart rate of 148., IMPRESSION:, Normal fetal echocardiogram.',
     ['76825']),
    ('ct_ap_colonoscopy',
     'CT ABDOMEN AND PELVIS WITH CONTRAST, HISTORY:, Abdominal pain after colonoscopy with polypectomy yesterday., TECHNIQUE:, Axial images after 100 mL of Omnipaque 300 intravenously., FINDINGS:, No free air. Mild wall thickening of the sigmoid colon at the polypectomy site., IMPRESSION:, No perforation.',
     ['74177']),
    ('ct_head_eeg',
     'CT HEAD WITHOUT CONTRAST, HISTORY:, New seizure; EEG pending., FINDINGS:, No hemorrhage, mass or acute infarct., IMPRESSION:, Normal noncontrast head CT.',
     ['70450']),
    ('us_abd_echogenic',
     'ULTRASOUND OF THE ABDOMEN, HISTORY:, Abnormal liver tests; a recent echocardiogram was normal., FINDINGS:, The liver is echogenic, consistent with fatty infiltration. The gallbladder, common bile duct, pancreas, spleen, kidneys, aorta and inferior vena cava are normal., IMPRESSION:, Fatty liver.',
     ['76700']),
    ('xr_chest_pacemaker',
     'PORTABLE CHEST X-RAY, ONE VIEW, HISTORY:, Status post pacemaker insertion., FINDINGS:, Dual-chamber pacemaker leads in the right atrium and right ventricle. No pneumothorax., IMPRESSION:, Satisfactory lead position without pneumothorax.',
     ['71045']),
    ('tcd',
     'TRANSCRANIAL DOPPLER, INDICATION:, Sickle cell disease screening., FINDINGS:, Time-averaged mean velocities in both middle cerebral arteries are normal., IMPRESSION:, Normal transcranial Doppler.',
     ['93886']),
    ('virtual_colonoscopy',
     'CT COLONOGRAPHY (VIRTUAL COLONOSCOPY), SCREENING, TECHNIQUE:, Supine and prone low-dose CT of the colon after insufflation, without intravenous contrast., FINDINGS:, No polyp of 6 mm or larger., IMPRESSION:, Negative screening CT colonography.',
     ['74263']),
    ('ioc',
     'INTRAOPERATIVE CHOLANGIOGRAM DURING LAPAROSCOPIC CHOLECYSTECTOMY, FINDINGS:, Contrast injected through the cystic duct fills the common bile duct and intrahepatic ducts with free flow into the duodenum. No filling defect., IMPRESSION:, Normal intraoperative cholangiogram.',
     ['74300']),
    ('fetal_echo_after_comma',
     'ECHOCARDIOGRAM, FETAL, The four-chamber view, both outflow tracts and the aortic arch are normal. Fetal heart rate 150.',
     ['76825']),
    ('arterial_treadmill',
     'LOWER EXTREMITY ARTERIAL STUDY WITH TREADMILL EXERCISE TEST, BILATERAL',
     ['93924']),
    ('stress_tracer_first_sentence',
     'EXERCISE STRESS TEST, PROCEDURE:, Cardiolite was injected at peak exercise and rest and stress SPECT images were obtained., FINDINGS:, Normal perfusion., IMPRESSION:, No ischemia.',
     ['78452']),
    ('muga',
     'MUGA SCAN',
     ['78472']),
    ('ekg_gated_cta',
     'EKG-GATED CTA CORONARY',
     ['75574']),
    # a vascular procedure word under a CT / MR / duplex title: the imaging exam bills
    ('ct_venogram',
     'CT VENOGRAM ABDOMEN AND PELVIS WITH CONTRAST, TECHNIQUE:, Helical images in the venous phase after 100 mL of iodinated contrast, with coronal and sagittal MIP reformats., IMPRESSION:, Patent iliac veins and IVC.',
     ['74174']),
    ('ivc_filter_duplex',
     'US IVC DUPLEX LIMITED, HISTORY:, IVC filter placed in August, leg swelling., FINDINGS:, Color and spectral Doppler of the infrarenal IVC only show patent flow around the filter without thrombus., IMPRESSION:, Patent IVC.',
     ['93979']),
]


def test_every_transcription_is_one_line():
    assert len(OUTSIDE) >= 25 and all("\n" not in text for _, text, _ in OUTSIDE + IMAGING)
    assert len({rid for rid, _, _ in OUTSIDE + HEADED + IMAGING}) == len(OUTSIDE + HEADED + IMAGING)


@pytest.mark.parametrize(("rid", "text", "cls"), OUTSIDE + HEADED, ids=[r[0] for r in OUTSIDE + HEADED])
def test_a_procedure_outside_radiology_bills_nothing_and_says_why(sg, rid, text, cls):
    rec = sg.suggest(text)
    assert (codes(rec), rec["needs_review"], rec["review_reasons"], rec["frames"]) == ([], True, [REASON + cls], [])


@pytest.mark.parametrize(("rid", "text", "want"), IMAGING, ids=[r[0] for r in IMAGING])
def test_an_imaging_exam_still_bills(sg, rid, text, want):
    rec = sg.suggest(text)
    assert codes(rec) == want
    assert not any(r.startswith(REASON) for r in rec["review_reasons"])


@pytest.mark.parametrize(("text", "want"), [
    # the same procedure words outside the title / procedure statement block nothing
    ("EXAM: CT HEAD WITHOUT CONTRAST\nHISTORY: Abnormal EEG. Prior cardiac catheterization.\n"
     "FINDINGS: No acute abnormality.", ["70450"]),
    ("EXAM: US ABDOMEN COMPLETE\nFINDINGS: Echogenic liver. The gallbladder, common bile duct, pancreas, spleen, "
     "kidneys, aorta and inferior vena cava are normal. No echo-free fluid.", ["76700"]),
    # a history or negation cue in the statement's clause: no procedure of this report
    ("EXAM: Prior colonoscopy; CT abdomen and pelvis with contrast.\nFINDINGS: Normal.", ["74177"]),
    # a procedure named on a line under an imaging title is that exam's context
    ("US IVC DUPLEX LIMITED\nFilter placement planned next week.\nFINDINGS: Patent infrarenal IVC.", ["93979"]),
    ("XR CHEST 1 VIEW\nPost transthoracic echocardiogram line check.\nFINDINGS: Clear lungs.", ["71045"]),
])
def test_only_the_statement_counts(sg, text, want):
    assert codes(sg.suggest(text)) == want


def test_the_title_model_proposes_nothing_for_it(sg):
    ex = sg.extract("2-D ECHOCARDIOGRAM, Normal left ventricular size and function.")
    assert (ex.outside, ex.frames) == ("echocardiography", [])
    from suggester.hybrid import chooser
    assert chooser(ex, sg.lex, sg.title_model, sg.combiners) is None


def test_the_lexicon_lists_each_class_with_its_phrases():
    procs = load_lexicon().procedures
    assert procs.source == "procedures.tsv"
    assert procs.phrases["echocardiogram"] == "echocardiography"
    assert procs.phrases["2 d echo"] == "echocardiography"  # "2-d echo" as matched
    assert procs.classes["cardiac catheterization"].uses == frozenset({"FL", "XA", "US", "DUPLEX"})
    assert "fetal" in procs.classes["echocardiography"].unless
    assert {"echo", "doppler", "angiography", "angiogram", "angio", "stress test", "biopsy"}.isdisjoint(procs.phrases)


# ---------------------------------------------------------------------- validation of the data file


@pytest.fixture
def lexcopy(tmp_path) -> Path:
    d = tmp_path / "lex"
    shutil.copytree(lexicon_dir(), d)
    return d


def _append(path: Path, *rows: str) -> int:
    """Append rows; returns the line number of the last one."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "".join(r + "\n" for r in rows), encoding="utf-8")
    return len(text.splitlines()) + len(rows)


def _line_of(path: Path, row: str) -> int:
    return next(i + 1 for i, ln in enumerate(path.read_text(encoding="utf-8").splitlines()) if ln == row)


@pytest.mark.parametrize(("rows", "message"), [
    (["echocardiography\t2-D  Echo"], "phrase '2-D  Echo': write it in lower case"),
    (["echocardiography\t2 d echo"], "duplicate phrase '2 d echo' (first at line {first})"),
    (["echocardiography\techo"], "phrase 'echo' is the imaging term modality.tsv:"),
    (["Echo Class\techo study"], "class 'Echo Class': use lower-case words"),
    (["spirometry only\t*\tuses=PFT"], "uses: unknown modality 'PFT'"),
    (["spirometry only\t*\tcodes=94010"], "unknown option 'codes=94010'"),
    (["spirometry only\t*\tuses="], "class 'spirometry only' has no phrase"),
    (["spirometry only\tflow volume loop\tuses=FL"], "options belong on the class row"),
    (["echocardiography\t*\tuses=US"], "duplicate class row 'echocardiography' (first at line {klass})"),
])
def test_a_bad_row_fails_at_load_naming_file_and_line(lexcopy, rows, message):
    path = lexcopy / "procedures.tsv"
    first = _line_of(path, "echocardiography\t2-d echo")
    klass = _line_of(path, "echocardiography\t*\tuses=US+DUPLEX;unless=fetal|fetus|fetuses|obstetric|obstetrical|ob|pregnant|"
                            "pregnancy|gestation|gestational|uterus")
    no = _append(path, *rows)
    with pytest.raises(LexiconError) as e:
        load_lexicon(lexcopy)
    assert str(e.value).startswith(f"{path}:{no}: ")
    assert message.format(first=first, klass=klass) in str(e.value)


def test_schema_and_manifest_are_checked(lexcopy):
    path = lexcopy / "procedures.tsv"
    path.write_text(path.read_text(encoding="utf-8").replace("procedures/1", "procedures/9", 1), encoding="utf-8")
    with pytest.raises(LexiconError, match=rf"{path}:1: schema 'procedures/9', expected 'procedures/1'"):
        load_lexicon(lexcopy)
    path.unlink()
    with pytest.raises(LexiconError, match=r"manifest.json:\d+: file 'procedures.tsv' not found"):
        load_lexicon(lexcopy)


def test_a_lexicon_without_the_file_names_no_procedure(lexcopy):
    import json
    m = json.loads((lexcopy / "manifest.json").read_text(encoding="utf-8"))
    del m["procedures"]
    (lexcopy / "manifest.json").write_text(json.dumps(m), encoding="utf-8")
    (lexcopy / "procedures.tsv").unlink()
    lex = load_lexicon(lexcopy)
    assert (dict(lex.procedures.phrases), lex.procedures.regex) == ({}, None)
