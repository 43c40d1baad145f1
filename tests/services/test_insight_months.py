"""Ranking the stories over a long range from the monthly per-story tallies and the partial months at the range's
ends: the same figures as counting every day, kept by recording and by rebuilding alike."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from moderation.db.enums import TallyMetric
from moderation.db.models import InsightStoryMonth, InsightTally
from moderation.services.comments import tallies
from moderation.services.insights.figures import TOP_STORIES, Scope, gather

FIRST = date(2026, 1, 1)
DAYS = 200
HELD, REPORTS = TallyMetric.ARTICLE_HELD, TallyMetric.ARTICLE_REPORTS


@pytest.fixture
def seeded(db, make_site):
    """Per-story tallies on two sites for 200 days from 1 January, recorded day by day as decisions and reports
    would record them; returns the seeded counts by (site id, day, metric, story)."""
    sites = [make_site().id, make_site("Evening Post", ("eveningpost.in",)).id]
    rnd = random.Random(21)
    seeded: Counter[tuple[int, date, TallyMetric, str]] = Counter()
    for offset in range(DAYS):
        day = FIRST + timedelta(days=offset)
        for site_id in sites:
            counts: Counter[tallies.Key] = Counter()
            for story in rnd.sample(range(site_id * 100, site_id * 100 + 30), 6):
                counts[(HELD, str(story))] += rnd.randint(1, 9)
                if rnd.random() < 0.5:
                    counts[(REPORTS, str(story))] += rnd.randint(1, 4)
            tallies.add(db, site_id, day, counts)
            seeded.update({(site_id, day, m, k): n for (m, k), n in counts.items()})
    db.commit()
    return sites, seeded


def _expected(seeded, scope: Scope) -> list[tuple[str, int, int]]:
    """The stories table counted directly from what was seeded: the `TOP_STORIES` largest of each metric, ranked by
    held comments then reports."""
    sums: dict[TallyMetric, Counter[str]] = {HELD: Counter(), REPORTS: Counter()}
    for (site_id, day, metric, story), n in seeded.items():
        if scope.start <= day <= scope.end and scope.site_id in (None, site_id):
            sums[metric][story] += n
    candidates = {k for m in (HELD, REPORTS)
                  for k, _n in sorted(sums[m].items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_STORIES]}
    top = sorted(candidates, key=lambda a: (-sums[HELD][a], -sums[REPORTS][a], a))[:TOP_STORIES]
    return [(f"story {a}", sums[HELD][a], sums[REPORTS][a]) for a in top]


@pytest.mark.parametrize(("start", "end"), [
    (date(2026, 1, 1), date(2026, 7, 19)),  # whole months, then a partial one
    (date(2026, 1, 17), date(2026, 6, 30)),  # a partial month, then whole ones
    (date(2026, 1, 17), date(2026, 6, 12)),  # partial months at both ends
    (date(2026, 2, 1), date(2026, 2, 28)),  # one whole month
    (date(2026, 3, 5), date(2026, 3, 25)),  # inside one month
    (date(2026, 3, 20), date(2026, 4, 10)),  # across a month's end, no whole month
    (date(2025, 12, 15), date(2026, 12, 14)),  # a year, beyond the seeded days
])
@pytest.mark.parametrize("one_site", [False, True])
def test_the_top_stories_match_a_direct_count(db, seeded, start, end, one_site):
    sites, counts = seeded
    scope = Scope(start, end, sites[1] if one_site else None)
    table = gather(db, scope).table("stories")
    assert table is not None
    expected = _expected(counts, scope)
    assert len(expected) == TOP_STORIES
    assert table.rows == expected


def _months(db):
    return sorted((t.metric, t.month, t.site_id, t.key, t.count)
                  for t in db.scalars(sa.select(InsightStoryMonth)) if t.count)


def test_the_monthly_tallies_are_the_daily_ones_summed(db, seeded):
    sites, counts = seeded
    direct: Counter[tuple[str, date, int, str]] = Counter()
    for (site_id, day, metric, story), n in counts.items():
        direct[(metric.value, day.replace(day=1), site_id, story)] += n
    assert _months(db) == sorted((*k, n) for k, n in direct.items())


def test_rebuilding_from_mid_month_keeps_the_days_before_it(db, seeded):
    """A rebuild from the 10th recounts that day on from the (here empty) log, and the month's tallies keep what
    the days before the 10th held."""
    sites, counts = seeded
    since = date(2026, 5, 10)
    kept = [row for row in _months(db) if row[2] != sites[0] or row[1] < date(2026, 5, 1)]
    tallies.rebuild(db, sites[0], since)
    may: Counter[tuple[str, str]] = Counter()
    for (site_id, day, metric, story), n in counts.items():
        if site_id == sites[0] and date(2026, 5, 1) <= day < since:
            may[(metric.value, story)] += n
    assert may
    rebuilt = [(m, date(2026, 5, 1), sites[0], k, n) for (m, k), n in may.items()]
    assert _months(db) == sorted(kept + rebuilt)
    assert db.scalar(sa.select(sa.func.count()).select_from(InsightTally).where(
        InsightTally.site_id == sites[0], InsightTally.day >= since)) == 0
