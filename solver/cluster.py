"""Dask's distributed scheduler for the planner's independent pieces: a local cluster, or the one named.

`POOL_DASK_SCHEDULER` (e.g. ``tcp://10.0.0.5:8786``) names an existing scheduler, whose workers must be able
to import `solver`; without it a local cluster of `workers` processes (one thread each) is started for the
solve and closed after it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from distributed import Client, LocalCluster

SCHEDULER_ENV = "POOL_DASK_SCHEDULER"


@contextmanager
def dask_client(workers: int, memory_per_worker: str = "3GiB") -> Iterator[Client]:
    """A client for the solve: on the scheduler `POOL_DASK_SCHEDULER` names, else on a local cluster."""
    address = os.environ.get(SCHEDULER_ENV, "").strip()
    if address:
        with Client(address, timeout="30s", set_as_default=False) as client:
            yield client
        return
    cluster = LocalCluster(
        n_workers=max(1, workers),
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",  # a free port: no clash with another cluster on this machine
        memory_limit=memory_per_worker,
        silence_logs=40,  # errors only: the planner's caller has its own log
    )
    try:
        with Client(cluster, set_as_default=False) as client:
            yield client
    finally:
        cluster.close()
