"""The staffing advisor (contract section 6): a service target in, a verified shift plan out.

requirement (ISA and SIPP per interval) → candidates (shifts the rules allow) → milp (the
cheapest cover) → verify (simulate, repair misses) → gaps → advice (the document) → report.
"""

__all__ = ["Advice", "advise"]


def __getattr__(name: str) -> object:
    # ``hallsim staff --help`` should not wait for scipy's optimiser: load it on first use.
    if name in __all__:
        from . import advice

        return getattr(advice, name)
    raise AttributeError(f"module 'hallsim.staffing' has no attribute {name!r}")
