"""The private deletion link of a response: its public id, signed with the secret key."""

from django.core import signing

from apps.surveys.models import Response

_SALT = "ostportal.privacy.delete-response"


def response_delete_token(response: Response) -> str:
    return signing.dumps(str(response.public_id), salt=_SALT)


def response_from_delete_token(token: str) -> Response | None:
    """The response the link names, or None for a forged, mangled or used-up link."""
    if not token or len(token) > 200:
        return None
    try:
        public_id = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    return Response.objects.select_related("version__survey").filter(public_id=public_id).first()
