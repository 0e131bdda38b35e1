"""The base every wirralsafe admin class inherits: what a user sees and may change.

The rule itself lives in programmes/scoping.py; this class applies it to each door the admin
opens onto the data: the change list and its filters, the change, delete and history pages,
autocomplete answers, and the choices of every form field that points at another object. An
object the user may not see answers 404 wherever it is asked for, so that its existence does
not leak either.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin import RelatedOnlyFieldListFilter
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

from metrics import freshness
from programmes import scoping


def _has_history(model) -> bool:
    return hasattr(model._meta, "simple_history_manager_attribute")


class KeepsCurrentReturnForm(forms.ModelForm):
    """A figure's or narrative's form whose return list still holds the return it is in.

    The choices offer only open returns (scoping.choices_for); without its current return an
    existing row would show an empty choice and fail to save when anything else changes.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("report_return")
        current = getattr(self.instance, "report_return_id", None)
        if isinstance(field, forms.ModelChoiceField) and current is not None:
            model = field.queryset.model
            field.queryset = model.objects.filter(
                models.Q(pk__in=field.queryset.values("pk")) | models.Q(pk=current)
            )


class ScopedQuerysetMixin:
    """Shared by model admins and inlines: the rows and the choices a user gets."""

    def get_queryset(self, request):
        return scoping.admin_queryset(request.user, super().get_queryset(request))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = scoping.choices_for(
                request.user, self.model, db_field.name, field.queryset
            )
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = scoping.choices_for(
                request.user, self.model, db_field.name, field.queryset
            )
        return field


class ScopedModelAdmin(ScopedQuerysetMixin, SimpleHistoryAdmin):
    """A model admin that shows each user only what programmes/scoping.py lets them see.

    Subclasses declare columns, filters and forms as usual; list_filter entries naming a
    foreign key are turned into filters whose choices come from the visible rows only.
    """

    list_per_page = 50
    # Help for fields whose model gives none, shown under the field on the add and change form.
    help_texts: dict[str, str] = {}

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        if not _has_history(model):
            # Django's own history (the admin's log) for models simple-history does not track.
            self.object_history_template = None

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is None or not allowed:
            return allowed
        return scoping.may_change(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        if obj is None or not allowed:
            return allowed
        return scoping.may_delete(request.user, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs.setdefault("help_texts", self.help_texts)
        return super().get_form(request, obj, change, **kwargs)

    # A form with inlines, list editing or a bulk action writes many rows: cached figures are
    # marked out of date once, after the admin's own transaction, rather than per row while
    # it is open (which would hold the shared counter row locked across the other writes).
    def changeform_view(self, *args, **kwargs):
        with freshness.raised_once():
            return super().changeform_view(*args, **kwargs)

    def changelist_view(self, *args, **kwargs):
        with freshness.raised_once():
            return super().changelist_view(*args, **kwargs)

    def delete_view(self, *args, **kwargs):
        with freshness.raised_once():
            return super().delete_view(*args, **kwargs)

    def get_urls(self):
        urls = super().get_urls()
        if _has_history(self.model):
            return urls
        # simple-history adds a page per old version; a model it does not track has none.
        suffix = f"{self.opts.app_label}_{self.opts.model_name}_simple_history"
        return [url for url in urls if getattr(url, "name", None) != suffix]

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            # Django would redirect to the index saying the object may have been deleted;
            # a 404 tells an outsider nothing about objects they may not see.
            raise Http404(f"No {self.opts.verbose_name} with this key is visible to you.")
        return obj

    def get_list_filter(self, request):
        return [self._scoped_filter(item) for item in super().get_list_filter(request)]

    def _scoped_filter(self, item):
        if not isinstance(item, str):
            return item
        field = self._field_at(item)
        if field is not None and field.is_relation:
            return (item, RelatedOnlyFieldListFilter)
        return item

    def _field_at(self, path: str):
        model, field = self.model, None
        for part in path.split("__"):
            try:
                field = model._meta.get_field(part)
            except FieldDoesNotExist:
                return None
            model = field.related_model if field.is_relation else model
        return field

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        source = self._autocomplete_source(request)
        if source is not None:
            queryset = scoping.choices_for(request.user, source[0], source[1], queryset)
        return queryset, may_have_duplicates

    def _autocomplete_source(self, request):
        """The model and field an autocomplete request fills, so that it offers their choices."""
        if request.resolver_match is None or request.resolver_match.url_name != "autocomplete":
            return None
        from django.apps import apps

        try:
            model = apps.get_model(request.GET["app_label"], request.GET["model_name"])
        except (KeyError, LookupError):
            return None
        return model, request.GET.get("field_name", "")

    def history_view(self, request, object_id, extra_context=None):
        # Asked first, so that another partner's object is a 404 before any history is read;
        # simple-history would otherwise fall back to the object's last recorded version.
        obj = self.get_object(request, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        if _has_history(self.model):
            return super().history_view(request, object_id, extra_context)
        return admin.ModelAdmin.history_view(self, request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        obj = self.get_object(request, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        if request.method == "POST":
            # Old versions are for reading (SIMPLE_HISTORY_REVERT_DISABLED): a restore would
            # write figures without the checks an edit goes through.
            raise PermissionDenied("Old versions cannot be restored from the history.")
        return super().history_form_view(request, object_id, version_id, extra_context)


class ScopedTabularInline(ScopedQuerysetMixin, admin.TabularInline):
    extra = 0
    show_change_link = True


class ScopedStackedInline(ScopedQuerysetMixin, admin.StackedInline):
    extra = 0
    show_change_link = True
