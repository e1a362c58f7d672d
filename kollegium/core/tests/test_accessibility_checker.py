import pytest

from kollegium.core.testing.browser import check_accessibility

pytestmark = pytest.mark.browser


def test_the_checker_fails_on_a_page_with_an_unlabelled_field(page):
    page.set_content(
        '<html lang="sv"><body><main><h1>T</h1><input type="text"></main></body></html>'
    )
    with pytest.raises(AssertionError, match="label"):
        check_accessibility(page)


def test_the_checker_passes_a_labelled_field(page):
    page.set_content(
        '<html lang="sv"><head><title>T</title></head><body><main><h1>T</h1>'
        '<label for="x">Namn</label><input id="x" type="text"></main></body></html>'
    )
    check_accessibility(page)
