from django.shortcuts import get_object_or_404, render

from programmes.models import Programme


def programme_detail(request, slug):
    programme = get_object_or_404(
        Programme.objects.select_related("theme", "lead_partner"), slug=slug
    )
    return render(request, "programmes/programme_detail.html", {"programme": programme})
