import markdown as md
import nh3
from django import template
from django.utils.safestring import mark_safe

register = template.Library()

_ALLOWED_TAGS = {"p", "ul", "ol", "li", "strong", "em", "br", "blockquote", "h3", "h4", "code"}


@register.filter
def markdown(text):
    """Plan texts are Markdown from a reviewed file, but still sanitised: a plan file must
    never be a way to inject markup."""
    html = md.markdown(text or "", extensions=["sane_lists"])
    # Sanitised by nh3 just above, with a short allow-list and no attributes.
    return mark_safe(nh3.clean(html, tags=_ALLOWED_TAGS, attributes={}))  # noqa: S308 # nosec B308 B703


@register.filter
def status_badge_class(status):
    return {
        "atteint": "fr-badge--success",
        "en_bonne_voie": "fr-badge--info",
        "en_retard": "fr-badge--error",
        "non_renseigne": "fr-badge--warning",
    }.get(status, "")


@register.filter
def status_label(status):
    from toit.plans.enums import IndicatorStatus

    try:
        return IndicatorStatus(status).label
    except ValueError:
        return status


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)
