"""Tickets: the queue and ticket pages, the API, ``tickets`` / ``subscribers`` / ``smtpd``
commands, e-mail in (``ulybka smtpd``, started by ``ulybka run``) and out, the SLA sweep every
minute, the demo's subscribers and tickets."""

from app.features import DemoStep, Feature, JobKind, NavItem, Periodic, Process
from app.models import Role
from app.tickets import actions, cli, demo, mailflow, operations, public, queries, smtpd
from app.tickets.api import bp as api_bp
from app.tickets.views import bp

FEATURE = Feature(
    name="tickets",
    blueprints=(bp, public.bp),
    api=(api_bp,),
    commands=(cli.tickets, cli.subscribers, smtpd.smtpd, cli.carrier_sandbox),
    jobs=(JobKind("tickets.mail_in", mailflow.process_inbound, on_failure=mailflow.mail_failed),
          JobKind("tickets.send_reply", mailflow.send_reply),
          JobKind("tickets.send_mail", mailflow.send_notice),
          JobKind("tickets.carrier_action", actions.run_action, on_failure=actions.action_failed)),
    processes=(Process("smtpd", ("smtpd",)), Process("carrier-sandbox", ("carrier-sandbox",))),
    periodic=(Periodic("tickets.sweep_sla", {"minute": "*"}, operations.periodic_sweep),),
    demo=(DemoStep(50, "tickets", demo.seed_tickets_demo),),
    nav=(NavItem(25, "tickets.queue", "Обращения", (Role.OPERATOR, Role.MANAGER, Role.ADMIN)),),
    listeners={"call.page": queries.call_page, "call.processed": mailflow.survey_after_call},
)
