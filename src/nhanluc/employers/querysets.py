import datetime

from django.core.exceptions import ValidationError
from django.db.models import Q

from nhanluc.core.choices import Role
from nhanluc.core.querysets import ScopedQuerySet
from nhanluc.core.text import fold
from nhanluc.employers.choices import AccountStatus, ProposalStatus, ReportStatus, VacancyStatus
from nhanluc.employers.rules import normalise_tax_code

# The province's staff read every employer of the province, a commune officer those of the commune,
# an employer account only its own employer.
DEMAND_READERS = frozenset(
    {
        Role.PROVINCE_ADMIN,
        Role.PROVINCE_ANALYST,
        Role.CENTRE_STAFF,
        Role.COMMUNE_OFFICER,
        Role.EMPLOYER,
    }
)


class EmployerQuerySet(ScopedQuerySet):
    readable_by = DEMAND_READERS
    province_lookup = "province_code"
    commune_lookup = "commune_code"
    employer_lookup = "pk"

    def search(self, text: str):
        """A tax code (10 or 13 digits, with or without the dash) or part of the name, diacritics ignored."""
        text = (text or "").strip()
        digits = text.replace("-", "").replace(" ", "").replace(".", "")
        if digits.isdigit() and len(digits) in (10, 13):
            try:
                return self.filter(tax_code=normalise_tax_code(text))
            except ValidationError:
                return self.none()  # a tax code no employer can have
        folded = fold(text)
        return self.filter(search_name__contains=folded) if folded else self


class EmployerAccountQuerySet(ScopedQuerySet):
    readable_by = frozenset({Role.PROVINCE_ADMIN, Role.CENTRE_STAFF, Role.EMPLOYER})
    province_lookup = "province_code"
    employer_lookup = "employer_id"

    def pending(self):
        return self.filter(status=AccountStatus.PENDING)


class WorkforceReportQuerySet(ScopedQuerySet):
    readable_by = DEMAND_READERS
    province_lookup = "employer__province_code"
    commune_lookup = "employer__commune_code"
    employer_lookup = "employer_id"

    def filed(self):
        return self.filter(status=ReportStatus.FILED)


class ReportedWorkerQuerySet(ScopedQuerySet):
    # Personal data of an employer's workers: the employer and the province's staff, not analysts.
    readable_by = frozenset({Role.PROVINCE_ADMIN, Role.CENTRE_STAFF, Role.EMPLOYER})
    province_lookup = "report__employer__province_code"
    employer_lookup = "report__employer_id"


class RegisterProposalQuerySet(ScopedQuerySet):
    readable_by = frozenset({Role.PROVINCE_ADMIN, Role.CENTRE_STAFF, Role.COMMUNE_OFFICER})
    province_lookup = "province_code"
    commune_lookup = "commune_code"

    def pending(self):
        return self.filter(status=ProposalStatus.PENDING)


class VacancyQuerySet(ScopedQuerySet):
    readable_by = DEMAND_READERS
    province_lookup = "province_code"
    commune_lookup = "commune_code"
    employer_lookup = "employer_id"

    def open_on(self, day: datetime.date):
        """Published and still taking applications on `day`."""
        return self.filter(status=VacancyStatus.PUBLISHED).filter(
            Q(deadline__isnull=True) | Q(deadline__gte=day)
        )

    def search(self, text: str):
        folded = fold(text)
        return self.filter(search_text__contains=folded) if folded else self


class ForeignWorkerQuerySet(ScopedQuerySet):
    readable_by = frozenset({Role.PROVINCE_ADMIN, Role.PROVINCE_ANALYST, Role.CENTRE_STAFF, Role.EMPLOYER})
    province_lookup = "employer__province_code"
    employer_lookup = "employer_id"
