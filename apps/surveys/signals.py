"""Any change to a version's pages, questions or choices bumps the version's updated_at,
which is part of the structure cache key (selectors.version_structure)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from .models import Choice, Question, SurveyPage, SurveyVersion


def _touch(version_id: int | None) -> None:
    if version_id:
        SurveyVersion.objects.filter(pk=version_id).update(updated_at=timezone.now())


@receiver([post_save, post_delete], sender=SurveyPage)
@receiver([post_save, post_delete], sender=Question)
def _structure_changed(sender, instance, **kwargs) -> None:
    _touch(instance.version_id)


@receiver([post_save, post_delete], sender=Choice)
def _choice_changed(sender, instance, **kwargs) -> None:
    version_id = (
        Question.objects.filter(pk=instance.question_id)
        .values_list("version_id", flat=True)
        .first()
    )
    _touch(version_id)
