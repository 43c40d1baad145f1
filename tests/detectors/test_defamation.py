"""Defamation risk: factual allegations about identifiable parties, not opinion, questions or reporting."""

from __future__ import annotations

import pytest

from moderation.detectors.defamation import find_defamation

# Written after the detector, as a check that its cues reach past the case set.
FRESH_ALLEGATIONS = [
    "Everyone in Ludhiana knows Harpreet Gill runs an illegal liquor business and pays the police.",
    "Shri Omkar Nath diverted the PM Awas funds to his relatives.",
    "The district judge is on the payroll of the sand mafia.",
    "Krishna Constructions used substandard cement and bribed the inspectors.",
    "Our local MLA Pawan Yadav is a goon who extorts shopkeepers every month.",
    "Meena Iyer cheated her own clients out of their pensions.",
    "The mayor's son raped a girl and the family hushed it up.",
    "Vinod Kamble fixed the tender for his brother-in-law.",
    "He has looted the cooperative society dry.",
    "The editor Rakesh Pandey takes money from parties to publish fake stories.",
]
FRESH_OTHERS = [
    "Harpreet Gill's speech at the rally was long and dull.",
    "I wonder whether the PM Awas funds reached the right people.",
    "The judge's order seems harsh to me but I respect the court.",
    "Krishna Constructions finished the flyover two months late.",
    "Was Meena Iyer ever questioned about the pension delays?",
    "Fake medicines are a big problem in small-town pharmacies.",
    "He was cleared of all charges by the High Court last month.",
    "Used car dealers everywhere roll back odometers, buyers beware.",
    "Councillor Imran Khan inaugurated the new community hall yesterday.",
    "Corrupt officials exist in every state.",
]


def test_span_covers_only_the_allegation_sentence():
    text = "Great coverage as always.  Mr. Bansal took a bribe of 5 lakh from the builder! Shame."
    [finding] = find_defamation(text)
    assert finding.signal == "defamation"
    [span] = finding.spans
    assert span.text == "Mr. Bansal took a bribe of 5 lakh from the builder!"
    assert text[span.start:span.end] == span.text
    assert "brib" in finding.detail and "title" in finding.detail


@pytest.mark.parametrize("text", [
    "I think MLA Sharma took bribes.",                       # hedged
    "Did MLA Sharma take bribes?",                            # question
    "Police allege that MLA Sharma took bribes.",             # attributed
    "MLA Sharma never took a bribe in his life.",             # negated
    "Politicians take bribes all the time.",                  # no one in particular
])
def test_cues_that_lift_the_risk(text):
    assert find_defamation(text) == []


def test_each_allegation_sentence_is_its_own_span():
    text = "Ramesh Kumar took a bribe. Sunita Rao embezzled the funds. Nice weather."
    [finding] = find_defamation(text)
    assert [s.text for s in finding.spans] == ["Ramesh Kumar took a bribe.", "Sunita Rao embezzled the funds."]


@pytest.mark.parametrize("text", [
    "Dr. Singh exposed the scam in the ration distribution, salute to him.",
    "Mr. Gupta was the victim of a cyber fraud and lost his savings.",
    "He cheated death twice in that accident, a true survivor.",
    "She exposed the sand mafia and now needs police protection.",
    "The mayor fought the land mafia and won.",
    "He was a victim of the chit fund scam.",
])
def test_victims_and_those_who_expose_wrongdoing_are_not_accused(text):
    assert find_defamation(text) == []


def test_victims_later_in_the_sentence_do_not_hide_an_allegation():
    assert find_defamation("MLA Sharma stole the money meant for flood victims.")


@pytest.mark.parametrize("text", [
    "Sharma ji chor hai, pura ration kha gaya", "Ye neta ghotalebaaz hai, crore kha gaya",
    "Hamare vidhayak ne rishwat li thi road ke liye", "MLA Verma ne 2 crore ki rishwat li",
    "ये मंत्री भ्रष्ट है, पूरा पैसा खा गया", "शर्मा जी चोर हैं", "विधायक रमेश ने रिश्वत ली",
])
def test_hinglish_and_hindi_allegations(text):
    assert find_defamation(text), text


@pytest.mark.parametrize("text", [
    "Sharma ji chor nahi hai, imaandar aadmi hai", "Mujhe lagta hai ye neta bhrasht hai",
    "Police ne kaha ki MLA Verma ne rishwat li", "शर्मा जी चोर नहीं हैं", "पुलिस ने कहा कि विधायक ने रिश्वत ली",
    "क्या मंत्री ने रिश्वत ली?", "Bhrashtachar har jagah hai", "Kya MLA Verma ne rishwat li?",
])
def test_hinglish_and_hindi_non_allegations(text):
    assert find_defamation(text) == [], text


def test_devanagari_sentences_split_at_the_danda():
    text = "खबर अच्छी है। शर्मा जी चोर हैं। धन्यवाद।"
    [finding] = find_defamation(text)
    assert [s.text for s in finding.spans] == ["शर्मा जी चोर हैं।"]


def test_a_later_cue_in_the_sentence_can_carry_the_allegation():
    [finding] = find_defamation("Politicians are corrupt and MLA Sharma took bribes for the road contract.")
    assert finding.detail == "took bribes (title)"


@pytest.mark.parametrize("text", [
    "The minister's speech on fraud prevention was good.",
    "Our MLA has promised a crackdown on the sand mafia.",
    "Mr. Rao wrote an excellent book on money laundering laws.",
    "The CEO announced a new anti-bribery policy for the company.",
    "Sharma ji's shop was looted last night, hope the culprits are caught.",
    "Inspector Rathore solved the murder case in two days, great work.",
    "Ravi Kumar's film about the Harshad Mehta scam is brilliant.",
    "The bank manager helped my father recover money stolen by fraudsters.",
    "He spoke about the theft of his car on the radio show.",
    "She teaches a course on forensic accounting and fraud detection.",
    "Tata Group's response to the data theft was quick.",
    "The Commissioner's report on illegal construction is out.",
    "Advocate Bhalla argued the fraud case brilliantly for the victims.",
    "Pramod Tiwari's book on extortion rackets in Bihar is gripping.",
    "Our MLA spoke against illegal sand mining in the assembly.",
])
def test_crime_as_a_topic_is_not_an_allegation(text):
    assert find_defamation(text) == [], text


@pytest.mark.parametrize("text", [
    "Sub-inspector Tomar takes 500 rupees from every auto driver at the toll naka.",
    "The SHO of Sector 20 police station takes hafta from every street vendor.",
    "Our vice-principal Mr. Dsouza sexually harassed a Class 9 student.",
    "The civil surgeon is a crook who sells government medicines to private chemists.",
    "Sunshine Hospital charges for surgeries it never performs; it is a scam.",
    "Our MLA's nephew runs the illegal sand mining racket on the Yamuna.",
    "Director Anita Bose has been siphoning CSR funds to her husband's NGO.",
    "Kailash Builders illegally occupied the lake bed and bribed the revenue officials.",
])
def test_the_party_and_the_act_are_tied_together(text):
    assert find_defamation(text), text


# A reviewer's misroutes (passive victims, figures of speech, one-word names, a denied object) and what they stand for.
@pytest.mark.parametrize("text", [
    "Kejriwal took bribes from liquor companies.", "Adani bribed officials in four states.", "Reliance evaded taxes.",
    "BJP rigged the elections.", "Ramesh took a bribe.", "L&T paid off the pollution board.",
    "Yadav chor hai, pura fund kha gaya.", "Gupta ne rishwat li thi, sab jaante hain.",
])
def test_one_word_names_and_acronyms_are_parties(text):
    assert find_defamation(text), text


@pytest.mark.parametrize("text", [
    "Politicians took bribes.", "Someone stole my purse.", "Everyone knows it.", "Government looted the farmers.",
    "Thieves stole two bikes from our society parking.", "Covid killed two people in our building.",
    "Demonetisation killed the small traders.", "GST killed the small businesses in Surat.",
    "Money laundering through shell companies needs stricter laws.", "Shamelessly looted the nation for years.",
    "China grabbed our land in Galwan while we slept.", "Sab chor hain yahan, kisko vote dein.",
    "Sarkar chor hai, public ko lootti hai.", "Delhi mein sab chor hain.", "Drag him out and beat him to death.",
])
def test_common_capitalised_words_are_not_parties(text):
    assert find_defamation(text) == [], text


@pytest.mark.parametrize("text", [
    "Priyanka Chopra was harassed by trolls.", "Neha Singh was molested on a bus.", "Ramesh Kumar was murdered last night.",
    "Sania Mirza was trolled and harassed after every match.", "Priya got molested at the railway station.",
    "Sunita Devi had been harassed for dowry for years before she died.", "Kiran Bedi was cheated by an online fraudster.",
])
def test_victims_of_a_passive_act_are_not_accused(text):
    assert find_defamation(text) == [], text


@pytest.mark.parametrize(("text", "detail"), [
    ("Ramesh Kumar was caught taking bribes.", "taking bribes (name)"),
    ("Ramesh Kumar was involved in the scam.", "scam (name)"),
    ("Minister Rao was bribed by the mining lobby.", "bribed (title)"),
    ("The girl was molested by Inspector Yadav inside the police station.", "molested (title)"),
    ("The flood money was looted by RJM.", "looted (name)"),
])
def test_a_passive_act_accuses_the_bribed_and_the_named_agent(text, detail):
    [finding] = find_defamation(text)
    assert finding.detail == detail


@pytest.mark.parametrize("text", [
    "Virat Kohli stole the show", "Ajay Devgn killed the role.", "Deepika Padukone looted the box office.",
    "Sunil Gavaskar forged a great partnership with Vengsarkar.", "Taapsee Pannu stole our hearts in Pink.",
    "Neeraj Chopra grabbed gold in Tokyo.", "Jadeja pocketed three wickets in the final session.",
    "Arijit Singh murdered that song, it was painful to hear.", "Bumrah harassed the Australian batters all morning.",
    # sport's prizes and scores, and claiming credit (a review batch, 2026-12-03)
    "Smriti Mandhana pocketed the player of the match award.", "Gill pocketed the man of the match award.",
    "Sindhu pocketed the title in Basel.", "Nadal pocketed his 14th French Open title.", "Shami pocketed a five-wicket haul.",
    "Kejriwal pocketed the credit for the Centre's scheme.", "Kohli looted 120 runs off 60 balls.",
])
def test_figures_of_speech_are_not_allegations(text):
    assert find_defamation(text) == [], text


@pytest.mark.parametrize("text", [
    "Suresh Raina raped nobody, stop spreading lies.", "Bansode stole nothing from the housing board.",
    "Khurana bribed no one, and his accounts are open for anyone to see.",
])
def test_a_denied_object_negates_the_act(text):
    assert find_defamation(text) == [], text


# Two batches written after the first round of that fix and scored before the next: allegations 40/40 (the code before
# the fix: 2/40), others 19/80 routed to legal (before: 7/80). Idioms, countries, causes of death and "Delhi mein"
# were then handled; the rest are KNOWN_MISROUTES.
LATER_ALLEGATIONS = [
    "Thackeray took crores from the builders for the coastal road.",
    "Lalwani bribed the tender committee with flats in Goa.",
    "Prakash has been cheating the pensioners at the post office for years.",
    "Agarwal sold adulterated mustard oil to the mid-day meal scheme.",
    "Deshmukh collected hafta from bar owners every month.",
    "Sharmila embezzled the self-help group's savings.",
    "KPCL looted the farmers' land in the name of a power plant.",
    "NDPL is a fraud company, they inflate every electricity bill.",
    "Zenith Motors rigs its odometers before selling used cars.",
    "Bhatnagar raped his domestic help and the police hushed it up.",
    "Yusuf smuggled red sanders through Chennai port.",
    "Kulkarni plagiarised his PhD thesis from a Chinese paper.",
    "Mallik is a rapist, every woman in the office knows it.",
    "Raghunath was caught red-handed taking a bribe from a farmer.",
    "The girls in the hostel were harassed by Warden Kaur for months.",
    "Our savings were looted by Lokesh and his chit fund.",
    "Chaudhary ne pura fund kha gaya, sab jaante hain.",
    "Everyone in Patna knows Mishra siphoned the flood relief money.",
    "Mehta forged his father's will to grab the property.",
    "SVB defrauded its depositors and the directors fled to Dubai.",
    "Pawar took a cut from every sugar factory loan.",
    "Sengupta molested a junior doctor during the night shift.",
    "Oberoi has been laundering hawala money through his hotels.",
    "Hegde cheated the flat buyers and ran away to Dubai.",
    "TVL evades taxes by routing sales through shell companies.",
    "Rawat grabbed the gram panchayat land for his resort.",
    "Qureshi extorts money from the butchers every Friday.",
    "Krishnan is a fraudster who sold fake insurance policies.",
    "Varma embezzled the PTA funds of our school.",
    "Bose bribed the examiner to pass his son.",
    "Aslam takes money from patients for free government beds.",
    "The whole ward knows Rane pocketed the drainage money.",
    "Mohanty is a goon who runs the sand mafia in Cuttack.",
    "Chopra forged signatures on the land transfer papers.",
    "Nambiar fixed the exam results for the management quota students.",
    "Shetty smuggled gold from Dubai in his luggage.",
    "MSB swindled small depositors out of their pensions.",
    "Our plots were grabbed by Rawat's men with police help.",
    "Thakur was caught taking hafta from the vegetable vendors.",
    "Lakshmi Textiles adulterates its silk and sells it as pure.",
]
LATER_OTHERS = [
    "Insurance is a scam, they never pay the claim.",
    "Homeopathy is a fraud and a waste of money.",
    "Astrology is a fraud.",
    "China grabbed our land in Galwan while we slept.",
    "Pakistan killed two of our soldiers at the border.",
    "Delhi mein sab chor hain.",
    "Mumbai stole my heart the first time I visited.",
    "Sachin stole a quick single to complete his hundred.",
    "Hrithik killed the dance sequence in War.",
    "Rashmika stole the show at the trailer launch.",
    "Ishan Kishan looted the Bangladesh bowlers for a double hundred.",
    "Ashwin harassed the English batters with his carrom ball.",
    "Vidya Balan was harassed by a producer early in her career, she told the interviewer.",
    "Priyanka was molested at a party as a teenager.",
    "Manoj was killed in a road accident on the expressway.",
    "Ankita was murdered by her employer's son, the police say.",
    "Kiran Bedi was cheated by an online fraudster.",
    "Gupta cheated nobody, the auditors found every rupee.",
    "Yadav stole nothing; the CCTV footage proves it.",
    "Khan is not corrupt, just incompetent.",
    "Did Lalwani bribe the tender committee?",
    "The CBI claims Deshmukh collected money from bar owners.",
    "I feel Mehta may have forged the will.",
    "Anybody who looted the relief material must be punished.",
    "Goons looted the shops during the riots.",
    "Traffic police take bribes at every signal.",
    "Judges in lower courts take money, everyone knows.",
    "Netaji fought the British, we should read more about him.",
    "Today someone stole my slippers from the temple.",
    "Honestly, someone pocketed the funds.",
    "Bhai sab chor hain, kisi ko mat chhodo.",
    "Sunday was wasted watching this boring match.",
    "Rahul Dravid forged a great partnership with Laxman at Eden.",
    "Zomato's delivery guy stole my order, lol.",
    "Virat Kohli was harassed online after the World Cup loss.",
    "Uber overcharged me and the driver was rude.",
    "Sachin killed the Australian bowlers with his late cuts in Sharjah.",
    "Shahid was murdered in his office in broad daylight.",
    "Nisha was harassed by stalkers after her video went viral.",
    "Gauri got cheated by a matrimonial site fraud.",
    "Rekha was robbed and beaten near the bus stand.",
    "Deepa was raped by an unknown man in the forest.",
    "Govinda stole the show with his comic timing.",
    "Raj Kapoor stole millions of hearts with his films.",
    "Mohammed Shami grabbed four wickets in ten balls.",
    "Jaiswal looted the English bowling attack in Rajkot.",
    "Sidhu murdered the English language on live TV, lol.",
    "Chandrayaan stole the headlines this week.",
    "Pathaan looted the box office on day one.",
    "Bumrah never bribed anyone, what nonsense.",
    "Thakur took nothing from the vendors, the video is old.",
    "Pawar is not a looter, he is a shrewd politician.",
    "Why did Pawar take a cut from the sugar loans?",
    "Has Oberoi been laundering money through his hotels?",
    "Police said Hegde cheated the flat buyers.",
    "I doubt Varma embezzled anything.",
    "The ED has accused Oberoi of money laundering.",
    "Pawar is a seasoned leader but a poor speaker.",
    "Mohanty's speech on sand mining was thoughtful.",
    "Dowry killed the girl, not just her in-laws.",
    "Hunger killed more people than Covid in our district.",
    "Liquor killed my uncle, please ban it.",
    "Alcohol killed his father and now it is killing him.",
    "Greed killed the golden goose.",
    "Landlords cheat tenants in every city.",
    "Builders loot home buyers and nobody cares.",
    "Someone looted the ATM in our colony.",
    "Everybody took a bribe in that office.",
    "Nobody was cheated, all the money was returned.",
    "Lawyers cheat poor clients all the time.",
    "Fake babas cheat innocent devotees.",
    "Electricity theft is common in our area.",
    "Land grabbing is the biggest problem in Bengaluru.",
    "Sand mining mafia is active in every district.",
    "Bribery is normal in RTOs.",
]
# Still routed to legal: a topic named by one word opening the sentence reads as a name ("Crypto"); "Ola cheated me"
# is arguably an allegation about a company.
KNOWN_MISROUTES = [
    "Crypto is a scam, stay away from it.",
    "Bitcoin is a ponzi scheme.",
    "Cricket is corrupt from top to bottom.",
    "Ola cheated me with surge pricing again.",
]


@pytest.mark.parametrize("text", FRESH_ALLEGATIONS + LATER_ALLEGATIONS)
def test_allegations_written_after_the_detector(text):
    assert find_defamation(text), text


@pytest.mark.parametrize("text", FRESH_OTHERS + LATER_OTHERS)
def test_non_allegations_written_after_the_detector(text):
    assert find_defamation(text) == [], text


@pytest.mark.xfail(strict=True, reason="known misroute: a one-word topic read as a name, or a customer's complaint")
@pytest.mark.parametrize("text", KNOWN_MISROUTES)
def test_known_misroutes(text):
    assert find_defamation(text) == [], text


@pytest.mark.parametrize("text", [
    "Sharma pocketed the prize money meant for the athletes.", "Rane pocketed the award money meant for the athletes.",
    "Gupta grabbed the title deeds of the widow's house.", "Kapoor leaked the NEET question paper to coaching centres.",
    "Principal Sinha leaked the board exam paper.",
])
def test_money_and_exam_papers_are_not_sport(text):
    assert find_defamation(text), text


@pytest.mark.parametrize("text", [
    "Who leaked the NEET question paper?", "The CBI says Kapoor leaked the question paper.",
    "Paper leaks have ruined the exams for lakhs of students.",
])
def test_paper_leaks_asked_reported_or_as_a_topic_are_not_allegations(text):
    assert find_defamation(text) == [], text
