from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django_tasks import task

from nhanluc.core.services import run_job
from nhanluc.indicators.periods import parse_period
from nhanluc.indicators.reports import write_report

REPORT_FOLDER = "reports"


def report_path(job_id: int, file_name: str) -> Path:
    return Path(settings.MEDIA_ROOT) / REPORT_FOLDER / str(job_id) / file_name


@task()
def write_report_task(job_id: int, kind: str, period_code: str, file_name: str, province_code: str) -> dict:
    def work(progress):
        path = write_report(
            kind=kind,
            period=parse_period(period_code),
            out=report_path(job_id, file_name),
            province_code=province_code,
            progress=progress,
        )
        return {"file": path.name, "url": reverse("indicators:report_file", args=[job_id])}

    return run_job(job_id, work)
