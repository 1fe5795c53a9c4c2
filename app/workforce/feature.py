"""The manager's day: the staffing command (pages, imports and the schedule come next)."""

from app.features import Feature
from app.workforce import cli

FEATURE = Feature(name="workforce", commands=(cli.staffing,))
