"""Every write in accounts. Keyword-only, atomic, audited; views and serializers only call these."""

from accounts.services.errors import ServiceError
from accounts.services.users import (
    logout_refresh_token,
    register_user,
    update_profile,
    update_school,
)

__all__ = [
    "ServiceError",
    "logout_refresh_token",
    "register_user",
    "update_profile",
    "update_school",
]
