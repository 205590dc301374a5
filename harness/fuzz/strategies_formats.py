"""String formats and alphabets both generators share: OCPP date-time, URIs, wide characters.

* date-time: UTC with `Z` and 0-3 fractional digits (2.0.1 Part 2 §2.1.1: senders SHALL NOT use
  more than 3; FIELD_NOTES "Encoding"), between 1970 and 2099.
* uri: `scheme://host[:port][/path][?query]` (RFC 3986); hosts are under the reserved names of
  RFC 2606 (`.test`, `.example`, `.invalid`) so a fuzzed firmware or log location never points
  at a real machine.
"""

from __future__ import annotations

import string
from datetime import UTC, datetime, timedelta
from typing import Final

EARLIEST: Final = datetime(1970, 1, 1)
LATEST: Final = datetime(2099, 12, 31, 23, 59, 59, 999000)
SPAN_MS: Final = int((LATEST - EARLIEST) / timedelta(milliseconds=1))
SCHEMES: Final = ("http", "https", "ftp", "ftps", "sftp", "ws", "wss")
RESERVED_TLDS: Final = ("test", "example", "invalid")
HOST_CHARS: Final = string.ascii_lowercase + string.digits
PATH_CHARS: Final = string.ascii_letters + string.digits + "-._~"
#: The shortest URI `fit_uri` can always produce.
SHORTEST_URI: Final = "x:y"
#: Printable ASCII, most of what real payloads carry.
ASCII: Final = "".join(chr(c) for c in range(0x20, 0x7F))
#: Characters that trip parsers: escapes, controls, non-ASCII in 2, 3 and 4 UTF-8 bytes.
WIDE: Final = (
    ASCII + '"\\/\b\f\n\r\t\x00\x1f\x7f\u00a0äöüßéñ€\u2028\u2029中文字\ufeff\U0001f642\U00010348'
)


def ocpp_timestamp(moment: datetime, digits: int) -> str:
    """`moment` (naive = UTC) as an OCPP date-time with `digits` (0-3) fractional digits."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if digits > 0:
        text += "." + f"{moment.microsecond // 1000:03d}"[:digits]
    return text + "Z"


def timestamp_from_ms(offset_ms: int, digits: int) -> str:
    """The OCPP date-time `offset_ms` milliseconds after EARLIEST."""
    return ocpp_timestamp(EARLIEST + timedelta(milliseconds=offset_ms), digits)


def fit_uri(
    scheme: str, host: str, port: int | None, path: str, query: str, low: int, high: int
) -> str:
    """Assemble a URI from parts, then pad (path) or trim (query, path, host) into [low, high]."""
    authority = f"{host}:{port}" if port is not None else host
    text = f"{scheme}://{authority}"
    rest = (f"/{path}" if path else "") + (f"?{query}" if query else "")
    if len(text) > high:
        text = SHORTEST_URI if high < len(f"{scheme}://a.test") else f"{scheme}://a.test"
        rest = ""
    text = (text + rest)[:high]
    if len(text) < low:
        slash = "" if "/" in text[len(scheme) + 3 :] else "/"
        text = (text + slash + "a" * low)[:low]
    return text
