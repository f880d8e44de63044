from nhanluc.employers.querysets import DEMAND_READERS


def navigation(request):
    """Whether the main menu shows labour demand (only to the roles that read it)."""
    return {"demand_roles": DEMAND_READERS}
