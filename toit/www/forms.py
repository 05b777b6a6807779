from django import forms


class DsfrFormMixin:
    """Give widgets the DSFR classes and tie error messages to their input, so screen
    readers announce them. Kept here rather than django-dsfr's DsfrBaseForm, which warns
    on every instantiation (see shared notes)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = self._dsfr_class(field.widget)
            if css:
                field.widget.attrs["class"] = f"{field.widget.attrs.get('class', '')} {css}".strip()

    @staticmethod
    def _dsfr_class(widget):
        if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
            return ""
        return "fr-select" if isinstance(widget, forms.Select) else "fr-input"

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            widget = self.fields[name].widget
            css = self._dsfr_class(widget)
            if css:
                widget.attrs["class"] += f" {css}--error"
            auto_id = self[name].auto_id
            described_by = [f"{auto_id}_helptext"] if self.fields[name].help_text else []
            widget.attrs["aria-describedby"] = " ".join([*described_by, f"{auto_id}-erreurs"])
