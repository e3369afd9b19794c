"""What reporting stores: the homes each year's tenant satisfaction measures divide by, the tenant perception
survey's TP09 answers (and the closure survey's, counted apart), the monthly report snapshots, the leadership
list they go to, and each email sent."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone

from casework.models import StockType

# The two stock types the regulator's measures are reported for, apart.
TSM_STOCK_TYPES = [(StockType.LCRA.value, StockType.LCRA.label), (StockType.LCHO.value, StockType.LCHO.label)]


class StockCount(models.Model):
    """Homes owned of one stock type in one reporting year (1 April to 31 March), entered by an
    administrator: the denominator of CH01 (complaints per 1,000 homes)."""

    reporting_year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(2000)], help_text="The year the reporting year starts in: 2024 for 2024/25."
    )
    stock_type = models.CharField(max_length=10, choices=TSM_STOCK_TYPES)
    homes = models.PositiveIntegerField(help_text="Homes owned at the end of the reporting year.")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-reporting_year", "stock_type"]
        constraints = [
            models.UniqueConstraint(fields=["reporting_year", "stock_type"], name="unique_stock_count_per_year")
        ]

    def __str__(self):
        return (
            f"{self.reporting_year}/{(self.reporting_year + 1) % 100:02d} {self.get_stock_type_display()}: {self.homes}"
        )


class Satisfaction(models.TextChoices):
    VERY_SATISFIED = "very_satisfied", "Very satisfied"
    FAIRLY_SATISFIED = "fairly_satisfied", "Fairly satisfied"
    NEITHER = "neither", "Neither satisfied nor dissatisfied"
    FAIRLY_DISSATISFIED = "fairly_dissatisfied", "Fairly dissatisfied"
    VERY_DISSATISFIED = "very_dissatisfied", "Very dissatisfied"


SATISFIED = (Satisfaction.VERY_SATISFIED, Satisfaction.FAIRLY_SATISFIED)


class SurveyAnswer(models.Model):
    """One tenant's answer to the TP09 question, 'How satisfied or dissatisfied are you with [the landlord's]
    approach to complaints handling?': from the perception survey, asked of tenants who said they had complained
    in the last 12 months, or from the closure survey (an answer a ClosureSurvey points at), which is counted
    apart and never in TP09. 'Don't know' answers are not recorded: they are outside TP09's base."""

    answered_on = models.DateField(help_text="The reporting year is the one this day falls in.")
    stock_type = models.CharField(max_length=10, choices=TSM_STOCK_TYPES)
    answer = models.CharField(max_length=20, choices=Satisfaction.choices)
    home = models.ForeignKey("casework.Property", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    survey = models.CharField(max_length=120, blank=True, help_text="e.g. 'Tenant perception survey 2024/25'.")
    reference = models.CharField(
        max_length=60,
        blank=True,
        help_text="The survey's own id of the response, for answers imported from a file: a second import of the "
        "same survey recognises it.",
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-answered_on", "-id"]
        indexes = [models.Index(fields=["answered_on", "stock_type"], name="survey_answer_year_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "reference"], condition=~models.Q(reference=""), name="unique_survey_response"
            )
        ]

    def __str__(self):
        return f"{self.answered_on} {self.get_stock_type_display()}: {self.get_answer_display()}"


class ClosureSurvey(models.Model):
    """The short survey, asking the TP09 question, sent to the resident when their complaint closed: the link's
    token, where it went (forgotten once sent), and the answer it brought, a SurveyAnswer counted apart from
    TP09."""

    complaint = models.OneToOneField("complaints.Complaint", on_delete=models.CASCADE, related_name="closure_survey")
    token = models.CharField(max_length=64, unique=True)
    send_to = models.EmailField(blank=True, help_text="The address it goes to; cleared once it is sent.")
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    answer = models.OneToOneField(
        SurveyAnswer, on_delete=models.SET_NULL, null=True, blank=True, related_name="closure_survey"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Closure survey of {self.complaint_id}"


class MonthlyReport(models.Model):
    """The figures for one month as they stood when the report was generated, kept unchanged so the
    leadership team's copy can be read again later. One per month."""

    month = models.DateField(unique=True, help_text="The first day of the month reported on.")
    figures = models.JSONField()
    generated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-month"]

    def __str__(self):
        return f"Monthly report for {self.month:%B %Y}"


class LeadershipRecipient(models.Model):
    """Someone on the leadership list: the monthly report is emailed to every active entry here and to
    every address in the MONTHLY_REPORT_RECIPIENTS setting."""

    email = models.EmailField(unique=True)
    name = models.CharField(max_length=150, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["email"]
        verbose_name = "leadership list recipient"

    def __str__(self):
        return f"{self.name} <{self.email}>" if self.name else self.email


class MonthlyReportEmail(models.Model):
    """The monthly report's email to one address. Unique per report and address, and claimed with a
    conditional update before sending, so a retry or a second worker never sends it twice."""

    report = models.ForeignKey(MonthlyReport, on_delete=models.CASCADE, related_name="emails")
    email = models.EmailField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["report", "email"]
        constraints = [models.UniqueConstraint(fields=["report", "email"], name="unique_monthly_report_email")]

    def __str__(self):
        return f"{self.report} to {self.email}"


class ComplaintStageFact(models.Model):
    """One row per complaint stage holding what the reports count and group by, with the complaint's issue
    nature, service area, current stage, the kind of its scheme (only the landlord scheme's complaints count in
    CH01 and CH02), the channel it came through, whether it was raised from a service request and the stock type of
    its property copied beside the stage's own dates and results, with whether its acknowledgement was in time.

    Why: a year's figures group about 200,000 stages by issue nature and service area; joining every stage
    to the complaint and case tables (each a million rows) costs far more than reading this narrow table
    through its covering indexes. The rows are written by `reporting.facts` whenever a stage, complaint,
    case or property is saved, and checked nightly against the source tables (bulk imports write rows
    without saving models). Nothing else writes here; nothing reads a case's details from here."""

    stage = models.OneToOneField(
        "complaints.ComplaintStage", on_delete=models.CASCADE, primary_key=True, related_name="fact"
    )
    complaint = models.ForeignKey("complaints.Complaint", on_delete=models.CASCADE, related_name="+")
    number = models.PositiveSmallIntegerField()
    requested_on = models.DateField()
    responded_on = models.DateField(null=True)
    outcome = models.CharField(max_length=20, blank=True)
    within_code_timescale = models.BooleanField(null=True)
    extended = models.BooleanField(default=False)
    working_days_to_respond = models.IntegerField(null=True)
    compensation_pence = models.PositiveIntegerField(default=0)
    issue_nature = models.ForeignKey(
        "casework.IssueNature", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    service_area = models.ForeignKey(
        "casework.ServiceArea", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    complaint_stage = models.PositiveSmallIntegerField(help_text="The stage the complaint has reached.")
    stock_type = models.CharField(
        max_length=10, blank=True, help_text="Of the complaint's property; empty if none or not recorded."
    )
    scheme_kind = models.CharField(
        max_length=30, blank=True, default="", help_text="The kind of scheme of the complaint's procedure version."
    )
    acknowledged_on = models.DateField(null=True)
    acknowledged_in_time = models.BooleanField(
        null=True,
        help_text="Whether the acknowledgement clock that stopped on `acknowledged_on` was met; empty if none did.",
    )
    channel = models.CharField(max_length=20, blank=True, default="", help_text="How the complaint came in.")
    raised_from_service_request = models.BooleanField(
        default=False, help_text="The complaint is about the handling of a service request."
    )

    class Meta:
        indexes = [
            # A year's complaints received (their stage 1 requested) by scheme kind and channel, those raised from a
            # service request, and the stage each reached once answered at stage 1: the self-assessment's 1.5 and
            # 3.1 and the resolution by stage, one read of this index alone (PostgreSQL; first_stage_counts).
            models.Index(
                fields=["requested_on"],
                name="fact_first_stage_idx",
                include=["scheme_kind", "channel", "raised_from_service_request", "complaint_stage", "responded_on"],
                condition=models.Q(number=1),
            ),
            # A year's acknowledgements made and in time, by stage and scheme kind (acknowledgement_counts), read
            # from this index alone (PostgreSQL).
            models.Index(
                fields=["acknowledged_on"],
                name="fact_acknowledged_in_time_idx",
                include=["number", "scheme_kind", "acknowledged_in_time"],
                condition=models.Q(acknowledged_on__isnull=False),
            ),
            # Covering indexes: a period's counts are read from the index alone (PostgreSQL).
            models.Index(
                fields=["requested_on"],
                name="fact_requested_idx",
                include=[
                    "number",
                    "issue_nature",
                    "service_area",
                    "stock_type",
                    "scheme_kind",
                    "complaint_stage",
                    "responded_on",
                ],
            ),
            models.Index(
                fields=["responded_on"],
                name="fact_responded_idx",
                include=[
                    "number",
                    "issue_nature",
                    "service_area",
                    "stock_type",
                    "scheme_kind",
                    "outcome",
                    "within_code_timescale",
                    "extended",
                    "working_days_to_respond",
                    "compensation_pence",
                ],
                condition=models.Q(responded_on__isnull=False),
            ),
        ]

    def __str__(self):
        return f"Stage {self.number} of complaint {self.complaint_id}"


class Measure(models.TextChoices):
    RECEIVED = "received", "Stages received (requested on the day)"
    RESPONDED = "responded", "Stages responded to on the day"
    # Complaints received on the day (their stage 1 requested), by scheme kind, channel, whether raised from a
    # service request, the stage reached and whether stage 1 was answered: the resolution by stage and the
    # self-assessment's channels (reporting.selectors.first_stage_counts).
    FIRST_STAGES = "first_stages", "Complaints received, by channel and the stage reached"
    # Stage acknowledgements made on the day, by stage and scheme kind, `within_code_timescale` saying whether each
    # was within its target (Code 6.2, 6.11; reporting.selectors.acknowledgement_counts).
    ACKNOWLEDGED = "acknowledged", "Stages acknowledged on the day"


class ComplaintFigures(models.Model):
    """What the daily and the monthly figures group stages by, and what they sum."""

    measure = models.CharField(max_length=20, choices=Measure.choices)
    number = models.PositiveSmallIntegerField()
    issue_nature = models.ForeignKey(
        "casework.IssueNature", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    service_area = models.ForeignKey(
        "casework.ServiceArea", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    stock_type = models.CharField(max_length=10, blank=True)
    scheme_kind = models.CharField(max_length=30, blank=True, default="")
    outcome = models.CharField(max_length=20, blank=True)
    within_code_timescale = models.BooleanField(null=True)
    extended = models.BooleanField(default=False)
    stages = models.PositiveIntegerField()
    working_days = models.BigIntegerField(default=0, help_text="Sum of the stages' working days to respond.")
    timed = models.PositiveIntegerField(default=0, help_text="Stages with a working-day count.")
    compensation_pence = models.BigIntegerField(default=0)
    # Grouped by in the first stages' measure alone; the other measures leave them at their defaults, so their rows
    # are not split by them.
    channel = models.CharField(max_length=20, blank=True, default="")
    raised_from_service_request = models.BooleanField(default=False)
    complaint_stage = models.PositiveSmallIntegerField(default=0, help_text="The stage the complaint has reached.")
    answered = models.BooleanField(default=False, help_text="Stage 1 has been responded to.")

    class Meta:
        abstract = True


class DailyComplaintFigures(ComplaintFigures):
    """Stages received and responded to on one day, grouped by everything the reports break them down by.
    Summed from `ComplaintStageFact` for the days a change touches (see `reporting.facts`); a year is then a
    few thousand rows instead of a hundred thousand stages, which keeps the yearly pages fast."""

    day = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["measure", "day"], name="daily_figures_day_idx")]

    def __str__(self):
        return f"{self.day} {self.measure} stage {self.number}: {self.stages}"


class MonthlyComplaintFigures(ComplaintFigures):
    """The daily figures summed per month, over the same groupings: a year's pages read twelve months of these
    rather than 365 days. A day's figures are mostly one row per stage (few stages share a day and everything the
    reports group by), so among 1,000,000 complaints a year of daily figures is about 100,000 rows; its months are
    a few thousand. Whenever a day's figures are summed again, what that changed is added to its month's rows, in
    the same transaction (`reporting.facts`); the nightly check sums every month afresh. Only whole months are read
    from here: a period cut mid-month reads the daily figures."""

    month = models.DateField(help_text="The first day of the month.")
    # Their index is the month's (below): one of their own would only slow the additions.
    issue_nature = models.ForeignKey(
        "casework.IssueNature", on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    service_area = models.ForeignKey(
        "casework.ServiceArea", on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )

    class Meta:
        # A period's months, by measure; the issue nature and service area after them narrow a change's additions
        # (reporting.facts) to the few rows of their group.
        indexes = [
            models.Index(fields=["measure", "month", "issue_nature", "service_area"], name="monthly_figures_month_idx")
        ]
        verbose_name_plural = "monthly complaint figures"

    def __str__(self):
        return f"{self.month:%B %Y} {self.measure} stage {self.number}: {self.stages}"


class Compliance(models.TextChoices):
    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NO = "no", "No"


class SelfAssessmentAnswer(models.Model):
    """The council's answer to one provision of the Code's self-assessment form for a reporting year: whether
    it complies, the evidence it relies on and any commentary (with the date it intends to comply by). The
    figures the data can give are computed, not stored here (`reporting.selectors.self_assessment`)."""

    reporting_year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(2000)], help_text="The year the reporting year starts in: 2024 for 2024/25."
    )
    provision = models.CharField(max_length=10, help_text="The Code's provision, such as 6.2.")
    complies = models.CharField(max_length=10, choices=Compliance.choices, blank=True)
    evidence = models.TextField(blank=True, help_text="The policy section, procedure or record relied on.")
    commentary = models.TextField(blank=True, help_text="Any explanation, and the date by which it will comply.")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-reporting_year", "provision"]
        constraints = [
            models.UniqueConstraint(fields=["reporting_year", "provision"], name="unique_self_assessment_answer")
        ]

    def __str__(self):
        return f"{self.reporting_year}/{(self.reporting_year + 1) % 100:02d} provision {self.provision}"


class PerformanceAnalysis(models.Model):
    """The council's written analysis of a year's complaint handling performance. Code 8.1(b) asks the annual report
    for "a qualitative and quantitative analysis": the report's figures are the quantitative part, this text (by
    the complaints officer or a manager) the qualitative. One per reporting year."""

    MAX_LENGTH = 20_000

    reporting_year = models.PositiveSmallIntegerField(
        unique=True,
        validators=[MinValueValidator(2000)],
        help_text="The year the reporting year starts in: 2024 for 2024/25.",
    )
    analysis = models.TextField(max_length=MAX_LENGTH)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-reporting_year"]
        verbose_name_plural = "performance analyses"

    def __str__(self):
        return f"Analysis of {self.reporting_year}/{(self.reporting_year + 1) % 100:02d} complaint handling performance"


class GoverningBodyResponse(models.Model):
    """The governing body's response to a year's annual complaints performance and service improvement report,
    published alongside it (Code 8.2). One per reporting year, recorded by a manager or an administrator."""

    reporting_year = models.PositiveSmallIntegerField(
        unique=True,
        validators=[MinValueValidator(2000)],
        help_text="The year the reporting year starts in: 2024 for 2024/25.",
    )
    governing_body = models.CharField(
        max_length=200, help_text="Who responded: the committee or cabinet, and the member responsible for complaints."
    )
    responded_on = models.DateField(help_text="The date of the meeting or letter that gave the response.")
    response = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-reporting_year"]

    def __str__(self):
        return f"Governing body's response to the {self.reporting_year}/{(self.reporting_year + 1) % 100:02d} report"


class ClosedYearFigures(models.Model):
    """A closed financial year's stages received and working days to respond, by stage: the five-year trend of
    the annual report reads these rather than summing each year's daily figures again.

    Only years that have ended are stored; the year under way is always summed live. A row is exactly as fresh
    as the daily figures it was summed from: `reporting.facts` recomputes it in the same transaction whenever a
    day of its year is summed again (a stage of that year changed), and the nightly figures check recomputes
    every row. See docs/reporting.md, "The five-year trend"."""

    financial_year = models.PositiveSmallIntegerField(
        unique=True, help_text="The year the financial year starts in: 2024 for 2024/25."
    )
    stages = models.JSONField(help_text='[{"stage": 1, "received": 0, "working_days": 0, "timed": 0}, ...]')
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-financial_year"]
        verbose_name_plural = "closed years' figures"

    def __str__(self):
        return f"Figures of {self.financial_year}/{(self.financial_year + 1) % 100:02d}"
