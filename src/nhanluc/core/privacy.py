"""What of a person's identifiers and sensitive data each role may see unmasked (NĐ 13/2023).

Pages, exports and the API all ask these functions, so a role sees the same thing everywhere.
"""

from nhanluc.core.choices import Role

# Roles that work with the person themself: the commune officer who collects and corrects the
# record, the employment-centre staff who call job seekers, the province administrator.
IDENTIFIER_ROLES = frozenset({Role.PROVINCE_ADMIN, Role.COMMUNE_OFFICER, Role.CENTRE_STAFF})
# Ethnicity, disability, poverty: only who collects them and who administers them.
SENSITIVE_ROLES = frozenset({Role.PROVINCE_ADMIN, Role.COMMUNE_OFFICER})


def sees_identifiers(user) -> bool:
    return bool(user.is_superuser or user.role in IDENTIFIER_ROLES)


def sees_sensitive(user) -> bool:
    return bool(user.is_superuser or user.role in SENSITIVE_ROLES)


def mask_cccd(value: str) -> str:
    """001204012345 → 001•••••••345: the province prefix and the last digits still tell records apart."""
    if not value:
        return ""
    if len(value) <= 6:
        return "•" * len(value)
    return value[:3] + "•" * (len(value) - 6) + value[-3:]


def mask_phone(value: str) -> str:
    """+84912345678 → +8491•••••78."""
    if not value:
        return ""
    if len(value) <= 6:
        return "•" * len(value)
    return value[:5] + "•" * (len(value) - 7) + value[-2:]


MASKED = "•••"
