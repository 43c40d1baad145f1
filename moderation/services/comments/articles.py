"""Per-article settings the site's editors change: close comments, pre-moderate every comment."""

from __future__ import annotations

from sqlalchemy.orm import Session

from moderation.db.models import Article, Site
from moderation.services.comments.comment_state import find_article
from moderation.services.comments.records import audit
from moderation.services.errors import NotFoundError
from moderation.services.transaction import unit_of_work


def update_article(
    session: Session, site: Site, external_id: str, *, comments_closed: bool | None = None,
    premoderate_all: bool | None = None, title: str | None = None, url: str | None = None,
    section: str | None = None,
) -> Article:
    """Change the given settings of the site's article (None leaves a setting as it is).

    Raises NotFoundError for an article the site has never sent a comment for.
    """
    with unit_of_work(session):
        article = find_article(session, site.id, external_id)
        if article is None:
            raise NotFoundError(f"no article with external_id {external_id!r}")
        changes = {k: v for k, v in {"comments_closed": comments_closed, "premoderate_all": premoderate_all,
                                      "title": title, "url": url, "section": section}.items() if v is not None}
        for key, value in changes.items():
            setattr(article, key, value)
        if changes:
            audit(session, actor="site", action="article.update", entity_type="article", entity_id=article.id,
                  site_id=site.id, **changes)
    return article
