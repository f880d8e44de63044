"""Progress of long work, reported the same way from the CLI (a bar) and from a job (its status row).

Service functions take a `progress` argument and never know which one they were given.
"""

import sys
import time

from tqdm import tqdm


class Progress:
    """Reports nothing: for tests and for callers that do not watch."""

    def start(self, total: int | None, message: str = "") -> None:
        pass

    def advance(self, amount: int = 1) -> None:
        pass

    def note(self, message: str) -> None:
        pass

    def close(self) -> None:
        pass


class ConsoleProgress(Progress):
    """A progress bar on the terminal (standard error, so piped output stays clean)."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.bar: tqdm | None = None

    def start(self, total: int | None, message: str = "") -> None:
        self.close()
        self.bar = tqdm(
            total=total, desc=message, file=self.stream, unit=" mục", dynamic_ncols=True, leave=True
        )

    def advance(self, amount: int = 1) -> None:
        if self.bar is not None:
            self.bar.update(amount)

    def note(self, message: str) -> None:
        if self.bar is not None:
            self.bar.set_description(message)
        else:
            print(message, file=self.stream)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


class JobProgress(Progress):
    """Writes progress onto a `Job` row, at most twice a second.

    It writes only outside a transaction: inside one the row would stay invisible to the page until
    the commit, and on SQLite a second connection would wait for the writer's lock.
    """

    min_interval = 0.5

    def __init__(self, job_id: int):
        self.job_id = job_id
        self.done = 0
        self.total: int | None = None
        self.message = ""
        self._last_write = 0.0

    def start(self, total: int | None, message: str = "") -> None:
        self.done, self.total = 0, total
        if message:
            self.message = message
        self._write(force=True)

    def advance(self, amount: int = 1) -> None:
        self.done += amount
        self._write()

    def note(self, message: str) -> None:
        self.message = message
        self._write(force=True)

    def close(self) -> None:
        self._write(force=True)

    def _write(self, force: bool = False) -> None:
        from django.db import connection

        from nhanluc.core.models import Job

        now = time.monotonic()
        if connection.in_atomic_block or (not force and now - self._last_write < self.min_interval):
            return
        self._last_write = now
        Job.objects.filter(pk=self.job_id).update(
            progress_done=self.done, progress_total=self.total, message=self.message[:255]
        )
