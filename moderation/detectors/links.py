"""Outside links in the forms readers write them: URLs, www., bare and defanged domains, shorteners."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import tldextract

from moderation.detectors.base import Finding, Span
from moderation.detectors.normalise import fold

SIGNAL = "links"

_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
# "." and the ways people hide it: example[.]com, example(dot)com, example dot com, www . example . com
_DOT = r"(?:\.|\[\.\]|\(\.\)|\{\.\}|\s?[\[(]\s?dot\s?[\])]\s?|\s+dot\s+|\s\.\s)"
_URL = re.compile(
    rf"(?<![\w.-])(?P<scheme>(?:https?|hxxps?|ftp|sftp)://|(?<=href=[\"'])//)?"
    rf"(?P<host>{_LABEL}(?:{_DOT}{_LABEL})+)(?P<port>:\d{{2,5}})?(?P<path>[/?#][^\s<>\"'`]*)?",
    re.IGNORECASE,
)
_IPV4 = re.compile(r"^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)$")
_PLAIN_DOTS = re.compile(r"^[a-z0-9.-]+$", re.IGNORECASE)
_ANY_DOT = re.compile(_DOT, re.IGNORECASE)
_TRAILING = ".,;:!?'\"]}>"

SHORTENERS = frozenset({
    "bit.ly", "t.co", "tinyurl.com", "goo.gl", "cutt.ly", "amzn.to", "rebrand.ly", "is.gd", "ow.ly", "buff.ly",
    "t.me", "wa.me", "youtu.be", "shorturl.at", "rb.gy", "tiny.cc", "bl.ink", "s.id", "lnkd.in", "fb.me",
    "dlvr.it", "shorte.st", "adf.ly", "v.gd", "tr.im", "bitly.com", "cli.gs", "x.co", "qr.ae", "surl.li",
})
# Suffixes that are also file extensions: "budget.zip" without a path or scheme is a file, not a site.
_FILE_SUFFIXES = frozenset({"zip", "mov", "py", "sh", "md", "pl", "rs", "ps", "so", "cc", "sc"})
# Suffixes people type by hand in "example dot com" and "www . example . com" forms.
_SPOKEN_SUFFIXES = frozenset({"com", "in", "org", "net", "info", "co", "io", "biz", "xyz", "co.in", "org.in",
                              "net.in", "gov.in", "ac.in", "me", "tv", "online", "site", "club", "app", "ly"})
# Words that, before a dot, mean a sentence ran on ("it.is", "so.in") rather than a site name.
_FUNCTION_WORDS = frozenset("""a an the this that these those it its is was are were be been am i you he she we they
me him her us them my your his our their and or but so if then than to in on at of for with by from as not no yes
do does did done go went here there now all just also too very what which who when where why how one new old
dot""".split())  # noqa: SIM905


@lru_cache(maxsize=1)
def _extractor() -> tldextract.TLDExtract:
    # The bundled public-suffix snapshot only: the service never fetches anything.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def _trim(text: str, start: int, end: int) -> int:
    """Drop sentence punctuation after a link, keeping a ")" that closes a "(" inside it."""
    while end > start and text[end - 1] in _TRAILING + ")":
        if text[end - 1] == ")" and text[start:end].count("(") >= text[start:end].count(")"):
            break
        end -= 1
    return end


def _site(domain: str) -> str:
    """"https://www.TimesOfNews.in/" -> "timesofnews.in": how a site's own domain may be configured."""
    host = domain.strip().lower().split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0].strip(".")
    return host[4:] if host.startswith("www.") else host


def _is_allowed(host: str, allowed: Sequence[str]) -> bool:
    return any(host == a or host.endswith("." + a) for a in allowed)


def _host_as_visited(written: str) -> str:
    """The host a browser would visit for `written` (NFKC, case, invisibles, ideographic dots, as UTS #46 maps
    them), with look-alike letters left as they are: "timesofnеws.in" with a Cyrillic е stays another site."""
    return _ANY_DOT.sub(".", fold(written, lookalikes=False).text)


def _judge(m: re.Match[str]) -> str | None:
    """Why this candidate is a link ("url", "www", "shortener", "domain"), or None when it is not one."""
    raw_host = m.group("host")
    host = _ANY_DOT.sub(".", raw_host).lower()
    ext = _extractor()(host)
    if m.group("scheme"):
        return "url"
    if _IPV4.match(host) and (m.group("path") or m.group("port")):
        return "url"  # "192.168.1.20/login", "10.0.0.5:8080"
    if not ext.suffix or not ext.domain:
        return None
    registered = f"{ext.domain}.{ext.suffix}"
    if registered in SHORTENERS or host in SHORTENERS:
        return "shortener"
    plain = _PLAIN_DOTS.match(raw_host) is not None
    if host.startswith("www.") and (plain or ext.suffix in _SPOKEN_SUFFIXES):
        return "www"
    if not plain:  # hidden dots: deliberate unless it reads like prose ("the dot com era")
        defanged = "[" in raw_host or "(" in raw_host or "{" in raw_host
        if ext.domain in _FUNCTION_WORDS or not (defanged or ext.suffix in _SPOKEN_SUFFIXES):
            return None
        return "domain"
    labels = raw_host.split(".")
    after_first = raw_host[len(labels[0]) + 1:]
    if not raw_host.isupper() and any(ch.isupper() for ch in after_first):
        return None  # "good.Then", "Mr.Modi": a missing space, not a host
    if not m.group("path") and (ext.suffix in _FILE_SUFFIXES or ext.domain in _FUNCTION_WORDS):
        return None
    if len(ext.domain) < 2 or ext.domain.isdigit():
        return None
    return "domain"


def find_links(text: str, allowed_domains: Sequence[str] = ()) -> list[Finding]:
    """Outside links in `text`; the site's own domains and their subdomains are not reported, look-alikes of
    them are ("lookalike:timesofnews.in")."""
    allowed = tuple(site for site in map(_site, allowed_domains) if site)
    # Case is kept ("good.Then" is a sentence, not a host); look-alike and invisible characters are not.
    folded = fold(text, lower=False)
    spans: list[Span] = []
    kinds: list[str] = []
    for m in _URL.finditer(folded.text):
        kind = _judge(m)
        if kind is None:
            continue
        host = _ANY_DOT.sub(".", m.group("host")).lower()
        if _is_allowed(host, allowed):
            host_start, host_end = folded.span(m.start("host"), m.end("host"))
            if _is_allowed(_host_as_visited(text[host_start:host_end]), allowed):
                continue
            kind = "lookalike"  # the site's name only once look-alike letters are folded: a phishing risk
        start, end = folded.span(m.start(), _trim(folded.text, m.start(), m.end()))
        spans.append(Span(start, end, text[start:end]))
        kinds.append(f"{kind}:{host}")
    if not spans:
        return []
    return [Finding(SIGNAL, 1.0, tuple(spans), ", ".join(kinds))]
