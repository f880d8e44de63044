"""Reports asked for on the page run as background jobs; the file goes only to who may see the job."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from docx import Document

from nhanluc.core.choices import JobStatus
from nhanluc.core.models import Job
from nhanluc.registry.generate import generate_population, store_population
from nhanluc.registry.imports import get_or_create_round


@pytest.mark.django_db(transaction=True)
def test_report_page_runs_a_job_and_serves_its_file(client, reference_data, make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    survey_round = get_or_create_round(code="2026", province_code="31")
    frame = generate_population(
        province_code="31", people=800, seed=4, reference_date=survey_round.reference_date
    )
    store_population(frame, survey_round=survey_round)
    analyst = make_user("province_analyst")
    client.force_login(analyst)
    response = client.post(
        reverse("indicators:reports"), {"kind": "mau04", "period": "2026-H1", "format": "docx"}
    )
    job = Job.objects.get()
    assert response["Location"] == reverse("core:job", args=[job.pk])
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.result["file"] == "mau04-31-2026.docx"
    download = client.get(job.result["url"])
    assert download.status_code == 200
    document = Document(io.BytesIO(b"".join(download.streaming_content)))
    assert any("800" in cell.text for table in document.tables for row in table.rows for cell in row.cells)
    # Another user does not see the job, so not its file either.
    client.force_login(make_user("province_analyst"))
    assert client.get(job.result["url"]).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_report_without_data_fails_its_job_with_the_reason(
    client, reference_data, make_user, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(make_user("province_analyst"))
    client.post(reverse("indicators:reports"), {"kind": "progress", "period": "2026-H1", "format": "xlsx"})
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED
    assert "Chưa có số liệu" in job.message
