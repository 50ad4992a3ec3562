"""Run one function per edition in worker processes, so an archive's editions render and build
side by side on every core. Editions are independent (each writes only its own folder), so the
output is the same whatever the number of processes; results come back in edition order.

Workers never outlive the build: each exits when its parent dies, however it dies (on Linux the
kernel kills it, `PR_SET_PDEATHSIG`; elsewhere a thread notices within `WATCH` seconds), and a
build stopped by Ctrl+C, SIGTERM or an error terminates the workers still running. Workers ignore
Ctrl+C, which a terminal sends to every process of the group: the parent decides.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Generator
from concurrent.futures import ProcessPoolExecutor

from reportsite.build.lock import alive

WATCH = 0.5
"""Seconds between a worker's checks that its parent is still running."""
PR_SET_PDEATHSIG = 1

_shared: list = []
"""In a worker process: what `map_tasks()` was given as `shared`, sent once per worker."""


def available() -> int:
    """The number of cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _watch(parent: int) -> None:
    while alive(parent):
        time.sleep(WATCH)
    os._exit(1)


def _die_with(parent: int) -> None:
    """Make this worker exit when the process `parent` dies."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
    if not alive(parent):  # it died before the line above took effect
        os._exit(1)
    threading.Thread(target=_watch, args=(parent,), daemon=True).start()


def _start(shared, parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A forked worker inherits the command line's SIGTERM handler; terminating it must just end it.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with(parent)
    _shared[:] = [shared]


def _call(task: tuple) -> object:
    function, args = task
    return function(_shared[0], *args)


def map_tasks(function: Callable, shared, tasks: list[tuple], jobs: int) -> Generator:
    """`function(shared, *task)` for each task, yielded in task order.

    With `jobs` above 1 and more than one task, the calls run in up to `jobs` worker processes
    (`function` must then be a module-level function and the tasks picklable); otherwise here,
    one after the other. An exception raised by a call is raised here when its result is due.
    """
    if jobs <= 1 or len(tasks) <= 1:
        for args in tasks:
            yield function(shared, *args)
        return
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), initializer=_start,
                               initargs=(shared, os.getpid()))
    try:
        yield from pool.map(_call, [(function, args) for args in tasks])
    except BaseException:
        # A failure, an interrupt or a consumer that stopped early: nothing still running is needed.
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            process.terminate()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
