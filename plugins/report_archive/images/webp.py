"""A WebP file's size and whether it is animated, read from its first bytes.

Pillow opens a WebP file through libwebp's animation decoder, which reads the whole file
and allocates two canvases of the image's size: about a millisecond per figure, which a
build of an archive whose figures ``report-archive import`` stored as WebP pays thousands of
times. The RIFF container says the same in its first 30 bytes (the WebP container
specification): the canvas of an extended file (``VP8X``), else the frame header of a lossy
(``VP8 ``) or lossless (``VP8L``) file. libwebp refuses a still image whose frame does not
match its canvas, so the canvas is what a browser decodes. Anything else is left to Pillow.
"""

from __future__ import annotations

import struct

__all__ = ["HEAD_BYTES", "webp_size"]

HEAD_BYTES = 30
"""How much of a file `webp_size` reads."""

_ANIMATION = 0x02  # VP8X flag


def webp_size(head: bytes) -> tuple[int, int, bool] | None:
    """Return (width, height, animated) from a WebP file's first `HEAD_BYTES` bytes.

    Args:
        head: The file's first bytes.

    Returns:
        The size and whether it is animated; None for anything but a well-formed header
        of one of the three kinds.
    """
    if len(head) < HEAD_BYTES or head[:4] != b"RIFF" or head[8:12] != b"WEBP":
        return None
    kind = head[12:16]
    if kind == b"VP8X":
        flags = head[20]
        width = 1 + int.from_bytes(head[24:27], "little")
        height = 1 + int.from_bytes(head[27:30], "little")
        return width, height, bool(flags & _ANIMATION)
    if kind == b"VP8 ":
        if head[23:26] != b"\x9d\x01\x2a":  # the key frame's start code
            return None
        width, height = struct.unpack("<HH", head[26:30])
        width, height = width & 0x3FFF, height & 0x3FFF
        return (width, height, False) if width and height else None
    if kind == b"VP8L":
        if head[20] != 0x2F:  # the lossless signature
            return None
        bits = int.from_bytes(head[21:25], "little")
        return 1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF), False
    return None
