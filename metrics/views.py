from django.shortcuts import get_object_or_404, render

from metrics.models import Metric


def metric_detail(request, slug):
    metric = get_object_or_404(Metric.objects.select_related("partner", "programme"), slug=slug)
    return render(request, "metrics/metric_detail.html", {"metric": metric})
