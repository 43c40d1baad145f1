"""Threats of violence against people, told apart from violent words about things and reported events."""

from __future__ import annotations

import pytest

from moderation.detectors.threats import find_threats


@pytest.mark.parametrize("text", [
    "I will kill you", "someone should shoot him", "hang them all", "we will burn your house",
    "I'll come and kill you tonight", "Kill all the traitors!", "They should be shot dead",
    "These journalists deserve to be hanged", "I am going to break your legs", "you're dead meat",
    "We know where you live", "death to the traitors", "we will personally behead him",
    "people must lynch these criminals", "I'm gonna stab u", "i w1ll k1ll you",
    "maar dalunga tujhe", "jaan se maar denge", "goli maar do in gaddaron ko", "sar tan se juda",
    "If I see you in Lucknow I will break your bones.", "Someone needs to put a bullet in this traitor's head.",
    "These people should be lynched on the spot.", "We are coming for you and your family.",
    "Wait till we find your house, we'll burn it down.", "I'd happily strangle this anchor.",
    "shoot all the protesters, simple", "Your family will pay for this article.", "Drag him out and beat him to death.",
    "Next time you write this, you won't be alive.", "tere ghar aake maarunga", "isko to zinda jala dena chahiye",
    "ek ek ko chun chun ke maarenge", "इसको फांसी पर लटका दो", "तेरी गर्दन काट देंगे",
    "ghar jala denge tera", "tujhe dekh lunga", "gala kaat denge", "उसे मार डालेंगे", "तुझे जान से मार देंगे", "गोली मार दो", "घर में घुस के मारेंगे", "ढूंढ के मार डालूंगा",
])
def test_threats_are_found(text):
    assert find_threats(text), text


@pytest.mark.parametrize("text", [
    "this bill will kill the economy", "killer performance by Bumrah",
    "the police shot the suspect, court said", "We will beat them in the final",
    "My boss will kill me if I am late", "The heat is killing me", "you'll kill it on stage tomorrow",
    "I would kill for a plate of biryani", "he was shot dead by unknown men, police said",
    "The government must execute the plan quickly", "Let's shoot the video tomorrow",
    "India will thrash them in the final", "Hang on, the results are not out yet",
    "Burn the midnight oil, students!", "gaadi maar di kisi ne", "mera phone mar gaya",
    "mehngai ne maar dala", "Diwali pe diye jala denge", "iska ticket kaat denge", "bhrashtachar khatam kar denge",
    "main kal dekh lunga article", "Shoot him an email about it", "मार डाला महंगाई ने", "हम भ्रष्टाचार खत्म कर देंगे",
    "दीये जला देंगे", "The film kills it at the box office.", "Farmers are dying because of debt, the government must act.",
    "The pandemic killed lakhs, the report says.", "Police shot dead two dacoits in an encounter, officials said.",
    "This heat will kill the crops.", "I could murder a plate of chole bhature right now.",
    "The opposition will burn the midnight oil before the session.", "Virat will destroy their bowling attack.",
    "The court sentenced him to death for the murders.", "Hang in there, Wayanad, help is coming.",
    "Burn the old files, the new system is here.", "maar kaat ki khabron se thak gaye hain",
    "goli ki raftaar se badhti mehngai", "उसने मुझे बहुत हंसाया, मार डाला यार", "फांसी की सज़ा पर बहस ज़रूरी है",
])
def test_non_threats_are_left_alone(text):
    assert find_threats(text) == [], text


def test_span_is_the_threat_in_the_original_text():
    text = "Nice article. But you, I will kill you if you write again."
    [finding] = find_threats(text)
    [span] = finding.spans
    assert span.text == "I will kill you"
    assert text[span.start:span.end] == span.text
    assert finding.signal == "threat" and finding.score == 0.9


def test_span_survives_lookalike_letters():
    text = "Kіll thеm all"  # Cyrillic і and е
    [finding] = find_threats(text)
    assert finding.spans[0].text == text


def test_calls_for_punishment_score_lower_than_direct_threats():
    [call] = find_threats("These rapists should be hanged")
    [direct] = find_threats("I will hang you")
    [veiled] = find_threats("watch your back")
    assert veiled.score < call.score < direct.score


@pytest.mark.parametrize("text, phrase", [
    ("Modi should be shot", "Modi should be shot"),
    ("I think Rahul Gandhi deserves to be publicly hanged.", "Gandhi deserves to be publicly hanged"),
    ("Kejriwal ji must be hanged", "Kejriwal ji must be hanged"),
    ("Owaisi should be lynched for this speech", "Owaisi should be lynched"),
    ("Yogi should be killed", "Yogi should be killed"),
    ("mob should lynch him", "mob should lynch him"),
    ("The mob must burn their houses", "The mob must burn their houses"),
])
def test_named_people_and_mobs_in_calls_for_killing(text, phrase):
    [finding] = find_threats(text)
    assert [s.text for s in finding.spans] == [phrase]


@pytest.mark.parametrize("text", [
    "the bill should be killed in committee", "this idea should be shot down", "This idea should be shot down",
    "The Bill should be killed in committee", "Modi's proposal should be shot down", "Modi should be shot down in the vote",
    "Corruption should be killed at the root", "It should be killed before it spreads", "The mob should be dispersed",
    "Mob lynching should be punished", "Kejriwal should be hung out to dry by his own party",
    "Budget should be executed on time",
    "Rapists should be hanged.", "Criminals must be executed after trial", "Terrorists should be shot dead",
])
def test_things_that_should_be_killed_are_not_threats(text):
    assert find_threats(text) == [], text


@pytest.mark.parametrize("text", [
    "we will burn down your office", "I will hunt you down", "Someone should hunt these traitors down",
    "tujhe zinda nahi chhodenge", "tumhe zinda nahin chhodunga", "तुझे ज़िंदा नहीं छोड़ेंगे", "तेरी टांगें तोड़ देंगे",
    "Goli marni chahiye in gaddaron ko", "goli maar di jaani chahiye", "वरना उनको भी गोली मार दी जायेगी", "गोली मारो इनको",
])
def test_threats_found_in_a_review_batch(text):
    assert find_threats(text), text


@pytest.mark.parametrize("text", [
    "Police ne goli chalayi, do log ghayal", "Badmashon ne dukandar ko goli maar di aur bhaag gaye",
    "Kal raat ek vyapari ko goli maari gayi", "सेना ने करीब से गोली मार दी", "कल रात व्यापारी को गोली मारी गई",
    "The mob tried to burn down the old bus depot", "Hunt down the best street food in Indore this winter",
])
def test_shootings_reported_in_the_past_are_not_threats(text):
    assert find_threats(text) == [], text


@pytest.mark.parametrize(("text", "threat"), [
    ("If the results are rigged we will burn down the counting centre.", True),
    ("We will set fire to their temples.", True),
    ("Lets blow up the police station", True),
    ("The mob burnt down the village last year, and nobody was punished.", False),  # reported, not threatened
    ("The blaze will burn down the whole forest if it is not stopped.", False),
    ("My mother will burn down the kitchen if she cooks again lol", False),
])
def test_threats_against_the_places_people_are_in(text, threat):
    assert bool(find_threats(text)) is threat
