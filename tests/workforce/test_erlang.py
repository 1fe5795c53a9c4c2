"""Erlang C and A against published check values and against a simulation of the same queue."""

from __future__ import annotations

import heapq
import math
import random

import pytest

import workforce
from workforce import StaffingError, erlang_a, erlang_c, required_agents, traffic


@pytest.mark.parametrize(("agents", "level", "asa", "occupancy"), [
    (13, 0.796, 17.1, 0.769), (14, 0.888, 7.8, 0.714), (15, 0.941, 3.7, 0.667)])
def test_erlang_c_check_values(agents, level, asa, occupancy):
    load = traffic(100, 30, 180)  # 100 calls in 30 minutes, 3 minutes each: 10 Erlangs
    assert load == 10
    result = erlang_c(load, agents, 180, 20)
    assert result.service_level == pytest.approx(level, abs=0.0015)
    assert result.asa == pytest.approx(asa, abs=0.05)
    assert result.occupancy == pytest.approx(occupancy, abs=0.001)


def test_the_fewest_agents_for_80_in_20_and_the_schedule_with_shrinkage():
    need = required_agents(calls=100, interval_minutes=30, aht_seconds=180, target=0.8, answer_within=20,
                           shrinkage=0.3)
    assert need.to_dict() == {"agents": 14, "service_level": 0.8884, "asa": 7.84, "occupancy": 0.7143,
                              "abandon_rate": 0.0, "scheduled_agents": 20, "traffic_erlangs": 10.0}
    capped = required_agents(calls=100, interval_minutes=30, aht_seconds=180, target=0.8, answer_within=20,
                             max_occupancy=0.7)
    assert capped.staffing.agents == 15  # 14 would be busy 71 % of the time


def test_large_traffic_is_stable():
    result = erlang_c(1000, 1040, 180, 20)
    assert 0.99 < result.service_level <= 1 and math.isfinite(result.asa)
    need = required_agents(calls=10_000, interval_minutes=30, aht_seconds=180, target=0.8, answer_within=20)
    assert 1000 < need.staffing.agents < 1040


def simulate(load: float, agents: int, aht: float, patience: float, within: float, calls: int, seed: int):
    """An M/M/N+M queue, first come first served: (abandon rate, ASA of answered, SL of offered)."""
    rng = random.Random(seed)
    lam = load / aht
    free_at = [0.0] * agents  # when each agent is next free (a heap)
    heapq.heapify(free_at)
    t = 0.0
    abandoned = answered = in_time = 0
    waited = 0.0
    for _ in range(calls):
        t += rng.expovariate(lam)
        give_up = t + rng.expovariate(1 / patience)
        start = max(t, free_at[0])
        if start > give_up:
            abandoned += 1
            continue
        heapq.heapreplace(free_at, start + rng.expovariate(1 / aht))
        answered += 1
        waited += start - t
        in_time += start - t <= within
    return abandoned / calls, waited / answered, in_time / calls


def test_erlang_a_agrees_with_a_simulation_of_the_same_queue():
    result = erlang_a(10, 13, 180, 20, 120)
    assert result.abandon_rate == pytest.approx(0.038, abs=0.003)
    assert result.asa == pytest.approx(3.8, abs=0.3)
    assert result.service_level == pytest.approx(0.89, abs=0.01)
    abandon, asa, level = simulate(10, 13, 180, 120, 20, calls=150_000, seed=7)
    assert abandon == pytest.approx(result.abandon_rate, abs=0.006)
    assert asa == pytest.approx(result.asa, abs=0.6)
    assert level == pytest.approx(result.service_level, abs=0.01)


@pytest.mark.parametrize(("kwargs", "code", "field"), [
    ({"aht_seconds": 0}, "not_positive", "aht"),
    ({"target": 1.5}, "bad_share", "target"),
    ({"shrinkage": 1.0}, "bad_share", "shrinkage"),
    ({"patience": -5}, "not_positive", "patience"),
    ({"calls": 10**9}, "unservable", "calls"),
])
def test_impossible_inputs_name_the_field(kwargs, code, field):
    args = {"calls": 100, "interval_minutes": 30, "aht_seconds": 180, "target": 0.8, "answer_within": 20}
    with pytest.raises(StaffingError) as caught:
        workforce.required_agents(**{**args, **kwargs})
    assert (caught.value.code, caught.value.params["field"]) == (code, field)
