"""Codes shared by the model and its records: customer states, outcomes, level series."""

# Customer states; the three queue states double as "where they abandoned".
NEW, Q_TRIAGE, IN_TRIAGE, Q_KIOSK, IN_KIOSK, Q_COUNTER, IN_COUNTER, DONE = range(8)
# Outcomes.
SERVED_COUNTER, SERVED_KIOSK, ONLINE, ABANDONED = range(4)
# Level series: staff present per role 0-2 (traced live), then these (derived from records).
BUSY_WINDOWS, QUEUE_TRIAGE, QUEUE_KIOSK, QUEUE_COUNTER, QUEUE_PRE, KIOSKS_BUSY = range(3, 9)
# Pre-processing states.
PRE_NONE, PRE_RUNNING, PRE_DONE, PRE_STOPPED = range(4)
