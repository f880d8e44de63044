from nhanluc.core.choices import PROVINCE_ROLES, Role
from nhanluc.core.querysets import ScopedQuerySet

# Aggregates, not personal records: every staff role of the province reads them; a commune officer
# reads their own commune's figures and the province's totals to compare with.
AGGREGATE_READERS = PROVINCE_ROLES | {Role.COMMUNE_OFFICER}
# Who sets the year's targets and approves reported figures.
PLANNERS = frozenset({Role.PROVINCE_ADMIN, Role.PROVINCE_ANALYST})


class _UnitScopedQuerySet(ScopedQuerySet):
    readable_by = AGGREGATE_READERS
    province_lookup = "province_code"
    commune_lookup = "unit_code"

    def visible_to(self, user):
        if (
            user is not None
            and user.is_authenticated
            and user.is_active
            and not user.is_superuser
            and user.role == Role.COMMUNE_OFFICER
        ):
            if not user.commune_code or not user.province_code:
                return self.none()
            return self.filter(unit_code__in=[user.commune_code, user.province_code])
        return super().visible_to(user)


class IndicatorValueQuerySet(_UnitScopedQuerySet):
    def for_period(self, period_code: str):
        return self.filter(period_code=period_code)


class DataValueQuerySet(_UnitScopedQuerySet):
    pass


class TargetQuerySet(_UnitScopedQuerySet):
    def for_year(self, year: int):
        return self.filter(year=year)
