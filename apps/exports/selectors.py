"""Reads of export jobs: a user's list, who may see a job, where its file is."""

from pathlib import Path

from django.conf import settings
from django.db.models import QuerySet

from apps.accounts.roles import Role, user_role_level

from .base import exporter_class
from .models import ExportJob


def export_job_list(*, user, limit: int = 20) -> QuerySet[ExportJob]:
    """The user's most recent export jobs, newest first."""
    return ExportJob.objects.filter(requested_by=user).order_by("-created_at", "-id")[:limit]


def export_job_visible_to(job: ExportJob, user) -> bool:
    """The requester or an Administrator, and only with the role the export needs."""
    exporter = exporter_class(job.kind)
    needed = exporter.requires_role.level if exporter else Role.ADMINISTRATOR.level
    level = user_role_level(user)
    if level < needed:
        return False
    return job.requested_by_id == user.pk or level >= Role.ADMINISTRATOR.level


def export_file_path(job: ExportJob) -> Path | None:
    """The job's file on disk, or None when there is none (not done, removed, or a path that
    would leave EXPORTS_DIR)."""
    if not job.file_path:
        return None
    root = Path(settings.EXPORTS_DIR).resolve()
    path = (root / job.file_path).resolve()
    if root not in path.parents or not path.is_file():
        return None
    return path
