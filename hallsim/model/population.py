"""The day's customers, drawn up front: who arrives when, needing what, with what patience.

Every per-customer quantity is drawn here, one numpy block per purpose, so the
SimPy model draws nothing. Two scenarios run with the same seed therefore see
the same customers (common random numbers) wherever their demand is the same.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ..scenario.schema import ScenarioModel
from .arrivals import arrival_times, rate_schedule
from .customer import DRAWN, DRAWN_NAMES
from .streams import Streams


class Population:
    """The day's draws (``customer.DRAWN``), one array entry per customer in arrival order.
    ``booked`` and ``slot`` may be left out (nobody booked)."""

    __slots__ = DRAWN_NAMES

    def __init__(self, **columns: Any):
        unknown = sorted(set(columns) - set(DRAWN_NAMES))
        if unknown:
            raise TypeError(f"unknown population columns {unknown}; expected {DRAWN_NAMES}")
        n = len(columns["arrival"])
        for column in DRAWN:
            values = columns.get(column.name)
            if values is None:
                if column.name not in ("booked", "slot"):
                    raise TypeError(f"population column {column.name!r} is missing")
                values = np.full(n, column.fill, dtype=column.dtype)
            object.__setattr__(self, column.name, values)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("a population is read-only")

    if TYPE_CHECKING:
        def __getattr__(self, name: str) -> np.ndarray: ...

    def __len__(self) -> int:
        return len(self.arrival)

    @property
    def any_booked(self) -> bool:
        return bool(self.booked.any())


def draw_population(sc: ScenarioModel, streams: Streams) -> Population:
    """The walk-ins, drawn by purpose; then, with appointments, the booked customers who
    come (``_bookings``), merged in by arrival time. Adding bookings leaves every walk-in's
    draws as they were."""
    walk_ins = _draw(sc, streams, arrival_times(*rate_schedule(sc), streams("arrivals")), "")
    if not sc.appointments:
        return walk_ins
    return _merge([walk_ins, *_bookings(sc, streams)])


DAY = 24 * 60   # minutes a slot can be at: a booking's entry is j * DAY + its slot minute


def _bookings(sc: ScenarioModel, streams: Streams) -> list[Population]:
    """The booked customers who come, service by service in the order of ``services``.

    A booking is known by who it is, not by where its appointment stands in the file: its
    service, its slot (minute of the day) and its place ``j`` among the bookings of that
    service and slot (appointments in file order). Every draw of a booking is entry
    ``j * DAY + minute`` of a stream named ``booking:SERVICE:PURPOSE``, so adding, removing
    or reordering other appointments leaves its show, punctuality and times as they were.
    """
    open_, close = sc.hours.open, float(sc.hours.close - sc.hours.open)
    names = [svc.name for svc in sc.services]
    places: dict[tuple[int, int], int] = {}     # (service, minute) -> bookings so far
    wanted: dict[int, list[tuple[int, int, Any]]] = {}   # service -> (minute, j, appointment)
    for booking in sc.appointments:
        service = names.index(booking.service)
        for minute in booking.slots.times():
            for _ in range(booking.slots.per_slot):
                j = places.get((service, minute), 0)
                places[(service, minute)] = j + 1
                wanted.setdefault(service, []).append((minute, j, booking))
    parts = []
    for service in sorted(wanted):
        mine = sorted(wanted[service], key=lambda b: (b[0], b[1]))
        entry = np.array([j * DAY + minute for minute, j, _ in mine])
        m = int(entry.max()) + 1
        key = f"booking:{names[service]}:"
        slot = np.array([minute - open_ for minute, _, _ in mine], dtype=float)
        show = streams(key + "show").random(m)[entry]
        late = np.empty(len(mine))
        for booking in sc.appointments:   # each its own punctuality, on the one stream
            same = np.array([b is booking for _, _, b in mine])
            if same.any():
                late[same] = booking.punctuality.sample(streams(key + "punctuality"),
                                                        m)[entry[same]]
        come = show < np.array([b.show for _, _, b in mine])
        arrival = np.clip(slot + late, 0.0, None)
        come &= arrival < close        # the doors close on those later still
        drawn = _draw(sc, streams, np.zeros(m), key, np.full(m, service))
        keep = entry[come]
        columns = {name: getattr(drawn, name)[keep] for name in DRAWN_NAMES
                   if name not in ("arrival", "booked", "slot")}
        parts.append(Population(**columns, arrival=arrival[come],
                                booked=np.ones(len(keep), dtype=bool), slot=slot[come]))
    return parts


def _merge(parts: list[Population]) -> Population:
    """One population in arrival order (walk-ins before bookings at the same instant)."""
    order = np.argsort(np.concatenate([p.arrival for p in parts]), kind="stable")
    return Population(**{name: np.concatenate([getattr(p, name) for p in parts])[order]
                         for name in DRAWN_NAMES})


def _draw(sc: ScenarioModel, streams: Streams, arrival: np.ndarray, key: str,
          service: np.ndarray | None = None) -> Population:
    """Every draw for customers arriving at ``arrival``, from the streams named
    ``key + purpose`` (walk-ins: the purpose alone)."""
    n = len(arrival)

    if service is None:
        shares = np.cumsum([s.share for s in sc.services])
        shares[-1] = 1.0  # shares sum to 1 within 1e-6; make the last bin catch everything
        service = np.minimum(np.searchsorted(shares, streams("service-type").random(n),
                                             side="right"), len(sc.services) - 1)

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
        if not mine.any():
            continue   # nobody came for it: its streams are not needed (bookings: one service)
        priority[mine] = svc.priority
        online_share[mine] = svc.online_eligible
        # Each service's times come from its own stream, customer i taking entry i,
        # so a customer's draws do not depend on how many others share the service.
        counter[mine] = svc.counter_minutes.sample(streams(key + f"counter:{svc.name}"), n)[mine]
        if svc.self_service is not None:
            kiosk_share[mine] = svc.self_service.eligible
            kiosk_fail_share[mine] = svc.self_service.fail
            kiosk_minutes[mine] = svc.self_service.minutes.sample(
                streams(key + f"kiosk:{svc.name}"), n)[mine]
        if svc.preprocess is not None:
            pre_share[mine] = svc.preprocess.eligible
            pre_saves[mine] = svc.preprocess.saves
            pre_minutes[mine] = svc.preprocess.minutes.sample(
                streams(key + f"preprocess:{svc.name}"), n)[mine]

    divert_online = sc.triage.divert_online if sc.triage is not None else 0.0
    triage = (sc.triage.minutes.sample(streams(key + "triage"), n) if sc.triage is not None
              else np.zeros(n))
    patience = (sc.patience.sample(streams(key + "patience"), n) if sc.patience is not None
                else np.full(n, np.inf))
    return Population(
        arrival=arrival,
        service=service,
        priority=priority,
        triage_minutes_drawn=triage,
        goes_online=streams(key + "route:online").random(n) < online_share * divert_online,
        kiosk_eligible=streams(key + "route:kiosk-eligible").random(n) < kiosk_share,
        kiosk_draw=streams(key + "route:kiosk").random(n),
        kiosk_minutes_drawn=kiosk_minutes,
        kiosk_fails=streams(key + "kiosk-fail").random(n) < kiosk_fail_share,
        pre_eligible=streams(key + "preprocess-eligible").random(n) < pre_share,
        pre_minutes_drawn=pre_minutes,
        pre_saves=pre_saves,
        counter_minutes_drawn=counter,
        patience=patience,
    )
