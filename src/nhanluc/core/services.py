"""Cross-cutting writes: audit events, the personal-data access log, jobs and login throttling."""

import datetime
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nhanluc.core.choices import AccessKind, AuditAction, JobStatus
from nhanluc.core.models import AccessLog, AuditEvent, DataChange, Job, User
from nhanluc.core.progress import JobProgress, Progress


@dataclass(frozen=True)
class Change:
    """One audited change, for `record_events` (bulk writes)."""

    action: str
    object_type: str
    object_id: str = ""
    object_repr: str = ""
    changes: dict | None = None
    province_code: str = ""
    commune_code: str = ""


def record_event(
    *,
    actor: User | None,
    action: str,
    object_type: str,
    object_id: Any = "",
    object_repr: str = "",
    changes: dict | None = None,
    source: str,
    province_code: str = "",
    commune_code: str = "",
    client_address: str | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=str(object_id)[:64],
        object_repr=str(object_repr)[:255],
        changes=changes or {},
        source=source,
        province_code=province_code,
        commune_code=commune_code,
        client_address=client_address,
    )


def record_events(
    *, actor: User | None, source: str, changes: Iterable[Change], batch_size: int = 2000
) -> int:
    """Audit a bulk write in bulk: one INSERT per batch, never one query per row."""
    rows = [
        AuditEvent(
            actor=actor,
            action=change.action,
            object_type=change.object_type,
            object_id=str(change.object_id)[:64],
            object_repr=str(change.object_repr)[:255],
            changes=change.changes or {},
            source=source,
            province_code=change.province_code,
            commune_code=change.commune_code,
        )
        for change in changes
    ]
    AuditEvent.objects.bulk_create(rows, batch_size=batch_size)
    return len(rows)


def log_access(
    *,
    actor: User,
    kind: str,
    purpose: str,
    object_type: str,
    object_ids: Iterable[Any] = (),
    record_count: int | None = None,
    query: dict | None = None,
    client_address: str | None = None,
) -> AccessLog:
    """Record that personal records were viewed, searched or exported, and why."""
    ids = [str(pk) for pk in object_ids]
    if kind not in AccessKind.values:
        raise ValueError(f"unknown access kind {kind!r}")
    return AccessLog.objects.create(
        actor=actor,
        kind=kind,
        purpose=purpose[:255],
        object_type=object_type,
        # An export can reach millions of rows; the count and the filter identify it, the first ids help.
        object_ids=ids[:1000],
        record_count=len(ids) if record_count is None else record_count,
        query=query or {},
        province_code=actor.province_code,
        commune_code=actor.commune_code,
        client_address=client_address,
    )


# ---------------------------------------------------------------- data changes


def note_data_change(*, domain: str, province_code: str, units: Iterable[str] | None = None) -> None:
    """Record that `domain`'s data changed in these units (anywhere in the province when None).

    Stamped when the write commits: a computation that read the data before the commit started
    earlier than the stamp, so it is seen as stale and done again.
    """
    codes = [""] if units is None else sorted({code for code in units if code})

    def stamp():
        now = timezone.now()
        DataChange.objects.bulk_create(
            [
                DataChange(domain=domain, province_code=province_code, unit_code=code, changed_at=now)
                for code in codes
            ],
            update_conflicts=True,
            unique_fields=["domain", "province_code", "unit_code"],
            update_fields=["changed_at"],
        )

    transaction.on_commit(stamp)


def reference_generation(*models) -> tuple:
    """A value that changes when rows are added to `models`, when reference data is loaded
    (`load-reference` records the load) or when anything is edited or deleted in the admin (which logs
    every change). What a process builds from those tables (the address index, the import's code lists)
    is kept while it stays the same; an edit or deletion made otherwise (a shell) is seen once the
    process restarts.

    One query, which reads the end of a few indexes: no COUNT(*), which scans a table that has not yet
    been vacuumed (a fresh province's, loaded just before its first imports: 2 ms a file imported).
    """
    quote = connection.ops.quote_name
    parts = []
    for model in models:
        table, key = quote(model._meta.db_table), quote(model._meta.pk.column)
        parts.append(f"(SELECT MAX({key}) FROM {table})")
    parts += [
        # The loads of whole lists (reference data, a vacancy file) name no object; an import names its
        # batch, and the imports of a day must not make every process read the lists again.
        f"(SELECT MAX(id) FROM {quote(AuditEvent._meta.db_table)} WHERE action = %s AND object_id = '')",
        f"(SELECT MAX(id) FROM {quote(LogEntry._meta.db_table)})",
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", [AuditAction.LOAD.value])
        return tuple(cursor.fetchone())


# ---------------------------------------------------------------- jobs


def start_job(*, task, label: str, actor: User | None, **task_kwargs) -> Job:
    """Create the status row and enqueue `task(job_id=…, **task_kwargs)` once the row is committed."""
    job = Job.objects.create(
        kind=task.name,
        label=label,
        created_by=actor,
        province_code=actor.province_code if actor else settings.NHANLUC_PROVINCE,
    )

    def enqueue():
        try:
            result = task.enqueue(job_id=job.pk, **task_kwargs)
        except Exception:
            Job.objects.filter(pk=job.pk).update(
                status=JobStatus.FAILED, finished_at=timezone.now(), error=traceback.format_exc()[-20000:]
            )
            raise
        Job.objects.filter(pk=job.pk).update(task_result_id=str(result.id))

    transaction.on_commit(enqueue)
    return job


def run_job(job_id: int, work: Callable[[Progress], dict | None]) -> dict:
    """Run `work(progress)` for a job: mark it running, record its result or its traceback."""
    Job.objects.filter(pk=job_id).update(status=JobStatus.RUNNING, started_at=timezone.now())
    progress = JobProgress(job_id)
    try:
        result = work(progress) or {}
    except BaseException as error:  # also a worker stopped mid-job: the page must not poll a dead job forever
        progress.close()  # keep how far it got
        reason = str(error).splitlines()[0] if str(error) else ""
        Job.objects.filter(pk=job_id).update(
            status=JobStatus.FAILED,
            finished_at=timezone.now(),
            error=traceback.format_exc()[-20000:],
            # The reason first: a refused report says why ("no data for 2026-H1") above the traceback.
            message=(f"{_('Công việc gặp lỗi')}: {reason}" if reason else _("Công việc gặp lỗi"))[:255],
        )
        raise
    Job.objects.filter(pk=job_id).update(
        status=JobStatus.SUCCEEDED,
        finished_at=timezone.now(),
        result=result,
        progress_done=progress.total or progress.done,
        progress_total=progress.total or progress.done,
        message=_("Đã hoàn thành"),
    )
    return result


# ---------------------------------------------------------------- login throttling


def login_is_throttled(*, username: str, client_address: str | None) -> bool:
    """Too many failed logins for this username, or from this address, within the window."""
    since = timezone.now() - datetime.timedelta(seconds=settings.NHANLUC_LOGIN_WINDOW_SECONDS)
    failures = AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, at__gte=since)
    limit = settings.NHANLUC_LOGIN_MAX_FAILURES
    if failures.filter(object_id=username.lower()[:64]).count() >= limit:
        return True
    # An address gets more room than a username: offices share one NAT address.
    return bool(client_address) and failures.filter(client_address=client_address).count() >= limit * 4


def record_login_failure(*, username: str, client_address: str | None) -> None:
    record_event(
        actor=None,
        action=AuditAction.LOGIN_FAILED,
        object_type="core.user",
        object_id=username.lower()[:64],
        source="web",
        province_code=settings.NHANLUC_PROVINCE,
        client_address=client_address,
    )


def record_login(*, user: User, client_address: str | None) -> None:
    record_event(
        actor=user,
        action=AuditAction.LOGIN,
        object_type="core.user",
        object_id=user.username,
        source="web",
        province_code=user.province_code,
        commune_code=user.commune_code,
        client_address=client_address,
    )
