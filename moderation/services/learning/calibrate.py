"""Calibration from decisions: fit each clause label's score to what this site's moderators decided, and advise
thresholds that reach a target precision or recall on their decisions.

A label is fitted only with MIN_DECISIONS decisions that say yes or no about its clause, MIN_EACH of them each way
among those it is fitted on: Platt scaling fits two numbers, and with fewer removals (or approvals) the curve
follows the last few decisions instead of the newsroom's line, and the held-out check has nothing to measure.
One decision in four (by a hash of its id, so the split is stable between runs) is held out: the before/after
figures are measured on those only.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from moderation.db.base import utcnow
from moderation.policy.model import LabelCalibration, Policy
from moderation.scoring.dataset import hash_percentile
from moderation.services.learning.decisions import DecisionFilter, LabelledDecision, iter_labelled
from moderation.services.learning.replay import ReplayFilter, stored_comments

MIN_DECISIONS = 60
MIN_EACH = 15
HELD_OUT_PERCENT = 25
#: Where "after" counts a removal: the calibrated score says moderators remove at least half of such comments.
CALIBRATED_CUT = 0.5


@dataclass(frozen=True)
class Example:
    """One decision's word on a clause (1 removed for it, 0 approved) and the score of one of its labels."""

    score: float
    removed: int
    held_out: bool


@dataclass(frozen=True)
class Figures:
    """How well a score (and a cut on it) agrees with the moderators on a set of decisions."""

    brier: float | None
    log_loss: float | None
    agreement: float | None
    precision: float | None
    recall: float | None

    def to_dict(self) -> dict[str, float | None]:
        return {"brier": self.brier, "log_loss": self.log_loss, "agreement": self.agreement,
                "precision": self.precision, "recall": self.recall}


@dataclass
class LabelFit:
    """One clause label's calibration, or why it was not fitted."""

    clause: str
    label: str
    threshold: float
    fitted: int = 0
    held_out: int = 0
    removals: int = 0
    curve: LabelCalibration | None = None
    skipped: str | None = None
    before: Figures | None = None
    after: Figures | None = None


@dataclass
class Advice:
    """The threshold of a clause label that reaches a target on the site's decisions, and its cost."""

    clause: str
    label: str
    current: float
    threshold: float | None
    precision: float | None
    recall: float | None
    held_per_day: float | None = None


@dataclass
class CalibrationRun:
    """What `calibrate` found for a site: a fit per clause label, the threshold advice, the file it writes."""

    site: str
    name: str
    version: str
    fits: list[LabelFit] = field(default_factory=list)
    advice: list[Advice] = field(default_factory=list)

    def file(self) -> dict[str, Any]:
        """The calibration file: the curves a policy applies, with the figures that justify them."""
        return {
            "name": self.name, "version": self.version, "site": self.site, "method": "platt",
            "minimum": {"decisions": MIN_DECISIONS, "each_way": MIN_EACH, "held_out_percent": HELD_OUT_PERCENT},
            "labels": {f.label: {"a": f.curve.a, "b": f.curve.b, "clause": f.clause, "fitted_on": f.fitted,
                                 "held_out": f.held_out, "before": f.before.to_dict() if f.before else None,
                                 "after": f.after.to_dict() if f.after else None}
                       for f in self.fits if f.curve is not None},
            "skipped": {f.label: f.skipped for f in self.fits if f.curve is None},
        }


def examples_by_label(items: Iterable[LabelledDecision], policy: Policy) -> dict[tuple[str, str], list[Example]]:
    """(clause, label) → the examples of the decisions that say yes or no about the clause."""
    out: dict[tuple[str, str], list[Example]] = {}
    for item in items:
        if item.scores is None:
            continue
        held_out = hash_percentile(f"decision-{item.decision_id}", 2) < HELD_OUT_PERCENT
        for clause in policy.clauses:
            value = item.clauses.get(clause.id)
            if value is None:
                continue
            for ls in clause.labels:
                if ls.label in item.scores:
                    out.setdefault((clause.id, ls.label), []).append(Example(item.scores[ls.label], value, held_out))
    return out


def _logit(score: float) -> float:
    s = min(max(score, 1e-6), 1 - 1e-6)
    return math.log(s / (1 - s))


def fit_curve(examples: Sequence[Example]) -> LabelCalibration:
    """Platt scaling: a logistic regression of the removals on the logit of the score."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=100.0)
    model.fit([[_logit(e.score)] for e in examples], [e.removed for e in examples])
    return LabelCalibration(a=float(model.coef_[0][0]), b=float(model.intercept_[0]))


def figures(probabilities: Sequence[float], outcomes: Sequence[int], cut: float) -> Figures:
    """Brier score and log loss of the probabilities, and agreement, precision and recall of `p >= cut`."""
    if not outcomes:
        return Figures(None, None, None, None, None)
    n = len(outcomes)
    brier = sum((p - y) ** 2 for p, y in zip(probabilities, outcomes, strict=True)) / n
    loss = -sum(math.log(min(max(p if y else 1 - p, 1e-9), 1.0)) for p, y in zip(probabilities, outcomes, strict=True)) / n
    stopped = [p >= cut for p in probabilities]
    hits = sum(1 for s, y in zip(stopped, outcomes, strict=True) if s and y)
    agree = sum(1 for s, y in zip(stopped, outcomes, strict=True) if s == bool(y))
    return Figures(round(brier, 4), round(loss, 4), round(agree / n, 4),
                   round(hits / sum(stopped), 4) if any(stopped) else None,
                   round(hits / sum(outcomes), 4) if any(outcomes) else None)


def lowest_band(policy: Policy, clause_id: str, label: str) -> float:
    """Where the label starts to hold a comment for the clause."""
    ls = next(ls for ls in policy.clause(clause_id).labels if ls.label == label)
    return min(t for t in (ls.review, ls.reject) if t is not None)


def fit_label(clause: str, label: str, threshold: float, examples: Sequence[Example]) -> LabelFit:
    """Fit one label's curve on the examples not held out, and measure before and after on those held out."""
    fit_on = [e for e in examples if not e.held_out]
    check = [e for e in examples if e.held_out]
    result = LabelFit(clause, label, threshold, fitted=len(fit_on), held_out=len(check),
                      removals=sum(e.removed for e in examples))
    removed = sum(e.removed for e in fit_on)
    if len(examples) < MIN_DECISIONS or min(removed, len(fit_on) - removed) < MIN_EACH or not check:
        result.skipped = (f"{len(examples)} decisions ({result.removals} removals); a fit needs {MIN_DECISIONS}, "
                          f"with {MIN_EACH} each way among those fitted on")
        return result
    result.curve = fit_curve(fit_on)
    outcomes = [e.removed for e in check]
    result.before = figures([e.score for e in check], outcomes, threshold)
    result.after = figures([result.curve.apply(e.score) for e in check], outcomes, CALIBRATED_CUT)
    return result


def advise(clause: str, label: str, current: float, examples: Sequence[Example], *, precision: float | None,
           recall: float | None) -> Advice:
    """The lowest threshold whose precision reaches `precision` (most removals caught at that precision), or the
    highest whose recall reaches `recall` (fewest comments held at that recall), on all the site's decisions."""
    ranked = sorted(examples, key=lambda e: -e.score)
    total = sum(e.removed for e in examples)
    best: tuple[float, float, float] | None = None
    hits = 0
    for i, example in enumerate(ranked, start=1):
        hits += example.removed
        if i < len(ranked) and ranked[i].score == example.score:
            continue  # a threshold stops every comment with the same score
        p, r = hits / i, hits / total if total else 0.0
        if precision is not None and p >= precision:
            best = (example.score, p, r)
        if recall is not None and r >= recall:
            best = (example.score, p, r)
            break
    if best is None:
        return Advice(clause, label, current, None, None, None)
    return Advice(clause, label, current, round(best[0], 4), round(best[1], 4), round(best[2], 4))


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower() or "site"


def calibrate_site(
    session: Session, policy: Policy, site: str, *, since: datetime | None = None, precision: float | None = None,
    recall: float | None = None,
) -> CalibrationRun:
    """Fit the site's clause labels to its moderators' decisions and advise thresholds (writes nothing)."""
    now = utcnow()
    run = CalibrationRun(site, f"{_slug(site)}-{now:%Y%m%d-%H%M%S}", now.isoformat(timespec="seconds"))
    by_label = examples_by_label(iter_labelled(session, {policy.name: policy}, DecisionFilter(site, since)), policy)
    seen: set[str] = set()
    for (clause, label), examples in sorted(by_label.items()):
        if label in seen:
            continue  # a label feeding two clauses is fitted on the first one's decisions
        seen.add(label)
        current = lowest_band(policy, clause, label)
        run.fits.append(fit_label(clause, label, current, examples))
        if precision is not None or recall is not None:
            run.advice.append(advise(clause, label, current, examples, precision=precision, recall=recall))
    if run.advice:
        _held_per_day(session, site, since, run.advice)
    return run


def _held_per_day(session: Session, site: str, since: datetime | None, advice: list[Advice]) -> None:
    """How many of the site's stored comments a day each advised threshold would hold, in one pass over them."""
    counts = [0] * len(advice)
    first = last = None
    for batch in stored_comments(session, ReplayFilter(site, since), prior=False):
        for comment in batch:
            first = first or comment.created_at
            last = comment.created_at
            for i, item in enumerate(advice):
                if comment.scores and item.threshold is not None and comment.scores.get(item.label, 0.0) >= item.threshold:
                    counts[i] += 1
    session.rollback()
    days = max(1.0, (last - first).total_seconds() / 86400) if first and last else 1.0
    for item, count in zip(advice, counts, strict=True):
        item.held_per_day = round(count / days, 1) if item.threshold is not None else None

