"""The task bank's Spanish statements as short as the English ones (issue 13): the longest
are tightened, same meaning, same codes. Only statements still as they were seeded change; a
statement staff have reworded keeps their words. Task statements are not versioned (ratings
point at the task, whose meaning does not change), as in 0006."""

from django.db import migrations

# (code, seeded before, now)
SPANISH = [
    (
        "T02",
        "Supervisar a los jóvenes durante todo el horario del programa, en los cambios de actividad y en "
        "las salidas fuera del sitio, manteniendo la proporción requerida de adultos por joven y "
        "sabiendo en todo momento dónde está cada participante.",
        "Supervisar a los jóvenes durante el programa, los cambios de actividad y las salidas, "
        "manteniendo la proporción requerida de adultos y sabiendo dónde está cada participante.",
    ),
    (
        "T03",
        "Ayudar a los jóvenes con sus tareas escolares y a practicar lectura, escritura y matemáticas, "
        "conectando con lo que aprenden en la escuela cuando sea posible.",
        "Ayudar a los jóvenes con las tareas y a practicar lectura, escritura y matemáticas, conectando "
        "con lo que aprenden en la escuela cuando sea posible.",
    ),
    (
        "T04",
        "Construir relaciones de confianza con los jóvenes mediante conversaciones diarias para saber "
        "cómo están, escucha activa y rutinas predecibles.",
        "Construir relaciones de confianza con los jóvenes con conversaciones diarias, escucha activa y "
        "rutinas predecibles.",
    ),
    (
        "T08",
        "Observar y anotar la participación, el progreso y los intereses de los jóvenes para planificar "
        "actividades o sugerir que se les derive a otros servicios.",
        "Observar y anotar la participación, el progreso y los intereses de los jóvenes para planificar "
        "actividades o sugerir derivaciones.",
    ),
    (
        "T12",
        "Reconocer y reportar posibles casos de abuso o negligencia, como persona obligada por ley a "
        "hacerlo.",
        "Reconocer y reportar posibles casos de abuso o negligencia, como informante obligado por ley.",
    ),
    (
        "T13",
        "Servir y supervisar refrigerios o comidas, siguiendo las normas de higiene de los alimentos, de "
        "alergias y del programa de comidas.",
        "Servir y supervisar refrigerios o comidas, siguiendo las normas de higiene, de alergias y del "
        "programa de comidas.",
    ),
    (
        "T14",
        "Preparar, limpiar y guardar los espacios, equipos y materiales de las actividades para que "
        "estén seguros y listos para usarse.",
        "Preparar, limpiar y guardar espacios, equipos y materiales de actividades para que estén "
        "seguros y listos.",
    ),
    (
        "T15",
        "Adaptar las actividades y ofrecer ajustes para que los jóvenes con discapacidades o con "
        "distintas necesidades de aprendizaje puedan participar plenamente.",
        "Adaptar las actividades y ofrecer ajustes para que los jóvenes con discapacidades o distintas "
        "necesidades de aprendizaje participen plenamente.",
    ),
    (
        "T18",
        "Orientar como mentor/a a jóvenes mayores en sus metas personales, la exploración de estudios "
        "universitarios y carreras, o las habilidades para prepararse para un empleo.",
        "Orientar a jóvenes mayores en sus metas personales, en explorar estudios y carreras o en "
        "prepararse para un empleo.",
    ),
    (
        "T19",
        "Asistir a reuniones de personal, capacitaciones y sesiones de acompañamiento (coaching), y "
        "mantener al día las certificaciones requeridas.",
        "Asistir a reuniones de personal, capacitaciones y sesiones de coaching, y mantener al día las "
        "certificaciones requeridas.",
    ),
    (
        "T22",
        "Reclutar, entrevistar e integrar al personal de primera línea, y confirmar que tenga las "
        "verificaciones de antecedentes y autorizaciones requeridas.",
        "Reclutar, entrevistar e integrar al personal de primera línea, y confirmar sus verificaciones "
        "de antecedentes y autorizaciones.",
    ),
    (
        "T23",
        "Observar, acompañar (coaching) y dar retroalimentación al personal de primera línea para "
        "mejorar su trato con los jóvenes.",
        "Observar, acompañar y dar retroalimentación al personal de primera línea para mejorar su trato "
        "con los jóvenes.",
    ),
    (
        "T24",
        "Elaborar los horarios diarios y semanales del programa y los planes de actividades, de acuerdo "
        "con las metas del programa y los estándares de calidad.",
        "Elaborar horarios diarios y semanales y planes de actividades que cumplan las metas del "
        "programa y los estándares de calidad.",
    ),
    (
        "T25",
        "Vigilar que se cumplan las normas de licencias, salud, seguridad y de los financiadores, y "
        "corregir los problemas que se encuentren.",
        "Vigilar el cumplimiento de las normas de licencias, salud, seguridad y financiadores, y "
        "corregir los problemas encontrados.",
    ),
    (
        "T26",
        "Llevar los registros de inscripción y asistencia y reunir datos para los informes al "
        "financiador, al distrito escolar o a la agencia.",
        "Llevar los registros de inscripción y asistencia y reunir datos para informes al financiador, "
        "al distrito o a la agencia.",
    ),
    (
        "T27",
        "Ser el contacto principal en el sitio con la dirección de la escuela, el personal de "
        "mantenimiento y las organizaciones aliadas de la comunidad.",
        "Ser el contacto principal en el sitio con la dirección de la escuela, el personal de "
        "mantenimiento y los aliados comunitarios.",
    ),
    (
        "T34",
        "Redactar solicitudes de subvenciones e informes para financiadores, como el programa federal "
        "21st Century Community Learning Centers (Centros Comunitarios de Aprendizaje del Siglo XXI).",
        "Redactar solicitudes de subvenciones e informes para financiadores como 21st Century Community "
        "Learning Centers.",
    ),
    (
        "T38",
        "Enseñar habilidades deportivas y dirigir entrenamientos que den más importancia a la "
        "participación, el trabajo en equipo y el desarrollo de habilidades que a ganar.",
        "Enseñar habilidades deportivas y dirigir entrenamientos que valoren la participación, el "
        "trabajo en equipo y el aprendizaje más que ganar.",
    ),
    (
        "T39",
        "Dar tutoría a estudiantes de forma individual o en grupos pequeños en materias académicas, "
        "usando los resultados de evaluaciones para reforzar las habilidades que necesitan.",
        "Dar tutoría individual o en grupos pequeños en materias académicas, usando resultados de "
        "evaluaciones para reforzar habilidades.",
    ),
]


def shorter(apps, schema_editor):
    Task = apps.get_model("surveys", "Task")
    for code, old, new in SPANISH:
        Task.objects.filter(code=code, text_es=old).update(text_es=new)


def longer(apps, schema_editor):
    Task = apps.get_model("surveys", "Task")
    for code, old, new in SPANISH:
        Task.objects.filter(code=code, text_es=new).update(text_es=old)


class Migration(migrations.Migration):
    dependencies = [("surveys", "0008_plainer_shorter_survey_text")]

    operations = [migrations.RunPython(shorter, longer)]
