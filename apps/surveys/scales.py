"""Fixed scales and lists used by the survey (O*NET rating scales, US states)."""

from django.utils.translation import gettext_lazy as _

IMPORTANCE_CHOICES = [
    (1, _("Not important")),
    (2, _("Somewhat important")),
    (3, _("Important")),
    (4, _("Very important")),
    (5, _("Extremely important")),
]
# Label 6 is provisional: one O*NET source prints "More than daily".
FREQUENCY_CHOICES = [
    (1, _("Yearly or less")),
    (2, _("More than yearly")),
    (3, _("More than monthly")),
    (4, _("More than weekly")),
    (5, _("Daily")),
    (6, _("Several times daily")),
    (7, _("Hourly or more")),
]
YES_NO_CHOICES = [("yes", _("Yes")), ("no", _("No"))]

# Names through gettext so Spanish pages show "Nueva York", "Carolina del Norte".
US_STATES = [
    ("AL", _("Alabama")), ("AK", _("Alaska")), ("AZ", _("Arizona")), ("AR", _("Arkansas")),
    ("CA", _("California")), ("CO", _("Colorado")), ("CT", _("Connecticut")),
    ("DE", _("Delaware")), ("DC", _("District of Columbia")), ("FL", _("Florida")),
    ("GA", _("Georgia")), ("HI", _("Hawaii")), ("ID", _("Idaho")), ("IL", _("Illinois")),
    ("IN", _("Indiana")), ("IA", _("Iowa")), ("KS", _("Kansas")), ("KY", _("Kentucky")),
    ("LA", _("Louisiana")), ("ME", _("Maine")), ("MD", _("Maryland")),
    ("MA", _("Massachusetts")), ("MI", _("Michigan")), ("MN", _("Minnesota")),
    ("MS", _("Mississippi")), ("MO", _("Missouri")), ("MT", _("Montana")),
    ("NE", _("Nebraska")), ("NV", _("Nevada")), ("NH", _("New Hampshire")),
    ("NJ", _("New Jersey")), ("NM", _("New Mexico")), ("NY", _("New York")),
    ("NC", _("North Carolina")), ("ND", _("North Dakota")), ("OH", _("Ohio")),
    ("OK", _("Oklahoma")), ("OR", _("Oregon")), ("PA", _("Pennsylvania")),
    ("RI", _("Rhode Island")), ("SC", _("South Carolina")), ("SD", _("South Dakota")),
    ("TN", _("Tennessee")), ("TX", _("Texas")), ("UT", _("Utah")), ("VT", _("Vermont")),
    ("VA", _("Virginia")), ("WA", _("Washington")), ("WV", _("West Virginia")),
    ("WI", _("Wisconsin")), ("WY", _("Wyoming")), ("AS", _("American Samoa")),
    ("GU", _("Guam")), ("MP", _("Northern Mariana Islands")), ("PR", _("Puerto Rico")),
    ("VI", _("U.S. Virgin Islands")),
]  # fmt: skip
STATE_CODES = {code for code, _name in US_STATES}


def state_names_en() -> dict[str, str]:
    """Code -> English name, as plain strings (codebooks and exports are in English)."""
    from django.utils import translation

    with translation.override("en"):
        return {code: str(name) for code, name in US_STATES}


def state_name(code: str) -> str:
    return str(dict(US_STATES).get(code, code))


def state_choices() -> list[tuple[str, str]]:
    """States in the order of their names in the active language (accents ignored)."""
    import unicodedata

    def key(pair):
        return unicodedata.normalize("NFKD", str(pair[1])).encode("ascii", "ignore").lower()

    return sorted(((code, str(name)) for code, name in US_STATES), key=key)


def states_led_by(label):
    """Choices for a form's state field, as a callable so they are sorted in the language of
    each request (a list built at import would keep the English order on Spanish pages): a
    blank choice labelled `label`, then state_choices()."""
    return lambda: [("", label), *state_choices()]


# First three ZIP digits per state (USPS prefix ranges). Military prefixes (AA, AE, AP) and
# unassigned prefixes are not listed: any state is accepted with them.
ZIP3_RANGES = {
    "AL": [(350, 369)], "AK": [(995, 999)], "AZ": [(850, 865)], "AR": [(716, 729)],
    "CA": [(900, 961)], "CO": [(800, 816)], "CT": [(60, 69)], "DE": [(197, 199)],
    "DC": [(200, 200), (202, 205), (569, 569)], "FL": [(320, 339), (341, 349)],
    "GA": [(300, 319), (398, 399)], "HI": [(967, 968)], "ID": [(832, 838)],
    "IL": [(600, 629)], "IN": [(460, 479)], "IA": [(500, 528)], "KS": [(660, 679)],
    "KY": [(400, 427)], "LA": [(700, 714)], "ME": [(39, 49)], "MD": [(206, 219)],
    "MA": [(10, 27), (55, 55)], "MI": [(480, 499)], "MN": [(550, 567)],
    "MS": [(386, 397)], "MO": [(630, 658)], "MT": [(590, 599)], "NE": [(680, 693)],
    "NV": [(889, 898)], "NH": [(30, 38)], "NJ": [(70, 89)], "NM": [(870, 884)],
    "NY": [(5, 5), (100, 149)], "NC": [(270, 289)], "ND": [(580, 588)],
    "OH": [(430, 459)], "OK": [(730, 749)], "OR": [(970, 979)], "PA": [(150, 196)],
    "RI": [(28, 29)], "SC": [(290, 299)], "SD": [(570, 577)], "TN": [(370, 385)],
    "TX": [(750, 799), (885, 885)], "UT": [(840, 847)], "VT": [(50, 54), (56, 59)],
    "VA": [(201, 201), (220, 246)], "WA": [(980, 994)], "WV": [(247, 268)],
    "WI": [(530, 549)], "WY": [(820, 831)], "PR": [(6, 7), (9, 9)], "VI": [(8, 8)],
    "GU": [(969, 969)], "MP": [(969, 969)], "AS": [(967, 967)],
}  # fmt: skip


def zip3_states(zip3: str) -> set[str]:
    """The states whose ZIP codes start with these three digits (empty when unknown)."""
    if not (len(zip3) == 3 and zip3.isdigit()):
        return set()
    prefix = int(zip3)
    return {
        state
        for state, ranges in ZIP3_RANGES.items()
        if any(low <= prefix <= high for low, high in ranges)
    }
