from nhanluc.indicators.querysets import AGGREGATE_READERS


def navigation(request):
    """Whether the main menu shows the indicators (to every staff role)."""
    return {"aggregate_roles": AGGREGATE_READERS}
