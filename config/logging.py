"""Request context for logs: request id, user id and school id travel in context variables so every
log line written while serving a request carries them, without passing them around."""

import contextvars
import logging

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
user_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("user_id", default="-")
school_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("school_id", default="-")


class RequestContextFilter(logging.Filter):
    """Adds request_id, user_id and school_id to every record (never request bodies)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        record.user_id = user_id_var.get()
        record.school_id = school_id_var.get()
        return True
