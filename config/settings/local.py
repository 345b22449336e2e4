"""Embedded default for `make run`: everything in-process, nothing to configure."""

from .base import *  # noqa: F403
from .base import STATIC_ROOT, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)

# whitenoise serves from STATIC_ROOT (filled by collectstatic in production) and finders here
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
