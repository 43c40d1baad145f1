"""Login throttling: repeated failures per account and per address are slowed, shared through the limits storage."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

from limits import RateLimitItem, parse
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from moderation.errors import ConfigError, ModerationError

log = logging.getLogger(__name__)


class LoginThrottledError(ModerationError):
    """Too many failed logins for this account or from this address; try again later."""

    def __init__(self, retry_after_s: int) -> None:
        minutes = max(1, round(retry_after_s / 60))
        super().__init__(f"Too many failed attempts. Try again in about {minutes} minute{'s' if minutes != 1 else ''}.")
        self.retry_after_s = retry_after_s


@dataclass
class LoginThrottle:
    """Counts failed logins in a moving window: per e-mail address and, more loosely, per client address."""

    storage: Storage
    per_account: str = "5 per 15 minutes"
    per_address: str = "30 per 15 minutes"
    #: Used while `storage` (Redis) cannot be reached: counts in this process only, as the API's limits do then,
    #: rather than refusing every sign-in.
    fallback: Storage = field(default_factory=MemoryStorage)

    def _limiter(self) -> MovingWindowRateLimiter:
        if self.storage is self.fallback or self.storage.check():
            return MovingWindowRateLimiter(self.storage)
        log.warning("sign-in throttle storage unreachable: counting failed sign-ins in this process only")
        return MovingWindowRateLimiter(self.fallback)

    @classmethod
    def from_uri(cls, uri: str, **limits: str) -> LoginThrottle:
        """A throttle over `uri` (memory:// in one process, redis:// across workers)."""
        storage = storage_from_string(uri)
        if not isinstance(storage, Storage):
            raise ConfigError(f"{uri!r} is an asynchronous storage; the login throttle needs a synchronous one")
        return cls(storage=storage, **limits)

    def _account(self, email: str) -> tuple[RateLimitItem, str]:
        return parse(self.per_account), f"account:{email.lower()}"

    def _address(self, ip: str) -> tuple[RateLimitItem, str]:
        return parse(self.per_address), f"address:{ip}"

    def attempt(self, email: str, ip: str) -> None:
        """Take one of the account's attempts before its password is checked, or raise LoginThrottledError when
        the account's or the address's window is full. Taking it first makes the count exact: attempts sent in
        parallel cannot all pass the check before any of them is counted."""
        limiter = self._limiter()
        for (item, key), take in ((self._address(ip), False), (self._account(email), True)):
            if not (limiter.hit(item, "login", key) if take else limiter.test(item, "login", key)):
                reset_at, _remaining = limiter.get_window_stats(item, "login", key)
                raise LoginThrottledError(int(max(1, reset_at - time.time())))

    def failed(self, email: str, ip: str) -> None:
        """Count a failed attempt against the address too (the account's was taken by `attempt`)."""
        limiter = self._limiter()
        item, key = self._address(ip)
        limiter.hit(item, "login", key)
        log.info("failed moderator login for %s from %s", email.lower(), ip)

    def succeeded(self, email: str) -> None:
        """Forget the account's failures after a good login (the address count stays)."""
        limiter = self._limiter()
        item, key = self._account(email)
        limiter.clear(item, "login", key)
