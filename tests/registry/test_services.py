"""Register, update and record a decrease: the same rules as the import, with their audit rows."""

import datetime

import pytest

from nhanluc.core.choices import AuditAction
from nhanluc.core.models import AuditEvent
from nhanluc.registry import services
from nhanluc.registry.choices import ChangeKind, ReviewStatus
from nhanluc.registry.models import AddressReview, LaborSituation, Person
from tests.registry.helpers import EMPLOYED, INACTIVE, UNEMPLOYED, person

pytestmark = pytest.mark.django_db

JULY = datetime.date(2026, 7, 1)
SEPTEMBER = datetime.date(2026, 9, 1)
NOT_EMPLOYED = dict(
    employment_status=None,
    job_title=None,
    social_insurance_type=None,
    unemployment_insurance=None,
    contract_type=None,
    workplace_name=None,
    workplace_type=None,
    workplace_address=None,
)


@pytest.fixture
def officer(make_user):
    return make_user("commune_officer", commune_code="10546")


def test_register_person_writes_person_situation_household_and_audit(officer):
    created = services.register_person(
        data=person(EMPLOYED, commune_code="10546"), actor=officer, valid_from=JULY
    )
    assert created.phone == "+84912345678" and created.priority_groups == "14"
    assert created.household.number == "1" and created.search_name == "nguyen van an"
    situation = created.situations.get()
    assert (situation.valid_from, situation.valid_to, situation.change_kind) == (
        JULY,
        None,
        ChangeKind.INCREASE,
    )
    assert situation.occupation_code == "7212"  # "Thợ hàn" coded to VSCO through the suggester
    assert situation.workplace_location == "1"
    event = AuditEvent.objects.get(object_type="registry.person", object_id=str(created.pk))
    assert event.action == AuditAction.CREATE and event.actor == officer
    assert event.changes["change_kind"] == [None, "increase"]
    assert created.permanent_commune_code == "10546"  # Xã Cổ Thành (Hải Dương) is now part of Chí Linh


def test_register_refuses_what_the_import_refuses(officer):
    with pytest.raises(services.RecordInvalid) as refused:
        services.register_person(
            data=person(UNEMPLOYED, commune_code="10546", job_title="Thợ hàn", cccd="031190004560"),
            actor=officer,
            valid_from=JULY,
        )
    assert "job_title" in refused.value.problems  # unemployed ⇒ no employment fields
    with pytest.raises(services.RecordInvalid) as refused:
        services.register_person(
            data=person(INACTIVE, commune_code="10546", birth_date="02/09/2015"),
            actor=officer,
            valid_from=JULY,
        )
    assert "birth_date" in refused.value.problems  # under 15 on the date
    assert not Person.objects.exists()


def test_register_refuses_a_cccd_already_in_the_register(officer):
    services.register_person(data=person(EMPLOYED, commune_code="10546"), actor=officer, valid_from=JULY)
    with pytest.raises(services.RecordInvalid) as refused:
        services.register_person(data=person(EMPLOYED, commune_code="10546"), actor=officer, valid_from=JULY)
    assert "cccd" in refused.value.problems
    assert Person.objects.count() == 1


def test_commune_officer_cannot_register_in_another_commune(officer):
    with pytest.raises(PermissionError):
        services.register_person(data=person(EMPLOYED, commune_code="10507"), actor=officer, valid_from=JULY)


def test_update_opens_a_new_situation_and_keeps_the_old_one(officer):
    created = services.register_person(
        data=person(EMPLOYED, commune_code="10546"), actor=officer, valid_from=JULY
    )
    changes = services.update_person(
        person=created,
        data=person(
            EMPLOYED,
            commune_code="10546",
            activity_status="2",
            unemployment_type="2",
            unemployment_duration="1",
            **NOT_EMPLOYED,
        ),
        actor=officer,
        valid_from=SEPTEMBER,
    )
    assert changes["activity_status"] == ["1", "2"]
    rows = list(
        created.situations.order_by("valid_from").values_list("valid_from", "valid_to", "activity_status")
    )
    assert rows == [(JULY, SEPTEMBER, "1"), (SEPTEMBER, None, "2")]
    # Who was employed on 31/08 still answers from the closed situation.
    assert LaborSituation.objects.as_of(datetime.date(2026, 8, 31)).employed().filter(person=created).exists()
    assert not LaborSituation.objects.as_of(SEPTEMBER).employed().filter(person=created).exists()
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(created.pk)).count() == 1


def test_a_corrected_birth_date_reaches_the_situations_copies(officer):
    created = services.register_person(
        data=person(EMPLOYED, commune_code="10546"), actor=officer, valid_from=JULY
    )
    assert created.situations.get().birth_date == datetime.date(1985, 3, 12)
    services.update_person(
        person=created,
        data=person(EMPLOYED, commune_code="10546", birth_date="13/03/1985"),
        actor=officer,
        valid_from=JULY,
    )
    assert created.situations.get().birth_date == datetime.date(1985, 3, 13)
    assert created.situations.get().sex == "1"


def test_update_on_the_same_date_corrects_in_place_and_no_change_writes_nothing(officer):
    created = services.register_person(
        data=person(EMPLOYED, commune_code="10546"), actor=officer, valid_from=JULY
    )
    assert (
        services.update_person(
            person=created, data=person(EMPLOYED, commune_code="10546"), actor=officer, valid_from=SEPTEMBER
        )
        == {}
    )
    changes = services.update_person(
        person=created,
        data=person(EMPLOYED, commune_code="10546", full_name="Nguyễn Văn Ân", contract_type="2"),
        actor=officer,
        valid_from=JULY,
    )
    assert changes["full_name"] == ["Nguyễn Văn An", "Nguyễn Văn Ân"] and changes["contract_type"] == [
        "1",
        "2",
    ]
    assert created.situations.count() == 1
    assert created.situations.get().contract_type == "2"


def test_update_before_the_current_situation_is_refused(officer):
    created = services.register_person(
        data=person(EMPLOYED, commune_code="10546"), actor=officer, valid_from=SEPTEMBER
    )
    with pytest.raises(services.RecordInvalid) as refused:
        services.update_person(
            person=created, data=person(EMPLOYED, commune_code="10546"), actor=officer, valid_from=JULY
        )
    assert "valid_from" in refused.value.problems


def test_record_decrease_closes_the_situation(officer):
    created = services.register_person(
        data=person(EMPLOYED, commune_code="10546"), actor=officer, valid_from=JULY
    )
    services.record_decrease(person=created, reason="moved", on=SEPTEMBER, actor=officer)
    created.refresh_from_db()
    assert created.left_on == SEPTEMBER
    assert created.situations.get().valid_to == SEPTEMBER
    assert not Person.objects.present().exists()
    with pytest.raises(services.RecordInvalid):
        services.record_decrease(person=created, reason="moved", on=SEPTEMBER, actor=officer)
    event = AuditEvent.objects.filter(object_id=str(created.pk)).latest("at")
    assert event.changes["change_kind"] == [None, "decrease"]


def split_ward_address() -> str:
    from nhanluc.geo.models import UnitSuccession

    split = (
        UnitSuccession.objects.filter(partial=True, old__province_code="30", old__level="commune")
        .select_related("old", "old__parent")
        .first()
    )
    return f"{split.old.name}, {split.old.parent.name}, Tỉnh Hải Dương"


def test_resolving_an_address_review_sets_the_current_commune(officer):
    created = services.register_person(
        data=person(EMPLOYED, commune_code="10546", permanent_address=split_ward_address()),
        actor=officer,
        valid_from=JULY,
    )
    # A split legacy ward goes to the review queue, as in an import.
    review = AddressReview.objects.get(person=created, status=ReviewStatus.OPEN)
    with pytest.raises(services.RecordInvalid):
        services.resolve_address_review(review=review, commune_code="99999", actor=officer)
    services.resolve_address_review(review=review, commune_code=review.candidates[0], actor=officer)
    created.refresh_from_db()
    review.refresh_from_db()
    assert created.permanent_commune_code == review.candidates[0]
    assert review.status == ReviewStatus.RESOLVED
