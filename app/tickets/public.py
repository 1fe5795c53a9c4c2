"""The web form of the public site (``/help/new``): a ticket from anyone, no sign-in.

Guarded by the app's CSRF token, a rate limit per address (``WEB_FORM_RATE_LIMIT``) and a
honeypot field instead of a captcha: a form that fills the hidden field is thanked and dropped.
Sending the same request twice (a double click, a reload) gives the same ticket back.
"""

from __future__ import annotations

import re
from datetime import timedelta

from flask import Blueprint, current_app, render_template, request
from sqlalchemy import select

import tickets
from app.access import PUBLIC, access
from app.extensions import db, limiter
from app.jobs.operations import enqueue
from app.models import Ticket, utcnow
from app.outcome import perform
from app.tickets import operations

bp = Blueprint("help", __name__, url_prefix="/help")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# options and tariffs are changed from the cabinet or by phone, where the subscriber is known
FORM_TYPES = ("other", "balance", "device_setup", "complaint")
REPEAT_WINDOW = timedelta(minutes=30)


def _create(form: dict[str, str]) -> Ticket:
    email = form["email"].strip().lower()
    if not EMAIL.match(email):
        raise operations.TicketFlowError("Укажите адрес электронной почты, на который прислать ответ.")
    if form["type"] not in FORM_TYPES:
        raise operations.TicketFlowError("Выберите, о чём обращение.")
    found = operations.find_subscriber(form["phone"]) if form["phone"].strip() else None
    # anybody can type any number: the ticket is the subscriber's only when the address is theirs too
    subscriber = found if found is not None and (found.email or "").lower() == email else None
    body = form["body"].strip()
    if form["phone"].strip() and subscriber is None:
        body = (f"{body}\n\n(Указан номер {form['phone'].strip()}; адрес не совпадает с адресом абонента "
                "в базе.)")
    same = db.session.scalar(select(Ticket).where(
        Ticket.channel == "web_form", Ticket.contact_email == email,
        Ticket.subject == " ".join(form["subject"].split()), Ticket.body == body,
        Ticket.created_at >= utcnow() - REPEAT_WINDOW))
    if same is not None:
        return same  # the same form sent twice: one ticket
    ticket = operations.create_ticket(channel="web_form", type=form["type"], subject=form["subject"],
                                      body=body, subscriber=subscriber, contact_email=email,
                                      contact_name=form["name"])
    enqueue("tickets.send_mail", notice="received", ticket_id=ticket.id)
    return ticket


@bp.route("/new", methods=["GET", "POST"])
@access(PUBLIC)
@limiter.limit(lambda: current_app.config["WEB_FORM_RATE_LIMIT"], methods=["POST"],
               error_message="Слишком много обращений с этого адреса. Попробуйте через час или позвоните.")
def new():
    form = {k: request.form.get(k, "") for k in ("name", "phone", "email", "type", "subject", "body")}
    form["type"] = form["type"] or "other"
    if request.method == "GET":
        return render_template("tickets/web_form.html", form=form, types=tickets.TYPES, kinds=FORM_TYPES)
    if request.form.get("website"):  # the honeypot: people never see it, bots fill it in
        return render_template("tickets/web_form_done.html", ticket=None)
    done = perform(lambda: _create(form), quiet=True)
    if not done:
        return render_template("tickets/web_form.html", form=form, types=tickets.TYPES, kinds=FORM_TYPES,
                               error=done.message), 400
    return render_template("tickets/web_form_done.html", ticket=done.value)
