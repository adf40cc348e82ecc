"""Every kind of personal data the portal holds, declared once.

The privacy notice renders from this list (both languages), the retention job
(apps.privacy.services.retention_purge) reads its periods and what to purge from it, the
deletion-request page reaches every entry linked to an email address through the deleters
named here, and tests/privacy/test_inventory.py fails when a model gains a field that looks
personal and is not listed here (or in NOT_PERSONAL with a reason).

A period is the name of a setting holding a number of days, so operators change it in one
place and the notice, the job and the tests follow.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Purge:
    """Rows of `model` whose `date_field` is older than the entry's period are deleted."""

    model: str  # "app_label.ModelName"
    date_field: str
    filters: dict = field(default_factory=dict)


@dataclass(frozen=True)
class DataKind:
    key: str
    what: Promise
    why: Promise
    # Where it lives: "app_label.Model.field", "cookie:<name>", "cache:<what>" or "file:<dir>".
    stored_in: tuple[str, ...]
    who_sees: Promise
    how_to_delete: Promise
    # The setting holding the period in days; None when kept for as long as `kept_note` says.
    retention_setting: str | None = None
    kept_note: Promise | None = None  # said instead of, or after, the number of days
    purges: tuple[Purge, ...] = ()
    # Dotted path of the deleter (apps.privacy.registry) that erases this by email address,
    # or None with `not_by_email` saying why an address cannot find it.
    deleter: str | None = None
    not_by_email: Promise | None = None

    @property
    def retention_days(self) -> int | None:
        if self.retention_setting is None:
            return None
        return int(getattr(settings, self.retention_setting))

    @property
    def model_fields(self) -> list[str]:
        return [s for s in self.stored_in if not s.startswith(("cookie:", "cache:", "file:"))]


SURVEY_RESPONSES = "apps.privacy.deleters.survey_responses"
CONTACT_MESSAGES = "apps.privacy.deleters.contact_messages"
SUBSCRIBERS = "apps.privacy.deleters.subscribers"
PARTNER_INVITATIONS = "apps.partners.privacy.partner_invitations"

INVENTORY: tuple[DataKind, ...] = (
    DataKind(
        key="survey-answers",
        what=_(
            "Your answers to the practitioner survey: your role, the tasks you rate, your "
            "setting, state and first three ZIP digits, and anything you write in the free-text "
            "boxes (such as your job title)."
        ),
        why=_(
            "To describe the work of out-of-school-time staff in the proposal with figures "
            "built from many answers."
        ),
        stored_in=(
            "surveys.Answer.text_value",
            "surveys.Answer.number_value",
            "surveys.Response.state",
            "surveys.Response.setting",
            "surveys.Response.language",
            "surveys.PageSubmission.digest",
            "coding.Quote.text",
            "coding.Quote.note",
        ),
        who_sees=_(
            "Reviewers and Editors see totals and averages only, never a group smaller than "
            "the minimum size. Administrators can see single responses, without any contact "
            "details."
        ),
        kept_note=_(
            "Kept until the 2028 revision is complete. The answers hold no name or contact details."
        ),
        how_to_delete=_(
            "Use the private deletion link in your confirmation email, or write to us through "
            "the contact form with the email address you gave: we delete the whole response."
        ),
        deleter=SURVEY_RESPONSES,
    ),
    DataKind(
        key="respondent-contact",
        what=_(
            "The email address you give in the survey for a confirmation, a resume link or a "
            "follow-up, and whether you agreed to be contacted again."
        ),
        why=_("To send you the email you asked for, and to contact you only if you agreed."),
        stored_in=("surveys.RespondentContact.email", "surveys.RespondentContact.email_digest"),
        who_sees=_("Administrators only. It is stored apart from your answers."),
        retention_setting="PERSONAL_DATA_RETENTION_DAYS",
        kept_note=_("after the survey closes; then it is deleted and the answers stay."),
        purges=(),  # by survey closing date: apps.privacy.services.personal_data_purge_expired
        how_to_delete=_(
            "Use the private deletion link in your confirmation email, or write to us through "
            "the contact form."
        ),
        deleter=SURVEY_RESPONSES,
    ),
    DataKind(
        key="resume-links",
        what=_(
            "Private links to finish the survey later. We keep only a scrambled form (hash) "
            "of each link, never the link itself."
        ),
        why=_("So you can save the survey and finish it later, on any device."),
        stored_in=("surveys.ResumeToken.token_hash",),
        who_sees=_("Nobody: the scrambled form cannot be turned back into a link."),
        retention_setting="SURVEY_RESUME_DAYS",
        kept_note=_("after the link is made; expired links are then deleted."),
        purges=(Purge("surveys.ResumeToken", "expires_at", {"__expired__": True}),),
        how_to_delete=_("Deleted with your response (see above), or when the link expires."),
        deleter=SURVEY_RESPONSES,
    ),
    DataKind(
        key="survey-drafts",
        what=_(
            "What you type on a survey page before you send it (a draft), so a closed tab or a "
            "lost connection loses nothing. It is also kept on your phone while you answer."
        ),
        why=_("So you can pick up the page where you left it, on this or another device."),
        stored_in=("surveys.ResponsePage.draft",),
        who_sees=_("Nobody: staff never see drafts, only the answers you send."),
        retention_setting="SURVEY_RESUME_DAYS",
        kept_note=_(
            "after it was typed, at most; sending the page replaces it with your answers. "
            "The copy on your phone expires after the same period."
        ),
        purges=(Purge("surveys.ResponsePage", "draft_at", {"draft__isnull": False}),),
        how_to_delete=_("Deleted with your response (see above), or when the period ends."),
        deleter=SURVEY_RESPONSES,
    ),
    DataKind(
        key="survey-cookie",
        what=_(
            "A cookie in your browser that remembers which survey responses you started here, "
            "and a scrambled form of it stored with the response."
        ),
        why=_("So this browser can take you back to your unfinished survey."),
        stored_in=("cookie:ost_survey", "surveys.Response.browser_token_hash"),
        who_sees=_("Nobody reads it; only the portal uses it to find your draft."),
        retention_setting="SURVEY_RESUME_DAYS",
        kept_note=_("in your browser; you can clear it at any time in your browser settings."),
        how_to_delete=_("Clear the cookie in your browser, or delete your response."),
        deleter=SURVEY_RESPONSES,
    ),
    DataKind(
        key="staff-exports",
        what=_(
            "Files staff export from the survey: answers for analysis and, for "
            "Administrators only, the list of contact addresses."
        ),
        why=_("To analyse the answers and, where you agreed, to contact you."),
        stored_in=("file:EXPORTS_DIR", "exports.ExportJob.error_message"),
        who_sees=_("The staff member who made the file; contact lists only Administrators."),
        retention_setting="EXPORTS_KEEP_DAYS",
        kept_note=_("then the file is deleted."),
        how_to_delete=_("It is deleted automatically at the end of the period."),
        deleter=None,
        not_by_email=_("Files are deleted within days; the records they came from are erased."),
    ),
    DataKind(
        key="comment-fingerprints",
        what=_(
            "A numeric fingerprint of each draft made with the comment builder. It holds no "
            "text, no name and no address."
        ),
        why=_(
            "To warn you when your draft is nearly identical to many others, because "
            "many copies of the same words add little beyond the first."
        ),
        stored_in=("comments.DraftFingerprint.signature", "comments.DraftBand.value"),
        who_sees=_("Nobody; staff see only totals."),
        retention_setting="COMMENT_FINGERPRINT_RETENTION_DAYS",
        kept_note=_("then it is deleted."),
        purges=(Purge("comments.DraftFingerprint", "created_at"),),
        how_to_delete=_("It is deleted automatically at the end of the period."),
        not_by_email=_("A fingerprint is not linked to any person or address."),
    ),
    DataKind(
        key="comment-submissions",
        what=_(
            "When you tell us you sent a federal comment: your role, your state and a "
            "scrambled form of the tracking number."
        ),
        why=_("To count each comment sent once, by role and state."),
        stored_in=("comments.SubmissionRecord.tracking_hash",),
        who_sees=_("Nobody sees single records; staff see only totals."),
        kept_note=_("Kept until the 2028 revision is complete."),
        how_to_delete=_("Ask us through the contact form."),
        not_by_email=_("These records store no email address or name."),
    ),
    DataKind(
        key="rate-limit-keys",
        what=_(
            "A short-lived counter of form submissions per internet (IP) address, kept in a "
            "scrambled form."
        ),
        why=_("To stop automated abuse of the forms."),
        stored_in=("cache:rate limits",),
        who_sees=_("Nobody; it is never written to the database."),
        kept_note=_("Kept for one hour at most, then it expires by itself."),
        how_to_delete=_("It expires by itself within an hour."),
        not_by_email=_("A counter is not linked to any address."),
    ),
    DataKind(
        key="contact-messages",
        what=_(
            "What you send through the contact form: your name if you give it, your email "
            "address, your organization and your message."
        ),
        why=_("To answer you."),
        stored_in=(
            "pages.ContactMessage.name",
            "pages.ContactMessage.email",
            "pages.ContactMessage.organization",
            "pages.ContactMessage.message",
            "pages.ContactMessage.last_error",
        ),
        who_sees=_(
            "Staff of the California AfterSchool Network and the Afterschool Alliance who "
            "receive the messages, and Administrators."
        ),
        retention_setting="CONTACT_MESSAGE_RETENTION_DAYS",
        kept_note=_("then it is deleted."),
        purges=(Purge("pages.ContactMessage", "created_at"),),
        how_to_delete=_("Write to us through the contact form and ask us to delete it."),
        deleter=CONTACT_MESSAGES,
    ),
    DataKind(
        key="updates-subscribers",
        what=_(
            "Your email address, language and topics when you sign up for email updates, and "
            "when you confirmed."
        ),
        why=_("To send the updates you chose, and nothing else."),
        stored_in=("mailings.Subscriber.email", "mailings.Subscriber.key"),
        who_sees=_("Administrators. Editors see only how many people chose each topic."),
        retention_setting="MAILINGS_INACTIVE_RETENTION_DAYS",
        kept_note=_(
            "after you unsubscribe, or after a sign-up you never confirmed; while you are "
            "subscribed it is kept."
        ),
        purges=(
            Purge("mailings.Subscriber", "unsubscribed_at", {"status": "unsubscribed"}),
            Purge("mailings.Subscriber", "created_at", {"status": "pending"}),
        ),
        how_to_delete=_(
            "Use the unsubscribe link in any message, or ask us through the contact form."
        ),
        deleter=SUBSCRIBERS,
    ),
    DataKind(
        key="draft-comments",
        what=_(
            "Comments on a published draft of the proposal: the comment, and your name, "
            "organization, role and state if you give them."
        ),
        why=_("To improve the proposal; approved comments are shown with the draft."),
        stored_in=(
            "proposals.ProposalComment.name",
            "proposals.ProposalComment.organization",
            "proposals.ProposalComment.body",
            "proposals.ProposalComment.disposition_reason",
        ),
        who_sees=_("Editors, who approve comments; approved comments are public."),
        kept_note=_("Kept with the draft they comment on."),
        how_to_delete=_("Ask us through the contact form, quoting your comment."),
        not_by_email=_("These comments store no email address."),
    ),
    DataKind(
        key="staff-accounts",
        what=_(
            "Staff accounts: name, email address, password (scrambled), two-step sign-in "
            "devices, sessions and sign-in attempts with their internet address."
        ),
        why=_("To let staff sign in safely and to stop password guessing."),
        stored_in=(
            "accounts.User.email",
            "accounts.User.username",
            "accounts.User.first_name",
            "accounts.User.last_name",
            "sessions.Session.session_data",
            "axes.AccessAttempt.ip_address",
            "axes.AccessAttempt.username",
            "axes.AccessAttempt.user_agent",
            "axes.AccessAttempt.get_data",
            "axes.AccessAttempt.post_data",
            "axes.AccessLog.ip_address",
            "axes.AccessLog.session_hash",
            "axes.AccessLog.username",
            "axes.AccessLog.user_agent",
            "axes.AccessFailureLog.ip_address",
            "axes.AccessFailureLog.username",
            "axes.AccessFailureLog.user_agent",
            "otp_totp.TOTPDevice.name",
            "otp_static.StaticDevice.name",
            "otp_static.StaticToken.token",
        ),
        who_sees=_("Administrators."),
        retention_setting="AUDIT_LOG_RETENTION_DAYS",
        kept_note=_(
            "for sign-in records; an account is kept while the person works on the portal."
        ),
        purges=(
            Purge("axes.AccessLog", "attempt_time"),
            Purge("axes.AccessFailureLog", "attempt_time"),
        ),
        how_to_delete=_("An Administrator removes the account when the person leaves."),
        not_by_email=_(
            "Staff accounts are removed by an Administrator, so that the audit log keeps "
            "who did what."
        ),
    ),
    DataKind(
        key="partner-invitations",
        what=_(
            "Invitations to a partner organization's account: the address invited, who "
            "invited it and when the invitation was used."
        ),
        why=_("To let a partner contact create their account, and to show who invited whom."),
        stored_in=("partners.Invitation.email",),
        who_sees=_("Administrators."),
        kept_note=_(
            "while the partner organization works with the campaign, or until a deletion request."
        ),
        how_to_delete=_("Ask us by email: an Administrator deletes them by address."),
        deleter=PARTNER_INVITATIONS,
    ),
    DataKind(
        key="audit-log",
        what=_(
            "The audit log of staff actions: who did what and when, with the internet "
            "address it came from."
        ),
        why=_("To keep staff accountable for what they change, export or delete."),
        stored_in=(
            "core.AuditEvent.actor_label",
            "core.AuditEvent.ip_address",
            "admin.LogEntry.change_message",
            "admin.LogEntry.object_id",
        ),
        who_sees=_("Administrators."),
        retention_setting="AUDIT_LOG_RETENTION_DAYS",
        kept_note=_("then it is deleted."),
        purges=(
            Purge("core.AuditEvent", "created_at"),
            Purge("admin.LogEntry", "action_time"),
        ),
        how_to_delete=_("It is deleted automatically at the end of the period."),
        not_by_email=_("It records staff actions, never the address of a member of the public."),
    ),
)

# Fields that match the personal-data pattern but hold none, each with the reason.
NOT_PERSONAL: dict[str, str] = {
    "pages.Organization.name": "name of a workgroup organization, published",
    "pages.SiteSettings.contact_recipients": "staff addresses chosen by Administrators",
    "surveys.Collector.name": "staff label for a survey link",
    "surveys.Collector.organization": "partner organization a survey link is made for",
    "partners.Partner.name": "name of a partner organization, not of a person",
    "partners.ApiToken.token_hash": "SHA-256 of an organization's API key, not a person's data",
    "insights.RepresentationTarget.value": "staff-entered target share",
    "insights.SliceCount.value": "aggregate figure (count), never a single response",
    "insights.SliceTask.value": "aggregate figure for a task, never a single response",
    "insights.SavedView.name": "staff label for a saved dashboard view",
    "proposals.ProposalExport.error_message": "technical error text",
    "mailings.AnnouncementSend.error_message": "the job runner's fixed message to staff",
    "proposals.EvidenceBlock.fingerprint": "hash of the figures behind a proposal block",
    "proposals.ProposalComment.section_key": "which proposal section",
    "comments.DraftFingerprint.key": "random id of a fingerprint, linked to nobody",
    "comments.DraftBand.fingerprint": "link between two fingerprint rows",
    "mailings.MailingSettings.blocked_domains": "list of disposable email domains",
    "auth.Permission.name": "Django permission label",
    "auth.Group.name": "role name",
}
# Models whose rows are written by staff for publication (pages, questions, notices...):
# their text fields hold published content, not data about a visitor.
STAFF_CONTENT_MODELS = {
    "pages.Page",
    "pages.FAQEntry",
    "pages.GlossaryTerm",
    "pages.Milestone",
    "pages.Occupation",
    "surveys.Task",
    "surveys.Survey",
    "surveys.SurveyVersion",
    "surveys.SurveyPage",
    "surveys.Question",
    "surveys.Choice",
    "surveys.Role",
    "proposals.Proposal",
    "proposals.ProposalSection",
    "proposals.ProposalVersion",
    "proposals.EvidenceBlock",
    "notices.Notice",
    "notices.ToolkitSection",
    "notices.TalkingPoint",
    "notices.SampleComment",
    "notices.SocialPost",
    "mailings.Announcement",
    "coding.Code",
}


def inventory_entry(key: str) -> DataKind:
    for entry in INVENTORY:
        if entry.key == key:
            return entry
    raise KeyError(key)


def retention_days(key: str) -> int:
    """The period of one entry, for the retention jobs."""
    days = inventory_entry(key).retention_days
    if days is None:
        raise ValueError(f"{key} has no retention period")
    return days
