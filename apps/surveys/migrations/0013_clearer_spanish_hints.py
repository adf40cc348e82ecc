"""Help texts of the seeded practitioner survey that read the wrong way (found by walks through
the survey on a phone, in Spanish and English):

- the consent question's "Responder No termina la encuesta." also reads as "answering does not
  end the survey": now "Si responde «No», la encuesta termina.";
- the supervision question's "Cuente a quien dirige en el día a día." also reads as "tell the
  person who directs you": now "Incluya a las personas cuyo trabajo dirige a diario.", as the
  English "Count anyone whose work you direct day to day.";
- the follow-up question's help was a fragment in both languages ("When anyone can comment on
  the federal list of occupations."): now a sentence, "That is when anyone can comment on the
  federal list of occupations." ("Es cuando cualquiera puede opinar ...").

Same questions, choices and stored values; versioned as in 0012 (apps/surveys/migrations/
_rewording.py): an answered version is kept and a copy with the new words is published."""

from django.db import migrations

from ._rewording import rewording

NOTE = "Copied from version {number}: clearer help texts (issue 13, 0013)"

# (kind, key, field or choice value, language, seeded before, now)
CHANGES = [
    (
        "question",
        "consent",
        "help",
        "es",
        "Responder No termina la encuesta.",
        "Si responde «No», la encuesta termina.",
    ),
    (
        "question",
        "supervises",
        "help",
        "es",
        "Cuente a quien dirige en el día a día.",
        "Incluya a las personas cuyo trabajo dirige a diario.",
    ),
    (
        "question",
        "follow_up",
        "help",
        "en",
        "When anyone can comment on the federal list of occupations.",
        "That is when anyone can comment on the federal list of occupations.",
    ),
    (
        "question",
        "follow_up",
        "help",
        "es",
        "Cuando cualquiera puede opinar sobre la lista federal de ocupaciones.",
        "Es cuando cualquiera puede opinar sobre la lista federal de ocupaciones.",
    ),
]

clarify, unclarify = rewording(CHANGES, NOTE)


class Migration(migrations.Migration):
    dependencies = [("surveys", "0012_shorter_survey_questions")]

    operations = [migrations.RunPython(clarify, unclarify)]
