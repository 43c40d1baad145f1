"""Threats and calls for violence against a person or group, in English, Hinglish and Devanagari."""

from __future__ import annotations

import re

from moderation.detectors.base import Finding, Span
from moderation.detectors.normalise import Folded, fold

SIGNAL = "threat"

_VIOLENT = (r"(?:kill|murder|shoot|stab|hang|lynch|behead|butcher|slaughter|burn|torch|rape|strangle|choke|slit|"
            r"skin|gun down|hunt down|eliminate|execute|kidnap|poison|blow up|set fire to|"
            r"put a bullet (?:in|through)|beat (?:\w+ )?(?:up|to death|black and blue)|"
            r"chop (?:\w+ )?(?:up|off|into pieces)|cut (?:\w+ )?(?:up|into pieces))")
_PEOPLE = (r"(?:guy|guys|man|men|woman|women|people|traitor|traitors|journalist|journalists|reporter|reporters|"
           r"editor|editors|anchor|anchors|minister|ministers|mla|mlas|mp|mps|leader|leaders|politician|"
           r"politicians|neta|netas|judge|judges|rapist|rapists|accused|culprit|culprits|criminal|criminals|"
           r"terrorist|terrorists|bastard|bastards|idiot|idiots|scum|pigs|rats|officer|officers|cops|police|"
           r"muslims|hindus|christians|sikhs|dalits|migrants|outsiders|biharis|kashmiris|liberals|bhakts|"
           r"protesters|protestors|jihadis|sanghis|family|families|commies|anti-nationals)")
_TARGET = (rf"(?:you|u|ya|yu|him|her|them|yourself|urself|all of (?:you|them|u)|each (?:one )?of (?:you|them)|"
           rf"(?:your|ur|his|her|their) (?:whole )?(?:family|families|house|home|houses|homes|kids|children|child|"
           rf"wife|husband|daughter|son|mother|mom|father|dad|sister|brother|people|office|car|shop|body|head|"
           rf"throat|neck)|(?:these|those|this|that|the|all|all the|every|every single) {_PEOPLE})\b")
# Places people are in, which a threat may name instead of them: "we will burn down the counting centre".
_PLACE = (r"(?:the|this|that|your|ur|their|his|her|every|all the)\s+(?:counting\s+(?:centre|center)|polling\s+"
          r"(?:booth|station)s?|booths?|offices?|police\s+station|thana|newsroom|studio|temples?|mosques?|masjids?|"
          r"churches|church|gurudwaras?|schools?|colony|basti|village|houses|homes|shops)")
# The violent act and its human target: "shoot him", "burn your house", "break his legs".
_ACT = (rf"(?:{_VIOLENT}\s+(?:all\s+)?{_TARGET}(?!\s+(?:a|an)\s+(?:mail|email|message|text|note|line|dm))"
        rf"(?:\s+all\b)?|(?:beat|chop|cut|hack)\s+{_TARGET}\s+(?:up|to death|black and blue|into pieces)|"
        rf"burn\s+(?:it|everything|{_TARGET})\s+down|burn\s+down\s+(?:{_TARGET}|{_PLACE})|(?:set\s+fire\s+to|torch|blow\s+up)\s+{_PLACE}|hunt\s+{_TARGET}\s+down|"
        rf"(?:break|cut|slit|chop off) (?:your|his|her|their|ur) (?:legs|bones|head|neck|teeth|hands|face|throat|tongue))")
_PASSIVE = (r"(?:shot|hanged|hung|killed|lynched|burnt|burned|beheaded|stoned|butchered|executed|slaughtered|"
            r"murdered|raped|gunned down|shot dead|blown up|eliminated|strangled|skinned|burnt alive|"
            r"burned alive|buried alive|thrown in the sea)")

_ENGLISH = [
    # "I will kill you", "we're going to burn your house", "I'll come and shoot him"
    (0.9, rf"\b(?:i|we)\s*(?:'ll|’ll|will|shall|'d|would|am going to|are going to|'m going to|'re going to|"
          rf"m gonna|'m gonna|am gonna|are gonna|gonna|want to|wanna|am coming to|are coming to|ll)\s+"
          rf"(?:\w+\s+){{0,2}}?{_ACT}"),
    # "someone should shoot him", "people must hang them all"
    (0.8, rf"\b(?:someone|somebody|some1|anyone|everyone|people|public|the public|we all|we|you guys|they|"
          rf"(?:the |a )?(?:mob|mobs|crowd|janta))\s+"
          rf"(?:should|must|needs? to|ought to|has to|have to|should just)\s+(?:\w+\s+)?{_ACT}"),
    # "kill them all", "hang the traitors", "burn their houses" as a command
    (0.8, rf"(?:^|[.!?,;:\n-]\s*|\b(?:just|go|lets|let's|let us|come on|plz|please|and)\s+){_ACT}"),
    (0.8, r"\bdeath to (?:all |the )?(?:\w+\b)"),
    # "they should be shot", "these traitors deserve to be hanged"
    (0.6, rf"\b(?:he|she|they|you|u|(?:these|those|this|that|the|all|all the) {_PEOPLE})\s+"
          rf"(?:should|must|deserves? to|ought to|needs? to|has to|have to|will)\s+(?:all\s+)?be\s+"
          rf"(?:\w+\s+)?{_PASSIVE}\b"),
    # veiled threats
    (0.5, r"\b(?:we|i)(?:'re|'m| are| am)?\s+coming\s+for\s+(?:you|u|him|her|them|your\s+\w+)\b|"
          r"\byou(?:'ll| will)\s+pay\s+for\s+this\b|\byour\s+(?:family|kids|children)\s+will\s+(?:pay|suffer)\b|"
          r"\byou\s+(?:won't|wont|will not)\s+(?:be\s+alive|survive|live\s+to)\b|"
          r"\byou(?:'re| are|r)\s+(?:dead|finished|going to die|gonna die)\b|\byour days are numbered\b|"
          r"\bwatch your back\b|\b(?:we|i) know where you live\b|\byou (?:will|won't|wont) (?:die|live long)\b|"
          r"\bi(?:'ll| will) (?:find|get) you\b|\bsleep with one eye open\b"),
]
# "Modi should be shot", "Kejriwal ji must be hanged": a capitalised name (checked on the original text) as
# the one to be killed. "Shot down" and "hung out to dry" are how plans and ideas are rejected.
_NAMED = re.compile(r"\b(?P<name>[a-z][\w'’-]*)(?:\s+(?:ji|sahab|saheb|sir|bhai))?\s+"
                    r"(?:should|must|deserves? to|ought to|needs? to|has to)\s+be\s+(?:\w+\s+)?"
                    r"(?:shot|hanged|hung|killed|lynched|murdered|beheaded|executed|stoned|gunned down|"
                    r"burnt alive|burned alive|shot dead)\b(?!\s+(?:down|out))")
# Capitalised words in that place that are not people: pronouns, what bills and ideas are called, and the evils
# comments want ended ("Corruption should be killed at the root").
_NOT_NAMES = frozenset("""it this that which what there everything something nothing anything one i who all
he she they you we
bill law idea plan project proposal scheme policy motion amendment deal story rumour rumor film movie show
order budget strategy decision verdict judgment judgement warrant contract task mission
corruption inflation terrorism poverty hatred hate casteism communalism nepotism dowry greed ego""".split())  # noqa: SIM905
# Plural and abstract nouns by their ending: "Rapists should be hanged" is an opinion on punishment, not a threat
# to someone named; names such as Das, Vikas, Yunus keep theirs.
_GROUP_NOUN = re.compile(r"(?:[^aiusy]s|ion|ment|ness|ism|ity)$")
_OBJ = r"(?:tujhe|tujhko|tumhe|tumhein|tumko|use|usko|unhe|unhein|unko|sabko|sab\s+ko|isko|inko|inhe)"
# Future and imperative forms only: "maar dala" (killed, also "mehngai ne maar dala") is not a threat.
_HINGLISH = [
    (0.9, r"\bjaa?n\s+se\s+(?:maa?r|marwa)\w*"),
    (0.9, r"\bmaa?r\s*d+aa?l(?:u|oo)n?gi?a?\b|\bmaa?r\s*d+aa?l(?:enge|egi|ega|o|na\s+chahiye)\b"),
    (0.9, r"\bmaa?r\s+(?:du+n?ga|doo+n?ga|denge|dega|dungi)\b"),
    # "goli chalayi", "goli maar di": a shooting reported, not threatened or called for
    (0.9, r"\bgoli\s+(?!chalaa?(?:yi|i|ya|ye|yee)\b|maa?r\s+(?:di|dii|diya|diye|dee)\b(?!\s+ja)|maa?ri\s+(?:gayi|gai|gaya|thi)\b)"
          r"(?:maa?r|chala)\w*"),
    (0.9, r"\bsar\s+tan\s+se\s+juda\b|\bsar\s+kalam\b"),
    (0.9, rf"\b(?:zinda|ghar|gaadi|gadi|dukan|dukaan|{_OBJ})\s+jala\s*(?:denge|dunga|doonga|daalenge|dalenge|do)\b"),
    (0.8, r"\b(?:gala|sar|sir|gardan|haath)\s+kaa?t\w*|\bkaa?t\s*(?:daalenge|dalenge|dalunga|daalunga)\b"),
    (0.8, rf"\b{_OBJ}\s+khatam\s+kar\s*(?:denge|dunga|doonga|dalenge|daalenge)\b"),
    (0.8, r"\bghus\s+(?:ke|kar)\s+maa?r\w*"),
    (0.8, r"\b(?:haddi|haddiyan|taang|taange)\s+tod\s*(?:denge|dunga|doonga)\b"),
    (0.9, r"\bzinda\s+(?:nahi|nahin|nai)\s+chh?od(?:enge|unga|oonga|ega|ungi)\b"),
    (0.8, r"\bthok\s*(?:denge|dunga|doonga)\b|\btukde\s+tukde\s+kar\s*(?:denge|dunga|doonga)\b"),
    (0.8, r"\bmaarenge\b|\bmaarunga\b|\bmaroonga\b"),
    (0.5, rf"\b{_OBJ}\s+dekh\s+(?:lunga|loonga|lenge)\b|\bdekh\s+(?:lunga|loonga|lenge)\s+{_OBJ}"),
    (0.9, r"\bzinda\s+(?:jala|gaad|dafna)\w*"),
    # calls for hanging ("phansi do") read as calls for punishment, like "should be hanged"
    (0.6, r"\b(?:phansi|phaansi|faansi|fansi)\s+(?:pe|par)\s+latka\w*|\b(?:phansi|phaansi|faansi|fansi)\s+"
          r"(?:do|de\s+do|dedo|do\s+isko|honi\s+chahiye)\b"),
]
_DEVA_OBJ = r"(?:तुझे|तुझको|तुम्हें|तुमको|उसे|उसको|उन्हें|उनको|सबको|इसको|इन्हें)"
# Devanagari, written as folded (short vowels, no nukta, anusvara for chandrabindu).
_DEVANAGARI = [
    (0.9, r"जान\s+से\s+मार"),
    (0.9, r"मार\s*(?:डाल(?:ुंगा|ुंगि|ेंगे|ेगा|ो|ना)|दुंगा|देंगे|देगा)"),
    (0.9, r"गोलि\s+(?!मार\s+(?:दि|दिया|दिये|दिए)(?![\u0900-\u097f])(?!\s+जा)|मारि\s+(?:गयि|गइ|गया|थि)(?![\u0900-\u097f]))मार"),
    (0.9, r"सर\s+तन\s+से\s+जुदा"),
    (0.9, rf"(?:जिंदा|जिन्दा|घर|गाडि|दुकान|{_DEVA_OBJ})\s+जला\s*(?:देंगे|दुंगा|डालेंगे|दो)"),
    (0.8, r"(?:गला|सर|गर्दन)\s+काट|काट\s*(?:डालेंगे|डालुंगा)"),
    (0.8, rf"{_DEVA_OBJ}\s+खत्म\s+कर\s*(?:देंगे|दुंगा|डालेंगे)"),
    (0.8, r"घुस\s+(?:के|कर)\s+मार"),
    (0.8, r"मारेंगे|मारुंगा"),
    (0.8, r"ठोक\s*(?:देंगे|दुंगा)"),
    (0.8, r"(?:हड्डि|हड्डियां|टांग|टांगें)\s+तोड\s*(?:देंगे|दुंगा)"),
    (0.9, r"(?:जिंदा|जिन्दा)\s+नहिं?\s+छोड(?:ेंगे|ुंगा|ेगा)"),
    (0.5, rf"{_DEVA_OBJ}\s+देख\s+(?:लुंगा|लेंगे)"),
    (0.9, r"(?:जिंदा|जिन्दा)\s+(?:जला|गाड|दफना)"),
    (0.6, r"फांसि\s+(?:पर|पे)\s+लटका|फांसि\s+(?:दो|दे\s+दो)"),
]
# Words without which none of the patterns can match: most comments stop at this one scan.
_KEYWORDS = re.compile(r"kill|murder|shoot|stab|hang|lynch|behead|butcher|slaughter|burn|torch|rape|strangle|choke|"
                       r"slit|skin|gun|hunt|eliminate|execute|kidnap|poison|blow|fire|bullet|beat|chop|cut|break|"
                       r"shot|hung|stoned|dead|die|death|numbered|your back|where you live|find you|get you|eye open|"
                       r"maa?r|goli|juda|kalam|jala|kaa?t|khatam|ghus|tod|thok|tukde|dekh|coming for|pay for|alive|"
                       r"survive|zinda|ph?aa?n?si|fansi|मार|गोलि|जुदा|जला|काट|खत्म|घुस|ठोक|तोड|देख|जिंदा|जिन्दा|फांसि")
# Digits and symbols read as letters ("k1ll"); one character for one, so offsets stay put.
_LEET = str.maketrans("013457@$", "oieastas")
_PATTERNS = tuple((score, re.compile(p)) for score, p in _ENGLISH + _HINGLISH + _DEVANAGARI)


def find_threats(text: str, folded: Folded | None = None) -> list[Finding]:
    """Threats of violence in `text` as one finding whose score is that of the strongest phrase."""
    folded = folded or fold(text)
    plain = folded.text.translate(_LEET)
    if not _KEYWORDS.search(plain):
        return []
    spans: list[Span] = []
    best = 0.0
    for score, pattern in _PATTERNS:
        for m in pattern.finditer(plain):
            start, end = folded.span(m.start() + _lead(m.group()), m.end())
            if any(s.start < end and start < s.end for s in spans):
                continue
            spans.append(Span(start, end, text[start:end]))
            best = max(best, score)
    for m in _NAMED.finditer(plain):
        start, end = folded.span(m.start(), m.end())
        if _names_someone(text, folded, m) and not any(s.start < end and start < s.end for s in spans):
            spans.append(Span(start, end, text[start:end]))
            best = max(best, 0.6)
    if not spans:
        return []
    return [Finding(SIGNAL, best, tuple(sorted(spans, key=lambda s: s.start)), f"{len(spans)} threat phrase(s)")]


def _names_someone(text: str, folded: Folded, m: re.Match[str]) -> bool:
    """Whether the subject of a `_NAMED` match is written as a name: capitalised, not a pronoun or a thing."""
    start, end = folded.span(m.start("name"), m.end("name"))
    word = text[start:end]
    if not word[:1].isupper() or m.group("name") in _NOT_NAMES or _GROUP_NOUN.search(m.group("name")):
        return False
    before = text[max(0, start - 12):start].split()
    # "The Bill should be killed": a name has no article before it.
    return not (before and before[-1].lower() in {"the", "a", "an", "this", "that", "our", "their", "his", "her"})


def _lead(matched: str) -> int:
    """Skip the punctuation and spaces a pattern consumed before the threat itself."""
    return len(matched) - len(matched.lstrip(".!?,;:\n- "))
