"""How the API reads request bodies (JSON only, 415 otherwise; hostile JSON is a 400, never a 500), and which
problem responses each operation documents."""

from __future__ import annotations

import http
import json
import typing
from collections.abc import Callable

import flask
from flask import abort
from flask_smorest import Blueprint
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request


class JsonBodyParser(FlaskParser):
    """webargs' Flask parser, stricter about bodies: a body sent as another media type is refused with 415
    (instead of reading as an empty request, "Missing data for required field" for every field), and JSON nested
    too deeply for the parser, or an integer longer than Python converts (4,300 digits), is malformed (400) rather
    than a RecursionError or ValueError."""

    def _raw_load_json(self, req: flask.Request) -> typing.Any:
        if not is_json_request(req):
            if req.get_data(cache=True):
                abort(415, description="Send the request body as JSON (Content-Type: application/json).")
            return core.missing
        try:
            return core.parse_json(req.get_data(cache=True))
        except RecursionError:
            self._handle_invalid_json_error(json.JSONDecodeError("nested too deeply", "", 0), req)
        except json.JSONDecodeError:
            raise
        except ValueError as exc:  # int("9" * 5000): the number is refused by the conversion limit, not the grammar
            self._handle_invalid_json_error(json.JSONDecodeError(f"number too long: {exc}", "", 0), req)


#: Problems any operation may answer: no key, a bad key, invalid input (body, query or path id), rate limit.
EVERY_OPERATION = (401, 403, 422, 429)
#: And those with a JSON body: malformed JSON, body too large, not JSON.
WITH_BODY = (400, 413, 415)


class ApiBlueprint(Blueprint):
    """A flask-smorest blueprint reading its request bodies with `JsonBodyParser`, and documenting in OpenAPI
    the problem responses its operations give (`EVERY_OPERATION`, `WITH_BODY`, and those named by `problems`)."""

    ARGUMENTS_PARSER = JsonBodyParser()

    def __init__(self, *args: typing.Any, **kwargs: typing.Any) -> None:
        super().__init__(*args, **kwargs)
        self._prepare_doc_cbks.insert(0, self._prepare_problems_doc)

    def problems(self, *codes: int) -> Callable[[typing.Any], typing.Any]:
        """Document the problem responses (by status code) this operation gives besides the usual ones."""
        def decorator(func: typing.Any) -> typing.Any:
            for code in codes:
                func = self.alt_response(code, response=http.HTTPStatus(code).name)(func)
            return func

        return decorator

    @staticmethod
    def _prepare_problems_doc(doc: dict[str, typing.Any], doc_info: dict[str, typing.Any],
                              **_: typing.Any) -> dict[str, typing.Any]:
        parameters = doc_info.get("arguments", {}).get("parameters", [])
        codes = EVERY_OPERATION + (WITH_BODY if any(p.get("in") == "json" for p in parameters) else ())
        responses = doc_info.setdefault("response", {}).setdefault("responses", {})
        for code in codes:
            responses.setdefault(code, []).append(http.HTTPStatus(code).name)
        return doc
