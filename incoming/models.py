"""Emails taken in from the council's complaints mailbox (MAILBOX_URL), each an item of the Incoming queue until
an officer turns it into a case, files it on one, or sets it aside (docs/mailbox.md)."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class IncomingStatus(models.TextChoices):
    NEW = "new", "New"
    THREADED = "threaded", "Threaded onto its case"
    CONVERTED = "converted", "Made into a case"
    FILED = "filed", "Filed on a case"
    SET_ASIDE = "set_aside", "Set aside"


# What waits for an officer: the Incoming queue's default view.
WAITING = (IncomingStatus.NEW,)


def raw_path(instance, filename):
    return f"mailbox/{timezone.now():%Y/%m}/raw/{filename}"


def attachment_path(instance, filename):
    return f"mailbox/{timezone.now():%Y/%m}/{instance.email_id}/{filename}"


class IncomingEmail(models.Model):
    """One message as it arrived. `message_id` is unique, so a message is taken in once whatever the mailbox
    does (copied, moved, its UIDs renumbered); (folder, uidvalidity, uid) says where it was read from, so a run
    that stopped after storing it but before marking it read does not fetch it again."""

    message_id = models.CharField(max_length=500, unique=True)
    folder = models.CharField(max_length=200, blank=True)
    uidvalidity = models.BigIntegerField(null=True, blank=True)
    uid = models.BigIntegerField(null=True, blank=True)
    received_at = models.DateTimeField(help_text="When the council's mail server received it: day 0 of a case.")
    sent_at = models.DateTimeField(null=True, blank=True, help_text="The sender's Date header.")
    from_address = models.CharField(max_length=320, blank=True)
    from_name = models.CharField(max_length=200, blank=True)
    to_addresses = models.TextField(blank=True)
    subject = models.CharField(max_length=500, blank=True)
    in_reply_to = models.CharField(max_length=1000, blank=True)
    references = models.TextField(blank=True)
    body = models.TextField(blank=True)
    raw = models.FileField(upload_to=raw_path, max_length=300, blank=True)
    raw_size = models.PositiveBigIntegerField(default=0)
    status = models.CharField(max_length=20, choices=IncomingStatus.choices, default=IncomingStatus.NEW)
    set_aside_reason = models.CharField(max_length=300, blank=True)
    problems = models.TextField(blank=True, help_text="What could not be read, one line each.")
    mentioned_reference = models.CharField(
        max_length=30, blank=True, help_text="A case reference it mentions but was not threaded onto (why: docs)."
    )
    case = models.ForeignKey(
        "casework.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="incoming_emails"
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    stored_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["folder", "uidvalidity", "uid"],
                name="incoming_email_unique_uid",
                condition=models.Q(uid__isnull=False),
            )
        ]
        indexes = [models.Index(fields=["status", "received_at"], name="incoming_status_received_idx")]

    def __str__(self):
        return f"{self.from_address}: {self.subject}"

    @property
    def sender(self):
        return f"{self.from_name} <{self.from_address}>" if self.from_name else self.from_address

    @property
    def problem_lines(self):
        return [line for line in self.problems.splitlines() if line]


class IncomingAttachment(models.Model):
    """A file that came with an email; one refused (too large, a type the council does not accept) keeps its
    name and the reason, and no file."""

    email = models.ForeignKey(IncomingEmail, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=300, blank=True)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100, blank=True)
    size_bytes = models.PositiveBigIntegerField(default=0)
    refused_reason = models.CharField(max_length=300, blank=True)
    case_attachment = models.ForeignKey(
        "casework.Attachment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.original_name

    @property
    def refused(self):
        return bool(self.refused_reason)
