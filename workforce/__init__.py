"""Ulybka workforce: staffing a queue (Erlang C and A). Pure Python; plain values in, frozen
dataclasses out::

    need = required_agents(calls=100, interval_minutes=30, aht_seconds=180, target=0.8,
                           answer_within=20, patience=120, shrinkage=0.3)
    need.to_dict()  # {"agents", "service_level", "asa", "occupancy", "abandon_rate", ...}
"""

from .erlang import Requirement, Staffing, erlang_a, erlang_b, erlang_c, required_agents, traffic
from .errors import StaffingError, WorkforceError

__all__ = ["Requirement", "Staffing", "StaffingError", "WorkforceError", "erlang_a", "erlang_b", "erlang_c",
           "required_agents", "traffic"]
