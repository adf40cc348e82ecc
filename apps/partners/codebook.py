"""The public codebook: every question of the published survey with its answer codes, and the
scales of the task ratings, in English and Spanish. No response data."""

from django.utils import translation

from apps.surveys.scales import FREQUENCY_CHOICES, IMPORTANCE_CHOICES
from apps.surveys.selectors import survey_open_list, survey_published_version, version_structure

HEADER = [
    "question_key",
    "page",
    "type",
    "question_en",
    "question_es",
    "code",
    "label_en",
    "label_es",
]


def _both(label) -> tuple[str, str]:
    with translation.override("en"):
        en = str(label)
    with translation.override("es"):
        es = str(label)
    return en, es


def codebook_rows():
    """Header first, then one row per question and one per answer code of it."""
    yield HEADER
    survey = survey_open_list().first()
    version = survey_published_version(survey) if survey else None
    if version is not None:
        structure = version_structure(version)
        for page in structure.pages:
            for question in page.question_list:
                yield [
                    question.key,
                    page.key,
                    question.type,
                    question.text_en,
                    question.text_es,
                    "",
                    "",
                    "",
                ]
                for choice in question.choice_list:
                    yield [
                        question.key,
                        page.key,
                        question.type,
                        "",
                        "",
                        choice.value,
                        choice.label_en,
                        choice.label_es,
                    ]
    scales = (
        ("task_importance", "Importance of a task", "Importancia de una tarea", IMPORTANCE_CHOICES),
        ("task_frequency", "Frequency of a task", "Frecuencia de una tarea", FREQUENCY_CHOICES),
    )
    for key, title_en, title_es, scale in scales:
        yield [key, "tasks", "scale", title_en, title_es, "", "", ""]
        for value, label in scale:
            yield [key, "tasks", "scale", "", "", str(value), *_both(label)]
