"""Staff pages for coding open answers. Reviewers code and read; Editors manage the codebook
and approve quotes. Filters come from the URL as on the insights pages."""

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.accounts.permissions import role_required
from apps.accounts.roles import Role, user_role_level
from apps.core.csvsafe import neutralize
from apps.core.exceptions import ApplicationError
from apps.core.redirects import is_safe_next
from apps.insights import formatting
from apps.insights.selectors import (
    OPEN_TEXT_KEYS,
    label_open_answers,
    labels,
    open_answer_ignored,
)
from apps.insights.suppression import k
from apps.surveys.filters import ResponseFilterForm, filter_params

from . import selectors, services
from .forms import ApplyCodeForm, CodeForm, CoderPairForm, MergeForm, QuoteForm
from .models import Code, Quote

PAGES = [
    ("coding:answers", gettext_lazy("Code answers")),
    ("coding:codebook", gettext_lazy("Codebook")),
    ("coding:agreement", gettext_lazy("Agreement")),
    ("coding:frequencies", gettext_lazy("Frequencies")),
    ("coding:cooccurrence", gettext_lazy("Codes together")),
    ("coding:quotes", gettext_lazy("Quotes")),
]
BLIND_KEY = "coding_blind"


def _is_blind(request) -> bool:
    return request.session.get(BLIND_KEY, True)


def _context(request: HttpRequest, page: str, **extra) -> dict:
    params = filter_params(request.GET)
    return {
        "filter_form": ResponseFilterForm(request.GET or None),
        "params": params,
        "query": urlencode(params),
        "page_name": page,
        "pages": PAGES,
        "suppression_k": k(),
        "is_editor": user_role_level(request.user) >= Role.EDITOR.level,
        "blind": _is_blind(request),
        **extra,
    }


def _back(request, fallback: str) -> HttpResponse:
    target = request.POST.get("next", "")
    return redirect(target if is_safe_next(target, request) else fallback)


# --- Coding ---


@role_required(Role.REVIEWER)
def answers(request: HttpRequest) -> HttpResponse:
    question = request.GET.get("question", "")
    search = request.GET.get("q", "")[:100]
    todo = request.GET.get("todo") == "1"
    params = filter_params(request.GET)
    # The open-answers page's rules (insights.selectors.OPEN_ANSWER_FILTERS): narrowed by
    # role only, listed only for a group of at least K, rare roles not printed.
    group = selectors.coding_group(params)
    qs = (
        selectors.answers_to_code(
            params,
            coder=request.user,
            blind=_is_blind(request),
            question=question,
            search=search,
            todo=todo,
        )
        if group["allowed"]
        else []
    )
    page = Paginator(qs, 25).get_page(request.GET.get("page", 1))
    label_open_answers(page.object_list, group)
    lab = labels()
    return render(
        request,
        "coding/answers.html",
        _context(
            request,
            "coding:answers",
            answers=page,
            question=question,
            search=search,
            todo=todo,
            questions=[(key, lab.questions.get(key, key)) for key in OPEN_TEXT_KEYS],
            group=group,
            ignored_filters=open_answer_ignored(params),
        ),
    )


def _answer_page(request, answer_id, *, apply_form=None, quote_form=None, status=200):
    try:
        answer = services.codable_answer(answer_id)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("coding:answers")
    data = selectors.answer_for_coding(answer, coder=request.user, blind=_is_blind(request))
    back = request.GET.get("back", "") or request.POST.get("back", "")
    if not back.startswith(reverse("coding:answers")):
        back = ""
    choices = selectors.code_choices()
    lab = labels()
    # The role as the list it came from prints it (none when rare there); no other attribute.
    label_open_answers([answer], selectors.coding_group(_list_params(back)))
    return render(
        request,
        "coding/answer.html",
        _context(
            request,
            "coding:answers",
            data=data,
            answer=answer,
            question_label=lab.questions.get(answer.question.key, answer.question.key),
            apply_form=apply_form or ApplyCodeForm(choices=choices, sentences=data.sentences),
            quote_form=quote_form or QuoteForm(sentences=data.sentences),
            has_codes=bool(choices),
            back=back,
            next_answer=_next_answer(request, answer, back),
        ),
        status=status,
    )


@role_required(Role.REVIEWER)
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    return _answer_page(request, pk)


def _list_params(back: str) -> dict:
    """The filters of the list an answer page was opened from (`back`)."""
    from django.http import QueryDict

    return filter_params(QueryDict(back.partition("?")[2]))


def _next_answer(request, answer, back: str):
    """The next answer this reviewer has not coded, within the list they came from (none
    when that list's group is too small to list)."""
    from django.http import QueryDict

    query = QueryDict(back.partition("?")[2])
    params = filter_params(query)
    if not selectors.coding_group(params)["allowed"]:
        return None
    return (
        selectors.answers_to_code(
            params,
            coder=request.user,
            question=query.get("question", ""),
            search=query.get("q", "")[:100],
            todo=True,
        )
        .exclude(pk=answer.pk)
        .values_list("pk", flat=True)
        .first()
    )


def _answer_url(pk: int, request=None) -> str:
    url = reverse("coding:answer", kwargs={"pk": pk})
    back = request.POST.get("back", "") if request is not None else ""
    if back.startswith(reverse("coding:answers")):
        url += "?" + urlencode({"back": back})
    return url


@role_required(Role.REVIEWER)
@require_POST
def apply_code(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        answer = services.codable_answer(pk)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("coding:answers")
    form = ApplyCodeForm(
        request.POST,
        choices=selectors.code_choices(),
        sentences=selectors.sentences(answer.text_value),
    )
    if form.is_valid():
        start, end = form.span()
        try:
            services.application_add(
                answer_id=pk,
                code_id=form.cleaned_data["code"],
                coder=request.user,
                start=start,
                end=end,
                request=request,
            )
        except ApplicationError as error:
            form.add_error(
                error.extra.get("field") if error.extra.get("field") in form.fields else None,
                error.message,
            )
        else:
            messages.success(request, _("Code applied."))
            return redirect(_answer_url(pk, request))
    return _answer_page(request, pk, apply_form=form, status=400)


@role_required(Role.REVIEWER)
@require_POST
def remove_code(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.application_remove(
            application_id=request.POST.get("application"), coder=request.user, request=request
        )
        messages.success(request, _("Code removed."))
    except (ApplicationError, ValueError) as error:
        messages.error(request, getattr(error, "message", _("That code was already removed.")))
    return redirect(_answer_url(pk, request))


@role_required(Role.REVIEWER)
@require_POST
def mark_coded(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.answer_mark_coded(answer_id=pk, coder=request.user, request=request)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("coding:answers")
    messages.success(request, _("Marked as coded."))
    back = request.POST.get("back", "")
    if not back.startswith(reverse("coding:answers")):
        back = ""
    following = _next_answer(request, services.codable_answer(pk), back)
    if following is None:
        return redirect(back or reverse("coding:answers"))
    url = reverse("coding:answer", kwargs={"pk": following})
    return redirect(url + ("?" + urlencode({"back": back}) if back else ""))


@role_required(Role.REVIEWER)
@require_POST
def set_blind(request: HttpRequest) -> HttpResponse:
    request.session[BLIND_KEY] = request.POST.get("blind") != "0"
    return _back(request, reverse("coding:answers"))


@role_required(Role.REVIEWER)
@require_POST
def quote_create(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        answer = services.codable_answer(pk)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("coding:answers")
    form = QuoteForm(request.POST, sentences=selectors.sentences(answer.text_value))
    if form.is_valid():
        start, end = form.span()
        if start is None or end is None:
            form.add_error(
                None,
                _("Select a passage, choose a sentence, or give its first and last character."),
            )
        else:
            try:
                services.quote_create(
                    answer_id=pk,
                    start=start,
                    end=end,
                    note=form.cleaned_data["note"],
                    by=request.user,
                    request=request,
                )
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Marked as a candidate quote."))
                return redirect(_answer_url(pk, request))
    return _answer_page(request, pk, quote_form=form, status=400)


# --- Codebook (Editors manage it) ---


def _codebook_page(request, *, form=None, merge_form=None, status=200):
    entries = selectors.codebook()
    choices = selectors.code_choices()
    return render(
        request,
        "coding/codebook.html",
        _context(
            request,
            "coding:codebook",
            entries=entries,
            form=form or CodeForm(),
            merge_form=merge_form or MergeForm(choices=choices),
        ),
        status=status,
    )


@role_required(Role.REVIEWER)
def codebook(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _codebook_page(request)
    if user_role_level(request.user) < Role.EDITOR.level:
        raise PermissionDenied
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            code = services.code_create(by=request.user, request=request, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(error.extra.get("field"), error.message)
        else:
            messages.success(request, _("Added the code “%(name)s”.") % {"name": code.name_en})
            return redirect("coding:codebook")
    return _codebook_page(request, form=form, status=400)


@role_required(Role.EDITOR)
def code_edit(request: HttpRequest, pk: int) -> HttpResponse:
    code = Code.objects.filter(pk=pk).first()
    if code is None:
        messages.error(request, _("That code no longer exists (it may have been merged)."))
        return redirect("coding:codebook")
    initial = {
        "name_en": code.name_en,
        "name_es": code.name_es,
        "description_en": code.description_en,
        "description_es": code.description_es,
        "parent": code.parent_id,
    }
    form = CodeForm(request.POST or None, initial=initial, exclude=code)
    if request.method == "POST" and form.is_valid():
        try:
            services.code_update(code=code, by=request.user, request=request, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(error.extra.get("field"), error.message)
        else:
            messages.success(request, _("Saved the code."))
            return redirect("coding:codebook")
    return render(
        request,
        "coding/code_edit.html",
        _context(request, "coding:codebook", code=code, form=form),
        status=400 if form.is_bound else 200,
    )


@role_required(Role.EDITOR)
@require_POST
def code_merge(request: HttpRequest) -> HttpResponse:
    form = MergeForm(request.POST, choices=selectors.code_choices())
    if form.is_valid():
        try:
            target = services.code_merge(
                source_id=form.cleaned_data["source"],
                target_id=form.cleaned_data["target"],
                by=request.user,
                request=request,
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Merged into “%(name)s”.") % {"name": target.name_en})
            return redirect("coding:codebook")
    return _codebook_page(request, merge_form=form, status=400)


# --- Reports ---


@role_required(Role.REVIEWER)
def agreement(request: HttpRequest) -> HttpResponse:
    coders = selectors.coders()
    by_pk = {u.pk: u for u in coders}
    form = CoderPairForm(request.GET if "coder_a" in request.GET else None, coders=coders)
    pair = None
    if form.is_bound and form.is_valid():
        a, b = by_pk[form.cleaned_data["coder_a"]], by_pk[form.cleaned_data["coder_b"]]
        if a.pk == b.pk:
            form.add_error("coder_b", _("Choose two different reviewers."))
        else:
            pair = (a, b)
    elif not form.is_bound and len(coders) >= 2:
        pair = (coders[0], coders[1])
        form = CoderPairForm(
            initial={"coder_a": coders[0].pk, "coder_b": coders[1].pk}, coders=coders
        )
    data = (
        selectors.agreement(filter_params(request.GET), coder_a=pair[0], coder_b=pair[1])
        if pair
        else None
    )
    if data and request.GET.get("format") == "csv":
        return _agreement_csv(data, pair)
    return render(
        request,
        "coding/agreement.html",
        _context(request, "coding:agreement", form=form, pair=pair, data=data, coders=coders),
    )


def _coder_filter(request, coders):
    try:
        pk = int(request.GET.get("coder", ""))
    except ValueError:
        return None
    return next((u for u in coders if u.pk == pk), None)


@role_required(Role.REVIEWER)
def frequencies(request: HttpRequest) -> HttpResponse:
    coders = selectors.coders()
    coder = _coder_filter(request, coders)
    data = selectors.frequencies(filter_params(request.GET), coder=coder)
    if request.GET.get("format") == "csv":
        return _frequencies_csv(data)
    return render(
        request,
        "coding/frequencies.html",
        _context(request, "coding:frequencies", data=data, coders=coders, coder=coder),
    )


@role_required(Role.REVIEWER)
def cooccurrence(request: HttpRequest) -> HttpResponse:
    coders = selectors.coders()
    coder = _coder_filter(request, coders)
    data = selectors.cooccurrence(filter_params(request.GET), coder=coder)
    if request.GET.get("format") == "csv":
        return _cooccurrence_csv(data)
    return render(
        request,
        "coding/cooccurrence.html",
        _context(request, "coding:cooccurrence", data=data, coders=coders, coder=coder),
    )


@role_required(Role.REVIEWER)
def quotes(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    page = Paginator(selectors.quotes_for_staff(status=status), 25).get_page(
        request.GET.get("page", 1)
    )
    # Each quote's role as the open-answer lists print it (none when rare), no other attribute.
    label_open_answers([q.answer for q in page.object_list], selectors.coding_group({}))
    return render(
        request,
        "coding/quotes.html",
        _context(
            request,
            "coding:quotes",
            quotes=page,
            status=status,
            statuses=Quote.Status.choices,
        ),
    )


@role_required(Role.EDITOR)
@require_POST
def quote_status(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.quote_set_status(
            quote_id=pk, status=request.POST.get("status", ""), by=request.user, request=request
        )
        messages.success(request, _("Quote updated."))
    except ApplicationError as error:
        messages.error(request, error.message)
    return _back(request, reverse("coding:quotes"))


# --- CSV (suppression already applied) ---


def _csv_response(name: str):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response.write("\ufeff")
    return response, csv.writer(response)


def _cell(n: int, hidden: bool):
    return formatting.HIDDEN_COUNT if hidden else n


def _fmt(value):
    return "" if value is None else round(value, 3)


def _agreement_csv(data, pair) -> HttpResponse:
    response, writer = _csv_response("coding-agreement")
    writer.writerow(
        [
            "code",
            "reviewer_a",
            "reviewer_b",
            "n",
            "both",
            "only_a",
            "only_b",
            "neither",
            "observed_agreement",
            "kappa",
        ]
    )
    for row in data["rows"]:
        writer.writerow(
            [
                neutralize(row.label),
                neutralize(pair[0].get_username()),
                neutralize(pair[1].get_username()),
                row.n,
                row.both,
                row.only_a,
                row.only_b,
                row.neither,
                _fmt(row.observed),
                _fmt(row.kappa),
            ]
        )
    return response


def _frequencies_csv(data) -> HttpResponse:
    response, writer = _csv_response("code-frequencies")
    writer.writerow(["by", "code", "group", "respondents"])
    for dimension in ("role", "setting"):
        for row in data[dimension]["rows"]:
            for cell in row.cells:
                writer.writerow(
                    [
                        dimension,
                        neutralize(row.label),
                        neutralize(cell.label),
                        _cell(cell.n, cell.hidden),
                    ]
                )
            writer.writerow(
                [dimension, neutralize(row.label), _("Total"), _cell(row.total, row.total_hidden)]
            )
    return response


def _cooccurrence_csv(data) -> HttpResponse:
    response, writer = _csv_response("code-cooccurrence")
    writer.writerow(["code", *[neutralize(label) for _c, label in data["codes"]]])
    for row in data["rows"]:
        writer.writerow(
            [neutralize(row["label"]), *[_cell(c["n"], c["hidden"]) for c in row["cells"]]]
        )
    return response
