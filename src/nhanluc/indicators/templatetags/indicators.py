from django import template
from django.utils.translation import gettext as _

from nhanluc.core.formatting import format_number, round_half_up

register = template.Library()


@register.filter
def format_value(indicator, value):
    return indicator.format(value) if indicator is not None else format_number(value, 2)


@register.filter
def figure(result):
    return result.indicator.format(result.value)


@register.filter
def cumulative(result):
    return result.indicator.format(result.year_to_date)


@register.filter
def target(result):
    return result.indicator.format(result.target)


@register.filter
def estimate(result):
    """Estimates of counts are whole people, households…: a projection has no meaningful decimals."""
    if not result.estimate:
        return ""
    value = result.estimate.value
    return result.indicator.format(value if result.indicator.is_rate else round_half_up(value, 0))


@register.filter
def breakdown_label(indicator, key):
    return indicator.breakdown_label(key) if indicator is not None else key


@register.filter
def points(value):
    """−1,05 → "giảm 1,05 điểm %"."""
    if value is None:
        return ""
    if value == 0:
        return _("không đổi")
    text = format_number(abs(value), 2)
    return (_("tăng %(value)s điểm %%") if value > 0 else _("giảm %(value)s điểm %%")) % {"value": text}
