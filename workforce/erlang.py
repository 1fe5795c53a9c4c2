"""Erlang C and Erlang A: how many agents a queue needs for a service level.

Erlang C (M/M/N) assumes every caller waits for ever; Erlang A (M/M/N+M) gives callers a mean
patience, so some abandon and the figures are those of a real queue. Both are computed without
factorials: Erlang B by its recursion (stable at 1,000 Erlangs and more), Erlang A from the
birth-death chain of the queue, normalised as it is built.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .errors import StaffingError


@dataclass(frozen=True)
class Staffing:
    """What ``agents`` on the line give: ``service_level`` (answered within the target time ÷
    offered), ``asa`` (mean wait of answered calls, s), ``occupancy``, ``abandon_rate`` (0 in
    Erlang C), ``wait_probability``."""

    agents: int
    service_level: float
    asa: float
    occupancy: float
    abandon_rate: float
    wait_probability: float


def traffic(calls: float, interval_minutes: float, aht_seconds: float) -> float:
    """Offered load in Erlangs: calls per interval × handling time ÷ interval length."""
    _positive(calls=calls, interval=interval_minutes, aht=aht_seconds)
    return calls * aht_seconds / (interval_minutes * 60.0)


def erlang_b(load: float, agents: int) -> float:
    """Blocking probability, by the recursion B(n) = A·B(n−1) / (n + A·B(n−1))."""
    b = 1.0
    for n in range(1, agents + 1):
        b = load * b / (n + load * b)
    return b


def erlang_c(load: float, agents: int, aht: float, answer_within: float) -> Staffing:
    """The M/M/N queue with ``agents`` > ``load`` (otherwise the queue grows without end)."""
    if agents <= load:
        return Staffing(agents, 0.0, math.inf, 1.0, 0.0, 1.0)
    b = erlang_b(load, agents)
    wait = agents * b / (agents - load * (1 - b))
    level = 1 - wait * math.exp(-(agents - load) * answer_within / aht)
    asa = wait * aht / (agents - load)
    return Staffing(agents, level, asa, load / agents, 0.0, wait)


def erlang_a(load: float, agents: int, aht: float, answer_within: float, patience: float) -> Staffing:
    """The M/M/N+M queue: callers leave after an exponential patience of mean ``patience`` s."""
    mu, gamma = 1.0 / aht, 1.0 / patience
    lam = load * mu
    # state probabilities, in logs up to N, then the queue's tail until it no longer matters
    logs = [0.0]
    for n in range(1, agents + 1):
        logs.append(logs[-1] + math.log(load) - math.log(n))
    top = max(logs)
    weights = [math.exp(x - top) for x in logs]
    queue: list[float] = []
    w = weights[-1]
    k = 0
    while True:
        k += 1
        w *= lam / (agents * mu + k * gamma)
        queue.append(w)
        if w < 1e-16 * sum(weights) or k > 100_000:
            break
    total = sum(weights) + sum(queue)
    below = sum(weights[:agents]) / total  # served at once
    waiting = [weights[agents] / total] + [q / total for q in queue]  # arrivals finding j ahead
    waiting = waiting[:-1] if len(waiting) > 1 else waiting
    served, timed = [], []  # per position: P(served), E[wait · 1{served}]
    p_prev, m_prev = 1.0, 0.0
    for j in range(len(waiting)):
        forward = agents * mu + j * gamma
        share = forward / (forward + gamma)
        p = share * p_prev
        m = share * (p_prev / (forward + gamma) + m_prev)
        served.append(p)
        timed.append(m)
        p_prev, m_prev = p, m
    answered = below + sum(q * p for q, p in zip(waiting, served, strict=True))
    asa = sum(q * m for q, m in zip(waiting, timed, strict=True)) / answered if answered else math.inf
    within = below + _served_within(waiting, agents * mu, gamma, answer_within)
    occupancy = answered * load / agents
    return Staffing(agents, within, asa, min(1.0, occupancy), 1 - answered, sum(waiting))


def _served_within(start: list[float], service: float, gamma: float, t: float) -> float:
    """Probability mass of waiting callers served within ``t`` s: the tagged caller moves up the
    queue at rate service + j·γ and leaves at rate γ; integrated with RK4."""
    if t <= 0:
        return 0.0
    steps = max(200, int(t * 20))
    dt = t / steps
    rates = [service + j * gamma for j in range(len(start))]

    def derivative(q: list[float]) -> tuple[list[float], float]:
        d = [-(rates[j] + gamma) * q[j] + (rates[j + 1] * q[j + 1] if j + 1 < len(q) else 0.0)
             for j in range(len(q))]
        return d, rates[0] * q[0]

    q = list(start)
    done = 0.0
    for _ in range(steps):
        k1, s1 = derivative(q)
        k2, s2 = derivative([a + dt / 2 * b for a, b in zip(q, k1, strict=True)])
        k3, s3 = derivative([a + dt / 2 * b for a, b in zip(q, k2, strict=True)])
        k4, s4 = derivative([a + dt * b for a, b in zip(q, k3, strict=True)])
        q = [a + dt / 6 * (b + 2 * c + 2 * d + e) for a, b, c, d, e in zip(q, k1, k2, k3, k4, strict=True)]
        done += dt / 6 * (s1 + 2 * s2 + 2 * s3 + s4)
    return done


def _positive(**values: float) -> None:
    for name, value in values.items():
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if not number or not math.isfinite(value) or value <= 0:
            raise StaffingError(f"{name} must be a positive number, got {value!r}", code="not_positive",
                                field=name, value=value)


@dataclass(frozen=True)
class Requirement:
    """The fewest agents that meet the target, and how many to schedule for them."""

    staffing: Staffing
    scheduled_agents: int
    load: float

    def to_dict(self) -> dict[str, float | int]:
        s = self.staffing
        return {"agents": s.agents, "service_level": round(s.service_level, 4), "asa": round(s.asa, 2),
                "occupancy": round(s.occupancy, 4), "abandon_rate": round(s.abandon_rate, 4),
                "scheduled_agents": self.scheduled_agents, "traffic_erlangs": round(self.load, 3)}


MAX_AGENTS = 20_000


def required_agents(*, calls: float, interval_minutes: float, aht_seconds: float, target: float,
                    answer_within: float, patience: float | None = None, shrinkage: float = 0.0,
                    max_occupancy: float = 1.0) -> Requirement:
    """The fewest agents on the line whose service level reaches ``target`` (Erlang C, or Erlang A
    with ``patience``) and whose occupancy stays within ``max_occupancy``; scheduled agents add
    ``shrinkage`` (breaks, training, listening: the share of paid time off the line).

    :raises StaffingError: a value out of range, naming the field (``code`` says which rule).
    """
    load = traffic(calls, interval_minutes, aht_seconds)
    _positive(answer_within=answer_within)
    if not 0 < target < 1:
        raise StaffingError(f"target must be a share between 0 and 1 (0.8 for 80 %), got {target!r}",
                            code="bad_share", field="target", value=target)
    if not 0 <= shrinkage < 1:
        raise StaffingError(f"shrinkage must be a share from 0 to below 1, got {shrinkage!r}",
                            code="bad_share", field="shrinkage", value=shrinkage)
    if not 0 < max_occupancy <= 1:
        raise StaffingError(f"max occupancy must be a share above 0 and at most 1, got {max_occupancy!r}",
                            code="bad_share", field="max_occupancy", value=max_occupancy)
    if patience is not None:
        _positive(patience=patience)
    agents = max(1, math.floor(load) + (0 if patience else 1))
    while agents <= MAX_AGENTS:
        result = (erlang_a(load, agents, aht_seconds, answer_within, patience) if patience
                  else erlang_c(load, agents, aht_seconds, answer_within))
        if result.service_level >= target and result.occupancy <= max_occupancy:
            scheduled = math.ceil(agents / (1 - shrinkage) - 1e-9)
            return Requirement(result, scheduled, load)
        agents += 1
    raise StaffingError(f"{load:.0f} Erlangs cannot be served by up to {MAX_AGENTS} agents",
                        code="unservable", field="calls", value=calls)
