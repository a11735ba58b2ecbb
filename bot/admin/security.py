"""Staff accounts: Argon2 password hashes (argon2-cffi), roles, CSRF tokens, login rate limiting, and the
accounts' life cycle (create, deactivate, reactivate, new password, new role), shared by the admin's pages and
`python -m bot admin`. User names are NFKC-normalised and case-folded, then limited to a-z, 0-9, "." "_" "-"
(no look-alike letters from other scripts). Passwords: at least 12 characters, not only spaces, not the user name,
not one of the 30,000 most common passwords (zxcvbn's list). Every session carries the account's
`session_version`: raising it (logout, deactivation, a new password) ends all the account's sessions at once."""
from __future__ import annotations

import datetime as dt
import hmac
import re
import secrets
import string
import unicodedata
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from common.db.models import AuditEntry, LoginAttempt, Mentor, StaffUser, utcnow

ROLES = ("editor", "supervisor", "admin")  # each role can do what the ones before it can
MAX_FAILURES = 5
FAILURE_WINDOW = dt.timedelta(minutes=15)
MIN_PASSWORD = 12
MAX_PASSWORD = 256  # Argon2 takes any length; a bound keeps a login form from making it hash megabytes
MAX_USERNAME = 64  # staff_user.username
USERNAME = re.compile(r"[a-z0-9._-]{2,64}")

_hasher = PasswordHasher()


def role_at_least(role: str, needed: str) -> bool:
    return role in ROLES and ROLES.index(role) >= ROLES.index(needed)


def normalise_username(username: str) -> str:
    """NFKC, case-folded, trimmed: "Ｅva " -> "eva" (what is stored and what a login is compared with)."""
    return unicodedata.normalize("NFKC", username[:4 * MAX_USERNAME]).casefold().strip()


def check_username(username: str) -> str:
    """The normalised user name, or ValueError: 2-64 of a-z, 0-9, ".", "_", "-" after normalising, so a
    look-alike ("аdm" with a Cyrillic а) or a name mixing scripts cannot be made."""
    name = normalise_username(username)
    if not USERNAME.fullmatch(name):
        raise ValueError("a user name is 2-64 characters: letters a-z, digits, '.', '_' or '-' (no other scripts)")
    return name


@cache
def common_passwords() -> frozenset[str]:
    """The 30,000 most common passwords (zxcvbn's list, from leaked password sets), lower case."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS  # a plain list in a Python module: no network, no data file

    return frozenset(FREQUENCY_LISTS["passwords"])


def _common(password: str) -> bool:
    """A common password, also with spaces removed, digits or punctuation added around it, or said twice."""
    folded = "".join(password.casefold().split())
    edges = string.digits + string.punctuation
    candidates = {folded, folded.strip(edges), folded.rstrip(edges), folded.lstrip(edges)}
    for size in range(1, len(folded) // 2 + 1):  # "passwordpassword", "abcabcabcabc"
        if len(folded) % size == 0 and folded[:size] * (len(folded) // size) == folded:
            candidates.add(folded[:size])
            break
    return any(len(word) >= 4 and word in common_passwords() for word in candidates) or len(set(folded)) < 5


def check_password(password: str, username: str) -> None:
    """ValueError unless the password may be used: 12-256 characters, not only white space, not the user name
    (or containing it), not a common password."""
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"passwords need at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise ValueError(f"passwords have at most {MAX_PASSWORD} characters")
    if not password.strip():
        raise ValueError("a password of only spaces is no password")
    name = normalise_username(username)
    if name and name in "".join(password.casefold().split()):
        raise ValueError("the password must not contain the user name")
    if _common(password):
        raise ValueError("this password is on the list of the most common passwords: choose another")


def create_user(session: Session, username: str, password: str, role: str) -> StaffUser:
    """Create a staff account. There is no default account: the first admin is created from the command line."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    username = check_username(username)
    check_password(password, username)
    if session.scalar(select(StaffUser).where(StaffUser.username == username)):
        raise ValueError(f"{username} exists already")
    user = StaffUser(username=username, password_hash=_hasher.hash(password), role=role)
    session.add(user)
    session.flush()
    return user


# --- the life cycle of an account (the admin's Accounts page and `python -m bot admin`) --------------------------
def find_user(session: Session, username: str) -> StaffUser:
    user = session.scalar(select(StaffUser).where(StaffUser.username == normalise_username(username)))
    if user is None:
        raise LookupError(f"there is no account {normalise_username(username)[:MAX_USERNAME]!r}")
    return user


def _audit(session: Session, actor: str, action: str, user: StaffUser, before: str | None, after: str | None) -> None:
    session.add(AuditEntry(username=actor[:MAX_USERNAME], action=action, entity=f"staff:{user.username}", before=before, after=after))


def _other_active_admins(session: Session, user: StaffUser) -> int:
    return session.scalar(select(func.count(StaffUser.id)).where(
        StaffUser.role == "admin", StaffUser.active.is_(True), StaffUser.id != user.id)) or 0


def end_sessions(user: StaffUser) -> None:
    """Every session of the account ends at its next request (the cookies carry the old version)."""
    user.session_version = (user.session_version or 0) + 1


def set_active(session: Session, actor: str, user: StaffUser, active: bool) -> None:
    """Deactivate (its sessions end at once) or reactivate an account. The last active admin stays."""
    if not active and user.role == "admin" and user.active and not _other_active_admins(session, user):
        raise ValueError("the last active admin cannot be deactivated")
    if user.active == active:
        return
    user.active = active
    if not active:
        end_sessions(user)
    _audit(session, actor, "deactivate account" if not active else "reactivate account", user,
           "inactive" if active else "active", "active" if active else "inactive")
    session.flush()


def set_password(session: Session, actor: str, user: StaffUser, password: str) -> None:
    """A new password (checked like a new account's); every session of the account ends."""
    check_password(password, user.username)
    user.password_hash = _hasher.hash(password)
    end_sessions(user)
    _audit(session, actor, "reset password", user, None, None)  # no hash in the audit log
    session.flush()


def set_role(session: Session, actor: str, user: StaffUser, role: str) -> None:
    """A new role, in force at the account's next request. The last active admin stays an admin."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if user.role == "admin" and role != "admin" and user.active and not _other_active_admins(session, user):
        raise ValueError("the last active admin must stay an admin")
    if user.role == role:
        return
    before, user.role = user.role, role
    _audit(session, actor, "change role", user, before, role)
    session.flush()


def link_mentor(session: Session, actor: str, user: StaffUser, mentor_id: str) -> None:
    """Link the account to its holder's Telegram account as a registered, active supervisor (a `mentor` row with
    role supervisor), so "take over" on the live desk makes that account the case's mentor; "" unlinks. One staff
    account per Telegram account. Only admins do this: a link lets the staff member write to people as that account."""
    mentor_id = mentor_id.strip()
    if not mentor_id:
        mentor = None
    elif not (mentor_id.isascii() and mentor_id.isdigit() and len(mentor_id) < 10):
        raise ValueError("choose one of the supervisors listed")
    else:
        mentor = session.get(Mentor, int(mentor_id))
        if mentor is None or not mentor.active or not mentor.is_supervisor:
            raise ValueError("only an active supervisor's Telegram account can be linked (invite it as a supervisor on the Mentors page)")
        other = session.scalar(select(StaffUser).where(StaffUser.mentor_id == mentor.id, StaffUser.id != user.id))
        if other is not None:
            raise ValueError(f"that Telegram account is linked to {other.username} already")
    new = mentor.id if mentor else None
    if user.mentor_id == new:
        return
    before, user.mentor_id = user.mentor_id, new
    _audit(session, actor, "link telegram", user, f"mentor:{before}" if before else None, f"mentor:{new}" if new else None)
    session.flush()


def too_many_failures(session: Session, username: str, address: str, now: dt.datetime | None = None) -> bool:
    since = (now or utcnow()) - FAILURE_WINDOW
    failures = session.scalar(select(func.count(LoginAttempt.id)).where(
        LoginAttempt.succeeded.is_(False), LoginAttempt.at >= since,
        or_(LoginAttempt.username == normalise_username(username)[:MAX_USERNAME], LoginAttempt.address == address[:64]),
    ))
    return (failures or 0) >= MAX_FAILURES


def authenticate(session: Session, username: str, password: str, address: str) -> StaffUser | None:
    """The active user with this password, or None. Every attempt is recorded for the rate limit."""
    username = normalise_username(username)
    user = session.scalar(select(StaffUser).where(StaffUser.username == username[:MAX_USERNAME], StaffUser.active.is_(True)))
    ok = False
    if user is not None and len(password) <= MAX_PASSWORD:
        try:
            ok = _hasher.verify(user.password_hash, password)
        except (VerificationError, InvalidHashError):
            ok = False
    else:
        _hasher.hash(password[:MAX_PASSWORD])  # same cost whether or not the account exists
    session.add(LoginAttempt(username=username[:64], address=address[:64], succeeded=ok))
    if ok and user is not None:
        user.last_login_at = utcnow()
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = _hasher.hash(password)
        return user
    return None


# --- sessions -----------------------------------------------------------------------------------------------------
def start_session(session_data: dict, user: StaffUser) -> None:
    """A new session at login (no fixation), tied to the account's current session version."""
    session_data.clear()
    session_data["user_id"] = user.id
    session_data["version"] = user.session_version


def session_user(session: Session, session_data: dict) -> StaffUser | None:
    """The active account this session belongs to, if it has not been ended since (logout, deactivation, a new
    password), else None."""
    user_id, version = session_data.get("user_id"), session_data.get("version")
    if not isinstance(user_id, int) or not isinstance(version, int) or not 0 < user_id < 2**31:
        return None
    user = session.get(StaffUser, user_id)
    if user is None or not user.active or user.session_version != version:
        return None
    return user


def csrf_token(session_data: dict) -> str:
    """The session's CSRF token (synchronizer token pattern: every form carries it, every POST checks it)."""
    if "csrf" not in session_data:
        session_data["csrf"] = secrets.token_urlsafe(32)
    return session_data["csrf"]


def csrf_ok(session_data: dict, submitted: object) -> bool:
    """`submitted`: the form's csrf_token field as posted (a file uploaded under that name is no token)."""
    expected = session_data.get("csrf")
    return bool(expected and isinstance(submitted, str) and submitted and hmac.compare_digest(expected, submitted))
