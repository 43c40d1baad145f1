"""Defamation risk: a crime or misconduct asserted as fact about an identifiable person or organisation."""

from __future__ import annotations

import re
from dataclasses import dataclass

from moderation.detectors.base import Finding, Span

SIGNAL = "defamation"

_I = re.IGNORECASE
# Allegations of crime or misconduct, as verbs and as labels ("took a bribe", "is a fraud").
_ALLEGATION = re.compile(r"""\b(?:
  brib(?:e|es|ed|ing|ery)|kickbacks?|hafta|pay-?offs?|paid\s+off|ghoos|rishwat|
  (?:took|takes|taking|take|accepted|accepts|demanded|demands|collects|collected)\s+(?:a\s+|the\s+)?
      (?:bribes?|kickbacks?|money|cash|crores?|lakhs?|commission|cut|hafta|donations?|\d[\d,.]*\s*(?:rupees|rs|lakh|crore)?)|
  embezzl\w*|siphon\w*|loot(?:s|ed|ing|ers?)?|misappropriat\w*|pocket(?:s|ed|ing)|swindl\w*|defraud\w*|
  fraud(?:s|ster|sters)?|scam(?:s|mer|mers|ster|sters)?|ponzi|cheat(?:s|ed|ing|er|ers)?(?!\s+death)|
  launder\w*|hawala|black\s+money|tax\s+evasion|evad(?:ed|es|ing)\s+(?:\w+\s+)?tax(?:es)?|
  forg(?:ed|es|ery|eries)|fakes|(?:used|uses|using)\s+fake|rigg(?:ed|ing)|rigs|
  (?:sold|sells|selling)\s+(?:\w+\s+)?(?:degrees|tickets|kidneys|organs|babies|fake\s+\w+|expired|adulterated|the\s+same)|
  adulterat\w*|plagiari[sz]\w*|ghost\s+(?:teachers|employees|workers|staff)|shell\s+compan(?:y|ies)|benami|
  stole|steals|stolen|stealing|theft|thie(?:f|ves)|chor|crooks?|mafia|racket(?:s|eer|eers)?|smuggl\w*|
  grabb(?:ed|ing)|grabs|land[\s-]grab\w*|misus(?:ed|es|ing)|extort\w*|blackmail\w*|extract\s+money|
  cover(?:ed|s)?\s+(?:it\s+)?up|cover-up|hush(?:ed|es)?\s+(?:it\s+)?up|corrupt|illegal(?:ly)?|goons?|
  divert(?:ed|s|ing)\s+(?:\w+\s+){0,4}?(?:funds|money|grants?)|on\s+the\s+payroll\s+of|
  fix(?:ed|es|ing)\s+the\s+(?:tender|match|contract|exam|bid|auction|results?)|
  rap(?:ist|ists|ed|es)|molest\w*|sexually\s+(?:harass|assault|abus)\w*|harass(?:ed|es|ing)|
  p(?:a)?edophiles?|murder(?:ed|er|ers|s)?|killed\s+(?:his|her|a|the|that|this|two|three)|
  beat\s+\w+(?:\s+\w+)?\s+to\s+death|hit[\s-]and[\s-]run|
  ghotal\w*|ghoos\w*|rishwat\w*|lo?otera|lutere|bhrasht\w*|
  (?:paisa|paise|crore|crores|lakh|lakhs|fund|funds|ration|rashan)\s+(?:\w+\s+)?kha\s+(?:gaya|gaye|gayi|liya|liye|jata|jaata)
)\b""", re.VERBOSE | _I)
_DEVA = "\u0900-\u097f"
_ALLEGATION_DEVA = re.compile(rf"(?<![{_DEVA}])(?:चोर|घोटाल|रिश्वत|घूस|लुटेर|भ्रष्ट|बलात्कारी|हत्यार|ठग|धोखेबाज|"
                              rf"पैसा\s+खा|पैसे\s+खा)")

_TITLES = (r"Mr|Mrs|Ms|Dr|Shri|Shrimati|Smt|Sri|Prof|Professor|Justice|Judge|Minister|MLA|MP|CM|Collector|"
           r"Commissioner|Inspector|Councillor|Corporator|Sarpanch|Mayor|Builder|CEO|Principal|Chairman|Director|DM|"
           r"SP|SHO|DSP|Tehsildar|Headmaster|Babu|Advocate|Contractor|Officer|Sir|Madam|Comrade|Pandit|Maulana")
_ROLES = (r"mayor|collector|minister|mla|mp|cm|principal|headmaster|headmistress|vice[\s-]chancellor|chairman|ceo|"
          r"md|director|manager|bank\s+manager|sho|inspector|commissioner|tehsildar|sarpanch|councillor|corporator|"
          r"judge|dm|sp|dsp|officer|contractor|builder|landlord|doctor|professor|teacher|editor|owner|founder|"
          r"president|secretary|treasurer|accountant|auditor|company|firm|hospital|trust|developer|promoter|priest|"
          r"patwari|lekhpal|clerk|engineer|ca|spokesperson|anchor|journalist|reporter|cooperative|society")
_ORG_SUFFIX = (r"Ltd|Limited|Pvt|Private|Builders|Developers|Group|Industries|Infra|Realty|Corp|Corporation|Bank|"
               r"Enterprises|Constructions|Motors|Pharma|Finance|Foods|Traders|Jewellers|Diagnostics|Chit\s+Funds?|"
               r"Hospital|Trust|Associates|Exports|Textiles|Technologies|Solutions|Ventures|Holdings|Infratech|"
               r"Estates|Properties|Logistics|Agencies|Clinic")
_CAP = r"[A-Z][a-z]+(?:'s)?"
_TARGETS = [
    (re.compile(rf"\b(?:{_TITLES})\.?\s+{_CAP}"), "title"),
    (re.compile(rf"\b[A-Z][\w&.]*(?:\s+[A-Z][\w&.]*)*\s+(?:{_ORG_SUFFIX})\b"), "organisation"),
    (re.compile(rf"\b(?:the|our|this|that|your|their|my|local|city|district|state)\s+(?:\w+\s+)?(?:{_ROLES})\b", _I),
     "role"),
    (re.compile(rf"\b{_CAP}\s+(?:ji|sahab|saheb|babu)\b"), "name"),
    (re.compile(r"\b(?:he|she)\b", _I), "pronoun"),
    (re.compile(r"\b(?:ye|yeh|iss|wo|woh|hamara|hamare|hamari|apna|apne)\s+(?:\w+\s+)?(?:neta|mantri|vidhayak|"
                rf"sansad|pradhan|thanedar|daroga|afsar|adhikari|{_ROLES})\b", _I), "role"),
    (re.compile(r"(?:ये|यह|इस|हमारे|हमारा|वो|वह)\s+(?:\S+\s+)?(?:नेता|मंत्री|विधायक|सांसद|मुख्यमंत्री|कलेक्टर|थानेदार|"
                r"दरोगा|सरपंच|प्रधान|अफसर|अधिकारी|मेयर|पार्षद)"), "role"),
    (re.compile(rf"(?:मंत्री|विधायक|सांसद|कलेक्टर|सरपंच|श्री|डॉ\.?)\s+[{_DEVA}]+|[{_DEVA}]+\s+जी(?![{_DEVA}])"), "name"),
]
# Two or more capitalised words in a row: a personal name unless it is a stock phrase.
_NAME_RUN = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+\b")
_NOT_NAMES = frozenset("""the this that these those it he she they we i you our your his her their all every some
many most no in on at for if when why what who how and but or so my a an as according police court""".split())  # noqa: SIM905

_QUESTION = re.compile(r"\?\s*$|^\s*(?:if|whether|unless)\b|\bif\s+(?:the|he|she|it|they|\w+)\b.*,", _I)
_HEDGE = re.compile(r"\b(?:i\s+think|i\s+feel|i\s+believe|i\s+suspect|i\s+doubt|i\s+guess|in\s+my\s+(?:opinion|view)|"
                    r"imo|imho|seems?|appears?|looks\s+like|may\s+have|might\s+have|could\s+have|probably|perhaps|"
                    r"possibly|maybe|allegedly|reportedly|rumou?r\w*|apparently)\b", _I)
_ATTRIBUTION = re.compile(r"""\b(?:according\s+to|as\s+per|alleg\w*|accus\w*|charged|chargesheet\w*|convict\w*|
  acquitt\w*|sentenced|arrested|booked|fir|court|cbi|ed|lokayukta|inquiry|enquiry|investigat\w*|probe|
  reports?\s+(?:say|says|said|suggest|suggests)|the\s+report|sources|complain\w*|prosecut\w*|petition|trial|verdict|
  den(?:y|ies|ied)|denial|suspended|raid\w*|audit\w*|claims?|claimed|told\s+the|said|says|testified|witness\w*)\b""",
                          re.VERBOSE | _I)
# Words between the party and the cue that make the party the victim or the one fighting the wrong.
_COUNTER = re.compile(r"\b(?:victims?|prey|duped|lost|exposed|exposes|exposing|uncovered|unearthed|busted|fought|fights|"
                      r"fighting|against|curb|end|ended|stop|crack(?:ed|ing)?\s+down|warned|whistle-?blower)\b", _I)
_NEGATION = re.compile(r"\b(?:not|never|no|didn't|didnt|doesn't|isn't|wasn't|hasn't|haven't|nobody|none)\b", _I)
# Hindi puts the negation after the word: "chor nahi hai", "चोर नहीं है".
_NEGATION_AFTER = re.compile(r"^\W*\w*\W*(?:nahi|nahin|nai|नहीं|नही|ना)(?![\w\u0900-\u097f])", _I)
_HINDI_HEDGE_OR_SOURCE = re.compile(r"\b(?:mujhe\s+lagta|lagta\s+hai|shayad|ke\s+mutabik|aarop\w*|aropi|giraftar\w*|"
                                    r"adalat|jaanch|police\s+ne)\b|मुझे\s+लगता|लगता\s+है|शायद|के\s+अनुसार|"
                                    r"के\s+मुताबिक|आरोप|अदालत|कोर्ट|गिरफ्तार|जांच|जाँच|पुलिस\s+ने|कथित|एफआईआर", _I)
_SENTENCE_END = re.compile(r"[.!?।]+[\"')\]]*\s+|\n+")
_ABBREVIATIONS = frozenset("mr mrs ms dr shri smt sri st prof jr sr lt gen col capt rs no vs etc co pvt ltd".split())  # noqa: SIM905


@dataclass(frozen=True)
class _Sentence:
    start: int
    end: int
    text: str


def _sentences(text: str) -> list[_Sentence]:
    out: list[_Sentence] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        words = text[start:m.start()].split()
        if m.group().startswith(".") and words and words[-1].lower().strip("(") in _ABBREVIATIONS:
            continue
        out.append(_Sentence(start, m.end(), text[start:m.end()]))
        start = m.end()
    if start < len(text):
        out.append(_Sentence(start, len(text), text[start:]))
    return out


def _target(sentence: str, before: int) -> str | None:
    """What identifiable person or organisation the sentence names before position `before`, if any."""
    head = sentence[:before]
    for pattern, kind in _TARGETS:
        if pattern.search(head):
            return kind
    for m in _NAME_RUN.finditer(head):
        words = m.group().split()
        if words[0].lower() in _NOT_NAMES:
            words = words[1:]
        if len(words) >= 2:
            return "name"
    return None


def _negated(sentence: str, cue_start: int, cue_end: int) -> bool:
    window = sentence[:cue_start].split()[-4:]
    return bool(_NEGATION.search(" ".join(window)) or _NEGATION_AFTER.search(sentence[cue_end:]))


def _allegation(sentence: str) -> str | None:
    """The first cue in the sentence that accuses a named party, as "cue (kind of party)"."""
    cues = [*_ALLEGATION.finditer(sentence), *_ALLEGATION_DEVA.finditer(sentence)]
    for cue in sorted(cues, key=lambda m: m.start()):
        if _negated(sentence, cue.start(), cue.end()) or _COUNTER.search(sentence[:cue.start()]):
            continue
        kind = _target(sentence, cue.start())
        if kind is not None:
            return f"{cue.group().lower()} ({kind})"
    return None


def find_defamation(text: str) -> list[Finding]:
    """Sentences that assert a crime or misconduct as fact about a named or identifiable party."""
    if not (_ALLEGATION.search(text) or _ALLEGATION_DEVA.search(text)):
        return []
    spans: list[Span] = []
    details: list[str] = []
    for s in _sentences(text):
        if _QUESTION.search(s.text.strip()) or _HEDGE.search(s.text) or _ATTRIBUTION.search(s.text):
            continue
        if _HINDI_HEDGE_OR_SOURCE.search(s.text):
            continue
        found = _allegation(s.text)
        if found is None:
            continue
        lead = len(s.text) - len(s.text.lstrip())
        start, end = s.start + lead, s.start + len(s.text.rstrip())
        spans.append(Span(start, end, text[start:end]))
        details.append(found)
    if not spans:
        return []
    return [Finding(SIGNAL, 0.8, tuple(spans), "; ".join(details))]
