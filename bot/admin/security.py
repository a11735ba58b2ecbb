"""Staff accounts: Argon2 password hashes (argon2-cffi), roles, CSRF tokens, login rate limiting."""
from __future__ import annotations

import datetime as dt
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from common.db.models import LoginAttempt, StaffUser, utcnow

ROLES = ("editor", "supervisor", "admin")  # each role can do what the ones before it can
MAX_FAILURES = 5
FAILURE_WINDOW = dt.timedelta(minutes=15)
MIN_PASSWORD = 12

_hasher = PasswordHasher()


def role_at_least(role: str, needed: str) -> bool:
    return role in ROLES and ROLES.index(role) >= ROLES.index(needed)


def create_user(session: Session, username: str, password: str, role: str) -> StaffUser:
    """Create a staff account. There is no default account: the first admin is created from the command line."""
    username = username.strip().lower()
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if not username or len(username) > 64:
        raise ValueError("a user name of 1-64 characters is needed")
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"passwords need at least {MIN_PASSWORD} characters")
    if session.scalar(select(StaffUser).where(StaffUser.username == username)):
        raise ValueError(f"{username} exists already")
    user = StaffUser(username=username, password_hash=_hasher.hash(password), role=role)
    session.add(user)
    session.flush()
    return user


def too_many_failures(session: Session, username: str, address: str, now: dt.datetime | None = None) -> bool:
    since = (now or utcnow()) - FAILURE_WINDOW
    failures = session.scalar(select(func.count(LoginAttempt.id)).where(
        LoginAttempt.succeeded.is_(False), LoginAttempt.at >= since,
        or_(LoginAttempt.username == username.strip().lower(), LoginAttempt.address == address),
    ))
    return (failures or 0) >= MAX_FAILURES


def authenticate(session: Session, username: str, password: str, address: str) -> StaffUser | None:
    """The active user with this password, or None. Every attempt is recorded for the rate limit."""
    username = username.strip().lower()
    user = session.scalar(select(StaffUser).where(StaffUser.username == username, StaffUser.active.is_(True)))
    ok = False
    if user is not None:
        try:
            ok = _hasher.verify(user.password_hash, password)
        except (VerificationError, InvalidHashError):
            ok = False
    else:
        _hasher.hash(password)  # same cost whether or not the account exists
    session.add(LoginAttempt(username=username[:64], address=address[:64], succeeded=ok))
    if ok and user is not None:
        user.last_login_at = utcnow()
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = _hasher.hash(password)
        return user
    return None


def csrf_token(session_data: dict) -> str:
    """The session's CSRF token (synchronizer token pattern: every form carries it, every POST checks it)."""
    if "csrf" not in session_data:
        session_data["csrf"] = secrets.token_urlsafe(32)
    return session_data["csrf"]


def csrf_ok(session_data: dict, submitted: object) -> bool:
    """`submitted`: the form's csrf_token field as posted (a file uploaded under that name is no token)."""
    expected = session_data.get("csrf")
    return bool(expected and isinstance(submitted, str) and submitted and hmac.compare_digest(expected, submitted))
