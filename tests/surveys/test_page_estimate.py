"""The "page 3 of about 9" estimate (selectors.expected_pages) built on condition_possible."""

from types import SimpleNamespace

from apps.surveys.selectors import expected_pages

IN = {"question": "role", "in": ["lead", "aide"]}
NOT_IN = {"question": "crosswalk_code", "not_in": ["none", "dont_know"]}


def test_the_page_count_estimate_counts_pages_still_possible():
    """expected_pages (the "page 3 of about 9" estimate) keeps a page while its condition can
    still be met, and drops it once the answers rule it out."""
    pages = [
        SimpleNamespace(key="intro", condition=None),
        SimpleNamespace(key="leads", condition=IN),
        SimpleNamespace(key="crosswalk_follow_up", condition=NOT_IN),
        SimpleNamespace(key="either", condition={"any": [IN, NOT_IN]}),
    ]
    structure = SimpleNamespace(pages=pages)

    def keys(values):
        return [p.key for p in expected_pages(structure, values)]

    assert keys({}) == ["intro", "leads", "crosswalk_follow_up", "either"]
    assert keys({"role": {"other"}}) == ["intro", "crosswalk_follow_up", "either"]
    assert keys({"role": {"other"}, "crosswalk_code": {"none"}}) == ["intro"]
    assert keys({"role": {"lead"}, "crosswalk_code": {"none"}}) == ["intro", "leads", "either"]
