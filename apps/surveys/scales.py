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

US_STATES = [
    ("AL", "Alabama"), ("AK", "Alaska"), ("AZ", "Arizona"), ("AR", "Arkansas"),
    ("CA", "California"), ("CO", "Colorado"), ("CT", "Connecticut"), ("DE", "Delaware"),
    ("DC", "District of Columbia"), ("FL", "Florida"), ("GA", "Georgia"), ("HI", "Hawaii"),
    ("ID", "Idaho"), ("IL", "Illinois"), ("IN", "Indiana"), ("IA", "Iowa"), ("KS", "Kansas"),
    ("KY", "Kentucky"), ("LA", "Louisiana"), ("ME", "Maine"), ("MD", "Maryland"),
    ("MA", "Massachusetts"), ("MI", "Michigan"), ("MN", "Minnesota"), ("MS", "Mississippi"),
    ("MO", "Missouri"), ("MT", "Montana"), ("NE", "Nebraska"), ("NV", "Nevada"),
    ("NH", "New Hampshire"), ("NJ", "New Jersey"), ("NM", "New Mexico"), ("NY", "New York"),
    ("NC", "North Carolina"), ("ND", "North Dakota"), ("OH", "Ohio"), ("OK", "Oklahoma"),
    ("OR", "Oregon"), ("PA", "Pennsylvania"), ("RI", "Rhode Island"), ("SC", "South Carolina"),
    ("SD", "South Dakota"), ("TN", "Tennessee"), ("TX", "Texas"), ("UT", "Utah"),
    ("VT", "Vermont"), ("VA", "Virginia"), ("WA", "Washington"), ("WV", "West Virginia"),
    ("WI", "Wisconsin"), ("WY", "Wyoming"), ("AS", "American Samoa"), ("GU", "Guam"),
    ("MP", "Northern Mariana Islands"), ("PR", "Puerto Rico"), ("VI", "U.S. Virgin Islands"),
]  # fmt: skip
STATE_CODES = {code for code, _name in US_STATES}
