from nhanluc.registry.querysets import REGISTER_READERS


def navigation(request):
    """Whether the main menu shows the register (only to the roles that read it)."""
    return {"register_roles": REGISTER_READERS}
