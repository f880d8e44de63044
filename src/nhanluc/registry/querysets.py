import datetime

from django.db.models import Q
from django.db.models.lookups import GreaterThan, LessThanOrEqual

from nhanluc.catalogs.choices import ActivityStatus
from nhanluc.core.choices import Role
from nhanluc.core.expressions import StoredDate
from nhanluc.core.querysets import ScopedQuerySet
from nhanluc.core.text import fold

# Who reads the register: the province's own staff, each commune's officers for their commune, and
# a job seeker for their own record. Employers and institutions reach people only through their
# own reports and enrolments (later issues), never the register itself.
REGISTER_READERS = frozenset(
    {
        Role.PROVINCE_ADMIN,
        Role.PROVINCE_ANALYST,
        Role.CENTRE_STAFF,
        Role.COMMUNE_OFFICER,
    }
)


class PersonQuerySet(ScopedQuerySet):
    readable_by = REGISTER_READERS | {Role.JOB_SEEKER}
    province_lookup = "province_code"
    commune_lookup = "commune_code"
    person_lookup = "pk"

    def in_commune(self, code: str):
        return self.filter(commune_code=code)

    def present(self):
        """Still living in the area (not recorded as a decrease)."""
        return self.filter(left_on__isnull=True)

    def search(self, text: str):
        """Name search that ignores diacritics and word case; a 9- or 12-digit text is a CCCD lookup."""
        text = (text or "").strip()
        digits = text.replace(" ", "")
        if digits.isdigit() and len(digits) in (9, 12):
            return self.filter(cccd=digits)
        folded = fold(text)
        if not folded:
            return self
        return self.filter(search_name__contains=folded)

    def born_between(self, oldest: datetime.date | None, youngest: datetime.date | None):
        if oldest:
            self = self.filter(birth_date__gte=oldest)
        if youngest:
            self = self.filter(birth_date__lte=youngest)
        return self


class HouseholdQuerySet(ScopedQuerySet):
    readable_by = REGISTER_READERS
    province_lookup = "province_code"
    commune_lookup = "commune_code"


class LaborSituationQuerySet(ScopedQuerySet):
    readable_by = REGISTER_READERS | {Role.JOB_SEEKER}
    province_lookup = "province_code"
    commune_lookup = "commune_code"
    person_lookup = "person_id"

    def as_of(self, day: datetime.date):
        """The situations in force on `day`: one per person at most."""
        return self.filter(
            LessThanOrEqual(StoredDate("valid_from"), day),
            Q(valid_to__isnull=True) | Q(GreaterThan(StoredDate("valid_to"), day)),
        )

    def current(self):
        return self.filter(valid_to__isnull=True)

    def in_commune(self, code: str):
        return self.filter(commune_code=code)

    def employed(self):
        return self.filter(activity_status=ActivityStatus.EMPLOYED)

    def unemployed(self):
        return self.filter(activity_status=ActivityStatus.UNEMPLOYED)

    def inactive(self):
        return self.filter(activity_status=ActivityStatus.INACTIVE)


class SurveyRoundQuerySet(ScopedQuerySet):
    readable_by = REGISTER_READERS
    province_lookup = "province_code"

    def visible_to(self, user):
        # A round is a period, not personal data: commune officers read their province's rounds.
        if (
            user is not None
            and user.is_authenticated
            and user.is_active
            and user.role == Role.COMMUNE_OFFICER
        ):
            return self.filter(province_code=user.province_code) if user.province_code else self.none()
        return super().visible_to(user)


class ImportBatchQuerySet(ScopedQuerySet):
    readable_by = REGISTER_READERS
    province_lookup = "province_code"
    commune_lookup = "commune_code"


class AddressReviewQuerySet(ScopedQuerySet):
    readable_by = REGISTER_READERS
    province_lookup = "province_code"
    commune_lookup = "commune_code"
