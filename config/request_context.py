"""Who is asking, from where: set once per request by the middleware, read by audit and session
services (so services need no request argument). IPs are stored truncated (privacy by default):
IPv4 to /24, IPv6 to /48."""

import contextvars
import ipaddress

client_ip_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("client_ip", default=None)
user_agent_var: contextvars.ContextVar[str] = contextvars.ContextVar("user_agent", default="")


def truncate_ip(raw: str | None) -> str | None:
    if not raw:
        return None
    try:
        address = ipaddress.ip_address(raw.strip())
    except ValueError:
        return None
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False).network_address)


def client_ip_from(request) -> str | None:
    """REMOTE_ADDR; behind a proxy, gunicorn's --forwarded-allow-ips sets it from X-Forwarded-For."""
    return truncate_ip(request.META.get("REMOTE_ADDR"))
