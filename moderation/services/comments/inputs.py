"""What the site sends, as plain typed values (the API's schemas produce these)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass


@dataclass(frozen=True)
class ArticleInput:
    external_id: str
    url: str
    title: str
    section: str | None = None


@dataclass(frozen=True)
class AuthorInput:
    external_id: str
    display_name: str


@dataclass(frozen=True)
class CommentInput:
    """A new comment, with the site's own ids for it, its article, its author and the comment it replies to."""

    external_id: str
    text: str
    article: ArticleInput
    author: AuthorInput
    parent_external_id: str | None = None

    def fingerprint(self) -> str:
        """What a retry must repeat exactly: text, article, author and parent."""
        key = [self.text, self.article.external_id, self.author.external_id, self.parent_external_id]
        return hashlib.sha256(json.dumps(key, ensure_ascii=False).encode("utf-8", "surrogatepass")).hexdigest()
