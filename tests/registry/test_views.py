"""The officer pages of the register: scoping, filters, masking, access log, forms, exports, import."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nhanluc.core.choices import AccessKind, JobStatus
from nhanluc.core.models import AccessLog, Job
from nhanluc.registry import services
from nhanluc.registry.choices import BatchStatus, ImportLayout
from nhanluc.registry.models import ImportBatch, LaborSituation, Person
from nhanluc.registry.workbook import read_survey_file, write_survey_workbook
from tests.factories import TEST_PASSWORD
from tests.registry.helpers import EMPLOYED, INACTIVE, UNEMPLOYED, person

JULY = datetime.date(2026, 7, 1)


@pytest.fixture
def officer(make_user):
    return make_user("commune_officer", commune_code="10546")


@pytest.fixture
def register(officer):
    """Three people in Chí Linh and one in Thành Đông."""
    people = {
        "employed": services.register_person(
            data=person(EMPLOYED, commune_code="10546"), actor=officer, valid_from=JULY
        ),
        "unemployed": services.register_person(
            data=person(UNEMPLOYED, commune_code="10546", household_number="1"),
            actor=officer,
            valid_from=JULY,
        ),
        "inactive": services.register_person(
            data=person(INACTIVE, commune_code="10546"), actor=officer, valid_from=JULY
        ),
    }
    province = services.register_person(
        data=person(EMPLOYED, commune_code="10507", cccd="030185001111", full_name="Phạm Thị Dung", sex="2"),
        actor=None,
        valid_from=JULY,
    )
    people["elsewhere"] = province
    return people


def signed_in(client, user):
    client.login(username=user.username, password=TEST_PASSWORD)
    return client


def names(response) -> set[str]:
    return {row["full_name"] for row in response.context["rows"]}


@pytest.mark.django_db
def test_commune_officer_sees_only_their_commune(client, officer, register):
    signed_in(client, officer)
    response = client.get(reverse("registry:people"))
    assert names(response) == {"Nguyễn Văn An", "Trần Thị Bình", "Lê Thị Cúc"}
    assert client.get(reverse("registry:person", args=[register["elsewhere"].pk])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "1"}, {"Nguyễn Văn An", "Phạm Thị Dung"}),
        ({"status": "2"}, {"Trần Thị Bình"}),
        ({"sex": "2"}, {"Trần Thị Bình", "Lê Thị Cúc", "Phạm Thị Dung"}),
        ({"age_band": "65+"}, {"Lê Thị Cúc"}),
        ({"age_band": "35-44"}, {"Nguyễn Văn An", "Trần Thị Bình", "Phạm Thị Dung"}),
        ({"qualification": "5"}, {"Nguyễn Văn An", "Phạm Thị Dung"}),
        ({"social_insurance": "yes"}, {"Nguyễn Văn An", "Phạm Thị Dung"}),
        ({"unemployment_insurance": "no"}, {"Trần Thị Bình", "Lê Thị Cúc"}),
        ({"workplace_location": "1"}, {"Nguyễn Văn An", "Phạm Thị Dung"}),
        ({"priority_group": "4"}, {"Nguyễn Văn An", "Phạm Thị Dung"}),
        ({"commune": "10507"}, {"Phạm Thị Dung"}),
        ({"q": "nguyen van an"}, {"Nguyễn Văn An"}),  # without diacritics
        ({"q": "Lê thị"}, {"Lê Thị Cúc"}),
        ({"q": "031190004567"}, {"Trần Thị Bình"}),  # exact CCCD
        ({"q": "03119000456"}, set()),  # 11 digits is not a CCCD, and no name matches
        ({"as_of": "2026-06-30"}, {"Nguyễn Văn An", "Trần Thị Bình", "Lê Thị Cúc", "Phạm Thị Dung"}),
        ({"as_of": "2026-06-30", "status": "1"}, set()),  # nobody's situation had started yet
    ],
)
def test_filters(client, admin_user, register, query, expected):
    signed_in(client, admin_user)
    response = client.get(reverse("registry:people"), query)
    assert response.status_code == 200
    assert names(response) == expected


@pytest.mark.django_db
def test_point_in_time_after_a_change(client, officer, register):
    september = datetime.date(2026, 9, 1)
    services.update_person(
        person=register["unemployed"],
        data=person(
            UNEMPLOYED,
            commune_code="10546",
            household_number="1",
            activity_status="1",
            unemployment_type=None,
            unemployment_duration=None,
            employment_status="2",
            job_title="Bán hàng",
        ),
        actor=officer,
        valid_from=september,
    )
    signed_in(client, officer)
    before = client.get(reverse("registry:people"), {"status": "1", "as_of": "2026-08-31"})
    after = client.get(reverse("registry:people"), {"status": "1", "as_of": "2026-09-01"})
    assert names(before) == {"Nguyễn Văn An"}
    assert names(after) == {"Nguyễn Văn An", "Trần Thị Bình"}


@pytest.mark.django_db
def test_identifiers_are_masked_unless_the_role_needs_them(client, make_user, officer, register):
    employed = register["employed"]
    url = reverse("registry:person", args=[employed.pk])
    page = signed_in(client, officer).get(url).content.decode()
    assert "030085001234" in page and "+84912345678" in page
    client.logout()
    analyst = make_user("province_analyst")
    page = signed_in(client, analyst).get(url).content.decode()
    assert "030085001234" not in page and "030••••••234" in page
    assert "+84912345678" not in page and "+8491•••••78" in page
    assert "Kinh" not in page  # ethnicity is sensitive
    listing = client.get(reverse("registry:people")).content.decode()
    assert "030085001234" not in listing


@pytest.mark.django_db
def test_detail_view_goes_to_the_access_log_with_a_timeline(client, officer, register):
    employed = register["employed"]
    response = signed_in(client, officer).get(reverse("registry:person", args=[employed.pk]))
    entry = AccessLog.objects.get(kind=AccessKind.VIEW)
    assert entry.actor == officer and entry.object_ids == [str(employed.pk)]
    assert len(response.context["timeline"]) == 1
    assert "Có việc làm" in response.content.decode()


@pytest.mark.django_db
def test_search_is_logged(client, officer, register):
    signed_in(client, officer).get(reverse("registry:people"), {"q": "Bình"})
    entry = AccessLog.objects.get(kind=AccessKind.SEARCH)
    assert entry.query == {"q": "Bình"} and entry.record_count == 1


@pytest.mark.django_db
def test_keyset_pages_do_not_overlap_and_cost_constant_queries(client, admin_user, officer):
    for number in range(60):
        Person.objects.create(
            cccd=f"0300850{number:05d}",
            full_name=f"Người {number}",
            search_name=f"nguoi {number}",
            birth_date=datetime.date(1980, 1, 1),
            sex="1",
            province_code="31",
            commune_code="10546",
        )
    signed_in(client, admin_user)
    with CaptureQueriesContext(connection) as first_queries:
        first = client.get(reverse("registry:people"))
    after = first.context["page"].next_after
    second = client.get(reverse("registry:people"), {"after": after})
    first_ids = {row["id"] for row in first.context["rows"]}
    second_ids = {row["id"] for row in second.context["rows"]}
    assert len(first_ids) == 50 and len(second_ids) == 10 and not first_ids & second_ids
    assert len(first_queries) <= 10


@pytest.mark.django_db
def test_csv_export_is_filtered_masked_and_logged(client, make_user, register):
    analyst = make_user("province_analyst")
    response = signed_in(client, analyst).get(reverse("registry:people"), {"status": "1", "export": "csv"})
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0][:2] == ["Số CCCD", "Họ và tên"]
    assert {row[1] for row in rows[1:]} == {"Nguyễn Văn An", "Phạm Thị Dung"}
    assert all("•" in row[0] for row in rows[1:])
    entry = AccessLog.objects.get(kind=AccessKind.EXPORT)
    assert entry.record_count == 2 and entry.query == {"status": "1"}


@pytest.mark.django_db
def test_xlsx_export_in_keyset_batches(client, officer, register, monkeypatch):
    monkeypatch.setattr("nhanluc.registry.exports.EXPORT_BATCH", 2)  # three people: two batches
    response = signed_in(client, officer).get(reverse("registry:people"), {"export": "xlsx"})
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert len(rows) == 4
    assert {row[1] for row in rows[1:]} == {"Nguyễn Văn An", "Trần Thị Bình", "Lê Thị Cúc"}
    assert rows[1][0] == "030085001234"  # the commune officer sees identifiers
    assert AccessLog.objects.get(kind=AccessKind.EXPORT).record_count == 3


@pytest.mark.django_db
def test_create_form_registers_and_shows_rule_errors_on_the_field(client, officer):
    signed_in(client, officer)
    data = {
        **person(EMPLOYED, commune_code="10546", priority_groups=None, ethnicity="01", qualification="5"),
        "valid_from": "2026-07-01",
    }
    data["priority_groups"] = ["1", "4"]
    data["unemployment_insurance"] = "on"
    bad = client.post(reverse("registry:person_create"), {**data, "cccd": "030090001239"})
    assert bad.status_code == 200
    assert "cccd" in bad.context["form"].errors  # digits 5–6 contradict the birth year
    assert not Person.objects.exists()
    good = client.post(reverse("registry:person_create"), data)
    created = Person.objects.get()
    assert good.status_code == 302 and good["Location"] == reverse("registry:person", args=[created.pk])
    assert created.priority_groups == "14"
    assert created.situations.get().unemployment_insurance is True


@pytest.mark.django_db
def test_edit_form_changes_status_from_a_date(client, officer, register):
    employed = register["employed"]
    signed_in(client, officer)
    form = client.get(reverse("registry:person_update", args=[employed.pk])).context["form"]
    data = {key: value for key, value in form.initial.items() if value not in (None, "")}
    data.update(
        valid_from="2026-10-01",
        activity_status="3",
        inactive_reason="1",
        employment_status="",
        job_title="",
        social_insurance_type="",
        contract_type="",
        workplace_name="",
        workplace_type="",
        workplace_address="",
    )
    data.pop("unemployment_insurance", None)
    data.pop("industrial_zone", None)
    response = client.post(reverse("registry:person_update", args=[employed.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    statuses = list(employed.situations.order_by("valid_from").values_list("activity_status", "valid_to"))
    assert statuses == [("1", datetime.date(2026, 10, 1)), ("3", None)]


@pytest.mark.django_db
def test_analyst_cannot_edit(client, make_user, register):
    analyst = make_user("province_analyst")
    signed_in(client, analyst)
    assert client.get(reverse("registry:person_create")).status_code == 403
    assert client.post(reverse("registry:person_decrease", args=[register["employed"].pk])).status_code == 403


@pytest.mark.django_db
def test_decrease_form(client, officer, register):
    employed = register["employed"]
    signed_in(client, officer)
    response = client.post(
        reverse("registry:person_decrease", args=[employed.pk]), {"on": "2026-08-15", "reason": "moved"}
    )
    assert response.status_code == 302
    employed.refresh_from_db()
    assert employed.left_on == datetime.date(2026, 8, 15)
    assert names(client.get(reverse("registry:people"))) == {"Trần Thị Bình", "Lê Thị Cúc"}


@pytest.mark.django_db
def test_occupation_suggestions_for_the_form(client, officer):
    response = signed_in(client, officer).get(
        reverse("registry:suggest"), {"job_title": "thợ hàn"}, HTTP_HX_REQUEST="true"
    )
    assert 'data-occupation="7212"' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("shape", [ImportLayout.SURVEY_TICKS, ImportLayout.SURVEY_CODES])
def test_blank_workbook_is_the_layout_the_import_reads(client, officer, tmp_path, shape):
    response = signed_in(client, officer).get(reverse("registry:blank_template"), {"shape": shape})
    path = tmp_path / "blank.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    survey = read_survey_file(path)
    assert survey.layout == shape and survey.commune_code == "10546" and survey.frame.height == 0


@pytest.mark.django_db
def test_blank_flat_template_csv(client, officer):
    response = signed_in(client, officer).get(
        reverse("registry:blank_template"), {"shape": "flat", "format": "csv"}
    )
    header = b"".join(response.streaming_content).decode().splitlines()[0]
    assert header.startswith("Mã xã nơi ở,Thôn, tổ dân phố".replace(",", ",", 1).split(",")[0])


@pytest.mark.django_db(transaction=True)
def test_upload_runs_the_import_as_a_job(client, reference_data, officer, tmp_path):
    path = tmp_path / "xa.xlsx"
    write_survey_workbook(
        path,
        [EMPLOYED, UNEMPLOYED, person(INACTIVE, cccd="030050000078")],  # the last CCCD says a man
        shape=ImportLayout.SURVEY_TICKS,
        province_name="Thành phố Hải Phòng",
        commune_name="Phường Chí Linh",
        commune_code="10546",
        round_code="2026",
    )
    signed_in(client, officer)
    with path.open("rb") as upload:
        response = client.post(
            reverse("registry:import"), {"file": upload, "new_round": "2026", "mode": "valid"}
        )
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("core:job", args=[job.pk])
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    batch = ImportBatch.objects.get()
    assert job.result["url"] == reverse("registry:batch", args=[batch.pk])
    assert batch.status == BatchStatus.PARTIAL and batch.created_by == officer
    page = client.get(reverse("registry:batch", args=[batch.pk]))
    assert page.context["counts"]["people"] == 2 and page.context["counts"]["employed"] == 1
    errors = client.get(reverse("registry:batch_errors", args=[batch.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(errors.streaming_content)))["Lỗi"]
    assert any("CCCD" in str(cell) for row in sheet.iter_rows(values_only=True) for cell in row)
    assert AccessLog.objects.filter(kind=AccessKind.EXPORT, object_type="registry.importbatch").exists()
    assert LaborSituation.objects.count() == 2


@pytest.mark.django_db
def test_commune_officer_import_form_has_no_commune_choice(client, officer):
    response = signed_in(client, officer).get(reverse("registry:import"))
    assert "commune" not in response.context["form"].fields
    bad = client.post(reverse("registry:import"), {"mode": "all"})
    assert "file" in bad.context["form"].errors and "survey_round" in bad.context["form"].errors


@pytest.mark.django_db
def test_address_review_queue(client, officer):
    from tests.registry.test_services import split_ward_address

    created = services.register_person(
        data=person(EMPLOYED, commune_code="10546", permanent_address=split_ward_address()),
        actor=officer,
        valid_from=JULY,
    )
    signed_in(client, officer)
    page = client.get(reverse("registry:address_reviews"))
    review = page.context["reviews"][0]
    assert review.person == created
    response = client.post(
        reverse("registry:address_reviews"), {"review": review.pk, "commune_code": review.candidates[-1]}
    )
    assert response.status_code == 302
    created.refresh_from_db()
    assert created.permanent_commune_code == review.candidates[-1]
    assert client.get(reverse("registry:address_reviews")).context["open_count"] == 0
