"""Responses to export, and readers for the files the exporters write."""

import csv
import io
import zipfile
from pathlib import Path

from django.test import Client

from apps.surveys.models import Answer, Response, TaskRating

from ..surveys.helpers import complete

VOLUNTEER = {"eligibility": "volunteer", "role": "other"}


def answered(survey, choices: dict | None = None) -> Response:
    """A complete response through the real survey pages, not flagged (the filter's default
    leaves out responses that were too fast, which every test response is)."""
    response, _seen = complete(Client(), survey, choices)
    Response.objects.filter(pk=response.pk).update(is_too_fast=False, is_duplicate=False)
    response.refresh_from_db()
    return response


def clone(response: Response, times: int) -> None:
    """Copies of a response with the same answers and ratings (fast bulk inserts)."""
    answers = list(
        response.answers.values(
            "question_id", "part", "choice_id", "text_value", "number_value", "bool_value"
        )
    )
    ratings = list(
        response.task_ratings.values("task_id", "is_relevant", "importance", "frequency")
    )
    fields = {
        f: getattr(response, f)
        for f in (
            "version_id",
            "collector_id",
            "channel",
            "status",
            "language",
            "submitted_at",
            "duration_seconds",
            "role_id",
            "setting",
            "state",
            "is_eligible_paid",
        )
    }
    copies = Response.objects.bulk_create(Response(**fields) for _ in range(times))
    Answer.objects.bulk_create(Answer(response=c, **a) for c in copies for a in answers)
    TaskRating.objects.bulk_create(TaskRating(response=c, **r) for c in copies for r in ratings)


def read_zip(path: Path) -> dict[str, list[dict]]:
    """Each CSV in the zip as a list of dicts (header row gives the keys)."""
    with zipfile.ZipFile(path) as archive:
        out = {}
        for name in archive.namelist():
            text = archive.read(name).decode("utf-8-sig")
            out[name] = list(csv.DictReader(io.StringIO(text)))
        return out


def read_header(path: Path, name: str = "data.csv") -> list[str]:
    with zipfile.ZipFile(path) as archive:
        text = archive.read(name).decode("utf-8-sig")
    return next(csv.reader(io.StringIO(text)))
