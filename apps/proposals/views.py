"""Staff pages of the proposal workspace. Reviewers read; Editors edit, version, publish,
export and moderate."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.permissions import role_required
from apps.accounts.roles import Role, user_role_level
from apps.core.exceptions import ApplicationError
from apps.core.jobs.views import job_status_response
from apps.surveys.filters import ResponseFilterForm, filter_params

from . import evidence, exporting, selectors, services
from .forms import (
    DispositionForm,
    EvidenceForm,
    ExportForm,
    ModerateForm,
    ProposalSettingsForm,
    SectionForm,
    VersionForm,
)
from .models import EvidenceBlock, ProposalComment, ProposalExport


def _is_editor(request) -> bool:
    return user_role_level(request.user) >= Role.EDITOR.level


def _evidence_form(data=None) -> EvidenceForm:
    from apps.insights.selectors import labels

    quotes = [evidence.quote_fields(q) for q in evidence.usable_quotes()]
    return EvidenceForm(data, quotes=quotes, fact_labels=labels().questions)


@role_required(Role.REVIEWER)
@require_GET
def workspace(request: HttpRequest) -> HttpResponse:
    proposal = selectors.proposal_current()
    return render(
        request,
        "proposals/workspace.html",
        {
            "proposal": proposal,
            "sections": selectors.section_list(proposal),
            "versions": selectors.version_list(proposal)[:5],
            "is_editor": _is_editor(request),
        },
    )


@role_required(Role.EDITOR)
@require_http_methods(["GET", "POST"])
def proposal_settings(request: HttpRequest) -> HttpResponse:
    proposal = selectors.proposal_current()
    form = ProposalSettingsForm(request.POST or None, instance=proposal)
    if request.method == "POST" and form.is_valid():
        services.proposal_settings_update(
            proposal=proposal, data=form.cleaned_data, by=request.user, request=request
        )
        messages.success(request, _("The title page details are saved."))
        return redirect("proposals:workspace")
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "proposals/settings.html", {"form": form}, status=status)


def _section_page(request, section, *, form=None, conflict=None, evidence_form=None, status=200):
    blocks = list(section.blocks.all())
    force = request.GET.get("check") == "all"
    draft = None
    if section.key == "definition":
        roles = evidence.definition_roles()
        wanted = request.GET.get("draft_role", evidence.DEFINITION_ROLE)
        role = next((r for r in roles if r.slug == wanted), None)
        if role is None:  # an unknown or tampered role: the default one
            role = next((r for r in roles if r.slug == evidence.DEFINITION_ROLE), None)
        draft = evidence.definition_draft(role.slug if role else None)
        draft["roles"] = roles
    if form is None:
        initial = {"body": section.body, "revision": section.revision}
        if draft and request.GET.get("use_draft") == "1" and draft["text"]:
            initial["body"] = (section.body + "\n\n" + draft["text"]).strip()
        form = SectionForm(initial=initial)
    return render(
        request,
        "proposals/section.html",
        {
            "section": section,
            "blocks": blocks,
            "stale": selectors.blocks_staleness(blocks, force=force),
            "checked_all": force,
            "form": form,
            "conflict": conflict,
            "conflict_diff": selectors.text_diff(conflict.body, form.data.get("body", ""))
            if conflict
            else None,
            "evidence_form": evidence_form or (_evidence_form() if _is_editor(request) else None),
            "filter_form": ResponseFilterForm(),
            "draft": draft,
            "is_editor": _is_editor(request),
            "k": evidence.k(),
        },
        status=status,
    )


def _section_or_404(key: str):
    section = selectors.section_with_blocks(selectors.proposal_current(), key)
    if section is None:
        raise Http404
    return section


@role_required(Role.REVIEWER)
@require_http_methods(["GET", "POST"])
def section_detail(request: HttpRequest, key: str) -> HttpResponse:
    section = _section_or_404(key)
    if request.method == "GET":
        return _section_page(request, section)
    if not _is_editor(request):
        raise PermissionDenied
    form = SectionForm(request.POST)
    if not form.is_valid():
        return _section_page(request, section, form=form, status=400)
    try:
        services.section_save(
            section=section,
            body=form.cleaned_data["body"],
            revision=form.cleaned_data["revision"],
            by=request.user,
            request=request,
        )
    except services.SectionConflict as exc:
        # Show both texts; the form now carries the latest revision, so saving again after
        # merging is a deliberate choice, never a silent overwrite.
        data = request.POST.copy()
        data["revision"] = exc.current.revision
        return _section_page(
            request, section, form=SectionForm(data), conflict=exc.current, status=409
        )
    except ApplicationError as exc:
        form.add_error("body", exc.message)
        return _section_page(request, section, form=form, status=400)
    messages.success(request, _("The section is saved."))
    return redirect(section)


@role_required(Role.EDITOR)
@require_POST
def evidence_add(request: HttpRequest, key: str) -> HttpResponse:
    section = _section_or_404(key)
    form = _evidence_form(request.POST)
    if not form.is_valid():
        return _section_page(request, section, evidence_form=form, status=400)
    data = form.cleaned_data
    try:
        block = services.evidence_block_add(
            section=section,
            kind=data["kind"],
            filters=filter_params(request.POST),
            options={
                "limit": data.get("limit"),
                "facts": data.get("facts"),
                "quote_ids": data.get("quote_ids"),
            },
            by=request.user,
        )
    except ApplicationError as exc:
        form.add_error(None, exc.message)
        return _section_page(request, section, evidence_form=form, status=400)
    if notice := evidence.too_few_text(block.snapshot):
        # Inserted all the same: it shows its figures once the selection reaches K.
        messages.warning(request, notice)
    else:
        messages.success(request, _("The evidence is inserted with the current figures."))
    return redirect(section.get_absolute_url() + "#evidence")


def _block(key: str, pk: int) -> EvidenceBlock:
    return get_object_or_404(
        EvidenceBlock.objects.select_related("section"), pk=pk, section__key=key
    )


@role_required(Role.EDITOR)
@require_POST
def block_refresh(request: HttpRequest, key: str, pk: int) -> HttpResponse:
    block = _block(key, pk)
    services.evidence_block_refresh(block=block, by=request.user)
    messages.success(request, _("The figures are updated from the current data."))
    return redirect(block.section.get_absolute_url() + "#evidence")


@role_required(Role.EDITOR)
@require_POST
def block_remove(request: HttpRequest, key: str, pk: int) -> HttpResponse:
    block = _block(key, pk)
    services.evidence_block_remove(block=block, by=request.user)
    messages.success(request, _("The evidence block is removed."))
    return redirect(block.section.get_absolute_url() + "#evidence")


@role_required(Role.REVIEWER)
@require_http_methods(["GET", "POST"])
def version_list(request: HttpRequest) -> HttpResponse:
    proposal = selectors.proposal_current()
    form = VersionForm(request.POST or None)
    if request.method == "POST":
        if not _is_editor(request):
            raise PermissionDenied
        if form.is_valid():
            version = services.version_save(
                proposal=proposal, note=form.cleaned_data["note"], by=request.user, request=request
            )
            messages.success(request, _("Version %(n)s is saved.") % {"n": version.number})
            return redirect(version)
    versions = list(selectors.version_list(proposal))
    return render(
        request,
        "proposals/version_list.html",
        {"versions": versions, "form": form, "is_editor": _is_editor(request)},
        status=400 if form.is_bound and form.errors else 200,
    )


def _version_or_404(number: int):
    version = selectors.version_get(selectors.proposal_current(), number)
    if version is None:
        raise Http404
    return version


def _title_page_warning(version) -> str:
    """What the version's title page lacks that a comment to the SOC Policy Committee needs
    (the Federal Register notice it answers, the docket it goes to), said before anyone
    exports it: the documents are made from the version as saved, so they would go out
    without them (a reviewer found a PDF that cited no notice and no docket, and nothing
    had said so). Empty when it has both."""
    citation, docket = version.content.get("notice_citation"), version.content.get("docket_id")
    if citation and docket:
        return ""
    if not citation and not docket:
        lacks = _("no Federal Register notice citation and no docket ID")
    elif not citation:
        lacks = _("no Federal Register notice citation")
    else:
        lacks = _("no docket ID")
    return _(
        "This version's title page has %(lacks)s, so its documents have none either. To add "
        "them, fill in the Title page details, save a new version and export that one."
    ) % {"lacks": lacks}


@role_required(Role.REVIEWER)
@require_GET
def version_detail(request: HttpRequest, number: int) -> HttpResponse:
    version = _version_or_404(number)
    return render(
        request,
        "proposals/version_detail.html",
        {
            "version": version,
            "is_editor": _is_editor(request),
            "export_form": ExportForm(),
            "title_page_warning": _title_page_warning(version),
            "exports": version.exports.select_related("requested_by")[:10],
            "k": evidence.k(),
        },
    )


@role_required(Role.REVIEWER)
@require_GET
def version_compare(request: HttpRequest) -> HttpResponse:
    proposal = selectors.proposal_current()
    versions = list(selectors.version_list(proposal))
    numbers = [v.number for v in versions]

    def pick(name: str, default):
        try:
            value = int(request.GET.get(name, ""))
        except ValueError:
            return default
        return value if value in numbers else default

    new = pick("new", numbers[0] if numbers else None)
    old = pick("old", numbers[1] if len(numbers) > 1 else new)
    comparison = None
    if old is not None and new is not None:
        by_number = {v.number: v for v in versions}
        comparison = selectors.version_compare(by_number[old], by_number[new])
    return render(
        request,
        "proposals/version_compare.html",
        {"versions": versions, "old": old, "new": new, "comparison": comparison},
    )


@role_required(Role.EDITOR)
@require_POST
def version_publish(request: HttpRequest, number: int) -> HttpResponse:
    version = _version_or_404(number)
    try:
        services.version_publish(version=version, by=request.user, request=request)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Version %(n)s is published for comment.") % {"n": number})
    return redirect(version)


@role_required(Role.EDITOR)
@require_POST
def version_withdraw(request: HttpRequest, number: int) -> HttpResponse:
    version = _version_or_404(number)
    try:
        services.version_withdraw(version=version, by=request.user, request=request)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Version %(n)s is withdrawn from comment.") % {"n": number})
    return redirect(version)


@role_required(Role.EDITOR)
@require_POST
def version_export(request: HttpRequest, number: int) -> HttpResponse:
    version = _version_or_404(number)
    form = ExportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose Word (.docx) or PDF as the format."))
        return redirect(version)
    job = exporting.proposal_export_request(
        version=version, format=form.cleaned_data["format"], by=request.user, request=request
    )
    if warning := _title_page_warning(version):
        messages.warning(request, warning)
    return redirect(job)


def _export(pk: int) -> ProposalExport:
    return get_object_or_404(ProposalExport.objects.select_related("version"), pk=pk)


@role_required(Role.EDITOR)
@require_GET
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _export(pk)
    return render(
        request,
        "proposals/export_detail.html",
        {"job": job, "has_file": exporting.proposal_export_file(job) is not None},
    )


@never_cache
@role_required(Role.EDITOR)
@require_GET
def export_status(request: HttpRequest, pk: int) -> JsonResponse:
    job = _export(pk)
    has_file = exporting.proposal_export_file(job) is not None
    return job_status_response(
        job,
        summary=_("%(n)s sections written") % {"n": job.sections_written},
        download_url=reverse("proposals:export_download", args=[job.pk]) if has_file else "",
    )


@never_cache
@role_required(Role.EDITOR)
@require_GET
def export_download(request: HttpRequest, pk: int) -> FileResponse:
    job = _export(pk)
    path = exporting.proposal_export_file(job)
    if path is None:
        raise Http404
    exporting.proposal_export_download_record(job=job, by=request.user, request=request)
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=job.download_name,
        content_type=job.content_type,
    )


@role_required(Role.EDITOR)
@require_GET
def comment_queue(request: HttpRequest) -> HttpResponse:
    proposal = selectors.proposal_current()
    return render(
        request,
        "proposals/comment_queue.html",
        {"queue": selectors.comment_queue(proposal), "disposition_form": DispositionForm()},
    )


@role_required(Role.EDITOR)
@require_POST
def comment_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(ProposalComment, pk=pk)
    form = ModerateForm(request.POST)
    if form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        services.comment_moderate(comment=comment, approve=approve, by=request.user)
        messages.success(
            request, _("The comment is approved.") if approve else _("The comment is rejected.")
        )
    return redirect("proposals:comments")


@role_required(Role.EDITOR)
@require_POST
def comment_dispose(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(ProposalComment, pk=pk)
    form = DispositionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a response and give a short reason."))
        return redirect("proposals:comments")
    try:
        services.comment_dispose(
            comment=comment,
            disposition=form.cleaned_data["disposition"],
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The response is recorded."))
    return redirect("proposals:comments")
