"""The subscriber cabinet: its pages (``/cabinet``), its JSON API (``/api/v1/cabinet``), the job
that sends sign-in codes by e-mail or SMS gateway, the menu and the subscriber's home page."""

from app.cabinet import operations, otp
from app.cabinet.api import bp as api_bp
from app.cabinet.views import bp
from app.features import Feature, HomePanel, JobKind, NavItem
from app.models import Role

FEATURE = Feature(
    name="cabinet",
    blueprints=(bp,),
    api=(api_bp,),
    jobs=(JobKind("cabinet.send_code", otp.send_code),),
    nav=(NavItem(10, "cabinet.home", "Мои заявки", (Role.SUBSCRIBER,)),
         NavItem(20, "cabinet.new_request", "Новая заявка", (Role.SUBSCRIBER,)),
         NavItem(30, "cabinet.tariffs", "Тарифы и опции", (Role.SUBSCRIBER,))),
    home=(HomePanel(10, "cabinet/_overview.html", (Role.SUBSCRIBER,), operations.overview),),
)
