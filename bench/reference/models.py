from django.db import models


class ReferenceRow(models.Model):
    """One row per POST of the reference view: the cheapest realistic Django write."""

    name = models.CharField(max_length=100)
    count = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name
