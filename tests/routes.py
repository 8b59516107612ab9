"""Every HTTP route of the site, walked from the URL resolver, for the CSRF and authorisation
tests. A route's key is its URL name with namespace (``ideas:board``) or, for unnamed routes,
its full pattern (``roadmap/feed/``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve
from django.utils.regex_helper import normalize


@dataclass(frozen=True)
class Route:
    key: str
    pattern: str  # human-readable: the route's full pattern
    regex: str  # the full regex, to build sample URLs
    callback: Callable

    @property
    def csrf_exempt(self) -> bool:
        return bool(getattr(self.callback, "csrf_exempt", False))

    def sample_url(self, **values: object) -> str:
        """A URL for this route: named parameters from ``values``, others filled with 1."""
        fmt, params = normalize(self.regex)[0]
        url = "/" + fmt % {p: values.get(p, 1) for p in params}
        try:
            resolve(url)
        except Resolver404:  # a catch-all such as Wagtail's page path wants a trailing slash
            url += "/"
        return url


def _regex(pattern) -> str:
    raw = pattern.pattern.regex.pattern
    return raw.removeprefix("^").removesuffix(r"\Z").removesuffix("$")


def _walk(resolver: URLResolver, prefix: str, regex: str, namespace: str) -> Iterator[Route]:
    for entry in resolver.url_patterns:
        here = prefix + str(entry.pattern)
        full = regex + _regex(entry)
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry, here, full, ns)
        elif isinstance(entry, URLPattern):
            name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
            yield Route(key=name or here, pattern=here, regex=full, callback=entry.callback)


def all_routes() -> list[Route]:
    return list(_walk(get_resolver(), "", "", ""))
