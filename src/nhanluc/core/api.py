"""Base classes of every API viewset: the queryset always starts from `visible_to(user)`."""

from rest_framework import viewsets


class ScopedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    model = None

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user)
