"""What the online complaint form keeps beyond the case it makes: one row per form sent."""

from django.db import models
from django.utils import timezone


class OnlineSubmission(models.Model):
    """A complaint or service request sent through the residents' online form.

    `submission_key` is made when the resident starts the form and sent with it, so sending it twice (a double
    click, a retried request, the back button) finds this row instead of making a second case. The sender's
    address is kept only as a keyed hash, for the rate limit. The address the acknowledgement goes to is kept
    until it has been sent, then cleared: the case's resident or representative holds it from then on."""

    submission_key = models.UUIDField(unique=True)
    case = models.OneToOneField(
        "casework.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="online_submission"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    sender_hash = models.CharField(max_length=64, help_text="Keyed hash of the sender's network address.")
    on_behalf = models.BooleanField(default=False, help_text="Sent by someone for the resident.")
    files = models.PositiveSmallIntegerField(default=0)
    acknowledgement_to = models.EmailField(blank=True)
    acknowledgement_claimed_at = models.DateTimeField(null=True, blank=True)
    acknowledgement_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["sender_hash", "submitted_at"], name="online_sender_time_idx")]

    def __str__(self):
        return f"Online submission {self.submission_key}"
