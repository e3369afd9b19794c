"""What the council sends about a case: letters (documents made from administrators' templates) and every
email about a case to a resident or their representative."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


class LetterTemplate(models.Model):
    """The words of one kind of letter, as administrators edit them in the product. Django template language:
    the variables are listed on the edit page. Every edit is kept (history), so a letter sent last year can be
    read against the words in force then."""

    kind = models.CharField(max_length=40, unique=True, help_text="Which letter, e.g. 'acknowledgement'.")
    title = models.CharField(max_length=120)
    body = models.TextField()
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title


class Letter(models.Model):
    """One letter sent: the words as sent (after the officer's edits), to whom and where, and its PDF, stored on
    the case as an attachment."""

    case = models.ForeignKey("casework.Case", on_delete=models.CASCADE, related_name="letters")
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=120)
    body = models.TextField(help_text="The text as sent.")
    large_print = models.BooleanField(default=False)
    addressee = models.CharField(max_length=200)
    address = models.TextField(blank=True, help_text="The address block, one line per line; empty when not posted.")
    posted = models.BooleanField(help_text="For posting to the address (false: emailed only, as a restriction says).")
    email = models.EmailField(blank=True, help_text="Where it was emailed; empty when not emailed.")
    document = models.OneToOneField(
        "casework.Attachment", on_delete=models.SET_NULL, null=True, blank=True, related_name="letter"
    )
    sent_at = models.DateTimeField(default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["case", "sent_at"], name="letter_case_sent_idx")]

    def __str__(self):
        return f"{self.title} letter on case {self.case_id}"

    @property
    def delivery(self):
        if self.posted and self.email:
            return "Posted and emailed"
        return "Posted" if self.posted else "Emailed only"


class OutboundEmail(models.Model):
    """An email about a case to a resident or their representative, written before it is sent so that it is
    sent once: its Message-ID is fixed when it is written, and `sent_at` set when the mail server took it."""

    case = models.ForeignKey("casework.Case", on_delete=models.CASCADE, related_name="emails")
    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, null=True, blank=True, related_name="emails")
    to = models.EmailField()
    subject = models.CharField(max_length=250)
    body = models.TextField()
    message_id = models.CharField(max_length=250, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True, help_text="When a worker took it to send.")
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True, help_text="Why the last attempt to send failed.")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["case", "created_at"], name="email_case_created_idx"),
            models.Index(fields=["created_at"], name="email_unsent_idx", condition=models.Q(sent_at__isnull=True)),
        ]

    def __str__(self):
        return f"{self.subject} to {self.to}"
