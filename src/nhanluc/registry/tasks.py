from pathlib import Path

from django.urls import reverse
from django_tasks import task

from nhanluc.core.models import Job
from nhanluc.core.services import run_job
from nhanluc.registry.imports import ImportRefused, import_survey_file
from nhanluc.registry.models import SurveyRound


@task()
def import_survey_task(
    job_id: int, path: str, round_id: int, commune_code: str, mode: str, file_name: str
) -> dict:
    actor = Job.objects.select_related("created_by").get(pk=job_id).created_by

    def work(progress):
        try:
            batch = import_survey_file(
                path=Path(path),
                survey_round=SurveyRound.objects.get(pk=round_id),
                actor=actor,
                commune_code=commune_code,
                mode=mode,
                file_name=file_name,
                source=f"job:{job_id}",
                progress=progress,
            )
        except ImportRefused as refused:
            batch = refused.batch
        finally:
            Path(path).unlink(missing_ok=True)
        return {
            "batch_id": batch.pk,
            "status": batch.status,
            "url": reverse("registry:batch", args=[batch.pk]),
        }

    return run_job(job_id, work)
