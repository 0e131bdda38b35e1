"""Form pieces shared by the admin and app forms that edit rows of a return."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError

from programmes.locks import LockedError, StaleEditError, lock_message, stale_message


class ReturnRowFormMixin:
    """For a ModelForm of a result or outcome narrative: refuse locked and stale edits.

    - A row of an approved return, or a row being put into one, is refused as a form error that
      says who approved it and when.
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
                )
                .filter(pk=instance.pk)
                .first()
            )
            if stored is not None and stored.report_return.is_locked:
                raise LockedError(lock_message(stored.report_return))
            seen = cleaned.get("seen_version")
            if stored is not None and seen is not None and seen != stored.version:
                raise StaleEditError(stale_message(stored, instance.stale_noun))
            if seen is not None:
                # The model's save() compares this with the stored version under a row lock.
                instance.version = seen
        new_return = cleaned.get("report_return") or (
            instance.report_return if instance.report_return_id else None
        )
        if new_return is not None and new_return.is_locked:
            raise LockedError(lock_message(new_return))
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
        if obj is not None and obj.report_return.is_locked:
            return False
        return super().has_delete_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # A locked row opens read-only; say why, rather than leave the editor to guess.
        if request.method == "GET":
            obj = self.get_object(request, unquote(object_id))
            if obj is not None and obj.report_return.is_locked:
                messages.warning(request, lock_message(obj.report_return))
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
