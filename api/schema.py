"""drf-spectacular hooks: the published schema describes /api/v1/ only (the Wagtail page
API at /api/v2/ documents itself, and admin APIs are not public)."""


def only_v1(endpoints, **kwargs):
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
