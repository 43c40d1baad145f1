"""Dehumanising language about a group of people: "Muslims are vermin", "ye mulle keede hain", "ये लोग दीमक हैं".

Calling a group of people animals, vermin or a disease is the most recognisable form of hate speech, and the
model, trained mostly on insults between individuals, scores it low ("Muslims are vermin and should be treated
like rats": identity_attack 0.41). The pattern needs a group of people as the subject and a dehumanising noun as
what they are said to be, so "dogs are animals" and "cancer is a disease" are left alone.
"""

from __future__ import annotations

import re

from moderation.detectors.base import Finding, Span
from moderation.detectors.normalise import WORD_END, WORD_START, Folded, fold

SIGNAL = "dehumanising"

# People as a group: by religion, caste, region, nation, politics or origin, or "these/those people".
_GROUPS = r"""(?:
  muslims?|hindus?|christians?|sikhs?|jains?|buddhists?|jews?|parsis?|mullahs?|muzlims?|
  dalits?|brahmins?|brahmans?|thakurs?|yadavs?|jats?|adivasis?|tribals?|
  biharis?|bengalis?|kashmiris?|punjabis?|gujaratis?|marathis?|tamils?|madrasis?|north[\s-]?easterners?|
  pakistanis?|paki(?:stani)?s|bangladeshis?|rohingyas?|chinese|afghans?|africans?|nepalis?|
  immigrants?|migrants?|refugees?|infiltrators?|outsiders?|foreigners?|
  women|females|feminists?|gays?|homosexuals?|lesbians?|transgenders?|
  bhakts?|sanghis?|libtards?|liberals?|leftists?|congressis?|aaptards?|
  (?:these|those|such|all\ these|all\ those|their|your)\ (?:people|folks|creatures|guys|lot|types?)|they|them\ all
)"""
# An adjective of nationality or religion before "fans", "voters", "people": "Pakistani fans", "Hindu voters".
_QUALIFIED = r"(?:[a-z]+(?:i|ian|ish|ese|an)\s+(?:fans|voters|supporters|people|men|folks|youth))"
_DEHUMANISING = r"""(?:
  animals?|beasts?|vermin|rats?|cockroach(?:es)?|insects?|pests?|parasites?|leeches?|termites?|maggots?|
  lice|germs?|viruses?|pigs?|swine|dogs?|snakes?|vultures?|monkeys?|apes?|savages?|subhumans?|sub-humans?|
  (?:a\ )?(?:disease|cancer|plague|virus|infestation|scourge|pest|menace\ to\ humanity)
)"""
_PATTERN = re.compile(
    rf"""\b(?:all\s+)?(?:{_GROUPS}|{_QUALIFIED})\s+(?:are|r|is|were)\s+(?:all\s+)?(?:just\s+|nothing\s+but\s+|no\s+better\s+than\s+|like\s+)?
    (?:(?:a|an|the)\s+)?(?:bunch\s+of\s+|pack\s+of\s+|breed\s+of\s+)?(?:(?:dirty|filthy|disgusting|stinking|bloody|worthless|wild)\s+)*
    {_DEHUMANISING}\b(?!\s*-?\s*(?:ignorant|headed|sick|shit))""",  # "pig ignorant", "pig-headed": idioms
    re.VERBOSE,
)
# A call to treat people as what is killed: "should be treated like rats", "must be crushed like cockroaches"
# ("they were treated like animals in the camp" reports a wrong and is left alone).
_LIKENED = re.compile(
    rf"""\b(?:should|must|ought\s+to|need\s+to|deserve\s+to|have\s+to)\s+be\s+
    (?:treated|killed|exterminated|crushed|wiped\s+out|hunted|shot|put\s+down)\s+like\s+(?:the\s+)?{_DEHUMANISING}\b""",
    re.VERBOSE,
)


# The same in Hindi word order, romanised or in Devanagari: group, dehumanising noun, then the verb
# ("ye mulle keede hain", "बिहारी लोग सूअर हैं"). Words are folded as comments are, so "कीड़े" matches "कीडे".
_HINDI_GROUPS = (
    "musalman", "musalmaan", "musalmano", "musalmanon", "muslim", "muslims", "mulle", "mullo", "mullon", "hindu",
    "hinduon", "hinduo", "sikh", "isai", "isaai", "dalit", "daliton", "bihari", "biharion", "bihariyon", "madrasi",
    "kashmiri", "pakistani", "bangladeshi", "rohingya", "jihadi", "bhakt", "bhakto", "bhakton", "andhbhakt",
    "andhbhakto", "sanghi", "sanghiyon", "congressi", "librandu", "librandus",
    "मुसलमान", "मुसलमानों", "मुल्ले", "मुल्लों", "हिंदू", "हिन्दू", "हिंदुओं", "सिख", "ईसाई", "दलित", "दलितों", "बिहारी",
    "मद्रासी", "कश्मीरी", "पाकिस्तानी", "बांग्लादेशी", "रोहिंग्या", "जिहादी", "भक्त", "अंधभक्त", "संघी", "कांग्रेसी",
)
_HINDI_THESE = ("ye", "yeh", "ya", "aise", "ese", "in", "inki", "unki", "ये", "यह", "ऐसे", "इन", "इनकी", "उनकी")
_HINDI_PEOPLE = ("log", "logon", "logo", "kaum", "qaum", "jaat", "लोग", "लोगों", "कौम", "क़ौम", "जात")
_HINDI_FILLERS = ("log", "sab", "saare", "sare", "to", "toh", "bhi", "saale", "sale", "लोग", "सब", "सारे", "तो", "भी",
                  "साले")
_HINDI_DEHUMANISING = (
    "keede", "keeday", "kide", "kiday", "keeda", "kutte", "kuttey", "kutta", "suar", "suwar", "suvar", "soor", "sooar",
    "janwar", "jaanwar", "janvar", "jaanvar", "deemak", "dimak", "saanp", "sanp", "saap", "saamp", "chuhe", "chuhey",
    "makode", "machhar", "macchar", "parjivi", "bimari", "beemari", "cancer", "virus", "kachra", "kachda",
    "कीड़े", "कीड़ा", "कुत्ते", "कुत्ता", "सूअर", "सुअर", "जानवर", "दीमक", "सांप", "साँप", "चूहे", "मकोड़े", "मच्छर", "परजीवी",
    "बीमारी", "कैंसर", "वायरस", "कचरा",
)
# Animals in the oblique plural, for "like": "keedon ki tarah kuchal do", "कुत्तों की तरह मारो".
_HINDI_LIKE_WHAT = ("keedon", "kidon", "kutton", "suaron", "janwaron", "jaanwaron", "chuhon", "machharon",
                    "कीड़ों", "कुत्तों", "सूअरों", "जानवरों", "चूहों", "मच्छरों")
_HINDI_KILL = ("maaro", "maro", "maar", "mar", "maarna", "kuchal", "kuchlo", "kuchla", "khatam", "mita", "mitao",
               "masal", "bhagao", "nikalo", "मारो", "मार", "कुचल", "कुचलो", "खत्म", "ख़त्म", "मिटा", "मिटाओ", "मसल",
               "भगाओ", "निकालो")
_HINDI_IS = ("hain", "hai", "hein", "h", "hote", "hoti", "hi", "हैं", "है", "होते", "ही")


def _words(words: tuple[str, ...]) -> str:
    return "(?:" + "|".join(sorted({re.escape(fold(w).text) for w in words}, key=len, reverse=True)) + ")"


_HINDI_PATTERN = re.compile(
    rf"{WORD_START}(?:{_words(_HINDI_GROUPS)}|{_words(_HINDI_THESE)}\s+{_words(_HINDI_PEOPLE)})"
    rf"(?:\s+{_words(_HINDI_FILLERS)})*\s+{_words(_HINDI_DEHUMANISING)}"
    rf"(?:\s+{_words(('ki', 'की'))}\s+{_words(('nasal', 'aulad', 'jaat', 'नस्ल', 'औलाद', 'जात'))})?"
    rf"(?:\s+{_words(_HINDI_IS)}){{1,2}}{WORD_END}"
)
_HINDI_LIKENED = re.compile(
    rf"{WORD_START}{_words(_HINDI_LIKE_WHAT)}\s+{_words(('ki', 'ke', 'की', 'के'))}\s+"
    rf"{_words(('tarah', 'tarh', 'jaise', 'तरह', 'जैसे'))}\s+"
    rf"{_words(_HINDI_KILL)}{WORD_END}"
)


def find_dehumanising(text: str, folded: Folded | None = None) -> list[Finding]:
    """Dehumanising phrases about a group as one finding (score 0.8), with their spans."""
    folded = folded or fold(text)
    spans: list[Span] = []
    for pattern in (_PATTERN, _LIKENED, _HINDI_PATTERN, _HINDI_LIKENED):
        for m in pattern.finditer(folded.text):
            start, end = folded.span(m.start(), m.end())
            if not any(s.start < end and start < s.end for s in spans):
                spans.append(Span(start, end, text[start:end]))
    if not spans:
        return []
    return [Finding(SIGNAL, 0.8, tuple(sorted(spans, key=lambda s: s.start)), "dehumanising language about a group")]
