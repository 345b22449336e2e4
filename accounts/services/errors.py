class ServiceError(Exception):
    """A refusal a client can act on; the API turns it into a 400 naming ``field``."""

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid", status: int = 400):
        super().__init__(message)
        self.message, self.field, self.code, self.status = message, field, code, status
