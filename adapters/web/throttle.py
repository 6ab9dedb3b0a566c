"""Failed password sign-ins, counted per account and per client address (the `limits` library).

Counters live in memory, or in Redis when DEALWISE_REDIS_URL is set (then every worker process and
machine shares them). Once an account or an address has failed DEALWISE_SIGNIN_FAILURES_PER_ACCOUNT
(or _PER_ADDRESS) times within DEALWISE_SIGNIN_WINDOW_S seconds, further attempts are refused with
429 and Retry-After, the right password included, until the oldest failure leaves the window.
"""

import math
import time

from limits import RateLimitItem, RateLimitItemPerSecond
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from assistant.crm.settings import Settings

NAMESPACE = "dealwise-signin"


class SignInThrottle:
    def __init__(self, settings: Settings) -> None:
        self.limiter = MovingWindowRateLimiter(storage_from_string(settings.redis_url or "memory://"))
        window = settings.signin_window_s
        self.per_account = RateLimitItemPerSecond(settings.signin_failures_per_account, window)
        self.per_address = RateLimitItemPerSecond(settings.signin_failures_per_address, window)

    def _counters(self, account: str, address: str) -> list[tuple[RateLimitItem, str, str]]:
        return [(self.per_account, "account", account.strip().lower()[:254]), (self.per_address, "address", address)]

    def retry_after(self, account: str, address: str) -> int | None:
        """Seconds until this account may try again from this address; None when it may try now."""
        waits = []
        for item, kind, key in self._counters(account, address):
            if not self.limiter.test(item, NAMESPACE, kind, key):
                reset_at = self.limiter.get_window_stats(item, NAMESPACE, kind, key).reset_time
                waits.append(max(1, math.ceil(reset_at - time.time())))
        return max(waits) if waits else None

    def failed(self, account: str, address: str) -> None:
        for item, kind, key in self._counters(account, address):
            self.limiter.hit(item, NAMESPACE, kind, key)

    def succeeded(self, account: str) -> None:
        """A right password clears the account's failures (the address keeps its count)."""
        self.limiter.clear(self.per_account, NAMESPACE, "account", account.strip().lower()[:254])
