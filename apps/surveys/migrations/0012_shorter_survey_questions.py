"""Shorter questions, help texts and choice labels in the seeded practitioner survey, English
and Spanish (issue 13, the ten-minute goal): the same questions, choices, codes, conditions and
stored values, fewer words to read on a phone. Where words were cut:

- help that said what the form already shows: the state and ZIP question no longer repeats its
  two field labels ("State or territory", "First 3 digits of ZIP code"), and "Other (write in)"
  is "Other" (choosing it opens a box labelled "If other, please specify");
- questions as short phrases where the page already gives the context ("Full time or part
  time?" on the hours and pay page, "When do you work here?" under "Where and when you work");
- plainer, shorter wording of the consent, time-use, setting, funding, crosswalk and follow-up
  text, with the same meaning.

The task statements of the duties checklist are not touched.

Versioning as in 0008: a version nobody has answered gets the words in place; a published
version with responses is frozen, so it is copied to a new version with the new words, which is
published while the old one is retired (its answers keep the words they answered). Text staff
have already reworded is left as they wrote it. Reversing puts the old words back where the
text is still as set here, and a version this migration created that nobody has answered yet
is deleted and the version it was copied from published again."""

from django.db import migrations

from ._rewording import rewording

NOTE = "Copied from version {number}: shorter questions and help (issue 13, 0012)"

# (kind, key, field or choice value, language, seeded before, now)
CHANGES = [
    (
        "question",
        "consent",
        "text",
        "en",
        "Do you agree to take part? It is voluntary and confidential, and you can stop at any time.",
        "Do you agree to take part? It is voluntary and confidential; you can stop anytime.",
    ),
    (
        "question",
        "consent",
        "text",
        "es",
        "¿Acepta participar? Es voluntario y confidencial, y puede parar cuando quiera.",
        "¿Acepta participar? Es voluntario y confidencial; puede parar cuando quiera.",
    ),
    (
        "question",
        "consent",
        "help",
        "en",
        "If you answer No, the survey ends.",
        "Answering No ends the survey.",
    ),
    (
        "question",
        "consent",
        "help",
        "es",
        "Si responde No, la encuesta termina.",
        "Responder No termina la encuesta.",
    ),
    (
        "choice",
        "role",
        "site_lead",
        "en",
        "Site coordinator or site director",
        "Site coordinator or director",
    ),
    ("choice", "role", "other", "en", "Other (write in)", "Other"),
    ("choice", "role", "other", "es", "Otra (escriba cuál)", "Otra"),
    (
        "question",
        "job_title",
        "text",
        "en",
        "Your job title, in your own words",
        "Your job title, in your words",
    ),
    (
        "question",
        "job_title",
        "text",
        "es",
        "Su puesto, en sus propias palabras",
        "Su puesto, en sus palabras",
    ),
    (
        "question",
        "time_use",
        "text",
        "en",
        "In a typical week, what share of your work time goes to each?",
        "What share of a typical work week goes to each?",
    ),
    (
        "question",
        "time_use",
        "text",
        "es",
        "En una semana típica, ¿qué parte de su tiempo de trabajo dedica a cada cosa?",
        "¿Qué parte de una semana típica de trabajo dedica a cada cosa?",
    ),
    (
        "question",
        "time_use",
        "help",
        "en",
        "Percentages that add up to 100. Enter 0 for anything you don't do.",
        "Must add up to 100. Enter 0 for none.",
    ),
    (
        "question",
        "time_use",
        "help",
        "es",
        "Porcentajes que sumen 100. Escriba 0 si no lo hace.",
        "Deben sumar 100. Escriba 0 si no lo hace.",
    ),
    (
        "choice",
        "time_use",
        "admin",
        "en",
        "Admin work (paperwork, records, reports)",
        "Admin (paperwork, records, reports)",
    ),
    (
        "question",
        "setting",
        "text",
        "en",
        "Where does your program mainly take place?",
        "Where is your program held?",
    ),
    (
        "question",
        "setting",
        "text",
        "es",
        "¿Dónde se realiza principalmente su programa?",
        "¿Dónde se realiza su programa?",
    ),
    (
        "question",
        "setting",
        "help",
        "en",
        "If several, the one where you spend the most time.",
        "If several, where you spend most time.",
    ),
    ("choice", "setting", "other", "en", "Other (write in)", "Other"),
    ("choice", "setting", "other", "es", "Otro (escriba cuál)", "Otro"),
    ("choice", "employer_type", "other", "en", "Other (write in)", "Other"),
    ("choice", "employer_type", "other", "es", "Otro (escriba cuál)", "Otro"),
    (
        "choice",
        "funding",
        "state_program",
        "en",
        "A state afterschool or summer program",
        "State afterschool or summer program",
    ),
    (
        "choice",
        "funding",
        "state_program",
        "es",
        "Un programa estatal de después de clases o de verano",
        "Programa estatal después de clases o de verano",
    ),
    ("choice", "funding", "other", "en", "Other (write in)", "Other"),
    ("choice", "funding", "other", "es", "Otro (escriba cuál)", "Otro"),
    (
        "question",
        "months_per_year",
        "text",
        "en",
        "How many months a year do you work in this job?",
        "Months a year you work in this job",
    ),
    (
        "question",
        "months_per_year",
        "text",
        "es",
        "¿Cuántos meses al año trabaja en este puesto?",
        "Meses al año que trabaja en este puesto",
    ),
    (
        "question",
        "ages_served",
        "text",
        "en",
        "Ages of the young people you work with",
        "Ages of the youth you work with",
    ),
    (
        "question",
        "hours_per_week",
        "text",
        "en",
        "How many hours a week do you usually work in this job?",
        "Hours a week you usually work in this job",
    ),
    (
        "question",
        "hours_per_week",
        "text",
        "es",
        "¿Cuántas horas a la semana trabaja normalmente en este puesto?",
        "Horas por semana que suele trabajar en este puesto",
    ),
    (
        "question",
        "full_time",
        "text",
        "en",
        "Is this job full time or part time?",
        "Full time or part time?",
    ),
    (
        "question",
        "full_time",
        "text",
        "es",
        "¿Este trabajo es de tiempo completo o parcial?",
        "¿Tiempo completo o parcial?",
    ),
    (
        "question",
        "split_shift",
        "text",
        "en",
        "Do you work a split shift (before school and again after)?",
        "Do you work a split shift (before and after school)?",
    ),
    (
        "question",
        "benefits",
        "text",
        "en",
        "Which benefits does this job give you?",
        "Which benefits come with this job?",
    ),
    (
        "question",
        "education",
        "text",
        "en",
        "What is the highest level of school you finished?",
        "Highest level of school you finished",
    ),
    (
        "question",
        "education",
        "text",
        "es",
        "¿Cuál es el nivel de estudios más alto que terminó?",
        "Nivel de estudios más alto que terminó",
    ),
    ("choice", "credentials", "other", "en", "Other (write in)", "Other"),
    ("choice", "credentials", "other", "es", "Otro (escriba cuál)", "Otro"),
    (
        "question",
        "years_in_field",
        "text",
        "en",
        "How many years have you worked in youth programs in all?",
        "Years worked in youth programs, in all",
    ),
    (
        "question",
        "years_in_field",
        "text",
        "es",
        "¿Cuántos años ha trabajado en programas para jóvenes en total?",
        "Años trabajados en programas para jóvenes, en total",
    ),
    (
        "question",
        "years_in_field",
        "help",
        "en",
        "Enter 0 if less than one.",
        "Enter 0 if under one.",
    ),
    ("choice", "how_entered", "other", "en", "Other (write in)", "Other"),
    ("choice", "how_entered", "other", "es", "Otro (escriba cuál)", "Otro"),
    (
        "question",
        "stay_1_year",
        "text",
        "en",
        "Will you still work in this field a year from now?",
        "Will you still work in this field in a year?",
    ),
    (
        "question",
        "stay_1_year",
        "text",
        "es",
        "¿Seguirá trabajando en este campo dentro de un año?",
        "¿Seguirá en este campo dentro de un año?",
    ),
    ("question", "stay_3_years", "text", "en", "And three years from now?", "And in three years?"),
    (
        "question",
        "crosswalk_code",
        "text",
        "en",
        "Which federal occupation comes closest to what you do?",
        "Which federal occupation is closest to your work?",
    ),
    (
        "question",
        "crosswalk_code",
        "text",
        "es",
        "¿Qué ocupación federal se parece más a lo que hace?",
        "¿Qué ocupación federal se parece más a su trabajo?",
    ),
    (
        "choice",
        "crosswalk_code",
        "39-9032",
        "en",
        "Recreation worker: leads games, sports, arts or camping (39-9032)",
        "Recreation worker: games, sports, arts, camping (39-9032)",
    ),
    (
        "choice",
        "crosswalk_code",
        "39-9032",
        "es",
        "Trabajador/a de recreación: dirige juegos, deportes, arte o campamentos (39-9032)",
        "Trabajador/a de recreación: juegos, deportes, arte, campamentos (39-9032)",
    ),
    (
        "choice",
        "crosswalk_code",
        "27-2022",
        "en",
        "Coach or scout: sports, mainly for competition (27-2022)",
        "Coach or scout: competitive sports (27-2022)",
    ),
    (
        "choice",
        "crosswalk_code",
        "27-2022",
        "es",
        "Entrenador/a o cazatalentos: deportes, sobre todo de competencia (27-2022)",
        "Entrenador/a o cazatalentos: deportes de competencia (27-2022)",
    ),
    (
        "question",
        "languages_at_work",
        "text",
        "en",
        "Which languages do you use at work?",
        "Languages you use at work",
    ),
    (
        "question",
        "state_zip",
        "text",
        "en",
        "Where do you work? State and first 3 digits of the ZIP code",
        "Where do you work?",
    ),
    (
        "question",
        "state_zip",
        "text",
        "es",
        "¿Dónde trabaja? Estado y primeros 3 dígitos del código postal (ZIP)",
        "¿Dónde trabaja?",
    ),
    (
        "question",
        "follow_up",
        "help",
        "en",
        "That is when anyone can comment to the government on the list of occupations.",
        "When anyone can comment on the federal list of occupations.",
    ),
    (
        "question",
        "follow_up",
        "help",
        "es",
        "Es cuando cualquiera puede opinar ante el gobierno sobre la lista de ocupaciones.",
        "Cuando cualquiera puede opinar sobre la lista federal de ocupaciones.",
    ),
    ("question", "job_title", "help", "en", 'For example, "group leader".', ""),
    ("question", "job_title", "help", "es", 'Por ejemplo, "líder de grupo".', ""),
    (
        "question",
        "field_of_study",
        "text",
        "es",
        "Área de estudio después de la secundaria, si la hay",
        "Área de estudio tras la secundaria, si la hay",
    ),
    ("choice", "languages_at_work", "other", "en", "Another (write in)", "Other"),
    ("choice", "languages_at_work", "other", "es", "Otro (escriba cuál)", "Otro"),
]


shorten, lengthen = rewording(CHANGES, NOTE)


class Migration(migrations.Migration):
    dependencies = [("surveys", "0011_drop_redundant_fk_indexes")]

    operations = [migrations.RunPython(shorten, lengthen)]
