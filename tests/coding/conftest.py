import pytest

from apps.surveys.models import Answer
from tests.insights.conftest import build, survey  # noqa: F401  (shared fixtures)


@pytest.fixture
def open_answer(build):  # noqa: F811  (the imported fixture)
    """make(text, **build kwargs) -> the describe_work Answer of a new complete response."""

    def make(text="I plan activities and talk with parents.", **kwargs):
        answers = {"describe_work": text, **kwargs.pop("answers", {})}
        response = build(answers=answers, **kwargs)
        return Answer.objects.get(response=response, question__key="describe_work")

    return make
