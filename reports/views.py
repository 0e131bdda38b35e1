from django.shortcuts import render

from metrics.selectors import default_year, years_with_figures
from reports.fragments import dashboard_figures_html
from reports.selectors import dashboard_returns
from wirralsafe.forms import (
    FigureOptionsForm,
    default_year_words,
    later_year_under_way,
    year_fallback_notice,
)


def dashboard(request):
    options = FigureOptionsForm(request.GET, user=request.user)
    options.is_valid()
    include_pending = options.cleaned_data.get("include_pending", False)
    chosen = options.cleaned_data.get("year")
    # Read once: both the default year and a later year under way come from it.
    years = None if chosen else years_with_figures(request.user, include_pending=include_pending)
    year = chosen or default_year(request.user, include_pending=include_pending, with_figures=years)
    context = dashboard_returns(request.user)
    context["year"] = year
    context["year_chosen"] = chosen
    # A year asked for that does not exist is said so, not silently replaced.
    context["year_notice"] = year_fallback_notice(options, year)
    if chosen is None:
        context["default_year_words"] = default_year_words(year)
        later = later_year_under_way(years, year)
        if later is not None:
            params = request.GET.copy()
            params["year"] = later.label
            context["year_under_way"] = later
            context["year_under_way_query"] = params.urlencode()
    context["options"] = options
    context["figures"] = dashboard_figures_html(request.user, year, include_pending=include_pending)
    return render(request, "reports/dashboard.html", context)
