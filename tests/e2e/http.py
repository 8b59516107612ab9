"""A plain HTTP client for journeys that need many people at once (no browser): signs in
through the ordinary form and posts forms with their CSRF token, like a browser would."""

from __future__ import annotations

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from tests.e2e.conftest import PASSWORD

_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Answer:
    status: int
    body: str
    headers: dict


class Client:
    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def request(self, path: str, data: dict | None = None, headers: dict | None = None) -> Answer:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(
            self.base + path, data=body, headers={"Referer": self.base + path, **(headers or {})}
        )
        try:
            with self.opener.open(request, timeout=60) as response:
                return Answer(response.status, response.read().decode(), dict(response.headers))
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.read().decode(errors="replace"), dict(error.headers))

    def token(self, path: str) -> str:
        return _TOKEN.search(self.request(path).body).group(1)

    def post_form(self, path: str, data: dict, *, form_page: str | None = None) -> Answer:
        token = self.token(form_page or path)
        return self.request(path, {"csrfmiddlewaretoken": token, **data})

    def sign_in(self, email: str, password: str = PASSWORD) -> Client:
        answer = self.post_form("/accounts/login/", {"login": email, "password": password})
        assert answer.status == 200, answer.status
        return self
