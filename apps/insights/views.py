"""Staff dashboards. Reviewers and above; every page takes the shared filters from the URL."""

import csv
import functools

from django import forms
from django.contrib import messages
from django.db import IntegrityError, connection
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.accounts.permissions import role_required
from apps.accounts.roles import Role, user_role_level
from apps.core.csvsafe import neutralize
from apps.surveys.filters import ResponseFilterForm, filter_params, filtered_responses
from apps.surveys.selectors import survey_version_by_pk, task_by_code

from . import formatting, selectors
from .disclosure import MAX_NOISE, k
from .models import SavedView, TitleMapping

FILTER_NOT_APPLIED = gettext_lazy("The filter “%(filter)s” was not applied: %(why)s")
NOTHING_MATCHES = gettext_lazy(
    "No complete responses match these filters. Clear a filter or widen the dates."
)
VERSION_HAS_NO_RESPONSES = gettext_lazy(
    "Survey version %(number)s has no complete responses yet, so there are no figures for it."
)

PAGES = [
    ("insights:overview", gettext_lazy("Overview")),
    ("insights:duties", gettext_lazy("Duties")),
    ("insights:titles", gettext_lazy("Job titles")),
    ("insights:crosswalk", gettext_lazy("Crosswalk")),
    ("insights:workforce", gettext_lazy("Workforce profile")),
    ("insights:open_answers", gettext_lazy("Open answers")),
    ("insights:crosstab", gettext_lazy("Cross-tabs")),
]


def filter_notices(data, params: dict) -> tuple[list[str], str]:
    """(filters given but not applied, each with why; a message when nothing matches the
    filters applied), in the user's language, for the top of every dashboard page."""
    form = ResponseFilterForm(data or None)
    problems = []
    if form.is_bound and not form.is_valid():
        for name, errors in form.errors.items():
            if name in form.fields and data.get(name, "") != "":
                problems.append(
                    FILTER_NOT_APPLIED
                    % {"filter": form.fields[name].label, "why": " ".join(errors)}
                )
    empty = ""
    if params and not filtered_responses(params).exists():
        version = params.get("version") and survey_version_by_pk(params["version"])
        if version and not filtered_responses({"version": params["version"]}).exists():
            empty = VERSION_HAS_NO_RESPONSES % {"number": version.number}
        else:
            empty = NOTHING_MATCHES
    return problems, empty


def _context(request: HttpRequest, page: str, **extra) -> dict:
    params = filter_params(request.GET)
    query = urlencode(params)
    problems, empty = filter_notices(request.GET, params)
    return {
        "filter_problems": problems,
        "nothing_matches": empty,
        "filter_form": ResponseFilterForm(request.GET or None),
        "params": params,
        "query": query,
        "page_name": page,
        "pages": PAGES,
        "saved_views": SavedView.objects.filter(user=request.user),
        "suppression_k": k(),
        "disclosure_noise": MAX_NOISE,
        # Record-level exports are for Administrators (docs/security-privacy.md): the form
        # that requests one is shown to them only (a Reviewer's click ended on a 403).
        "can_export_responses": user_role_level(request.user) >= Role.ADMINISTRATOR.level,
        **extra,
    }


def _too_small(
    request: HttpRequest,
    notice: str,
    template: str,
    page: str,
    csv_name: str,
    *,
    status: int = 200,
    **extra,
) -> HttpResponse:
    """A selection under the minimum query-set size (selectors.query_set_notice): the page
    with its filter form and the message instead of figures; its CSV a message line only."""
    if request.GET.get("format") == "csv" and status == 200:
        response, writer = _csv_response(csv_name)
        writer.writerow(["message"])
        writer.writerow([notice])
        return response
    context = _context(request, page, query_set_too_small=notice, **extra)
    return render(request, template, context, status=status)


class KnownCount:
    """A queryset whose length is already known (from the pre-aggregated figures), so the
    paginator does not count millions of rows again."""

    ordered = True

    def __init__(self, queryset, count: int):
        self.queryset = queryset
        self._count = count

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index):
        return self.queryset[index]


def csv_filters_checked(view):
    """A table download (`format=csv`) whose filters were not all applied is refused with
    the page's own notices: the page says "The filter ... was not applied", a file carries no
    such line, and a reviewer once downloaded unfiltered tables believing them filtered."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.GET.get("format") == "csv":
            problems, _empty = filter_notices(request.GET, filter_params(request.GET))
            if problems:
                return HttpResponse(
                    "\n".join([*problems, _("Correct the filters, then download again.")]),
                    status=400,
                    content_type="text/plain; charset=utf-8",
                )
        return view(request, *args, **kwargs)

    return wrapped


def without_jit(view):
    """Run a dashboard view with PostgreSQL's JIT compilation off (for the request's
    transaction: ATOMIC_REQUESTS). Its cost model sends the dashboards' aggregations over
    many rows to JIT, which then spends longer compiling than they take to run: in
    EXPLAIN ANALYZE of a crosswalk view filtered on a state and a setting at 1,000,000
    responses, 2.7 s of compilation for a 2.4 s query; the page took 4.4 s with it, 2.8 s
    without. The figures' build turns it off for the same reason (apps/insights/cube.py)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if connection.vendor == "postgresql" and connection.in_atomic_block:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        return view(request, *args, **kwargs)

    return wrapped


@role_required(Role.REVIEWER)
@without_jit
@csv_filters_checked
def overview(request: HttpRequest) -> HttpResponse:
    params = filter_params(request.GET)
    if notice := selectors.query_set_notice(params):
        return _too_small(
            request, notice, "insights/overview.html", "insights:overview", "overview"
        )
    data = selectors.overview(params)
    if request.GET.get("format") == "csv":
        tables = [
            data["over_time"],
            data["unfinished"],
            data["funnel"],
            data["by_collector"],
            data["by_state"],
            data["by_role"],
            data["by_setting"],
            data["by_employer"],
        ]
        return _tables_csv("overview", tables)
    return render(
        request, "insights/overview.html", _context(request, "insights:overview", data=data)
    )


@role_required(Role.REVIEWER)
@without_jit
@csv_filters_checked
def duties(request: HttpRequest) -> HttpResponse:
    params = filter_params(request.GET)
    sort = request.GET.get("sort", "relevance")
    if notice := selectors.query_set_notice(params):
        return _too_small(
            request, notice, "insights/duties.html", "insights:duties", "duties", sort=sort
        )
    tasks = selectors.task_table(params, sort=sort)
    if request.GET.get("format") == "csv":
        return _tasks_csv(tasks)
    return render(
        request,
        "insights/duties.html",
        _context(
            request,
            "insights:duties",
            tasks=tasks,
            sort=sort,
            write_ins=selectors.write_in_tasks(params),
        ),
    )


@role_required(Role.REVIEWER)
@without_jit
@csv_filters_checked
def task_detail(request: HttpRequest, code: str) -> HttpResponse:
    task = task_by_code(code)
    if task is None:
        raise Http404
    params = filter_params(request.GET)
    if notice := selectors.query_set_notice(params):
        return _too_small(
            request,
            notice,
            "insights/task_detail.html",
            "insights:duties",
            "task",
            detail={"task": task},
        )
    detail = selectors.task_detail(params, task)
    return render(
        request, "insights/task_detail.html", _context(request, "insights:duties", detail=detail)
    )


class MergeTitlesForm(forms.Form):
    titles = forms.MultipleChoiceField(label=gettext_lazy("Variants to merge"), choices=[])
    canonical = forms.CharField(label=gettext_lazy("Canonical title"), max_length=200)

    def __init__(self, *args, variants: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["titles"].choices = [(v, v) for v in variants]


@role_required(Role.REVIEWER)
@without_jit
@csv_filters_checked
def titles(request: HttpRequest) -> HttpResponse:
    params = filter_params(request.GET)
    if notice := selectors.query_set_notice(params):
        return _too_small(request, notice, "insights/titles.html", "insights:titles", "job-titles")
    data = selectors.job_titles(params)
    variants = [v["normalized"] for v in data["variants"]]
    form = MergeTitlesForm(request.POST or None, variants=variants)
    if request.method == "POST" and form.is_valid():
        canonical = form.cleaned_data["canonical"].strip()
        for title in form.cleaned_data["titles"]:
            # One merge a title, whichever of its spellings (with or without accents) the
            # page showed when it was made.
            stale = [
                pk
                for pk, norm in TitleMapping.objects.values_list("pk", "normalized")
                if norm != title and selectors.title_key(norm) == selectors.title_key(title)
            ]
            TitleMapping.objects.filter(pk__in=stale).delete()
            TitleMapping.objects.update_or_create(
                normalized=title, defaults={"canonical": canonical, "merged_by": request.user}
            )
        messages.success(
            request,
            _("Merged %(n)s variants into “%(title)s”.")
            % {"n": len(form.cleaned_data["titles"]), "title": canonical},
        )
        return redirect(reverse("insights:titles") + ("?" + urlencode(params) if params else ""))
    if request.GET.get("format") == "csv":
        return _titles_csv(data)
    return render(
        request,
        "insights/titles.html",
        _context(request, "insights:titles", data=data, form=form),
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@role_required(Role.REVIEWER)
@without_jit
@csv_filters_checked
def crosswalk(request: HttpRequest) -> HttpResponse:
    params = filter_params(request.GET)
    if notice := selectors.query_set_notice(params):
        return _too_small(
            request, notice, "insights/crosswalk.html", "insights:crosswalk", "crosswalk"
        )
    data = selectors.crosswalk(params)
    if request.GET.get("format") == "csv":
        return _tables_csv("crosswalk", [data["pooled"], *data["by_role"]], fit=True)
    return render(
        request, "insights/crosswalk.html", _context(request, "insights:crosswalk", data=data)
    )


@role_required(Role.REVIEWER)
@without_jit
@csv_filters_checked
def workforce(request: HttpRequest) -> HttpResponse:
    params = filter_params(request.GET)
    if notice := selectors.query_set_notice(params):
        return _too_small(
            request, notice, "insights/workforce.html", "insights:workforce", "workforce"
        )
    data = selectors.workforce_profile(params)
    if request.GET.get("format") == "csv":
        return _workforce_csv(data)
    return render(
        request, "insights/workforce.html", _context(request, "insights:workforce", data=data)
    )


@role_required(Role.REVIEWER)
@without_jit
def open_answers(request: HttpRequest) -> HttpResponse:
    from django.core.paginator import Paginator

    question = request.GET.get("question", "")
    search = request.GET.get("q", "")[:100]
    params = filter_params(request.GET)
    # Only the role filter applies to a list of answers (selectors.OPEN_ANSWER_FILTERS).
    if notice := selectors.query_set_notice(selectors.open_answer_params(params)):
        return _too_small(
            request, notice, "insights/open_answers.html", "insights:open_answers", "open-answers"
        )
    group = selectors.open_answer_group(params)
    if group["allowed"]:
        answers = selectors.open_answers(params, question=question, search=search)
        count = selectors.open_answer_count(params, question=question, search=search)
        if count is not None:
            answers = KnownCount(answers, count)
    else:  # fewer than K respondents: their answers would point to them
        answers = []
    page = Paginator(answers, 25).get_page(request.GET.get("page", 1))
    selectors.label_open_answers(page.object_list, group)
    lab = selectors.labels()
    questions = [(key, lab.questions.get(key, key)) for key in selectors.OPEN_TEXT_KEYS]
    return render(
        request,
        "insights/open_answers.html",
        _context(
            request,
            "insights:open_answers",
            answers=page,
            question=question,
            search=search,
            questions=questions,
            group=group,
            ignored_filters=selectors.open_answer_ignored(params),
        ),
    )


@role_required(Role.REVIEWER)
@require_POST
def save_view(request: HttpRequest) -> HttpResponse:
    name = request.POST.get("name", "").strip()[:100]
    page = request.POST.get("page", "insights:overview")
    if page not in dict(PAGES):
        raise Http404
    query = urlencode(filter_params(request.POST) | _saved_axes(page, request.POST))
    if not name:
        messages.error(request, _("Give the view a name."))
    else:
        try:
            SavedView.objects.update_or_create(
                user=request.user, name=name, defaults={"page": page, "query": query}
            )
            messages.success(request, _("Saved the view “%(name)s”.") % {"name": name})
        except IntegrityError:
            messages.error(request, _("That name is taken."))
    return redirect(reverse(page) + (f"?{query}" if query else ""))


def _saved_axes(page: str, data) -> dict:
    """The cross-tab's two axes, kept in a saved view of that page (checked when opened)."""
    if page != "insights:crosstab":
        return {}
    return {key: data.get(key, "")[:80] for key in ("rows", "columns") if data.get(key)}


@role_required(Role.REVIEWER)
def open_view(request: HttpRequest, pk: int) -> HttpResponse:
    view = get_object_or_404(SavedView, pk=pk, user=request.user)
    return redirect(reverse(view.page) + (f"?{view.query}" if view.query else ""))


# --- CSV of the aggregate tables (suppression already applied) ---


def _csv_response(name: str) -> tuple[HttpResponse, csv.writer]:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response.write("\ufeff")
    return response, csv.writer(response)


def _cell(value, hidden: bool = False):
    """A count or a text cell: the hidden mark when hidden, neutralized text otherwise."""
    if hidden:
        return formatting.HIDDEN_COUNT
    if value is None:
        return ""
    return neutralize(value) if isinstance(value, str) else value


def _stat(value, digits, hidden: bool = False) -> str:
    """A statistic cell, rounded as the dashboard shows it (formatting.py), never localized;
    the hidden mark when its count is hidden, blank when the statistic is."""
    if hidden:
        return formatting.HIDDEN_COUNT
    places = formatting.DIGITS[digits] if isinstance(digits, str) else digits
    return formatting.plain(value, places)


def _tables_csv(name: str, tables, *, fit: bool = False) -> HttpResponse:
    response, writer = _csv_response(name)
    writer.writerow(["table", "category", "n", "percent", *(["mean_fit"] if fit else [])])
    for table in tables:
        for row in table.rows:
            extra = [_stat(getattr(row, "fit_mean", None), "fit")] if fit else []
            writer.writerow(
                [
                    neutralize(str(table.title)),
                    neutralize(row.label),
                    _cell(row.n, row.hidden),
                    _stat(row.share, "share", row.hidden),
                    *extra,
                ]
            )
        writer.writerow(
            [
                neutralize(str(table.title)),
                _("Total"),
                _cell(table.total, table.total_hidden),
                "",
                *([""] if fit else []),
            ]
        )
    return response


def _tasks_csv(tasks) -> HttpResponse:
    response, writer = _csv_response("duties")
    writer.writerow(
        [
            "task",
            "statement",
            "n",
            "relevance_pct",
            "importance_mean",
            "importance_sd",
            "ci95_low",
            "ci95_high",
            "modal_frequency",
            "classification",
            *[f"frequency_{c}_pct" for c in range(1, 8)],
            "n_rated",
        ]
    )
    for t in tasks:
        writer.writerow(
            [
                t.task.code,
                neutralize(t.task.text_en),
                _cell(t.n, t.hidden),
                _stat(t.relevance_pct, t.relevance_digits, t.hidden),
                _stat(t.importance_mean, t.importance_digits),
                _stat(t.importance_sd, "sd"),
                _stat(t.ci_low, "importance"),
                _stat(t.ci_high, "importance"),
                _cell(t.modal_frequency),
                t.classification,
                *[_stat(f["share"], "share", t.stats_hidden) for f in t.frequency],
                _cell(t.rated, t.stats_hidden),
            ]
        )
    return response


def _titles_csv(data) -> HttpResponse:
    response, writer = _csv_response("job-titles")
    writer.writerow(["canonical_title", "role", "n"])
    for title in data["canonical"]:
        writer.writerow([neutralize(title["title"]), _("All roles"), title["n"]])
        for row in title["roles"]:
            writer.writerow(
                [neutralize(title["title"]), neutralize(row.label), _cell(row.n, row.hidden)]
            )
    return response


def _workforce_csv(data) -> HttpResponse:
    response, writer = _csv_response("workforce")
    writer.writerow(["measure", "n", "mean", "p25", "median", "p75"])
    for number in data["numbers"]:
        writer.writerow(
            [
                neutralize(number["title"]),
                _cell(number["n"], number["n_hidden"]),
                _stat(number["mean"], "number"),
                _stat(number["p25"], "number"),
                _stat(number["median"], "number"),
                _stat(number["p75"], "number"),
            ]
        )
    writer.writerow([])
    tables_response = _tables_csv("workforce", [*data["tables"], *data["demographics"]])
    response.write(tables_response.content.decode().lstrip("\ufeff"))
    return response


# --- Cross-tabs ---


@role_required(Role.REVIEWER)
@without_jit
@csv_filters_checked
def crosstab_view(request: HttpRequest) -> HttpResponse:
    """Two questions (or a question by role, setting, state or partner link) crossed, with
    the dashboards' filters; every figure through the disclosure layer (crosstab.py)."""
    from . import crosstab

    params = filter_params(request.GET)
    row_axis = request.GET.get("rows", "")[:80]
    column_axis = request.GET.get("columns", "")[:80]
    table, error = None, ""
    if row_axis or column_axis:
        if not (row_axis and column_axis):
            error = _("Pick a question for the rows and one for the columns.")
        else:
            try:
                crosstab.check_axes(row_axis, column_axis)
            except crosstab.CrossTabError as problem:
                error = str(problem)
    if notice := selectors.query_set_notice(params):
        return _too_small(
            request,
            notice,
            "insights/crosstab.html",
            "insights:crosstab",
            "crosstab",
            status=400 if error else 200,
            error=error,
            axis_choices=crosstab.axis_choices(),
            row_axis=row_axis,
            column_axis=column_axis,
        )
    if row_axis and column_axis and not error:
        try:
            table = crosstab.crosstab(params, row_axis, column_axis)
        except crosstab.CrossTabError as problem:
            error = str(problem)
    if table is not None and request.GET.get("format") == "csv":
        return _crosstab_csv(table)
    context = _context(
        request,
        "insights:crosstab",
        table=table,
        error=error,
        axis_choices=crosstab.axis_choices(),
        row_axis=row_axis,
        column_axis=column_axis,
        csv_query=urlencode({**params, "rows": row_axis, "columns": column_axis, "format": "csv"}),
    )
    return render(request, "insights/crosstab.html", context, status=400 if error else 200)


def crosstab_rows(table) -> list[list]:
    """The cross-tab as CSV rows: one line per cell, totals included (what the page shows)."""
    rows = [["row", "column", "n", "row_percent"]]
    total_label = _("Total")
    for line in table.rows:
        for (_key, label), cell in zip(table.columns, line.cells, strict=True):
            rows.append(
                [
                    neutralize(line.label),
                    neutralize(label),
                    _cell(cell.n, cell.hidden),
                    _stat(cell.share, "share"),
                ]
            )
        rows.append(
            [neutralize(line.label), total_label, _cell(line.total.n, line.total.hidden), ""]
        )
    for (_key, label), cell in zip(table.columns, table.column_totals, strict=True):
        rows.append(
            [total_label, neutralize(label), _cell(cell.n, cell.hidden), _stat(cell.share, "share")]
        )
    rows.append([total_label, total_label, _cell(table.grand.n, table.grand.hidden), ""])
    return rows


def _crosstab_csv(table) -> HttpResponse:
    response, writer = _csv_response(f"crosstab-{table.row_axis}-{table.column_axis}")
    writer.writerow([neutralize(table.caption)])
    writer.writerows(crosstab_rows(table))
    return response
