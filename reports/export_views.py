"""The Excel pages: download the funding report, download and upload quarterly workbooks.

Views stay thin: who may do what is asked of programmes/scoping.py, reads go through
reports/selectors.py, and the import through reports/services.py.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from programmes import scoping
from programmes.selectors import quarter_return
from reports import selectors
from reports.excel.funding_report import write_funding_report
from reports.excel.return_import import max_upload_bytes, too_large
from reports.excel.return_template import write_return_workbook
from reports.export_forms import ReportForm, ReturnTemplateForm, ReturnUploadForm
from reports.services import apply_return_workbook
from wirralsafe.exports import xlsx_file_response

SESSION_KEY = "reports_return_upload"


def _require_role(user) -> None:
    if not scoping.roles_of(user):
        raise PermissionDenied("You have no role in wirralsafe yet.")


def _require_editor(user) -> None:
    if not scoping.editable_partner_ids(user):
        raise PermissionDenied("Only partner editors can download or upload quarterly returns.")


@require_http_methods(["GET"])
def report_index(request):
    """The report's choices; with ?download the workbook itself."""
    _require_role(request.user)
    form = ReportForm(request.GET if "download" in request.GET else None, user=request.user)
    if form.is_bound and form.is_valid():
        # The form offers only years and streams that exist, and the pending choice only to
        # those who may see pending figures: nothing is left to refuse once it is valid.
        data = form.cleaned_data
        year, stream = data["year"], data["stream"] or None
        include_pending = data.get("include_pending", False)
        name = f"funding-report-{year.replace('/', '-')}"
        if stream:
            name += f"-{stream}"
        if include_pending:
            name += "-with-pending"
        user = request.user

        def write(handle):
            # Read here, once the download has begun: at scale reading takes longer than writing.
            report = selectors.funding_report(
                user=user, year_label=year, stream_slug=stream, include_pending=include_pending
            )
            write_funding_report(report, handle, generated_by=user.get_username())

        return xlsx_file_response(write, f"{name}.xlsx")
    return render(
        request,
        "reports/report_index.html",
        {"form": form, "edits_returns": bool(scoping.editable_partner_ids(request.user))},
    )


@require_http_methods(["GET"])
def return_template_download(request):
    _require_editor(request.user)
    # The form's button sends ?download; a link with only ?partner=&quarter= preselects them.
    bound = "download" in request.GET
    form = ReturnTemplateForm(request.GET if bound else None, user=request.user)
    if not bound:
        form.preselect(
            partner=request.GET.get("partner", ""), quarter=request.GET.get("quarter", "")
        )
    if bound and form.is_valid():
        # The form offers only the partners this user edits and quarters that have begun.
        partner = form.cleaned_data["partner"]
        start_year, quarter = selectors.parse_quarter(form.cleaned_data["quarter"])
        label = selectors.quarter_label(start_year, quarter)
        filename = f"return-{partner.slug}-{label.replace('/', '-').replace(' ', '-')}"
        user = request.user

        def write(handle):
            template = selectors.return_template(
                user=user, partner=partner, start_year=start_year, quarter=quarter
            )
            write_return_workbook(template, handle, generated_by=user.get_username())

        return xlsx_file_response(write, f"{filename}.xlsx")
    return render(request, "reports/return_template.html", {"form": form})


def _upload_dir() -> Path:
    directory = Path(settings.RETURN_UPLOAD_DIR)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    return directory


def _stash(request, data: bytes, name: str) -> str:
    """Keep the upload between preview and confirmation: a private file named by a random
    token, with its hash in the session, so that only this session can confirm exactly the
    file it previewed."""
    _discard(request)
    _sweep()
    token = secrets.token_hex(16)
    path = _upload_dir() / f"{token}.xlsx"
    path.touch(mode=0o600)
    path.write_bytes(data)
    request.session[SESSION_KEY] = {
        "token": token,
        "sha256": hashlib.sha256(data).hexdigest(),
        "name": name,
    }
    return token


def _sweep() -> None:
    """Remove uploads abandoned at the preview for longer than a session can last."""
    cutoff = time.time() - settings.SESSION_COOKIE_AGE
    for path in _upload_dir().glob("*.xlsx"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def _discard(request) -> None:
    stashed = request.session.pop(SESSION_KEY, None)
    if stashed:
        (_upload_dir() / f"{stashed['token']}.xlsx").unlink(missing_ok=True)


def _stashed(request, token: str) -> bytes | None:
    stashed = request.session.get(SESSION_KEY)
    if not stashed or not secrets.compare_digest(stashed["token"], token or ""):
        return None
    path = _upload_dir() / f"{stashed['token']}.xlsx"
    if not path.is_file():
        return None
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != stashed["sha256"]:
        return None
    return data


@require_http_methods(["GET", "POST"])
def return_upload(request):
    """Upload, preview every change and problem, then confirm to apply all in one go."""
    _require_editor(request.user)
    context = {"max_bytes": max_upload_bytes()}
    if request.method == "POST" and "confirm" in request.POST:
        data = _stashed(request, request.POST.get("token", ""))
        if data is None:
            context["form"] = ReturnUploadForm()
            context["error"] = (
                "The previewed file is no longer available or has changed. Upload it again."
            )
            return render(request, "reports/return_upload.html", context, status=400)
        preview = apply_return_workbook(file=data, user=request.user, dry_run=False)
        _discard(request)
        context.update(preview=preview, applied=preview.applied)
        if preview.applied:
            report_return = quarter_return(
                partner=preview.partner, start_year=preview.start_year, quarter=preview.quarter
            )
            context["report_return"] = report_return
            # Words for what comes next: submit it, or (an administrator's correction to a
            # submitted return) leave it with the approver.
            context["may_submit"] = report_return is not None and scoping.may_submit(
                request.user, report_return
            )
        return render(request, "reports/return_preview.html", context)
    form = ReturnUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > max_upload_bytes():
            form.add_error(
                "file",
                too_large(upload.size, max_upload_bytes()),
            )
        else:
            data = upload.read()
            preview = apply_return_workbook(file=data, user=request.user, dry_run=True)
            token = _stash(request, data, upload.name) if preview.ok and preview.changes else ""
            context.update(preview=preview, token=token, filename=upload.name)
            return render(request, "reports/return_preview.html", context)
    context["form"] = form
    return render(request, "reports/return_upload.html", context)
