from django.shortcuts import render

from metrics.selectors import default_year
from reports.fragments import dashboard_figures_html
from reports.selectors import dashboard_returns
from wirralsafe.forms import FigureOptionsForm


def dashboard(request):
    options = FigureOptionsForm(request.GET, user=request.user)
    options.is_valid()
    include_pending = options.cleaned_data.get("include_pending", False)
    year = options.cleaned_data.get("year") or default_year(
        request.user, include_pending=include_pending
    )
    context = dashboard_returns(request.user)
    context["year"] = year
    context["options"] = options
    context["figures"] = dashboard_figures_html(request.user, year, include_pending=include_pending)
    return render(request, "reports/dashboard.html", context)
