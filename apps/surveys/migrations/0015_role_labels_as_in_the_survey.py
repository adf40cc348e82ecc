"""The roles' labels are the survey's own choices ("Site coordinator or director", "Other"),
as the dashboards already name them: the comment builder, the pledge and the staff counts
showed the taxonomy's list labels instead ("Site coordinator / site director", "Tutor /
academic support", "Other (write in)" with nowhere to write). A label staff have edited is
left as they wrote it; reversing restores the old labels where they are still as set here."""

from django.db import migrations

# slug: ((English before, Spanish before), (English now, Spanish now))
LABELS = {
    "frontline": (
        (
            "Frontline youth worker / program staff",
            "Personal de primera línea con jóvenes o personal del programa",
        ),
        (
            "Frontline youth worker (group leader, camp counselor)",
            "Personal de primera línea con jóvenes (líder de grupo, consejero/a de campamento)",
        ),
    ),
    "lead_frontline": (
        ("Lead / senior frontline staff", "Líder o personal sénior de primera línea"),
        (
            "Lead frontline staff (lead group leader, team lead)",
            "Líder de primera línea (líder principal de grupo, de equipo)",
        ),
    ),
    "site_lead": (
        ("Site coordinator / site director", "Coordinador/a o director/a de sitio"),
        ("Site coordinator or director", "Coordinador/a o director/a de sitio"),
    ),
    "program_manager": (
        (
            "Program manager / director (multi-site)",
            "Gerente o director/a de programas (varios sitios)",
        ),
        (
            "Program manager or director (several sites)",
            "Gerente o director/a de programas (varios sitios)",
        ),
    ),
    "executive": (
        ("Executive / agency leader", "Ejecutivo/a o líder de la organización"),
        ("Executive or agency leader", "Director/a ejecutivo/a de la organización"),
    ),
    "specialist": (
        ("Specialist / enrichment instructor", "Especialista o instructor/a de enriquecimiento"),
        (
            "Enrichment instructor (STEM, arts, music, dance)",
            "Instructor/a de enriquecimiento (STEM, arte, música, danza)",
        ),
    ),
    "tutor": (
        ("Tutor / academic support", "Tutor/a o apoyo académico"),
        ("Tutor or homework help", "Tutor/a o ayuda con tareas"),
    ),
    "mentor_support": (
        (
            "Mentor / youth advocate / family liaison",
            "Mentor/a, defensor/a de jóvenes o enlace con las familias",
        ),
        (
            "Mentor, youth advocate or family liaison",
            "Mentor/a, defensor/a juvenil o enlace con familias",
        ),
    ),
    "operations": (
        ("Support / operations", "Apoyo u operaciones"),
        (
            "Support or operations (trainer, data, admin)",
            "Apoyo u operaciones (capacitación, datos, administración)",
        ),
    ),
    "other": (("Other (write in)", "Otro (escriba cuál)"), ("Other", "Otra")),
}


def _relabel(apps, *, forward: bool) -> None:
    Role = apps.get_model("surveys", "Role")
    for role in Role.objects.filter(slug__in=LABELS):
        before, after = LABELS[role.slug] if forward else LABELS[role.slug][::-1]
        changed = []
        for field, old, new in zip(("label_en", "label_es"), before, after, strict=True):
            if getattr(role, field) == old:
                setattr(role, field, new)
                changed.append(field)
        if changed:
            role.save(update_fields=changed)


def relabel(apps, schema_editor):
    _relabel(apps, forward=True)


def unlabel(apps, schema_editor):
    _relabel(apps, forward=False)


class Migration(migrations.Migration):
    dependencies = [("surveys", "0014_role_in_a_comment")]

    operations = [migrations.RunPython(relabel, unlabel)]
