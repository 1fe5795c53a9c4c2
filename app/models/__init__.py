"""ORM models; importing this package registers every table on ``Base.metadata``."""

from app.models.base import Base, UTCDateTime, utcnow
from app.models.cabinet import CabinetCode
from app.models.calls import CALL_STATE_TITLES, CALL_STATES, Call
from app.models.chat import CHAT_OUTCOMES, Chat, ChatMessage
from app.models.exams import (  # noqa: F401 - question banks, exams, admission
    BankQuestion,
    CertificationPass,
    CertificationRule,
    Exam,
    ExamAttempt,
    LineAvailability,
    QuestionBank,
)
from app.models.games import (
    EarnedBadge,
    GameChallenge,
    GameEvent,
    GameRuleset,
    GameSetting,
    Notification,
    PointEvent,
    StreakFreeze,
)
from app.models.people import ROLE_TITLES, Carrier, OperatorSkill, Role, Team, User
from app.models.qa import (
    CalibrationSession,
    CallEvaluation,
    Dispute,
    QaReview,
    QaVerdict,
    Rating,
    Scorecard,
)
from app.models.system import JOB_STATES, ApiKey, AuditEntry, Job
from app.models.tickets import (  # noqa: F401 - subscribers and tickets
    NUMBER_BASE,
    PRIORITIES,
    TICKET_CHANNELS,
    TICKET_TYPES,
    CarrierAction,
    InboundMail,
    Subscriber,
    Ticket,
    TicketAttachment,
    TicketCall,
    TicketChange,
    TicketComment,
)
from app.models.training import (  # noqa: F401 - knowledge base, listening
    CarrierCatalogue,
    KbArticle,
    KbArticleVersion,
    KbChangeNotice,
    KbSearch,
    ListeningAssignment,
    TrainingNotice,
)

__all__ = [
    "CHAT_OUTCOMES",
    "Chat",
    "ChatMessage",
    "CabinetCode",
    "CalibrationSession",
    "CallEvaluation",
    "Dispute",
    "QaReview",
    "QaVerdict",
    "Rating",
    "Scorecard",
    "CALL_STATES",
    "CALL_STATE_TITLES",
    "Call",
    "ApiKey",
    "AuditEntry",
    "Base",
    "Carrier",
    "EarnedBadge",
    "GameChallenge",
    "GameEvent",
    "GameRuleset",
    "GameSetting",
    "JOB_STATES",
    "Job",
    "Notification",
    "OperatorSkill",
    "PointEvent",
    "ROLE_TITLES",
    "Role",
    "StreakFreeze",
    "Team",
    "User",
    "UTCDateTime",
    "utcnow",
]
