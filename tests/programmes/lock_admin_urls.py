"""A throwaway admin site for the lock tests: Result and OutcomeStatement registered with the
mixins that programmes/forms.py offers every admin class, whatever the real admin adds."""

from django import forms
from django.contrib import admin
from django.urls import path

from metrics.models import Result
from programmes.forms import ReturnRowAdminMixin, ReturnRowFormMixin
from programmes.models import OutcomeStatement
from wirralsafe import urls as project_urls

site = admin.AdminSite(name="admin")


class ResultAdminForm(ReturnRowFormMixin, forms.ModelForm):
    class Meta:
        model = Result
        fields = ["metric", "period", "report_return", "value", "qualifier", "note", "source"]


class StatementAdminForm(ReturnRowFormMixin, forms.ModelForm):
    class Meta:
        model = OutcomeStatement
        fields = ["activity", "report_return", "text", "note"]


@admin.register(Result, site=site)
class ResultAdmin(ReturnRowAdminMixin, admin.ModelAdmin):
    form = ResultAdminForm
    list_display = ["id", "value"]
    list_editable = ["value"]


@admin.register(OutcomeStatement, site=site)
class StatementAdmin(ReturnRowAdminMixin, admin.ModelAdmin):
    form = StatementAdminForm


# The app's own pages too, which its error pages link to.
urlpatterns = [
    path("admin/", site.urls),
    *(p for p in project_urls.urlpatterns if str(p.pattern) != "admin/"),
]
