from metrics.filtersets import MetricFilterSet
from metrics.selectors import metric_page, metric_rows, metrics_queryset
from metrics.tables import MetricTable
from wirralsafe.views import FigureListView, figure_page


class MetricListView(FigureListView):
    filterset = MetricFilterSet
    table = MetricTable
    title = "Metrics"
    queryset_selector = metrics_queryset
    row_selector = metric_rows


def metric_detail(request, slug):
    return figure_page(
        request, slug=slug, selector=metric_page, template="metrics/metric_detail.html"
    )
