"""Independent, named random streams: one per purpose, per replication.

Replication ``k`` of base seed ``s`` draws purpose ``p`` from
``SeedSequence(s, spawn_key=(k, crc32(p)))``. So a replication is the same day
whatever the number of replications, and changing staffing (which draws nothing)
or adding a service (a new stream name) leaves every other draw untouched.
"""

from __future__ import annotations

import zlib

import numpy as np


def check_seed(seed: int) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"'seed' must be a non-negative integer (got {seed!r})")
    return int(seed)


class Streams:
    """Factory of generators for one replication of one base seed."""

    def __init__(self, seed: int, replication: int = 0):
        self.seed = check_seed(seed)
        self.replication = int(replication)

    def __call__(self, purpose: str) -> np.random.Generator:
        key = (self.replication, zlib.crc32(purpose.encode("utf-8")))
        return np.random.Generator(np.random.PCG64(np.random.SeedSequence(self.seed, spawn_key=key)))
