from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from community.search.selectors import agencies_available, kinds_available, statuses_available


class SearchForm(forms.Form):
    """The search page's query and filters. Any text is accepted (it is cut to a searchable
    length, never refused); unknown choices find nothing rather than failing."""

    q = forms.CharField(label=_("Search for"), required=False, max_length=100_000, strip=True)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    agency = forms.ChoiceField(label=_("Agency"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything = [("", _("Everything"))]
        self.fields["kind"].choices = everything + kinds_available()
        self.fields["agency"].choices = [("", _("Any agency"))] + [
            (agency.slug, agency.name) for agency in agencies_available()
        ]
        self.fields["status"].choices = [("", _("Any status")), *statuses_available()]
        self.fields["q"].widget.attrs.update({"type": "search", "autocomplete": "off"})
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("id", f"search-{name}")

    def value(self, name: str) -> str:
        """The submitted value even when it is not one of the choices (then nothing is found)."""
        return str(self.data.get(name, "") or "").strip()
