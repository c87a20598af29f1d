"""Independent MessagePack peer for GenCluster's codec tests (Debian's python3-msgpack and python3-numpy).

Frames on disk are [u32 big-endian length][one msgpack value], like the wire.

Modes:
  decode IN OUT               decode each frame with msgpack.unpackb; write one line per frame:
                              "<description>\t<1 if packb(decoded) == frame bytes else 0>"
  generate SEED COUNT OUT DESC
                              random values of every family encoded with msgpack.packb; DESC gets the
                              description of each, as msgpack itself decodes it
  tensor-generate SEED OUT JSON
                              numpy arrays in the msgpack-numpy map layout; JSON lists dtype, shape and
                              the element bit patterns
  tensor-check IN JSON        decode tensor maps written by GenCluster with numpy.frombuffer and compare
                              against the bit patterns in JSON; exit 1 on any mismatch
"""
import json
import math
import random
import struct
import sys

import msgpack


def describe(o):
    """Canonical description; mirrors Support/InteropDescription.cs."""
    if o is None:
        return "nil"
    if o is True:
        return "true"
    if o is False:
        return "false"
    if isinstance(o, int):
        return "i%d" % o
    if isinstance(o, float):
        if math.isnan(o):
            return "dnan"
        return "d" + struct.pack(">d", o).hex()
    if isinstance(o, str):
        return "s:" + o.encode("utf-8").hex()
    if isinstance(o, (bytes, bytearray)):
        return "b:" + bytes(o).hex()
    if isinstance(o, msgpack.Timestamp):
        return "t%d.%d" % (o.seconds, o.nanoseconds)
    if isinstance(o, msgpack.ExtType):
        return "x%d:%s" % (o.code, o.data.hex())
    if isinstance(o, (list, tuple)):
        return "[" + ",".join(describe(x) for x in o) + "]"
    if isinstance(o, dict):
        return "{" + ",".join(describe(k) + "=" + describe(v) for k, v in o.items()) + "}"
    raise TypeError("cannot describe %r" % type(o))


def read_frames(path):
    with open(path, "rb") as f:
        data = f.read()
    frames = []
    pos = 0
    while pos < len(data):
        (length,) = struct.unpack_from(">I", data, pos)
        pos += 4
        frames.append(data[pos:pos + length])
        pos += length
    return frames


def write_frames(path, payloads):
    with open(path, "wb") as f:
        for p in payloads:
            f.write(struct.pack(">I", len(p)))
            f.write(p)


def make_ext(code, data):
    """An ExtType for any code -128..127. msgpack.ExtType() itself refuses the negative codes the spec reserves
    for predefined types, but the wire (and msgpack's packer) handle them; -1 is decoded as Timestamp before this."""
    return tuple.__new__(msgpack.ExtType, (code, data))


def unpack(payload):
    return msgpack.unpackb(payload, raw=False, strict_map_key=False, timestamp=0, use_list=True, ext_hook=make_ext)


def mode_decode(src, dst):
    out = []
    for payload in read_frames(src):
        try:
            obj = unpack(payload)
            same = msgpack.packb(obj, use_bin_type=True) == payload
            out.append("%s\t%d" % (describe(obj), 1 if same else 0))
        except Exception as e:  # report, let the C# side fail with the message
            out.append("ERROR %s: %s\t0" % (type(e).__name__, e))
    with open(dst, "w", encoding="ascii") as f:
        f.write("\n".join(out))
        f.write("\n")


INT_BOUNDARIES = [0, 1, 127, 128, 255, 256, 65535, 65536, 2**32 - 1, 2**32, 2**63 - 1, 2**63, 2**64 - 1,
                  -1, -32, -33, -128, -129, -32768, -32769, -2**31, -2**31 - 1, -2**63]
LENGTHS = [0, 1, 31, 32, 255, 256]
EXT_LENGTHS = [0, 1, 2, 3, 4, 5, 8, 12, 16, 17, 255, 256]
LARGE_LENGTHS = [65535, 65536]
ASCII = [chr(c) for c in range(0x20, 0x7f)]


def rint(r):
    k = r.randrange(4)
    if k == 0:
        return r.choice(INT_BOUNDARIES)
    if k == 1:
        v = r.choice(INT_BOUNDARIES) + r.randint(-2, 2)
        return min(max(v, -2**63), 2**64 - 1)
    if k == 2:
        return r.randrange(2**63, 2**64)
    bits = r.randint(1, 63)
    v = r.getrandbits(bits)
    return v if r.random() < 0.5 else -v - 1


def rfloat(r):
    k = r.randrange(4)
    if k == 0:
        return r.choice([float("nan"), float("inf"), float("-inf"), 0.0, -0.0, 5e-324,
                         1.7976931348623157e308, -1.7976931348623157e308, 1.0, -1.5, 0.1])
    if k == 1:
        return struct.unpack(">d", r.getrandbits(64).to_bytes(8, "big"))[0]
    return (r.random() - 0.5) * 10.0 ** r.randint(-30, 30)


def rlength(r, small, boundaries=LENGTHS):
    """Mostly short; sometimes a format boundary; rarely one of the 16/32-bit-length boundaries (64 KiB)."""
    k = r.randrange(200)
    if k == 0:
        return r.choice(LARGE_LENGTHS)
    if k < 20:
        return r.choice(boundaries)
    return r.randrange(small)


def rstr(r):
    n = rlength(r, 24)
    if n > 40 or r.randrange(6) == 0:
        return "".join(r.choices(ASCII, k=n))
    chars = []
    for _ in range(n):
        k = r.randrange(6)
        if k == 0:
            cp = r.randrange(0, 0x80)
        elif k == 1:
            cp = r.randrange(0x80, 0x800)
        elif k == 2:
            cp = r.randrange(0x800, 0xD800)
        elif k == 3:
            cp = r.randrange(0xE000, 0x10000)
        elif k == 4:
            cp = r.randrange(0x10000, 0x110000)
        else:
            cp = r.randint(0x20, 0x7e)
        chars.append(chr(cp))
    return "".join(chars)


def rbytes(r, n):
    return bytes(r.getrandbits(8) for _ in range(n)) if n < 512 else r.randbytes(n)


def rext(r):
    code = r.randint(-128, 127)
    while code == -1:
        code = r.randint(-128, 127)
    return make_ext(code, rbytes(r, rlength(r, 20, EXT_LENGTHS)))


def rts(r):
    k = r.randrange(6)
    if k == 0:
        sec = r.randrange(0, 2**32)
    elif k == 1:
        sec = r.randrange(2**32, 2**34)
    elif k == 2:
        sec = r.randrange(-2**40, 0)
    elif k == 3:
        sec = r.randrange(2**34, 2**63)
    elif k == 4:
        sec = r.randrange(-2**63, 2**63)
    else:
        sec = r.choice([0, 2**32 - 1, 2**32, 2**34 - 1, 2**34, -1, -2**63, 2**63 - 1])
    nsec = 0 if r.randrange(3) == 0 else r.randrange(0, 10**9)
    return msgpack.Timestamp(sec, nsec)


def rscalar(r):
    k = r.randrange(10)
    if k == 0:
        return None if r.randrange(4) == 0 else (r.randrange(2) == 0)
    if k in (1, 2, 9):
        return rint(r)
    if k == 3:
        return rfloat(r)
    if k in (4, 5):
        return rstr(r)
    if k == 6:
        return rbytes(r, rlength(r, 40))
    if k == 7:
        return rext(r)
    return rts(r)


def rcount(r):
    if r.randrange(8) == 0:
        return r.choice([15, 16, 17])
    return r.randrange(6)


def rvalue(r, depth=0, max_depth=4):
    if depth < max_depth and r.random() < 0.3:
        if r.randrange(2) == 0:
            if r.randrange(1000) == 0:
                return [r.randint(-40, 300) for _ in range(r.choice([65535, 65536]))]
            return [rvalue(r, depth + 1, max_depth) for _ in range(rcount(r))]
        if r.randrange(1000) == 0:
            return {i - 1000: r.randrange(1000) for i in range(r.choice([65535, 65536]))}
        d = {}
        n = rcount(r)
        while len(d) < n:
            k = r.randrange(3)
            key = rstr(r) if k == 0 else (rint(r) if k == 1 else rbytes(r, r.randrange(6)))
            if key in d:
                continue
            d[key] = rvalue(r, depth + 1, max_depth)
        return d
    return rscalar(r)


def fixed_cases():
    """Every family at its format boundaries, whatever the random draw."""
    cases = list(INT_BOUNDARIES) + [None, True, False, float("nan"), float("inf"), float("-inf"), -0.0, 5e-324]
    for n in [0, 1, 31, 32, 255, 256, 65535, 65536]:
        cases += ["q" * n, b"\x01" * n, [None] * n]
    for n in [15, 16, 65535, 65536]:
        cases.append({i: True for i in range(n)})
    for n in [0, 1, 2, 3, 4, 8, 16, 17, 255, 256, 65535, 65536]:
        cases.append(make_ext(42, b"\x02" * n))
    cases.append(make_ext(-128, b"\x03\x04"))
    cases.append("\u00e9\u20ac\U0001f600 mixed \x00 \u07ff \uffff")
    for sec, nsec in [(0, 0), (2**32 - 1, 0), (2**32, 0), (1, 1), (2**34 - 1, 999999999), (2**34, 0), (-1, 0),
                      (-1, 123456789), (-2**63, 0), (2**63 - 1, 999999999)]:
        cases.append(msgpack.Timestamp(sec, nsec))
    return cases


def mode_generate(seed, count, frames_path, desc_path):
    r = random.Random(seed)
    payloads = []
    lines = []
    fixed = fixed_cases()
    for i in range(count):
        obj = fixed[i] if i < len(fixed) else rvalue(r)
        single = r.randrange(10) == 0
        payload = msgpack.packb(obj, use_bin_type=True, use_single_float=single)
        payloads.append(payload)
        lines.append(describe(unpack(payload)))
    write_frames(frames_path, payloads)
    with open(desc_path, "w", encoding="ascii") as f:
        f.write("\n".join(lines))
        f.write("\n")


def float32_bits(arr):
    return [int(x) for x in arr.reshape(-1).view("<u4")]


def mode_tensor_generate(seed, frames_path, json_path):
    import numpy as np
    rng = np.random.default_rng(seed)
    shapes = [(3, 4), (2, 3, 5), (0,), (), (1000,), (4, 0, 2), (64, 1, 28, 28), (17,)]
    payloads = []
    expected = []
    for i, shape in enumerate(shapes):
        arr = rng.standard_normal(shape).astype(np.float32)
        if arr.size >= 4:
            flat = arr.reshape(-1)
            flat[0] = np.float32("inf")
            flat[1] = np.float32("-0.0")
            flat[2] = np.float32(1e-45)  # subnormal
            flat[3] = np.float32("-inf")
        # msgpack-numpy's own layout: bin keys, a bin 'kind', a tuple shape, data = tobytes().
        if i % 2 == 0:
            obj = {b"nd": True, b"type": arr.dtype.str, b"kind": b"", b"shape": arr.shape, b"data": arr.tobytes()}
        else:
            # str keys in another order, as GenCluster writes them (plus 'kind').
            obj = {"shape": list(arr.shape), "data": arr.tobytes(), "kind": "", "type": arr.dtype.str, "nd": True}
        payloads.append(msgpack.packb(obj, use_bin_type=True))
        expected.append({"dtype": arr.dtype.str, "shape": list(arr.shape), "bits": float32_bits(arr)})
    # one float64 and one int64 tensor
    arr64 = rng.standard_normal((5, 3))
    payloads.append(msgpack.packb({b"nd": True, b"type": arr64.dtype.str, b"kind": b"", b"shape": arr64.shape,
                                   b"data": arr64.tobytes()}, use_bin_type=True))
    expected.append({"dtype": arr64.dtype.str, "shape": list(arr64.shape),
                     "bits": [int(x) for x in arr64.reshape(-1).view("<u8")]})
    ints = rng.integers(-2**62, 2**62, size=(7,), dtype=np.int64)
    payloads.append(msgpack.packb({b"nd": True, b"type": ints.dtype.str, b"kind": b"", b"shape": ints.shape,
                                   b"data": ints.tobytes()}, use_bin_type=True))
    expected.append({"dtype": ints.dtype.str, "shape": list(ints.shape), "bits": [int(x) for x in ints]})
    write_frames(frames_path, payloads)
    with open(json_path, "w", encoding="ascii") as f:
        json.dump(expected, f)


def mode_tensor_check(frames_path, json_path):
    import numpy as np
    with open(json_path, encoding="ascii") as f:
        expected = json.load(f)
    frames = read_frames(frames_path)
    if len(frames) != len(expected):
        print("frame count %d != expected %d" % (len(frames), len(expected)))
        return 1
    failures = 0
    for i, (payload, exp) in enumerate(zip(frames, expected)):
        obj = unpack(payload)
        if set(obj.keys()) != {"nd", "type", "shape", "data"} or obj["nd"] is not True:
            print("tensor %d: bad keys %r" % (i, sorted(obj.keys())))
            failures += 1
            continue
        if not isinstance(obj["data"], bytes):
            print("tensor %d: data is %s, not bin" % (i, type(obj["data"]).__name__))
            failures += 1
            continue
        arr = np.frombuffer(obj["data"], dtype=np.dtype(obj["type"])).reshape(obj["shape"])
        view = {"<f4": "<u4", "<f8": "<u8", "<i8": "<i8", "<i4": "<i4"}[obj["type"]]
        bits = [int(x) for x in arr.reshape(-1).view(view)]
        if obj["type"] != exp["dtype"] or list(arr.shape) != exp["shape"] or bits != exp["bits"]:
            print("tensor %d: mismatch dtype=%s shape=%s" % (i, obj["type"], arr.shape))
            failures += 1
    print("checked %d tensors, %d failures" % (len(frames), failures))
    return 1 if failures else 0


def main(argv):
    mode = argv[1]
    if mode == "decode":
        mode_decode(argv[2], argv[3])
    elif mode == "generate":
        mode_generate(int(argv[2]), int(argv[3]), argv[4], argv[5])
    elif mode == "tensor-generate":
        mode_tensor_generate(int(argv[2]), argv[3], argv[4])
    elif mode == "tensor-check":
        return mode_tensor_check(argv[2], argv[3])
    else:
        print("unknown mode " + mode)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
