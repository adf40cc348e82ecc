"""The seeded practitioner survey in plainer, shorter words, English and Spanish (issue 13):
the same questions, choices, codes and conditions, fewer words to read on a phone.

Versioning as everywhere else: a version nobody has answered yet has its text changed in
place; a published version with responses is frozen, so it is copied to a new version with
the new text, which is published while the old one is retired (its answers keep pointing at
the words they answered). A text staff have already reworded is left as they wrote it; only
text still as it was seeded changes. A database without the seeded survey is not touched
(seed_survey then creates it from the new seed)."""

from django.db import migrations
from django.db.models import Max
from django.utils import timezone

SLUG = "ost-roles-duties"

# (kind, key, field or choice value, language, seeded before, now)
CHANGES = [
    (
        "page",
        "eligibility",
        "intro",
        "en",
        "Two quick questions to make sure this survey is right for you.",
        "",
    ),
    (
        "page",
        "eligibility",
        "intro",
        "es",
        "Dos preguntas rápidas para confirmar que esta encuesta es para usted.",
        "",
    ),
    (
        "question",
        "consent",
        "text",
        "en",
        "This survey asks about the work people do in afterschool, summer and other youth programs. It "
        "will help make the case for a federal occupation code for this workforce. Taking part is "
        "voluntary and takes about 15 minutes. Your answers are confidential, and you can stop at any "
        "time. Do you agree to take part?",
        "Do you agree to take part? It is voluntary and confidential, and you can stop at any time.",
    ),
    (
        "question",
        "consent",
        "text",
        "es",
        "Esta encuesta pregunta sobre el trabajo que se hace en programas después de clases, de verano y "
        "otros programas para jóvenes. Servirá para respaldar la creación de un código federal de "
        "ocupación para este personal. Participar es voluntario y toma unos 15 minutos. Sus respuestas "
        "son confidenciales y puede dejar la encuesta en cualquier momento. ¿Acepta participar?",
        "¿Acepta participar? Es voluntario y confidencial, y puede parar cuando quiera.",
    ),
    (
        "question",
        "consent",
        "help",
        "en",
        "If you answer No, the survey ends here.",
        "If you answer No, the survey ends.",
    ),
    (
        "question",
        "consent",
        "help",
        "es",
        "Si responde que no, la encuesta termina aquí.",
        "Si responde No, la encuesta termina.",
    ),
    (
        "question",
        "eligibility",
        "text",
        "en",
        "In the past 12 months, have you worked in an out-of-school-time or youth program?",
        "In the past 12 months, did you work in an afterschool, summer or other youth program?",
    ),
    (
        "question",
        "eligibility",
        "text",
        "es",
        "En los últimos 12 meses, ¿ha trabajado en un programa fuera del horario escolar o en un "
        "programa para jóvenes?",
        "En los últimos 12 meses, ¿trabajó en un programa después de clases, de verano u otro programa "
        "para jóvenes?",
    ),
    (
        "question",
        "eligibility",
        "help",
        "en",
        "This includes before- and after-school, summer, school-break and youth-development programs. If "
        "you were paid for any of this work, choose the first answer. Volunteers answer a shorter "
        "version.",
        "",
    ),
    (
        "question",
        "eligibility",
        "help",
        "es",
        "Incluye programas antes y después de clases, de verano, de vacaciones escolares y de desarrollo "
        "juvenil. Si recibió pago por parte de este trabajo, elija la primera respuesta. Los voluntarios "
        "responden una versión más corta.",
        "",
    ),
    ("choice", "eligibility", "paid", "en", "Yes, as paid staff", "Yes, paid"),
    ("choice", "eligibility", "paid", "es", "Sí, como personal con pago", "Sí, con pago"),
    (
        "choice",
        "eligibility",
        "volunteer",
        "en",
        "Yes, but only as a volunteer",
        "Yes, only as a volunteer",
    ),
    (
        "choice",
        "eligibility",
        "volunteer",
        "es",
        "Sí, pero solo como voluntario/a",
        "Sí, solo como voluntario/a",
    ),
    (
        "page",
        "role",
        "intro",
        "en",
        "Tell us about your main role. If you have more than one job in this field, answer about the one "
        "where you work the most hours. Volunteers: answer about your volunteer role.",
        "",
    ),
    (
        "page",
        "role",
        "intro",
        "es",
        "Cuéntenos sobre su función principal. Si tiene más de un trabajo en este campo, responda sobre "
        "aquel en el que trabaja más horas. Si es voluntario/a, responda sobre su labor como "
        "voluntario/a.",
        "",
    ),
    (
        "question",
        "role",
        "text",
        "es",
        "¿Qué opción describe mejor su función principal?",
        "¿Qué describe mejor su función principal?",
    ),
    (
        "question",
        "role",
        "help",
        "en",
        "Pick the closest match. You'll write your exact job title next.",
        "",
    ),
    (
        "question",
        "role",
        "help",
        "es",
        "Elija la más parecida. En la siguiente pregunta escribirá el nombre exacto de su puesto.",
        "",
    ),
    (
        "choice",
        "role",
        "frontline",
        "en",
        "Frontline youth worker / program staff (group leader, activity leader, youth worker, program "
        "assistant, afterschool instructor, camp counselor)",
        "Frontline youth worker (group leader, camp counselor)",
    ),
    (
        "choice",
        "role",
        "frontline",
        "es",
        "Personal de primera línea con jóvenes o personal del programa (líder de grupo, líder de "
        "actividades, trabajador/a juvenil, asistente de programa, instructor/a de programa después de "
        "clases, consejero/a de campamento)",
        "Personal de primera línea con jóvenes (líder de grupo, consejero/a de campamento)",
    ),
    (
        "choice",
        "role",
        "lead_frontline",
        "en",
        "Lead / senior frontline staff (lead group leader, senior youth worker, team lead)",
        "Lead frontline staff (lead group leader, team lead)",
    ),
    (
        "choice",
        "role",
        "lead_frontline",
        "es",
        "Líder o personal sénior de primera línea (líder principal de grupo, trabajador/a juvenil "
        "sénior, líder de equipo)",
        "Líder de primera línea (líder principal de grupo, de equipo)",
    ),
    (
        "choice",
        "role",
        "site_lead",
        "en",
        "Site coordinator / site director (site coordinator, site supervisor, program coordinator)",
        "Site coordinator or site director",
    ),
    (
        "choice",
        "role",
        "site_lead",
        "es",
        "Coordinador/a o director/a de sitio (coordinador/a de sitio, supervisor/a de sitio, "
        "coordinador/a de programa)",
        "Coordinador/a o director/a de sitio",
    ),
    (
        "choice",
        "role",
        "program_manager",
        "en",
        "Program manager / director (multi-site) (program manager, regional director, director of "
        "expanded learning)",
        "Program manager or director (several sites)",
    ),
    (
        "choice",
        "role",
        "program_manager",
        "es",
        "Gerente o director/a de programas (varios sitios) (gerente de programa, director/a regional, "
        "director/a de aprendizaje ampliado)",
        "Gerente o director/a de programas (varios sitios)",
    ),
    (
        "choice",
        "role",
        "executive",
        "en",
        "Executive / agency leader (executive director, CEO, VP of programs)",
        "Executive or agency leader",
    ),
    (
        "choice",
        "role",
        "executive",
        "es",
        "Ejecutivo/a o líder de la organización (director/a ejecutivo/a, director/a general (CEO), "
        "vicepresidente/a de programas)",
        "Director/a ejecutivo/a de la organización",
    ),
    (
        "choice",
        "role",
        "specialist",
        "en",
        "Specialist / enrichment instructor (STEM, arts, music, dance, coding instructor)",
        "Enrichment instructor (STEM, arts, music, dance)",
    ),
    (
        "choice",
        "role",
        "specialist",
        "es",
        "Especialista o instructor/a de enriquecimiento (instructor/a de STEM, arte, música, danza o "
        "programación)",
        "Instructor/a de enriquecimiento (STEM, arte, música, danza)",
    ),
    (
        "choice",
        "role",
        "coach",
        "en",
        "Coach (sports, physical activity) (coach, sports leader)",
        "Coach (sports, physical activity)",
    ),
    (
        "choice",
        "role",
        "coach",
        "es",
        "Entrenador/a (deportes, actividad física) (entrenador/a, líder deportivo/a)",
        "Entrenador/a (deportes, actividad física)",
    ),
    (
        "choice",
        "role",
        "tutor",
        "en",
        "Tutor / academic support (tutor, homework-help staff, literacy aide)",
        "Tutor or homework help",
    ),
    (
        "choice",
        "role",
        "tutor",
        "es",
        "Tutor/a o apoyo académico (tutor/a, personal de ayuda con las tareas, asistente de "
        "lectoescritura)",
        "Tutor/a o ayuda con tareas",
    ),
    (
        "choice",
        "role",
        "mentor_support",
        "en",
        "Mentor / youth advocate / family liaison (mentor, success coach, family engagement specialist)",
        "Mentor, youth advocate or family liaison",
    ),
    (
        "choice",
        "role",
        "mentor_support",
        "es",
        "Mentor/a, defensor/a de jóvenes o enlace con las familias (mentor/a, coach de éxito "
        "estudiantil, especialista en participación familiar)",
        "Mentor/a, defensor/a juvenil o enlace con familias",
    ),
    (
        "choice",
        "role",
        "operations",
        "en",
        "Support / operations (trainer, quality coach, data/compliance, admin)",
        "Support or operations (trainer, data, admin)",
    ),
    (
        "choice",
        "role",
        "operations",
        "es",
        "Apoyo u operaciones (capacitador/a, coach de calidad, datos y cumplimiento, administración)",
        "Apoyo u operaciones (capacitación, datos, administración)",
    ),
    ("choice", "role", "other", "es", "Otro (escriba cuál)", "Otra (escriba cuál)"),
    (
        "question",
        "job_title",
        "text",
        "en",
        "What is your job title, in your own words?",
        "Your job title, in your own words",
    ),
    (
        "question",
        "job_title",
        "text",
        "es",
        "¿Cuál es el nombre de su puesto, en sus propias palabras?",
        "Su puesto, en sus propias palabras",
    ),
    (
        "question",
        "job_title",
        "help",
        "en",
        'Write it the way you would say it, for example "group leader" or "site coordinator".',
        'For example, "group leader".',
    ),
    (
        "question",
        "job_title",
        "help",
        "es",
        'Escríbalo como usted lo diría, por ejemplo "líder de grupo" o "coordinadora de sitio". Puede '
        "escribirlo en español o en inglés.",
        'Por ejemplo, "líder de grupo".',
    ),
    (
        "question",
        "employer_name",
        "text",
        "en",
        "What organization do you work or volunteer for?",
        "Which organization do you work or volunteer for?",
    ),
    (
        "question",
        "employer_name",
        "text",
        "es",
        "¿Para qué organización trabaja o hace voluntariado?",
        "¿Para qué organización trabaja o es voluntario/a?",
    ),
    (
        "question",
        "employer_name",
        "help",
        "en",
        "Optional. This helps us see what kinds of organizations took part. Results are only reported in "
        "aggregate.",
        "",
    ),
    (
        "question",
        "employer_name",
        "help",
        "es",
        "Opcional. Nos ayuda a ver qué tipos de organizaciones participaron. Los resultados solo se "
        "publican de forma agrupada.",
        "",
    ),
    (
        "question",
        "supervises",
        "text",
        "en",
        "Do you supervise other staff or volunteers?",
        "Do you supervise staff or volunteers?",
    ),
    (
        "question",
        "supervises",
        "text",
        "es",
        "¿Supervisa a otros empleados o voluntarios?",
        "¿Supervisa a personal o voluntarios?",
    ),
    (
        "question",
        "supervises",
        "help",
        "en",
        "Count people whose work you direct day to day, even if you aren't their official manager.",
        "Count anyone whose work you direct day to day.",
    ),
    (
        "question",
        "supervises",
        "help",
        "es",
        "Cuente a las personas cuyo trabajo dirige a diario, aunque usted no sea su jefe/a oficial.",
        "Cuente a quien dirige en el día a día.",
    ),
    (
        "question",
        "supervise_count",
        "help",
        "en",
        "Number of people, counting both staff and volunteers.",
        "Staff and volunteers.",
    ),
    (
        "question",
        "supervise_count",
        "help",
        "es",
        "Número de personas, contando personal y voluntarios.",
        "Personal y voluntarios.",
    ),
    ("page", "time_use", "title", "en", "How you spend your time", "Your time"),
    ("page", "time_use", "title", "es", "Cómo usa su tiempo", "Su tiempo"),
    ("page", "time_use", "intro", "en", "Think about a typical week in this job.", ""),
    ("page", "time_use", "intro", "es", "Piense en una semana normal en este trabajo.", ""),
    (
        "question",
        "time_use",
        "text",
        "en",
        "In a typical week, what share of your work time goes to each of these?",
        "In a typical week, what share of your work time goes to each?",
    ),
    (
        "question",
        "time_use",
        "text",
        "es",
        "En una semana normal, ¿qué parte de su tiempo de trabajo dedica a cada una de estas "
        "actividades?",
        "En una semana típica, ¿qué parte de su tiempo de trabajo dedica a cada cosa?",
    ),
    (
        "question",
        "time_use",
        "help",
        "en",
        "Enter a percentage for each. They must add up to 100. Enter 0 for anything you don't do. "
        "Administrative work means paperwork, records and reports.",
        "Percentages that add up to 100. Enter 0 for anything you don't do.",
    ),
    (
        "question",
        "time_use",
        "help",
        "es",
        "Escriba un porcentaje para cada una. La suma debe ser 100. Escriba 0 en lo que no haga. El "
        "trabajo administrativo incluye papeleo, registros e informes.",
        "Porcentajes que sumen 100. Escriba 0 si no lo hace.",
    ),
    (
        "choice",
        "time_use",
        "direct",
        "es",
        "Trabajar directamente con los jóvenes",
        "Trabajo directo con jóvenes",
    ),
    ("choice", "time_use", "supervising", "es", "Supervisar al personal", "Supervisar personal"),
    (
        "choice",
        "time_use",
        "admin",
        "en",
        "Administrative work",
        "Admin work (paperwork, records, reports)",
    ),
    (
        "choice",
        "time_use",
        "admin",
        "es",
        "Trabajo administrativo",
        "Trabajo administrativo (papeleo, registros, informes)",
    ),
    (
        "page",
        "setting",
        "intro",
        "en",
        "A few questions about your program and the young people it serves.",
        "",
    ),
    (
        "page",
        "setting",
        "intro",
        "es",
        "Algunas preguntas sobre su programa y los jóvenes que atiende.",
        "",
    ),
    (
        "question",
        "setting",
        "help",
        "en",
        "If you work in several places, choose the one where you spend the most time.",
        "If several, the one where you spend the most time.",
    ),
    (
        "question",
        "setting",
        "help",
        "es",
        "Si trabaja en varios lugares, elija aquel donde pasa más tiempo.",
        "Si son varios, donde pasa más tiempo.",
    ),
    (
        "choice",
        "setting",
        "community_org",
        "en",
        "Community organization or community center",
        "Community organization or center",
    ),
    (
        "choice",
        "setting",
        "ymca_bgc",
        "es",
        "YMCA, Boys & Girls Club u organización similar",
        "YMCA, Boys & Girls Club o similar",
    ),
    (
        "choice",
        "setting",
        "licensed_childcare",
        "en",
        "Licensed child care for school-age children",
        "Licensed school-age child care",
    ),
    (
        "choice",
        "setting",
        "licensed_childcare",
        "es",
        "Cuidado infantil con licencia para niños en edad escolar",
        "Cuidado infantil con licencia (edad escolar)",
    ),
    ("choice", "setting", "tribal", "en", "Tribal program or community", "Tribal program"),
    ("choice", "setting", "tribal", "es", "Programa o comunidad tribal", "Programa tribal"),
    ("choice", "setting", "other", "en", "Other (please specify)", "Other (write in)"),
    ("choice", "setting", "other", "es", "Otro (especifique)", "Otro (escriba cuál)"),
    (
        "question",
        "employer_type",
        "text",
        "en",
        "What kind of employer pays you for this job?",
        "Who pays you for this job?",
    ),
    (
        "question",
        "employer_type",
        "text",
        "es",
        "¿Qué tipo de empleador le paga por este trabajo?",
        "¿Quién le paga por este trabajo?",
    ),
    (
        "question",
        "employer_type",
        "help",
        "en",
        "This may differ from where the program meets.",
        "",
    ),
    (
        "question",
        "employer_type",
        "help",
        "es",
        "Puede ser distinto del lugar donde se realiza el programa.",
        "",
    ),
    ("choice", "employer_type", "nonprofit", "en", "Nonprofit organization", "Nonprofit"),
    ("choice", "employer_type", "city_county", "en", "City or county government", "City or county"),
    (
        "choice",
        "employer_type",
        "city_county",
        "es",
        "Gobierno de la ciudad o del condado",
        "Ciudad o condado",
    ),
    ("choice", "employer_type", "other", "en", "Other (please specify)", "Other (write in)"),
    ("choice", "employer_type", "other", "es", "Otro (especifique)", "Otro (escriba cuál)"),
    (
        "question",
        "funding",
        "text",
        "en",
        "If you know, which of these help pay for your program?",
        "Which of these help fund your program, if you know?",
    ),
    (
        "question",
        "funding",
        "text",
        "es",
        "Si lo sabe, ¿cuáles de estas fuentes ayudan a financiar su programa?",
        "¿Cuáles de estos financian su programa, si lo sabe?",
    ),
    ("question", "funding", "help", "en", "Choose all that apply.", ""),
    ("question", "funding", "help", "es", "Elija todas las que correspondan.", ""),
    (
        "choice",
        "funding",
        "cclc_21st",
        "es",
        "21st Century Community Learning Centers (21st CCLC, Centros Comunitarios de Aprendizaje del "
        "Siglo XXI)",
        "21st Century Community Learning Centers (21st CCLC)",
    ),
    ("choice", "funding", "fees", "en", "Fees paid by families", "Family fees"),
    ("choice", "funding", "fees", "es", "Cuotas que pagan las familias", "Cuotas de las familias"),
    ("choice", "funding", "other", "en", "Other (please specify)", "Other (write in)"),
    ("choice", "funding", "other", "es", "Otro (especifique)", "Otro (escriba cuál)"),
    (
        "question",
        "schedule",
        "text",
        "es",
        "¿En qué momentos trabaja en este programa?",
        "¿Cuándo trabaja en este programa?",
    ),
    ("question", "schedule", "help", "en", "Choose all that apply.", ""),
    ("question", "schedule", "help", "es", "Elija todas las que correspondan.", ""),
    ("choice", "schedule", "breaks", "en", "School breaks and holidays", "School breaks"),
    (
        "choice",
        "schedule",
        "breaks",
        "es",
        "Vacaciones y días feriados escolares",
        "Vacaciones escolares",
    ),
    (
        "choice",
        "schedule",
        "weekends_evenings",
        "es",
        "Fines de semana o por la noche",
        "Fines de semana o noches",
    ),
    ("question", "months_per_year", "help", "en", "Number of months, from 1 to 12.", ""),
    ("question", "months_per_year", "help", "es", "Número de meses, de 1 a 12.", ""),
    (
        "question",
        "ages_served",
        "text",
        "en",
        "How old are the young people you work with?",
        "Ages of the young people you work with",
    ),
    (
        "question",
        "ages_served",
        "text",
        "es",
        "¿Qué edades tienen los jóvenes con quienes trabaja?",
        "Edades de los jóvenes con quienes trabaja",
    ),
    ("question", "ages_served", "help", "en", "Choose all that apply.", ""),
    ("question", "ages_served", "help", "es", "Elija todas las que correspondan.", ""),
    ("choice", "ages_served", "ages_5_10", "en", "5 to 10 years", "5 to 10"),
    ("choice", "ages_served", "ages_5_10", "es", "5 a 10 años", "5 a 10"),
    ("choice", "ages_served", "ages_11_13", "en", "11 to 13 years", "11 to 13"),
    ("choice", "ages_served", "ages_11_13", "es", "11 a 13 años", "11 a 13"),
    ("choice", "ages_served", "ages_14_18", "en", "14 to 18 years", "14 to 18"),
    ("choice", "ages_served", "ages_14_18", "es", "14 a 18 años", "14 a 18"),
    ("choice", "ages_served", "ages_19_24", "en", "19 to 24 years", "19 to 24"),
    ("choice", "ages_served", "ages_19_24", "es", "19 a 24 años", "19 a 24"),
    (
        "page",
        "hours_pay",
        "intro",
        "en",
        "Questions about pay are optional. Skip any you'd rather not answer.",
        "",
    ),
    (
        "page",
        "hours_pay",
        "intro",
        "es",
        "Las preguntas sobre el pago son opcionales. Puede saltar las que prefiera no responder.",
        "",
    ),
    (
        "question",
        "hours_per_week",
        "help",
        "en",
        "Hours per week in a typical week when the program is running. Count this job only.",
        "",
    ),
    (
        "question",
        "hours_per_week",
        "help",
        "es",
        "Horas por semana, en una semana normal en la que el programa está funcionando. Cuente solo este "
        "trabajo.",
        "",
    ),
    (
        "question",
        "full_time",
        "text",
        "es",
        "¿Este trabajo es de tiempo completo o de medio tiempo?",
        "¿Este trabajo es de tiempo completo o parcial?",
    ),
    ("question", "full_time", "help", "en", "As your employer defines it.", ""),
    ("question", "full_time", "help", "es", "Según lo define su empleador.", ""),
    ("choice", "full_time", "part_time", "es", "Medio tiempo", "Tiempo parcial"),
    (
        "question",
        "split_shift",
        "text",
        "en",
        "Do you work a split shift?",
        "Do you work a split shift (before school and again after)?",
    ),
    (
        "question",
        "split_shift",
        "text",
        "es",
        "¿Trabaja en turno dividido?",
        "¿Trabaja en turno partido (antes y después de clases)?",
    ),
    (
        "question",
        "split_shift",
        "help",
        "en",
        "For example, a few hours before school and again after school, with unpaid time in between.",
        "",
    ),
    (
        "question",
        "split_shift",
        "help",
        "es",
        "Por ejemplo, unas horas antes de clases y otra vez después de clases, con tiempo sin pago entre "
        "los dos.",
        "",
    ),
    (
        "question",
        "other_jobs",
        "text",
        "en",
        "How many other paid jobs do you have right now?",
        "How many other paid jobs do you have now?",
    ),
    (
        "question",
        "other_jobs",
        "text",
        "es",
        "¿Cuántos otros trabajos con pago tiene en este momento?",
        "¿Cuántos otros trabajos con pago tiene ahora?",
    ),
    (
        "question",
        "other_jobs",
        "help",
        "en",
        "Number of jobs. Enter 0 if this is your only job.",
        "Enter 0 if none.",
    ),
    (
        "question",
        "other_jobs",
        "help",
        "es",
        "Número de trabajos. Escriba 0 si este es su único trabajo.",
        "Escriba 0 si no tiene.",
    ),
    ("question", "pay_type", "text", "en", "How are you paid in this job?", "How are you paid?"),
    ("question", "pay_type", "text", "es", "¿Cómo le pagan en este trabajo?", "¿Cómo le pagan?"),
    (
        "question",
        "hourly_rate",
        "help",
        "en",
        "US dollars per hour, for example 17.50.",
        "For example, 17.50.",
    ),
    (
        "question",
        "hourly_rate",
        "help",
        "es",
        "Dólares estadounidenses por hora, por ejemplo 17.50.",
        "Por ejemplo, 17.50.",
    ),
    (
        "question",
        "benefits",
        "text",
        "en",
        "Which benefits do you get from this job?",
        "Which benefits does this job give you?",
    ),
    (
        "question",
        "benefits",
        "text",
        "es",
        "¿Qué beneficios recibe en este trabajo?",
        "¿Qué beneficios le da este trabajo?",
    ),
    ("question", "benefits", "help", "en", "Choose all that apply.", ""),
    ("question", "benefits", "help", "es", "Elija todas las que correspondan.", ""),
    (
        "choice",
        "benefits",
        "paid_leave",
        "en",
        "Paid time off or paid sick days",
        "Paid time off or sick days",
    ),
    (
        "choice",
        "benefits",
        "paid_leave",
        "es",
        "Vacaciones pagadas o días de enfermedad pagados",
        "Vacaciones o días de enfermedad pagados",
    ),
    (
        "choice",
        "benefits",
        "paid_planning",
        "en",
        "Paid time for planning or training",
        "Paid planning or training time",
    ),
    ("choice", "benefits", "none", "es", "Ninguno de estos", "Ninguno"),
    ("page", "education_career", "intro", "en", "About your schooling, training and plans.", ""),
    (
        "page",
        "education_career",
        "intro",
        "es",
        "Sobre sus estudios, su formación y sus planes.",
        "",
    ),
    (
        "question",
        "education",
        "text",
        "en",
        "What is the highest level of school you have completed?",
        "What is the highest level of school you finished?",
    ),
    (
        "question",
        "education",
        "text",
        "es",
        "¿Cuál es el nivel de estudios más alto que ha terminado?",
        "¿Cuál es el nivel de estudios más alto que terminó?",
    ),
    (
        "choice",
        "education",
        "high_school_or_less",
        "en",
        "High school diploma, GED or less",
        "High school, GED or less",
    ),
    (
        "choice",
        "education",
        "high_school_or_less",
        "es",
        "Diploma de escuela secundaria (high school), GED o menos",
        "Secundaria (high school), GED o menos",
    ),
    (
        "choice",
        "education",
        "some_college",
        "es",
        "Algunos estudios universitarios, sin título",
        "Algo de universidad, sin título",
    ),
    (
        "choice",
        "education",
        "associate",
        "es",
        "Título de dos años (associate degree)",
        "Título de dos años (associate)",
    ),
    (
        "choice",
        "education",
        "bachelor",
        "es",
        "Licenciatura (bachelor's degree)",
        "Licenciatura (bachelor's)",
    ),
    (
        "choice",
        "education",
        "graduate",
        "en",
        "Master's, doctorate or other graduate degree",
        "Graduate degree",
    ),
    ("choice", "education", "graduate", "es", "Maestría, doctorado u otro posgrado", "Posgrado"),
    (
        "question",
        "field_of_study",
        "text",
        "en",
        "If you studied after high school, what was your main field?",
        "Field of study after high school, if any",
    ),
    (
        "question",
        "field_of_study",
        "text",
        "es",
        "Si estudió después de la secundaria, ¿cuál fue su área principal de estudio?",
        "Área de estudio después de la secundaria, si la hay",
    ),
    (
        "question",
        "field_of_study",
        "help",
        "en",
        "For example: education, social work, psychology, recreation.",
        "",
    ),
    (
        "question",
        "field_of_study",
        "help",
        "es",
        "Por ejemplo: educación, trabajo social, psicología, recreación.",
        "",
    ),
    (
        "question",
        "enrolled",
        "text",
        "en",
        "Are you enrolled in a school, college or training program right now?",
        "Are you in school or training now?",
    ),
    (
        "question",
        "enrolled",
        "text",
        "es",
        "¿Está inscrito/a actualmente en una escuela, universidad o programa de formación?",
        "¿Está estudiando o en formación ahora?",
    ),
    ("question", "credentials", "help", "en", "Choose all that apply.", ""),
    ("question", "credentials", "help", "es", "Elija todas las que correspondan.", ""),
    (
        "choice",
        "credentials",
        "clearances",
        "en",
        "Background checks or clearances required in your state",
        "State background check or clearance",
    ),
    (
        "choice",
        "credentials",
        "clearances",
        "es",
        "Verificación de antecedentes o autorizaciones que exige su estado",
        "Verificación de antecedentes del estado",
    ),
    (
        "choice",
        "credentials",
        "cpr_first_aid",
        "en",
        "CPR or first aid certification",
        "CPR or first aid",
    ),
    (
        "choice",
        "credentials",
        "cpr_first_aid",
        "es",
        "Certificación de RCP o de primeros auxilios",
        "RCP o primeros auxilios",
    ),
    (
        "choice",
        "credentials",
        "school_age_credential",
        "es",
        "Credencial en cuidado de niños en edad escolar",
        "Credencial de cuidado en edad escolar",
    ),
    (
        "choice",
        "credentials",
        "youth_work_credential",
        "en",
        "Youth-work or youth-development credential",
        "Youth-work credential",
    ),
    (
        "choice",
        "credentials",
        "youth_work_credential",
        "es",
        "Credencial en trabajo juvenil o desarrollo juvenil",
        "Credencial de trabajo juvenil",
    ),
    (
        "choice",
        "credentials",
        "teaching_credential",
        "en",
        "Teaching license or credential",
        "Teaching license",
    ),
    (
        "choice",
        "credentials",
        "teaching_credential",
        "es",
        "Licencia o credencial de maestro/a",
        "Licencia de maestro/a",
    ),
    ("choice", "credentials", "other", "en", "Other (please specify)", "Other (write in)"),
    ("choice", "credentials", "other", "es", "Otro (especifique)", "Otro (escriba cuál)"),
    ("choice", "credentials", "none", "es", "Ninguno de estos", "Ninguno"),
    (
        "question",
        "years_in_field",
        "text",
        "en",
        "How many years have you worked in out-of-school-time or youth programs, in total?",
        "How many years have you worked in youth programs in all?",
    ),
    (
        "question",
        "years_in_field",
        "text",
        "es",
        "¿Cuántos años ha trabajado en total en programas fuera del horario escolar o para jóvenes?",
        "¿Cuántos años ha trabajado en programas para jóvenes en total?",
    ),
    (
        "question",
        "years_in_field",
        "help",
        "en",
        "Count all your jobs in the field. Whole years. Enter 0 if less than one year.",
        "Enter 0 if less than one.",
    ),
    (
        "question",
        "years_in_field",
        "help",
        "es",
        "Cuente todos sus trabajos en este campo. Años completos. Escriba 0 si es menos de un año.",
        "Escriba 0 si es menos de uno.",
    ),
    (
        "question",
        "years_with_employer",
        "text",
        "en",
        "How many years have you worked for your current employer?",
        "And for your current employer?",
    ),
    (
        "question",
        "years_with_employer",
        "text",
        "es",
        "¿Cuántos años lleva trabajando con su empleador actual?",
        "¿Y con su empleador actual?",
    ),
    (
        "question",
        "years_with_employer",
        "help",
        "en",
        "Whole years. Enter 0 if less than one year.",
        "",
    ),
    (
        "question",
        "years_with_employer",
        "help",
        "es",
        "Años completos. Escriba 0 si es menos de un año.",
        "",
    ),
    (
        "question",
        "how_entered",
        "text",
        "en",
        "How did you first get into this work?",
        "How did you get into this work?",
    ),
    (
        "question",
        "how_entered",
        "text",
        "es",
        "¿Cómo comenzó en este trabajo?",
        "¿Cómo llegó a este trabajo?",
    ),
    (
        "choice",
        "how_entered",
        "as_participant",
        "en",
        "I was in a program myself as a young person",
        "I was in a program as a young person",
    ),
    (
        "choice",
        "how_entered",
        "through_school_or_college",
        "en",
        "Through school or college (a class, internship or work-study)",
        "Through school or college",
    ),
    (
        "choice",
        "how_entered",
        "through_school_or_college",
        "es",
        "A través de la escuela o la universidad (una clase, práctica o programa de trabajo y estudio)",
        "Por la escuela o la universidad",
    ),
    ("choice", "how_entered", "job_posting", "en", "I answered a job posting", "A job posting"),
    (
        "choice",
        "how_entered",
        "job_posting",
        "es",
        "Respondí a un anuncio de empleo",
        "Un anuncio de empleo",
    ),
    (
        "choice",
        "how_entered",
        "referral",
        "en",
        "Someone I knew recommended me",
        "Someone recommended me",
    ),
    (
        "choice",
        "how_entered",
        "referral",
        "es",
        "Alguien que conocía me recomendó",
        "Alguien me recomendó",
    ),
    ("choice", "how_entered", "other", "en", "Other (please specify)", "Other (write in)"),
    ("choice", "how_entered", "other", "es", "Otro (especifique)", "Otro (escriba cuál)"),
    ("choice", "stay_1_year", "3", "en", "Neither likely nor unlikely", "Not sure"),
    ("choice", "stay_1_year", "3", "es", "Ni probable ni improbable", "No estoy seguro/a"),
    ("choice", "stay_3_years", "3", "en", "Neither likely nor unlikely", "Not sure"),
    ("choice", "stay_3_years", "3", "es", "Ni probable ni improbable", "No estoy seguro/a"),
    (
        "question",
        "stay_1_year",
        "text",
        "en",
        "How likely are you to still work in this field one year from now?",
        "Will you still work in this field a year from now?",
    ),
    (
        "question",
        "stay_1_year",
        "text",
        "es",
        "¿Qué tan probable es que siga trabajando en este campo dentro de un año?",
        "¿Seguirá trabajando en este campo dentro de un año?",
    ),
    (
        "question",
        "change_one_thing",
        "text",
        "en",
        "If you could change one thing about this job, what would it be?",
        "What one thing would you change about this job?",
    ),
    (
        "question",
        "change_one_thing",
        "text",
        "es",
        "Si pudiera cambiar una sola cosa de este trabajo, ¿qué cambiaría?",
        "¿Qué cosa cambiaría de este trabajo?",
    ),
    (
        "page",
        "duties",
        "intro",
        "en",
        "This is the heart of the survey. A new occupation is judged on the work people actually do, so "
        "your answers here carry the most weight.",
        "",
    ),
    (
        "page",
        "duties",
        "intro",
        "es",
        "Esta es la parte central de la encuesta. Una nueva ocupación se evalúa según el trabajo que las "
        "personas realmente hacen, por eso estas respuestas son las que más pesan.",
        "",
    ),
    (
        "question",
        "duties",
        "text",
        "en",
        "For each task, tell us if it is part of your current job. If it is, rate how important it is "
        "and how often you do it. Tasks for your role come first, and you can add any other task from "
        "the list.",
        "Which of these are part of your job?",
    ),
    (
        "question",
        "duties",
        "text",
        "es",
        "Para cada tarea, indique si forma parte de su trabajo actual. Si es así, califique qué tan "
        "importante es y con qué frecuencia la hace. Primero aparecen las tareas de su función, y puede "
        "agregar cualquier otra tarea de la lista.",
        "¿Cuáles de estas tareas forman parte de su trabajo?",
    ),
    (
        "question",
        "duties",
        "help",
        "en",
        "Answer about your job as it is now, not as it should be.",
        "",
    ),
    (
        "question",
        "duties",
        "help",
        "es",
        "Responda sobre su trabajo tal como es hoy, no como debería ser.",
        "",
    ),
    (
        "question",
        "write_in_1",
        "text",
        "en",
        "Is there a task you do that is missing from the list?",
        "A task you do that is missing",
    ),
    (
        "question",
        "write_in_1",
        "text",
        "es",
        "¿Hay alguna tarea que usted hace y que no aparece en la lista?",
        "Una tarea que hace y que falta",
    ),
    (
        "question",
        "write_in_1",
        "help",
        "en",
        'Start with what you do, for example "Translate for families at pick-up time."',
        'For example, "Translate for families at pick-up."',
    ),
    (
        "question",
        "write_in_1",
        "help",
        "es",
        'Empiece con lo que hace, por ejemplo: "Traducir para las familias a la hora de la salida."',
        'Por ejemplo, "Traducir para las familias a la salida."',
    ),
    (
        "question",
        "write_in_2",
        "text",
        "en",
        "Another task that is missing from the list",
        "Another missing task",
    ),
    (
        "question",
        "write_in_2",
        "text",
        "es",
        "Otra tarea que no aparece en la lista",
        "Otra tarea que falta",
    ),
    (
        "question",
        "write_in_3",
        "text",
        "en",
        "One more task that is missing from the list",
        "One more missing task",
    ),
    (
        "question",
        "write_in_3",
        "text",
        "es",
        "Una tarea más que no aparece en la lista",
        "Una tarea más que falta",
    ),
    (
        "page",
        "crosswalk",
        "intro",
        "en",
        "Today, people who do this work are counted under many different federal occupations. We want to "
        "know how well they fit.",
        "",
    ),
    (
        "page",
        "crosswalk",
        "intro",
        "es",
        "Hoy en día, a las personas que hacen este trabajo se les cuenta en muchas ocupaciones federales "
        "distintas. Queremos saber qué tan bien corresponden a su trabajo.",
        "",
    ),
    (
        "question",
        "crosswalk_code",
        "text",
        "en",
        "Which of these existing occupations comes closest to your job?",
        "Which federal occupation comes closest to what you do?",
    ),
    (
        "question",
        "crosswalk_code",
        "text",
        "es",
        "¿Cuál de estas ocupaciones existentes se parece más a su trabajo?",
        "¿Qué ocupación federal se parece más a lo que hace?",
    ),
    (
        "question",
        "crosswalk_code",
        "help",
        "en",
        "These come from the federal list of occupations. Think about what you actually do, not your job "
        "title.",
        "",
    ),
    (
        "question",
        "crosswalk_code",
        "help",
        "es",
        "Provienen de la lista federal de ocupaciones. Piense en lo que usted realmente hace, no en el "
        "nombre de su puesto.",
        "",
    ),
    (
        "choice",
        "crosswalk_code",
        "39-9011",
        "en",
        "Childcare worker: cares for children's basic needs and play (39-9011)",
        "Childcare worker: basic care and play (39-9011)",
    ),
    (
        "choice",
        "crosswalk_code",
        "39-9011",
        "es",
        "Trabajador/a de cuidado infantil: atiende las necesidades básicas de los niños y supervisa su "
        "juego (39-9011)",
        "Trabajador/a de cuidado infantil: cuidado básico y juego (39-9011)",
    ),
    (
        "choice",
        "crosswalk_code",
        "39-9032",
        "en",
        "Recreation worker: leads group activities such as arts and crafts, sports, games, music, drama "
        "or camping (39-9032)",
        "Recreation worker: leads games, sports, arts or camping (39-9032)",
    ),
    (
        "choice",
        "crosswalk_code",
        "39-9032",
        "es",
        "Trabajador/a de recreación: dirige actividades en grupo como manualidades, deportes, juegos, "
        "música, teatro o campamento (39-9032)",
        "Trabajador/a de recreación: dirige juegos, deportes, arte o campamentos (39-9032)",
    ),
    (
        "choice",
        "crosswalk_code",
        "39-1014",
        "en",
        "Supervisor of recreation workers: directly supervises staff who lead recreation (39-1014)",
        "Supervisor of recreation workers (39-1014)",
    ),
    (
        "choice",
        "crosswalk_code",
        "39-1014",
        "es",
        "Supervisor/a de trabajadores de recreación: supervisa directamente al personal que dirige "
        "actividades recreativas (39-1014)",
        "Supervisor/a de trabajadores de recreación (39-1014)",
    ),
    (
        "choice",
        "crosswalk_code",
        "39-1022",
        "en",
        "Supervisor of personal service workers: directly supervises staff who provide personal care and "
        "services (39-1022)",
        "Supervisor of personal service workers (39-1022)",
    ),
    (
        "choice",
        "crosswalk_code",
        "39-1022",
        "es",
        "Supervisor/a de trabajadores de servicios personales: supervisa directamente al personal que da "
        "cuidado y servicios personales (39-1022)",
        "Supervisor/a de servicios personales (39-1022)",
    ),
    (
        "choice",
        "crosswalk_code",
        "39-9041",
        "en",
        "Residential advisor: runs activities for residents of dorms or group homes (39-9041)",
        "Residential advisor: dorms or group homes (39-9041)",
    ),
    (
        "choice",
        "crosswalk_code",
        "39-9041",
        "es",
        "Asesor/a residencial: organiza actividades para residentes de dormitorios u hogares grupales "
        "(39-9041)",
        "Asesor/a residencial: dormitorios u hogares grupales (39-9041)",
    ),
    (
        "choice",
        "crosswalk_code",
        "39-9099",
        "en",
        "Other personal care and service worker, not listed elsewhere (39-9099)",
        "Other personal care and service worker (39-9099)",
    ),
    (
        "choice",
        "crosswalk_code",
        "39-9099",
        "es",
        "Otro/a trabajador/a de cuidado y servicios personales no incluido en otra categoría (39-9099)",
        "Otro trabajo de cuidado y servicios personales (39-9099)",
    ),
    (
        "choice",
        "crosswalk_code",
        "25-9042",
        "en",
        "Teaching assistant: helps a classroom teacher who is in charge of the lessons (not special "
        "education) (25-9042)",
        "Teaching assistant (25-9042)",
    ),
    (
        "choice",
        "crosswalk_code",
        "25-9042",
        "es",
        "Asistente de maestro/a: ayuda a un/a maestro/a que está a cargo de las clases (no de educación "
        "especial) (25-9042)",
        "Asistente de maestro/a (25-9042)",
    ),
    (
        "choice",
        "crosswalk_code",
        "25-9043",
        "en",
        "Special education teaching assistant: helps a teacher of students with disabilities (25-9043)",
        "Special education teaching assistant (25-9043)",
    ),
    (
        "choice",
        "crosswalk_code",
        "25-9043",
        "es",
        "Asistente de educación especial: ayuda a un/a maestro/a de estudiantes con discapacidades "
        "(25-9043)",
        "Asistente de educación especial (25-9043)",
    ),
    (
        "choice",
        "crosswalk_code",
        "25-9049",
        "en",
        "Other teaching assistant, not listed elsewhere (25-9049)",
        "Other teaching assistant (25-9049)",
    ),
    (
        "choice",
        "crosswalk_code",
        "25-9049",
        "es",
        "Otro/a asistente de maestro/a no incluido en otra categoría (25-9049)",
        "Otro/a asistente de maestro/a (25-9049)",
    ),
    (
        "choice",
        "crosswalk_code",
        "25-3021",
        "en",
        "Enrichment teacher: teaches a skill or interest for enrichment or fun, not for a diploma, "
        "competition or fitness (25-3021)",
        "Enrichment teacher: a skill or interest, for fun (25-3021)",
    ),
    (
        "choice",
        "crosswalk_code",
        "25-3021",
        "es",
        "Maestro/a de enriquecimiento: enseña una habilidad o interés por crecimiento personal o "
        "diversión, no para obtener un título, competir o hacer ejercicio (25-3021)",
        "Maestro/a de enriquecimiento: una habilidad o afición (25-3021)",
    ),
    (
        "choice",
        "crosswalk_code",
        "25-3041",
        "en",
        "Tutor: gives one-on-one or small-group help with schoolwork or test preparation (25-3041)",
        "Tutor: schoolwork or test preparation (25-3041)",
    ),
    (
        "choice",
        "crosswalk_code",
        "25-3041",
        "es",
        "Tutor/a: da apoyo individual o en grupos pequeños con las tareas escolares o la preparación de "
        "exámenes (25-3041)",
        "Tutor/a: tareas escolares o exámenes (25-3041)",
    ),
    (
        "choice",
        "crosswalk_code",
        "25-3099",
        "en",
        "Other teacher or instructor, not listed elsewhere (25-3099)",
        "Other teacher or instructor (25-3099)",
    ),
    (
        "choice",
        "crosswalk_code",
        "25-3099",
        "es",
        "Otro/a maestro/a o instructor/a no incluido en otra categoría (25-3099)",
        "Otro/a maestro/a o instructor/a (25-3099)",
    ),
    (
        "choice",
        "crosswalk_code",
        "25-9031",
        "en",
        "Instructional coordinator: develops curricula and may coach teachers (25-9031)",
        "Instructional coordinator: curricula, coaching teachers (25-9031)",
    ),
    (
        "choice",
        "crosswalk_code",
        "25-9031",
        "es",
        "Coordinador/a de instrucción: desarrolla planes de estudio y puede acompañar a los maestros "
        "(25-9031)",
        "Coordinador/a de instrucción: planes de estudio (25-9031)",
    ),
    (
        "choice",
        "crosswalk_code",
        "21-1093",
        "en",
        "Social and human service assistant: helps deliver client services, family support or prevention "
        "programs (21-1093)",
        "Social and human service assistant (21-1093)",
    ),
    (
        "choice",
        "crosswalk_code",
        "21-1093",
        "es",
        "Asistente de servicios sociales y humanos: ayuda a ofrecer servicios a clientes, apoyo a "
        "familias o programas de prevención (21-1093)",
        "Asistente de servicios sociales (21-1093)",
    ),
    (
        "choice",
        "crosswalk_code",
        "21-1099",
        "en",
        "Other community and social service specialist, not listed elsewhere (21-1099)",
        "Other community and social service specialist (21-1099)",
    ),
    (
        "choice",
        "crosswalk_code",
        "21-1099",
        "es",
        "Otro/a especialista en servicios comunitarios y sociales no incluido en otra categoría "
        "(21-1099)",
        "Otro/a especialista en servicios sociales (21-1099)",
    ),
    (
        "choice",
        "crosswalk_code",
        "21-2021",
        "en",
        "Director of religious activities and education: runs religious education programs (21-2021)",
        "Director of religious education (21-2021)",
    ),
    (
        "choice",
        "crosswalk_code",
        "21-2021",
        "es",
        "Director/a de actividades y educación religiosa: dirige programas de educación religiosa "
        "(21-2021)",
        "Director/a de educación religiosa (21-2021)",
    ),
    (
        "choice",
        "crosswalk_code",
        "27-2022",
        "en",
        "Coach or scout: teaches sports skills, mainly for competition (27-2022)",
        "Coach or scout: sports, mainly for competition (27-2022)",
    ),
    (
        "choice",
        "crosswalk_code",
        "27-2022",
        "es",
        "Entrenador/a o buscador/a de talentos deportivos: enseña habilidades deportivas, sobre todo "
        "para competir (27-2022)",
        "Entrenador/a o cazatalentos: deportes, sobre todo de competencia (27-2022)",
    ),
    (
        "choice",
        "crosswalk_code",
        "11-9031",
        "en",
        "Childcare or preschool administrator: directs childcare or preschool programs, including "
        "before- and after-school care (11-9031)",
        "Childcare or preschool administrator, including afterschool (11-9031)",
    ),
    (
        "choice",
        "crosswalk_code",
        "11-9031",
        "es",
        "Administrador/a de cuidado infantil o preescolar: dirige programas de cuidado infantil o "
        "preescolar, incluido el cuidado antes y después de clases (11-9031)",
        "Administrador/a de cuidado infantil o preescolar, incluido después de clases (11-9031)",
    ),
    (
        "choice",
        "crosswalk_code",
        "11-9151",
        "en",
        "Social and community service manager: directs a social service or community program, including "
        "its budget and policies (11-9151)",
        "Social and community service manager (11-9151)",
    ),
    (
        "choice",
        "crosswalk_code",
        "11-9151",
        "es",
        "Gerente de servicios sociales y comunitarios: dirige un programa social o comunitario, "
        "incluidos su presupuesto y sus políticas (11-9151)",
        "Gerente de servicios sociales y comunitarios (11-9151)",
    ),
    (
        "choice",
        "crosswalk_code",
        "11-9039",
        "en",
        "Other education administrator, not listed elsewhere (11-9039)",
        "Other education administrator (11-9039)",
    ),
    (
        "choice",
        "crosswalk_code",
        "11-9039",
        "es",
        "Otro/a administrador/a de educación no incluido en otra categoría (11-9039)",
        "Otro/a administrador/a de educación (11-9039)",
    ),
    (
        "choice",
        "crosswalk_code",
        "33-9092",
        "en",
        "Lifeguard or other recreation safety worker: keeps people safe at pools, beaches, ski areas and "
        "other recreation sites (33-9092)",
        "Lifeguard or recreation safety worker (33-9092)",
    ),
    (
        "choice",
        "crosswalk_code",
        "33-9092",
        "es",
        "Salvavidas u otro/a trabajador/a de seguridad recreativa: protege a las personas en piscinas, "
        "playas, pistas de esquí y otros lugares de recreación (33-9092)",
        "Salvavidas o seguridad recreativa (33-9092)",
    ),
    ("choice", "crosswalk_code", "none", "en", "None of these fits my job", "None of these fits"),
    (
        "choice",
        "crosswalk_code",
        "none",
        "es",
        "Ninguna de estas se parece a mi trabajo",
        "Ninguna se parece",
    ),
    (
        "question",
        "crosswalk_fit",
        "text",
        "en",
        "How well does that occupation describe your job?",
        "How well does it describe your job?",
    ),
    (
        "question",
        "crosswalk_fit",
        "text",
        "es",
        "¿Qué tan bien describe esa ocupación su trabajo?",
        "¿Qué tan bien describe su trabajo?",
    ),
    (
        "page",
        "demographics",
        "intro",
        "en",
        'Every question on this page is optional. You can skip any of them or choose "Prefer not to '
        'say". These answers help show who does this work.',
        "All optional.",
    ),
    (
        "page",
        "demographics",
        "intro",
        "es",
        'Todas las preguntas de esta página son opcionales. Puede saltar cualquiera o elegir "Prefiero '
        'no responder". Estas respuestas ayudan a mostrar quiénes hacen este trabajo.',
        "Todas son opcionales.",
    ),
    (
        "choice",
        "gender",
        "self_describe",
        "en",
        "I describe myself another way (please specify)",
        "Another way (write in)",
    ),
    (
        "choice",
        "gender",
        "self_describe",
        "es",
        "Me describo de otra manera (especifique)",
        "De otra manera (escriba cuál)",
    ),
    ("question", "race_ethnicity", "help", "en", "Choose all that apply.", ""),
    ("question", "race_ethnicity", "help", "es", "Elija todas las que correspondan.", ""),
    (
        "choice",
        "race_ethnicity",
        "other",
        "en",
        "Another race or ethnicity (please specify)",
        "Another (write in)",
    ),
    (
        "choice",
        "race_ethnicity",
        "other",
        "es",
        "Otra raza u origen étnico (especifique)",
        "Otra (escriba cuál)",
    ),
    ("question", "languages_at_work", "help", "en", "Choose all that apply.", ""),
    ("question", "languages_at_work", "help", "es", "Elija todas las que correspondan.", ""),
    (
        "choice",
        "languages_at_work",
        "other",
        "en",
        "Another language (please specify)",
        "Another (write in)",
    ),
    (
        "choice",
        "languages_at_work",
        "other",
        "es",
        "Otro idioma (especifique)",
        "Otro (escriba cuál)",
    ),
    (
        "question",
        "state_zip",
        "text",
        "en",
        "Where do you work? Choose the state or territory and enter the first 3 digits of the ZIP code.",
        "Where do you work? State and first 3 digits of the ZIP code",
    ),
    (
        "question",
        "state_zip",
        "text",
        "es",
        "¿Dónde trabaja? Elija el estado o territorio y escriba los primeros 3 dígitos del código postal "
        "(ZIP).",
        "¿Dónde trabaja? Estado y primeros 3 dígitos del código postal (ZIP)",
    ),
    (
        "question",
        "state_zip",
        "help",
        "en",
        "We ask for only the first 3 digits to protect your privacy.",
        "Only 3 digits, for your privacy.",
    ),
    (
        "question",
        "state_zip",
        "help",
        "es",
        "Solo pedimos los primeros 3 dígitos para proteger su privacidad.",
        "Solo 3 dígitos, por su privacidad.",
    ),
    ("page", "open_questions", "title", "es", "En sus propias palabras", "En sus palabras"),
    (
        "page",
        "open_questions",
        "intro",
        "en",
        "Two open questions. Write as much or as little as you like, in English or Spanish.",
        "In English or Spanish.",
    ),
    (
        "page",
        "open_questions",
        "intro",
        "es",
        "Dos preguntas abiertas. Escriba lo que quiera, en español o en inglés.",
        "En español o en inglés.",
    ),
    ("question", "describe_work", "help", "en", "A few sentences are plenty.", ""),
    ("question", "describe_work", "help", "es", "Con unas pocas oraciones basta.", ""),
    (
        "question",
        "occupation_name",
        "help",
        "en",
        "The name you think best fits people who do your kind of work.",
        "",
    ),
    (
        "question",
        "occupation_name",
        "help",
        "es",
        "El nombre que usted cree que mejor describe a quienes hacen este tipo de trabajo.",
        "",
    ),
    ("page", "follow_up", "intro", "en", "Almost done: two last questions.", ""),
    ("page", "follow_up", "intro", "es", "Ya casi termina: dos últimas preguntas.", ""),
    (
        "question",
        "follow_up",
        "text",
        "en",
        "May we contact you about this research or about the public comment period?",
        "May we contact you about this research or the public comment period?",
    ),
    (
        "question",
        "follow_up",
        "text",
        "es",
        "¿Podemos contactarle sobre esta investigación o sobre el periodo de comentarios públicos?",
        "¿Podemos contactarle sobre este estudio o el periodo de comentarios públicos?",
    ),
    (
        "question",
        "follow_up",
        "help",
        "en",
        "A public comment period is a time when anyone can send the federal government comments on "
        "proposed changes to the list of occupations.",
        "That is when anyone can comment to the government on the list of occupations.",
    ),
    (
        "question",
        "follow_up",
        "help",
        "es",
        "El periodo de comentarios públicos es un plazo en el que cualquier persona puede enviar al "
        "gobierno federal sus comentarios sobre los cambios propuestos a la lista de ocupaciones.",
        "Es cuando cualquiera puede opinar ante el gobierno sobre la lista de ocupaciones.",
    ),
    (
        "question",
        "contact_email",
        "help",
        "en",
        "Stored separately from your answers and used only to follow up with you.",
        "Kept apart from your answers.",
    ),
    (
        "question",
        "contact_email",
        "help",
        "es",
        "Se guarda por separado de sus respuestas y solo se usará para contactarle sobre este tema.",
        "Se guarda aparte de sus respuestas.",
    ),
    (
        "question",
        "quote_consent",
        "text",
        "en",
        "We may want to quote written answers in reports. A quote never includes your name or contact "
        "details. May we quote yours?",
        "May we quote your written answers in reports, without your name?",
    ),
    (
        "question",
        "quote_consent",
        "text",
        "es",
        "Es posible que queramos citar respuestas escritas en nuestros informes. Las citas nunca "
        "incluyen su nombre ni sus datos de contacto. ¿Podemos citar las suyas?",
        "¿Podemos citar sus respuestas escritas en informes, sin su nombre?",
    ),
    (
        "choice",
        "quote_consent",
        "anonymous",
        "en",
        "Yes, you may quote my written answers anonymously",
        "Yes, anonymously",
    ),
    (
        "choice",
        "quote_consent",
        "anonymous",
        "es",
        "Sí, pueden citar mis respuestas escritas de forma anónima",
        "Sí, de forma anónima",
    ),
    (
        "choice",
        "quote_consent",
        "internal",
        "en",
        "No, use them internally only and never quote them",
        "No, do not quote me",
    ),
    (
        "choice",
        "quote_consent",
        "internal",
        "es",
        "No, úsenlas solo de forma interna y nunca las citen",
        "No, no me citen",
    ),
    (
        "survey",
        "ost-roles-duties",
        "intro",
        "en",
        "**Who should take this survey:** anyone who worked in an afterschool, summer or other youth "
        "program in the past 12 months, as paid staff or as a volunteer.\n"
        "\n"
        "**What it is for:** Right now, people who do this work are counted under many different federal "
        "occupations, so official statistics cannot show how many of you there are or what you do. Your "
        "answers will describe the job as it really is and support the case for its own occupation code "
        "in the 2028 revision of the Standard Occupational Classification (SOC).\n"
        "\n"
        "- It takes about **15 minutes**.\n"
        "- Your answers are **confidential**. We report results only in aggregate, and we do not show "
        "groups so small that someone could be identified.\n"
        "- If you give us your email address, it is kept apart from your answers.\n"
        "- You can **save your progress** and finish later.",
        "**Who:** anyone who worked in an afterschool, summer or other youth program in the past 12 "
        "months, paid or as a volunteer.\n"
        "\n"
        "**Why:** this work has no federal occupation code of its own, so official statistics cannot "
        "count it. Your answers describe the job as it really is and support the case for a code in the "
        "2028 revision of the Standard Occupational Classification (SOC).\n"
        "\n"
        "- Your answers are **confidential**: we report only totals for groups large enough that no one "
        "can be identified.\n"
        "- Your email, if you give it, is kept apart from your answers.\n"
        "- You can **save** and finish later.",
    ),
    (
        "survey",
        "ost-roles-duties",
        "intro",
        "es",
        "**¿Quién puede responder?** Cualquier persona que en los últimos 12 meses haya trabajado en un "
        "programa después de clases, de verano u otro programa para jóvenes, ya sea con pago o como "
        "voluntario/a.\n"
        "\n"
        "**¿Para qué sirve?** Hoy, a las personas que hacen este trabajo se les cuenta dentro de muchas "
        "ocupaciones federales distintas, así que las estadísticas oficiales no pueden mostrar cuántas "
        "son ni qué hacen. Sus respuestas describirán este trabajo tal como es y respaldarán la "
        "propuesta de un código de ocupación propio en la revisión de 2028 de la Clasificación Estándar "
        "de Ocupaciones (SOC).\n"
        "\n"
        "- Toma unos **15 minutos**.\n"
        "- Sus respuestas son **confidenciales**. Solo publicamos resultados agrupados y no mostramos "
        "grupos tan pequeños que alguien pudiera ser identificado.\n"
        "- Si nos da su correo electrónico, se guarda aparte de sus respuestas.\n"
        "- Puede **guardar su avance** y terminar más tarde.",
        "**Quién:** cualquier persona que en los últimos 12 meses trabajó en un programa después de "
        "clases, de verano u otro programa para jóvenes, con pago o como voluntario/a.\n"
        "\n"
        "**Para qué:** este trabajo no tiene un código federal de ocupación propio, así que las "
        "estadísticas oficiales no pueden contarlo. Sus respuestas describen el trabajo tal como es y "
        "respaldan la propuesta de un código en la revisión de 2028 de la Clasificación Estándar de "
        "Ocupaciones (SOC).\n"
        "\n"
        "- Sus respuestas son **confidenciales**: solo publicamos totales de grupos lo bastante grandes "
        "para que nadie pueda ser identificado.\n"
        "- Si nos da su correo, se guarda aparte de sus respuestas.\n"
        "- Puede **guardar** y terminar más tarde.",
    ),
]


def _field(kind, name, lang):
    return f"label_{lang}" if kind == "choice" else f"{name}_{lang}"


def _apply(version, Question, Choice, SurveyPage) -> int:
    changed = 0
    pages = {p.key: p for p in SurveyPage.objects.filter(version=version)}
    questions = {q.key: q for q in Question.objects.filter(version=version)}
    for kind, key, name, lang, old, new in CHANGES:
        if kind == "page":
            target = pages.get(key)
        elif kind == "question":
            target = questions.get(key)
        elif kind == "choice":
            target = (
                Choice.objects.filter(question=questions[key], value=name).first()
                if key in questions
                else None
            )
        else:
            continue
        field = _field(kind, name, lang)
        if target is not None and (getattr(target, field) or "") == old:
            setattr(target, field, new)
            target.save(update_fields=[field])
            changed += 1
    return changed


def _copy(version, SurveyVersion, SurveyPage, Question, Choice):
    number = (
        SurveyVersion.objects.filter(survey=version.survey).aggregate(n=Max("number"))["n"] or 0
    ) + 1
    draft = SurveyVersion.objects.create(
        survey=version.survey,
        number=number,
        status="draft",
        notes=f"Copied from version {version.number}: plainer, shorter text (issue 13)",
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


def plainer(apps, schema_editor):
    Survey = apps.get_model("surveys", "Survey")
    SurveyVersion = apps.get_model("surveys", "SurveyVersion")
    SurveyPage = apps.get_model("surveys", "SurveyPage")
    Question = apps.get_model("surveys", "Question")
    Choice = apps.get_model("surveys", "Choice")
    Response = apps.get_model("surveys", "Response")
    survey = Survey.objects.filter(slug=SLUG).first()
    if survey is None:
        return
    for kind, _key, name, lang, old, new in CHANGES:
        field = f"{name}_{lang}"
        if kind == "survey" and getattr(survey, field) == old:
            setattr(survey, field, new)
            survey.save(update_fields=[field])
    for version in SurveyVersion.objects.filter(survey=survey).exclude(status="retired"):
        answered = Response.objects.filter(version=version).exists()
        if version.status == "draft" or not answered:
            _apply(version, Question, Choice, SurveyPage)
            continue
        # Published with responses: frozen. The new text goes to a copy, published in its place.
        copy = _copy(version, SurveyVersion, SurveyPage, Question, Choice)
        if not _apply(copy, Question, Choice, SurveyPage):
            copy.delete()  # staff had reworded all of it: nothing to publish
            continue
        version.status = "retired"
        version.save(update_fields=["status"])
        copy.status = "published"
        copy.published_at = timezone.now()
        copy.save(update_fields=["status", "published_at"])


class Migration(migrations.Migration):
    dependencies = [("surveys", "0007_response_pages_and_submissions")]

    operations = [migrations.RunPython(plainer, migrations.RunPython.noop)]
