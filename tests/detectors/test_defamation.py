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


@pytest.mark.parametrize("text", FRESH_ALLEGATIONS)
def test_fresh_allegations(text):
    assert find_defamation(text), text


@pytest.mark.parametrize("text", FRESH_OTHERS)
def test_fresh_non_allegations(text):
    assert find_defamation(text) == [], text


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
