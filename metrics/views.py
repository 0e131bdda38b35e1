from django.shortcuts import render

from metrics.filtersets import MetricFilterSet
from metrics.selectors import metric_page, metric_rows, metrics_queryset
from metrics.tables import MetricTable
from wirralsafe.forms import FigureOptionsForm
from wirralsafe.views import ObjectListView


class MetricListView(ObjectListView):
    filterset = MetricFilterSet
    table = MetricTable
    title = "Metrics"

    def get_queryset(self, request):
        return metrics_queryset(request.user)

    def get_rows(self, request, filterset):
        return metric_rows(
            request.user,
            filterset.qs,
            filterset.figures_year,
            include_pending=filterset.pending_included,
        )

    def get_extra_context(self, request, filterset):
        return {"figures_year": filterset.figures_year}


def metric_detail(request, slug):
    options = FigureOptionsForm(request.GET, user=request.user)
    options.is_valid()
    include_pending = options.cleaned_data.get("include_pending", False)
    context = metric_page(request.user, slug, include_pending=include_pending)
    context["options"] = options
    return render(request, "metrics/metric_detail.html", context)
