from django.shortcuts import render

from metrics.selectors import default_year
from reports.selectors import dashboard as dashboard_data
from wirralsafe.forms import FigureOptionsForm


def dashboard(request):
    options = FigureOptionsForm(request.GET, user=request.user)
    options.is_valid()
    include_pending = options.cleaned_data.get("include_pending", False)
    year = options.cleaned_data.get("year") or default_year(
        request.user, include_pending=include_pending
    )
    context = dashboard_data(request.user, year, include_pending=include_pending)
    context["options"] = options
    return render(request, "reports/dashboard.html", context)
