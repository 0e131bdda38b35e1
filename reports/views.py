from django.shortcuts import render

from metrics.models import Metric


def dashboard(request):
    headlines = Metric.objects.filter(is_headline=True).select_related("partner")
    return render(request, "reports/dashboard.html", {"headlines": headlines})
