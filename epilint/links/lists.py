"""Built-in lists the link rules match against; ``[links]`` in the config adds to them.

Kept as data, apart from the rules: tracking parameters (LN003), URL shorteners (LN004)
and parameters or paths that carry login state (LN005).
"""

from __future__ import annotations

#: Parameters that only identify who shared or clicked a link, on any host.
#: A trailing ``*`` matches a prefix.
TRACKING_PARAMS: tuple[str, ...] = (
    "utm_*",
    "fbclid",
    "gclid",
    "dclid",
    "gbraid",
    "wbraid",
    "msclkid",
    "yclid",
    "igshid",
    "igsh",
    "mc_cid",
    "mc_eid",
    "_hsenc",
    "_hsmi",
    "mkt_tok",
    "twclid",
    "ttclid",
)

#: Parameters that are share tracking on some hosts only (elsewhere they may matter).
#: Host suffix → parameter names.
HOST_TRACKING_PARAMS: dict[str, tuple[str, ...]] = {
    "twitter.com": ("s", "t"),
    "x.com": ("s", "t"),
    "youtube.com": ("si", "pp"),
    "youtu.be": ("si",),
    "spotify.com": ("si", "nd"),
    "instagram.com": ("utm_source", "igsh"),
}

#: Hosts that only redirect somewhere else.
SHORTENERS: tuple[str, ...] = (
    "bit.ly",
    "bitly.com",
    "t.co",
    "goo.gl",
    "tinyurl.com",
    "ow.ly",
    "buff.ly",
    "amzn.to",
    "amzn.asia",
    "gigaz.in",
    "is.gd",
    "v.gd",
    "t.ly",
    "cutt.ly",
    "rebrand.ly",
    "shorturl.at",
    "lnkd.in",
    "dlvr.it",
    "ift.tt",
    "j.mp",
    "tiny.cc",
    "rb.gy",
    "x.gd",
    "htn.to",
    "spoti.fi",
    "fb.me",
    "wp.me",
    "db.tt",
    "s.nikkei.com",
    "nico.ms",
    "amba.to",
    "apple.co",
    "onl.la",
    "onl.sc",
    "ptix.at",
    "urx.space",
    "urx2.nu",
    "qr.paps.jp",
)

#: Query parameters that carry a login, OAuth or session state.
SESSION_PARAMS: frozenset[str] = frozenset(
    {
        "state",
        "token",
        "access_token",
        "id_token",
        "refresh_token",
        "session",
        "sessionid",
        "session_id",
        "sid",
        "phpsessid",
        "jsessionid",
        "auth",
        "authuser_token",
        "sig",
    }
)

#: Path fragments of login and authorisation pages (auth0 universal login, OAuth).
SESSION_PATHS: tuple[str, ...] = (
    "/u/login",
    "/oauth/authorize",
    "/oauth2/authorize",
    "/oauth2/v2.0/authorize",
    "/login/oauth/authorize",
    "/signin/oauth",
    ";jsessionid=",
)
