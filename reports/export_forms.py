"""Forms of the Excel pages: the report's choices and the quarterly workbook's."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone

from metrics.selectors import default_year
from programmes import scoping
from programmes.models import FinancialYear, FundingStream, Partner, quarter_dates
from reports.selectors import quarter_label


class ReportForm(forms.Form):
    year = forms.ChoiceField(label="Financial year")
    stream = forms.ChoiceField(label="Funding stream", required=False)
    include_pending = forms.BooleanField(
        label="Include submitted figures not yet approved (marked as pending)",
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        years = [fy.label for fy in FinancialYear.objects.order_by("-start_year")]
        self.fields["year"].choices = [(y, y) for y in years]
        # The same year the dashboard opens on, so that the report matches what was seen.
        default = default_year(user)
        if default is not None:
            self.fields["year"].initial = default.label
        self.fields["stream"].choices = [("", "All funding streams")] + [
            (s.slug, s.name) for s in FundingStream.objects.all()
        ]
        if not scoping.sees_pending(user):
            del self.fields["include_pending"]


def current_start_year(today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    return today.year if today.month >= 4 else today.year - 1


def quarter_choices(today: datetime.date | None = None) -> list[tuple[str, str]]:
    """Quarters that have begun, of the years held and of the current year, latest first.

    A quarter that has not begun has no figures to give yet, so it is not offered.
    """
    today = today or timezone.localdate()
    years = set(FinancialYear.objects.values_list("start_year", flat=True))
    years.add(current_start_year(today))
    labels = [
        quarter_label(y, q)
        for y in sorted(years, reverse=True)
        for q in (4, 3, 2, 1)
        if quarter_dates(y, q)[0] <= today
    ]
    return [(label, label) for label in labels]


class ReturnTemplateForm(forms.Form):
    partner = forms.ModelChoiceField(queryset=Partner.objects.none(), label="Partner")
    quarter = forms.ChoiceField(label="Quarter")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = Partner.objects.filter(
            pk__in=scoping.editable_partner_ids(user)
        )
        self.fields["quarter"].choices = quarter_choices()
        own = self.fields["partner"].queryset.filter(pk__in=scoping.partner_ids_of(user))
        first_own = own.order_by("name").values_list("pk", flat=True).first()
        if first_own is not None:
            # An editor usually works for one partner: choose it for them.
            self.fields["partner"].initial = first_own
            self.fields["partner"].empty_label = None
        if self.fields["quarter"].choices:
            self.fields["quarter"].initial = self.fields["quarter"].choices[0][0]

    def preselect(self, *, partner: str = "", quarter: str = "") -> None:
        """Choose the partner and quarter a link asked for, when they are among the choices."""
        if partner.isdigit() and self.fields["partner"].queryset.filter(pk=partner).exists():
            self.fields["partner"].initial = int(partner)
        if quarter in {value for value, _label in self.fields["quarter"].choices}:
            self.fields["quarter"].initial = quarter


class ReturnUploadForm(forms.Form):
    file = forms.FileField(
        label="Filled-in quarterly workbook (.xlsx)",
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
