"""`comments:suggestscore`: a site's judgement of a comment, kept as a labelled training example.

Attribute scores become training labels (detoxify's names, 1/0, or None when the judgement says nothing
about a label). A score of 0.5 or more counts as 1. Rules, applied in this order (later ones win):

- Coral's moderation feedback: `APPROVED` (a moderator published the comment) → every label 0;
  `DELETED` (a moderator rejected it) → toxicity 1, the kind of harm unknown.
- TOXICITY 0 → every label 0 (a comment that is not toxic is none of the kinds of toxic either).
- TOXICITY, PROFANITY, INSULT, THREAT, IDENTITY_ATTACK → toxicity, obscene, insult, threat,
  identity_attack; SEVERE_TOXICITY or SEXUALLY_EXPLICIT at 1 → toxicity 1 or obscene 1 (at 0 they say
  nothing about the broader label); NEWSROOM_OBSCENE → obscene, NEWSROOM_PERSONAL_ATTACK → insult.
- Any other name (e.g. our other NEWSROOM_* clauses) is kept as sent and yields no label.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderation.db.models import Site
from moderation.db.perspective_models import PerspectiveSuggestion
from moderation.scoring.labels import BUNDLED_LABELS
from moderation.services.perspective import errors
from moderation.services.perspective.languages import detect_codes
from moderation.services.perspective.text import check_context, comment_text

#: Attribute → the label its score gives, both ways.
EXACT = {
    "TOXICITY": "toxicity",
    "PROFANITY": "obscene",
    "INSULT": "insult",
    "THREAT": "threat",
    "IDENTITY_ATTACK": "identity_attack",
    "NEWSROOM_OBSCENE": "obscene",
    "NEWSROOM_PERSONAL_ATTACK": "insult",
}
#: Attribute → the broader label it sets when positive (a negative says nothing about the broader label).
POSITIVE_ONLY = {"SEVERE_TOXICITY": "toxicity", "SEXUALLY_EXPLICIT": "obscene", "DELETED": "toxicity"}


def suggested_values(attribute_scores: Mapping[str, Mapping[str, Any]] | None) -> dict[str, float]:
    """Attribute → suggested probability (summary score, else the highest span score); malformed refused."""
    if not attribute_scores:
        raise errors.invalid_argument("attribute_scores must not be empty.")
    out: dict[str, float] = {}
    for name, scores in attribute_scores.items():
        summary = (scores or {}).get("summary_score")
        spans = (scores or {}).get("span_scores") or []
        if summary is None and not spans:
            raise errors.invalid_argument(f"attribute_scores[{name}] must not be empty.")
        if any(s.get("begin") is None or s.get("end") is None for s in spans):
            raise errors.invalid_argument("All SpanScore objects must have begin and end fields set.")
        values = [summary["value"]] if summary is not None else [s["score"]["value"] for s in spans]
        for value in values:
            if not 0.0 <= float(value) <= 1.0:
                raise errors.invalid_argument(f"Score for attribute {name} must be a probability in [0, 1].")
        out[name] = float(values[0]) if summary is not None else max(float(v) for v in values)
    return out


def labels_from(values: Mapping[str, float]) -> dict[str, int | None]:
    """Training labels implied by suggested attribute values (see the module docstring)."""
    labels: dict[str, int | None] = dict.fromkeys(BUNDLED_LABELS)
    if values.get("APPROVED", 0.0) >= 0.5 or ("TOXICITY" in values and values["TOXICITY"] < 0.5):
        labels = dict.fromkeys(BUNDLED_LABELS, 0)
    for name, value in values.items():
        if name in EXACT:
            labels[EXACT[name]] = int(value >= 0.5)
        elif name in POSITIVE_ONLY and value >= 0.5:
            labels[POSITIVE_ONLY[name]] = 1
    return labels


def record_suggestion(session: Session, site: Site, data: Mapping[str, Any]) -> dict[str, Any]:
    """Keep a site's suggested scores for a comment as a labelled example; answers as suggestscore does."""
    text = comment_text(data.get("comment"))
    check_context(data.get("context"))
    values = suggested_values(data.get("attribute_scores"))
    languages = [str(code) for code in data.get("languages") or []]
    session.add(
        PerspectiveSuggestion(
            site_id=site.id,
            text=text,
            attribute_scores=values,
            labels=labels_from(values),
            languages=languages,
            client_token=data.get("client_token"),
            community_id=data.get("community_id"),
        )
    )
    session.commit()
    result: dict[str, Any] = {"requested_languages": languages, "detected_languages": detect_codes(text)}
    if data.get("client_token") is not None:
        result["client_token"] = data["client_token"]
    return result


def export_rows(session: Session, *, site_name: str | None = None) -> list[dict[str, Any]]:
    """Suggestions carrying at least one label, as rows of the shared training JSONL format (oldest first)."""
    query = (
        select(PerspectiveSuggestion, Site.name)
        .join(Site, Site.id == PerspectiveSuggestion.site_id)
        .order_by(PerspectiveSuggestion.id)
    )
    if site_name is not None:
        query = query.where(Site.name == site_name)
    rows = []
    for suggestion, name in session.execute(query):
        labels = {label: suggestion.labels.get(label) for label in BUNDLED_LABELS}
        if all(value is None for value in labels.values()):
            continue
        rows.append(
            {
                "id": f"suggestscore:{name}:{suggestion.id}",
                "source": f"suggestscore:{name}",
                "text": suggestion.text,
                "labels": labels,
            }
        )
    return rows
