"""The labour supply register (TT 01/2022/TT-BLĐTBXH Điều 6–7): people aged 15+ and their labour situation.

`Person` holds what rarely changes; `LaborSituation` holds everything that does, effective-dated, so
"who was employed on 30/06/2026" is answered from the rows valid on that date.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nhanluc.catalogs.choices import (
    ActivityStatus,
    ContractType,
    EmploymentStatus,
    EnterpriseOwnership,
    Ethnicity,
    GeneralEducation,
    InactiveReason,
    Qualification,
    RelationToHead,
    Sex,
    SocialInsuranceType,
    UnemploymentDuration,
    UnemploymentType,
    WorkplaceType,
)
from nhanluc.registry.choices import (
    BatchStatus,
    ChangeKind,
    DecreaseReason,
    ImportLayout,
    ImportMode,
    PovertyStatus,
    ReviewStatus,
    SourceKind,
    WorkplaceLocation,
)
from nhanluc.registry.profiles import profile_key_of
from nhanluc.registry.querysets import (
    AddressReviewQuerySet,
    HouseholdQuerySet,
    ImportBatchQuerySet,
    LaborSituationQuerySet,
    PersonQuerySet,
    SurveyRoundQuerySet,
)

# The end a uniqueness check gives an open situation: after every real end.
OPEN_END = datetime.date(9999, 12, 31)


class SurveyRound(models.Model):
    """A survey round (kỳ điều tra): its reference date is when the situations it records take effect."""

    province_code = models.CharField(_("mã tỉnh"), max_length=2)
    code = models.CharField(_("mã kỳ"), max_length=16)
    name = models.CharField(_("tên kỳ điều tra"), max_length=128)
    reference_date = models.DateField(_("thời điểm điều tra"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SurveyRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("kỳ điều tra")
        verbose_name_plural = _("kỳ điều tra")
        constraints = [
            models.UniqueConstraint(fields=["province_code", "code"], name="registry_round_province_code")
        ]
        ordering = ["-reference_date"]

    def __str__(self):
        return self.name


class Household(models.Model):
    """A household as the commune numbers it on the survey form (số hộ)."""

    province_code = models.CharField(_("mã tỉnh"), max_length=2)
    commune_code = models.CharField(_("mã xã"), max_length=5)
    number = models.CharField(_("số hộ"), max_length=32)
    # Sensitive (NĐ 13/2023: poverty status reveals a household's economic situation): masked by role.
    poverty_status = models.CharField(
        _("hộ nghèo, cận nghèo"), max_length=16, choices=PovertyStatus.choices, blank=True
    )

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("hộ gia đình")
        verbose_name_plural = _("hộ gia đình")
        constraints = [
            models.UniqueConstraint(fields=["commune_code", "number"], name="registry_household_number")
        ]

    def __str__(self):
        return f"{self.commune_code}/{self.number}"


class Person(models.Model):
    """A resident aged 15+, keyed by the personal identification number (CCCD)."""

    # Unique through a constraint, not `unique=True`: on PostgreSQL that would add a second index for
    # LIKE queries, which a million-row import pays for and no CCCD lookup uses (they are exact).
    cccd = models.CharField(_("số CCCD/định danh"), max_length=12)
    full_name = models.CharField(_("họ và tên"), max_length=100)
    search_name = models.CharField(max_length=100, editable=False)
    birth_date = models.DateField(_("ngày sinh"))
    sex = models.CharField(_("giới tính"), max_length=1, choices=Sex.choices)
    # Sensitive: ethnic origin (NĐ 13/2023 Điều 2.4).
    ethnicity = models.CharField(_("dân tộc"), max_length=2, choices=Ethnicity.choices, blank=True)
    # No database constraint, like a situation's reference to its person (see there).
    household = models.ForeignKey(
        Household,
        verbose_name=_("hộ gia đình"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        db_constraint=False,
    )
    relation_to_head = models.CharField(
        _("quan hệ với chủ hộ"), max_length=1, choices=RelationToHead.choices, blank=True
    )
    # Where the person actually lives: a current-scheme commune, which also scopes who may see them.
    province_code = models.CharField(_("mã tỉnh"), max_length=2)
    commune_code = models.CharField(_("mã xã"), max_length=5)
    hamlet = models.CharField(_("thôn, tổ dân phố"), max_length=100, blank=True)
    current_address = models.CharField(_("nơi ở hiện tại"), max_length=255, blank=True)
    # As written on the form (possibly a pre-2025 address) and the current-scheme commune it converts to.
    permanent_address = models.CharField(_("nơi thường trú"), max_length=255, blank=True)
    permanent_province_code = models.CharField(max_length=2, blank=True)
    permanent_commune_code = models.CharField(max_length=5, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=16, blank=True)
    bhxh_number = models.CharField(_("mã số BHXH"), max_length=10, blank=True)
    # Priority-group codes (PriorityGroup, one digit each), sorted: "14" = poor household + ethnic minority.
    # Sensitive (poverty, disability): masked by role.
    priority_groups = models.CharField(_("đối tượng ưu tiên"), max_length=8, blank=True)
    left_on = models.DateField(_("ngày ra khỏi địa bàn"), null=True, blank=True)
    left_reason = models.CharField(_("lý do giảm"), max_length=16, choices=DecreaseReason.choices, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("người lao động")
        verbose_name_plural = _("người lao động")
        constraints = [models.UniqueConstraint(fields=["cccd"], name="registry_person_cccd")]
        # No index on search_name: a name search is a substring match, which a b-tree cannot serve.
        # None on province_code either: a deployment holds one province, where such an index repeats
        # the primary key's order, and every insert paid for it (a tenth of a large import's writes).
        indexes = [models.Index(fields=["commune_code", "id"], name="registry_person_commune")]

    def __str__(self):
        return self.full_name

    def age_on(self, day: datetime.date) -> int:
        before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - before_birthday

    def copy_identity_to_situations(self) -> None:
        """After a corrected sex or date of birth: the copies on the situations, and their profile."""
        situations = list(self.situations.all())
        for situation in situations:
            situation.sex = self.sex
            situation.birth_date = self.birth_date
            situation.profile_key = profile_key_of(situation)
        LaborSituation.objects.bulk_update(situations, ["sex", "birth_date", "profile_key"])


class ImportBatch(models.Model):
    """One imported file: what it held, what it changed, and the error workbook it produced."""

    survey_round = models.ForeignKey(
        SurveyRound, verbose_name=_("kỳ điều tra"), on_delete=models.PROTECT, related_name="batches"
    )
    province_code = models.CharField(_("mã tỉnh"), max_length=2)
    commune_code = models.CharField(_("mã xã"), max_length=5, blank=True)
    file_name = models.CharField(_("tên tệp"), max_length=255)
    file_sha256 = models.CharField(max_length=64)
    layout = models.CharField(_("dạng tệp"), max_length=16, choices=ImportLayout.choices, blank=True)
    mode = models.CharField(_("cách nhập"), max_length=8, choices=ImportMode.choices)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=BatchStatus.choices, default=BatchStatus.VALIDATING
    )
    summary = models.JSONField(_("tổng hợp"), default=dict, blank=True)
    error_file = models.FileField(_("tệp lỗi"), upload_to="import-errors/%Y/%m/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # When the import began; the row itself is written when it ends (registry.imports).
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now, editable=False)
    finished_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("lượt nhập tệp")
        verbose_name_plural = _("lượt nhập tệp")
        ordering = ["-created_at"]

    def __str__(self):
        return self.file_name


class LaborSituation(models.Model):
    """A person's labour situation from `valid_from` until the day before `valid_to` (open when null)."""

    # Not indexed on its own: the unique (person, end) index serves every lookup by person.
    # No database constraint: PostgreSQL checks one per row when the transaction commits, and locks the
    # person's row to do it: a fifth of a survey import's time. Every writer takes the id from a person
    # it has just written or read in the same transaction, and Django deletes a person's situations
    # with the person (tests/registry/test_reimport.py).
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="situations", db_index=False, db_constraint=False
    )
    province_code = models.CharField(_("mã tỉnh"), max_length=2)
    commune_code = models.CharField(_("mã xã"), max_length=5)
    # Copies of the person's sex and date of birth, so that indicators count by sex and age from this
    # table alone (a join with a million people triples the time of the count). The writers keep them
    # in step: registry.services and the import set them and correct them with the person's record.
    sex = models.CharField(max_length=1, choices=Sex.choices, blank=True, editable=False)
    birth_date = models.DateField(null=True, blank=True, editable=False)
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hiệu lực đến (không kể)"), null=True, blank=True)
    source = models.CharField(_("nguồn"), max_length=8, choices=SourceKind.choices)
    change_kind = models.CharField(_("loại biến động"), max_length=8, choices=ChangeKind.choices)
    # Neither an index nor a database constraint on the round or the batch: nothing looks situations
    # up by them, and a million-row import paid for both on every row (PostgreSQL checks a constraint
    # per row when the transaction commits: a quarter of an import's commit). Django still protects
    # the round and clears the batch when either is deleted, scanning the table (rare).
    survey_round = models.ForeignKey(
        SurveyRound,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="situations",
        db_index=False,
        db_constraint=False,
    )
    batch = models.ForeignKey(
        ImportBatch,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="situations",
        db_index=False,
        db_constraint=False,
    )

    general_education = models.CharField(
        _("trình độ giáo dục phổ thông"), max_length=1, choices=GeneralEducation.choices, blank=True
    )
    qualification = models.CharField(
        _("trình độ chuyên môn kỹ thuật"), max_length=1, choices=Qualification.choices, blank=True
    )
    training_field_code = models.CharField(_("chuyên ngành đào tạo"), max_length=10, blank=True)
    activity_status = models.CharField(
        _("tình trạng hoạt động kinh tế"), max_length=1, choices=ActivityStatus.choices
    )
    # Employed
    employment_status = models.CharField(
        _("vị thế việc làm"), max_length=1, choices=EmploymentStatus.choices, blank=True
    )
    job_title = models.CharField(_("công việc cụ thể"), max_length=255, blank=True)
    occupation_code = models.CharField(_("mã nghề (VSCO 2020)"), max_length=5, blank=True)
    industry_code = models.CharField(_("mã ngành (VSIC 2018)"), max_length=5, blank=True)
    social_insurance_type = models.CharField(
        _("tham gia BHXH"), max_length=1, choices=SocialInsuranceType.choices, blank=True
    )
    unemployment_insurance = models.BooleanField(_("tham gia BHTN"), default=False)
    contract_type = models.CharField(
        _("hợp đồng lao động"), max_length=1, choices=ContractType.choices, blank=True
    )
    workplace_name = models.CharField(_("nơi làm việc"), max_length=255, blank=True)
    workplace_type = models.CharField(
        _("loại hình nơi làm việc"), max_length=1, choices=WorkplaceType.choices, blank=True
    )
    enterprise_ownership = models.CharField(
        _("loại hình doanh nghiệp"), max_length=1, choices=EnterpriseOwnership.choices, blank=True
    )
    workplace_address = models.CharField(_("địa chỉ nơi làm việc"), max_length=255, blank=True)
    workplace_location = models.CharField(
        _("nơi làm việc thuộc"), max_length=1, choices=WorkplaceLocation.choices, blank=True
    )
    workplace_province_code = models.CharField(max_length=2, blank=True)
    workplace_in_industrial_zone = models.BooleanField(_("làm việc trong khu công nghiệp"), default=False)
    # Unemployed
    unemployment_type = models.CharField(
        _("loại thất nghiệp"), max_length=1, choices=UnemploymentType.choices, blank=True
    )
    unemployment_duration = models.CharField(
        _("thời gian thất nghiệp"), max_length=1, choices=UnemploymentDuration.choices, blank=True
    )
    # Inactive
    inactive_reason = models.CharField(
        _("lý do không tham gia"), max_length=1, choices=InactiveReason.choices, blank=True
    )
    training_need = models.CharField(_("nhu cầu đào tạo"), max_length=255, blank=True)
    job_need = models.CharField(_("nhu cầu việc làm"), max_length=255, blank=True)
    recorded_at = models.DateTimeField(_("ghi nhận lúc"), auto_now_add=True)
    # The attributes the indicators count by, a digit each (registry.profiles): `save` computes it, the
    # bulk writers add it to their frames.
    profile_key = models.BigIntegerField(editable=False)

    objects = LaborSituationQuerySet.as_manager()

    class Meta:
        verbose_name = _("tình trạng việc làm")
        verbose_name_plural = _("tình trạng việc làm")
        constraints = [
            # One index for both guarantees on a person's periods: at most one open situation (an
            # open end counts as the last day, so two open ends collide) and no two ending on the same
            # day. It replaced a unique (person, valid_from) index beside a partial "one open" index:
            # a survey import writes every index once per row, and one index fewer took about 5% of
            # the database server's CPU off a 1 M-row import (docs/import-survey.md §15, session 27).
            # Two situations starting on the same day are refused by the services, which edit the
            # current situation in place when the date is its own.
            models.UniqueConstraint(
                "person",
                Coalesce("valid_to", Value(OPEN_END)),
                name="registry_situation_person_end",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="registry_situation_period",
            ),
        ]
        indexes = [
            # The point-in-time query: commune + status, then the validity window. On SQLite, migration
            # 0009 adds the profile, date of birth, sex and province after the status, so that the
            # index covers the indicators' count; PostgreSQL, which never reads them, would pay for
            # them on every import (docs/indicators.md §13).
            models.Index(
                fields=["commune_code", "activity_status", "valid_from", "valid_to"],
                name="registry_situation_asof",
            ),
            # None led by province_code, as on Person: the province's counts read nearly every row, and
            # a scan of the table serves them better than an index would.
        ]
        ordering = ["person_id", "-valid_from"]

    def __str__(self):
        return f"{self.person_id} {self.valid_from}–{self.valid_to or ''} {self.activity_status}"

    def save(self, **kwargs):
        self.profile_key = profile_key_of(self)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "profile_key"}
        super().save(**kwargs)


class AddressReview(models.Model):
    """A pre-2025 address whose commune was split: an officer picks the current commune."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="address_reviews")
    batch = models.ForeignKey(ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    province_code = models.CharField(max_length=2)
    commune_code = models.CharField(max_length=5)
    field = models.CharField(_("trường địa chỉ"), max_length=32)
    address_text = models.CharField(_("địa chỉ ghi trên phiếu"), max_length=255)
    legacy_commune_code = models.CharField(_("mã xã cũ"), max_length=5)
    candidates = models.JSONField(_("các xã mới có thể"), default=list)
    status = models.CharField(max_length=8, choices=ReviewStatus.choices, default=ReviewStatus.OPEN)
    resolved_commune_code = models.CharField(max_length=5, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AddressReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("địa chỉ cần xác định lại")
        verbose_name_plural = _("địa chỉ cần xác định lại")
        constraints = [
            models.UniqueConstraint(fields=["person", "field"], name="registry_review_person_field")
        ]

    def __str__(self):
        return f"{self.person_id} {self.field} {self.legacy_commune_code}"
