"""The API's JSON parser: DRF's, with the nesting limit of `jsondepth` checked first."""

from __future__ import annotations

import io

from rest_framework import parsers
from rest_framework.exceptions import ParseError

from citysoc.core import jsondepth


class JSONParser(parsers.JSONParser):
    """Refuses a body nested deeper than JSON_MAX_DEPTH with a 400, before parsing it.

    DRF's own parser would recurse once per bracket and end in a RecursionError (a 500).
    """

    def parse(self, stream, media_type=None, parser_context=None):
        data = stream.read() if stream is not None else b""
        try:
            jsondepth.check_depth(data)
        except jsondepth.JsonTooDeep as exc:
            raise ParseError(str(exc)) from None
        try:
            return super().parse(io.BytesIO(data), media_type, parser_context)
        except RecursionError:  # deeper than the stack after all (a limit set very high)
            raise ParseError(str(jsondepth.JsonTooDeep(jsondepth.max_depth()))) from None
