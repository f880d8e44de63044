from django.db.models import Q

from nhanluc.core.querysets import ReferenceQuerySet
from nhanluc.core.text import words
from nhanluc.geo.choices import Level, Scheme


class AdminUnitQuerySet(ReferenceQuerySet):
    def current(self):
        return self.filter(scheme=Scheme.CURRENT)

    def legacy(self):
        return self.filter(scheme=Scheme.LEGACY)

    def provinces(self):
        return self.filter(level=Level.PROVINCE)

    def communes(self):
        return self.filter(level=Level.COMMUNE)

    def in_province(self, province_code: str):
        return self.filter(province_code=province_code)

    def search(self, text: str):
        """Diacritics-insensitive: every folded word of `text` must appear in the unit's name."""
        terms = words(text)
        if not terms:
            return self
        condition = Q()
        for term in terms:
            condition &= Q(search_name__contains=term)
        return self.filter(condition)


class UnitSuccessionQuerySet(ReferenceQuerySet):
    pass
