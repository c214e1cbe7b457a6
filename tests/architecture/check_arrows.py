#!/usr/bin/env python3
"""Checks the shape of the code against the libraries CMake builds (docs/architecture.md).

Every area of lib/ (and hooks/) is a static library that links only the areas below it
(cmake/areas.cmake writes them to areas.json). This check fails when
  - a file of an area includes a header of an area its library does not link, directly or
    through the areas it links: the include crosses an arrow that does not exist;
  - the libraries' graph has an arrow ARCHITECTURE.md forbids (walk -> dispatch, ...);
  - the graph written in docs/architecture.md is not the graph CMake builds: a new arrow
    must be written there, where a reviewer sees it.

Usage: check_arrows.py AREAS_JSON SOURCE_DIR [--write-doc]
"""

import json
import os
import re
import sys

# ARCHITECTURE.md: "Never: policy → store, http, dispatch; walk → dispatch, hooks, notify,
# usecases; hooks → store; http → hooks; bank → store." Checked on what each area can reach.
FORBIDDEN = {
    "policy": {"store", "http", "dispatch"},
    "walk": {"dispatch", "hooks", "notify", "service"},
    "hooks": {"store"},
    "bank": {"store"},
}
# http reaches hooks only through dispatch (the dispatcher's options name panels); it may not
# include a panel's header itself.
FORBIDDEN_DIRECT = {"http": {"hooks"}}

INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"')
DOC_BEGIN = "```dot"
DOC_END = "```"


def load_areas(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)["areas"]


def reachable(areas, name):
    """The areas `name` links, directly or through others, itself included."""
    seen, todo = set(), [name]
    while todo:
        area = todo.pop()
        if area in seen:
            continue
        seen.add(area)
        todo.extend(areas[area]["areas"])
    return seen


def area_of_header(areas, include):
    """The area whose folder holds `include` (relative to lib/ or to the source root)."""
    best, best_len = None, -1
    for name, area in areas.items():
        folder = area["dir"]
        for root in ("lib/", ""):
            if folder.startswith(root):
                relative = folder[len(root):]
                if include.startswith(relative + "/") and include.count("/") == relative.count("/") + 1:
                    if len(relative) > best_len:
                        best, best_len = name, len(relative)
    return best


def include_problems(areas, source_dir):
    problems = []
    for name, area in sorted(areas.items()):
        allowed = reachable(areas, name)
        folder = os.path.join(source_dir, area["dir"])
        for file_name in sorted(os.listdir(folder)):
            if not file_name.endswith((".cpp", ".hpp")):
                continue
            path = os.path.join(folder, file_name)
            with open(path, encoding="utf-8") as f:
                for number, line in enumerate(f, 1):
                    match = INCLUDE.match(line)
                    if not match:
                        continue
                    target = area_of_header(areas, match.group(1))
                    where = f"{area['dir']}/{file_name}:{number}"
                    if target is None:
                        problems.append(f"{where}: \"{match.group(1)}\" is in no area's folder")
                    elif target not in allowed:
                        problems.append(f"{where}: {name} includes \"{match.group(1)}\" of {target}, "
                                        f"which cobrador_{name} does not link (add the arrow in lib/CMakeLists.txt "
                                        f"and docs/architecture.md, or move the code)")
                    elif target in FORBIDDEN_DIRECT.get(name, set()):
                        problems.append(f"{where}: {name} may not include {target} (\"{match.group(1)}\")")
    return problems


def forbidden_arrows(areas):
    problems = []
    for name, never in FORBIDDEN.items():
        for target in sorted(reachable(areas, name) & never):
            problems.append(f"the libraries link {name} -> {target}, which ARCHITECTURE.md forbids")
    return problems


def edges(areas):
    return sorted((name, dep) for name, area in areas.items() for dep in area["areas"])


def dot(areas):
    lines = ["digraph cobrador {"]
    lines += [f"  {a} -> {b};" for a, b in edges(areas)]
    lines.append("}")
    return "\n".join(lines)


def documented_edges(doc_text):
    start = doc_text.find(DOC_BEGIN)
    if start < 0:
        return None
    end = doc_text.find(DOC_END, start + len(DOC_BEGIN))
    block = doc_text[start:end]
    return sorted(tuple(m) for m in re.findall(r"^\s*(\w+) -> (\w+);", block, re.M))


def doc_problems(areas, doc_path):
    with open(doc_path, encoding="utf-8") as f:
        written = documented_edges(f.read())
    if written is None:
        return [f"{doc_path}: no ```dot block with the libraries' graph"]
    built = edges(areas)
    problems = [f"{doc_path}: the arrow {a} -> {b} is built but not written" for a, b in built
                if (a, b) not in written]
    problems += [f"{doc_path}: the arrow {a} -> {b} is written but not built" for a, b in written
                 if (a, b) not in built]
    return problems


def write_doc(areas, doc_path):
    with open(doc_path, encoding="utf-8") as f:
        text = f.read()
    start = text.index(DOC_BEGIN)
    end = text.index(DOC_END, start + len(DOC_BEGIN))
    text = text[:start] + DOC_BEGIN + "\n" + dot(areas) + "\n" + text[end:]
    with open(doc_path, "w", encoding="utf-8") as f:
        f.write(text)


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    areas = load_areas(argv[1])
    source_dir = argv[2]
    doc_path = os.path.join(source_dir, "docs", "architecture.md")
    if "--write-doc" in argv:
        write_doc(areas, doc_path)
    problems = include_problems(areas, source_dir) + forbidden_arrows(areas) + doc_problems(areas, doc_path)
    for problem in problems:
        print(problem)
    files = sum(len([f for f in os.listdir(os.path.join(source_dir, a["dir"])) if f.endswith((".cpp", ".hpp"))])
                for a in areas.values())
    print(f"{len(areas)} areas, {len(edges(areas))} arrows, {files} files: "
          f"{'OK' if not problems else str(len(problems)) + ' problem(s)'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
