"""Links: every written form caught, the site's own domains allowed, ordinary punctuation left alone."""

from __future__ import annotations

import pytest

from moderation.detectors.links import find_links

OWN = ["timesofnews.in"]


def _texts(text, allowed=OWN):
    return [s.text for f in find_links(text, allowed) for s in f.spans]


@pytest.mark.parametrize("text, link", [
    ("see https://pib.gov.in/release?id=1 now", "https://pib.gov.in/release?id=1"),
    ("visit www.easyjobs4u.net.", "www.easyjobs4u.net"),
    ("more on ndtv.com, not here", "ndtv.com"),
    ("my blog ramanthinks.co.in has it", "ramanthinks.co.in"),
    ("bit.ly/3xYz", "bit.ly/3xYz"),
    ("t.co/abc", "t.co/abc"),
    ("example dot com", "example dot com"),
    ("gupshupnews[.]com", "gupshupnews[.]com"),
    ("casino(dot)in bonus", "casino(dot)in"),
    ("hxxps://bad[.]site/x", "hxxps://bad[.]site/x"),
    ("[report](https://prsindia.org/bills)", "https://prsindia.org/bills"),
    ('<a href="http://spam.example.org">x</a>', "http://spam.example.org"),
    ("(source: https://www.reuters.com/world/)", "https://www.reuters.com/world/"),
    ("en.wikipedia.org/wiki/GST_(India)", "en.wikipedia.org/wiki/GST_(India)"),
    ("go to www . lottery-winner . com today", "www . lottery-winner . com"),
    ("WWW.CHEAPLOANS.IN", "WWW.CHEAPLOANS.IN"),
    ("http://192.168.1.20/admin", "http://192.168.1.20/admin"),
    ("login at 103.21.44.7/pay now", "103.21.44.7/pay"),
    ("panel on 10.0.0.5:8080", "10.0.0.5:8080"),
])
def test_link_forms(text, link):
    assert _texts(text) == [link]
    span = find_links(text, OWN)[0].spans[0]
    assert text[span.start:span.end] == link


@pytest.mark.parametrize("text", [
    "The RBI cut rates by 0.25%, i.e. to 6.25%.", "Mr.Modi spoke.", "e.g. Kerala", "good.Then we left",
    "Dr.Reddy's rose 3.2%", "U.S. and U.K.", "Ph.D. holders", "Rs.500 crore", "report_final.pdf was empty",
    "No.1 state", "the dot com bubble", "it.is what it is", "version 2.0", "St. Stephen's", "budget.zip",
    "Hello.How are you", "at 9.30am", "Node.js developers", "GDP grew 7.2.1 percent", "version 1.2.3.4 is out",
])
def test_ordinary_text_has_no_links(text):
    assert find_links(text, OWN) == []


@pytest.mark.parametrize("text", [
    "https://www.timesofnews.in/city/x", "epaper.timesofnews.in", "timesofnews.in/app", "TIMESOFNEWS.IN",
    "[earlier](https://sports.timesofnews.in/cricket)",
])
def test_own_domain_and_subdomains_allowed(text):
    assert find_links(text, OWN) == []
    assert find_links(text, ["Othernews.com"]) != []


def test_lookalike_of_own_domain_is_not_allowed():
    assert _texts("read it on timesofnews.in.evil.com and faketimesofnews.in") == [
        "timesofnews.in.evil.com", "faketimesofnews.in"]


def test_one_finding_with_every_link_and_its_kind():
    [finding] = find_links("bit.ly/x and https://a-site.org and scroll.in", OWN)
    assert finding.signal == "links" and finding.score == 1.0
    assert [s.text for s in finding.spans] == ["bit.ly/x", "https://a-site.org", "scroll.in"]
    assert finding.detail == "shortener:bit.ly, url:a-site.org, domain:scroll.in"


@pytest.mark.parametrize("text, link", [
    ("spam at ｗｗｗ.ｓｐａｍ.ｃｏｍ today", "ｗｗｗ.ｓｐａｍ.ｃｏｍ"),
    ("bіt.ly/x", "bіt.ly/x"),  # Cyrillic і
    ("go to example\u200b.com now", "example\u200b.com"),
    ("Visit ЕXAMPLE.COM", "ЕXAMPLE.COM"),  # Cyrillic Е
])
def test_lookalike_and_invisible_characters_in_links(text, link):
    [finding] = find_links(text, OWN)
    [span] = finding.spans
    assert span.text == link and text[span.start:span.end] == link


def test_own_domain_may_be_configured_as_a_url_or_with_www():
    for configured in ("https://www.TimesOfNews.in/", "www.timesofnews.in", " timesofnews.in. "):
        assert find_links("see timesofnews.in/x and epaper.timesofnews.in", [configured]) == []
    assert find_links("see ndtv.com", [""]) != []


@pytest.mark.parametrize("text, link", [
    ("log in at https://timesofnеws.in/login", "https://timesofnеws.in/login"),  # Cyrillic е
    ("epaper.timesofnеws.in has it", "epaper.timesofnеws.in"),
    ("ТIMESOFNEWS.IN", "ТIMESOFNEWS.IN"),  # Cyrillic Т
    ("timesofnéws.in/x", "timesofnéws.in/x"),
    ("tіmesofnews。in/offer", "tіmesofnews。in/offer"),  # Cyrillic і, ideographic full stop
])
def test_lookalike_letters_in_own_domain_make_an_outside_link(text, link):
    [finding] = find_links(text, OWN)
    [span] = finding.spans
    assert span.text == link and text[span.start:span.end] == link
    assert finding.detail.startswith("lookalike:")


@pytest.mark.parametrize("text", [
    "ｔｉｍｅｓｏｆｎｅｗｓ.ｉｎ/x", "timesofnews。in/x", "epaper.timesofnews．in", "timesof\u00adnews.in/x",
])
def test_own_domain_in_the_forms_a_browser_reads_as_it_is_allowed(text):
    assert find_links(text, OWN) == []


@pytest.mark.parametrize("text, link", [
    ("see https://evil。com/x now", "https://evil。com/x"),
    ("go to evil。com", "evil。com"),
    ("go to evil．com", "evil．com"),
    ("go to evil｡com", "evil｡com"),
    ("www。cheap-loans。in", "www。cheap-loans。in"),
    ("evil。ru/offer。", "evil。ru/offer"),
])
def test_ideographic_and_fullwidth_full_stops_are_dots(text, link):
    assert _texts(text) == [link]
