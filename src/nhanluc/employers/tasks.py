import shutil
from pathlib import Path

from django.urls import reverse
from django_tasks import task

from nhanluc.core.models import Job
from nhanluc.core.services import run_job
from nhanluc.employers.postings import detect_source
from nhanluc.employers.vacancy_import import import_vacancies


@task()
def import_vacancies_task(job_id: int, path: str, source: str) -> dict:
    actor = Job.objects.select_related("created_by").get(pk=job_id).created_by

    def work(progress):
        try:
            result = import_vacancies(
                Path(path),
                source=source or detect_source(Path(path)),
                actor=actor,
                province_code=actor.province_code if actor and actor.province_code else None,
                progress=progress,
                audit_source=f"job:{job_id}",
            )
        finally:
            shutil.rmtree(Path(path).parent, ignore_errors=True)
        summary = result.as_dict()
        # The page shows the twenty most frequent texts not understood; the counts say how many more.
        for key in ("salaries_not_understood", "locations_not_understood"):
            summary[key] = dict(sorted(summary[key].items(), key=lambda item: -item[1])[:20])
        summary["salary_share"] = round(100 * result.salary_share, 2)
        summary["location_share"] = round(100 * result.location_share, 2)
        summary["url"] = reverse("employers:vacancies")
        return summary

    return run_job(job_id, work)
