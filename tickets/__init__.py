"""Tickets: the workflow, SLA clocks on working time (Russian production calendar), and
incoming mail decoded and threaded. Pure logic: no Flask, no database (DESIGN.md, Layout)."""

from .calendar import BUSINESS_HOURS, CALENDARS, ROUND_THE_CLOCK, Calendar, russian_holiday
from .errors import TicketError
from .mail import Attachment, Inbound, MailError, find_tag, parse, reply_headers, tag_subject, trim_quoted
from .phones import normalise_phone
from .policies import CARRIER_TYPES, PRIORITIES, TYPES, policy, policy_for
from .sla import Mark, Policy, Sla, Target, clock
from .workflow import DONE, FINAL, MOVES, STATUSES, after_subscriber_message, check_move

__all__ = [
    "Attachment", "Inbound", "MailError", "find_tag", "parse", "reply_headers", "tag_subject", "trim_quoted",
    "CARRIER_TYPES", "PRIORITIES", "TYPES", "normalise_phone", "policy", "policy_for",
    "BUSINESS_HOURS", "CALENDARS", "DONE", "FINAL", "MOVES", "ROUND_THE_CLOCK", "STATUSES", "Calendar",
    "Mark", "Policy", "Sla", "Target", "TicketError", "after_subscriber_message", "check_move", "clock",
    "russian_holiday",
]
