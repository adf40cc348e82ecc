"""Synthetic complete responses for demos and benchmarks (`manage.py generate_responses`).

Each synthetic respondent walks the published version the way the real survey does: every
page's and question's condition is evaluated with `condition_met` against the values
generated so far, so volunteers take the short path. Answers are drawn from per-role
proportions, and the same seed gives the same data (timestamps count back from midnight UTC
of the day the command runs; public ids and contact emails differ).
Rows are built in memory, one transaction per batch, and written with COPY on PostgreSQL
(about 56 rows per response: a million responses is some 56 million rows) or `bulk_create`
elsewhere (SQLite).

Large runs on PostgreSQL are pooled: walking the survey costs some 3 ms of Python per
respondent, so only a pool of respondents is walked (one per POOL_SHARE responses, at least
POOL_MIN) and written with COPY; every further response is a fresh submission (its own id,
public id, browser token, collector, time, duration and quality flags) of one drawn pool
respondent's answers, whose answer and rating rows PostgreSQL copies set-based
(INSERT ... SELECT joined on a per-batch map table that Python fills with COPY, reading the
pool's rows from temporary tables made once). `bulk_load` (a fresh database only) drops the
tables' secondary indexes and the answer and rating keys for the copy and builds them once
at the end; docs/benchmarks.md#generating-test-data has the measurements.
"""

import bisect
import functools
import io
import random
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from apps.core.exceptions import ApplicationError
from apps.surveys.conditions import condition_met
from apps.surveys.models import (
    Answer,
    Collector,
    Question,
    RespondentContact,
    Response,
    Survey,
    SurveyVersion,
    TaskRating,
)
from apps.surveys.selectors import (
    Structure,
    survey_published_version,
    tasks_for_role,
    version_structure,
)
from apps.surveys.services import digest, response_profile

# Question types as plain strings (an enum attribute lookup per answer adds up at a million).
TASK_MATRIX, EMAIL = str(Question.Type.TASK_MATRIX), str(Question.Type.EMAIL)
SINGLE_CHOICE, SCALE = str(Question.Type.SINGLE_CHOICE), str(Question.Type.SCALE)
MULTI_CHOICE = str(Question.Type.MULTI_CHOICE)
NO_PUBLISHED_VERSION = "The survey has no published version."
BULK_LOAD_NOT_EMPTY = "A bulk load fills an empty database: responses already exist."
EMAIL_DOMAIN = "example.invalid"
SPAN_DAYS = 90
WRITE_BATCH = 5000  # rows per INSERT statement for answers and ratings
POOL_MIN = 2000  # pooled runs walk at least this many respondents
POOL_SHARE = 50  # and one respondent per this many responses
REPLICA_BATCH = 50_000  # responses per set-based batch after the pool
# Model fields after id and response_id, in model order: rows are built positionally
# (twice as fast as keyword arguments), so `_check_columns` guards the order.
ANSWER_COLUMNS = ("question_id", "part", "choice_id", "text_value", "number_value", "bool_value")
RATING_COLUMNS = ("task_id", "is_relevant", "importance", "frequency", "is_assigned")
AnswerRow = tuple[int, str, int | None, str, Decimal | int | None, bool | None]
RatingRow = tuple[int, bool, int | None, int | None, bool]
# What a resubmission needs of its pool respondent: response id, paid path, wants contact.
_Template = tuple[int, bool, bool]


class _Dist:
    """A weighted draw over fixed values: one random number and one bisect per draw."""

    __slots__ = ("values", "cum", "total")

    def __init__(self, weights: dict | Sequence[tuple]) -> None:
        items = list(weights.items()) if isinstance(weights, dict) else list(weights)
        self.values = [value for value, _weight in items]
        self.cum: list[float] = []
        total = 0.0
        for _value, weight in items:
            total += weight
            self.cum.append(total)
        self.total = total

    def draw(self, rng: random.Random):
        index = bisect.bisect_right(self.cum, rng.random() * self.total)
        return self.values[min(index, len(self.values) - 1)]


# --- Per-role proportions ---------------------------------------------------------------


@dataclass(frozen=True)
class RoleProfile:
    """How respondents in one role tend to answer."""

    weight: float  # share of paid respondents
    volunteer_weight: float  # share of volunteers
    supervises: float  # probability of supervising staff
    team: tuple[int, int]  # how many they supervise (low, high)
    time_use: tuple[int, int, int, int]  # mean shares: direct, supervising, planning, admin
    full_time: float
    salaried: float  # probability of a salary, when full time
    hourly: tuple[float, float]  # mean and spread of the hourly rate
    salary_bands: tuple[float, ...]  # under_25k .. over_80k
    education: tuple[float, ...]  # high_school_or_less .. graduate
    ages: tuple[float, ...]  # 18_24 .. 65_plus
    years: tuple[float, float]  # least years in the field, mean of the years beyond it
    stay: tuple[float, ...]  # 1 .. 5
    crosswalk: dict[str, float]
    core_tasks: frozenset[str]
    titles_en: tuple[str, ...]
    titles_es: tuple[str, ...]
    describe_en: tuple[str, ...]
    describe_es: tuple[str, ...]


def _split(text: str) -> tuple[str, ...]:
    """'a|b|c' as ('a', 'b', 'c'): keeps the long lists below compact."""
    return tuple(part.strip() for part in text.split("|"))


def _codes(text: str) -> frozenset[str]:
    """'T01 T02' as frozenset({'T01', 'T02'})."""
    return frozenset(text.split())


def _weights(text: str) -> dict[str, float]:
    """'a:3 b:1' as {'a': 3.0, 'b': 1.0}."""
    return {key: float(weight) for key, weight in (item.split(":") for item in text.split())}


ROLES: dict[str, RoleProfile] = {
    "frontline": RoleProfile(
        weight=45,
        volunteer_weight=45,
        supervises=0.08,
        team=(1, 4),
        time_use=(74, 4, 11, 11),
        full_time=0.25,
        salaried=0.2,
        hourly=(18.5, 2.6),
        salary_bands=(0.15, 0.45, 0.3, 0.08, 0.02, 0),
        education=(0.25, 0.36, 0.12, 0.22, 0.03),
        ages=(0.38, 0.27, 0.15, 0.1, 0.07, 0.03),
        years=(0, 3),
        stay=(0.08, 0.12, 0.22, 0.3, 0.28),
        crosswalk=_weights(
            "39-9032:35 39-9011:30 25-9042:15 25-9049:5 39-9099:5 21-1093:5 25-9043:3 33-9092:2"
        ),
        core_tasks=_codes("T01 T02 T04 T05 T09 T11 T12 T14 T16 T19"),
        titles_en=_split(
            "Group Leader|group leader|Grp leader|Group Leader II|Activity Leader|"
            "activity leader|Youth Worker|youth worker|Program Assistant|program asst|"
            "Afterschool Instructor|After-School Instructor|Camp Counselor|camp counsellor|"
            "Youth Development Professional"
        ),
        titles_es=_split(
            "Líder de grupo|lider de grupo|Líder de actividades|Trabajadora juvenil|"
            "Asistente de programa|Consejero de campamento"
        ),
        describe_en=_split(
            "I lead activities and help kids with homework after school.|"
            "I supervise a group of students and run games, crafts and snack time."
        ),
        describe_es=_split(
            "Dirijo actividades y ayudo a los niños con la tarea después de clases.|"
            "Cuido a un grupo de estudiantes y organizo juegos y manualidades."
        ),
    ),
    "lead_frontline": RoleProfile(
        weight=10,
        volunteer_weight=3,
        supervises=0.7,
        team=(2, 8),
        time_use=(55, 20, 15, 10),
        full_time=0.5,
        salaried=0.3,
        hourly=(20.5, 2.8),
        salary_bands=(0.08, 0.35, 0.38, 0.15, 0.04, 0),
        education=(0.15, 0.33, 0.14, 0.32, 0.06),
        ages=(0.2, 0.35, 0.2, 0.13, 0.09, 0.03),
        years=(1, 4),
        stay=(0.05, 0.1, 0.2, 0.33, 0.32),
        crosswalk=_weights("39-9032:30 39-1014:30 39-9011:15 39-1022:10 25-9042:10 25-9049:5"),
        core_tasks=_codes("T01 T02 T05 T16 T19 T23 T24 T32"),
        titles_en=_split(
            "Lead Group Leader|lead group leader|Lead GL|Senior Youth Worker|Sr. Youth Worker|"
            "Team Lead|team leader|Head Counselor"
        ),
        titles_es=_split("Líder principal de grupo|lider principal|Líder de equipo"),
        describe_en=_split(
            "I lead a group and help the newer staff plan their activities.|"
            "I run the daily schedule for my team and cover groups when staff are out."
        ),
        describe_es=_split("Dirijo un grupo y apoyo al personal nuevo con sus actividades."),
    ),
    "site_lead": RoleProfile(
        weight=15,
        volunteer_weight=1,
        supervises=0.95,
        team=(3, 20),
        time_use=(25, 30, 25, 20),
        full_time=0.8,
        salaried=0.6,
        hourly=(23.5, 3.5),
        salary_bands=(0.02, 0.15, 0.35, 0.35, 0.1, 0.03),
        education=(0.05, 0.2, 0.1, 0.45, 0.18),
        ages=(0.08, 0.35, 0.27, 0.17, 0.1, 0.03),
        years=(2, 6),
        stay=(0.04, 0.07, 0.15, 0.34, 0.4),
        crosswalk=_weights("39-1014:30 11-9031:20 11-9151:20 39-1022:10 11-9039:10 25-9031:10"),
        core_tasks=_codes("T02 T09 T10 T12 T16 T19 T21 T22 T23 T24 T25 T26 T27 T32"),
        titles_en=_split(
            "Site Coordinator|site coordinator|Site Coord.|Site Supervisor|site supervisor|"
            "Program Coordinator|Site Director|Afterschool Site Lead"
        ),
        titles_es=_split("Coordinadora de sitio|coordinador de sitio|Supervisora de sitio"),
        describe_en=_split(
            "I run the program at one school: staff, schedules, families and paperwork.|"
            "I coordinate the site, hire and coach staff and talk with the principal."
        ),
        describe_es=_split("Coordino el programa en una escuela: personal, horarios y familias."),
    ),
    "program_manager": RoleProfile(
        weight=6,
        volunteer_weight=0,
        supervises=0.95,
        team=(4, 60),
        time_use=(10, 30, 32, 28),
        full_time=0.95,
        salaried=0.9,
        hourly=(28, 4.5),
        salary_bands=(0, 0.03, 0.12, 0.35, 0.35, 0.15),
        education=(0.02, 0.08, 0.05, 0.45, 0.4),
        ages=(0.02, 0.25, 0.33, 0.22, 0.14, 0.04),
        years=(4, 8),
        stay=(0.03, 0.05, 0.12, 0.35, 0.45),
        crosswalk=_weights("11-9151:45 11-9039:25 11-9031:20 25-9031:10"),
        core_tasks=_codes("T16 T19 T22 T25 T29 T33 T35 T36"),
        titles_en=_split(
            "Program Manager|program manager|Prog. Mgr|Regional Director|"
            "Director of Expanded Learning|Director, Expanded Learning|Program Director"
        ),
        titles_es=_split("Gerente de programa|Directora regional|Director de programas"),
        describe_en=_split(
            "I oversee several sites, their budgets, staffing and reports to funders.|"
            "I manage our afterschool programs across the district."
        ),
        describe_es=_split("Superviso varios sitios, su presupuesto y los informes."),
    ),
    "executive": RoleProfile(
        weight=2,
        volunteer_weight=0,
        supervises=0.95,
        team=(8, 200),
        time_use=(5, 25, 30, 40),
        full_time=0.97,
        salaried=0.95,
        hourly=(40, 8),
        salary_bands=(0, 0, 0.05, 0.15, 0.35, 0.45),
        education=(0.01, 0.04, 0.03, 0.37, 0.55),
        ages=(0, 0.1, 0.3, 0.3, 0.22, 0.08),
        years=(8, 10),
        stay=(0.02, 0.04, 0.1, 0.34, 0.5),
        crosswalk=_weights("11-9151:60 11-9039:20 11-9031:20"),
        core_tasks=_codes("T16 T34"),
        titles_en=_split(
            "Executive Director|executive director|Exec. Dir.|CEO|ceo|VP of Programs|"
            "Vice President, Programs"
        ),
        titles_es=_split("Directora ejecutiva|Director ejecutivo|Directora general"),
        describe_en=_split("I lead the organization, raise funds and work with our board."),
        describe_es=_split("Dirijo la organización y busco fondos para los programas."),
    ),
    "specialist": RoleProfile(
        weight=7,
        volunteer_weight=5,
        supervises=0.08,
        team=(1, 3),
        time_use=(70, 3, 20, 7),
        full_time=0.3,
        salaried=0.25,
        hourly=(24, 5),
        salary_bands=(0.1, 0.35, 0.35, 0.15, 0.05, 0),
        education=(0.06, 0.24, 0.1, 0.45, 0.15),
        ages=(0.2, 0.32, 0.2, 0.14, 0.1, 0.04),
        years=(0, 5),
        stay=(0.06, 0.1, 0.2, 0.32, 0.32),
        crosswalk=_weights("25-3021:55 25-3099:20 39-9032:15 25-9049:10"),
        core_tasks=_codes("T01 T37 T16"),
        titles_en=_split(
            "STEM Instructor|stem instructor|Art Teacher|Arts Instructor|Music Instructor|"
            "Dance Instructor|Coding Instructor|Enrichment Specialist|enrichment specialist"
        ),
        titles_es=_split("Instructora de arte|Instructor de STEM|Maestra de música"),
        describe_en=_split("I teach weekly enrichment classes such as robotics and art."),
        describe_es=_split("Doy clases de enriquecimiento como arte y robótica."),
    ),
    "coach": RoleProfile(
        weight=3,
        volunteer_weight=10,
        supervises=0.15,
        team=(1, 4),
        time_use=(76, 4, 14, 6),
        full_time=0.2,
        salaried=0.2,
        hourly=(19, 3),
        salary_bands=(0.15, 0.4, 0.3, 0.12, 0.03, 0),
        education=(0.2, 0.35, 0.12, 0.28, 0.05),
        ages=(0.3, 0.3, 0.18, 0.12, 0.07, 0.03),
        years=(0, 4),
        stay=(0.07, 0.1, 0.2, 0.33, 0.3),
        crosswalk=_weights("27-2022:60 39-9032:30 33-9092:10"),
        core_tasks=_codes("T38 T16"),
        titles_en=_split("Coach|coach|Sports Coach|Sports Leader|PE Coach"),
        titles_es=_split("Entrenador|Entrenadora|Líder deportivo"),
        describe_en=_split("I coach soccer and basketball practices after school."),
        describe_es=_split("Entreno fútbol y básquetbol después de clases."),
    ),
    "tutor": RoleProfile(
        weight=5,
        volunteer_weight=20,
        supervises=0.04,
        team=(1, 3),
        time_use=(80, 2, 10, 8),
        full_time=0.25,
        salaried=0.2,
        hourly=(20, 3.5),
        salary_bands=(0.12, 0.4, 0.33, 0.12, 0.03, 0),
        education=(0.08, 0.35, 0.1, 0.37, 0.1),
        ages=(0.35, 0.28, 0.14, 0.1, 0.09, 0.04),
        years=(0, 3),
        stay=(0.08, 0.12, 0.22, 0.3, 0.28),
        crosswalk=_weights("25-3041:60 25-9042:20 25-9049:10 25-9043:10"),
        core_tasks=_codes("T03 T39 T16"),
        titles_en=_split(
            "Tutor|tutor|Homework Help Staff|Homework helper|Literacy Aide|Reading Tutor|Math tutor"
        ),
        titles_es=_split("Tutora|Tutor de tareas|Asistente de lectoescritura"),
        describe_en=_split("I help students with reading and math in small groups."),
        describe_es=_split("Ayudo a los estudiantes con lectura y matemáticas en grupos pequeños."),
    ),
    "mentor_support": RoleProfile(
        weight=4,
        volunteer_weight=12,
        supervises=0.12,
        team=(1, 5),
        time_use=(60, 5, 15, 20),
        full_time=0.6,
        salaried=0.5,
        hourly=(21, 3),
        salary_bands=(0.05, 0.3, 0.4, 0.2, 0.05, 0),
        education=(0.06, 0.22, 0.1, 0.45, 0.17),
        ages=(0.15, 0.35, 0.22, 0.15, 0.1, 0.03),
        years=(1, 5),
        stay=(0.05, 0.1, 0.2, 0.33, 0.32),
        crosswalk=_weights("21-1093:50 21-1099:30 39-9041:10 21-2021:10"),
        core_tasks=_codes("T04 T12 T16 T18 T40"),
        titles_en=_split(
            "Mentor|mentor|Youth Mentor|Success Coach|Student Success Coach|"
            "Family Engagement Specialist|Family Liaison"
        ),
        titles_es=_split("Mentora|Coach de éxito estudiantil|Enlace con las familias"),
        describe_en=_split("I mentor teens and connect their families with services."),
        describe_es=_split("Acompaño a jóvenes y conecto a sus familias con servicios."),
    ),
    "operations": RoleProfile(
        weight=2,
        volunteer_weight=2,
        supervises=0.4,
        team=(1, 10),
        time_use=(12, 18, 25, 45),
        full_time=0.85,
        salaried=0.6,
        hourly=(24, 4),
        salary_bands=(0.03, 0.2, 0.37, 0.28, 0.1, 0.02),
        education=(0.05, 0.2, 0.12, 0.43, 0.2),
        ages=(0.08, 0.3, 0.27, 0.18, 0.13, 0.04),
        years=(2, 6),
        stay=(0.04, 0.08, 0.16, 0.34, 0.38),
        crosswalk=_weights("25-9031:35 11-9039:20 21-1099:15 39-9099:15 11-9151:15"),
        core_tasks=_codes("T19 T26 T29 T36"),
        titles_en=_split(
            "Trainer|Quality Coach|Data Coordinator|Compliance Specialist|Office Manager|"
            "Administrative Assistant|admin asst"
        ),
        titles_es=_split("Capacitadora|Asistente administrativa|Coordinador de datos"),
        describe_en=_split("I keep attendance data, train staff and handle compliance reports."),
        describe_es=_split("Manejo los datos de asistencia y capacito al personal."),
    ),
    "other": RoleProfile(
        weight=1,
        volunteer_weight=2,
        supervises=0.2,
        team=(1, 6),
        time_use=(50, 10, 20, 20),
        full_time=0.4,
        salaried=0.3,
        hourly=(19, 3),
        salary_bands=(0.1, 0.35, 0.35, 0.15, 0.05, 0),
        education=(0.2, 0.3, 0.12, 0.3, 0.08),
        ages=(0.2, 0.28, 0.2, 0.15, 0.12, 0.05),
        years=(0, 5),
        stay=(0.06, 0.1, 0.22, 0.32, 0.3),
        crosswalk=_weights("39-9099:40 21-1099:20 25-9049:20 39-9011:20"),
        core_tasks=_codes("T16"),
        titles_en=_split("Bus Driver|Cook|Custodian|Front Desk|Volunteer Coordinator"),
        titles_es=_split("Cocinera|Conductor de autobús|Recepcionista"),
        describe_en=_split("I support the program behind the scenes so staff can work with kids."),
        describe_es=_split("Apoyo al programa para que el personal pueda trabajar con los niños."),
    ),
}

# Typical frequency (1 yearly .. 7 hourly) of each task for those who do it.
TASK_FREQUENCY = {
    "T01": 5, "T02": 6, "T03": 5, "T04": 5, "T05": 6, "T06": 4, "T07": 4, "T08": 4,
    "T09": 5, "T10": 4, "T11": 3, "T12": 2, "T13": 5, "T14": 5, "T15": 4, "T16": 5,
    "T17": 2, "T18": 4, "T19": 3, "T20": 3, "T21": 4, "T22": 2, "T23": 4, "T24": 4,
    "T25": 3, "T26": 4, "T27": 4, "T28": 3, "T29": 2, "T30": 2, "T31": 3, "T32": 4,
    "T33": 4, "T34": 2, "T35": 3, "T36": 2, "T37": 4, "T38": 5, "T39": 5, "T40": 3,
}  # fmt: skip
IMPORTANCE_CORE = _Dist({1: 2, 2: 6, 3: 20, 4: 40, 5: 32})
IMPORTANCE_SUPPLEMENTAL = _Dist({1: 8, 2: 22, 3: 35, 4: 25, 5: 10})
FREQUENCY_SHIFT = _Dist({-2: 5, -1: 20, 0: 50, 1: 20, 2: 5})

# Roughly the population in millions: programs and staff follow people.
STATE_WEIGHTS = {
    "CA": 39, "TX": 30, "FL": 22, "NY": 19.5, "PA": 13, "IL": 12.5, "OH": 11.8, "GA": 11,
    "NC": 10.8, "MI": 10, "NJ": 9.3, "VA": 8.7, "WA": 7.8, "AZ": 7.4, "TN": 7.1, "MA": 7,
    "IN": 6.8, "MO": 6.2, "MD": 6.2, "WI": 5.9, "CO": 5.9, "MN": 5.7, "SC": 5.3, "AL": 5.1,
    "LA": 4.6, "KY": 4.5, "OR": 4.2, "OK": 4, "CT": 3.6, "UT": 3.4, "IA": 3.2, "NV": 3.2,
    "AR": 3, "MS": 2.9, "KS": 2.9, "NM": 2.1, "NE": 2, "ID": 1.9, "WV": 1.8, "HI": 1.4,
    "NH": 1.4, "ME": 1.4, "RI": 1.1, "MT": 1.1, "DE": 1, "SD": 0.9, "ND": 0.8, "AK": 0.7,
    "DC": 0.7, "VT": 0.65, "WY": 0.58, "PR": 1.5, "GU": 0.1, "VI": 0.05,
}  # fmt: skip
# Spanish-speaking respondents cluster in a few states.
SPANISH_STATE_BOOST = {"CA": 3, "TX": 3, "FL": 2, "NY": 1.5, "AZ": 2.5, "NM": 3, "PR": 20}
# First three ZIP digits by state (inclusive ranges).
ZIP3_RANGES = {
    "AL": (350, 369), "AK": (995, 999), "AZ": (850, 865), "AR": (716, 729), "CA": (900, 961),
    "CO": (800, 816), "CT": (60, 69), "DE": (197, 199), "DC": (200, 205), "FL": (320, 349),
    "GA": (300, 319), "HI": (967, 968), "ID": (832, 838), "IL": (600, 629), "IN": (460, 479),
    "IA": (500, 528), "KS": (660, 679), "KY": (400, 427), "LA": (700, 714), "ME": (39, 49),
    "MD": (206, 219), "MA": (10, 27), "MI": (480, 499), "MN": (550, 567), "MS": (386, 397),
    "MO": (630, 658), "MT": (590, 599), "NE": (680, 693), "NV": (889, 898), "NH": (30, 38),
    "NJ": (70, 89), "NM": (870, 884), "NY": (100, 149), "NC": (270, 289), "ND": (580, 588),
    "OH": (430, 458), "OK": (730, 749), "OR": (970, 979), "PA": (150, 196), "RI": (28, 29),
    "SC": (290, 299), "SD": (570, 577), "TN": (370, 385), "TX": (750, 799), "UT": (840, 847),
    "VT": (50, 59), "VA": (220, 246), "WA": (980, 994), "WV": (247, 268), "WI": (530, 549),
    "WY": (820, 831), "PR": (6, 9), "GU": (969, 969), "VI": (8, 8),
}  # fmt: skip

SETTINGS = _weights(
    "school_campus:38 community_org:20 ymca_bgc:14 parks_rec:8 library_museum:3 faith_based:4 "
    "camp:5 licensed_childcare:5 tribal:1 other:2"
)
SETTING_BOOST = {
    "coach": _weights("parks_rec:3 ymca_bgc:1.5"),
    "specialist": _weights("library_museum:4 community_org:1.3"),
    "tutor": _weights("school_campus:1.5 library_museum:2"),
    "mentor_support": _weights("community_org:1.8 faith_based:1.5"),
    "program_manager": _weights("community_org:1.3"),
    "executive": _weights("community_org:1.6 ymca_bgc:1.3"),
}
EMPLOYERS = {
    "school_campus": _weights("school_district:45 nonprofit:40 city_county:5 for_profit:6"),
    "community_org": _weights("nonprofit:90 city_county:5"),
    "ymca_bgc": _weights("nonprofit:95"),
    "parks_rec": _weights("city_county:88 nonprofit:8"),
    "library_museum": _weights("city_county:45 nonprofit:50"),
    "faith_based": _weights("nonprofit:92"),
    "camp": _weights("nonprofit:60 for_profit:32 city_county:5"),
    "licensed_childcare": _weights("for_profit:55 nonprofit:38"),
    "tribal": _weights("tribal:90 nonprofit:8"),
    "other": _weights("nonprofit:40 city_county:20 for_profit:20 school_district:10"),
}
EMPLOYER_NAMES = {
    "school_campus": _split("{city} Unified School District|Kids Club at {city} Elementary"),
    "community_org": _split("{city} Youth Center|Bright Futures {city}"),
    "ymca_bgc": _split("YMCA of {city}|Boys & Girls Club of {city}"),
    "parks_rec": _split("{city} Parks and Recreation|City of {city}"),
    "library_museum": _split("{city} Public Library|{city} Science Museum"),
    "faith_based": _split("{city} Community Church|St. Mark's Youth Ministry"),
    "camp": _split("Camp {city}|Sunrise Day Camp"),
    "licensed_childcare": _split("Little Stars Learning Center|{city} Kids Academy"),
    "tribal": _split("Tribal Youth Services|Nation Youth Program"),
    "other": _split("{city} Housing Authority|Community Partners of {city}"),
}
CITIES = _split(
    "Springfield|Riverside|Fairview|Franklin|Greenville|Madison|Oakland|Salem|Georgetown|"
    "Clinton|Arlington|Centerville"
)
EDUCATION = ("high_school_or_less", "some_college", "associate", "bachelor", "graduate")
AGES = ("18_24", "25_34", "35_44", "45_54", "55_64", "65_plus")
AGE_LOW = {"18_24": 18, "25_34": 25, "35_44": 35, "45_54": 45, "55_64": 55, "65_plus": 65}
SALARY_BANDS = ("under_25k", "25k_35k", "35k_45k", "45k_60k", "60k_80k", "over_80k")
HOW_ENTERED = _Dist(
    _weights(
        "as_participant:14 as_volunteer:18 through_school_or_college:22 job_posting:26 "
        "referral:18 other:2"
    )
)
GENDER = _Dist(_weights("woman:68 man:26 nonbinary:2.5 self_describe:0.5 prefer_not:3"))
RACE = _Dist(
    _weights(
        "white:42 hispanic_latino:22 black_african_american:20 asian:7 "
        "american_indian_alaska_native:2 native_hawaiian_pacific_islander:1 "
        "middle_eastern_north_african:1 other:1 prefer_not:4"
    )
)
# Hours of the day (UTC) responses come in: US afternoons and evenings are busiest.
HOUR_OF_DAY = _Dist(
    list(enumerate((6, 4, 3, 2, 1, 1, 1, 1, 1, 1, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 8, 7)))
)

TEXTS = {
    "en": {
        "change_one_thing": _split(
            "Better pay for frontline staff.|More paid planning time.|Smaller group sizes.|"
            "More training on supporting behavior.|Full-time positions with benefits.|"
            "Stable funding from one year to the next."
        ),
        "field_of_study": _split(
            "Education|Psychology|Child Development|Social Work|Recreation|Kinesiology|"
            "Sociology|Early childhood education"
        ),
        "occupation_name": _split(
            "Youth development professional|Afterschool educator|Youth worker|"
            "Out-of-school time professional"
        ),
        "write_in": _split(
            "Drive the program van|Translate for families|Post on the program's social media|"
            "Cover the front desk|Order food for family events"
        ),
    },
    "es": {
        "change_one_thing": _split(
            "Mejor salario para el personal.|Más tiempo pagado para planificar.|"
            "Grupos más pequeños.|Más capacitación sobre el comportamiento.|"
            "Puestos de tiempo completo con beneficios."
        ),
        "field_of_study": _split("Educación|Psicología|Desarrollo infantil|Trabajo social"),
        "occupation_name": _split(
            "Educadora de programas después de clases|Trabajador juvenil|"
            "Profesional del desarrollo juvenil"
        ),
        "write_in": _split(
            "Traducir para las familias|Manejar la camioneta del programa|Atender la recepción"
        ),
    },
}
# What respondents write after choosing "Other", by question.
OTHER_TEXTS = {
    "en": {
        "role": _split("Bus driver|Cook|Front desk|Nurse|Custodian"),
        "setting": _split("Housing authority community room|Hospital youth program"),
        "employer_type": _split("Housing authority|University"),
        "funding": _split("United Way grant|City grant|Private donors"),
        "credentials": _split("Lifeguard certification|Food handler card"),
        "how_entered": _split("Career change from retail|My own kids were in the program"),
        "gender": _split("Genderqueer"),
        "race_ethnicity": _split("Multiracial|Caribbean"),
        "languages_at_work": _split("Vietnamese|Tagalog|Mandarin|Arabic|Haitian Creole"),
    },
    "es": {
        "role": _split("Conductora de autobús|Cocinera|Recepcionista|Enfermera"),
        "setting": _split("Sala comunitaria de vivienda pública"),
        "employer_type": _split("Autoridad de vivienda|Universidad"),
        "funding": _split("Donantes privados|Subvención de la ciudad"),
        "credentials": _split("Certificado de manejo de alimentos"),
        "how_entered": _split("Cambio de carrera|Mis hijos iban al programa"),
        "gender": _split("Género fluido"),
        "race_ethnicity": _split("Multirracial|Caribeña"),
        "languages_at_work": _split("Quechua|Portugués|Mixteco"),
    },
}


PAID_ROLES = _Dist({slug: profile.weight for slug, profile in ROLES.items()})
VOLUNTEER_ROLES = _Dist(
    {slug: profile.volunteer_weight for slug, profile in ROLES.items() if profile.volunteer_weight}
)


@functools.cache
def _stable_unit(*parts: str) -> float:
    """A number in [0, 1) fixed by its parts (Python's own hash() of text changes per run)."""
    return zlib.crc32(":".join(parts).encode()) / 2**32


# --- Generation -------------------------------------------------------------------------


@dataclass
class GenerationSummary:
    """What one run created."""

    responses: int = 0
    answers: int = 0
    ratings: int = 0
    contacts: int = 0
    collectors_created: int = 0
    seconds: float = 0.0
    walked: int = 0  # respondents who walked the survey (the pool, in a pooled run)


@dataclass
class _Persona:
    """Hidden traits of one respondent that several answers depend on."""

    language: str
    is_paid: bool
    role: str
    profile: RoleProfile
    full_time: bool
    age: str
    state: str
    setting: str
    years_in_field: int = 0
    values: dict[str, set[str]] = field(default_factory=dict)  # what conditions see
    answered: set[str] = field(default_factory=set)


@dataclass
class _Plan:
    """One response's answers before they get a response id."""

    language: str
    answers: list[AnswerRow]
    ratings: list[RatingRow]
    profile: dict
    last_page_key: str
    wants_contact: bool
    browser_token_hash: str
    collector: Collector | None
    submitted_at: datetime
    duration_seconds: int
    is_duplicate: bool = False


class _Generator:
    """Draws respondents and their answers from one seeded random stream."""

    def __init__(
        self,
        structure: Structure,
        rng: random.Random,
        collectors: Sequence[Collector],
        anchor: datetime,
    ):
        self.structure = structure
        self.rng = rng
        self.collectors = list(collectors)
        self.anchor = anchor
        self.min_seconds = settings.SURVEY_MIN_SECONDS
        self.role_tasks = {slug: tasks_for_role(slug) for slug in ROLES}
        self.choice_ids = {
            q.id: {c.value: (c.id, c.is_other) for c in q.choice_list}
            for q in structure.questions.values()
        }
        # Per-question choice sets, computed once (not per answer): allowed values, the
        # exclusive ones ("none of these") and the "Other, please say" ones.
        self.known = {
            q.id: frozenset(c.value for c in q.choice_list) for q in structure.questions.values()
        }
        self.exclusive = {
            q.id: frozenset(c.value for c in q.choice_list if c.is_exclusive)
            for q in structure.questions.values()
        }
        self.other_values = {
            q.id: frozenset(c.value for c in q.choice_list if c.is_other)
            for q in structure.questions.values()
        }
        self.recent: list[_Plan] = []
        self.states = _Dist(STATE_WEIGHTS)
        self.states_es = _Dist(
            {s: w * SPANISH_STATE_BOOST.get(s, 0.5) for s, w in STATE_WEIGHTS.items()}
        )
        self.settings = {
            slug: _Dist({k: w * SETTING_BOOST.get(slug, {}).get(k, 1) for k, w in SETTINGS.items()})
            for slug in ROLES
        }
        self.employers = {
            setting: _Dist({**weights, "other": 1, "dont_know": 3})
            for setting, weights in EMPLOYERS.items()
        }
        self.crosswalk = {
            slug: _Dist(
                {
                    **{
                        code: w * 0.75 / sum(p.crosswalk.values())
                        for code, w in p.crosswalk.items()
                    },
                    "none": 0.2,
                    "dont_know": 0.05,
                }
            )
            for slug, p in ROLES.items()
        }
        self.dists = {
            (slug, name): _Dist(list(zip(values, getattr(p, name), strict=True)))
            for slug, p in ROLES.items()
            for name, values in (
                ("education", EDUCATION),
                ("ages", AGES),
                ("salary_bands", SALARY_BANDS),
                ("stay", (1, 2, 3, 4, 5)),
            )
        }
        self.handlers: dict[str, Callable[[_Persona, Question], object]] = {
            "consent": lambda p, q: "yes",
            "eligibility": lambda p, q: "paid" if p.is_paid else "volunteer",
            "role": lambda p, q: p.role,
            "job_title": self._job_title,
            "employer_name": self._employer_name,
            "supervises": lambda p, q: "yes" if self._chance(p.profile.supervises) else "no",
            "supervise_count": lambda p, q: self.rng.randint(*p.profile.team),
            "time_use": self._time_use,
            "setting": lambda p, q: p.setting,
            "employer_type": lambda p, q: self.employers[p.setting].draw(self.rng),
            "funding": self._funding,
            "schedule": self._schedule,
            "months_per_year": self._months,
            "ages_served": self._ages_served,
            "hours_per_week": self._hours,
            "full_time": lambda p, q: "full_time" if p.full_time else "part_time",
            "split_shift": self._split_shift,
            "other_jobs": self._other_jobs,
            "pay_type": self._pay_type,
            "hourly_rate": self._hourly_rate,
            "salary_band": lambda p, q: self.dists[p.role, "salary_bands"].draw(self.rng),
            "benefits": self._benefits,
            "education": self._education,
            "field_of_study": self._field_of_study,
            "enrolled": self._enrolled,
            "credentials": self._credentials,
            "years_in_field": self._years_in_field,
            "years_with_employer": self._years_with_employer,
            "how_entered": lambda p, q: self._maybe(0.85, HOW_ENTERED.draw(self.rng)),
            "stay_1_year": lambda p, q: str(self.dists[p.role, "stay"].draw(self.rng)),
            "stay_3_years": self._stay_3_years,
            "change_one_thing": lambda p, q: self._text(p, "change_one_thing", 0.35),
            "write_in_1": lambda p, q: self._text(p, "write_in", 0.08),
            "write_in_2": lambda p, q: self._write_in_more(p, "write_in_1"),
            "write_in_3": lambda p, q: self._write_in_more(p, "write_in_2"),
            "crosswalk_code": lambda p, q: self.crosswalk[p.role].draw(self.rng),
            "crosswalk_fit": lambda p, q: self.rng.choices("1234", (5, 15, 45, 35))[0],
            "age_band": self._age_band,
            "gender": lambda p, q: self._maybe(0.92, GENDER.draw(self.rng)),
            "race_ethnicity": self._race,
            "languages_at_work": self._languages,
            "state_zip": self._state_zip,
            "describe_work": self._describe_work,
            "occupation_name": lambda p, q: self._text(p, "occupation_name", 0.3),
            "follow_up": lambda p, q: self.rng.choices(["yes", "no", None], (10, 75, 15))[0],
            "contact_email": lambda p, q: EMAIL_DOMAIN,
            "quote_consent": lambda p, q: "anonymous" if self._chance(0.65) else "internal",
        }

    # --- small helpers ---

    def _chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    def _maybe(self, probability: float, value):
        """The value with this probability, else None (an optional question left blank)."""
        return value if self.rng.random() < probability else None

    def _some(self, probabilities: dict[str, float]) -> list[str]:
        return [value for value, p in probabilities.items() if self.rng.random() < p]

    def _text(self, p: _Persona, kind: str, probability: float) -> str | None:
        if self.rng.random() >= probability:
            return None
        return self.rng.choice(TEXTS[p.language][kind])

    # --- one respondent ---

    def plan(self) -> _Plan:
        """Draw one respondent and walk the survey's pages and conditions like the form does."""
        rng = self.rng
        if self.recent and rng.random() < 0.01:
            return self._duplicate(rng.choice(self.recent))
        language = "es" if rng.random() < 0.25 else "en"
        is_paid = rng.random() < 0.92
        role = (PAID_ROLES if is_paid else VOLUNTEER_ROLES).draw(rng)
        profile = ROLES[role]
        persona = _Persona(
            language=language,
            is_paid=is_paid,
            role=role,
            profile=profile,
            full_time=is_paid and rng.random() < profile.full_time,
            age=self.dists[role, "ages"].draw(rng),
            state=(self.states_es if language == "es" else self.states).draw(rng),
            setting=self.settings[role].draw(rng),
        )
        values = persona.values
        answers: list[AnswerRow] = []
        ratings: list[RatingRow] = []
        wants_contact, last_page_key = False, ""
        for page in self.structure.pages:
            if not condition_met(page.condition, values):
                continue
            last_page_key = page.key
            for q in page.question_list:
                if not condition_met(q.condition, values):
                    continue
                if q.type == TASK_MATRIX:
                    ratings = self._ratings(persona)
                    continue
                value = self._answer(persona, q)
                if value is None:
                    continue
                if q.type == EMAIL:
                    wants_contact = True
                    continue
                persona.answered.add(q.key)
                other = self._other_text(persona, q, value)
                answers += _answer_rows(q, value, other, self.choice_ids[q.id])
                condition_value = _condition_value(q, value)
                if condition_value:
                    values[q.key] = condition_value
        duration = self._duration(is_paid)
        return _Plan(
            language=language,
            answers=answers,
            ratings=ratings,
            profile=response_profile(values, self.structure.role_ids),
            last_page_key=last_page_key,
            wants_contact=wants_contact,
            browser_token_hash=digest(f"synthetic-{rng.getrandbits(64):016x}"),
            collector=self._collector(),
            submitted_at=self._submitted_at(),
            duration_seconds=duration,
        )

    def _duplicate(self, original: _Plan) -> _Plan:
        """The same person submitting again from the same browser, a little later."""
        later = original.submitted_at + timedelta(minutes=self.rng.randint(10, 3 * 24 * 60))
        return replace(
            original,
            submitted_at=min(later, self.anchor - timedelta(seconds=1)),
            duration_seconds=self._duration(original.profile["is_eligible_paid"] is not False),
            is_duplicate=True,
        )

    def remember(self, plan: _Plan) -> None:
        """Keep recent originals so a later respondent can submit a duplicate of one."""
        if not plan.is_duplicate:
            self.recent.append(plan)
            if len(self.recent) > 200:
                del self.recent[:100]

    def _duration(self, is_paid: bool) -> int:
        """Seconds taken: 8-25 minutes on the paid path, less for volunteers; 3% too fast."""
        least = self.min_seconds
        if self.rng.random() < 0.03 and least > 30:
            return self.rng.randint(max(30, least // 3), least - 1)
        low, mode, high = (480, 780, 1500) if is_paid else (240, 330, 600)
        low = max(low, least)
        return int(self.rng.triangular(low, max(high, low + 120), max(low, mode)))

    def _submitted_at(self) -> datetime:
        day = self.rng.randrange(SPAN_DAYS)
        hour = HOUR_OF_DAY.draw(self.rng)
        moment = self.anchor - timedelta(
            days=day + 1, hours=-hour, seconds=-self.rng.randrange(3600)
        )
        return min(moment, self.anchor - timedelta(seconds=1))

    def _submitted_epoch(self, anchor: int) -> int:
        """`_submitted_at` as seconds since the epoch (the same draws), for the map rows."""
        day = self.rng.randrange(SPAN_DAYS)
        hour = HOUR_OF_DAY.draw(self.rng)
        return min(anchor - (day + 1) * 86400 + hour * 3600 + self.rng.randrange(3600), anchor - 1)

    def _collector(self) -> Collector | None:
        if not self.collectors or self.rng.random() < 0.3:
            return None
        return self.rng.choice(self.collectors)

    def _answer(self, p: _Persona, q: Question):
        """A valid value for the question: the persona's answer, or a plain valid fallback."""
        handler = self.handlers.get(q.key)
        value = handler(p, q) if handler else None
        if value is not None:
            value = _valid(q, value, self.known[q.id], self.exclusive[q.id])
        if value is None and q.is_required:
            value = self._fallback(q)
        return value

    def _fallback(self, q: Question):
        """Some valid answer for a question this generator has no model for."""
        t = q.type
        plain = [c.value for c in q.choice_list if not c.is_other and not c.is_exclusive]
        if t in (Question.Type.SINGLE_CHOICE, Question.Type.SCALE):
            return self.rng.choice(plain or [c.value for c in q.choice_list])
        if t == Question.Type.MULTI_CHOICE:
            return [self.rng.choice(plain or [c.value for c in q.choice_list])]
        if t == Question.Type.YES_NO:
            return self.rng.choice(["yes", "no"])
        if t == Question.Type.NUMBER:
            low = q.min_value if q.min_value is not None else Decimal(0)
            high = q.max_value if q.max_value is not None else low + 10
            return Decimal(self.rng.randint(int(low), int(high)))
        if t == Question.Type.TIME_USE:
            return _shares(self.rng, [1.0] * len(q.choice_list), len(q.choice_list))
        if t == Question.Type.STATE_ZIP:
            return ("TX", "")
        if t in (Question.Type.SHORT_TEXT, Question.Type.LONG_TEXT):
            return "n/a"
        if t == Question.Type.EMAIL:
            return EMAIL_DOMAIN
        return None

    def _other_text(self, p: _Persona, q: Question, value) -> str:
        other_values = self.other_values[q.id]
        if not other_values:
            return ""
        if isinstance(value, list):
            chose_other = any(v in other_values for v in value)
        else:
            chose_other = isinstance(value, str) and value in other_values
        if not chose_other:
            return ""
        texts = OTHER_TEXTS[p.language].get(q.key) or (
            ("Other",) if p.language == "en" else ("Otro",)
        )
        return self.rng.choice(texts)

    # --- answers by question ---

    def _job_title(self, p: _Persona, q: Question) -> str:
        titles = p.profile.titles_es if p.language == "es" and self._chance(0.7) else None
        title = self.rng.choice(titles or p.profile.titles_en)
        roll = self.rng.random()
        if roll < 0.12:
            return title.lower()
        if roll < 0.15:
            return title.upper()
        return title

    def _employer_name(self, p: _Persona, q: Question) -> str | None:
        if self.rng.random() >= 0.55:
            return None
        templates = EMPLOYER_NAMES.get(p.setting, EMPLOYER_NAMES["other"])
        return self.rng.choice(templates).format(city=self.rng.choice(CITIES))

    def _time_use(self, p: _Persona, q: Question) -> dict[str, int]:
        means = list(p.profile.time_use)
        if p.values.get("supervises") != {"yes"}:
            means[1] = min(means[1], 1)
        keys = [c.value for c in q.choice_list]
        if keys != ["direct", "supervising", "planning", "admin"]:
            means = [1.0] * len(keys)
        return dict(zip(keys, _shares(self.rng, means, 100), strict=True))

    def _funding(self, p: _Persona, q: Question) -> list[str] | None:
        if self.rng.random() < 0.15:
            return None
        unsure = 0.3 if p.role in ("frontline", "coach", "tutor", "specialist") else 0.08
        if self.rng.random() < unsure:
            return ["dont_know"]
        chosen = self._some(
            {"cclc_21st": 0.35, "state_program": 0.3, "ccdf": 0.2, "fees": 0.45, "other": 0.04}
        )
        return chosen or ["fees"]

    def _schedule(self, p: _Persona, q: Question) -> list[str]:
        if p.setting == "camp":
            odds = {"after_school": 0.3, "summer": 0.97, "breaks": 0.4, "weekends_evenings": 0.1}
        else:
            odds = {
                "before_school": 0.28,
                "after_school": 0.93,
                "summer": 0.58,
                "breaks": 0.35,
                "weekends_evenings": 0.12,
            }
        return self._some(odds) or ["after_school"]

    def _months(self, p: _Persona, q: Question) -> int:
        schedule = p.values.get("schedule", set())
        if schedule == {"summer"}:
            return self.rng.randint(2, 3)
        if "summer" in schedule:
            return self.rng.choice([11, 12, 12, 12])
        return self.rng.choice([9, 10, 10, 11])

    def _ages_served(self, p: _Persona, q: Question) -> list[str]:
        teens = 0.7 if p.role in ("mentor_support", "coach") else 0.28
        odds = {"ages_5_10": 0.85, "ages_11_13": 0.5, "ages_14_18": teens, "ages_19_24": 0.05}
        return self._some(odds) or ["ages_5_10"]

    def _hours(self, p: _Persona, q: Question) -> Decimal:
        if p.full_time:
            hours = self.rng.choice([35, 37.5, 40, 40, 40, 40, 45, 50])
        else:
            hours = self.rng.choice([8, 10, 12, 15, 15, 18, 20, 20, 20, 22.5, 25, 25, 28, 30])
        return Decimal(str(hours))

    def _split_shift(self, p: _Persona, q: Question) -> str | None:
        odds = 0.35 if p.role in ("frontline", "lead_frontline", "coach", "tutor") else 0.12
        return self._maybe(0.93, "yes" if self._chance(odds) else "no")

    def _other_jobs(self, p: _Persona, q: Question) -> int | None:
        choices = [0, 0, 0, 0, 1, 1] if p.full_time else [0, 0, 1, 1, 1, 2]
        return self._maybe(0.85, self.rng.choice(choices))

    def _pay_type(self, p: _Persona, q: Question) -> str | None:
        roll = self.rng.random()
        if roll < 0.03:
            return None
        if roll < 0.09:
            return "prefer_not"
        salaried = p.profile.salaried if p.full_time else 0.04
        return "salary" if self._chance(salaried) else "hourly"

    def _hourly_rate(self, p: _Persona, q: Question) -> Decimal | None:
        if self.rng.random() < 0.04:
            return None
        mean, spread = p.profile.hourly
        rate = max(11.0, min(mean + self.rng.gauss(0, spread), mean * 2.5))
        if self.rng.random() < 0.7:
            rate = round(rate * 4) / 4
        return Decimal(f"{rate:.2f}")

    def _benefits(self, p: _Persona, q: Question) -> list[str] | None:
        if self.rng.random() < 0.08:
            return None
        if p.full_time:
            odds = {"health": 0.78, "paid_leave": 0.72, "retirement": 0.55, "paid_planning": 0.4}
        else:
            odds = {"health": 0.12, "paid_leave": 0.3, "retirement": 0.08, "paid_planning": 0.28}
        return self._some(odds) or ["none"]

    def _education(self, p: _Persona, q: Question) -> str:
        if self.rng.random() < 0.03:
            return "prefer_not"
        return self.dists[p.role, "education"].draw(self.rng)

    def _field_of_study(self, p: _Persona, q: Question) -> str | None:
        if p.values.get("education", set()) & {"high_school_or_less", "prefer_not"}:
            return None
        return self._text(p, "field_of_study", 0.5)

    def _enrolled(self, p: _Persona, q: Question) -> str | None:
        young = p.age in ("18_24", "25_34")
        return self._maybe(0.9, "yes" if self._chance(0.4 if young else 0.06) else "no")

    def _credentials(self, p: _Persona, q: Question) -> list[str] | None:
        if self.rng.random() < 0.1:
            return None
        teaching = 0.25 if p.role in ("tutor", "specialist") else 0.06
        odds = {
            "clearances": 0.7,
            "cpr_first_aid": 0.6,
            "school_age_credential": 0.1,
            "youth_work_credential": 0.08,
            "teaching_credential": teaching,
            "other": 0.03,
        }
        return self._some(odds) or ["none"]

    def _years_in_field(self, p: _Persona, q: Question) -> int:
        least, extra = p.profile.years
        # Nobody has worked in the field longer than since about age 16.
        most = AGE_LOW[p.age] - 16 + 9
        p.years_in_field = min(int(least + self.rng.expovariate(1 / extra)), most, 60)
        return p.years_in_field

    def _years_with_employer(self, p: _Persona, q: Question) -> int | None:
        return self._maybe(0.85, self.rng.randint(0, p.years_in_field))

    def _stay_3_years(self, p: _Persona, q: Question) -> str:
        one_year = int(next(iter(p.values.get("stay_1_year", {"3"}))))
        return str(max(1, one_year - self.rng.choice([0, 0, 1, 1, 2])))

    def _write_in_more(self, p: _Persona, before: str) -> str | None:
        if before not in p.answered:
            return None
        return self._text(p, "write_in", 0.3)

    def _age_band(self, p: _Persona, q: Question) -> str | None:
        roll = self.rng.random()
        if roll < 0.06:
            return None
        return "prefer_not" if roll < 0.09 else p.age

    def _race(self, p: _Persona, q: Question) -> list[str] | None:
        if self.rng.random() < 0.08:
            return None
        first = "hispanic_latino" if p.language == "es" and self._chance(0.9) else None
        first = first or RACE.draw(self.rng)
        if first == "prefer_not" or self.rng.random() >= 0.08:
            return [first]
        second = RACE.draw(self.rng)
        return [first] if second in (first, "prefer_not") else [first, second]

    def _languages(self, p: _Persona, q: Question) -> list[str] | None:
        if self.rng.random() < 0.06:
            return None
        spanish = p.language == "es"
        odds = {
            "english": 0.8 if spanish else 0.98,
            "spanish": 0.97 if spanish else 0.22,
            "other": 0.04,
        }
        return self._some(odds) or ["english"]

    def _state_zip(self, p: _Persona, q: Question) -> tuple[str, str] | None:
        if self.rng.random() < 0.05:
            return None
        low, high = ZIP3_RANGES.get(p.state, (0, 0))
        zip3 = f"{self.rng.randint(low, high):03d}" if self.rng.random() < 0.8 and high else ""
        return (p.state, zip3)

    def _describe_work(self, p: _Persona, q: Question) -> str | None:
        if self.rng.random() >= 0.45:
            return None
        profile = p.profile
        return self.rng.choice(profile.describe_es if p.language == "es" else profile.describe_en)

    # --- task ratings ---

    def _ratings(self, p: _Persona) -> list[RatingRow]:
        """Every task shown first to the role, and now and then a few others."""
        role_tasks, others = self.role_tasks[p.role]
        rated = [(task, True) for task in role_tasks]
        extra = 0.5 if p.role == "other" else 0.15
        if others and self.rng.random() < extra:
            k = min(len(others), self.rng.randint(1, 3))
            rated += [(task, False) for task in self.rng.sample(others, k)]
        ratings = []
        for task, shown_first in rated:
            is_core = shown_first and task.code in p.profile.core_tasks
            if is_core:
                relevance = 0.86 + 0.1 * _stable_unit(p.role, task.code)
            elif shown_first:
                relevance = 0.4 + 0.2 * _stable_unit(p.role, task.code)
            else:
                relevance = 0.55
            if self.rng.random() >= relevance:
                ratings.append((task.id, False, None, None, False))
                continue
            importance = (IMPORTANCE_CORE if is_core else IMPORTANCE_SUPPLEMENTAL).draw(self.rng)
            mode = TASK_FREQUENCY.get(task.code, 4) - (0 if shown_first else 1)
            frequency = max(1, min(7, mode + FREQUENCY_SHIFT.draw(self.rng)))
            ratings.append((task.id, True, importance, frequency, True))
        return ratings


def _shares(rng: random.Random, means: Sequence[float], total: int) -> list[int]:
    """Whole-number shares that add up to `total`, scattered around the means (Dirichlet)."""
    draws = [rng.gammavariate(max(mean, 0.1) * 0.2, 1.0) for mean in means]
    whole = sum(draws) or 1.0
    exact = [d * total / whole for d in draws]
    shares = [int(x) for x in exact]
    # Largest remainders get the leftover points.
    order = sorted(range(len(exact)), key=lambda i: exact[i] - shares[i], reverse=True)
    for i in order[: total - sum(shares)]:
        shares[i] += 1
    return shares


def _valid(q: Question, value, known: frozenset, exclusive: frozenset):
    """The value if it is valid for the question (choices exist, numbers in bounds), else None.

    `known` and `exclusive` are the question's choice values and its exclusive ones."""
    t = q.type
    if t in (SINGLE_CHOICE, SCALE):
        return value if value in known else None
    if t == MULTI_CHOICE:
        chosen = [v for v in value if v in known]
        if len(chosen) > 1:
            chosen = [v for v in chosen if v not in exclusive]
        return chosen or None
    if t == Question.Type.NUMBER:
        number = Decimal(value)
        if q.min_value is not None:
            number = max(number, q.min_value)
        if q.max_value is not None:
            number = min(number, q.max_value)
        return number
    if t == Question.Type.TIME_USE:
        return value if set(value) == known and sum(value.values()) == 100 else None
    return value


def _condition_value(q: Question, value) -> set[str] | None:
    """What a condition sees of an answer, as `selectors.answer_values` reads it back."""
    if q.type in (Question.Type.SINGLE_CHOICE, Question.Type.SCALE, Question.Type.YES_NO):
        return {value}
    if q.type == Question.Type.MULTI_CHOICE:
        return set(value)
    if q.type == Question.Type.STATE_ZIP:
        return {value[0]}
    return None


def _check_columns() -> None:
    for model, columns in ((Answer, ANSWER_COLUMNS), (TaskRating, RATING_COLUMNS)):
        actual = tuple(f.attname for f in model._meta.concrete_fields)
        if actual != ("id", "response_id", *columns):
            raise RuntimeError(f"{model.__name__} fields changed to {actual}: update synthetic.py")


def _answer_rows(q: Question, value, other: str, ids: dict[str, tuple[int, bool]]) -> list:
    """Rows (ANSWER_COLUMNS) exactly as `services._answers_for` stores the answer."""
    t, qid = q.type, q.id
    if t in (Question.Type.SINGLE_CHOICE, Question.Type.SCALE):
        choice_id, is_other = ids[value]
        number = int(value) if t == Question.Type.SCALE and value.isdigit() else None
        return [(qid, "", choice_id, other if is_other else "", number, None)]
    if t == Question.Type.MULTI_CHOICE:
        return [(qid, "", ids[v][0], other if ids[v][1] else "", None, None) for v in value]
    if t == Question.Type.YES_NO:
        return [(qid, "", None, "", None, value == "yes")]
    if t == Question.Type.NUMBER:
        return [(qid, "", None, "", Decimal(value), None)]
    if t in (Question.Type.SHORT_TEXT, Question.Type.LONG_TEXT):
        return [(qid, "", None, value, None, None)]
    if t == Question.Type.STATE_ZIP:
        state, zip3 = value
        rows = [(qid, "state", None, state, None, None)]
        return rows + [(qid, "zip3", None, zip3, None, None)] if zip3 else rows
    if t == Question.Type.TIME_USE:
        return [(qid, v[:20], ids[v][0], "", share, None) for v, share in value.items()]
    return []


def _synthetic_collectors(survey: Survey) -> tuple[list[Collector], int]:
    """The survey's active collectors; three synthetic partner links when it has none."""
    existing = list(survey.collectors.filter(is_active=True).order_by("pk"))
    if existing or survey.collectors.exists():
        return existing, 0
    channels = [Collector.Channel.EMAIL, Collector.Channel.SOCIAL, Collector.Channel.EVENT]
    created = []
    for n, channel in enumerate(channels, start=1):
        slug = f"synthetic-partner-{n}"
        if Collector.objects.filter(slug=slug).exists():
            slug = f"synthetic-partner-{survey.pk}-{n}"
        created.append(
            Collector.objects.create(
                survey=survey,
                slug=slug,
                name=f"Synthetic partner {n}",
                organization=f"Synthetic partner network {n}",
                channel=channel,
            )
        )
    return created, len(created)


def synthetic_responses_generate(
    *,
    survey: Survey,
    count: int,
    seed: int = 42,
    batch_size: int = 5000,
    progress: Callable[[int, int, float], None] | None = None,
    pool: int | None = None,
    bulk_load: bool = False,
) -> GenerationSummary:
    """Create `count` synthetic complete responses on the survey's published version.

    Deterministic for a seed (same answers, ratings and profile columns). One transaction
    per batch; `progress(done, count, seconds)` is called after each. On PostgreSQL, when
    `pool` (default `pool_size(count)`) is below `count`, only `pool` respondents walk the
    survey and the others resubmit their answers (see the module docstring).

    `bulk_load` says the database is a fresh one being filled (a benchmark database, no
    response yet): the response, answer and rating tables' non-unique secondary indexes are
    dropped for the resubmissions and built once at the end, then the tables are analysed.
    Refused when responses already exist (dropping indexes would stall anyone using them).
    """
    version = survey_published_version(survey)
    if version is None:
        raise ApplicationError(NO_PUBLISHED_VERSION)
    _check_columns()
    started = time.monotonic()
    if bulk_load and Response.objects.exists():
        raise ApplicationError(BULK_LOAD_NOT_EMPTY)
    structure = version_structure(version)
    collectors, collectors_created = _synthetic_collectors(survey)
    today = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    generator = _Generator(structure, random.Random(seed), collectors, today)
    summary = GenerationSummary(collectors_created=collectors_created)
    batch_size = max(1, batch_size)
    copy = _can_copy()
    walked = min(count, pool_size(count) if pool is None else max(1, pool)) if copy else count
    templates: list[_Template] = []

    def counted(size: int, written: tuple[int, ...]) -> None:
        summary.responses += size
        summary.answers += written[0]
        summary.ratings += written[1]
        summary.contacts += written[2]
        if progress is not None:
            progress(summary.responses, count, time.monotonic() - started)

    while summary.responses < walked:
        size = min(batch_size, walked - summary.responses)
        plans = []
        for _ in range(size):
            plan = generator.plan()
            generator.remember(plan)
            plans.append(plan)
        with transaction.atomic():
            if copy:
                written = _write_copy(version, plans, generator.min_seconds, templates)
            else:
                written = _write_orm(version, plans, generator.min_seconds)
        counted(size, written)
    if summary.responses < count:
        # One transaction for every resubmission: a failed run leaves the tables as they
        # were (indexes included, when a bulk load dropped them).
        with transaction.atomic():
            with connection.cursor() as cursor:
                # Foreign keys checked at each statement's end, not queued to the commit
                # (an index cannot be built on a table with queued checks).
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            _skip_reference_checks()
            rebuild = _drop_secondary_indexes() if bulk_load else []
            _make_template_tables(templates)
            while summary.responses < count:
                size = min(REPLICA_BATCH, count - summary.responses)
                counted(size, _write_replicas(generator, templates, size))
            _build_indexes(rebuild)
    if bulk_load:
        with connection.cursor() as cursor:
            for model in (Response, Answer, TaskRating, RespondentContact):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    summary.walked = walked
    summary.seconds = time.monotonic() - started
    return summary


def _skip_reference_checks() -> bool:
    """For this transaction, skip the foreign-key checks of the copied rows when the
    database role may (a superuser, as in development and the benchmarks).

    The foreign-key trigger costs an index probe per row and reference (three per answer):
    40 of 45 seconds of copying 2.7 million answer rows. Every copied row references what
    its pool row references (question, choice, task: checked when the pool went in) and the
    response inserted just before it, so the checks cannot fail. Elsewhere they run."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        return False
    return True


def _drop_secondary_indexes() -> list[str]:
    """Drop, in the caller's transaction, the response, answer and rating tables' non-unique
    indexes, and the answer and rating tables' primary and unique keys (with the foreign keys
    that point at them: empty coding tables in a fresh database); returns the statements
    that create them all again, keys first.

    Even an append-only primary key costs some 7 microseconds a row to maintain, three
    times the row itself; one sort at the end costs a fraction of that."""
    quote = connection.ops.quote_name
    tables = [Response._meta.db_table, Answer._meta.db_table, TaskRating._meta.db_table]
    keyed = [Answer._meta.db_table, TaskRating._meta.db_table]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i "
            "JOIN pg_class c ON c.relname = i.indexname "
            "JOIN pg_index x ON x.indexrelid = c.oid "
            "WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s) "
            "AND NOT x.indisunique AND NOT x.indisprimary ORDER BY i.indexname",
            [tables],
        )
        indexes = cursor.fetchall()
        # Foreign keys first (they depend on the keys), then the keys.
        cursor.execute(
            "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) "
            "FROM pg_constraint c WHERE c.contype = 'f' "
            "AND c.confrelid = ANY(%s::text[]::regclass[]) ORDER BY 1, 2",
            [keyed],
        )
        references = cursor.fetchall()
        cursor.execute(
            "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) "
            "FROM pg_constraint c WHERE c.contype IN ('p', 'u') "
            "AND c.conrelid = ANY(%s::text[]::regclass[]) ORDER BY c.contype, 1, 2",
            [keyed],
        )
        keys = cursor.fetchall()
        for table, name, _definition in references + keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
    return [
        *(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {d}" for table, name, d in keys),
        *(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {d}" for table, name, d in references),
        *(definition for _name, definition in indexes),
    ]


def _build_indexes(statements: list[str]) -> None:
    if not statements:
        return
    with connection.cursor() as cursor:
        # One sort per index; more memory means fewer merge passes (the session's own
        # setting, given back at the transaction's end).
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for statement in statements:
            cursor.execute(statement)


def pool_size(count: int) -> int:
    """How many respondents a pooled run of `count` walks through the survey."""
    return min(count, max(POOL_MIN, count // POOL_SHARE))


def _can_copy() -> bool:
    """PostgreSQL through psycopg2: rows go in with COPY (else `bulk_create`)."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        return hasattr(cursor.cursor, "copy_expert")


def _write_orm(version: SurveyVersion, plans: list[_Plan], min_seconds: int) -> tuple[int, ...]:
    """One batch with `bulk_create` (SQLite and other databases)."""
    responses = Response.objects.bulk_create(
        [_response(version, plan, min_seconds) for plan in plans]
    )
    answers: list[Answer] = []
    ratings: list[TaskRating] = []
    contacts: list[RespondentContact] = []
    for response, plan in zip(responses, plans, strict=True):
        pk = response.pk
        answers += [Answer(None, pk, *row) for row in plan.answers]
        ratings += [TaskRating(None, pk, *row) for row in plan.ratings]
        if plan.wants_contact:
            contacts.append(_contact(response))
    Answer.objects.bulk_create(answers, batch_size=WRITE_BATCH)
    TaskRating.objects.bulk_create(ratings, batch_size=WRITE_BATCH)
    RespondentContact.objects.bulk_create(contacts, batch_size=WRITE_BATCH)
    return len(answers), len(ratings), len(contacts)


def _write_copy(
    version: SurveyVersion,
    plans: list[_Plan],
    min_seconds: int,
    templates: list[_Template] | None = None,
) -> tuple[int, ...]:
    """One batch with PostgreSQL COPY: response ids are taken from the table's sequence
    first (one query), so answers, ratings and contacts can name them; every other id comes
    from its column default. Values go through each field's own database preparation
    (`pre_save`, `get_db_prep_save`), as `bulk_create` would send them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [Response._meta.db_table, Response._meta.pk.column, len(plans)],
        )
        ids = sorted(row[0] for row in cursor.fetchall())
        responses = [_response(version, plan, min_seconds) for plan in plans]
        for pk, response in zip(ids, responses, strict=True):
            response.pk = pk
        _copy_models(cursor, Response, responses, with_pk=True)
        answers = [(pk, *row) for pk, plan in zip(ids, plans, strict=True) for row in plan.answers]
        _copy_rows(cursor, Answer, ("response_id", *ANSWER_COLUMNS), answers)
        ratings = [(pk, *row) for pk, plan in zip(ids, plans, strict=True) for row in plan.ratings]
        _copy_rows(cursor, TaskRating, ("response_id", *RATING_COLUMNS), ratings)
        contacts = [
            _contact(response)
            for response, plan in zip(responses, plans, strict=True)
            if plan.wants_contact
        ]
        _copy_models(cursor, RespondentContact, contacts, with_pk=False)
    if templates is not None:
        templates += [
            (pk, plan.profile["is_eligible_paid"] is not False, plan.wants_contact)
            for pk, plan in zip(ids, plans, strict=True)
        ]
    return len(answers), len(ratings), len(contacts)


# What a resubmission changes of its pool respondent's response row (every other column is
# copied): the map table's columns, in COPY order, and the SQL that fills each column.
_MAP_COLUMNS = (
    ("new_id", "bigint"),
    ("template_id", "bigint"),
    ("collector_id", "bigint"),
    ("channel", "text"),
    ("submitted_at", "bigint"),  # seconds since the epoch
    ("duration_seconds", "integer"),
    ("browser_token_hash", "text"),
    ("is_too_fast", "boolean"),
    ("is_duplicate", "boolean"),
)
_MAP_TABLE = "synthetic_resubmission_map"
# The pool's answer and rating rows, copied once so each batch reads only them (not the
# growing tables), in the walk's order.
_POOL_TABLE = "synthetic_pool"
_TEMPLATE_TABLES = {Answer: "synthetic_template_answer", TaskRating: "synthetic_template_rating"}


def _make_template_tables(templates: list[_Template]) -> None:
    """Temporary tables of the pool's rows (dropped at the commit), indexed by template,
    and the map table each batch fills."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        # The pool's ids in a table of their own: joined by hash (`= ANY` of a 20,000-long
        # array took minutes at a million).
        cursor.execute(
            f"CREATE TEMPORARY TABLE {_POOL_TABLE} (template_id bigint PRIMARY KEY) ON COMMIT DROP"
        )
        cursor.copy_expert(
            f"COPY {_POOL_TABLE} FROM STDIN",
            io.StringIO("".join(f"{template[0]}\n" for template in templates)),
        )
        cursor.execute(f"ANALYZE {_POOL_TABLE}")
        for model, table in _TEMPLATE_TABLES.items():
            cursor.execute(
                f"CREATE TEMPORARY TABLE {table} ON COMMIT DROP AS "
                f"SELECT x.response_id AS template_id, x.* FROM {quote(model._meta.db_table)} x "
                f"JOIN {_POOL_TABLE} p ON p.template_id = x.response_id"
            )
            cursor.execute(f"CREATE INDEX ON {table} (template_id, id)")
            cursor.execute(f"ANALYZE {table}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {_MAP_TABLE} "
            f"({', '.join(f'{name} {kind}' for name, kind in _MAP_COLUMNS)}) ON COMMIT DROP"
        )
        # Each resubmission's rows are one index probe into the pool's rows, in the map's
        # order (a hash or merge join would sort or spill a million-row map).
        cursor.execute("SET LOCAL enable_hashjoin = off")
        cursor.execute("SET LOCAL enable_mergejoin = off")


def _write_replicas(generator: "_Generator", templates: list[_Template], size: int) -> tuple:
    """`size` resubmissions of pool respondents: Python draws each one's own fields and
    sends them with COPY into the map table; PostgreSQL copies the response, answer and
    rating rows set-based. Contacts (a digest keyed by SECRET_KEY) go with COPY."""
    rng, min_seconds = generator.rng, generator.min_seconds
    quote = connection.ops.quote_name
    web = str(Collector.Channel.WEB)
    anchor = int(generator.anchor.timestamp())
    recent: list[tuple] = []
    buffer = io.StringIO()
    contacts: list[tuple] = []
    collectors = [(c.pk, c.channel) for c in generator.collectors]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [Response._meta.db_table, Response._meta.pk.column, size],
        )
        ids = sorted(row[0] for row in cursor.fetchall())
        for pk in ids:
            if recent and rng.random() < 0.01:
                # The same person again from the same browser, a little later.
                template, token, first = rng.choice(recent)
                submitted = min(first + 60 * rng.randint(10, 3 * 24 * 60), anchor - 1)
                duplicate = "t"
            else:
                template = templates[rng.randrange(len(templates))]
                token = digest(f"synthetic-{rng.getrandbits(64):016x}")
                submitted = generator._submitted_epoch(anchor)
                duplicate = "f"
                recent.append((template, token, submitted))
                if len(recent) > 200:
                    del recent[:100]
            if not collectors or rng.random() < 0.3:
                collector_id, channel = "\\N", web
            else:
                collector_id, channel = rng.choice(collectors)
            duration = generator._duration(template[1])
            buffer.write(
                f"{pk}\t{template[0]}\t{collector_id}\t{channel}\t{submitted}\t{duration}\t"
                f"{token}\t{'t' if duration < min_seconds else 'f'}\t{duplicate}\n"
            )
            if template[2]:
                email = f"synthetic-{pk}@{EMAIL_DOMAIN}"
                contacts.append((pk, email, submitted))
        cursor.execute(f"TRUNCATE {_MAP_TABLE}")
        buffer.seek(0)
        cursor.copy_expert(f"COPY {_MAP_TABLE} FROM STDIN", buffer)
        del buffer
        mapped = {name for name, _kind in _MAP_COLUMNS}
        columns = Response._meta.concrete_fields
        sources = []
        for f in columns:
            if f.primary_key:
                sources.append("m.new_id")
            elif f.attname == "public_id":
                sources.append("gen_random_uuid()")
            elif f.attname == "updated_at":
                sources.append("statement_timestamp()")
            elif f.attname == "submitted_at":
                sources.append("to_timestamp(m.submitted_at)")
            elif f.attname == "started_at":
                sources.append("to_timestamp(m.submitted_at - m.duration_seconds)")
            elif f.attname in mapped:
                sources.append(f"m.{f.attname}")
            else:
                sources.append(f"t.{quote(f.column)}")
        cursor.execute(
            f"INSERT INTO {quote(Response._meta.db_table)} "
            f"({', '.join(quote(f.column) for f in columns)}) "
            f"SELECT {', '.join(sources)} FROM {_MAP_TABLE} m "
            f"JOIN {quote(Response._meta.db_table)} t ON t.id = m.template_id"
        )
        counts = []
        for model, copied in ((Answer, ANSWER_COLUMNS), (TaskRating, RATING_COLUMNS)):
            names = ", ".join(quote(c) for c in copied)
            picked = ", ".join(f"x.{quote(c)}" for c in copied)
            # The map's order and each template's rows in the walk's order: a response's
            # rows side by side, as the walk writes them.
            cursor.execute(
                f"INSERT INTO {quote(model._meta.db_table)} ({quote('response_id')}, {names}) "
                f"SELECT m.new_id, {picked} FROM {_MAP_TABLE} m "
                f"JOIN {_TEMPLATE_TABLES[model]} x ON x.template_id = m.template_id"
            )
            counts.append(cursor.rowcount)
        contact_rows = [
            RespondentContact(
                response_id=pk,
                email=email,
                email_digest=digest(email),
                wants_follow_up=True,
                confirmation_sent_at=datetime.fromtimestamp(at, UTC),
            )
            for pk, email, at in contacts
        ]
        _copy_models(cursor, RespondentContact, contact_rows, with_pk=False)
    return counts[0], counts[1], len(contacts)


# COPY's text format: backslash escapes for the characters that separate values and rows.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_value(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _copy_rows(cursor, model, columns: Sequence[str], rows: Sequence[Sequence]) -> None:
    if not rows:
        return
    quote = connection.ops.quote_name
    text = "".join("\t".join(map(_copy_value, row)) + "\n" for row in rows)
    cursor.copy_expert(
        f"COPY {quote(model._meta.db_table)} ({', '.join(map(quote, columns))}) FROM STDIN",
        io.StringIO(text),
    )


def _copy_models(cursor, model, objects: Sequence, *, with_pk: bool) -> None:
    fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
    rows = [
        [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields] for obj in objects
    ]
    _copy_rows(cursor, model, [f.column for f in fields], rows)


def _response(version: SurveyVersion, plan: _Plan, min_seconds: int) -> Response:
    return Response(
        version=version,
        collector=plan.collector,
        channel=plan.collector.channel if plan.collector else Collector.Channel.WEB,
        status=Response.Status.COMPLETE,
        language=plan.language,
        started_at=plan.submitted_at - timedelta(seconds=plan.duration_seconds),
        submitted_at=plan.submitted_at,
        last_page_key=plan.last_page_key,
        duration_seconds=plan.duration_seconds,
        browser_token_hash=plan.browser_token_hash,
        is_too_fast=plan.duration_seconds < min_seconds,
        is_duplicate=plan.is_duplicate,
        **plan.profile,
    )


def _contact(response: Response) -> RespondentContact:
    email = f"synthetic-{response.pk}@{EMAIL_DOMAIN}"
    return RespondentContact(
        response_id=response.pk,
        email=email,
        email_digest=digest(email),
        wants_follow_up=True,
        # Marked as sent so no confirmation email ever goes to a synthetic address.
        confirmation_sent_at=response.submitted_at,
    )
