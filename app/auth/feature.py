"""Signing in and out."""

from app.auth.views import bp
from app.features import Feature

FEATURE = Feature(name="auth", blueprints=(bp,))
