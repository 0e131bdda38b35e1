"""Forms shared by several pages."""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import cached_property

from programmes.models import FinancialYear
from programmes.scoping import sees_pending

# What the default year is, in the words every year picker offers it with.
DEFAULT_YEAR_LABEL = "Latest complete year with figures"
_LABEL = re.compile(r"(\d{4})/(\d{2})")


class YearChoiceField(forms.ModelChoiceField):
    """A financial year chosen by its label ("2018/19"), as people write it in links.

    The label is the value of every option, so that a page's address says which year it shows.
    An internal id ("3") is still accepted: links made before labels were used keep working.
    The one year field of every form and filter that chooses a year.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", FinancialYear.objects.order_by("-start_year"))
        kwargs.setdefault("empty_label", DEFAULT_YEAR_LABEL)
        kwargs.setdefault("label", "Year")
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, FinancialYear):
            return value.label
        return super().prepare_value(value)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, FinancialYear):
            return value
        text = str(value).strip()
        if text.isdigit():
            # An old link's id. Ids are small: a long run of digits names no year (and would
            # overflow an integer column on PostgreSQL).
            found = self.queryset.filter(pk=int(text)).first() if len(text) < 10 else None
            if found is None:
                raise ValidationError(
                    "there is no year numbered %(value)s",
                    code="invalid_choice",
                    params={"value": text},
                )
            return found
        match = _LABEL.fullmatch(text)
        if match is None:
            raise ValidationError(
                "“%(value)s” is not a year written like 2018/19",
                code="invalid_choice",
                params={"value": text},
            )
        found = self.queryset.filter(start_year=int(match[1])).first()
        if found is None or found.label != text:
            raise ValidationError(
                "there is no year %(value)s", code="invalid_choice", params={"value": text}
            )
        return found


class FigureOptionsForm(forms.Form):
    """Which year's figures a page shows, and whether pending ones are included."""

    year = YearChoiceField(required=False)
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


def later_year_under_way(
    years_with_figures: list[FinancialYear],
    shown: FinancialYear | None,
    *,
    today: datetime.date | None = None,
) -> FinancialYear | None:
    """The latest year with figures (latest first in the list) if it is still under way and
    later than the year shown: the default year passes over it, so a page must point to it."""
    today = today or timezone.localdate()
    latest = years_with_figures[0] if years_with_figures else None
    if latest is None or shown is None or latest.start_year <= shown.start_year:
        return None
    return latest if latest.end_date >= today else None


def year_fallback_notice(options: forms.Form, shown: FinancialYear | None) -> str:
    """What a page says when the year its address asks for was not valid and another is shown."""
    errors = options.errors.get("year") if options.is_bound else None
    if not errors:
        return ""
    reason = " ".join(errors)
    showing = f"showing {shown}" if shown else "no year is shown"
    return f"{reason[:1].upper()}{reason[1:]}; {showing}."


def default_year_words(year: FinancialYear | None, *, today: datetime.date | None = None) -> str:
    """Why the default year is the one shown, in words (metrics.selectors.default_year)."""
    if year is None:
        return ""
    today = today or timezone.localdate()
    if year.end_date < today:
        return "the latest complete year with figures"
    return "still under way: no complete year has figures yet"
