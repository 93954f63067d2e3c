"""The project's own files: resources, generated docs, environment, notebooks."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
import unicodedata

import pytest
import yaml

from htxlib import docs
from htxlib.config import PROJECT_DIR, RESOURCES_DIR
from htxlib.glossary import catalog, enums, sheets


def _strings(obj):
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _strings(v)


@pytest.mark.parametrize("name", sorted(p.name for p in RESOURCES_DIR.glob("*.yaml")))
def test_resources_are_nfc(name):
    data = yaml.safe_load((RESOURCES_DIR / name).read_text(encoding="utf-8"))
    bad = [s for s in _strings(data) if unicodedata.normalize("NFC", s) != s]
    assert not bad


def test_enumeration_entries_are_whole():
    """A comma in an unquoted YAML flow value splits it into stray keys."""
    for enum, values in enums().items():
        labels = [v["label"] for v in values.values()]
        assert len(set(labels)) == len(labels), enum
        for code, spec in values.items():
            assert set(spec) <= {"label", "aliases"}, (enum, code)


def test_catalogue_is_consistent():
    codes = [e["code"] for e in catalog()]
    assert len(set(codes)) == len(codes)
    allowed = {"code", "group", "label", "unit", "source", "measure", "types", "sectors",
               "breakdowns", "ratio", "scale", "annualise", "coverage"}
    kinds = {"total", "records", "forms", "merged", "missing"}  # htxlib/indicators/coverage.py
    for e in catalog():
        assert set(e) <= allowed, e["code"]
        assert e["label"] and e["unit"]
        assert sum(k in e for k in ("measure", "ratio", "coverage")) == 1, e["code"]
        assert e.get("coverage", "total") in kinds, e["code"]
        for ref in e.get("ratio", []):
            assert ref in codes and "measure" in catalog()[codes.index(ref)], (e["code"], ref)
        for t in e.get("types", []):
            assert t in enums()["org_type"]
        for s in e.get("sectors", []):
            assert s in enums()["sector"]
    assert {e["coverage"] for e in catalog() if "coverage" in e} == kinds
    required = {"org_count", "tht_count", "htx_count", "lhhtx_count", "tht_workers",
                "htx_members", "htx_regular_workers", "htx_managers"}
    assert required <= set(codes)


def test_schema_headers_unique_per_sheet():
    for sheet in sheets().values():
        headers = [c.header for c in sheet.columns]
        assert len(set(headers)) == len(headers), sheet.name
        for c in sheet.columns:
            assert c.type != "enum" or c.enum in enums(), (sheet.name, c.name)


def test_generated_docs_are_up_to_date():
    assert docs.main(["--check"]) == 0, "run `python -m htxlib.docs`"


def _names(requirements: list[str]) -> set[str]:
    return {re.split(r"[<>=!~ ]", r, maxsplit=1)[0].lower().replace("_", "-")
            for r in requirements}


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((PROJECT_DIR / "pyproject.toml").read_text(encoding="utf-8"))
    wanted = _names(project["project"]["dependencies"]
                    + project["project"]["optional-dependencies"]["test"])
    env = yaml.safe_load((PROJECT_DIR / "environment.yml").read_text(encoding="utf-8"))
    conda = _names([d for d in env["dependencies"] if isinstance(d, str)]) - {"python", "pip"}
    pip = _names([d for e in env["dependencies"] if isinstance(e, dict)
                  for d in e.get("pip", []) if not d.startswith("-")])
    assert conda | pip == wanted and not conda & pip


def test_notebooks_have_no_outputs():
    import json

    for path in (PROJECT_DIR / "notebooks").glob("*.ipynb"):
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            assert not cell.get("outputs"), path.name


NOTEBOOKS = sorted((PROJECT_DIR / "notebooks").glob("*.ipynb"))


def test_report_and_exploration_notebooks_exist():
    assert {p.name for p in NOTEBOOKS} >= {"report.ipynb", "explore.ipynb", "forms.ipynb"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_code_only_calls_htxlib(path):
    """Notebooks are thin: imports from htxlib, literals, and calls of what they import."""
    import ast
    import json

    nb = json.loads(path.read_text(encoding="utf-8"))
    imported: set[str] = set()
    tagged = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == (1 if path.name == "report.ipynb" else len(tagged))
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        tree = ast.parse("".join(cell["source"]))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                assert node.module.split(".")[0] == "htxlib", (path.name, node.module)
                imported |= {a.asname or a.name for a in node.names}
            elif isinstance(node, ast.Import):
                assert all(a.name.split(".")[0] == "htxlib" for a in node.names), path.name
                imported |= {(a.asname or a.name).split(".")[0] for a in node.names}
            elif isinstance(node, ast.Call):
                root = node.func
                while isinstance(root, (ast.Attribute, ast.Call, ast.Subscript)):
                    root = root.func if isinstance(root, ast.Call) else root.value
                assert isinstance(root, ast.Name), (path.name, ast.unparse(node))
            elif isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.For, ast.While,
                                   ast.Lambda)):
                raise AssertionError(f"logic in {path.name}: {ast.unparse(node)[:60]}")


def test_report_parameters_are_typed_and_commented():
    import json

    nb = json.loads((PROJECT_DIR / "notebooks" / "report.ipynb").read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", []))
    source = "".join(cell["source"]).splitlines()
    names = [line.split(":")[0] for line in source if line and not line.startswith("#")]
    assert names == ["data", "area", "year", "edition", "as_of", "narrative", "lang", "formats",
                     "out_dir"]
    for i, line in enumerate(source):
        if line and not line.startswith("#"):
            assert re.match(r"^\w+: (str|int) = ", line) and source[i - 1].startswith("# ")


def test_outline_yaml_is_well_formed():
    """Flow mappings with unquoted commas split silently: check the shape of every node."""
    outline = yaml.safe_load((RESOURCES_DIR / "outline.yaml").read_text(encoding="utf-8"))
    ids = []

    def walk(node):
        assert set(node) <= {"id", "number", "title", "blocks", "children"}, node
        ids.append(node["id"])
        for b in node.get("blocks", []):
            (kind, key), = b.items()
            assert kind in {"text", "people", "table", "figure"}
            if kind == "people":
                assert key in outline["people"]
        for c in node.get("children", []):
            walk(c)

    for edition in outline["editions"].values():
        ids.clear()
        for part in edition["parts"]:
            walk(part)
        assert len(ids) == len(set(ids))
        assert set(edition["people"]) <= set(outline["people"])
        assert all(len(v) == 2 for v in edition.get("headings", {}).values())
    assert set(outline["editions"]) == set(yaml.safe_load(
        (RESOURCES_DIR / "editions.yaml").read_text(encoding="utf-8")))
    assert all(len(v) == 2 for v in outline["people"].values())


def test_report_kernel_does_not_import_the_converter():
    """The notebook's imports stay light: nbconvert and nbformat (with jsonschema) cost
    about a second per report and belong to the htx process, not the kernel."""
    code = ("import sys, htxlib.report.params, htxlib.report.assemble, htxlib.render.html; "
            "print(*(m for m in ('nbconvert', 'nbformat', 'jsonschema') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


@pytest.mark.parametrize(("link", "target"), [
    ("report.ipynb", "notebooks/report.ipynb"), ("sample/ba-to", "data/sample/ba-to")])
def test_an_installed_wheel_carries_the_notebook_and_the_sample(link, target):
    """A pip-installed htxlib has no notebooks/ or data/: the wheel copies them from these
    links (config.py falls back to them), so each must point at the real thing and be
    listed in the package data."""
    path = RESOURCES_DIR / link
    assert path.is_symlink() and path.resolve() == (PROJECT_DIR / target).resolve()
    data = tomllib.loads((PROJECT_DIR / "pyproject.toml").read_text(encoding="utf-8"))
    globs = data["tool"]["setuptools"]["package-data"]["htxlib"]
    wanted = f"resources/{link}" + ("/*" if path.is_dir() else "")
    assert wanted in globs


SOURCES = [*PROJECT_DIR.glob("htxlib/**/*.py"), *PROJECT_DIR.glob("htxlib/resources/*.yaml"),
           *PROJECT_DIR.glob("tests/*.py"), *PROJECT_DIR.glob("benchmarks/*"),
           *PROJECT_DIR.glob("docs/*.md"), PROJECT_DIR / "README.md", PROJECT_DIR / "Makefile",
           *PROJECT_DIR.glob(".ci/*")]


def _mentions(pattern: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in SOURCES:
        if path.is_file():
            for hit in re.findall(pattern, path.read_text(encoding="utf-8")):
                found.setdefault(hit.rstrip("."), set()).add(path.name)
    return found


def test_every_environment_variable_is_named_in_the_config():
    """HTX_* variables: each one in config.SETTINGS with its default, read only there."""
    from htxlib.config import SETTINGS

    named = _mentions(r"\bHTX_[A-Z_]+\b")
    assert named and set(named) <= set(SETTINGS), set(named) - set(SETTINGS)
    readers = {p.name for p in PROJECT_DIR.glob("htxlib/**/*.py")
               if re.search(r"environ(\.get)?[\[(]\s*\"HTX_", p.read_text(encoding="utf-8"))}
    assert readers <= {"config.py"}, readers


def test_every_htxlib_path_named_exists():
    """A comment, docstring, resource or doc that names a file under htxlib/ names a real one."""
    named = _mentions(r"\bhtxlib/[\w/.]*\w")
    assert len(named) > 10
    missing = {p: where for p, where in named.items() if not (PROJECT_DIR / p).exists()}
    assert not missing, missing


def test_every_htxlib_module_named_imports():
    """A dotted name under htxlib in the code, resources or docs is a module or an attribute."""
    import importlib

    missing = {}
    for name, where in _mentions(r"(?<![/\w])htxlib(?:\.[a-z_]\w*)+").items():
        parts = name.split(".")
        for cut in range(len(parts), 0, -1):
            try:
                obj = importlib.import_module(".".join(parts[:cut]))
            except ImportError:
                continue
            rest = parts[cut:]
            while rest and hasattr(obj, rest[0]):
                obj = getattr(obj, rest.pop(0))
            if rest:
                missing[name] = where
            break
    assert not missing, missing
