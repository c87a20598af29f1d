"""Interop peer for GenCluster's generated and built-in MessagePack serializers (python3-msgpack, python3-numpy).

  codegen_peer.py decode FILE          prints FILE's MessagePack value as JSON; tensor maps
                                       ({"nd": true, "type", "shape", "data"}) become
                                       {"tensor": dtype, "shape": [...], "values": [...], "bits": [...]}
  codegen_peer.py encode DTYPE FILE    writes np.arange(6) * 0.5 (or * 3 for integers) of DTYPE as a tensor map the
                                       way msgpack-numpy does (bin keys, a "kind" entry), to FILE

Exits non-zero with a message on stderr when a tensor map does not follow the convention exactly.
"""
import json
import sys

import msgpack
import numpy as np

TENSOR_KEYS = {"nd", "type", "shape", "data"}


def as_text(key):
    return key.decode("ascii") if isinstance(key, bytes) else key


def describe(value):
    if isinstance(value, dict):
        keys = {as_text(k) for k in value.keys()}
        if "nd" in keys:
            return describe_tensor({as_text(k): v for k, v in value.items()})
        return {str(k): describe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [describe(v) for v in value]
    if isinstance(value, bytes):
        return {"bin": value.hex()}
    return value


def describe_tensor(entries):
    if set(entries.keys()) != TENSOR_KEYS:
        raise SystemExit(f"tensor map keys are {sorted(entries.keys())}, expected {sorted(TENSOR_KEYS)}")
    if entries["nd"] is not True:
        raise SystemExit("'nd' is not true")
    if not isinstance(entries["data"], bytes):
        raise SystemExit(f"'data' is {type(entries['data']).__name__}, expected bin")
    dtype = np.dtype(entries["type"])
    array = np.frombuffer(entries["data"], dtype=dtype).reshape(entries["shape"])
    bits_dtype = {4: np.uint32, 8: np.uint64}[dtype.itemsize]
    return {
        "tensor": dtype.str,
        "shape": list(array.shape),
        "values": array.ravel().tolist(),
        "bits": array.ravel().view(bits_dtype).tolist(),
    }


def decode(path):
    with open(path, "rb") as f:
        value = msgpack.unpackb(f.read(), raw=False, strict_map_key=False)
    print(json.dumps(describe(value)))


def encode(dtype_text, path):
    dtype = np.dtype(dtype_text)
    factor = 0.5 if dtype.kind == "f" else 3
    array = (np.arange(6) * factor).astype(dtype)
    # msgpack-numpy's layout: bin keys and a "kind" entry.
    value = {b"nd": True, b"type": dtype.str, b"kind": b"", b"shape": list(array.shape), b"data": array.tobytes()}
    with open(path, "wb") as f:
        f.write(msgpack.packb(value, use_bin_type=True))


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "decode":
        decode(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "encode":
        encode(sys.argv[2], sys.argv[3])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
