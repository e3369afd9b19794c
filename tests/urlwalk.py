"""Every URL the project serves, with placeholder arguments, so access tests cover new pages automatically."""

import re

from django.urls import URLPattern, URLResolver, get_resolver

PLACEHOLDERS = {
    "int": "1",
    "str": "X-0000-000001",
    "slug": "x",
    "uuid": "00000000-0000-0000-0000-000000000001",
}


def _fill(route):
    def replace(match):
        converter = match.group(1) or "str"
        return PLACEHOLDERS.get(converter, "1")

    return re.sub(r"<(?:(\w+):)?\w+>", replace, route)


def all_paths(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    paths = []
    for pattern in resolver.url_patterns:
        route = str(pattern.pattern)
        if route.startswith("^"):
            # A regex route (the admin's and DRF's format suffixes): fill the common named groups.
            route = re.sub(r"\(\?P<\w+>[^)]*\)", "1", route).lstrip("^").rstrip("$").replace("\\", "")
            if any(ch in route for ch in "()[]*+?"):
                continue
        else:
            route = _fill(route)
        if isinstance(pattern, URLResolver):
            paths.extend(all_paths(pattern, prefix + route))
        elif isinstance(pattern, URLPattern):
            paths.append("/" + prefix + route)
    return sorted(set(paths))
