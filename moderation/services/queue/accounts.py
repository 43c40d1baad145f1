"""Moderator accounts: creating them, checking passwords at login, and recognising a signed-in moderator."""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from moderation.db.enums import UserRole
from moderation.db.models import AuditLog, User
from moderation.errors import ModerationError
from moderation.services.queue.throttle import LoginThrottle

log = logging.getLogger(__name__)

MIN_PASSWORD_CHARS = 12
#: Hashed when the e-mail is unknown, so a wrong address takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-real-password-0000", method="scrypt")


class AccountError(ModerationError):
    """An account cannot be created as asked (bad role, weak password, address taken)."""


class LoginFailedError(ModerationError):
    """The e-mail address and password do not match an active account."""


@dataclass(frozen=True)
class Moderator:
    """The signed-in person, as the queue pages need them."""

    id: int
    email: str
    role: UserRole

    @property
    def decides_legal(self) -> bool:
        return self.role in (UserRole.LEGAL, UserRole.ADMIN)


def _normal_email(email: str) -> str:
    return email.strip().lower()


def create_user(session: Session, email: str, role: str, password: str) -> Moderator:
    """Add an account with a scrypt-hashed password; one unit of work (audited)."""
    address = _normal_email(email)
    if "@" not in address or len(address) > 320:
        raise AccountError(f"{email!r} is not an e-mail address")
    user_role = _role(role)
    _check_password(password)
    if session.scalar(sa.select(User.id).where(User.email == address)) is not None:
        raise AccountError(f"an account for {address} already exists")
    user = User(email=address, role=user_role, password_hash=_hash(password))
    session.add(user)
    session.flush()
    session.add(AuditLog(actor="cli", action="user.create", entity_type="user", entity_id=user.id,
                         detail={"email": address, "role": user_role.value}))
    session.commit()
    log.info("created %s account %s", user_role.value, address)
    return Moderator(user.id, user.email, user.role)


@dataclass(frozen=True)
class Account:
    """An account as the operator's listing shows it."""

    email: str
    role: UserRole
    active: bool
    created_at: datetime


def list_users(session: Session) -> list[Account]:
    """Every account, by e-mail address."""
    users = session.scalars(sa.select(User).order_by(User.email)).all()
    session.commit()
    return [Account(u.email, u.role, u.active, u.created_at) for u in users]


def update_user(
    session: Session, email: str, *, role: str | None = None, active: bool | None = None, password: str | None = None
) -> Account:
    """Change an account's role, enable or disable it, or set a new password; one unit of work (audited).

    Takes effect on the account's next page: a disabled account and one with a new password are signed out
    everywhere, a new role decides (or no longer decides) the legal lane at once.
    """
    address = _normal_email(email)
    user_role = _role(role) if role is not None else None
    if password is not None:
        _check_password(password)
    user = session.scalar(sa.select(User).where(User.email == address))
    if user is None:
        raise AccountError(f"there is no account for {address}")
    detail: dict[str, object] = {}
    if user_role is not None and user_role != user.role:
        user.role = user_role
        detail["role"] = user_role.value
    if active is not None and active != user.active:
        user.active = detail["active"] = active
    if password is not None:
        user.password_hash = _hash(password)
        detail["new_password"] = True
    if detail:
        session.add(AuditLog(actor="cli", action="user.update", entity_type="user", entity_id=user.id, detail=detail))
    session.commit()
    return Account(user.email, user.role, user.active, user.created_at)


def _role(role: str) -> UserRole:
    try:
        return UserRole(role)
    except ValueError:
        raise AccountError(f"role must be one of {', '.join(r.value for r in UserRole)}") from None


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_CHARS:
        raise AccountError(f"the password must have at least {MIN_PASSWORD_CHARS} characters")


def _hash(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def session_stamp(password_hash: str) -> str:
    """A short fingerprint of the password hash kept in the cookie: changing the password signs everyone out."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:20]


def authenticate(
    session: Session, throttle: LoginThrottle, email: str, password: str, ip: str
) -> tuple[Moderator, str]:
    """The account for these credentials and its session stamp; LoginThrottledError or LoginFailedError otherwise."""
    address = _normal_email(email)
    throttle.attempt(address, ip)
    user = session.scalar(sa.select(User).where(User.email == address))
    good = check_password_hash(user.password_hash if user else _DUMMY_HASH, password)
    if user is None or not good or not user.active:
        throttle.failed(address, ip)
        raise LoginFailedError("That e-mail address and password do not match an active account.")
    throttle.succeeded(address)
    session.add(
        AuditLog(actor=f"user:{user.id}", action="user.login", entity_type="user", entity_id=user.id, detail={"ip": ip})
    )
    session.commit()
    return Moderator(user.id, user.email, user.role), session_stamp(user.password_hash)


def signed_in(
    session: Session,
    user_id: object,
    stamp: object,
    since: object,
    max_hours: float | None = None,
    now: float | None = None,
) -> Moderator | None:
    """The active account a session cookie names, or None when it is gone, disabled, its password changed,
    it signed out after this session began (`since`, epoch seconds): signing out ends every earlier session,
    or the sign-in is older than `max_hours` (using the queue does not extend it)."""
    if not isinstance(user_id, int) or not isinstance(stamp, str) or not isinstance(since, int | float):
        return None
    if max_hours is not None and (time.time() if now is None else now) - since > max_hours * 3600:
        return None
    user = session.get(User, user_id)
    if user is None or not user.active or not hmac.compare_digest(session_stamp(user.password_hash), stamp):
        return None
    last_out = session.scalar(
        sa.select(sa.func.max(AuditLog.at)).where(
            AuditLog.entity_type == "user", AuditLog.entity_id == user.id, AuditLog.action == "user.logout"
        )
    )
    if last_out is not None and _as_utc(last_out).timestamp() >= since:
        return None
    return Moderator(user.id, user.email, user.role)


def sign_out(session: Session, user_id: int) -> None:
    """Record the sign-out; sessions that began before it stop working, even a copied cookie."""
    session.add(AuditLog(actor=f"user:{user_id}", action="user.logout", entity_type="user", entity_id=user_id))
    session.commit()


def _as_utc(value: datetime) -> datetime:
    # func.max() comes back without the column's type on SQLite: a naive UTC timestamp or its text.
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value
