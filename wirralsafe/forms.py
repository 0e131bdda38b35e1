"""Forms shared by several pages."""

from django import forms
from django.utils.functional import cached_property

from programmes.models import FinancialYear
from programmes.scoping import sees_pending


class FigureOptionsForm(forms.Form):
    """Which year's figures a page shows, and whether pending ones are included."""

    year = forms.ModelChoiceField(
        queryset=FinancialYear.objects.order_by("-start_year"),
        required=False,
        label="Year",
        empty_label="Latest with figures",
    )
    include_pending = forms.BooleanField(
        required=False,
        label="Include submitted figures (marked pending)",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not sees_pending(user):
            del self.fields["include_pending"]

    @cached_property
    def year_choices(self) -> list[tuple]:
        # Listed once: a template looping over the field's choices counts them first (an
        # extra COUNT query, as list() would) and then fetches them.
        return list(iter(self.fields["year"].choices))
