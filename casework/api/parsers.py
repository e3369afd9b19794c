"""The API's JSON parser: DRF's, refusing what no action can use with a 400 and a message.

- JSON nested deeper than MAX_DEPTH: no request here needs more than a few levels, and Python's decoder
  raises RecursionError (a server error) somewhere past a thousand;
- a NUL character in any string or key: PostgreSQL cannot store or compare text holding one."""

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32


def _check(data):
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ParseError(f"The JSON is nested more than {MAX_DEPTH} levels deep.")
        if isinstance(value, dict):
            for key, item in value.items():
                if "\x00" in key:
                    raise ParseError("A JSON key contains a NUL character (\\u0000), which no value here can hold.")
                stack.append((item, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)
        elif isinstance(value, str) and "\x00" in value:
            raise ParseError("A JSON string contains a NUL character (\\u0000), which no value here can hold.")


class StrictJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise ParseError(f"The JSON is nested more than {MAX_DEPTH} levels deep.") from error
        _check(data)
        return data
