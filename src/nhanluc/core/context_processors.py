from django.conf import settings


def shell(request):
    """What the page layout needs on every page: the agency and the working area picked by the user."""
    return {
        "agency_name": settings.NHANLUC_AGENCY_NAME,
        "deployment_province": settings.NHANLUC_PROVINCE,
        "picked_commune": request.session.get("picked_commune", "") if hasattr(request, "session") else "",
    }
