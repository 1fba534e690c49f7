"""Image parts of chat messages, checked as the server checks them (lib/registry/content-parts.ts), with
the same messages, and rendered into OpenAI's and Anthropic's message shapes
(lib/registry/message-formats.ts)."""

import base64
import binascii
import re
from urllib.parse import urlsplit

from ._jsvalues import utf16_len
from .errors import lectern_error

IMAGE_MEDIA_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")
MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_URL_CHARS = 2048
_DATA_URL = re.compile(r"data:(image/[a-z+.-]{1,40});base64,")
_BASE64 = re.compile(r"[A-Za-z0-9+/]*={0,2}")
_NOT_AN_IMAGE_URL = "an image must be an https: URL or a data:image/…;base64 URL"


def _kib(n):
    return "%d KiB" % max(1, int(n / 1024 + 0.5))


def sniff_image_type(data):
    """The media type an image's first bytes say it is."""
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "image/png"
    if data[:3] == b"\xff\xd8\xff":
        return "image/jpeg"
    if data[:4] == b"GIF8":
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def parse_image_data_url(url, max_bytes):
    """(media type, size, base64) of an image data: URL, or a string saying what is wrong with it."""
    m = _DATA_URL.match(url)
    if not m:
        return "a data: URL must be data:image/<png|jpeg|gif|webp>;base64,<data>"
    claimed = m.group(1)
    if claimed not in IMAGE_MEDIA_TYPES:
        return "%s is not an accepted image type (%s)" % (claimed, ", ".join(IMAGE_MEDIA_TYPES))
    body = url[m.end() :]
    if not body:
        return "the data: URL holds no data"
    if len(body) % 4 != 0 or not _BASE64.fullmatch(body):
        return "the data: URL's data is not valid base64"
    size = len(body) // 4 * 3 - (2 if body.endswith("==") else 1 if body.endswith("=") else 0)
    if size > max_bytes:
        return "the image is %s, over the limit of %s" % (_kib(size), _kib(max_bytes))
    try:
        sniffed = sniff_image_type(base64.b64decode(body[:24]))
    except (binascii.Error, ValueError):
        return "the data: URL's data is not valid base64"
    if sniffed is None:
        return "the data is not a PNG, JPEG, GIF or WebP image"
    if sniffed != claimed:
        return "the data: URL says %s but the data is %s" % (claimed, sniffed)
    return (sniffed, size, body)


def image_url_problem(url, max_bytes=MAX_IMAGE_BYTES):
    """Why an image URL is refused, or None. Only https: URLs and image data: URLs are images."""
    if url.startswith("data:"):
        parsed = parse_image_data_url(url, max_bytes)
        return parsed if isinstance(parsed, str) else None
    if utf16_len(url) > MAX_URL_CHARS:
        return "an image URL must be at most %d characters" % MAX_URL_CHARS
    try:
        parts = urlsplit(url)
    except ValueError:
        return _NOT_AN_IMAGE_URL
    if parts.scheme.lower() != "https" or not parts.netloc:
        return _NOT_AN_IMAGE_URL
    if "@" in parts.netloc:
        return "an image URL must not hold a user name or password"
    return None


def _messages(rendered):
    return [{"role": "user", "content": rendered}] if isinstance(rendered, str) else rendered


def _refuse(message, index):
    return lectern_error("unprocessable", message, 422, {"field": "messages[%d]" % index})


def _text_only(m, index, fmt):
    if isinstance(m["content"], str):
        return m["content"]
    if any(p["type"] == "image" for p in m["content"]):
        raise _refuse("%s does not take images in a %s message (messages[%d])" % (fmt, m["role"], index), index)
    return "\n".join(p["text"] if p["type"] == "text" else "" for p in m["content"])


def to_openai(rendered):
    """OpenAI chat messages: images as image_url parts."""
    out = []
    for m in _messages(rendered):
        content = m["content"]
        if not isinstance(content, str):
            content = [p if p["type"] == "text" else {"type": "image_url", "image_url": {"url": p["url"]}} for p in content]
        out.append({"role": m["role"], "content": content})
    return out


def _anthropic_image(url):
    if not url.startswith("data:"):
        return {"type": "image", "source": {"type": "url", "url": url}}
    parsed = parse_image_data_url(url, float("inf"))
    if isinstance(parsed, str):
        raise lectern_error("unprocessable", "image: " + parsed, 422, None)
    media_type, _, data = parsed
    return {"type": "image", "source": {"type": "base64", "media_type": media_type, "data": data}}


def to_anthropic(rendered):
    """Anthropic Messages: {"system"?, "messages"}; system and developer messages become the system text."""
    system, messages = [], []
    for i, m in enumerate(_messages(rendered)):
        role, content = m["role"], m["content"]
        if role in ("system", "developer"):
            system.append(_text_only(m, i, "Anthropic"))
        elif role in ("user", "assistant"):
            if not isinstance(content, str):
                content = [p if p["type"] == "text" else _anthropic_image(p["url"]) for p in content]
            messages.append({"role": role, "content": content})
        else:
            raise _refuse("Anthropic messages have no %s role (messages[%d])" % (role, i), i)
    return {"system": "\n\n".join(system), "messages": messages} if system else {"messages": messages}
