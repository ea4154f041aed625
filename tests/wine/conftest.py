"""Fixtures for the Windows agent under Wine (opt-in: GURU_WINE_TESTS=1).

The server, browser and page fixtures are the browser tests' own (tests/browser/conftest.py),
loaded under another module name so that no test module imports a module named `conftest`.
"""
import importlib.util
import sys
from pathlib import Path

BROWSER_TESTS = Path(__file__).resolve().parents[1] / "browser"
sys.path.insert(0, str(BROWSER_TESTS))

_spec = importlib.util.spec_from_file_location("guru_browser_fixtures", BROWSER_TESTS / "conftest.py")
_fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_fixtures)

server = _fixtures.server
browser = _fixtures.browser
page_errors = _fixtures.page_errors
new_page = _fixtures.new_page
