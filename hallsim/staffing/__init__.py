"""The staffing advisor (contract section 6): a service target in, a verified shift plan out.

requirement (ISA and SIPP per interval) → candidates (shifts the rules allow) → milp (the
cheapest cover) → verify (simulate, repair misses) → advice (the document) → report.
"""

from .advice import Advice, advise

__all__ = ["Advice", "advise"]
