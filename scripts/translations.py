#!/usr/bin/env python3
"""Collect the QGIS plugin's translatable strings into qgis_plugin/i18n/safestats_<lang>.ts (Qt Linguist
format) and compile them to .qm with lrelease (``make translations``).

Qt 5's lupdate does not read Python and pylupdate5 is not always installed, so the strings are found
here with Python's own parser: ``self.tr("…")`` (context: the enclosing class), ``tr("…")`` (context
``SafeStats``, or the module's ``tr`` context when it defines one) and
``QCoreApplication.translate("Context", "…")``. Only literal strings count — a ``tr(f"…")`` cannot be
translated and is reported. Existing translations in a .ts file are kept.
"""
from __future__ import annotations

import ast
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLUGIN = ROOT / "qgis_plugin"
I18N = PLUGIN / "i18n"
LANGUAGES = ["de", "fr"]
ALG_TEXTS = {"title", "group_name", "help_text"}


def module_context(tree: ast.Module) -> str:
    """The context a module's own ``tr()`` helper uses (``QCoreApplication.translate("X", …)``)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == "tr":
            for call in ast.walk(node):
                if isinstance(call, ast.Call) and getattr(call.func, "attr", "") == "translate" \
                        and call.args and isinstance(call.args[0], ast.Constant):
                    return str(call.args[0].value)
    return "SafeStats"


def collect() -> tuple[dict[str, dict[str, str]], list[str]]:
    """{context: {source text: 'file:line'}} and the problems (non-literal tr calls)."""
    found: dict[str, dict[str, str]] = {}
    problems = []
    for path in sorted(PLUGIN.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        default = module_context(tree)
        rel = path.relative_to(ROOT)

        def visit(node, cls=None, rel=rel, default=default):
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.ClassDef):
                    visit(child, child.name, rel, default)
                    continue
                if cls and isinstance(child, ast.Assign) and isinstance(child.value, ast.Constant) \
                        and isinstance(child.value.value, str) and child.value.value \
                        and any(getattr(t, "id", "") in ALG_TEXTS for t in child.targets):
                    # an algorithm's title / group / help, translated by base.py's tr(self.title)
                    found.setdefault("SafeStats", {}).setdefault(child.value.value, f"{rel}:{child.lineno}")
                if isinstance(child, ast.Call):
                    f = child.func
                    name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
                    ctx, arg = None, None
                    if name == "tr" and child.args:
                        is_self = isinstance(f, ast.Attribute) and getattr(f.value, "id", "") == "self"
                        ctx, arg = (cls if is_self and cls else default), child.args[0]
                    elif name in ("translate", "QT_TRANSLATE_NOOP") and len(child.args) >= 2 \
                            and isinstance(child.args[0], ast.Constant):
                        ctx, arg = str(child.args[0].value), child.args[1]
                    if arg is not None:
                        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                            found.setdefault(ctx, {}).setdefault(arg.value, f"{rel}:{child.lineno}")
                        elif not (isinstance(arg, ast.Name) and arg.id == "text") and not (
                                isinstance(arg, ast.Attribute) and arg.attr in ALG_TEXTS):
                            problems.append(f"{rel}:{child.lineno}: tr() of a non-literal string")
                visit(child, cls, rel, default)
        visit(tree)
    return found, problems


def write_ts(path: Path, lang: str, found: dict[str, dict[str, str]]) -> int:
    old = {}
    if path.exists():
        for ctx in ET.parse(path).getroot().iter("context"):
            cname = ctx.findtext("name")
            for msg in ctx.iter("message"):
                tr = msg.find("translation")
                if tr is not None and tr.text and tr.get("type") != "unfinished":
                    old[(cname, msg.findtext("source"))] = tr.text
    root = ET.Element("TS", version="2.1", language=lang)
    n = 0
    for cname in sorted(found):
        ctx = ET.SubElement(root, "context")
        ET.SubElement(ctx, "name").text = cname
        for source, where in sorted(found[cname].items()):
            msg = ET.SubElement(ctx, "message")
            file, line = where.rsplit(":", 1)
            ET.SubElement(msg, "location", filename="../../" + file, line=line)
            ET.SubElement(msg, "source").text = source
            t = ET.SubElement(msg, "translation")
            if (cname, source) in old:
                t.text = old[(cname, source)]
            else:
                t.set("type", "unfinished")
            n += 1
    ET.indent(root)
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
                    + ET.tostring(root, encoding="unicode") + "\n", encoding="utf-8")
    return n


def main() -> int:
    found, problems = collect()
    I18N.mkdir(exist_ok=True)
    for lang in LANGUAGES:
        ts = I18N / f"safestats_{lang}.ts"
        n = write_ts(ts, lang, found)
        print(f"{ts.relative_to(ROOT)}: {n} strings in {len(found)} contexts")
        if "--no-compile" not in sys.argv:
            subprocess.run(["lrelease", "-silent", str(ts), "-qm", str(ts.with_suffix(".qm"))], check=True)
            print(f"{ts.with_suffix('.qm').relative_to(ROOT)} compiled")
    for p in problems:
        print(f"warning: {p}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
