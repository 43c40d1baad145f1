"""Dehumanising language about a group of people: "Muslims are vermin", "these people are a disease".

Calling a group of people animals, vermin or a disease is the most recognisable form of hate speech, and the
model, trained mostly on insults between individuals, scores it low ("Muslims are vermin and should be treated
like rats": identity_attack 0.41). The pattern needs a group of people as the subject and a dehumanising noun as
what they are said to be, so "dogs are animals" and "cancer is a disease" are left alone.
"""

from __future__ import annotations

import re

from moderation.detectors.base import Finding, Span
from moderation.detectors.normalise import Folded, fold

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


def find_dehumanising(text: str, folded: Folded | None = None) -> list[Finding]:
    """Dehumanising phrases about a group as one finding (score 0.8), with their spans."""
    folded = folded or fold(text)
    spans: list[Span] = []
    for pattern in (_PATTERN, _LIKENED):
        for m in pattern.finditer(folded.text):
            start, end = folded.span(m.start(), m.end())
            if not any(s.start < end and start < s.end for s in spans):
                spans.append(Span(start, end, text[start:end]))
    if not spans:
        return []
    return [Finding(SIGNAL, 0.8, tuple(sorted(spans, key=lambda s: s.start)), "dehumanising language about a group")]
