"""Users, roles, teams, carriers and operator skills."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, UTCDateTime, utcnow


class Role(enum.StrEnum):
    OPERATOR = "operator"
    QA_LISTENER = "qa_listener"
    MANAGER = "manager"
    ADMIN = "admin"
    SUBSCRIBER = "subscriber"

    @property
    def title(self) -> str:
        return ROLE_TITLES[self]


ROLE_TITLES = {
    Role.OPERATOR: "Оператор",
    Role.QA_LISTENER: "Слушатель ОКК",
    Role.MANAGER: "Руководитель",
    Role.ADMIN: "Администратор",
    Role.SUBSCRIBER: "Абонент",
}

_ROLE_LIST = ", ".join(f"'{r.value}'" for r in Role)


class Team(Base):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    members: Mapped[list[User]] = relationship(back_populates="team", order_by="User.full_name")


class Carrier(Base):
    __tablename__ = "carriers"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(60))


class User(UserMixin, Base):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint(f"role IN ({_ROLE_LIST})", name="role_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(60), unique=True)
    full_name: Mapped[str] = mapped_column(String(160))
    # casefolded login + name: case-insensitive search that works for Cyrillic on every database
    search_text: Mapped[str] = mapped_column(String(240), default="", index=True)
    email: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"))
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    team: Mapped[Team | None] = relationship(back_populates="members")
    skills: Mapped[list[OperatorSkill]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    def refresh_search_text(self) -> None:
        self.search_text = f"{self.login} {self.full_name}".casefold().replace("ё", "е")

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    def get_id(self) -> str:
        # The version makes old session cookies invalid after a password reset or a disable.
        return f"{self.id}:{self.session_version}"

    @property
    def role_title(self) -> str:
        return Role(self.role).title

    def has_role(self, *roles: str) -> bool:
        return self.role in roles


class OperatorSkill(Base):
    """An operator works the line of a carrier (admission rules come with certification)."""

    __tablename__ = "operator_skills"
    __table_args__ = (UniqueConstraint("user_id", "carrier_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    carrier_id: Mapped[int] = mapped_column(ForeignKey("carriers.id", ondelete="CASCADE"))

    user: Mapped[User] = relationship(back_populates="skills")
    carrier: Mapped[Carrier] = relationship()
