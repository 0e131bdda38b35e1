from programmes.filtersets import ProgrammeFilterSet
from programmes.listing import programme_page, programme_rows, programmes_queryset
from programmes.tables import ProgrammeTable
from wirralsafe.views import FigureListView, figure_page


class ProgrammeListView(FigureListView):
    filterset = ProgrammeFilterSet
    table = ProgrammeTable
    title = "Programmes"
    queryset_selector = programmes_queryset
    row_selector = programme_rows


def programme_detail(request, slug):
    return figure_page(
        request, slug=slug, selector=programme_page, template="programmes/programme_detail.html"
    )
