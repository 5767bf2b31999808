from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from varna.core.formsystem import Form
from varna.knowledge import selectors as knowledge
from varna.monitoring import selectors, services
from varna.monitoring.models import FeedItem, FeedSource


class ItemFilterForm(Form):
    relevance = forms.ChoiceField(label=_("Show"), required=False,
                                  choices=[(selectors.RELEVANT, _("Relevant items")), (selectors.ALL, _("All items"))])
    milieu = forms.ChoiceField(label=_("Milieu"), required=False)
    source = forms.ModelChoiceField(label=_("Feed"), required=False, queryset=FeedSource.objects.none(),
                                    empty_label=_("All feeds"))
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any status")), *FeedItem.Status.choices])
    tag = forms.CharField(label=_("Tag"), required=False, max_length=services.TAG_MAX_LENGTH)

    def __init__(self, *args: Any, sources: Any, municipality: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.model_choice_field("source").queryset = sources
        # Retired milieus too: items scored before the retirement still carry them.
        self.choice_field("milieu").choices = [("", _("All milieus")), *(
            (e.key, e.label) for e in knowledge.vocabulary_of(municipality).milieus)]

    def filters(self) -> selectors.ItemFilters:
        """The filters asked for; the defaults (relevant items, everything else open) when the form is invalid."""
        if not self.is_bound or not self.is_valid():
            return selectors.ItemFilters()
        data = self.cleaned_data
        return selectors.ItemFilters(relevance=data["relevance"] or selectors.RELEVANT, milieu=data["milieu"],
                                     source=data["source"], status=data["status"],
                                     tag=" ".join(data["tag"].split()).lower())


class TagForm(Form):
    # No max_length: tag_problem says what is wrong in the module's own words.
    name = forms.CharField(label=_("New tag"), error_messages={"required": _("Write a tag.")},
                           help_text=_("A short word, for example graffiti or school. No names."))

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        problem = services.tag_problem(name)
        if problem is not None:
            raise forms.ValidationError(problem)
        return name


class LinkForm(Form):
    # A number, offered as a list of the latest observations: an older one may be linked too, and the view
    # looks it up through the situation picture's selectors (another municipality's is a 404).
    observation = forms.IntegerField(label=_("Observation"), min_value=1, widget=forms.Select)

    def __init__(self, *args: Any, observations: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["observation"].widget.choices = [("", _("Choose an observation")), *observations]


class SourceForm(Form):
    name = forms.CharField(label=_("Name"), max_length=200, help_text=_("For example the local newspaper."))
    url = forms.CharField(label=_("Feed address"), max_length=500,
                          help_text=_("The address of an RSS or Atom feed, starting with https:// or http://."),
                          widget=forms.URLInput)
    active = forms.BooleanField(label=_("Fetch this feed"), required=False, initial=True)

    def clean_url(self) -> str:
        url = self.cleaned_data["url"].strip()
        problem = services.address_problem_message(url)
        if problem is not None:
            raise forms.ValidationError(problem)
        return url


class KeywordsForm(Form):
    """One text area per milieu; one word or phrase a line."""

    def __init__(self, *args: Any, municipality: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.milieus = [e.key for e in knowledge.vocabulary_of(municipality).active("milieu")]
        for value, label in knowledge.vocabulary_of(municipality).choices("milieu"):
            self.fields[value] = forms.CharField(
                label=label, required=False,
                widget=forms.Textarea(attrs={"rows": 10, "class": "ds-input", "aria-describedby": "keywords-help",
                                             "wrap": "off"}))  # a long phrase stays on its own line

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for value in self.milieus:
            problem = services.keywords_problem(data.get(value, ""))
            if problem is not None:
                self.add_error(value, problem)
        return data
