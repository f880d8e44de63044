from django.db.models import Q

from nhanluc.core.querysets import ReferenceQuerySet
from nhanluc.core.text import words


class CatalogQuerySet(ReferenceQuerySet):
    def search(self, text: str):
        """Diacritics-insensitive match on the code or every folded word of the name."""
        text = text.strip()
        if text.isdigit():
            return self.filter(code__startswith=text)
        terms = words(text)
        if not terms:
            return self
        condition = Q()
        for term in terms:
            condition &= Q(search_name__contains=term)
        return self.filter(condition)
