#!/usr/bin/env python3
"""Independent PNG decoder for the GenCluster.Imaging tests (standard library only).

Usage: png_peer.py FILE.png
Prints one JSON object: width, height, bit_depth, color_type, interlace, chunk types,
filter types per row and the SHA-256 of the reconstructed pixel bytes.
Exits non-zero with a message on stderr for any structural error (bad signature, CRC, order).
"""
import hashlib
import json
import struct
import sys
import zlib

SIGNATURE = b"\x89PNG\r\n\x1a\n"


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def decode(blob):
    if blob[:8] != SIGNATURE:
        raise ValueError("bad signature")
    pos = 8
    chunks = []
    idat = bytearray()
    header = None
    while pos < len(blob):
        if chunks and chunks[-1] == "IEND":
            raise ValueError("data after IEND")
        (length,) = struct.unpack(">I", blob[pos:pos + 4])
        ctype = blob[pos + 4:pos + 8]
        data = blob[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", blob[pos + 8 + length:pos + 12 + length])
        if zlib.crc32(ctype + data) & 0xFFFFFFFF != crc:
            raise ValueError("crc mismatch in %r" % ctype)
        name = ctype.decode("ascii")
        if not chunks and name != "IHDR":
            raise ValueError("first chunk is not IHDR")
        chunks.append(name)
        if name == "IHDR":
            header = struct.unpack(">IIBBBBB", data)
        elif name == "IDAT":
            idat += data
        pos += 12 + length
    if not chunks or chunks[-1] != "IEND":
        raise ValueError("missing IEND")
    width, height, depth, ctype, comp, filt, interlace = header
    if depth != 8 or ctype not in (0, 2) or comp != 0 or filt != 0 or interlace != 0:
        raise ValueError("unsupported header %r" % (header,))
    bpp = 3 if ctype == 2 else 1
    stride = width * bpp
    raw = zlib.decompress(bytes(idat))
    if len(raw) != height * (stride + 1):
        raise ValueError("inflated %d bytes, expected %d" % (len(raw), height * (stride + 1)))
    out = bytearray(height * stride)
    prev = bytearray(stride)
    filters = []
    for y in range(height):
        f = raw[y * (stride + 1)]
        filters.append(f)
        line = raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)]
        cur = bytearray(stride)
        for i in range(stride):
            a = cur[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 0:
                pred = 0
            elif f == 1:
                pred = a
            elif f == 2:
                pred = b
            elif f == 3:
                pred = (a + b) // 2
            elif f == 4:
                pred = paeth(a, b, c)
            else:
                raise ValueError("bad filter type %d" % f)
            cur[i] = (line[i] + pred) & 0xFF
        out[y * stride:(y + 1) * stride] = cur
        prev = cur
    return {
        "width": width,
        "height": height,
        "bit_depth": depth,
        "color_type": ctype,
        "interlace": interlace,
        "chunks": chunks,
        "filters": sorted(set(filters)),
        "sha256": hashlib.sha256(bytes(out)).hexdigest(),
    }


def main():
    with open(sys.argv[1], "rb") as handle:
        blob = handle.read()
    try:
        result = decode(blob)
    except (ValueError, struct.error, zlib.error) as error:
        print("invalid png: %s" % error, file=sys.stderr)
        return 2
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
