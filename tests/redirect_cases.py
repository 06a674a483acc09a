"""One table of `?next=` values for the server's rule (adapters/web/redirects.py) and the page's (auth.js):
each value with what it must become. A local path is kept as written; anything that could leave the site
(or that a browser or a proxy might turn into something that does) becomes "/"."""

from __future__ import annotations

KEPT = [
    "/",
    "/me",
    "/me/orders",
    "/lots/12",
    "/lots/12?lang=en",
    "/?q=%E9%9D%92%E8%8A%B1&category=art",  # 青花, as a search link writes it
    "/?q=a%20b",
    "/?q=100%25",
    "/?q=%25E9",  # a literal "%E9" searched for: decoding stops where it is no longer UTF-8
    "/orders/7#pay",
    "/a:b",
    "/lots?cursor=abc%3D%3D",
    "/%2525252F%2525252Fdeep",  # encoded four times: still a path here after three decodings
]

REFUSED = [
    "",
    "me",
    "evil.example",
    "//evil.example",
    "//evil.example/path",
    "///evil.example",
    "////evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "\\/evil.example",
    "/a\\b",
    "/\t/evil.example/",  # the audit's finding: browsers drop the tab and see //evil.example
    "/\n/evil.example/",
    "/\r/evil.example/",
    "/\r\n/evil.example/",
    "\t//evil.example",
    " //evil.example",
    "/ /evil.example",
    "/\x00/evil.example",
    "/\x7f/evil.example",
    "/\x0b/evil.example",
    "/\x0c/evil.example",
    "/%09/evil.example/",
    "/%0A/evil.example/",
    "/%0D/evil.example/",
    "/%0d%0a/evil.example/",
    "/%00/evil.example",
    "/%2F/evil.example",
    "/%2f%2fevil.example",
    "%2F%2Fevil.example",
    "/%5Cevil.example",
    "/%5C%5Cevil.example",
    "/%252F%252Fevil.example",
    "/%25252F%25252Fevil.example",
    "/%2509/evil.example",
    "/%E2%80%8B/evil.example",  # a zero-width space once decoded
    "/%E2%80%AE/evil.example",  # a right-to-left override once decoded
    "/a%zz",
    "/a%",
    "/%E9",
    "/%C0%AF",
    "/\u2028/evil.example",
    "/\u200b/evil.example",
    "/\u3000/evil.example",
    "/\uff0f\uff0fevil.example",  # full-width solidus
    "/\u00e9",
    "https://evil.example",
    "http:evil.example",
    "https:/evil.example",
    "HTTPS://evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "/" + "a" * 2000,
]

CASES = [(value, value) for value in KEPT] + [(value, "/") for value in REFUSED]
