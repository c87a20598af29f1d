"""Independent YAML peer for GenCluster's experiment-spec reader tests (Debian's python3-yaml).

Usage: yaml_peer.py IN OUT
  IN   a JSON array of YAML documents (strings)
  OUT  a JSON array with one entry per document: {"ok": TREE} or {"error": "message"}

TREE is canonical, so that both sides can be compared exactly:
  ["map", [[KEY, VALUE], ...]]   entries in document order, keys are TREEs too
  ["seq", [VALUE, ...]]
  ["str", "text"]
  ["int", "decimal digits"]      as a string: no precision is lost on either side
  ["float", "16 hex digits"]     the big-endian IEEE-754 bits of the double, or "nan"
  ["bool", true | false]
  ["null"]

PyYAML does the parsing (scanner, parser, composer: yaml.compose builds the node graph without constructing
Python objects). Plain scalars are then typed with the YAML 1.2 core schema's regular expressions, which GenCluster
implements; PyYAML's own resolver follows YAML 1.1, where yes/on/1_000/1:30/2001-12-14 are not strings.
Quoted scalars are always strings.
"""
import json
import re
import struct
import sys

import yaml

NULL = re.compile(r"(?:~|null|Null|NULL)?")
TRUE = re.compile(r"true|True|TRUE")
FALSE = re.compile(r"false|False|FALSE")
INT10 = re.compile(r"[-+]?[0-9]+")
INT8 = re.compile(r"0o[0-7]+")
INT16 = re.compile(r"0x[0-9a-fA-F]+")
FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
INF = re.compile(r"[-+]?\.(?:inf|Inf|INF)")
NAN = re.compile(r"\.(?:nan|NaN|NAN)")


def float_bits(value):
    if value != value:
        return "nan"
    return struct.pack(">d", value).hex()


def core_schema(text):
    """Types a plain scalar as the YAML 1.2 core schema does."""
    if NULL.fullmatch(text):
        return ["null"]
    if TRUE.fullmatch(text):
        return ["bool", True]
    if FALSE.fullmatch(text):
        return ["bool", False]
    if INT10.fullmatch(text):
        return ["int", str(int(text, 10))]
    if INT8.fullmatch(text):
        return ["int", str(int(text[2:], 8))]
    if INT16.fullmatch(text):
        return ["int", str(int(text[2:], 16))]
    if FLOAT.fullmatch(text):
        return ["float", float_bits(float(text))]
    if INF.fullmatch(text):
        return ["float", float_bits(float("-inf") if text.startswith("-") else float("inf"))]
    if NAN.fullmatch(text):
        return ["float", "nan"]
    return ["str", text]


def canonical(node):
    if node is None:
        return ["null"]
    if isinstance(node, yaml.ScalarNode):
        return core_schema(node.value) if node.style is None else ["str", node.value]
    if isinstance(node, yaml.SequenceNode):
        return ["seq", [canonical(item) for item in node.value]]
    if isinstance(node, yaml.MappingNode):
        return ["map", [[canonical(key), canonical(value)] for key, value in node.value]]
    raise TypeError("unexpected node %r" % (node,))


def main():
    if len(sys.argv) != 3:
        sys.stderr.write(__doc__)
        sys.exit(2)
    with open(sys.argv[1], encoding="utf-8") as source:
        documents = json.load(source)
    results = []
    for text in documents:
        try:
            results.append({"ok": canonical(yaml.compose(text, Loader=yaml.SafeLoader))})
        except (yaml.YAMLError, ValueError) as error:
            # PyYAML lets a few malformed escapes ("\\U00110000") surface as ValueError from chr().
            results.append({"error": "%s: %s" % (type(error).__name__, error)})
    with open(sys.argv[2], "w", encoding="utf-8") as target:
        json.dump(results, target)


if __name__ == "__main__":
    main()
