"""Users: argon2-hashed passwords, roles and clearance levels."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from schemas.enums import Role, Secrecy
from schemas.errors import SarabanError
from schemas.tables import User
from store.audit import record_event

_hasher = PasswordHasher()


def add_user(
    session: Session,
    username: str,
    password: str,
    *,
    role: Role = Role.reader,
    clearance: Secrecy = Secrecy.none,
    display_name: str = "",
    actor: str = "system",
) -> User:
    """Create a user; refuse a taken name or a password under 8 characters."""
    username = username.strip()
    if not username:
        raise SarabanError("ต้องระบุชื่อผู้ใช้ (username is required)")
    if len(password) < 8:
        raise SarabanError("รหัสผ่านต้องยาวอย่างน้อย 8 ตัวอักษร (password must be 8+ characters)")
    if find_user(session, username) is not None:
        raise SarabanError(f"มีผู้ใช้ชื่อ {username} อยู่แล้ว (user exists)")
    user = User(
        username=username,
        display_name=display_name or username,
        password_hash=_hasher.hash(password),
        role=Role(role),
        clearance=Secrecy(clearance),
    )
    session.add(user)
    record_event(session, actor, "user.add", username=username, role=user.role,
                 clearance=user.clearance)
    return user


def find_user(session: Session, username: str) -> User | None:
    """The user with this name, or None."""
    return session.scalar(select(User).where(User.username == username.strip()))


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active user whose password matches, or None (same answer for every failure)."""
    user = find_user(session, username)
    if user is None or not user.active:
        _hasher.hash(password)  # same cost either way: no user enumeration by timing
        return None
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    return user
