"""The module size limit of docs/architecture.md: a module that grows past it is split by what it owns (the admin of
a feature goes to the feature's package, as cycle/admin.py did), or the architecture says why it may not be."""

from pathlib import Path

LIMIT = 500
ROOT = Path(__file__).resolve().parents[2]


def test_no_module_of_the_apps_is_over_the_limit():
    modules = [p for app in ("assessments", "consolidation") for p in (ROOT / app).rglob("*.py")]
    too_long = {
        str(p.relative_to(ROOT)): n
        for p in modules
        if "migrations" not in p.parts and (n := len(p.read_text(encoding="utf-8").splitlines())) > LIMIT
    }
    assert len(modules) > 100, "the apps' modules were not found"
    assert too_long == {}, f"over {LIMIT} lines (split the module, or say why in docs/architecture.md): {too_long}"
