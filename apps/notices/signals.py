from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Notice
from .selectors import notice_cache_clear


@receiver(post_save, sender=Notice)
@receiver(post_delete, sender=Notice)
def _notice_changed(sender, **kwargs) -> None:
    notice_cache_clear()
