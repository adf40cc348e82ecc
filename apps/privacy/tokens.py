"""The private deletion link of a response: its public id, signed with the secret key."""

from django.core import signing

from apps.surveys.selectors import response_by_public_id

_SALT = "ostportal.privacy.delete-response"


def response_delete_token(response) -> str:
    return signing.dumps(str(response.public_id), salt=_SALT)


def response_from_delete_token(token: str):
    """The response the link names, or None for a forged, mangled or used-up link."""
    if not token or len(token) > 200:
        return None
    try:
        public_id = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    return response_by_public_id(public_id)
