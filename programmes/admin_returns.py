"""Quarterly returns in the admin: list, filters, transition buttons and actions, event log.

The status is never edited as a field: every change goes through programmes.services, which the
buttons on the change page and the list's actions call.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from programmes.admin_base import ScopedModelAdmin
from programmes.models import Return, ReturnEvent
from programmes.scoping import Role, editable_partner_ids, has_role
from programmes.selectors import allowed_transitions
from programmes.services import TRANSITIONS, error_text, run_transition


class NoteForm(forms.Form):
    note = forms.CharField(
        label="Note or reason",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )


class ReturnEventInline(admin.TabularInline):
    model = ReturnEvent
    extra = 0
    can_delete = False
    fields = ("at", "kind", "from_status", "to_status", "user", "note")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Return)
class ReturnAdmin(ScopedModelAdmin):
    list_display = ("partner", "period", "status", "submitted_by", "approved_by", "approved_at")
    list_filter = ("status", "partner", "period")
    list_select_related = ("partner", "period__financial_year", "submitted_by", "approved_by")
    search_fields = ("partner__name",)
    readonly_fields = (
        "status",
        "submitted_by",
        "submitted_at",
        "approved_by",
        "approved_at",
        "note",
    )
    inlines = [ReturnEventInline]
    actions = ["submit_selected", "approve_selected", "send_back_selected", "reopen_selected"]
    change_form_template = "admin/programmes/return/change_form.html"

    def get_actions(self, request):
        # Offer only the steps the user's role allows: an action the service would refuse for
        # every row is a trap, not a choice.
        actions = super().get_actions(request)
        allowed = set()
        if editable_partner_ids(request.user):
            allowed.add("submit_selected")
        if has_role(request.user, Role.APPROVER):
            allowed |= {"approve_selected", "send_back_selected", "reopen_selected"}
        for name in {
            "submit_selected",
            "approve_selected",
            "send_back_selected",
            "reopen_selected",
        }:
            if name not in allowed:
                actions.pop(name, None)
        return actions

    def get_readonly_fields(self, request, obj=None):
        # Partner and period are fixed once a return exists: moving it would move its figures.
        if obj is not None:
            return ("partner", "period", *self.readonly_fields)
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_locked:
            return False
        return super().has_delete_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        # An approved return is shown read-only (Return.save would refuse it anyway); its
        # Reopen button stays.
        if obj is not None and obj.is_locked:
            return False
        return super().has_change_permission(request, obj)

    def get_urls(self):
        return [
            path(
                "<int:pk>/transition/<str:action>/",
                self.admin_site.admin_view(self.transition_view),
                name="programmes_return_transition",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        obj = self.get_object(request, object_id)
        if obj is not None:
            extra_context["transitions"] = allowed_transitions(request.user, obj)
        return super().change_view(request, object_id, form_url, extra_context)

    def transition_view(self, request, pk: int, action: str):
        if action not in TRANSITIONS:
            raise PermissionDenied
        report_return = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_view_permission(request, report_return):
            raise PermissionDenied
        # Not even the note page for a step the user may not take (the service checks again).
        if action not in {
            name for name, _label, _note in allowed_transitions(request.user, report_return)
        }:
            raise PermissionDenied
        label = TRANSITIONS[action][1]
        form = NoteForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                run_transition(
                    action=action,
                    report_return=report_return,
                    user=request.user,
                    note=form.cleaned_data["note"],
                )
            except (ValidationError, PermissionDenied) as error:
                form.add_error(None, error_text(error))
            else:
                self.message_user(request, f"{label}: {report_return}.", messages.SUCCESS)
                return redirect(reverse("admin:programmes_return_change", args=[report_return.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"{label} {report_return}",
            "object": report_return,
            "form": form,
            "label": label,
            "needs_note": TRANSITIONS[action][2],
        }
        return TemplateResponse(request, "admin/programmes/return/transition.html", context)

    def _apply(self, request, queryset, action: str):
        label, needs_note = TRANSITIONS[action][1], TRANSITIONS[action][2]
        if (needs_note or action == "approve") and "apply" not in request.POST:
            return TemplateResponse(
                request,
                "admin/programmes/return/action_note.html",
                {
                    **self.admin_site.each_context(request),
                    "opts": self.model._meta,
                    "title": f"{label} {queryset.count()} return(s)",
                    "returns": queryset,
                    "action": f"{action}_selected",
                    "label": label,
                    "needs_note": needs_note,
                    "form": NoteForm(),
                },
            )
        note = request.POST.get("note", "")
        done = 0
        for report_return in queryset.select_related("partner", "period__financial_year"):
            try:
                run_transition(
                    action=action, report_return=report_return, user=request.user, note=note
                )
                done += 1
            except (ValidationError, PermissionDenied) as error:
                self.message_user(request, f"{report_return}: {error_text(error)}", messages.ERROR)
        if done:
            self.message_user(request, f"{label}: {done} return(s).", messages.SUCCESS)
        return None

    @admin.action(description="Submit the selected returns")
    def submit_selected(self, request, queryset):
        return self._apply(request, queryset, "submit")

    @admin.action(description="Approve the selected returns")
    def approve_selected(self, request, queryset):
        return self._apply(request, queryset, "approve")

    @admin.action(description="Send the selected returns back, with a note")
    def send_back_selected(self, request, queryset):
        return self._apply(request, queryset, "send_back")

    @admin.action(description="Reopen the selected approved returns, with a reason")
    def reopen_selected(self, request, queryset):
        return self._apply(request, queryset, "reopen")
