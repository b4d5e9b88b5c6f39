"""Every error Rugwijzer raises on purpose, in one hierarchy.

    RugwijzerError
    ├── InvalidInputError        the caller gave something we cannot use (blank query, bad number)
    │   ├── InvalidRowsError     a file with problems on several lines (each a message)
    │   ├── QueryError           a food search query that cannot be searched
    │   └── NoFoodRecognisedError  a meal text without any food Rugwijzer knows
    ├── NotFoundError            an id that names nothing
    │   └── FoodNotFoundError
    ├── DataError                bundled or imported data is missing, corrupt or inconsistent
    │   └── ImportFormatError    an import file does not have the expected layout
    ├── AuthenticationError      wrong credentials, or no valid session (server mode)
    ├── RateLimitedError         too many failed logins; try again later
    └── UnavailableError         the database connection was lost mid-request, or a PDF could
                                 not be printed; try again

Every error carries a `Message` (`error.message`): a code and typed parameters, never a
sentence. Shells render it in the reader's language (`rugwijzer.i18n.render_message`): the CLI
prints it and exits with 2 (invalid input), 1 (not found) or 3 (data); the API answers with
problem+json (422, 404, 500, 401, 429, 503) carrying `code` and `params` beside the rendered
`detail`.
`str(error)` is the English rendering, for logs and tracebacks.
"""

from __future__ import annotations

from rugwijzer.messages import Code, Message, Param

__all__ = [
    "AuthenticationError",
    "DataError",
    "FoodNotFoundError",
    "ImportFormatError",
    "InvalidInputError",
    "InvalidRowsError",
    "NoFoodRecognisedError",
    "NotFoundError",
    "QueryError",
    "RateLimitedError",
    "RugwijzerError",
    "UnavailableError",
]


class RugwijzerError(Exception):
    """Base class of all errors Rugwijzer raises deliberately: `RugwijzerError(Code.X, n=3)`."""

    def __init__(self, code: Code, /, **params: Param) -> None:
        if not isinstance(code, Code):  # a sentence would reach the reader untranslated
            raise TypeError(f"an error takes a message code, not {code!r}")
        self.message = Message(code, params)
        super().__init__(code.value)

    def __str__(self) -> str:
        from rugwijzer.i18n import render_message  # Babel is loaded only when a text is wanted

        return render_message(self.message, "en")


class InvalidInputError(RugwijzerError, ValueError):
    """Input from a user or caller that cannot be used as it is."""


class InvalidRowsError(InvalidInputError):
    """A file refused as a whole: `problems` holds every problem found, each a message with
    the `line` it is on (shells list them all; nothing of the file was used)."""

    def __init__(self, code: Code, problems: list[Message], /, **params: Param) -> None:
        super().__init__(code, **params)
        self.problems = tuple(problems)


class QueryError(InvalidInputError):
    """A search query that is empty, blank or otherwise unsearchable."""


class NoFoodRecognisedError(InvalidInputError):
    """A meal text in which no food was recognised; `not_in_data` holds the parts that name a
    food known to be missing from the food data (rather than words not understood)."""

    def __init__(
        self, code: Code, /, *, not_in_data: tuple[str, ...] = (), **params: Param
    ) -> None:
        super().__init__(code, **params)
        self.not_in_data = not_in_data


class NotFoundError(RugwijzerError, LookupError):
    """An identifier that does not name anything."""


class FoodNotFoundError(NotFoundError):
    """No food has the given id."""

    def __init__(self, food_id: str) -> None:
        super().__init__(Code.FOOD_NOT_FOUND, food_id=food_id)
        self.food_id = food_id


class DataError(RugwijzerError):
    """Bundled or imported data is missing, corrupt or inconsistent."""


class ImportFormatError(DataError):
    """An import file does not have the layout the importer expects."""


class AuthenticationError(RugwijzerError):
    """Wrong email or password, or an invalid or expired session."""


class RateLimitedError(RugwijzerError):
    """Too many failed logins, registrations or API requests; try again later.

    `code` names what was limited: its message has a `{minutes}` placeholder, or `{seconds}`
    when `in_seconds` (the API's window is one minute)."""

    def __init__(
        self,
        retry_after_seconds: int,
        code: Code = Code.ACCOUNT_RATE_LIMITED,
        *,
        in_seconds: bool = False,
    ) -> None:
        retry = max(1, retry_after_seconds)
        if in_seconds:
            super().__init__(code, seconds=retry)
        else:
            # People read minutes; the Retry-After header keeps the exact seconds.
            super().__init__(code, minutes=max(1, round(retry / 60)))
        self.retry_after_seconds = retry


class UnavailableError(RugwijzerError):
    """Something the request needs failed for now and the request may be tried again in a
    moment: the database connection was lost while it ran (a restart, a failover; a write may
    or may not have been stored), or a PDF could not be printed."""

    def __init__(
        self, code: Code = Code.DATABASE_CONNECTION_LOST, /, *, retry_after_seconds: int = 1
    ) -> None:
        super().__init__(code)
        self.retry_after_seconds = retry_after_seconds
