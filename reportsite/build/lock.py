"""One build at a time per project: a lock file in the tool's own folder beside the data folder
(`.reportsite/build.lock`, git-ignored), and whether a process is still running.

The lock is the operating system's (`flock` on POSIX, `msvcrt.locking` on Windows), so it is freed
the moment its holder dies, however it dies: a lock file left by a killed build is simply taken
over. The file records the holder's process id and start time, so a second build can say who
holds it. Worker processes forked by the holder do not keep it: their copy of the file is closed
as they start.
"""

from __future__ import annotations

import json
import os
import sys
import time
from contextlib import contextmanager
from typing import Iterator

from reportsite.build import journal
from reportsite.model.errors import BuildError, relative
from reportsite.model.project import STATE

LOCK = "build.lock"
WINDOWS_BYTE = 1 << 20
"""Windows locks a byte range, and a locked range cannot be read: lock one far past the text."""

_held: set[int] = set()
"""File descriptors of the locks this process holds (closed in forked children)."""

if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, WINDOWS_BYTE, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, WINDOWS_BYTE, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)

    def _forget_in_child() -> None:
        # A forked worker must not keep the lock alive after its parent dies.
        for fd in _held:
            os.close(fd)
        _held.clear()

    os.register_at_fork(after_in_child=_forget_in_child)


def alive(pid: int) -> bool:
    """Whether the process `pid` is running."""
    if pid <= 0:
        return False
    if sys.platform == "win32":
        import ctypes

        kernel = ctypes.windll.kernel32
        handle = kernel.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        kernel.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def _holder(fd: int) -> dict:
    """What the lock file says about its holder (empty when it says nothing readable)."""
    os.lseek(fd, 0, os.SEEK_SET)
    try:
        found = json.loads(os.read(fd, 4096).decode("utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


@contextmanager
def held(project_root: str, tell=None) -> Iterator[str]:
    """Hold the build lock of the project at `project_root` while the block runs; its path.

    Before the block runs, what a command killed midway left is finished or undone
    (`journal.recover_journal`), and `tell(message)` says so in one line (printed in Chinese without it).
    Raises `BuildError` (`locked`) naming the holder's process id and start time when another
    build holds it, or (`lock-failed`) when the lock file cannot be made.
    """
    path = os.path.join(project_root, STATE, LOCK)
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise BuildError.of("lock-failed", relative(path), reason=exc.strerror or str(exc)) from exc
    try:
        if not _try_lock(fd):
            holder = _holder(fd)
            raise BuildError.of("locked", relative(path), pid=holder.get("pid", "?"),
                                started=holder.get("started", "?"))
        _held.add(fd)
        try:
            record = {"pid": os.getpid(), "started": time.strftime("%Y-%m-%d %H:%M:%S")}
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, (json.dumps(record) + "\n").encode("utf-8"))
            recovered = journal.recover_journal(os.path.join(project_root, STATE))
            if recovered is not None:
                (tell or (lambda said: print(said.text(), flush=True)))(recovered)
            yield path
        finally:
            _held.discard(fd)
            os.ftruncate(fd, 0)
            _unlock(fd)
    finally:
        os.close(fd)
