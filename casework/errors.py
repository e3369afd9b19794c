"""The two ways the domain says no.

`NotAllowed`: the case's state (or who is asking) does not allow this now: the API answers 409 (403 when it is
about who is asking), a page shows the reason instead of the form. `InvalidInput`: what was given is wrong: the
API answers 400 with a message per field, a page shows them beside the fields. Both are `DomainError`s, so code
that only needs to know "the domain refused" catches one type. `Forbidden`, the NotAllowed about who is asking,
is also Django's PermissionDenied."""

from django.core.exceptions import PermissionDenied


class DomainError(Exception):
    """Something the domain refuses. Raise one of the two subclasses; catch this one."""


class NotAllowed(DomainError):
    """Not allowed now, whatever the input: an illegal transition, a rule about the case's state, or (with
    `about_actor=True`) a rule about who is asking, such as an officer barred from the resident's cases."""

    def __init__(self, message, *, about_actor=False):
        super().__init__(message)
        self.message = message
        self.about_actor = about_actor


class Forbidden(NotAllowed, PermissionDenied):
    """Not allowed for whoever is asking (403): a rule about who may, such as an officer barred from a
    resident's cases or a manager verifying a plan they marked implemented. Also a Django PermissionDenied,
    so code that guards by permission treats it as one."""

    def __init__(self, message):
        super().__init__(message, about_actor=True)


NON_FIELD = "__all__"


class InvalidInput(DomainError):
    """Bad input. `problems` maps a field name (or `NON_FIELD`) to its messages; a plain message is a
    problem with the input as a whole."""

    def __init__(self, problems, field=None):
        if isinstance(problems, str):
            problems = {field or NON_FIELD: [problems]}
        self.problems = {name: list(messages) for name, messages in problems.items() if messages}
        super().__init__(" ".join(message for messages in self.problems.values() for message in messages))


class Problems:
    """Collects every input problem of one request, so a form shows them all at once."""

    def __init__(self):
        self.by_field = {}

    def add(self, field, message):
        self.by_field.setdefault(field or NON_FIELD, []).append(message)

    def __bool__(self):
        return bool(self.by_field)

    def raise_if_any(self):
        if self.by_field:
            raise InvalidInput(self.by_field)
