import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks import task

from nhanluc.catalogs.tasks import load_reference_task
from nhanluc.core.choices import JobStatus
from nhanluc.core.models import Job
from nhanluc.core.services import run_job, start_job
from tests.factories import TEST_PASSWORD


@task()
def failing_task(job_id: int):
    def work(progress):
        progress.start(10, "Đang thử")
        progress.advance(4)
        raise RuntimeError("hỏng giữa chừng")

    return run_job(job_id, work)


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_reference_reload_runs_as_a_job_with_progress(client, admin_user):
    client.login(username=admin_user.username, password=TEST_PASSWORD)
    response = client.post(reverse("catalogs:reload"))
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("core:job", args=[job.pk])
    assert job.status == JobStatus.QUEUED and job.task_result_id  # enqueued after commit

    page = client.get(reverse("core:job", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in page  # the page keeps polling while the job waits

    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.progress_total == 6 and job.progress_done == 6
    units = job.result["geography"]["units"]
    assert units["created"] + units["unchanged"] == 14175
    page = client.get(reverse("core:job", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "every 1s" not in page and 'aria-valuenow="100"' in page


@pytest.mark.django_db(transaction=True)
def test_failed_job_keeps_its_traceback_and_progress(admin_user):
    job = start_job(task=failing_task, label="Thử lỗi", actor=admin_user)
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "hỏng giữa chừng" in job.error
    assert (job.progress_done, job.progress_total) == (4, 10)


@pytest.mark.django_db
def test_users_follow_only_their_own_jobs(make_user):
    analyst = make_user("province_analyst")
    other = make_user("province_analyst")
    mine = Job.objects.create(kind="k", label="của tôi", created_by=analyst, province_code="31")
    Job.objects.create(kind="k", label="của người khác", created_by=other, province_code="31")
    assert list(Job.objects.visible_to(analyst)) == [mine]
    assert Job.objects.visible_to(make_user("province_admin")).count() == 2


def test_load_reference_task_is_a_django_task():
    assert load_reference_task.name == "load_reference_task"
