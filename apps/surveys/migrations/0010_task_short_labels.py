"""Short labels for the task bank (issue 13): a few words that head each checked task on the
rating screens, the full statement one tap away (the checklist keeps the full statements).
Task statements are not versioned (ratings point at the task, as in 0006 and 0009), and a label
changes no meaning: it names the statement the respondent has just read and checked. A label is
set only where the statement is still as seeded in that language (a statement staff reworded
gets no label and the rating screen shows it in full) and the label is still empty; reversing
clears only labels still as set here."""

from django.db import migrations, models

# code: (statement in English, in Spanish, as seeded; label in English, in Spanish)
LABELS = {
    "T01": (
        "Plan and lead structured activities for groups of school-age youth, such as arts, STEM projects, games and physical play, adjusting them to ages, interests and abilities.",
        "Planificar y dirigir actividades estructuradas para grupos de niños y jóvenes en edad escolar, como arte, proyectos de STEM, juegos y actividad física, adaptándolas a sus edades, intereses y capacidades.",
        "Plan and lead activities",
        "Planificar y dirigir actividades",
    ),
    "T02": (
        "Supervise youth throughout program hours, transitions and off-site trips, keeping required adult-to-youth ratios and knowing where every participant is.",
        "Supervisar a los jóvenes durante el programa, los cambios de actividad y las salidas, manteniendo la proporción requerida de adultos y sabiendo dónde está cada participante.",
        "Supervise youth and ratios",
        "Supervisar a los jóvenes",
    ),
    "T03": (
        "Help youth with homework and practice reading, writing and math skills, linking to school-day learning where possible.",
        "Ayudar a los jóvenes con las tareas y a practicar lectura, escritura y matemáticas, conectando con lo que aprenden en la escuela cuando sea posible.",
        "Help with homework and skills",
        "Ayudar con tareas y materias",
    ),
    "T04": (
        "Build trusting relationships with youth through daily check-ins, active listening and predictable routines.",
        "Construir relaciones de confianza con los jóvenes con conversaciones diarias, escucha activa y rutinas predecibles.",
        "Build trusting relationships",
        "Construir relaciones de confianza",
    ),
    "T05": (
        "Guide youth behavior with positive, age-appropriate strategies and calm conflicts between participants.",
        "Orientar el comportamiento de los jóvenes con estrategias positivas y adecuadas a su edad, y calmar los conflictos entre participantes.",
        "Guide behavior, calm conflicts",
        "Orientar conducta y calmar conflictos",
    ),
    "T06": (
        "Lead social-emotional learning activities that build skills such as teamwork, self-management and problem solving.",
        "Dirigir actividades de aprendizaje socioemocional que desarrollen habilidades como el trabajo en equipo, el autocontrol y la resolución de problemas.",
        "Lead social-emotional learning",
        "Aprendizaje socioemocional",
    ),
    "T07": (
        "Give youth real choices in activities and support youth-led projects and leadership roles.",
        "Dar a los jóvenes opciones reales en las actividades y apoyar proyectos dirigidos por ellos y oportunidades de liderazgo.",
        "Support youth choice and leadership",
        "Opciones y liderazgo juvenil",
    ),
    "T08": (
        "Observe and record youth participation, progress and interests to plan activities or suggest referrals.",
        "Observar y anotar la participación, el progreso y los intereses de los jóvenes para planificar actividades o sugerir derivaciones.",
        "Observe and record youth progress",
        "Observar y anotar el progreso",
    ),
    "T09": (
        "Take attendance and manage sign-in and sign-out, releasing youth only to authorized adults.",
        "Tomar asistencia y controlar la entrada y salida de los participantes, entregando a los jóvenes solo a adultos autorizados.",
        "Attendance and safe sign-out",
        "Asistencia y salida segura",
    ),
    "T10": (
        "Talk with parents and caregivers about their child's participation, needs and achievements.",
        "Hablar con padres, madres y cuidadores sobre la participación, las necesidades y los logros de sus hijos.",
        "Talk with families",
        "Hablar con las familias",
    ),
    "T11": (
        "Respond to injuries, illness and emergencies by giving first aid, following emergency plans and writing incident reports.",
        "Atender lesiones, enfermedades y emergencias dando primeros auxilios, siguiendo los planes de emergencia y redactando informes de incidentes.",
        "First aid and emergencies",
        "Primeros auxilios y emergencias",
    ),
    "T12": (
        "Recognize and report suspected abuse or neglect as a mandated reporter.",
        "Reconocer y reportar posibles casos de abuso o negligencia, como informante obligado por ley.",
        "Report suspected abuse",
        "Reportar posible abuso",
    ),
    "T13": (
        "Serve and supervise snacks or meals, following food safety, allergy and meal-program rules.",
        "Servir y supervisar refrigerios o comidas, siguiendo las normas de higiene, de alergias y del programa de comidas.",
        "Serve snacks and meals safely",
        "Servir refrigerios y comidas",
    ),
    "T14": (
        "Set up, clean and store activity spaces, equipment and materials so they are safe and ready.",
        "Preparar, limpiar y guardar espacios, equipos y materiales de actividades para que estén seguros y listos.",
        "Set up and clean spaces",
        "Preparar y limpiar espacios",
    ),
    "T15": (
        "Adapt activities and provide accommodations so youth with disabilities or different learning needs can take part fully.",
        "Adaptar las actividades y ofrecer ajustes para que los jóvenes con discapacidades o distintas necesidades de aprendizaje participen plenamente.",
        "Adapt for disabilities and needs",
        "Adaptar para necesidades distintas",
    ),
    "T16": (
        "Create a welcoming space that respects the cultures, languages and identities of participating youth.",
        "Crear un espacio acogedor que respete las culturas, los idiomas y las identidades de los jóvenes participantes.",
        "Create a welcoming space",
        "Crear un espacio acogedor",
    ),
    "T17": (
        "Run full-day programming during summer and school breaks, including field trips and camp-style schedules.",
        "Llevar a cabo programas de día completo durante el verano y las vacaciones escolares, incluidas excursiones y horarios tipo campamento.",
        "Run summer and full-day programs",
        "Programas de verano y día completo",
    ),
    "T18": (
        "Mentor older youth on personal goals, college and career exploration or job-readiness skills.",
        "Orientar a jóvenes mayores en sus metas personales, en explorar estudios y carreras o en prepararse para un empleo.",
        "Mentor older youth",
        "Orientar a jóvenes mayores",
    ),
    "T19": (
        "Attend staff meetings, trainings and coaching and keep required certifications current.",
        "Asistir a reuniones de personal, capacitaciones y sesiones de coaching, y mantener al día las certificaciones requeridas.",
        "Training and certifications",
        "Capacitación y certificaciones",
    ),
    "T20": (
        "Coordinate with school-day teachers and staff to align support for individual students.",
        "Coordinarse con los maestros y el personal de la jornada escolar para alinear el apoyo a cada estudiante.",
        "Coordinate with school staff",
        "Coordinarse con la escuela",
    ),
    "T21": (
        "Schedule staff, volunteers and activity leaders across groups, rooms and time blocks.",
        "Organizar los horarios del personal, los voluntarios y los líderes de actividades entre grupos, salones y bloques de tiempo.",
        "Schedule staff and volunteers",
        "Horarios del personal",
    ),
    "T22": (
        "Recruit, interview and onboard frontline staff, and confirm background checks and clearances.",
        "Reclutar, entrevistar e integrar al personal de primera línea, y confirmar sus verificaciones de antecedentes y autorizaciones.",
        "Hire and onboard staff",
        "Contratar e integrar personal",
    ),
    "T23": (
        "Observe, coach and give feedback to frontline staff to improve their interactions with youth.",
        "Observar, acompañar y dar retroalimentación al personal de primera línea para mejorar su trato con los jóvenes.",
        "Coach frontline staff",
        "Acompañar al personal",
    ),
    "T24": (
        "Build daily and weekly program schedules and activity plans that meet program goals and quality standards.",
        "Elaborar horarios diarios y semanales y planes de actividades que cumplan las metas del programa y los estándares de calidad.",
        "Build program schedules and plans",
        "Elaborar horarios y planes",
    ),
    "T25": (
        "Monitor compliance with licensing, health, safety and funder rules, and fix problems found.",
        "Vigilar el cumplimiento de las normas de licencias, salud, seguridad y financiadores, y corregir los problemas encontrados.",
        "Monitor compliance",
        "Vigilar el cumplimiento",
    ),
    "T26": (
        "Keep enrollment and attendance records and compile data for funder, district or agency reports.",
        "Llevar los registros de inscripción y asistencia y reunir datos para informes al financiador, al distrito o a la agencia.",
        "Keep records and compile reports",
        "Registros e informes",
    ),
    "T27": (
        "Act as the main contact with the school principal, custodial staff and community partners at the site.",
        "Ser el contacto principal en el sitio con la dirección de la escuela, el personal de mantenimiento y los aliados comunitarios.",
        "Main contact at the site",
        "Contacto principal del sitio",
    ),
    "T28": (
        "Order, track and manage supplies and the site budget within set limits.",
        "Pedir, controlar y administrar los materiales y el presupuesto del sitio dentro de los límites establecidos.",
        "Manage supplies and budget",
        "Materiales y presupuesto",
    ),
    "T29": (
        "Lead program quality self-assessments and improvement plans with staff.",
        "Dirigir, junto con el personal, autoevaluaciones de la calidad del programa y planes de mejora.",
        "Lead quality improvement",
        "Dirigir la mejora de la calidad",
    ),
    "T30": (
        "Plan family events and share program information with families and the community.",
        "Planificar eventos para las familias y compartir información del programa con las familias y la comunidad.",
        "Family events and outreach",
        "Eventos para familias",
    ),
    "T31": (
        "Recruit and enroll youth, reaching out to families who could benefit from the program.",
        "Reclutar e inscribir a jóvenes, buscando a las familias que podrían beneficiarse del programa.",
        "Recruit and enroll youth",
        "Reclutar e inscribir jóvenes",
    ),
    "T32": (
        "Step in to lead a group directly when staff are absent so ratios are maintained.",
        "Hacerse cargo directamente de un grupo cuando falta personal, para mantener la proporción de adultos por joven.",
        "Cover a group for absent staff",
        "Cubrir un grupo si falta personal",
    ),
    "T33": (
        "Oversee operations across several program sites, tracking staffing, quality and compliance.",
        "Supervisar las operaciones de varios sitios del programa, dando seguimiento al personal, la calidad y el cumplimiento de normas.",
        "Oversee several sites",
        "Supervisar varios sitios",
    ),
    "T34": (
        "Write grant proposals and funder reports for sources such as 21st Century Community Learning Centers.",
        "Redactar solicitudes de subvenciones e informes para financiadores como 21st Century Community Learning Centers.",
        "Write grants and funder reports",
        "Subvenciones e informes",
    ),
    "T35": (
        "Analyze participation and outcome data to judge program effectiveness and guide changes.",
        "Analizar datos de participación y de resultados para evaluar la eficacia del programa y orientar cambios.",
        "Analyze program data",
        "Analizar datos del programa",
    ),
    "T36": (
        "Develop program policies, curricula and staff training plans.",
        "Desarrollar las políticas del programa, los planes de estudio y los planes de capacitación del personal.",
        "Develop policies and curricula",
        "Políticas y planes de estudio",
    ),
    "T37": (
        "Design and teach multi-session enrichment courses in a specialty such as music, coding, robotics, dance or visual arts.",
        "Diseñar e impartir cursos de enriquecimiento de varias sesiones en una especialidad como música, programación, robótica, danza o artes visuales.",
        "Teach enrichment courses",
        "Impartir cursos de enriquecimiento",
    ),
    "T38": (
        "Teach sports skills and lead practices that stress participation, teamwork and skill-building over winning.",
        "Enseñar habilidades deportivas y dirigir entrenamientos que valoren la participación, el trabajo en equipo y el aprendizaje más que ganar.",
        "Coach sports",
        "Entrenar deportes",
    ),
    "T39": (
        "Tutor individual students or small groups in academic subjects using assessment results to target skills.",
        "Dar tutoría individual o en grupos pequeños en materias académicas, usando resultados de evaluaciones para reforzar habilidades.",
        "Tutor students",
        "Dar tutoría",
    ),
    "T40": (
        "Connect youth and families to outside services such as health, food or counseling resources.",
        "Conectar a los jóvenes y sus familias con servicios externos, como salud, alimentación o consejería.",
        "Connect families to services",
        "Conectar con servicios externos",
    ),
}


def set_labels(apps, schema_editor):
    Task = apps.get_model("surveys", "Task")
    for task in Task.objects.filter(code__in=LABELS):
        text_en, text_es, label_en, label_es = LABELS[task.code]
        changed = []
        if not task.label_en and task.text_en == text_en:
            task.label_en = label_en
            changed.append("label_en")
        if not task.label_es and task.text_es == text_es:
            task.label_es = label_es
            changed.append("label_es")
        if changed:
            task.save(update_fields=changed)


def clear_labels(apps, schema_editor):
    Task = apps.get_model("surveys", "Task")
    for task in Task.objects.filter(code__in=LABELS):
        _text_en, _text_es, label_en, label_es = LABELS[task.code]
        changed = []
        if task.label_en == label_en:
            task.label_en = ""
            changed.append("label_en")
        if task.label_es == label_es:
            task.label_es = ""
            changed.append("label_es")
        if changed:
            task.save(update_fields=changed)


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0009_shorter_spanish_task_statements"),
    ]

    operations = [
        migrations.AddField(
            model_name="task",
            name="label_en",
            field=models.CharField(
                blank=True,
                help_text="A few words heading the task on the rating screens (the full "
                "statement is one tap away). Empty: the full statement is shown.",
                max_length=80,
                verbose_name="short label (English)",
            ),
        ),
        migrations.AddField(
            model_name="task",
            name="label_es",
            field=models.CharField(blank=True, max_length=80, verbose_name="short label (Spanish)"),
        ),
        migrations.RunPython(set_labels, clear_labels),
    ]
