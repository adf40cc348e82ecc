"""Rewording the seeded practitioner survey in a data migration, the way surveys are versioned
(used by 0012 and later; the migration loader skips this module: its name starts with "_").

`rewording(changes, note)` gives the forward and reverse functions of a RunPython operation.
Each change is (kind, key, field or choice value, language, seeded before, now), kind being
"question" (field "text" or "help") or "choice" (its label). Forward:

- a version nobody has answered (or a draft) gets the new words in place, and its `updated_at`
  moves so web processes drop the structure they cached for it;
- a published version with responses is frozen: it is copied to a new version with the new
  words, published while the old one is retired (its answers keep the words they answered);
- text staff have already reworded is left as they wrote it.

Reverse puts the old words back where the text is still as set here; a version the migration
created that nobody has answered yet is deleted and the version it was copied from published
again."""

from django.db.models import Max
from django.utils import timezone

SLUG = "ost-roles-duties"


def _targets(changes, version, Question, Choice):
    """(row, object, field) for each change that has its object in this version."""
    questions = {q.key: q for q in Question.objects.filter(version=version)}
    choices = {
        (c.question_id, c.value): c for c in Choice.objects.filter(question__version=version)
    }
    for row in changes:
        kind, key, name, lang, _old, _new = row
        question = questions.get(key)
        if question is None:
            continue
        if kind == "question":
            yield row, question, f"{name}_{lang}"
        else:
            choice = choices.get((question.pk, name))
            if choice is not None:
                yield row, choice, f"label_{lang}"


def _rewrite(changes, version, Question, Choice, *, forward: bool) -> int:
    """Old words to new (or back): only text still equal to what it replaces changes."""
    changed = 0
    for row, target, field in _targets(changes, version, Question, Choice):
        old, new = row[4], row[5]
        before, after = (old, new) if forward else (new, old)
        if (getattr(target, field) or "") == before:
            setattr(target, field, after)
            target.save(update_fields=[field])
            changed += 1
    return changed


def _touch(SurveyVersion, version) -> None:
    """Words changed in place: the version's `updated_at` moves, so web processes still
    running drop the structure they cached for it (selectors keys it on that time)."""
    SurveyVersion.objects.filter(pk=version.pk).update(updated_at=timezone.now())


def _copy(version, note, SurveyVersion, SurveyPage, Question, Choice):
    number = (
        SurveyVersion.objects.filter(survey=version.survey).aggregate(n=Max("number"))["n"] or 0
    ) + 1
    draft = SurveyVersion.objects.create(
        survey=version.survey,
        number=number,
        status="draft",
        notes=note.format(number=version.number),
        max_rated_tasks=version.max_rated_tasks,
    )
    for page in SurveyPage.objects.filter(version=version).order_by("order", "id"):
        questions = list(Question.objects.filter(page=page).order_by("order", "id"))
        page.pk = None
        page.version = draft
        page.save()
        for question in questions:
            choices = list(Choice.objects.filter(question=question).order_by("order", "id"))
            question.pk = None
            question.version, question.page = draft, page
            question.save()
            for choice in choices:
                choice.pk = None
                choice.question = question
            Choice.objects.bulk_create(choices)
    return draft


def _models(apps):
    return tuple(
        apps.get_model("surveys", name)
        for name in ("Survey", "SurveyVersion", "SurveyPage", "Question", "Choice", "Response")
    )


def rewording(changes, note):
    """(forward, reverse) for migrations.RunPython; `note` is the copy's notes, with
    "{number}" for the version it was copied from."""

    def forward(apps, schema_editor):
        Survey, SurveyVersion, SurveyPage, Question, Choice, Response = _models(apps)
        survey = Survey.objects.filter(slug=SLUG).first()
        if survey is None:
            return  # seed_survey creates it from the new seed
        for version in SurveyVersion.objects.filter(survey=survey).exclude(status="retired"):
            answered = Response.objects.filter(version=version).exists()
            if version.status == "draft" or not answered:
                if _rewrite(changes, version, Question, Choice, forward=True):
                    _touch(SurveyVersion, version)
                continue
            # Published with responses: frozen. The new words go to a copy, published instead.
            copy = _copy(version, note, SurveyVersion, SurveyPage, Question, Choice)
            if not _rewrite(changes, copy, Question, Choice, forward=True):
                copy.delete()  # staff had reworded all of it: nothing to publish
                continue
            version.status = "retired"
            version.save(update_fields=["status"])
            copy.status = "published"
            copy.published_at = timezone.now()
            copy.save(update_fields=["status", "published_at"])

    def reverse(apps, schema_editor):
        Survey, SurveyVersion, SurveyPage, Question, Choice, Response = _models(apps)
        survey = Survey.objects.filter(slug=SLUG).first()
        if survey is None:
            return
        versions = {v.number: v for v in SurveyVersion.objects.filter(survey=survey)}
        for version in sorted(versions.values(), key=lambda v: -v.number):
            made_here = [n for n in versions if version.notes == note.format(number=n)]
            answered = Response.objects.filter(version=version).exists()
            if made_here and not answered:
                # A copy this migration published and nobody answered: its source comes back.
                source = versions[made_here[0]]
                was_published = version.status == "published"
                version.delete()
                if was_published and source.status == "retired":
                    source.status = "published"
                    source.save(update_fields=["status"])
                continue
            if version.status == "retired" or answered:
                continue  # answered words stay as they were answered
            if _rewrite(changes, version, Question, Choice, forward=False):
                _touch(SurveyVersion, version)

    return forward, reverse
