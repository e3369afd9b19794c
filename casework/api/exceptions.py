from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from casework.errors import NON_FIELD, DomainError, InvalidInput, NotAllowed


def _field_errors(problems):
    from casework.api.actions import nest

    return nest({(NON_FIELD if name == "non_field_errors" else name): messages for name, messages in problems.items()})


def exception_handler(exc, context):
    """The domain's two refusals, one way for the whole API: NotAllowed is 409 Conflict (403 Forbidden when it
    is about who is asking), InvalidInput is 400 with a message per field."""
    if isinstance(exc, NotAllowed):
        code = status.HTTP_403_FORBIDDEN if exc.about_actor else status.HTTP_409_CONFLICT
        return Response({"detail": exc.message}, status=code)
    if isinstance(exc, InvalidInput):
        return Response(_field_errors(exc.problems), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DomainError):  # a refusal not yet told apart: treated as bad input
        return Response({"non_field_errors": [str(exc)]}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = ValidationError(_field_errors(detail))
    if isinstance(exc, DjangoPermissionDenied):
        return Response({"detail": str(exc) or "You do not have permission to do this."}, status=403)
    return drf_exception_handler(exc, context)
