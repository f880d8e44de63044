from django_tasks import task

from nhanluc.catalogs.services import CATALOG_STEPS, load_catalogs
from nhanluc.core.models import Job
from nhanluc.core.progress import Progress
from nhanluc.core.services import run_job
from nhanluc.geo.services import GEOGRAPHY_STEPS, load_geography


def load_reference(*, actor=None, source: str, progress: Progress) -> dict:
    """Geography, then classifications: everything `nhanluc load-reference` loads."""
    progress.start(GEOGRAPHY_STEPS + CATALOG_STEPS, "Nạp dữ liệu tham chiếu")
    geography = load_geography(actor=actor, source=source, progress=progress)
    catalogs = load_catalogs(actor=actor, source=source, progress=progress)
    return {"geography": geography, "catalogs": catalogs}


@task()
def load_reference_task(job_id: int) -> dict:
    actor = Job.objects.select_related("created_by").get(pk=job_id).created_by
    return run_job(
        job_id, lambda progress: load_reference(actor=actor, source=f"job:{job_id}", progress=progress)
    )
