from django import template

from nhanluc.core import formatting

register = template.Library()


@register.filter
def number(value, decimals=0):
    return formatting.format_number(value, int(decimals))


@register.filter
def percent(value, decimals=2):
    return formatting.format_percent(value, int(decimals))


@register.filter
def day(value):
    return formatting.format_date(value)


@register.filter
def moment(value):
    return formatting.format_datetime(value)


@register.filter
def audit_change(value):
    """An audited field change: "old → new" for a pair, the value itself otherwise."""
    if isinstance(value, list | tuple) and len(value) == 2:
        old, new = value
        return f"{'—' if old in (None, '') else old} → {'—' if new in (None, '') else new}"
    return value
