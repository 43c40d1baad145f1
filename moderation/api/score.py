"""Preview scoring: the policy outcome for up to 100 texts, nothing stored."""

from __future__ import annotations

from typing import Any

from moderation.api.common import site_policy
from moderation.api.parsing import ApiBlueprint
from moderation.api.problems import handle_domain_error
from moderation.auth import bearer_token, current_site, require_site
from moderation.budgets import charge_preview
from moderation.errors import ModerationError
from moderation.extensions import get_scorer, scorer_timeout
from moderation.schemas.score import ScoreRequestSchema, ScoreResponseSchema
from moderation.services.comments.preview import preview_texts

bp = ApiBlueprint("score", __name__, url_prefix="/api/v1", description="Score texts without storing them.")
bp.before_request(require_site)
bp.register_error_handler(ModerationError, handle_domain_error)


@bp.post("/score")
@bp.arguments(ScoreRequestSchema)
@bp.response(200, ScoreResponseSchema)
@bp.problems(503)  # 429 (every operation's) also when the key's preview budget is spent
def score(data: dict[str, Any]) -> dict[str, Any]:
    """Score texts against the site's policy (for previews, or to warn a reader before posting); their characters
    count against the key's preview budget."""
    charge_preview(bearer_token() or "", sum(len(text) for text in data["texts"]))
    outcomes = preview_texts(get_scorer(), site_policy(), data["texts"], site_domains=current_site().domain_list,
                             timeout_s=scorer_timeout())
    return {"results": [o.to_dict() for o in outcomes]}
