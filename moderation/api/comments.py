"""Comment endpoints: submit, edit, read, report and take down, by the site's own comment id."""

from __future__ import annotations

from typing import Any

from moderation.api.common import check_id, site_policy
from moderation.api.parsing import ApiBlueprint
from moderation.api.problems import handle_domain_error
from moderation.auth import current_site, require_site
from moderation.errors import ModerationError
from moderation.extensions import get_scorer, get_session, scorer_timeout
from moderation.schemas.comments import (
    CommentCreateSchema,
    CommentDetailSchema,
    CommentEditSchema,
    CommentResultSchema,
    ReportCreateSchema,
    TakedownSchema,
)
from moderation.services.comments.comment_state import describe_comment, read_comment
from moderation.services.comments.edit import edit_comment
from moderation.services.comments.inputs import ArticleInput, AuthorInput, CommentInput
from moderation.services.comments.report import report_comment
from moderation.services.comments.submit import submit_comment
from moderation.services.comments.takedown import takedown_comment
from moderation.tasks.scoring import defer_scoring

bp = ApiBlueprint("comments", __name__, url_prefix="/api/v1", description="Submit comments and follow their status.")
bp.before_request(require_site)
bp.register_error_handler(ModerationError, handle_domain_error)


@bp.post("/comments")
@bp.arguments(CommentCreateSchema)
@bp.response(201, CommentResultSchema, description="Stored, scored and decided.")
@bp.alt_response(202, schema=CommentResultSchema,
                 description="MODERATION_SCORING=async: stored and held as \"not scored yet\"; the decision follows "
                             "by webhook and in GET.")
@bp.alt_response(200, schema=CommentResultSchema, description="A retry: the comment as stored by the first request.")
@bp.problems(409)
def create_comment(data: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """Submit a comment; retrying with the same external_id is safe (a different text is a 409)."""
    site = current_site()
    comment = CommentInput(
        external_id=data["external_id"], text=data["text"], article=ArticleInput(**data["article"]),
        author=AuthorInput(**data["author"]), parent_external_id=data["parent_external_id"],
    )
    session = get_session()
    result = submit_comment(session, get_scorer(), site_policy(), site, comment, timeout_s=scorer_timeout(),
                            defer=defer_scoring())
    status = (202 if result.deferred else 201) if result.created else 200
    return describe_comment(session, result.comment, result.written), status


@bp.get("/comments/<external_id:external_id>")
@bp.response(200, CommentDetailSchema)
@bp.problems(404)
def get_comment(external_id: str) -> dict[str, Any]:
    """The comment, its text exactly as stored, its status and its decision history."""
    return read_comment(get_session(), current_site().id, check_id(external_id))


@bp.put("/comments/<external_id:external_id>")
@bp.arguments(CommentEditSchema)
@bp.response(200, CommentResultSchema, description="The new text is stored, scored and decided (or was unchanged).")
@bp.alt_response(202, schema=CommentResultSchema,
                 description="MODERATION_SCORING=async: the new text is stored and held as \"not scored yet\"; the "
                             "decision follows by webhook and in GET.")
@bp.problems(404, 409)
def put_comment(data: dict[str, Any], external_id: str) -> tuple[dict[str, Any], int]:
    """Edit a comment: the new text is kept as a revision, scored again and decided again."""
    session = get_session()
    result = edit_comment(session, get_scorer(), site_policy(), current_site(), check_id(external_id),
                          data["text"], timeout_s=scorer_timeout(), defer=defer_scoring())
    return describe_comment(session, result.comment), 202 if result.deferred else 200


@bp.post("/comments/<external_id:external_id>/reports")
@bp.arguments(ReportCreateSchema)
@bp.response(201, CommentResultSchema, description="The report was stored.")
@bp.alt_response(200, schema=CommentResultSchema,
                 description="This reporter had already reported the comment (or a retry): nothing stored.")
@bp.problems(404)
def post_report(data: dict[str, Any], external_id: str) -> tuple[dict[str, Any], int]:
    """A reader reports the comment; enough distinct readers move it to the Reported queue (and may hide it)."""
    session = get_session()
    result = report_comment(session, site_policy(), current_site(), check_id(external_id), **data)
    return describe_comment(session, result.comment), 201 if result.created else 200


@bp.post("/comments/<external_id:external_id>/takedown")
@bp.arguments(TakedownSchema)
@bp.response(200, CommentResultSchema)
@bp.problems(404)
def post_takedown(data: dict[str, Any], external_id: str) -> dict[str, Any]:
    """The site's editors take the comment down."""
    session = get_session()
    comment = takedown_comment(session, current_site(), check_id(external_id), **data)
    return describe_comment(session, comment)
