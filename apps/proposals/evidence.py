"""Evidence blocks: figures taken from the dashboards' selectors, as rendered, suppressed cells.

A snapshot is plain JSON that every output (page, version, DOCX, PDF) renders the same way:
{"tables": [{"title", "columns": [column keys], "rows": [[cell, ...]], "total"}],
 "facts": [[label, value]], "quotes": [{"text", "role", "setting"}]}.
Cells are strings. A hidden count (below K, or hidden so that another cannot be worked out) is
the neutral mark formatting.HIDDEN_COUNT ("x") and a statistic resting on fewer than K people is
"—", exactly as the dashboards show them; the hidden value itself is never stored.
Snapshots are taken in English (the submission's language) so a fingerprint does not depend on
the editor's language.
"""

import hashlib
import json

from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.insights import formatting
from apps.insights import selectors as insights
from apps.insights.disclosure import k
from apps.insights.formatting import SUPPRESSED_STAT
from apps.surveys.filters import FILTER_KEYS, ResponseFilterForm

from .models import EvidenceBlock

DEFAULT_TITLE_LIMIT = 15
MAX_LIMIT = 100
# Workforce-profile facts an editor can pick (numbers first, then distributions).
PROFILE_FACTS = insights.PROFILE_NUMBERS + insights.PROFILE_CHOICES
DEFAULT_PROFILE_FACTS = ("hours_per_week", "hourly_rate", "years_in_field", "education")
OVERVIEW_TABLES = ("by_role", "by_setting", "by_employer")

# Column keys stored in snapshots, translated when shown.
COLUMN_LABELS = {
    "task": _("Task"),
    "n": _("n"),
    "relevant_pct": _("Relevant %"),
    "importance": _("Mean importance (95% CI)"),
    "frequency": _("Most common frequency"),
    "class": _("Class"),
    "title": _("Job title"),
    "roles": _("By main role"),
    "category": _("Category"),
    "share": _("%"),
    "fit": _("Mean fit"),
    "mean": _("Mean"),
    "median": _("Median"),
    "p25_p75": _("25th–75th percentile"),
    "measure": _("Measure"),
}


# Column labels that name the scale of the figure (from the question's own choices).
SCALED_LABELS = {"fit": _("Mean fit (%(low)s–%(high)s)")}


def _n(value: int, hidden: bool) -> str:
    return formatting.count(value, hidden)


def _stat(value, kind: str = "share") -> str:
    """A statistic rounded as the dashboards round it (apps/insights/formatting.py)."""
    return formatting.figure(value, kind)


def _table_rows(table) -> list[list[str]]:
    return [[row.label, _n(row.n, row.hidden), _stat(row.share)] for row in table.rows]


def _distribution(table) -> dict:
    return {
        "title": str(table.title),
        "columns": ["category", "n", "share"],
        "rows": _table_rows(table),
        "total": _n(table.total, table.total_hidden),
    }


def _tasks(filters: dict, options: dict) -> dict:
    limit = options.get("limit") or MAX_LIMIT
    rows = []
    for t in insights.task_table(filters, sort="relevance")[:limit]:
        if t.stats_hidden:
            importance = SUPPRESSED_STAT
        else:
            importance = formatting.plain(t.importance_mean, t.importance_digits)
            if t.ci_low is not None:
                low = formatting.figure(t.ci_low, "importance")
                high = formatting.figure(t.ci_high, "importance")
                importance += f" ({low}–{high})"
        relevance = (
            SUPPRESSED_STAT
            if t.hidden or t.relevance_pct is None
            else formatting.plain(t.relevance_pct, t.relevance_digits)
        )
        rows.append(
            [
                f"{t.task.code} {t.task.text_en}",
                _n(t.n, t.hidden),
                relevance,
                importance,
                t.modal_frequency_label or SUPPRESSED_STAT,
                t.classification or SUPPRESSED_STAT,
            ]
        )
    return {
        "tables": [
            {
                "title": gettext("Task ratings"),
                "columns": ["task", "n", "relevant_pct", "importance", "frequency", "class"],
                "rows": rows,
                "total": None,
            }
        ]
    }


def _job_titles(filters: dict, options: dict) -> dict:
    data = insights.job_titles(filters)
    limit = options.get("limit") or DEFAULT_TITLE_LIMIT
    rows = []
    for title in data["canonical"][:limit]:  # titles below K are already left out
        roles = "; ".join(f"{r.label}: {_n(r.n, r.hidden)}" for r in title["roles"])
        rows.append([title["title"], _n(title["n"], title["hidden"]), roles])
    return {
        "tables": [
            {
                "title": gettext("Canonical job titles"),
                "columns": ["title", "n", "roles"],
                "rows": rows,
                "total": _n(data["total"], data["total_hidden"]),
            }
        ],
    }


def _crosswalk(filters: dict, options: dict) -> dict:
    data = insights.crosswalk(filters)
    pooled = data["pooled"]
    rows = [
        [
            row.label,
            _n(row.n, row.hidden),
            _stat(row.share),
            _stat(getattr(row, "fit_mean", None), "fit"),
        ]
        for row in pooled.rows
    ]
    table = {
        "title": str(pooled.title),
        "columns": ["category", "n", "share", "fit"],
        "rows": rows,
        "total": _n(pooled.total, pooled.total_hidden),
    }
    if data.get("fit_range"):
        table["scales"] = {"fit": list(data["fit_range"])}
    return {
        "tables": [table],
        "facts": [
            [gettext("Share saying no existing occupation fits (%)"), _stat(data["none_share"])]
        ],
    }


def _profile(filters: dict, options: dict) -> dict:
    wanted = [f for f in options.get("facts") or DEFAULT_PROFILE_FACTS if f in PROFILE_FACTS]
    data = insights.workforce_profile(filters)
    numbers = [n for n in data["numbers"] if n["key"] in wanted]
    tables = [t for t in data["tables"] if t.key in wanted]
    result: dict = {"tables": []}
    if numbers:
        result["tables"].append(
            {
                "title": gettext("Workforce figures"),
                "columns": ["measure", "n", "mean", "median", "p25_p75"],
                "rows": [
                    [
                        str(n["title"]),
                        _n(n["n"], n["n_hidden"]),
                        _stat(n["mean"], "number"),
                        _stat(n["median"], "number"),
                        SUPPRESSED_STAT
                        if n["p25"] is None
                        else f"{_stat(n['p25'], 'number')}–{_stat(n['p75'], 'number')}",
                    ]
                    for n in numbers
                ],
                "total": None,
            }
        )
    result["tables"] += [_distribution(t) for t in tables]
    return result


def _overview(filters: dict, options: dict) -> dict:
    data = insights.overview(filters)
    return {
        "facts": [[gettext("Complete responses"), _n(data["total"], data["total_hidden"])]],
        "tables": [_distribution(data[key]) for key in OVERVIEW_TABLES],
    }


def quotes_available() -> bool:
    """True when the coding app (quotes from open answers) is installed."""
    from django.apps import apps

    return apps.is_installed("apps.coding")


def usable_quotes(ids=None) -> list:
    """Quotes the public may read (the proposal is public), from the coding app: the
    respondent agreed to be quoted anonymously, contact details redacted."""
    if not quotes_available():
        return []
    from apps.coding.selectors import usable_quotes as coding_usable_quotes

    return list(coding_usable_quotes(public=True, ids=ids))


def quote_fields(quote) -> dict:
    return {
        "id": quote.id,
        "text": quote.text,
        "role": quote.role_label,
        "setting": quote.setting_label,
    }


def _quotes(filters: dict, options: dict) -> dict:
    wanted = [int(q) for q in options.get("quote_ids") or []]
    by_id = {q.id: q for q in usable_quotes(ids=wanted)}
    # A quote no longer usable (consent changed, rejected) drops out at the next refresh.
    return {"quotes": [quote_fields(by_id[pk]) for pk in wanted if pk in by_id]}


BUILDERS = {
    EvidenceBlock.Kind.TASKS: _tasks,
    EvidenceBlock.Kind.JOB_TITLES: _job_titles,
    EvidenceBlock.Kind.CROSSWALK: _crosswalk,
    EvidenceBlock.Kind.PROFILE: _profile,
    EvidenceBlock.Kind.OVERVIEW: _overview,
    EvidenceBlock.Kind.QUOTES: _quotes,
}


def too_few(kind: str, filters: dict) -> str:
    """The dashboards' minimum query-set notice (in the active language) when the filters
    select fewer than K responses and the block would show figures of them; "" otherwise.
    Quotes are not figures of the selection: they come from the coding app's consented,
    redacted quotes."""
    if kind == EvidenceBlock.Kind.QUOTES:
        return ""
    return insights.query_set_notice(filters)


def too_few_text(snapshot: dict) -> str:
    """What a block taken of too few responses says instead of its figures (active language)."""
    if not snapshot.get("too_few"):
        return ""
    return str(insights.QUERY_SET_TOO_SMALL % {"k": snapshot.get("k") or k()})


def snapshot_build(kind: str, filters: dict, options: dict) -> dict:
    """The block's figures from the dashboards' selectors, suppressed, in English. Like every
    dashboard view, none at all when the filters select fewer than K responses (the block
    is then marked `too_few`): below that every cell would describe those few people."""
    if too_few(kind, filters):
        return {"tables": [], "facts": [], "quotes": [], "k": k(), "too_few": True}
    with translation.override("en"):
        snapshot = BUILDERS[kind](filters, options)
    snapshot.setdefault("tables", [])
    snapshot.setdefault("facts", [])
    snapshot.setdefault("quotes", [])
    snapshot["k"] = k()
    return snapshot


def fingerprint(snapshot: dict) -> str:
    return hashlib.sha256(
        json.dumps(snapshot, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()


def data_stamp() -> str:
    """A cheap summary of the data every block reads (a few small aggregate queries): when it
    is unchanged, no block can be stale and no selector needs to run. It includes the state of
    the dashboards' pre-aggregated figures, so a check made while they lagged is redone."""
    from apps.surveys.selectors import survey_data_stamp

    responses, tasks = survey_data_stamp()
    # The dashboards' pre-aggregated figures may lag the responses by up to a minute.
    title_mappings, cube = insights.figures_stamp()
    parts = [responses, title_mappings, tasks, cube]
    if quotes_available():
        from apps.coding.selectors import quotes_stamp

        parts.append(quotes_stamp())
    return hashlib.sha256(json.dumps(parts, default=str, sort_keys=True).encode()).hexdigest()


def block_is_stale(block: EvidenceBlock, *, stamp: str, force: bool = False) -> bool:
    """True when the block's figures differ from what the selectors return now.

    Unless forced, a block taken from the current data stamp is fresh without running any
    selector, and a fresh fingerprint is computed once per block and data stamp (cached)."""
    if not force and block.data_stamp == stamp:
        return False
    # The key names what the figures depend on, so an edited block never reads a stale entry.
    key = "proposals:fp:" + fingerprint(
        {
            "block": block.pk,
            "kind": block.kind,
            "stamp": stamp,
            "filters": block.filters,
            "options": block.options,
        }
    )
    fresh = None if force else cache.get(key)
    if fresh is None:
        fresh = fingerprint(snapshot_build(block.kind, block.filters, block.options))
        cache.set(key, fresh, 3600)
    return fresh != block.fingerprint


# The dashboard page each kind of block takes its figures from.
DASHBOARD_PAGES = {
    EvidenceBlock.Kind.TASKS: "insights:duties",
    EvidenceBlock.Kind.JOB_TITLES: "insights:titles",
    EvidenceBlock.Kind.CROSSWALK: "insights:crosswalk",
    EvidenceBlock.Kind.PROFILE: "insights:workforce",
    EvidenceBlock.Kind.OVERVIEW: "insights:overview",
}


def dashboard_url(kind: str, filters: dict, *, absolute: bool = False) -> str:
    """The dashboard view a block's figures come from, with the same filters ("" for quotes);
    absolute (on the portal's address, apps.core.siteurl) for documents read away from it."""
    from django.urls import reverse
    from django.utils.http import urlencode

    from apps.core.siteurl import absolute as absolute_url

    name = DASHBOARD_PAGES.get(kind)
    if name is None:
        return ""
    query = urlencode([(key, filters[key]) for key in FILTER_KEYS if key in (filters or {})])
    url = reverse(name) + (f"?{query}" if query else "")
    return absolute_url(url) if absolute else url


def short_stamp(stamp: str) -> str:
    """The part of a data stamp people compare (12 hex digits)."""
    return (stamp or "")[:12]


def filters_description(filters: dict) -> list[tuple[str, str]]:
    """(label, value) pairs of the filters a block used, in the active language."""
    form = ResponseFilterForm()
    return [
        (str(form.fields[key].label), str(filters[key])) for key in FILTER_KEYS if key in filters
    ]


def column_label(key: str, table: dict | None = None) -> str:
    """A snapshot column's heading in the active language; a column whose figures are on a
    rating scale names that scale, from the question's own choices (stored in the table)."""
    scale = ((table or {}).get("scales") or {}).get(key)
    if scale and key in SCALED_LABELS:
        return str(SCALED_LABELS[key]) % {"low": scale[0], "high": scale[1]}
    return str(COLUMN_LABELS.get(key, key))


# --- Definition draft ---


def _clause(text: str) -> str:
    text = text.strip().rstrip(".")
    return text[:1].lower() + text[1:] if text else text


# The main role a draft definition is built from unless the editor picks another (see
# insights.CORE_TASKS_ROLE: pooled over every role, a manager's task read as a required duty).
DEFINITION_ROLE = insights.CORE_TASKS_ROLE


def definition_roles() -> list:
    """The main roles a draft definition can be built from (the survey's roles)."""
    from apps.surveys.selectors import role_list

    return list(role_list())


def definition_draft(role: str | None = DEFINITION_ROLE, *, max_may: int = 5) -> dict:
    """A draft definition from the task table of one main role: one "required duties"
    sentence from the core tasks and "May ..." sentences from the supplemental ones (most
    relevant first). Tasks whose figures are imprecise (under 10 ratings, or an importance
    interval wider than a point) are left out, as DOMAIN.md section 8 asks of public output;
    so are tasks whose figures are hidden."""
    stats = insights.task_table({"role": role} if role else {}, sort="relevance")
    usable = [s for s in stats if s.classification and not s.low_precision]
    core = [s.task.text_en for s in usable if s.classification == "core"]
    supplemental = [s.task.text_en for s in usable if s.classification == "supplemental"]
    required = ""
    if core:
        clauses = [_clause(t) for t in core]
        first = clauses[0][:1].upper() + clauses[0][1:]
        if len(clauses) == 1:
            required = first + "."
        else:
            required = "; ".join([first, *clauses[1:-1]]) + "; and " + clauses[-1] + "."
    may = [f"May {_clause(t)}." for t in supplemental[:max_may]]
    return {
        "role": role or "",
        "required": required,
        "may": may,
        "left_out": len(stats) - len(usable),
        "text": " ".join([required, *may]).strip(),
    }
