"""Flask extensions, created unbound and bound in :func:`app.create_app`."""

from flask_htmx import HTMX
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from app.models.base import Base


class RouteLimiter(Limiter):
    """A :class:`Limiter` that checks only the limits declared on routes (``@limiter.limit``).

    Flask-Limiter also checks every request in a ``before_request`` hook, for default,
    application-wide and blueprint limits; Ulybka declares none of those, and the hook was a
    quarter of a warm API request. A decorated route checks its own limits when it is called,
    so skipping the hook changes no limit.
    """

    def _check_request_limit(self, callable_name: str | None = None, in_middleware: bool = True) -> None:
        if not in_middleware:
            super()._check_request_limit(callable_name=callable_name, in_middleware=False)

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
htmx = HTMX()
limiter = RouteLimiter(key_func=get_remote_address, default_limits=[])
