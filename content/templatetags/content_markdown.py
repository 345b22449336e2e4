"""``{{ item.body|markdown }}``: sanitized HTML from Markdown (``content.markdown.render``)."""

from django import template
from django.utils.safestring import mark_safe

from content.markdown import render

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    return mark_safe(render(text))  # noqa: S308 (nh3-sanitized)
