"""Writes to the register from a form, the API or a page: register, update, record a decrease.

Each function checks the record with the same rules as an import (`rules.validate` on a one-row frame),
writes, and files its audit rows in the same transaction. Bulk imports live in `imports.py`.
"""

import datetime
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from nhanluc.core.choices import AuditAction, Role
from nhanluc.core.services import note_data_change, record_event, start_job
from nhanluc.core.text import fold
from nhanluc.geo.addresses import shared_address_index
from nhanluc.registry.choices import ChangeKind, DecreaseReason, ReviewStatus, SourceKind
from nhanluc.registry.fields import FIELDS
from nhanluc.registry.import_writes import PERSON_FIELDS, SITUATION_FIELDS, person_columns, situation_columns
from nhanluc.registry.imports import rule_context
from nhanluc.registry.models import AddressReview, Household, LaborSituation, Person, SurveyRound
from nhanluc.registry.rules import ERROR, Validation, validate
from nhanluc.registry.tasks import import_survey_task

# Who may change the register by hand: the commune officer for their commune, the province administrator.
REGISTER_EDITORS = frozenset({Role.PROVINCE_ADMIN, Role.COMMUNE_OFFICER})


def can_edit_register(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role in REGISTER_EDITORS))


class RecordInvalid(Exception):
    """The record breaks a rule; `problems` maps a field key to its messages in the page's language."""

    def __init__(self, problems: dict[str, list[str]]):
        super().__init__("; ".join(message for messages in problems.values() for message in messages))
        self.problems = problems


@dataclass
class CheckedRecord:
    row: dict  # the cleaned row, as an import would store it
    errors: dict[str, list[str]]
    warnings: dict[str, list[str]]


def _messages_by_field(problems: pl.DataFrame) -> dict[str, list[str]]:
    column = "message_en" if (get_language() or "vi").startswith("en") else "message_vi"
    found: dict[str, list[str]] = {}
    for key, message in problems.select("field", column).iter_rows():
        found.setdefault(key, []).append(message)
    return found


def check_record(
    data: dict,
    *,
    reference_date: datetime.date,
    province_code: str,
    commune_code: str = "",
    person: Person | None = None,
) -> CheckedRecord:
    """Run the import's rules on one record given as text values keyed like `fields.FIELDS`."""
    raw = pl.DataFrame(
        {spec.key: [str(data.get(spec.key) or "").strip() or None] for spec in FIELDS},
        schema={spec.key: pl.Utf8 for spec in FIELDS},
    )
    context = rule_context(
        reference_date=reference_date,
        province_code=province_code,
        commune_code=commune_code,
        addresses=shared_address_index(),
    )
    if person is not None:
        # The person's own record is not a duplicate of itself.
        registered = context.registered_commune
        context.registered_commune = lambda cccds: {
            cccd: commune for cccd, commune in registered(cccds).items() if cccd != person.cccd
        }
    validation: Validation = validate(raw, context)
    problems = validation.problems
    return CheckedRecord(
        row=validation.rows.row(0, named=True),
        errors=_messages_by_field(problems.filter(pl.col("severity") == ERROR)),
        warnings=_messages_by_field(problems.filter(pl.col("severity") != ERROR)),
    )


def _checked(data, *, valid_from, province_code, commune_code, person=None) -> tuple[dict, dict]:
    checked = check_record(
        data,
        reference_date=valid_from,
        province_code=province_code,
        commune_code=commune_code,
        person=person,
    )
    if checked.errors:
        raise RecordInvalid(checked.errors)
    frame = pl.DataFrame([checked.row])
    people = person_columns(frame, province_code).row(0, named=True)
    situation = situation_columns(frame).row(0, named=True)
    return people, situation


def _household(person_values: dict, province_code: str) -> Household | None:
    number = person_values["household_number"]
    if not number:
        return None
    household, _created = Household.objects.get_or_create(
        commune_code=person_values["commune_code"],
        number=number,
        defaults={"province_code": province_code},
    )
    return household


def _plain(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


def _open_review(person: Person, values: dict, province_code: str) -> None:
    if not values["review_legacy_code"]:
        return
    AddressReview.objects.update_or_create(
        person=person,
        field="permanent_address",
        defaults={
            "province_code": province_code,
            "commune_code": person.commune_code,
            "address_text": person.permanent_address[:255],
            "legacy_commune_code": values["review_legacy_code"],
            "candidates": [code for code in values["review_candidates"].split(",") if code],
            "status": ReviewStatus.OPEN,
            "resolved_commune_code": "",
        },
    )


def _new_situation(person: Person, situation: dict, *, valid_from, change_kind, source) -> LaborSituation:
    return LaborSituation.objects.create(
        person=person,
        province_code=person.province_code,
        commune_code=person.commune_code,
        sex=person.sex,
        birth_date=person.birth_date,
        valid_from=valid_from,
        source=source,
        change_kind=change_kind,
        **{name: situation[name] for name in SITUATION_FIELDS},
    )


def register_person(
    *,
    data: dict,
    actor,
    valid_from: datetime.date,
    province_code: str | None = None,
    source: str = SourceKind.UPDATE,
    via: str = "web",
) -> Person:
    """A person new to the register (biến động tăng): their record and their first labour situation."""
    province_code = province_code or settings.NHANLUC_PROVINCE
    commune_code = actor.commune_code if actor is not None and actor.commune_code else ""
    if commune_code and data.get("commune_code") and data["commune_code"] != commune_code:
        raise PermissionError(_("Cán bộ xã chỉ nhập dữ liệu của xã mình"))
    values, situation = _checked(
        data, valid_from=valid_from, province_code=province_code, commune_code=commune_code
    )
    if Person.objects.filter(cccd=values["cccd"]).exists():
        raise RecordInvalid({"cccd": [_("Số CCCD đã có trong sổ đăng ký; hãy cập nhật hồ sơ đó")]})
    with transaction.atomic():
        person = Person(cccd=values["cccd"], household=_household(values, province_code))
        for name in PERSON_FIELDS:
            if name != "household_id":
                setattr(person, name, values[name])
        person.province_code = province_code
        person.search_name = fold(person.full_name)[:100]
        person.save()
        opened = _new_situation(
            person, situation, valid_from=valid_from, change_kind=ChangeKind.INCREASE, source=source
        )
        _open_review(person, values, province_code)
        note_data_change(domain="register", province_code=province_code, units=[person.commune_code])
        record_event(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="registry.person",
            object_id=person.pk,
            object_repr=person.full_name,
            changes={
                "change_kind": [None, ChangeKind.INCREASE.value],
                "valid_from": [None, valid_from.isoformat()],
                "activity_status": [None, opened.activity_status],
            },
            source=via,
            province_code=province_code,
            commune_code=person.commune_code,
        )
    return person


def update_person(
    *,
    person: Person,
    data: dict,
    actor,
    valid_from: datetime.date,
    source: str = SourceKind.UPDATE,
    via: str = "web",
) -> dict:
    """A change to a person's record (biến động cập nhật); returns what changed, old → new.

    Identity fields are corrected in place. A different labour situation from `valid_from` closes the
    open one the day before and opens a new one; on the open situation's own start date it is a
    correction of that situation.
    """
    if person.left_on:
        raise RecordInvalid({"": [_("Người này đã được ghi giảm; không cập nhật được")]})
    commune_code = actor.commune_code if actor is not None and actor.commune_code else ""
    if commune_code and data.get("commune_code") and data["commune_code"] != commune_code:
        raise PermissionError(_("Cán bộ xã chỉ nhập dữ liệu của xã mình"))
    data = {**data, "cccd": person.cccd}  # the key of the register never changes through an edit
    values, situation = _checked(
        data,
        valid_from=valid_from,
        province_code=person.province_code,
        commune_code=commune_code or person.commune_code,
        person=person,
    )
    current = person.situations.filter(valid_to__isnull=True).first()
    if current is not None and valid_from < current.valid_from:
        raise RecordInvalid(
            {
                "valid_from": [
                    _("Ngày hiệu lực phải từ %(day)s trở đi (ngày của tình trạng hiện tại)")
                    % {"day": current.valid_from.strftime("%d/%m/%Y")}
                ]
            }
        )
    changes: dict = {}
    with transaction.atomic():
        communes_before = person.commune_code
        household = _household(values, person.province_code)
        values["household_id"] = household.pk if household else None
        for name in PERSON_FIELDS:
            old = getattr(person, name)
            if old != values[name]:
                changes[name] = [_plain(old), _plain(values[name])]
                setattr(person, name, values[name])
        if changes:
            person.search_name = fold(person.full_name)[:100]
            person.save()
            if "sex" in changes or "birth_date" in changes:
                person.copy_identity_to_situations()
        _open_review(person, values, person.province_code)
        old_values = {name: getattr(current, name) for name in SITUATION_FIELDS} if current else {}
        situation_changes = {
            name: [old_values.get(name), situation[name]]
            for name in SITUATION_FIELDS
            if old_values.get(name) != situation[name]
        }
        if current is None or situation_changes:
            if current is not None and current.valid_from == valid_from:
                for name in SITUATION_FIELDS:
                    setattr(current, name, situation[name])
                current.commune_code = person.commune_code
                current.save()
            else:
                if current is not None:
                    current.valid_to = valid_from
                    current.save(update_fields=["valid_to"])
                _new_situation(
                    person, situation, valid_from=valid_from, change_kind=ChangeKind.UPDATE, source=source
                )
                situation_changes["valid_from"] = [
                    current.valid_from.isoformat() if current else None,
                    valid_from.isoformat(),
                ]
        changes.update(situation_changes)
        if changes:
            note_data_change(
                domain="register",
                province_code=person.province_code,
                units=[communes_before, person.commune_code],
            )
            record_event(
                actor=actor,
                action=AuditAction.UPDATE,
                object_type="registry.person",
                object_id=person.pk,
                object_repr=person.full_name,
                changes={"change_kind": [None, ChangeKind.UPDATE.value], **changes},
                source=via,
                province_code=person.province_code,
                commune_code=person.commune_code,
            )
    return changes


def record_decrease(*, person: Person, reason: str, on: datetime.date, actor, via: str = "web") -> None:
    """The person left the area or died (biến động giảm): their open situation ends on `on`."""
    if reason not in DecreaseReason.values:
        raise RecordInvalid({"reason": [_("Lý do giảm không hợp lệ")]})
    if person.left_on:
        raise RecordInvalid({"": [_("Người này đã được ghi giảm")]})
    current = person.situations.filter(valid_to__isnull=True).first()
    if current is not None and on <= current.valid_from:
        raise RecordInvalid(
            {
                "on": [
                    _("Ngày giảm phải sau %(day)s (ngày của tình trạng hiện tại)")
                    % {"day": current.valid_from.strftime("%d/%m/%Y")}
                ]
            }
        )
    if on > timezone.localdate():
        raise RecordInvalid({"on": [_("Ngày giảm không được sau hôm nay")]})
    with transaction.atomic():
        person.left_on = on
        person.left_reason = reason
        person.save(update_fields=["left_on", "left_reason", "updated_at"])
        if current is not None:
            current.valid_to = on
            current.save(update_fields=["valid_to"])
        note_data_change(domain="register", province_code=person.province_code, units=[person.commune_code])
        record_event(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="registry.person",
            object_id=person.pk,
            object_repr=person.full_name,
            changes={
                "change_kind": [None, ChangeKind.DECREASE.value],
                "left_on": [None, on.isoformat()],
                "left_reason": [None, reason],
            },
            source=via,
            province_code=person.province_code,
            commune_code=person.commune_code,
        )


def resolve_address_review(*, review: AddressReview, commune_code: str, actor) -> None:
    """An officer picks which of the split commune's successors the written address now belongs to."""
    if commune_code not in review.candidates:
        raise RecordInvalid({"commune_code": [_("Chọn một trong các xã mới được đề xuất")]})
    with transaction.atomic():
        person = review.person
        old = person.permanent_commune_code
        person.permanent_commune_code = commune_code
        person.save(update_fields=["permanent_commune_code", "updated_at"])
        review.status = ReviewStatus.RESOLVED
        review.resolved_commune_code = commune_code
        review.save(update_fields=["status", "resolved_commune_code"])
        record_event(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="registry.person",
            object_id=person.pk,
            object_repr=person.full_name,
            changes={"permanent_commune_code": [old, commune_code]},
            source="web",
            province_code=person.province_code,
            commune_code=person.commune_code,
        )


def start_survey_import(*, upload, survey_round: SurveyRound, actor, commune_code: str, mode: str):
    """Keep the uploaded file where the worker can read it and queue the import as a job."""
    folder = Path(settings.MEDIA_ROOT) / "import-uploads"
    folder.mkdir(parents=True, exist_ok=True)
    suffix = Path(upload.name).suffix.lower()
    path = folder / f"{timezone.now():%Y%m%d%H%M%S}-{actor.pk}-{fold(Path(upload.name).stem)[:40]}{suffix}"
    path = path.with_name(path.name.replace(" ", "-"))
    with path.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return start_job(
        task=import_survey_task,
        label=_("Nhập tệp %(name)s") % {"name": upload.name},
        actor=actor,
        path=str(path),
        round_id=survey_round.pk,
        commune_code=commune_code,
        mode=mode,
        file_name=upload.name,
    )
