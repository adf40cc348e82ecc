"""How each role reads in a first-person comment (the comment builder's "My main role: ..."):
the role labels are list labels ("Site coordinator / site director", Spanish "Coordinador/a o
director/a de sitio", "Other (write in)"), which put slashes, a gendered title and "(write in)"
into the person's own comment. Seeded roles get a phrase in each language; in Spanish the
function ("coordinación o dirección de un sitio"), not a title whose gender the builder does
not know. "other" gets none: the builder then states no role (the job title says it)."""

from django.db import migrations, models

# slug: (English, Spanish), as in apps/surveys/seed/survey.json
PHRASES = {
    "frontline": (
        "frontline youth worker or program staff",
        "trabajo directo con jóvenes como personal de primera línea",
    ),
    "lead_frontline": (
        "lead or senior frontline staff",
        "liderazgo del personal de primera línea",
    ),
    "site_lead": (
        "site coordinator or site director",
        "coordinación o dirección de un sitio",
    ),
    "program_manager": (
        "program manager or director for several sites",
        "gestión o dirección de programas en varios sitios",
    ),
    "executive": (
        "executive or agency leader",
        "dirección ejecutiva o liderazgo de la organización",
    ),
    "specialist": (
        "specialist or enrichment instructor",
        "instrucción especializada o de enriquecimiento",
    ),
    "coach": (
        "coach (sports, physical activity)",
        "entrenamiento (deportes, actividad física)",
    ),
    "tutor": ("tutor or academic support", "tutoría o apoyo académico"),
    "mentor_support": (
        "mentor, youth advocate or family liaison",
        "mentoría, defensa de los jóvenes o enlace con las familias",
    ),
    "operations": ("support or operations", "apoyo u operaciones"),
}


def fill(apps, schema_editor):
    Role = apps.get_model("surveys", "Role")
    for role in Role.objects.filter(slug__in=PHRASES):
        en, es = PHRASES[role.slug]
        # Only where empty: a phrase staff wrote is theirs.
        role.in_sentence_en = role.in_sentence_en or en
        role.in_sentence_es = role.in_sentence_es or es
        role.save(update_fields=["in_sentence_en", "in_sentence_es"])


class Migration(migrations.Migration):
    dependencies = [("surveys", "0013_clearer_spanish_hints")]

    operations = [
        migrations.AddField(
            model_name="role",
            name="in_sentence_en",
            field=models.CharField(
                blank=True,
                help_text='Completes "My main role: ...", lower case, no slashes.',
                max_length=160,
                verbose_name="in a comment (English)",
            ),
        ),
        migrations.AddField(
            model_name="role",
            name="in_sentence_es",
            field=models.CharField(
                blank=True,
                help_text=(
                    'Completes "Mi función principal: ...", lower case, no slashes: name the '
                    'function ("coordinación de un sitio"), not a gendered title.'
                ),
                max_length=160,
                verbose_name="in a comment (Spanish)",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
