"""Run one function per edition in worker processes, so an archive's editions render and build
side by side on every core. Editions are independent (each writes only its own folder), so the
output is the same whatever the number of processes; results come back in edition order.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, Iterator

_shared: list = []
"""In a worker process: what `run()` was given as `shared`, sent once per worker."""


def available() -> int:
    """The number of cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _start(shared) -> None:
    _shared[:] = [shared]


def _call(task: tuple) -> object:
    function, args = task
    return function(_shared[0], *args)


def run(function: Callable, shared, tasks: list[tuple], jobs: int) -> Iterator:
    """`function(shared, *task)` for each task, yielded in task order.

    With `jobs` above 1 and more than one task, the calls run in up to `jobs` worker processes
    (`function` must then be a module-level function and the tasks picklable); otherwise here,
    one after the other. An exception raised by a call is raised here when its result is due.
    """
    if jobs <= 1 or len(tasks) <= 1:
        for args in tasks:
            yield function(shared, *args)
        return
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), initializer=_start, initargs=(shared,))
    try:
        yield from pool.map(_call, [(function, args) for args in tasks])
    finally:
        # After a failure, the editions not yet started are not built for nothing.
        pool.shutdown(wait=True, cancel_futures=True)
