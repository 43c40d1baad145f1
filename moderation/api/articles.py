"""Article endpoints: the comments the site may render, and per-article settings."""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE

from moderation.api.common import check_id
from moderation.api.parsing import ApiBlueprint
from moderation.api.problems import handle_domain_error
from moderation.auth import current_site, require_site
from moderation.errors import ModerationError
from moderation.extensions import get_session
from moderation.schemas.articles import ArticleSchema, ArticleUpdateSchema
from moderation.schemas.comments import ArticleCommentsArgsSchema, CommentPageSchema
from moderation.services.comments.articles import update_article
from moderation.services.comments.listing import Page, article_comments

bp = ApiBlueprint("articles", __name__, url_prefix="/api/v1", description="Articles: their comments and settings.")
bp.before_request(require_site)
bp.register_error_handler(ModerationError, handle_domain_error)


@bp.get("/articles/<external_id:external_id>/comments")
@bp.arguments(ArticleCommentsArgsSchema, location="query", unknown=RAISE)
@bp.response(200, CommentPageSchema)
@bp.problems(404)
def list_comments(args: dict[str, Any], external_id: str) -> Page[Any]:
    """The article's comments, oldest first, a page at a time; status=published gives what may be rendered."""
    return article_comments(get_session(), current_site(), check_id(external_id), **args)


@bp.patch("/articles/<external_id:external_id>")
@bp.arguments(ArticleUpdateSchema)
@bp.response(200, ArticleSchema)
@bp.problems(404)
def patch_article(data: dict[str, Any], external_id: str) -> Any:
    """Close comments on the article, or hold every new comment for a moderator."""
    return update_article(get_session(), current_site(), check_id(external_id), **data)
