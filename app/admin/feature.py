"""Administration: users and API keys (pages and commands)."""

from app.admin import cli
from app.admin.views import bp
from app.features import Feature, NavItem
from app.models import Role

FEATURE = Feature(
    name="admin",
    blueprints=(bp,),
    commands=(cli.users, cli.apikey),
    nav=(
        NavItem(120, "admin.users", "Пользователи", (Role.ADMIN,)),
        NavItem(130, "admin.api_keys", "API-ключи", (Role.ADMIN,)),
    ),
)
