"""The day's customers, drawn up front: who arrives when, needing what, with what patience.

Every per-customer quantity is drawn here, one numpy block per purpose, so the
SimPy model draws nothing. Two scenarios run with the same seed therefore see
the same customers (common random numbers) wherever their demand is the same.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..scenario.schema import ScenarioModel
from .arrivals import arrival_times, rate_schedule
from .streams import Streams


@dataclass(frozen=True)
class Population:
    """Per-customer draws, one array entry per customer in arrival order."""

    arrival: np.ndarray          # minutes after opening
    service: np.ndarray          # index into scenario.services
    priority: np.ndarray
    triage_minutes: np.ndarray
    goes_online: np.ndarray      # diverted online if a greeter triages
    kiosk_eligible: np.ndarray
    kiosk_draw: np.ndarray       # uniform: compared with divert_self_service or self_select
    kiosk_minutes: np.ndarray
    kiosk_fails: np.ndarray
    pre_eligible: np.ndarray
    pre_minutes: np.ndarray
    pre_saves: np.ndarray
    counter_minutes: np.ndarray
    patience: np.ndarray         # inf when nobody abandons

    def __len__(self) -> int:
        return len(self.arrival)


def draw_population(sc: ScenarioModel, streams: Streams) -> Population:
    edges, rates = rate_schedule(sc)
    arrival = arrival_times(edges, rates, streams("arrivals"))
    n = len(arrival)

    shares = np.cumsum([s.share for s in sc.services])
    shares[-1] = 1.0  # shares sum to 1 within 1e-6; make the last bin catch everything
    service = np.minimum(np.searchsorted(shares, streams("service-type").random(n), side="right"),
                         len(sc.services) - 1)

    priority = np.zeros(n, dtype=np.int64)
    online_share = np.zeros(n)
    kiosk_share = np.zeros(n)
    kiosk_fail_share = np.zeros(n)
    pre_share = np.zeros(n)
    pre_saves = np.zeros(n)
    counter = np.zeros(n)
    kiosk_minutes = np.zeros(n)
    pre_minutes = np.zeros(n)
    for k, svc in enumerate(sc.services):
        mine = service == k
        priority[mine] = svc.priority
        online_share[mine] = svc.online_eligible
        # Each service's times come from its own stream, customer i taking entry i,
        # so a customer's draws do not depend on how many others share the service.
        counter[mine] = svc.counter_minutes.sample(streams(f"counter:{svc.name}"), n)[mine]
        if svc.self_service is not None:
            kiosk_share[mine] = svc.self_service.eligible
            kiosk_fail_share[mine] = svc.self_service.fail
            kiosk_minutes[mine] = svc.self_service.minutes.sample(
                streams(f"kiosk:{svc.name}"), n)[mine]
        if svc.preprocess is not None:
            pre_share[mine] = svc.preprocess.eligible
            pre_saves[mine] = svc.preprocess.saves
            pre_minutes[mine] = svc.preprocess.minutes.sample(
                streams(f"preprocess:{svc.name}"), n)[mine]

    divert_online = sc.triage.divert_online if sc.triage is not None else 0.0
    triage = (sc.triage.minutes.sample(streams("triage"), n) if sc.triage is not None
              else np.zeros(n))
    patience = (sc.patience.sample(streams("patience"), n) if sc.patience is not None
                else np.full(n, np.inf))
    return Population(
        arrival=arrival,
        service=service,
        priority=priority,
        triage_minutes=triage,
        goes_online=streams("route:online").random(n) < online_share * divert_online,
        kiosk_eligible=streams("route:kiosk-eligible").random(n) < kiosk_share,
        kiosk_draw=streams("route:kiosk").random(n),
        kiosk_minutes=kiosk_minutes,
        kiosk_fails=streams("kiosk-fail").random(n) < kiosk_fail_share,
        pre_eligible=streams("preprocess-eligible").random(n) < pre_share,
        pre_minutes=pre_minutes,
        pre_saves=pre_saves,
        counter_minutes=counter,
        patience=patience,
    )
