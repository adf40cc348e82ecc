"""Guards for staff views: anonymous users sign in first; users without the role get 403."""

from functools import wraps

from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from .roles import Role, user_role_level


def role_required(role: Role):
    """Decorator for function views that need `role` or a higher one."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if user_role_level(request.user) < role.level:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_role = role
        return wrapped

    return decorator


class RoleRequiredMixin(AccessMixin):
    """Class-based twin of `role_required`; set `required_role` on the view."""

    required_role: Role = Role.REVIEWER

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if user_role_level(request.user) < self.required_role.level:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
