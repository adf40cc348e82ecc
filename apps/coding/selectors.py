"""Reads for coding: codebook, answers to code, agreement, frequencies, co-occurrence, quotes.

Every function issues a fixed number of queries whatever the number of answers.
"""

import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q
from django.db.models.functions import Coalesce, Lower
from django.utils.translation import gettext as _

from apps.insights.disclosure import Row, Tally, is_small, key_sum, protect_table, shown_count
from apps.insights.selectors import (
    labels,
    open_answer_group,
    open_answer_params,
    query_set_notice,
)
from apps.insights.selectors import open_answers as insights_open_answers
from apps.surveys.filters import filtered_responses
from apps.surveys.selectors import QuoteConsent, answer_list, response_included_list, role_list

from .models import Code, CodeApplication, CodedAnswer, Quote

# --- Quotes ---

# Contact details a respondent may have typed into an answer; a quote never carries them.
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<!\w)(?:\+?1[\s.-]?)?(?:\(\d{3}\)|\d{3})[\s.-]?\d{3}[\s.-]?\d{4}(?!\w)")
_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
REDACTED = "[…]"


def redact_contact_details(text: str) -> str:
    """Replace e-mail addresses, US phone numbers and web addresses by an ellipsis mark."""
    for pattern in (_EMAIL, _URL, _PHONE):
        text = pattern.sub(REDACTED, text)
    return text


@dataclass(frozen=True)
class UsableQuote:
    """A quote as other apps may use it: the excerpt and the respondent's role and setting
    labels, nothing else about the respondent (no response id, no contact details)."""

    id: int
    text: str
    role_label: str
    setting_label: str
    question_label: str
    use: str  # "public" (quoted anonymously) or "internal" (internal use only)
    status: str
    note: str


PUBLIC = "public"
INTERNAL = "internal"
CONSENT_USE = {
    QuoteConsent.ANONYMOUS: PUBLIC,
    QuoteConsent.INTERNAL: INTERNAL,
}


def allowed_consents(*, public: bool) -> list[str]:
    """Consent values that allow public use (anonymous quoting) or internal use."""
    if public:
        return [QuoteConsent.ANONYMOUS]
    return [QuoteConsent.ANONYMOUS, QuoteConsent.INTERNAL]


def usable_quotes(
    *, public: bool, role=None, ids=None, include_candidates: bool = True
) -> list[UsableQuote]:
    """Quotes that may be used publicly (respondent agreed to anonymous quoting) or
    internally (anonymous or internal-only consent); never from a respondent who gave no
    consent, nor from an excluded or incomplete response, nor rejected ones.

    `role` is a survey Role or its slug; `ids` limits to chosen quotes. Approved quotes come
    first. Contact details typed into an answer are redacted from the excerpt. Two queries.
    """
    statuses = [Quote.Status.APPROVED]
    if include_candidates:
        statuses.append(Quote.Status.CANDIDATE)
    qs = (
        Quote.objects.filter(
            status__in=statuses,
            answer__response__in=response_included_list(),
            answer__response__quote_consent__in=allowed_consents(public=public),
        )
        .select_related("answer__question", "answer__response__role")
        .only(
            "text",
            "status",
            "note",
            "answer__question__key",
            "answer__question__text_en",
            "answer__question__text_es",
            "answer__response__setting",
            "answer__response__quote_consent",
            "answer__response__role__label_en",
            "answer__response__role__label_es",
        )
        .order_by("status", "-created_at", "-id")  # "approved" sorts before "candidate"
    )
    if role is not None:
        slug = getattr(role, "slug", None) or str(role)  # a survey Role or its slug
        qs = qs.filter(answer__response__role__slug=slug)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    setting_labels = labels().choices.get("setting", {})
    result = []
    for quote in qs:
        response = quote.answer.response
        result.append(
            UsableQuote(
                id=quote.pk,
                text=redact_contact_details(quote.text),
                role_label=response.role.tr("label") if response.role else "",
                setting_label=setting_labels.get(response.setting, response.setting),
                question_label=quote.answer.question.tr("text"),
                use=CONSENT_USE[response.quote_consent],
                status=quote.status,
                note=quote.note,
            )
        )
    return result


def quote_use_label(consent: str) -> str:
    """How far a respondent's consent lets a quote be used, for staff pages."""
    return {
        QuoteConsent.ANONYMOUS: _("May be quoted anonymously"),
        QuoteConsent.INTERNAL: _("Internal use only"),
    }.get(consent, _("Not to be used (no consent)"))


# --- Codebook ---


@dataclass
class CodebookEntry:
    code: Code
    children: list[Code]


def codebook() -> list[CodebookEntry]:
    """Top-level codes in name order, each with its sub-codes; every code carries `n_uses`
    (applications by all reviewers). One query."""
    codes = list(
        Code.objects.annotate(n_uses=Count("applications")).order_by(Lower("name_en"), "pk")
    )
    children: dict[int, list[Code]] = {}
    for code in codes:
        if code.parent_id is not None:
            children.setdefault(code.parent_id, []).append(code)
    return [
        CodebookEntry(code=code, children=children.get(code.pk, []))
        for code in codes
        if code.parent_id is None
    ]


def code_choices() -> list[tuple[str, list[tuple[int, str]]] | tuple[int, str]]:
    """Codes for a <select>: sub-codes listed under their parent's name (one query)."""
    choices: list = []
    for entry in codebook():
        choices.append((entry.code.pk, entry.code.tr("name")))
        for child in entry.children:
            choices.append((child.pk, f"{entry.code.tr('name')} › {child.tr('name')}"))
    return choices


# --- Answers to code ---


def _applications(coder, *, blind: bool):
    qs = CodeApplication.objects.select_related("code", "coder").order_by(
        "coder_id", "start", "code__name_en"
    )
    return qs.filter(coder=coder) if blind else qs


def coding_group(params: dict) -> dict:
    """The open-answers page's group rules for a list to code: `allowed` (at least K
    respondents in the group the list covers, whose minimum query set is met) and the
    `rare_roles` not printed beside an answer."""
    narrowed = open_answer_params(params)
    if query_set_notice(narrowed):
        return {"allowed": False, "rare_roles": set()}
    return open_answer_group(narrowed)


def answers_to_code(params: dict, *, coder, blind: bool = True, question="", search="", todo=False):
    """Open answers (as on the insights page) with the codes applied to each: this
    reviewer's only when blind, everyone's otherwise; `is_coded` marks answers this reviewer
    has coded. Two queries per page of results whatever its length."""
    answers = insights_open_answers(params, question=question, search=search).annotate(
        is_coded=Exists(CodedAnswer.objects.filter(answer=OuterRef("pk"), coder=coder))
    )
    if todo:
        answers = answers.filter(is_coded=False)
    return answers.prefetch_related(
        Prefetch("code_applications", queryset=_applications(coder, blind=blind), to_attr="codes")
    )


_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|\n|$)")


def sentences(text: str) -> list[tuple[int, int, str]]:
    """The answer's sentences as (start, end, text) with offsets into `text` (whitespace
    around each sentence left out), for choosing a passage without a mouse."""
    result = []
    for match in _SENTENCE.finditer(text):
        chunk = match.group()
        stripped = chunk.strip()
        if not stripped:
            continue
        start = match.start() + (len(chunk) - len(chunk.lstrip()))
        result.append((start, start + len(stripped), stripped))
    return result


@dataclass
class AnswerForCoding:
    answer: Any  # apps.surveys.models.Answer
    mine: list[CodeApplication]
    others: list[CodeApplication]
    is_coded: bool
    quotes: list[Quote]
    sentences: list[tuple[int, int, str]]
    consent_label: str
    can_quote: bool


def answer_for_coding(answer, *, coder, blind: bool = True) -> AnswerForCoding:
    """One answer with this reviewer's codes (and others' unless blind), its quotes and its
    sentences. Four queries."""
    apps = list(
        CodeApplication.objects.filter(answer=answer)
        .select_related("code", "coder")
        .order_by("start", "code__name_en", "pk")
    )
    for app in apps:
        app.excerpt = "" if app.start is None else answer.text_value[app.start : app.end]
    mine = [a for a in apps if a.coder_id == coder.pk]
    others = [] if blind else [a for a in apps if a.coder_id != coder.pk]
    consent = answer.response.quote_consent
    return AnswerForCoding(
        answer=answer,
        mine=mine,
        others=others,
        is_coded=CodedAnswer.objects.filter(answer=answer, coder=coder).exists(),
        quotes=list(Quote.objects.filter(answer=answer).order_by("start", "pk")),
        sentences=sentences(answer.text_value),
        consent_label=quote_use_label(consent),
        can_quote=consent in CONSENT_USE,
    )


def coders() -> list:
    """Reviewers who have coded at least one answer, with how many (one query)."""
    from django.contrib.auth import get_user_model

    return list(
        get_user_model()
        .objects.annotate(n_coded=Count("coded_answers"))
        .filter(n_coded__gt=0)
        .order_by("-n_coded", "username")
    )


# --- Agreement ---


def cohen_kappa(n11: int, n10: int, n01: int, n00: int) -> dict:
    """Cohen's kappa for two raters' presence/absence judgements over n items.

    n11: both say present, n10: only rater A, n01: only rater B, n00: neither.
    Observed agreement po = (n11 + n00) / n; chance agreement
    pe = pA·pB + (1 − pA)(1 − pB) with pA = (n11 + n10) / n, pB = (n11 + n01) / n;
    kappa = (po − pe) / (1 − pe), undefined (None) when pe = 1 (both raters constant).
    """
    n = n11 + n10 + n01 + n00
    if n == 0:
        return {"n": 0, "observed": None, "expected": None, "kappa": None}
    po = (n11 + n00) / n
    pa, pb = (n11 + n10) / n, (n11 + n01) / n
    pe = pa * pb + (1 - pa) * (1 - pb)
    kappa = None if pe >= 1 else (po - pe) / (1 - pe)
    return {"n": n, "observed": po, "expected": pe, "kappa": kappa}


@dataclass
class CodeAgreement:
    code: Code
    label: str
    both: int
    only_a: int
    only_b: int
    neither: int
    n: int
    observed: float | None
    kappa: float | None


def agreement(params: dict, *, coder_a, coder_b) -> dict:
    """Per code, Cohen's kappa between two reviewers over the answers both have coded
    (answer level: the code present anywhere in the answer, or not). Three queries."""
    answers = answer_list(filtered_responses(params))
    shared = (
        CodedAnswer.objects.filter(coder=coder_a, answer__in=answers)
        .filter(answer__coded_by__coder=coder_b)
        .values("answer_id")
    )
    n = shared.count()
    present: dict[int, dict[int, set]] = {}
    for code_id, coder_id, answer_id in (
        CodeApplication.objects.filter(answer_id__in=shared, coder__in=[coder_a, coder_b])
        .values_list("code_id", "coder_id", "answer_id")
        .distinct()
    ):
        present.setdefault(code_id, {coder_a.pk: set(), coder_b.pk: set()})[coder_id].add(answer_id)
    rows = []
    for entry in codebook():
        for code in [entry.code, *entry.children]:
            sets = present.get(code.pk, {coder_a.pk: set(), coder_b.pk: set()})
            a, b = sets[coder_a.pk], sets[coder_b.pk]
            both, only_a, only_b = len(a & b), len(a - b), len(b - a)
            stats = cohen_kappa(both, only_a, only_b, n - both - only_a - only_b)
            rows.append(
                CodeAgreement(
                    code=code,
                    label=_label(code, entry),
                    both=both,
                    only_a=only_a,
                    only_b=only_b,
                    neither=n - both - only_a - only_b,
                    n=n,
                    observed=stats["observed"],
                    kappa=stats["kappa"],
                )
            )
    return {"n": n, "rows": rows}


def _label(code: Code, entry: CodebookEntry) -> str:
    return code.tr("name") if code is entry.code else f"{entry.code.tr('name')} › {code.tr('name')}"


# --- Frequencies and co-occurrence ---


def _filtered_applications(params: dict, coder=None):
    qs = CodeApplication.objects.filter(answer__response__in=filtered_responses(params))
    return qs.filter(coder=coder) if coder is not None else qs


@dataclass
class FrequencyRow:
    code: Code
    label: str
    is_parent: bool
    total: int | None  # as shown (None when hidden)
    total_hidden: bool
    cells: list[Row]


def frequencies(params: dict, *, coder=None) -> dict:
    """Respondents whose answers carry each code, by main role and by setting; a top-level
    code counts its sub-codes too. Counts are of distinct respondents, read with their
    record keys and passed through the disclosure layer per row (cell-key noise, primary
    and complementary suppression against the row's total). Five queries."""
    lab = labels()
    role_labels = {r.slug: r.tr("label") for r in role_list()}
    setting_labels = lab.choices.get("setting", {})
    apps = _filtered_applications(params, coder).annotate(
        root=Coalesce("code__parent_id", "code_id")
    )
    entries = codebook()
    result = {}
    for dimension, column, names in (
        ("role", "answer__response__role__slug", role_labels),
        ("setting", "answer__response__setting", setting_labels),
    ):
        counts: dict[tuple[int, str], int] = {}
        totals: dict[int, int] = {}
        for group in ("code_id", "root"):
            for row in apps.values(group, column).annotate(**_respondents()).order_by():
                key = (row[group], row[column] or "")
                if group == "root":
                    key = (-key[0], key[1])  # parents' roll-ups kept apart from their own rows
                counts[key] = Tally(row["n"], row["ck"])
        for group in ("code_id", "root"):
            for row in apps.values(group).annotate(**_respondents()).order_by():
                key = row[group] if group == "code_id" else -row[group]
                totals[key] = Tally(row["n"], row["ck"])
        columns = sorted({c for (_k, c) in counts}, key=lambda c: (c == "", names.get(c, c)))
        rows = []
        for entry in entries:
            for code in [entry.code, *entry.children]:
                is_parent = code is entry.code and bool(entry.children)
                key = -code.pk if is_parent else code.pk
                cells = [
                    Row(key=c, label=names.get(c, c or _("(not given)")), n=counts.get((key, c), 0))
                    for c in columns
                ]
                total = totals.get(key, Tally(0))
                cells, hidden = protect_table(cells, total)
                rows.append(
                    FrequencyRow(
                        code=code,
                        label=_label(code, entry),
                        is_parent=is_parent,
                        total=None if hidden else shown_count(total),
                        total_hidden=hidden,
                        cells=cells,
                    )
                )
        result[dimension] = {
            "columns": [(c, names.get(c, c or _("(not given)"))) for c in columns],
            "rows": rows,
        }
    return result


def _respondents() -> dict:
    """Distinct respondents and the sum of their record keys (the disclosure layer's cell
    key: the same respondents get the same noise on every page)."""
    return {
        "n": Count("answer__response_id", distinct=True),
        "ck": key_sum("answer__response_id", distinct=True),
    }


def cooccurrence(params: dict, *, coder=None) -> dict:
    """How many respondents have two codes on the same answer, for every pair of codes
    (the diagonal: respondents with the code at all, the same figure as the code's total on
    the frequencies page). Counts pass through the disclosure layer: cell-key noise, and
    cells of 1..K-1 suppressed (a row is not a sum: one answer carries several codes, so no
    cell follows from the others). Two queries."""
    apps = _filtered_applications(params, coder)
    pair_filter = Q(answer__code_applications__coder=coder) if coder is not None else Q()
    pairs = {
        (row["code_id"], row["answer__code_applications__code_id"]): Tally(row["n"], row["ck"])
        for row in apps.filter(pair_filter)
        .values("code_id", "answer__code_applications__code_id")
        .annotate(**_respondents())
        .order_by()
    }
    codes = [
        (code, _label(code, entry))
        for entry in codebook()
        for code in [entry.code, *entry.children]
    ]
    matrix = []
    for code, label in codes:
        cells = []
        for other, _other_label in codes:
            n = pairs.get((code.pk, other.pk), Tally(0))
            cells.append(
                {"n": shown_count(n), "hidden": is_small(n), "diagonal": other.pk == code.pk}
            )
        matrix.append({"code": code, "label": label, "cells": cells})
    return {"codes": codes, "rows": matrix}


# --- Quotes for staff pages ---


def quotes_for_staff(*, status: str = ""):
    """Quotes with their answer's question, role and consent (one query)."""
    qs = Quote.objects.select_related(
        "answer__question", "answer__response__role", "created_by"
    ).filter(answer__response__in=response_included_list())
    if status in Quote.Status.values:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def quotes_stamp() -> dict:
    """How many quotes there are and when one last changed (one aggregate query)."""
    return Quote.objects.aggregate(n=Count("pk"), at=Max("updated_at"))
