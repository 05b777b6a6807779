from django import forms
from django.forms.utils import flatatt
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe


def _option(value, label, selected):
    text = str(value)
    mark = " selected" if text in selected else ""
    return f'<option value="{conditional_escape(text)}"{mark}>{conditional_escape(label)}</option>'


class QuickSelect(forms.Select):
    """A select whose options are written in Python rather than through one template
    render per option: with the 350 communes of a département, Django's per-option
    templates cost tens of milliseconds on every page that shows the list."""

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs or {})
        final_attrs["name"] = name
        selected = {str(v) for v in self.format_value(value)}
        # One escape per value rather than a format_html per option: a third of the cost.
        options = []
        for option_value, label in self.choices:
            if isinstance(label, (list, tuple)):  # a group: (group label, its choices)
                options.append(f'<optgroup label="{conditional_escape(option_value)}">')
                options.extend(_option(value, text, selected) for value, text in label)
                options.append("</optgroup>")
            else:
                options.append(_option(option_value, label, selected))
        # Every value and label above went through conditional_escape: the joined options are safe.
        safe_options = mark_safe("".join(options))  # noqa: S308 # nosec B308 B703
        return format_html("<select{}>{}</select>", flatatt(final_attrs), safe_options)
