"""Row-level access: every read of scoped data goes through `visible_to(user)`.

A model's queryset says, in plain class attributes, which roles may read it and the lookup from
the model to each kind of scope (province, commune, employer, institution, person). Base views and
API viewsets call `visible_to`, so no page can forget; `tests/core/test_scoping.py` checks every
model of the project against these declarations.
"""

from django.core.exceptions import ImproperlyConfigured
from django.db import models

from nhanluc.core.choices import PROVINCE_ROLES, Role


class ScopedQuerySet(models.QuerySet):
    # Roles that may read rows of this model at all; every other role sees nothing.
    readable_by: frozenset[str] = frozenset()
    # Lookups from the model to the user's scope; a role in `readable_by` needs its lookup.
    province_lookup: str | None = None
    commune_lookup: str | None = None
    employer_lookup: str | None = None
    institution_lookup: str | None = None
    person_lookup: str | None = None

    def visible_to(self, user) -> "ScopedQuerySet":
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        role = user.role
        if role not in self.readable_by:
            return self.none()
        if role in PROVINCE_ROLES:
            return self._restrict(self.province_lookup, user.province_code, role)
        if role == Role.COMMUNE_OFFICER:
            return self._restrict(self.commune_lookup, user.commune_code, role)
        if role == Role.EMPLOYER:
            return self._restrict(self.employer_lookup, user.employer_id, role)
        if role == Role.INSTITUTION_STAFF:
            return self._restrict(self.institution_lookup, user.institution_id, role)
        if role == Role.JOB_SEEKER:
            return self._restrict(self.person_lookup, user.person_id, role)
        return self.none()

    def _restrict(self, lookup: str | None, value, role: str) -> "ScopedQuerySet":
        if lookup is None:
            raise ImproperlyConfigured(
                f"{type(self).__name__} lets role {role!r} read it but names no lookup for its scope"
            )
        if value in (None, ""):
            # A user whose scope was never set must not fall back to seeing everything.
            return self.none()
        return self.filter(**{lookup: value})


class ReferenceQuerySet(ScopedQuerySet):
    """Public reference data (units, classifications): every signed-in user may read all of it."""

    def visible_to(self, user) -> "ReferenceQuerySet":
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self.all()
