"""The one error a bad keypoint sequence raises: which field, what is wrong, a stable code."""


class KeypointError(ValueError):
    def __init__(self, message: str, *, field: str = "keypoints", code: str = "invalid"):
        super().__init__(message)
        self.message, self.field, self.code = message, field, code
