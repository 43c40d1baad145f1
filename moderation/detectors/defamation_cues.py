"""Words and patterns the defamation detector reads: allegation cues, parties, hedges and sources."""

from __future__ import annotations

import re

# Most patterns read the lower-cased sentence (same offsets): case-insensitive matching measured 3-7 times
# slower. Those that need capitals (titles, names, company names) read the sentence as written.
# Allegations as acts: "took a bribe", "embezzled", "sold expired food". The party must be their subject.
VERB_CUES = re.compile(r"""\b(?:
  brib(?:ed|es|ing)|paid\s+off|pays\s+off|
  (?:took|takes|taking|take|accepted|accepts|demanded|demands|collects|collected|received|receives)\s+(?:a\s+|the\s+)?
      (?:bribes?|kickbacks?|money|cash|crores?|lakhs?|commission|cut|hafta|donations?|\d[\d,.]*\s*(?:rupees|rs|lakh|crore)?)|
  (?:took|takes|accepted|received|got)\s+(?:\w+\s+){0,6}?(?:as\s+a\s+bribe|in\s+bribes|in\s+kickbacks|as\s+kickbacks?)|
  embezzl\w*|siphon\w*|loot(?:s|ed|ing)|misappropriat\w*|pocket(?:s|ed|ing)|swindl\w*|defraud\w*|
  cheat(?:s|ed|ing)(?!\s+death)|launder(?:s|ed|ing)|evad(?:ed|es|ing)\s+(?:\w+\s+)?tax(?:es)?|
  forg(?:ed|es)|fakes|(?:used|uses|using)\s+fake|rigg(?:ed|ing)|rigs|
  (?:sold|sells|selling)\s+(?:\w+\s+)?(?:degrees|tickets|kidneys|organs|babies|fake|stolen|counterfeit|spurious|
      expired|adulterated|the\s+same)|
  (?:sold|gave|awarded|cleared|approved|granted|passed|allotted)\s+(?:\S+\s+){0,8}?for\s+(?:a\s+)?
      (?:kickbacks?|bribes?|cut|commission)|
  adulterat(?:es|ed|ing)|plagiari[sz](?:es|ed|ing)|stole|steals|stealing|smuggl(?:es|ed|ing)|
  grabb(?:ed|ing)|grabs|misus(?:ed|es|ing)|extort(?:s|ed|ing)|blackmail(?:s|ed|ing)|extract\s+money|
  cover(?:ed|s)?\s+(?:it\s+)?up|hush(?:ed|es)?\s+(?:it\s+)?up|
  divert(?:ed|s|ing)\s+(?:\w+\s+){0,4}?(?:funds|money|grants?)|on\s+the\s+payroll\s+of|
  fix(?:ed|es|ing)\s+the\s+(?:tender|match|contract|exam|bid|auction|results?)|
  leak(?:ed|s)\s+(?:the\s+|a\s+)?(?:[\w-]+\s+){0,2}?(?:exam|question|test)\s+papers?|
  rap(?:ed|es)|molest(?:s|ed|ing)|sexually\s+(?:harass|assault|abus)\w*|harass(?:ed|es|ing)|
  murdered|killed\s+(?:his|her|a|the|that|this|two|three)|beat\s+\w+(?:\s+\w+)?\s+to\s+death
)\b""", re.VERBOSE)
# Allegations as labels: "is a fraud", "runs a scam". The party must be linked to them by a verb like "is".
NOUN_CUES = re.compile(r"""\b(?:
  bribery|kickbacks|hafta|fraud(?:s|ster|sters)?|scam(?:s|mer|mers|ster|sters)?|ponzi|cheat(?:er|ers)|
  hawala|black\s+money|tax\s+evasion|forgery|ghost\s+(?:teachers|employees|workers|staff)|shell\s+compan(?:y|ies)|
  benami|theft|thie(?:f|ves)|crooks?|mafia|racket(?:s|eer|eers)?|smugglers?|looters?|land[\s-]grabbers?|extortionists?|
  corrupt|illegal(?:ly)?|goons?|rapists?|molesters?|p(?:a)?edophiles?|murderers?|killers?|criminals?|frauds
)\b""", re.VERBOSE)
# Hinglish and Hindi cues: word order differs, so only a party before the cue is asked for.
HINDI_CUES = re.compile(r"""\b(?:chor|ghotal\w*|ghoos\w*|rishwat\w*|lo?otera|lutere|bhrasht\w*|
  (?:paisa|paise|crore|crores|lakh|lakhs|fund|funds|ration|rashan)\s+(?:\w+\s+)?kha\s+(?:gaya|gaye|gayi|liya|liye|jata|jaata)
)\b""", re.VERBOSE)
DEVA = "\u0900-\u097f"
DEVANAGARI_CUES = re.compile(rf"(?<![{DEVA}])(?:चोर|घोटाल|रिश्वत|घूस|लुटेर|भ्रष्ट|बलात्कारी|हत्यार|ठग|धोखेबाज|"
                             rf"पैसा\s+खा|पैसे\s+खा)")
# "Delhi mein sab chor hain": a place, not the party the label is said of.
HINDI_LOCATIVE = re.compile(rf"^\s*(?:mein|me|men|में)(?![\w{DEVA}])")
# Verbs that tie a party to a label: "is a fraud", "runs a racket", "chor hai".
LINK = re.compile(r"\b(?:is|was|are|were|has\s+been|have\s+been|had\s+been|became|becomes|remains|runs|ran|running|"
                  r"operates|operated|operating|heads|headed|leads|led)\b|'s\b")
# Words that may stand between a party and its act: "has been laundering", "knowingly sold", "was caught taking".
BETWEEN_ACT = frozenset("""has have had been is was were are also openly brazenly knowingly then even always regularly
repeatedly secretly actually clearly literally just already once blatantly shamelessly illegally himself herself
personally systematically routinely got caught found seen red-handed""".split())  # noqa: SIM905
# A participle after "was", "got"…: the party before it had the act done to it ("was harassed by trolls", "was
# stalked and molested"), and the one who did it, if named, follows "by". Being bribed still accuses.
PASSIVE_AUX = re.compile(r"\b(?:is|are|was|were|be|been|being|get|gets|got|getting)\s+(?:\w+ly\s+)?"
                         r"(?:\w+(?:ed|en)\s+and\s+)?$")
PASSIVE_ACCUSES = frozenset({"bribed"})
BY_AGENT = re.compile(r"(?:\s+[\w-]+){0,4}?\s+by\s+")
# Figures of speech, read from the cue on: "stole the show", "killed the role", "forged a partnership", and sport's
# "looted the bowling", "looted 120 runs", "pocketed the title".
IDIOMS = re.compile(r"""(?:
  (?:stole|steals|stealing)\s+(?:\w+\s+){0,2}?
      (?:show|hearts?|limelight|spotlight|scenes?|thunder|march|singles?|runs?|headlines)|
  (?:killed|murdered)\s+(?:the|that|this|his|her)\s+(?:\w+\s+)?
      (?:role|character|song|performance|look|show|scene|sequence|number|audience|crowd|stage|vibe|mood|language)|
  loot(?:s|ed|ing)\s+(?:the\s+)?box[\s-]office|loot(?:s|ed|ing)\s+(?:\d+\s+)?runs|
  (?:grabb(?:ed|ing)|grabs|pocket(?:s|ed|ing))\s+(?:[\w-]+\s+){0,4}?
      (?:gold|silver|bronze|medals?|wickets?|catch(?:es)?|headlines|attention|eyeballs|trophy|chance|opportunity|
      titles?|awards?|haul|crown|credit|(?:man|player)\s+of\s+the\s+(?:match|series|tournament))
      (?!\s+(?:money|funds?|society|societies|cards?|deeds?))|
  forg(?:ed|es|ing)\s+(?:\w+\s+){0,3}?(?:partnership|stand|alliance|bond|friendship|ties|relationship|path|ahead)|
  (?:harass|loot|kill|murder)(?:s|es|ed|ing)\s+(?:the\s+)?(?:\w+\s+)?(?:batters|batsmen|bowlers|bowling|attack)
)\b""", re.VERBOSE)
# A label used as a topic or for someone else: "an expert on fraud", "fraud prevention", "cheated by a fraudster".
TOPIC_BEFORE = re.compile(r"\b(?:on|about|against|regarding|into|anti|for|with|by)\s+(?:the\s+|a\s+|an\s+)?(?:\w+\s+)?$")
TOPIC_AFTER = re.compile(r"^[\s-]*(?:prevention|detection|case|cases|complaints?|helpline|laws?|policy|victims?|"
                         r"survivors?|charges?|allegations?|probe|awareness|cell|unit|squad|investigation|inquiry|"
                         r"trial|film|movie|book|story|series|documentary)\b")
# Relatives after a possessive keep the party identifiable: "MLA Chaudhary's son".
RELATIVES = re.compile(r"^'s\s+(?:son|sons|daughter|daughters|wife|husband|brother|brothers|sister|nephew|niece|"
                       r"father|mother|family|relatives?|brother-in-law|son-in-law|pa|aide|aides|men|company|firm)\b")
# Words that open a phrase describing the party: "the principal of St. Mary's", "the SHO at Sector 20".
POSTMODIFIER_OPENERS = frozenset({"of", "at", "from", "in"})

TITLES = (r"Mr|Mrs|Ms|Dr|Shri|Shrimati|Smt|Sri|Prof|Professor|Justice|Judge|Minister|MLA|MP|CM|Collector|"
           r"Commissioner|Inspector|Councillor|Corporator|Sarpanch|Mayor|Builder|CEO|Principal|Chairman|Director|DM|"
           r"SP|SHO|DSP|Tehsildar|Headmaster|Babu|Advocate|Contractor|Officer|Sir|Madam|Comrade|Pandit|Maulana|"
          r"Sub-[Ii]nspector|SI|ASI|Constable|Havildar|Dean|Registrar|Warden|Superintendent|BDO|SDM|CMO")
ROLES = (r"mayor|collector|minister|mla|mp|cm|principal|headmaster|headmistress|vice[\s-]chancellor|chairman|ceo|"
          r"md|director|manager|bank\s+manager|sho|inspector|commissioner|tehsildar|sarpanch|councillor|corporator|"
          r"judge|dm|sp|dsp|officer|contractor|builder|landlord|doctor|professor|teacher|editor|owner|founder|"
          r"president|secretary|treasurer|accountant|auditor|company|firm|hospital|trust|developer|promoter|priest|"
          r"patwari|lekhpal|clerk|engineer|ca|spokesperson|anchor|journalist|reporter|cooperative|society|surgeon|"
          r"sub-inspector|si|asi|constable|havildar|dean|registrar|warden|superintendent|bdo|sdm|cmo|vc|hospital")
ORG_SUFFIX = (r"Ltd|Limited|Pvt|Private|Builders|Developers|Group|Industries|Infra|Realty|Corp|Corporation|Bank|"
               r"Enterprises|Constructions|Motors|Pharma|Finance|Foods|Traders|Jewellers|Diagnostics|Chit\s+Funds?|"
               r"Hospital|Trust|Associates|Exports|Textiles|Technologies|Solutions|Ventures|Holdings|Infratech|"
               r"Estates|Properties|Logistics|Agencies|Clinic")
CAP = r"[A-Z][a-z]+"
# Parties: (pattern, kind, reads lower-cased text).
TARGETS = [
    (re.compile(rf"\b(?:{TITLES})\.?\s+{CAP}"), "title", False),
    (re.compile(rf"\b[A-Z][\w&.]*(?:\s+[A-Z][\w&.]*)*\s+(?:{ORG_SUFFIX})\b"), "organisation", False),
    (re.compile(rf"\b(?:the|our|this|that|your|their|my|local|city|district|state)\s+(?:\w+\s+)?(?:{ROLES})\b"),
     "role", True),
    (re.compile(rf"\b{CAP}\s+(?:ji|sahab|saheb|babu)\b"), "name", False),
    (re.compile(r"\b(?:he|she)\b"), "pronoun", True),
    (re.compile(r"\b(?:ye|yeh|iss|wo|woh|hamara|hamare|hamari|apna|apne)\s+(?:\w+\s+)?(?:neta|mantri|vidhayak|"
                rf"sansad|pradhan|thanedar|daroga|afsar|adhikari|{ROLES})\b"), "role", True),
    (re.compile(r"(?:ये|यह|इस|हमारे|हमारा|वो|वह)\s+(?:\S+\s+)?(?:नेता|मंत्री|विधायक|सांसद|मुख्यमंत्री|कलेक्टर|थानेदार|"
                r"दरोगा|सरपंच|प्रधान|अफसर|अधिकारी|मेयर|पार्षद)"), "role", False),
    (re.compile(rf"(?:मंत्री|विधायक|सांसद|कलेक्टर|सरपंच|श्री|डॉ\.?)\s+[{DEVA}]+|[{DEVA}]+\s+जी(?![{DEVA}])"), "name", False),
]
# Two or more capitalised words in a row: a personal name unless it is a stock phrase.
# "it" and "they" stand for a party named earlier in the same sentence ("Sunshine Hospital ...; it is a scam").
LATER_PRONOUN = re.compile(r"\b(?:it|they)\b")
NAME_RUN = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+\b")
NOT_NAMES = frozenset("""the this that these those it he she they we i you our your his her their all every some
many most no in on at for if when why what who how and but or so my a an as according police court""".split())  # noqa: SIM905
# One capitalised word or an acronym also names a party ("Kejriwal", "Adani", "BJP", "L&T"), unless it is a common
# word that opens sentences: one below (a pronoun, an institution, a cause of death, a country, the first half of
# "Money laundering", Hinglish), one of NOT_NAMES or BETWEEN_ACT, or a plural or abstract noun by its ending
# ("Politicians", "Thieves", "Demonetisation", "Management"; names such as Das, Vikas, Yunus, Infosys keep theirs).
# A word followed by "him", "them"… is a verb ("Drag him out and beat him to death").
SINGLE_NAME = re.compile(r"\b(?:[A-Z][a-z]+|[A-Z][A-Z&]{1,5})\b(?!\s+(?:him|her|them|me|us|it)\b)")
COMMON_ENDINGS = re.compile(r"(?:[^aiusy]s|ion|ment|ness|ism|ity|ing|ence|logy|pathy|cy)$")
COMMON_CAPITALISED = frozenset("""everyone everybody someone somebody anyone anybody nobody whoever whatever nothing
something everything none each both either neither few several others people public government govt sarkar media
administration system society bollywood industry opposition army janta covid corona dengue cancer malaria gst
alcohol dowry greed hunger poverty heat
india pakistan china bangladesh nepal america us usa russia britain
money gold sand land drug liquor vote booth tax cattle child organ exam paper job fund match
sab sabhi saare sare yahan wahan ye yeh wo woh koi har kya aur bhai yaar arre neta netas mantri babus desh log hum
tum main mera meri hamara humara pura poora bas sirf bhi toh ek jo jab phir abhi aaj kal""".split())  # noqa: SIM905

QUESTION = re.compile(r"\?\s*$|^\s*(?:if|whether|unless)\b|\bif\s+(?:the|he|she|it|they|\w+)\b.*,")
HEDGE = re.compile(r"\b(?:i\s+think|i\s+feel|i\s+believe|i\s+suspect|i\s+doubt|i\s+guess|in\s+my\s+(?:opinion|view)|"
                    r"imo|imho|seems?|appears?|looks\s+like|may\s+have|might\s+have|could\s+have|probably|perhaps|"
                    r"possibly|maybe|allegedly|reportedly|rumou?r\w*|apparently)\b")
ATTRIBUTION = re.compile(r"""\b(?:according\s+to|as\s+per|alleg\w*|accus\w*|charged|chargesheet\w*|convict\w*|
  acquitt\w*|sentenced|arrested|booked|fir|court|cbi|ed|lokayukta|inquiry|enquiry|investigat\w*|probe|
  reports?\s+(?:say|says|said|suggest|suggests)|the\s+report|sources|complain\w*|prosecut\w*|petition|trial|verdict|
  den(?:y|ies|ied)|denial|suspended|raid\w*|audit\w*|claims?|claimed|told\s+the|said|says|testified|witness\w*)\b""",
                          re.VERBOSE)
# Words between the party and the cue that make the party the victim or the one fighting the wrong.
COUNTER = re.compile(r"\b(?:victims?|prey|duped|lost|exposed|exposes|exposing|uncovered|unearthed|busted|fought|fights|"
                      r"fighting|against|curb|end|ended|stop|crack(?:ed|ing)?\s+down|warned|whistle-?blower)\b")
NEGATION = re.compile(r"\b(?:not|never|no|didn't|didnt|doesn't|isn't|wasn't|hasn't|haven't|nobody|none)\b")
# Hindi puts the negation after the word: "chor nahi hai", "चोर नहीं है"; English may deny the object: "raped nobody".
NEGATION_AFTER = re.compile(r"^\W*\w*\W*(?:nahi|nahin|nai|नहीं|नही|ना)(?![\w\u0900-\u097f])|"
                            r"^\s+(?:nobody|no\s+one|nothing|none)\b")
HINDI_HEDGE_OR_SOURCE = re.compile(r"\b(?:mujhe\s+lagta|lagta\s+hai|shayad|ke\s+mutabik|aarop\w*|aropi|giraftar\w*|"
                                    r"adalat|jaanch|police\s+ne)\b|मुझे\s+लगता|लगता\s+है|शायद|के\s+अनुसार|"
                                    r"के\s+मुताबिक|आरोप|अदालत|कोर्ट|गिरफ्तार|जांच|जाँच|पुलिस\s+ने|कथित|एफआईआर")
SENTENCE_END = re.compile(r"[.!?।]+[\"')\]]*\s+|\n+")
ABBREVIATIONS = frozenset("mr mrs ms dr shri smt sri st prof jr sr lt gen col capt rs no vs etc co pvt ltd".split())  # noqa: SIM905


