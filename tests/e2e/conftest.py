"""The end-to-end tests use the same GUI fixtures as the page tests."""
from tests.ui.conftest import env, ui_ctx, ui_db  # noqa: F401
