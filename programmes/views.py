from django.shortcuts import render

from programmes.filtersets import ProgrammeFilterSet
from programmes.listing import programme_page, programme_rows, programmes_queryset
from programmes.tables import ProgrammeTable
from wirralsafe.forms import FigureOptionsForm
from wirralsafe.views import ObjectListView


class ProgrammeListView(ObjectListView):
    filterset = ProgrammeFilterSet
    table = ProgrammeTable
    title = "Programmes"

    def get_queryset(self, request):
        return programmes_queryset(request.user)

    def get_rows(self, request, filterset):
        return programme_rows(
            request.user,
            filterset.qs,
            filterset.figures_year,
            include_pending=filterset.pending_included,
        )

    def get_extra_context(self, request, filterset):
        return {"figures_year": filterset.figures_year}


def programme_detail(request, slug):
    options = FigureOptionsForm(request.GET, user=request.user)
    options.is_valid()
    include_pending = options.cleaned_data.get("include_pending", False)
    context = programme_page(request.user, slug, include_pending=include_pending)
    context["options"] = options
    return render(request, "programmes/programme_detail.html", context)
