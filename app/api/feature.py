"""The JSON API's own route: who a key belongs to (features bring the rest, see app.api.blueprint)."""

from app.api.views import bp
from app.features import Feature

FEATURE = Feature(name="api", api=(bp,))
