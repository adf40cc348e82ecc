"""Built-in list of disposable (throwaway) email domains refused at sign-up.

Kept short on purpose: the best-known services. Editors add more in the admin (Email update
settings), and MAILINGS_DISPOSABLE_DOMAINS in the settings replaces this list.
"""

DISPOSABLE_DOMAINS = frozenset(
    {
        "10minutemail.com",
        "burnermail.io",
        "discard.email",
        "dispostable.com",
        "emailondeck.com",
        "fakeinbox.com",
        "getnada.com",
        "guerrillamail.com",
        "guerrillamail.net",
        "mailinator.com",
        "maildrop.cc",
        "mailnesia.com",
        "mintemail.com",
        "mohmal.com",
        "sharklasers.com",
        "spamgourmet.com",
        "temp-mail.org",
        "tempmail.com",
        "throwawaymail.com",
        "trashmail.com",
        "yopmail.com",
    }
)
