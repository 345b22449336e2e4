"""Shared helpers of the authentication, lockout and session tests."""

from django.conf import settings
from rest_framework.test import APIClient

FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
CHROME_MAC = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36"
)
ANDROID_APP = "okhttp/4.12.0"

IP = "203.0.113.7"
IP_TRUNCATED = "203.0.113.0"


def meta(ua=FIREFOX_WINDOWS, ip=IP, request_id=None) -> dict:
    extra = {"HTTP_USER_AGENT": ua, "REMOTE_ADDR": ip}
    if request_id:
        extra["HTTP_X_REQUEST_ID"] = request_id
    return extra


def sign_in(client: APIClient, email: str, password: str = settings.DEMO_PASSWORD, **kwargs):
    return client.post("/api/v1/auth/token/", {"email": email, "password": password}, format="json", **meta(**kwargs))


def tokens(email: str, password: str = settings.DEMO_PASSWORD, **kwargs) -> dict:
    response = sign_in(APIClient(), email, password, **kwargs)
    assert response.status_code == 200, response.content
    return response.json()


def bearer(access: str, **kwargs) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}", **meta(**kwargs))
    return client


def refresh(refresh_token: str, **kwargs):
    return APIClient().post("/api/v1/auth/token/refresh/", {"refresh": refresh_token}, format="json", **meta(**kwargs))


def page_sign_in(client, email: str, password: str = settings.DEMO_PASSWORD, **kwargs):
    return client.post("/accounts/login/", {"username": email, "password": password}, **meta(**kwargs))
