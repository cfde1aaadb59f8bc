"""The password rule (OWASP ASVS 2.1): long enough, and not easy to guess.

"Easy to guess" is zxcvbn's judgement: it ships lists of common passwords, names and words, and finds
repeats, sequences, keyboard patterns and the user's own name inside a password.
"""

from __future__ import annotations

from zxcvbn import zxcvbn

from pool.errors import PoolError

MIN_LENGTH = 12
MAX_LENGTH = 200
MIN_SCORE = 3  # zxcvbn's "safely unguessable" (0 to 4)


def check_password_rule(password: str, *personal: str) -> None:
    """Refuse a password that is too short or too long, or common, a pattern, or made of the user's names."""
    if len(password) < MIN_LENGTH:
        raise PoolError("a password has at least %(min)s characters", field="password", min=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        raise PoolError("a password has at most %(max)s characters", field="password", max=MAX_LENGTH)
    lowered = password.lower()
    names = [p.strip().lower() for p in personal if p and p.strip()]
    if any(len(n) >= 3 and n in lowered for n in names):
        raise PoolError("a password may not contain your user name or name", field="password")
    if zxcvbn(password, user_inputs=names)["score"] < MIN_SCORE:
        raise PoolError(
            "this password is too easy to guess (a common password, a word with digits, a repeat or a pattern); "
            "a few unrelated words make a strong one", field="password"
        )
