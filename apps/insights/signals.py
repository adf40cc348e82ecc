"""Keep the pre-aggregated figures exact when a response is deleted (admin, a respondent's
own deletion, a deletion request): its figures are subtracted while its answers still exist,
so no full rebuild is needed afterwards."""

from django.db.models.signals import pre_delete
from django.dispatch import receiver

from . import cube


# The sender as "app_label.Model" (Django resolves it lazily), so insights does not import
# the survey's models for it.
@receiver(pre_delete, sender="surveys.Response", dispatch_uid="insights_forget_deleted_response")
def forget_deleted_response(sender, instance, **kwargs) -> None:
    cube.forget_responses([instance.pk])
