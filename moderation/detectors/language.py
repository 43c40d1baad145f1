"""Which script and language family a comment is in: English, Hinglish, Devanagari Hindi, other, or none (no letters)."""

from __future__ import annotations

import re
from functools import lru_cache

from moderation.enums import Script

_WORD = re.compile(r"[^\W\d_]+")
# Frequent romanised Hindi/Urdu words that are not English words (so "to", "me", "the" are left out).
_HINGLISH = frozenset("""hai hain nahi nahin nahiin kya kyu kyun kyon kyunki mein hum ham aap aapka aapki aapke tum tu
tera teri tere mera meri mere hamara hamari hamare apna apni apne yeh ye woh wo vo bhi kar karo karna kare karte
karta karti kiya kiye raha rahe rahi rha tha thi thay hoga hogi honge hota hoti hote hua hui hue gaya gayi gaye diya
diye liya liye wala wale wali ka ki ke ko se aur lekin par magar bahut bohot bahot bht sab kuch koi kaun kab kaise
kahan yahan wahan abhi phir fir toh sirf bas accha acha achha achhi theek thik sahi galat bhai yaar ji sahab desh
sarkar log logon baat jab tab agar warna matlab bilkul zaroor jaroor chahiye sakta sakti sakte dekho dekh pata kaha
kehna bolo bol samajh unka unki unke uska uski uske iska iski iske inka inki inke isko usko inko unko mujhe tujhe
humein hume aapko kuchh naya nayi purana pehle baad saath beech upar neeche andar bahar paisa paise mat kisne kisi
kis jaisi jaisa jaise sharam aati aata aaya aayi yaad rakh rakhna chup reh raho rehna dena lena jao tak waise vaise
isliye hamesha zyada jyada wapas kaam ghar gaon paani khana banaya banega banegi chal chalo hoon hu""".split())  # noqa: SIM905
# English function words that are not also common romanised Hindi ("is", "in", "do", "to", "us" are both).
_ENGLISH = frozenset("""the a an are was were be been of on at for with and or but not this that these those it its
i you he she we they my your his her our their what which who will would should can could has have had does did from
by as if than then there here all very just about more most yes also only""".split())  # noqa: SIM905

# Function words of other languages written in Latin letters that commenters may use (German, French, Spanish,
# Portuguese, Italian, Dutch, Indonesian/Malay), leaving out every word that is also English or romanised Hindi
# ("die", "son", "con", "per", "van"; "das", "le", "par", "maar", "des", "sur", "ada") or part of names and
# phrases English uses ("Los Angeles", "El Niño", "et al", Yang). A language detection model (py3langid) read
# these languages as well but added about 80 MB to every worker's memory.
_OTHER_LATIN = frozenset("""und nicht ist ich ein eine einen mit sich auch auf dass wie aber sind wird noch oder
wenn schon sehr bist wir ihr sie zu nein
les est une du que qui pour dans avec ce cette sont mais nous vous ils elle tout très être avoir
del una está esta este pero como muy todo esto porque más también ellos nosotros usted
não uma muito isso ele são tem você
il della che sono anche questo più molto è
het een niet ook zijn voor naar wij jij deze dit geen wordt goed
tidak ini itu dengan untuk saya kamu akan juga sudah bisa""".split())  # noqa: SIM905


def _script_counts(text: str) -> tuple[int, int, int]:
    if text.isascii():
        return 0, sum(ch.isalpha() for ch in text), 0
    deva = latin = other = 0
    for ch in text:
        if not ch.isalpha():
            continue
        code = ord(ch)
        if 0x0900 <= code <= 0x097F or 0xA8E0 <= code <= 0xA8FF:
            deva += 1
        elif code < 0x250 or 0x1E00 <= code < 0x1F00 or 0xFF21 <= code <= 0xFF5A:
            latin += 1
        else:
            other += 1
    return deva, latin, other


@lru_cache(maxsize=1024)
def detect_script(text: str) -> Script:
    """Devanagari when most letters are Devanagari; among Latin text, Hinglish when Hindi function words lead,
    other when another language's do. The latest results are kept: the scorer, the word lists and the detectors
    each ask about the same comment in turn."""
    deva, latin, other = _script_counts(text)
    letters = deva + latin + other
    if letters == 0:
        return Script.NONE
    if deva >= latin and deva >= other:
        return Script.DEVANAGARI
    if other > latin:
        return Script.OTHER
    words = [w.lower() for w in _WORD.findall(text)]
    hindi = sum(w in _HINGLISH for w in words)
    english = sum(w in _ENGLISH for w in words)
    if hindi > english or hindi >= 3 and hindi * 2 >= english:
        return Script.HINGLISH
    foreign = sum(w in _OTHER_LATIN for w in words)
    if foreign > english and not hindi and (foreign >= 3 or foreign >= 2 and foreign * 2 >= len(words)):
        return Script.OTHER  # "Du bist ein Idiot": Latin letters, but not a language the model reads
    return Script.ENGLISH
