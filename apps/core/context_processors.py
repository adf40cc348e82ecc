from django.conf import settings


def site(request) -> dict:
    """Values every template needs: the site name and where the admin lives."""
    return {"SITE_NAME": settings.SITE_NAME, "ADMIN_URL": "/" + settings.ADMIN_URL}
