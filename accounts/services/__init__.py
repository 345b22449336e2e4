"""Every write in accounts. Keyword-only, atomic, audited; views and serializers only call these."""

from accounts.services.auth import (
    change_password,
    complete_password_reset,
    deactivate_user,
    request_password_reset,
    resend_verification,
    reset_password,
    verify_email,
)
from accounts.services.errors import ServiceError
from accounts.services.users import (
    register_user,
    update_profile,
    update_school,
)

__all__ = [
    "ServiceError",
    "change_password",
    "complete_password_reset",
    "deactivate_user",
    "register_user",
    "request_password_reset",
    "resend_verification",
    "reset_password",
    "update_profile",
    "update_school",
    "verify_email",
]
