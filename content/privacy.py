"""Content's personal-data declarations (DESIGN §5b), registered from ``ContentConfig.ready()``."""


def register_content() -> None:
    from content import privacy_content

    privacy_content.register()
