"""The one generic list view every table page is built on (NetBox's ObjectListView, small)."""

from __future__ import annotations

from django.forms import ModelChoiceField
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify
from django.views import View
from django_tables2 import RequestConfig

from wirralsafe.exports import csv_response, xlsx_response
from wirralsafe.forms import FigureOptionsForm, YearChoiceField, default_year_words

PER_PAGE_CHOICES = (10, 25, 50, 100)
DEFAULT_PER_PAGE = 25


class ObjectListView(View):
    """Filter, sort, paginate and export one kind of row.

    A concrete view declares ``filterset``, ``table`` and ``title``, and implements
    ``get_queryset`` (what the user may see) and ``get_rows`` (the selector that turns the
    filtered queryset into row dicts). ``?export=csv`` or ``?export=xlsx`` serves every row of
    the current filter in the current sort order: the rows the pages show, not a page of them.
    """

    filterset = None
    table = None
    title = ""
    template_name = "generic/object_list.html"

    def get_queryset(self, request):
        raise NotImplementedError

    def get_rows(self, request, filterset) -> list[dict]:
        raise NotImplementedError

    def get_extra_context(self, request, filterset) -> dict:
        return {}

    def export_name(self, request, filterset) -> str:
        return slugify(self.title) or "export"

    def export_about(self, request, filterset) -> list[tuple[str, str]]:
        """What a downloaded workbook says about itself on its About sheet."""
        about = [
            ("Table", self.title),
            ("Generated", f"{timezone.localtime():%-d %B %Y %H:%M} by {request.user}"),
        ]
        about += [(f"Filter: {label}", text) for label, text in filters_used(filterset.form)]
        return about

    def export(self, request, filterset, kind: str):
        """The download of every row: named and described here, its rows read and written
        only once it has begun (exports.begun_at_once), so that the browser shows it at once."""
        name = self.export_name(request, filterset)

        def table():
            table = self.table(self.get_rows(request, filterset))
            RequestConfig(request, paginate=False).configure(table)
            return table.export_header(), table.export_rows()

        if kind == "csv":
            return csv_response(name, table)
        return xlsx_response(name, self.title, table, about=self.export_about(request, filterset))

    def per_page(self, request) -> int:
        try:
            value = int(request.GET.get("per_page", DEFAULT_PER_PAGE))
        except ValueError:
            return DEFAULT_PER_PAGE
        return value if value in PER_PAGE_CHOICES else DEFAULT_PER_PAGE

    def get(self, request):
        filterset = self.filterset(
            request.GET or None, queryset=self.get_queryset(request), request=request
        )
        export = request.GET.get("export")
        refused = export in ("csv", "xlsx") and filterset.is_bound and not filterset.form.is_valid()
        if export in ("csv", "xlsx") and not refused:
            return self.export(request, filterset, export)
        # A filter that is not valid is marked on the page and left out of its rows; a download
        # must not be made from it, or the file would hold rows nobody asked for.
        table = self.table(self.get_rows(request, filterset))
        per_page = self.per_page(request)
        RequestConfig(request, paginate={"per_page": per_page}).configure(table)
        params = request.GET.copy()
        params.pop("page", None)
        params.pop("export", None)
        context = {
            "title": self.title,
            "filterset": filterset,
            "filter_fields": filter_fields(filterset.form),
            "table": table,
            "headers": table.header_cells(request),
            "cells": table.page_rows(),
            "per_page": per_page,
            "per_page_choices": PER_PAGE_CHOICES,
            "csv_query": _with(params, export="csv"),
            "xlsx_query": _with(params, export="xlsx"),
            "page_query": params.urlencode(),
            "not_applied": filters_not_applied(filterset.form),
        }
        context["download_refused"] = refused
        context.update(self.get_extra_context(request, filterset))
        return render(request, self.template_name, context, status=400 if refused else 200)


class FigureListView(ObjectListView):
    """A list whose rows carry a year's figures: programmes and metrics.

    Declares ``queryset_selector(user)`` and ``row_selector(user, queryset, year, *,
    include_pending)``; the filterset says which year's figures to show and whether submitted
    ones are included (only for those who may see them).
    """

    queryset_selector = None
    row_selector = None

    def get_queryset(self, request):
        return type(self).queryset_selector(request.user)

    def get_rows(self, request, filterset):
        return type(self).row_selector(
            request.user,
            filterset.qs,
            filterset.figures_year,
            include_pending=filterset.pending_included,
        )

    def get_extra_context(self, request, filterset):
        context = {"figures_year": filterset.figures_year}
        if filterset.chosen_year is None:
            context["default_year_words"] = default_year_words(filterset.figures_year)
        later = filterset.year_under_way
        if later is not None:
            params = request.GET.copy()
            for key in ("page", "export"):
                params.pop(key, None)
            context["year_under_way"] = later
            context["year_under_way_query"] = _with(params, year=later.label)
        return context

    def export_name(self, request, filterset):
        year = filterset.figures_year
        name = super().export_name(request, filterset)
        return f"{name}-{year.label.replace('/', '-')}" if year else name

    def export_about(self, request, filterset):
        year = filterset.figures_year
        counted = (
            "approved and submitted (submitted ones marked pending)"
            if filterset.pending_included
            else "approved only"
        )
        return [
            *super().export_about(request, filterset),
            ("Figures for", year.label if year else "no year"),
            ("Figures counted", counted),
        ]


def figure_page(request, *, slug: str, selector, template: str):
    """An object's page with its figures; ?include_pending=on for those who may see them."""
    options = FigureOptionsForm(request.GET, user=request.user)
    options.is_valid()
    include_pending = options.cleaned_data.get("include_pending", False)
    context = selector(request.user, slug, include_pending=include_pending)
    context["options"] = options
    return render(request, template, context)


def filters_used(form) -> list[tuple[str, str]]:
    """(label, value as the form shows it) of each filter the user set."""
    if not form.is_bound or not form.is_valid():
        return []
    used = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if value in (None, "", False) or (isinstance(value, list | tuple) and not value):
            continue
        choices = dict(getattr(field, "choices", ()) or ())
        values = value if isinstance(value, list | tuple) else [value]
        text = ", ".join(str(choices.get(v, choices.get(str(v), v))) for v in values)
        used.append((str(field.label or name), text))
    return used


def filters_not_applied(form) -> list[dict]:
    """Each filter the address asked for that is not valid, and why, in words for the alert
    at the top of a list: such a filter is left out, and the list must not look filtered by it.
    """
    if not form.is_bound or form.is_valid():
        return []
    problems = []
    for name, errors in form.errors.as_data().items():
        field = form.fields.get(name)
        label = str(field.label or name) if field is not None else "Filter"
        problems.append({"label": label, "reason": "; ".join(_reason(field, e) for e in errors)})
    return problems


def _reason(field, error) -> str:
    value = (error.params or {}).get("value")
    if error.code == "invalid_choice" and not isinstance(field, YearChoiceField):
        if isinstance(field, ModelChoiceField):
            return f"there is no such {str(field.label).lower()}"
        offered = ", ".join(str(label) for key, label in field.choices if key not in ("", None))
        return f"“{value}” is not one of its choices ({offered})"
    return " ".join(m.rstrip(".") for m in error.messages)


def filter_fields(form) -> list[dict]:
    """The filter form's fields with their options worked out once, in Python.

    Rendering each option through template comparisons (or Django's widget templates) cost
    more than the whole table; a list of (value, label, selected) keeps the form cheap.
    """
    fields = []
    for bound in form:
        item = {"field": bound, "kind": bound.widget_type}
        if bound.widget_type == "select":
            # The value as the field writes it once cleaned: an old link's year id is shown
            # selected as the year's label. Raw otherwise, so a filter not valid shows as sent.
            cleaned = getattr(form, "cleaned_data", {})
            if bound.name in cleaned:
                current = bound.field.prepare_value(cleaned[bound.name])
            else:
                current = bound.value()
            current = "" if current is None else str(current)
            item["options"] = [
                (str(value), label, str(value) == current) for value, label in bound.field.choices
            ]
        fields.append(item)
    return fields


def _with(params, **extra) -> str:
    params = params.copy()
    for key, value in extra.items():
        params[key] = value
    return params.urlencode()
