"""The API's JSON parser: DRF's, behind the project's input guard (``realtime.inputguard``).

Deeply nested JSON used to exhaust the parser's recursion (a 500) and NUL or a lone
surrogate reached the database driver; both are now a 400 naming the field, before any
serializer or service runs.
"""

from __future__ import annotations

import codecs

from django.conf import settings
from rest_framework import exceptions
from rest_framework.parsers import JSONParser

from realtime.inputguard import InputRefused, loads_json


class GuardedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            return loads_json(codecs.getreader(encoding)(stream).read())
        except InputRefused as refused:
            raise exceptions.ValidationError(
                {refused.field or "non_field_errors": [refused.message]}
            ) from None
        except ValueError as exc:
            raise exceptions.ParseError(f"JSON parse error - {exc}") from None
