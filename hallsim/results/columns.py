"""The column dictionary: what every column of the customers, intervals and staff tables
means. The API reference's "Columns" (docs/api.md, built by Sphinx) shows it, and a test
checks it against the tables, so a column cannot be added without being explained.

Times "_min" are minutes after opening unless they are durations; clock columns are
"HH:MM". A name with ``ROLE`` stands for one column per role (counter, triage, preprocess);
one ending in ``.GROUP``, for one column per counter group. Columns in ``ONLY_WITH`` exist
only in halls with the key named there.
"""

from __future__ import annotations

CUSTOMERS: dict[str, str] = {
    "customer": "Arrival order, from 0.",
    "arrival": "Arrival time of day, \"HH:MM\".",
    "arrival_min": "Arrival, minutes after opening.",
    "service": "The service (`services[].name`) the customer came for.",
    "priority": "The service's priority (lower is called first).",
    "outcome": "How the visit ended: `counter`, `self_service`, `online`, `abandoned` or "
               "`turned_away` (nobody on the plan was left to serve their queue).",
    "abandoned_in": "For `abandoned`: the queue where patience ran out (`triage`, `kiosk`, "
                    "`counter`); empty otherwise.",
    "triaged": "True if a greeter triaged the customer.",
    "kiosk_failed": "True if a self-service attempt failed and the customer took a ticket.",
    "wait_min": "Total time queueing (triage, kiosk and counter queues, not service), up to "
                "leaving for those who abandon; 0 for those who never queue. Time being "
                "pre-processed counts.",
    "wait_triage_min": "Part of `wait_min` spent in the greeter's queue.",
    "wait_kiosk_min": "Part of `wait_min` spent queueing for a kiosk.",
    "wait_counter_min": "Part of `wait_min` spent in the counter queue (pre-processing included).",
    "preprocessed": "True if floor staff finished pre-processing before the customer was "
                    "called (the counter time then shrinks by the service's `saves`).",
    "preprocess_min": "Minutes of pre-processing the customer received while waiting.",
    "counter_start_min": "When counter service began, minutes after opening (NaN: never).",
    "counter_service_min": "Counter service time actually taken (after any pre-processing "
                           "saving; 0 if never served at a counter).",
    "departure_min": "When the customer left the hall, minutes after opening.",
    "group": "The counter group (`counters.groups[].name`) whose window served them; empty "
             "if not served at a counter.",
    "window": "The window that served them, numbered from 1 group by group in file order; "
              "empty if not served at a counter.",
    "booked": "True if the customer came on a booking (`appointments`).",
    "slot": "The booked slot, \"HH:MM\"; empty for walk-ins.",
    "time_in_hall_min": "`departure_min` − `arrival_min`.",
    "detractor_p": "Estimated probability that this customer is an NPS detractor (0–6), "
                   "from the detractor curve at their (weighted) wait, or `abandoned`.",
}

INTERVALS: dict[str, str] = {
    "start": "Interval start, \"HH:MM\" (intervals of `interval_minutes`, default 30).",
    "end": "Interval end, \"HH:MM\".",
    "start_min": "Interval start, minutes after opening.",
    "arrivals": "Customers who arrived in the interval (integer).",
    "arrival_rate_per_hour": "`arrivals` per hour of the interval.",
    "mean_wait_min": "Mean wait of the interval's arrivals (NaN with no arrivals).",
    "p90_wait_min": "90th percentile of those waits.",
    "abandoned": "Arrivals of the interval who abandoned (integer).",
    "abandon_rate": "`abandoned` / `arrivals`.",
    "turned_away": "Arrivals of the interval turned away (integer).",
    "service_level": "Share of the interval's arrivals who waited at most "
                     "`detractor.target_wait_minutes` and were not abandoned or turned away.",
    "detractor_rate": "Mean `detractor_p` of the interval's arrivals.",
    "staff_ROLE": "Staff at work in that role, averaged over the interval (a flexed staff "
                  "member counts for the role they are doing).",
    "busy_windows": "Counter windows occupied, averaged over the interval.",
    "queue_counter": "Customers in the counter queue, averaged over the interval.",
    "queue_triage": "Customers in the greeter's queue, averaged over the interval.",
    "queue_kiosk": "Customers queueing for a kiosk, averaged over the interval.",
    "queue_preprocess": "Eligible customers waiting whose pre-processing has not started, "
                        "averaged over the interval.",
    "kiosks_busy": "Kiosks in use, averaged over the interval.",
    "served.GROUP": "Arrivals of the interval served at that group's windows (integer).",
    "mean_wait_min.GROUP": "Mean wait of those customers (NaN with none).",
    "busy_windows.GROUP": "That group's windows occupied, averaged over the interval.",
}

STAFF: dict[str, str] = {
    "shift": "The shift block (`shifts[].name`) the staff member belongs to.",
    "role": "The shift's role: `counter`, `triage` or `preprocess`.",
    "start": "Shift start, minutes after opening.",
    "end": "Scheduled shift end, minutes after opening.",
    "left_at": "When they actually left (after finishing the customer in hand).",
    "busy_min": "Minutes spent serving customers over the day.",
    "overtime_min": "Minutes worked past the shift's end.",
}

TABLES: dict[str, dict[str, str]] = {"customers": CUSTOMERS, "intervals": INTERVALS,
                                     "staff": STAFF}
ONLY_WITH: dict[str, str] = {"group": "counters.groups", "window": "counters.groups",
                             "served.GROUP": "counters.groups",
                             "mean_wait_min.GROUP": "counters.groups",
                             "busy_windows.GROUP": "counters.groups",
                             "booked": "appointments", "slot": "appointments"}


def documented(table: str, column: str) -> bool:
    """Whether ``column`` of ``table`` is in the dictionary (``staff_counter`` matches
    ``staff_ROLE``)."""
    entries = TABLES[table]
    if column in entries:
        return True
    return any((name.endswith("_ROLE") and column.startswith(name[:-4]))
               or (name.endswith(".GROUP") and column.startswith(name[:-5]))
               for name in entries)
