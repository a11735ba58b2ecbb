"""Tables of the product database (the Rasa tracker store is separate)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def as_utc(value: dt.datetime) -> dt.datetime:
    """A stored time as an aware UTC datetime (SQLite returns naive datetimes, stored as UTC)."""
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


class Person(Base):
    """A migrant who writes to the bot. `pseudonym` is a keyed hash of the Telegram user id (bot.privacy);
    `chat_id` is kept only because replies must be sent there."""

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    pseudonym: Mapped[str] = mapped_column(String(64), unique=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    language: Mapped[str | None] = mapped_column(String(8))
    language_chosen: Mapped[bool] = mapped_column(default=False)
    country: Mapped[str | None] = mapped_column(String(2))
    # where in the country (common.places area) and the residence situation where it changes rights (/profile)
    region: Mapped[str | None] = mapped_column(String(16))
    residence: Mapped[str | None] = mapped_column(String(16))
    consent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    # the Rasa conversation was paused for a hand-off: resumed before the next message goes to Rasa
    rasa_paused: Mapped[bool] = mapped_column(default=False, server_default="0")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, server_default=func.now())

    messages: Mapped[list[Inbound]] = relationship(back_populates="person", cascade="all, delete-orphan")
    handoffs: Mapped[list[Handoff]] = relationship(back_populates="person", cascade="all, delete-orphan")
    appointments: Mapped[list[Appointment]] = relationship(back_populates="person", cascade="all, delete-orphan")


class Inbound(Base):
    """An incoming message, stored before it is processed so that nothing is lost if Rasa is down.
    `status`: pending -> processing (claimed by one worker) -> done. Text is kept only with consent and only until processed + retention."""

    __tablename__ = "inbound"
    __table_args__ = (UniqueConstraint("update_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    update_id: Mapped[int] = mapped_column(BigInteger)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, server_default=func.now())

    person: Mapped[Person] = relationship(back_populates="messages")


class Mentor(Base):
    """A peer mentor (or supervisor) registered through an invite link. `chat_id` is needed to relay messages;
    it is never shown to the people they help."""

    __tablename__ = "mentor"

    id: Mapped[int] = mapped_column(primary_key=True)
    pseudonym: Mapped[str] = mapped_column(String(64), unique=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    name: Mapped[str] = mapped_column(String(64))  # first name or pseudonym, shown to the person
    languages: Mapped[str] = mapped_column(String(64))  # comma-separated codes, e.g. "ar,fa"
    countries: Mapped[str] = mapped_column(String(16), default="")  # "" = both
    role: Mapped[str] = mapped_column(String(16), default="mentor")  # mentor | supervisor
    ui_language: Mapped[str] = mapped_column(String(8), default="en")
    max_cases: Mapped[int] = mapped_column(Integer, default=3)
    on_duty: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    current_case_id: Mapped[int | None] = mapped_column(Integer)  # the chat their messages go to
    # the boundaries guide version they read and accepted (bot.handoff.guide); None: not yet, no duty until then
    guide_version: Mapped[int | None] = mapped_column(Integer)
    guide_accepted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # the ISO week ("2026-W48") they were last told they are over MENTOR_WEEKLY_LIMIT_HOURS (bot.handoff.workload)
    limit_noted_week: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, server_default=func.now())

    @property
    def language_list(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]

    @property
    def is_supervisor(self) -> bool:
        return self.role == "supervisor"

    def serves(self, language: str, country: str | None) -> bool:
        """Speaks the language and works in the country (supervisors see everything)."""
        if self.is_supervisor:
            return True
        countries = [c for c in self.countries.split(",") if c]
        return language in self.language_list and (not countries or country is None or country in countries)


class Invite(Base):
    """A one-time, expiring code that registers a Telegram account as a mentor (`/start <code>`)."""

    __tablename__ = "invite"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    languages: Mapped[str] = mapped_column(String(64))
    countries: Mapped[str] = mapped_column(String(16), default="")
    role: Mapped[str] = mapped_column(String(16), default="mentor")
    max_cases: Mapped[int] = mapped_column(Integer, default=3)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    mentor_id: Mapped[int | None] = mapped_column(ForeignKey("mentor.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, server_default=func.now())


class Handoff(Base):
    """A request for a peer mentor and, once claimed, the case. `status`: waiting -> claimed -> closed.
    The hand-off state here (not Rasa's paused tracker) decides where a person's messages go."""

    __tablename__ = "handoff"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(8))
    country: Mapped[str | None] = mapped_column(String(2))
    topics: Mapped[str] = mapped_column(String(200), default="")  # intents asked about, comma-separated
    reason: Mapped[str] = mapped_column(String(24))  # crisis | distress | request | not_understood
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    summary: Mapped[str] = mapped_column(Text, default="")  # the last few messages, for the mentor
    status: Mapped[str] = mapped_column(String(16), default="waiting", index=True)
    mentor_id: Mapped[int | None] = mapped_column(ForeignKey("mentor.id", ondelete="SET NULL"), index=True)
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)  # an open flag: a supervisor has not answered yet
    # the last /flag: when, by whom, the mentor's words to the supervisors; when and by which staff member answered
    flagged_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    flagged_by_id: Mapped[int | None] = mapped_column(ForeignKey("mentor.id", ondelete="SET NULL"))
    flag_note: Mapped[str | None] = mapped_column(String(500))
    flag_answered_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    flag_answered_by: Mapped[str | None] = mapped_column(String(64))
    rating: Mapped[int | None] = mapped_column(Integer)
    told_no_mentor_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # no chat left unanswered (bot.handoff.unanswered): the mentor was reminded of the current unanswered message
    # (cleared when they reply or a mentor claims), the case was last given back to the queue for want of a reply
    reply_alerted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    released_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    debrief_requested_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, server_default=func.now())
    claimed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    person: Mapped[Person] = relationship(back_populates="handoffs")
    mentor: Mapped[Mentor | None] = relationship(foreign_keys=[mentor_id])
    flagged_by: Mapped[Mentor | None] = relationship(foreign_keys=[flagged_by_id])
    notifications: Mapped[list[Notification]] = relationship(cascade="all, delete-orphan")
    relayed: Mapped[list[RelayMessage]] = relationship(cascade="all, delete-orphan", order_by="RelayMessage.id")
    notes: Mapped[list[CaseNote]] = relationship(cascade="all, delete-orphan", order_by="CaseNote.id")


class Notification(Base):
    """A request shown to a mentor; kept so the message can be changed to "taken" when someone claims it."""

    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    handoff_id: Mapped[int] = mapped_column(ForeignKey("handoff.id", ondelete="CASCADE"), index=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("mentor.id", ondelete="CASCADE"))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int | None] = mapped_column(BigInteger)


class RelayMessage(Base):
    """Relay log: what went between person and mentor (kept for the retention period). Messages a person
    leaves while waiting are kept here until a mentor claims the case (`delivered` false until then)."""

    __tablename__ = "relay_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    handoff_id: Mapped[int] = mapped_column(ForeignKey("handoff.id", ondelete="CASCADE"), index=True)
    sender: Mapped[str] = mapped_column(String(8))  # person | mentor
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str | None] = mapped_column(Text)
    from_chat_id: Mapped[int | None] = mapped_column(BigInteger)  # media are copied by reference (copyMessage)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    delivered: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, server_default=func.now())


class CaseNote(Base):
    """A mentor's private note on a case: readable by mentors on the case and supervisors only."""

    __tablename__ = "case_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    handoff_id: Mapped[int] = mapped_column(ForeignKey("handoff.id", ondelete="CASCADE"), index=True)
    mentor_id: Mapped[int | None] = mapped_column(ForeignKey("mentor.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, server_default=func.now())


class StaffUser(Base):
    """A program staff account of the web admin. Roles: editor (answers, translations), supervisor (+ mentors,
    insight), admin (+ accounts, audit log). Passwords are Argon2 hashes; there is no default account.
    `session_version` is in every session cookie of the account: raising it (logout, deactivation, a new password)
    ends all its sessions at once."""

    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, server_default=func.now())
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # the staff member's own Telegram account as a registered supervisor (set by an admin on the Accounts page):
    # "take over" on the live desk makes that Mentor the case's mentor
    mentor_id: Mapped[int | None] = mapped_column(ForeignKey("mentor.id", ondelete="SET NULL"), unique=True)


class LoginAttempt(Base):
    """Failed and successful logins, for rate limiting (kept in the database so every instance sees them)."""

    __tablename__ = "login_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    succeeded: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


class AnswerText(Base):
    """An answer edited by staff for one topic, country and language: a draft, and the published text the bot
    uses (within seconds, no retrain). Without a row, the built-in answer (content/topics.yml + catalogs) is used."""

    __tablename__ = "answer_text"
    __table_args__ = (UniqueConstraint("topic", "country", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    topic: Mapped[str] = mapped_column(String(40))
    country: Mapped[str] = mapped_column(String(2))
    language: Mapped[str] = mapped_column(String(8))
    draft_text: Mapped[str | None] = mapped_column(Text)
    draft_source_name: Mapped[str | None] = mapped_column(String(200))
    draft_source_url: Mapped[str | None] = mapped_column(String(500))
    draft_updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    published_text: Mapped[str | None] = mapped_column(Text)
    published_source_name: Mapped[str | None] = mapped_column(String(200))
    published_source_url: Mapped[str | None] = mapped_column(String(500))
    published_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    updated_by: Mapped[str | None] = mapped_column(String(64))


class TranslationOverride(Base):
    """A translation imported from a .po file (translators' workflow); used instead of the shipped catalog."""

    __tablename__ = "translation_override"
    __table_args__ = (UniqueConstraint("language", "msgid_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    language: Mapped[str] = mapped_column(String(8))
    msgid_hash: Mapped[str] = mapped_column(String(64))  # sha256 of msgid: msgids are long texts
    msgid: Mapped[str] = mapped_column(Text)
    msgstr: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(64))


class AuditEntry(Base):
    """Who changed what: the state before and after (JSON), so a change can be reverted."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    username: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(120))
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)


class Service(Base):
    """A place in the service directory that staff keep up to date: the bot lists those near the person
    (by city) under its answers, the ones speaking the person's language first."""

    __tablename__ = "service"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(24), index=True)  # gp | out_of_hours | interpreter | psychosocial | social_services
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2), index=True)
    city: Mapped[str] = mapped_column(String(80))
    address: Mapped[str] = mapped_column(String(300), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    opening_hours: Mapped[str] = mapped_column(String(200), default="")
    languages: Mapped[str] = mapped_column(String(80), default="")  # codes, comma-separated
    url: Mapped[str] = mapped_column(String(500), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(64))


class OutboxMessage(Base):
    """A message created outside a Telegram handler (web admin, CLI, jobs), written in the same transaction as the
    change that caused it. A sender claims a row atomically (`claimed_at`), sends it and marks it `sent_at`, so it
    goes out once across bot instances; a claim older than a few minutes (its sender died) is taken up again."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    text: Mapped[str] = mapped_column(Text, default="")
    buttons: Mapped[str] = mapped_column(Text, default="[]")  # JSON [[title, callback_data], ...]
    rtl: Mapped[bool] = mapped_column(default=False)
    copy_from_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    copy_from_message_id: Mapped[int | None] = mapped_column(BigInteger)
    edit_message_id: Mapped[int | None] = mapped_column(BigInteger)
    notification_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, server_default=func.now())
    claimed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), index=True)


class DutyPeriod(Base):
    """A mentor's time on duty, from `/duty on` to `/duty off` (or deactivation): the weekly hours are summed from
    these (bot.handoff.workload). `ended_at` is None while they are on duty."""

    __tablename__ = "duty_period"

    id: Mapped[int] = mapped_column(primary_key=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("mentor.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class SavedReply(Base):
    """A reply staff keep for mentors, per language (`/r NAME` sends it to the person in their language)."""

    __tablename__ = "saved_reply"
    __table_args__ = (UniqueConstraint("name", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(32))  # one word, lower case: what mentors type after /r
    language: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(64))


class GuideText(Base):
    """The program's boundaries guide in one language, as edited in the admin (without a row: the shipped text
    in the catalogs). `version` is the guide's version when this text was saved; the current version is the
    highest, and a mentor who has not accepted it cannot go on duty (bot.handoff.guide)."""

    __tablename__ = "guide_text"
    __table_args__ = (UniqueConstraint("language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    language: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(64))
class Appointment(Base):
    """A person's appointment (bot.appointments): when (UTC, and the person's time zone, in which the reminders fall
    at the right local times), what kind, where (free text), and who set it. A mentor's proposal waits for the
    person's confirmation (`status` proposed) and nothing is scheduled until then. `status`: proposed -> active ->
    done (the follow-up was answered) | cancelled | declined. `outcome`: the follow-up answer."""

    __tablename__ = "appointment"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))  # UTC
    timezone: Mapped[str] = mapped_column(String(40))  # Europe/Copenhagen | Europe/Berlin
    country: Mapped[str] = mapped_column(String(2))
    kind: Mapped[str] = mapped_column(String(24))  # bot.appointments.checklist.KINDS
    place: Mapped[str] = mapped_column(String(300), default="")
    set_by: Mapped[str] = mapped_column(String(8), default="person")  # person | mentor
    mentor_id: Mapped[int | None] = mapped_column(ForeignKey("mentor.id", ondelete="SET NULL"))
    handoff_id: Mapped[int | None] = mapped_column(ForeignKey("handoff.id", ondelete="SET NULL"))  # a mentor's: the case
    confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default="active", index=True)
    outcome: Mapped[str | None] = mapped_column(String(16))  # fine | unclear | next | help
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, server_default=func.now())

    person: Mapped[Person] = relationship(back_populates="appointments")
    steps: Mapped[list[ReminderSend]] = relationship(back_populates="appointment", cascade="all, delete-orphan",
                                                     order_by="ReminderSend.due_at")


class ReminderSend(Base):
    """One scheduled message of an appointment: `day_before`, `hours_before` or `follow_up`, due at `due_at` (UTC).
    A runner claims it with one conditional UPDATE (`sent_at` from NULL) and writes the message to the outbox in the
    same transaction, so across bot instances and restarts it goes out once. `skipped`: its time had passed (the
    appointment was already over, or cancelled) when a runner came to it, so nothing was sent."""

    __tablename__ = "reminder_send"
    __table_args__ = (UniqueConstraint("appointment_id", "step"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    appointment_id: Mapped[int] = mapped_column(ForeignKey("appointment.id", ondelete="CASCADE"), index=True)
    step: Mapped[str] = mapped_column(String(16))
    due_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    skipped: Mapped[bool] = mapped_column(Boolean, default=False)

    appointment: Mapped[Appointment] = relationship(back_populates="steps")
class KnowledgeEntry(Base):
    """A knowledge-base entry staff created, changed or retired in the web admin. common.knowledge lays the
    published ones over the shipped YAML (content/knowledge/) by `entry_id`: a new id adds an entry, a shipped id
    replaces it, a retired row hides it (shipped or not). `draft` and `published` are the entry as JSON
    (common.knowledge.Document: region, source, checked date, and per language the title, the answer, its child and
    residence variants and the example questions); a draft is never answered with."""

    __tablename__ = "knowledge_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[str] = mapped_column(String(120), unique=True)  # <cc>.<topic>.<what>, never renamed
    country: Mapped[str] = mapped_column(String(2), index=True)
    topic: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)  # draft | published | retired
    draft: Mapped[str | None] = mapped_column(Text)  # the edit not yet published (None: nothing pending)
    published: Mapped[str | None] = mapped_column(Text)  # what the bot answers with (None: the shipped entry)
    checked: Mapped[dt.date | None] = mapped_column(Date)  # the published version's "facts checked on"
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(64))
    published_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    published_by: Mapped[str | None] = mapped_column(String(64))
class SupervisionSession(Base):
    """A supervision session a supervisor held with a mentor: the date, the mentor and the topics from a fixed list
    (bot.admin.supervision.TOPICS), with a short note. It holds no person's data: no case numbers, no names."""

    __tablename__ = "supervision_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    held_on: Mapped[dt.date] = mapped_column(Date, index=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("mentor.id", ondelete="CASCADE"), index=True)
    topics: Mapped[str] = mapped_column(String(200), default="")  # codes, comma-separated
    note: Mapped[str] = mapped_column(String(300), default="")
    recorded_by: Mapped[str] = mapped_column(String(64))  # the staff member's user name
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, server_default=func.now())

    mentor: Mapped[Mentor] = relationship()
