"""`comments:analyze`: Perspective's request checks, our scores under its attribute names, span scores."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from moderation.db.models import Site
from moderation.db.perspective_models import PerspectiveAnalysis
from moderation.errors import ScoringError
from moderation.policy.model import Outcome, Policy
from moderation.scoring.base import Scorer
from moderation.services.comments.guarded_scoring import score_within
from moderation.services.comments.sentences import group_sentences, split_sentences
from moderation.services.perspective import errors
from moderation.services.perspective.attributes import attribute_value, available_attributes
from moderation.services.perspective.languages import detect_codes, detected_code, unsupported
from moderation.services.perspective.spans import utf16_offset
from moderation.services.perspective.text import check_context, comment_text

log = logging.getLogger(__name__)

_PROBABILITY = ("PROBABILITY", "SCORE_TYPE_UNSPECIFIED")
#: The most span scores one comment gets: beyond it, neighbouring sentences share a span (and a score), so a
#: text of thousands of one-word sentences costs the model no more than this many short texts.
MAX_SPANS = 64


def _requested(scorer: Scorer, policy: Policy, requested: Mapping[str, Mapping[str, Any]]) -> dict[str, str]:
    """Attribute name → score source for each requested attribute; unknown names and score types refused."""
    if not requested:
        raise errors.invalid_argument("Missing requested_attributes")
    available = available_attributes(scorer.labels, policy)
    out: dict[str, str] = {}
    for name, params in requested.items():
        if name not in available:
            raise errors.unknown_attribute(name)
        score_type = (params or {}).get("score_type")
        if score_type is not None and score_type not in _PROBABILITY:
            raise errors.invalid_argument(f"Requested score type {score_type} is not supported by attribute {name}")
        out[name] = available[name]
    return out


def _ensure_loaded(scorer: Scorer) -> None:
    """The model must be loaded to know its labels; a model that cannot load answers 503 UNAVAILABLE."""
    try:
        scorer.load()
    except ScoringError as exc:
        log.error("model not available for comments:analyze: %s", exc)
        raise errors.unavailable() from exc
    if not scorer.labels:
        log.error("model %s reports no labels; answering UNAVAILABLE", scorer.name)
        raise errors.unavailable()


def _score(value: float) -> dict[str, Any]:
    return {"value": round(value, 6), "type": "PROBABILITY"}


def _attribute_scores(
    policy: Policy,
    sources: Mapping[str, str],
    params: Mapping[str, Mapping[str, Any]],
    text: str,
    whole: Outcome,
    spans: Sequence[tuple[int, int, Outcome]] | None,
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, source in sources.items():
        threshold = (params.get(name) or {}).get("score_threshold")
        value = attribute_value(source, policy, whole)
        if threshold is not None and value < threshold:
            continue  # Perspective leaves out attributes scored below the caller's threshold
        entry: dict[str, Any] = {"summary_score": _score(value)}
        if spans is not None:
            entry["span_scores"] = []
            for start, end, outcome in spans:
                span_value = attribute_value(source, policy, outcome)
                if threshold is None or span_value >= threshold:
                    entry["span_scores"].append(
                        {
                            "begin": utf16_offset(text, start),
                            "end": utf16_offset(text, end),
                            "score": _score(span_value),
                        }
                    )
        out[name] = entry
    return out


def analyze_comment(
    session: Session | None, scorer: Scorer, policy: Policy, site: Site, data: Mapping[str, Any], *,
    timeout_s: float,
) -> dict[str, Any]:
    """Score one comment for a site as `comments:analyze` does; stores text and scores unless doNotStore.

    Scored as a preview (`guarded_scoring`): unavailable (503) when the model does not answer within `timeout_s`.
    """
    text = comment_text(data.get("comment"))
    check_context(data.get("context"))
    _ensure_loaded(scorer)
    params: Mapping[str, Mapping[str, Any]] = data.get("requested_attributes") or {}
    sources = _requested(scorer, policy, params)
    drop = bool(data.get("drop_unsupported_attributes"))
    requested_languages = [str(code) for code in data.get("languages") or []]
    sources = _check_languages(policy, sources, requested_languages, detect_codes(text), drop)

    sentences = group_sentences(text, split_sentences(text), MAX_SPANS) if data.get("span_annotations") else []
    texts = [text, *(s.text for s in sentences)] if len(sentences) > 1 else [text]
    # Perspective answers scores, not evidence: skip the evidence pass, comments:analyze is latency-bound.
    outcomes = score_within(scorer, policy, texts, site_domains=site.domain_list, timeout_s=timeout_s,
                            evidence=False, preview=True)
    if outcomes is None:
        raise errors.unavailable()
    whole = outcomes[0]
    detected = [detected_code(whole.language)]
    languages = requested_languages or detected
    if not requested_languages:
        sources = _check_languages(policy, sources, detected, detected, drop)

    spans: list[tuple[int, int, Outcome]] | None = None
    if data.get("span_annotations"):
        if len(sentences) > 1:
            spans = [(s.start, s.end, o) for s, o in zip(sentences, outcomes[1:], strict=True)]
        else:
            spans = [(sentences[0].start, sentences[0].end, whole)] if sentences else []
    scores = _attribute_scores(policy, sources, params, text, whole, spans)
    result: dict[str, Any] = {"attribute_scores": scores, "languages": languages, "detected_languages": detected}
    if data.get("client_token") is not None:
        result["client_token"] = data["client_token"]
    if session is not None and not data.get("do_not_store"):
        summary = {name: entry["summary_score"]["value"] for name, entry in scores.items()}
        model = f"{scorer.name} {scorer.version}"
        session.add(PerspectiveAnalysis(site_id=site.id, text=text, scores=summary, model=model))
        session.commit()
    return result


def _check_languages(
    policy: Policy, sources: dict[str, str], languages: Sequence[str], detected: Sequence[str], drop: bool
) -> dict[str, str]:
    """Refuse (or, with dropUnsupportedAttributes, drop) attributes when a language is not supported."""
    if not languages or not sources:
        return sources
    bad = unsupported(policy, languages)
    if not bad:
        return sources
    if drop:
        return {}
    first = next(iter(sources))
    raise errors.language_not_supported(first, list(languages), list(detected))
