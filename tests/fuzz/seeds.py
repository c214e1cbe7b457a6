#!/usr/bin/env python3
"""Writes the seed corpus of one fuzz target into a folder the fuzzer may write to.

The seeds are the hand-written ones committed in tests/fuzz/corpus/<target>/ and those made
here from real files: the fixtures (shared/fixtures, never edited: read and copied), and the
shipped configuration, policy and notice templates (etc/). Prints how many seeds it wrote.

    seeds.py TARGET OUT_DIR [--fixtures DIR]
"""
import argparse
import hashlib
import pathlib
import sys

SOURCE = pathlib.Path(__file__).resolve().parents[2]


def fixture_files(fixtures, folder):
    return sorted((fixtures / folder).glob("*")) if (fixtures / folder).is_dir() else []


def http_request(method, target, body, headers):
    head = [f"{method} {target} HTTP/1.1", "Host: localhost", *headers, f"Content-Length: {len(body)}"]
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


def generated(target, fixtures):
    """(name, bytes) pairs made from real files for `target`."""
    camt = fixture_files(fixtures, "camt")
    cnab = fixture_files(fixtures, "cnab240")
    if target == "camt":
        return [(f.name, f.read_bytes()) for f in camt]
    if target == "camt_stream":
        # Eight piece sizes (each byte + 1), then the document: whole-ish, tiny and mixed pieces.
        sizes = [bytes([255] * 8), bytes([0] * 8), bytes([6, 0, 63, 2, 130, 1, 17, 255])]
        return [(f"{f.name}.{i}", s + f.read_bytes()) for f in camt for i, s in enumerate(sizes)]
    if target == "cnab240":
        return [(f.name, f.read_bytes()) for f in cnab]
    if target == "policy_yaml":
        return [("policy.yaml", (SOURCE / "etc/policy.yaml").read_bytes())]
    if target == "config_yaml":
        return [("cobrador.yaml", (SOURCE / "etc/cobrador.yaml").read_bytes())]
    if target == "template":
        # Selector 0 (a notice), the template's name, a value for every variable, the text.
        seeds = []
        for path in sorted((SOURCE / "etc/templates").glob("*/*")):
            name = path.name.split(".")[0]
            seeds.append((f"{path.parent.name}.{path.name}", b"\x00" + name.encode() + b"\n49.90 BRL\n" + path.read_bytes()))
        return seeds
    if target == "api":
        # Each statement uploaded by a client that may confirm payments.
        headers = ["Authorization: Bearer fuzz-billing"]
        return [(f"statement.{f.name}", http_request("POST", f"/v1/bank-statements?source=bank&filename={f.name}",
                                                     f.read_bytes(), headers)) for f in camt + cnab]
    return []


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("target")
    parser.add_argument("out", type=pathlib.Path)
    parser.add_argument("--fixtures", type=pathlib.Path, default=SOURCE.parent / "shared" / "fixtures")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    seeds = [(p.name, p.read_bytes()) for p in sorted((SOURCE / "tests/fuzz/corpus" / args.target).glob("*"))]
    seeds += generated(args.target, args.fixtures)
    if not seeds:
        sys.exit(f"seeds.py: no seeds for {args.target}")
    for name, data in seeds:
        # Named by content, as libFuzzer names what it adds, so that a rerun adds no copies.
        (args.out / hashlib.sha1(data).hexdigest()).write_bytes(data)
    print(len(seeds))


if __name__ == "__main__":
    main()
