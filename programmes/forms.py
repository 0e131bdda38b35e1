"""Form pieces shared by the admin and app forms that edit rows of a return."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from programmes import scoping
from programmes.locks import (
    LockedError,
    StaleEditError,
    closed_message,
    lock_message,
    stale_message,
)


def write_refusal(user, report_return) -> str:
    """Why this user may not write into this return, in words that say what to do."""
    if report_return.is_locked:
        return lock_message(report_return)
    if not scoping.enters_figures_for(user, report_return.partner_id):
        return f"You do not enter figures for {report_return.partner}."
    return closed_message(report_return)


def _refuse_unless_writable(user, report_return) -> None:
    """Refuse a write into a return the user may not write into now (scoping.can_edit_return).

    Without a user only the approval lock is known, which the model enforces for everybody.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        if report_return.is_locked:
            raise LockedError(lock_message(report_return))
        return
    if not scoping.can_edit_return(user, report_return):
        raise LockedError(write_refusal(user, report_return))


class ReturnRowFormMixin:
    """For a ModelForm of a result or outcome narrative: refuse locked, frozen and stale edits.

    - A row of a return the user may not write into now (scoping.can_edit_return: an approved
      return for anybody, a submitted one for a partner editor), or a row being put into one, is
      refused as a form error that says who approved or submitted it, when, and what to do.
    - The form carries the row's version in a hidden field; when somebody else saved the row
      after this form was opened, the save is refused with who and when, and nothing is lost:
      the editor's values stay in the form. The model's save() checks the same version, so a
      save that races past clean() is refused there too.

    Set ``form.user`` (the admin mixin below does) to record who made the change.
    """

    user = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seen_version"] = forms.IntegerField(
            widget=forms.HiddenInput,
            required=False,
            initial=self.instance.version if self.instance.pk else None,
            help_text="The version this page showed, to detect a change made by someone else "
            "since it was opened.",
        )

    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        model = type(instance)
        if instance.pk:
            stored = (
                model._base_manager.select_related(
                    "updated_by",
                    "report_return__partner",
                    "report_return__period__financial_year",
                    "report_return__approved_by",
                    "report_return__submitted_by",
                )
                .filter(pk=instance.pk)
                .first()
            )
            if stored is not None:
                _refuse_unless_writable(self.user, stored.report_return)
            seen = cleaned.get("seen_version")
            if stored is not None and seen is not None and seen != stored.version:
                raise StaleEditError(stale_message(stored, instance.stale_noun))
            if seen is not None:
                # The model's save() compares this with the stored version under a row lock.
                instance.version = seen
        new_return = cleaned.get("report_return") or (
            instance.report_return if instance.report_return_id else None
        )
        if new_return is not None:
            _refuse_unless_writable(self.user, new_return)
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        if self.user is not None and getattr(self.user, "is_authenticated", False):
            self.instance.updated_by = self.user

    def save(self, commit=True):
        try:
            return super().save(commit=commit)
        except ValidationError as error:
            # Lost the race after clean(): report it on the form rather than as a server error.
            self.add_error(None, error)
            raise


class ReturnRowAdminMixin:
    """For a ModelAdmin of results or narratives, with a form using ReturnRowFormMixin.

    Hands the request's user to the forms, gives list editing the same checks as the change
    form (Django builds its list-editing form without the admin's form), and withholds delete
    permission on a locked row, so that the delete page and the "delete selected" action refuse
    it before anything is collected.
    """

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not scoping.can_edit_return(request.user, obj.report_return):
            return False
        return super().has_delete_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # A locked or submitted row opens read-only; say why, rather than leave the editor to
        # guess. Readers who never write into the partner's returns need no reason.
        if request.method == "GET":
            obj = self.get_object(request, unquote(object_id))
            report_return = obj.report_return if obj is not None else None
            if report_return is not None and (
                report_return.is_locked
                or (
                    scoping.enters_figures_for(request.user, report_return.partner_id)
                    and not scoping.can_edit_return(request.user, report_return)
                )
            ):
                messages.warning(request, write_refusal(request.user, report_return))
        return super().change_view(request, object_id, form_url, extra_context)

    def get_changelist_form(self, request, **kwargs):
        class ListEditForm(ReturnRowFormMixin, forms.ModelForm):
            user = request.user

        kwargs.setdefault("form", ListEditForm)
        return super().get_changelist_form(request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)

        class WithUser(form_class):
            user = request.user

        WithUser.__name__ = form_class.__name__
        return WithUser


class ReturnRowInlineFormSet(BaseInlineFormSet):
    """An inline of results or narratives: a deleted row must be one the user may write too.

    Django ignores the errors of a form marked for deletion, so its own clean() cannot refuse.
    """

    user = None

    def clean(self):
        super().clean()
        for form in self.deleted_forms:
            if form.instance.pk is not None:
                _refuse_unless_writable(self.user, form.instance.report_return)


class ReturnRowInlineMixin:
    """For an admin inline of results or narratives (a form using ReturnRowFormMixin): hands
    the request's user to its forms and formset, so that they ask scoping.can_edit_return for
    the user as the change form does."""

    formset = ReturnRowInlineFormSet

    def get_formset(self, request, obj=None, **kwargs):
        formset_class = super().get_formset(request, obj, **kwargs)
        form = formset_class.form
        form_class = type(form.__name__, (form,), {"user": request.user})
        return type(
            formset_class.__name__, (formset_class,), {"form": form_class, "user": request.user}
        )
