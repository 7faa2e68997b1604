"""The one error a format reader raises: the file cannot be read at all (content doubts are flags, not errors)."""


class UnreadableFile(Exception):
    """A file that cannot be turned into a layout; the message is shown to the user as is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
