"""The reports' JSON, described field by field so the OpenAPI schema documents every figure. Percentages
and averages are decimals given as strings (one decimal place); null means there was nothing to divide by."""

from rest_framework import serializers

from ombudsman.api.serializers import NonComplianceFindingSerializer, OmbudsmanPublicationSerializer
from reporting.models import MonthlyReport

PCT = {"max_digits": 7, "decimal_places": 1, "allow_null": True}


class PeriodSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    label = serializers.CharField()


class WorkLinksSerializer(serializers.Serializer):
    open = serializers.CharField(allow_null=True, required=False, help_text="The queue, filtered to these cases.")
    due_today = serializers.CharField(allow_null=True, required=False)
    due_soon = serializers.CharField(allow_null=True, required=False)
    overdue = serializers.CharField(allow_null=True, required=False)
    acknowledgement_overdue = serializers.CharField(allow_null=True, required=False)
    opened_recently = serializers.CharField(allow_null=True, required=False)
    closed_recently = serializers.CharField(allow_null=True, required=False)


class WorkFiguresSerializer(serializers.Serializer):
    open = serializers.IntegerField()
    due_today = serializers.IntegerField()
    due_soon = serializers.IntegerField(help_text="Due after today and within 3 working days.")
    overdue = serializers.IntegerField()
    acknowledgement_overdue = serializers.IntegerField()
    links = WorkLinksSerializer()


class DashboardKindSerializer(WorkFiguresSerializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    opened_recently = serializers.IntegerField(help_text="Received in the last 7 days.")
    closed_recently = serializers.IntegerField(help_text="Closed in the last 7 days.")


class DashboardTeamSerializer(WorkFiguresSerializer):
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    team_id = serializers.IntegerField(allow_null=True)
    team = serializers.CharField()


class DashboardOfficerSerializer(WorkFiguresSerializer):
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    officer_id = serializers.IntegerField(allow_null=True)
    officer = serializers.CharField()


class DashboardSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    due_soon_until = serializers.DateField()
    recent_since = serializers.DateField()
    kinds = DashboardKindSerializer(many=True)
    teams = DashboardTeamSerializer(many=True)
    officers = DashboardOfficerSerializer(many=True)


class OutcomeFields(serializers.Serializer):
    upheld = serializers.IntegerField()
    partly_upheld = serializers.IntegerField()
    not_upheld = serializers.IntegerField()
    decided = serializers.IntegerField()
    percent_upheld = serializers.DecimalField(**PCT, help_text="Partly upheld counts as upheld.")


class TimelinessFields(serializers.Serializer):
    responded = serializers.IntegerField()
    within_target = serializers.IntegerField()
    percent_within_target = serializers.DecimalField(**PCT, help_text="Code-compliant extensions count as in time.")
    within_target_without_extension = serializers.IntegerField()
    percent_within_target_without_extension = serializers.DecimalField(**PCT)
    average_working_days = serializers.DecimalField(**PCT)


class HeadlineSerializer(OutcomeFields, TimelinessFields):
    received = serializers.IntegerField()
    received_previous = serializers.IntegerField()
    variance_percent = serializers.DecimalField(**PCT)
    compensation_pence = serializers.IntegerField()


class EscalationSerializer(serializers.Serializer):
    stage_1 = serializers.IntegerField()
    stage_2 = serializers.IntegerField()
    rate_percent = serializers.DecimalField(**PCT)
    rate_percent_whole = serializers.DecimalField(max_digits=5, decimal_places=0, allow_null=True)


class StageCountSerializer(serializers.Serializer):
    stage = serializers.IntegerField()
    received = serializers.IntegerField()


class MonthSerializer(serializers.Serializer):
    month = serializers.DateField()
    stages = StageCountSerializer(many=True)
    total = serializers.IntegerField()
    year_to_date_average = serializers.DecimalField(max_digits=9, decimal_places=0, allow_null=True)
    rise_percent = serializers.DecimalField(max_digits=9, decimal_places=0, allow_null=True)
    enquiries = serializers.IntegerField()
    enquiries_year_to_date_average = serializers.DecimalField(max_digits=9, decimal_places=0, allow_null=True)
    enquiries_rise_percent = serializers.DecimalField(max_digits=9, decimal_places=0, allow_null=True)
    link = serializers.CharField(allow_null=True)


class ByStageSerializer(OutcomeFields, TimelinessFields):
    stage = serializers.IntegerField()
    received = serializers.IntegerField()
    received_previous = serializers.IntegerField()


class ByIssueNatureSerializer(OutcomeFields, TimelinessFields):
    issue_nature_id = serializers.IntegerField()
    issue_nature = serializers.CharField()
    received_previous = serializers.IntegerField()
    received = serializers.IntegerField()
    variance = serializers.IntegerField()
    variance_percent = serializers.DecimalField(**PCT, help_text="Null when the year before had none.")
    upheld_previous = serializers.IntegerField()
    upheld_current = serializers.IntegerField()
    upheld_variance = serializers.IntegerField()
    upheld_variance_percent = serializers.DecimalField(**PCT)
    link = serializers.CharField(allow_null=True)


class ByServiceAreaSerializer(OutcomeFields, TimelinessFields):
    service_area_id = serializers.IntegerField()
    service_area = serializers.CharField()
    received = serializers.IntegerField()
    link = serializers.CharField(allow_null=True)


class EnquiryFiguresSerializer(serializers.Serializer):
    received = serializers.IntegerField()
    responded = serializers.IntegerField()
    on_time = serializers.IntegerField()
    percent_on_time = serializers.DecimalField(**PCT)
    average_working_days = serializers.DecimalField(**PCT)


class EnquiryMemberSerializer(EnquiryFiguresSerializer):
    member_id = serializers.IntegerField()
    member = serializers.CharField()


class EnquiryAreaSerializer(EnquiryFiguresSerializer):
    service_area_id = serializers.IntegerField()
    service_area = serializers.CharField()


class EnquiriesSerializer(serializers.Serializer):
    total = EnquiryFiguresSerializer(allow_null=True)
    by_member = EnquiryMemberSerializer(many=True)
    by_service_area = EnquiryAreaSerializer(many=True)


class ColumnSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()


class TableSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    columns = ColumnSerializer(many=True)
    rows = serializers.ListField(
        child=serializers.DictField(), help_text="One object per row, keyed by the columns' keys."
    )
    note = serializers.CharField(required=False, allow_blank=True)


class SectionSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="ombudsman or learning")
    title = serializers.CharField()
    tables = TableSerializer(many=True)


class FiltersSerializer(serializers.Serializer):
    service_area = serializers.DictField(allow_null=True)
    issue_nature = serializers.DictField(allow_null=True)
    average_until = serializers.DateField(allow_null=True)


class PerformanceSerializer(serializers.Serializer):
    period = PeriodSerializer()
    previous_period = PeriodSerializer()
    filters = FiltersSerializer()
    headline = HeadlineSerializer()
    escalation = EscalationSerializer()
    months = MonthSerializer(many=True)
    by_stage = ByStageSerializer(many=True)
    by_issue_nature = ByIssueNatureSerializer(many=True)
    by_service_area = ByServiceAreaSerializer(many=True)
    enquiries = EnquiriesSerializer()
    sections = SectionSerializer(many=True)


class MeasureSerializer(serializers.Serializer):
    stock_type = serializers.CharField()
    stock_type_label = serializers.CharField()
    homes = serializers.IntegerField(allow_null=True)
    stage_1_received = serializers.IntegerField()
    stage_2_received = serializers.IntegerField()
    ch01_1 = serializers.DecimalField(**PCT, help_text="Stage 1 complaints per 1,000 homes.")
    ch01_2 = serializers.DecimalField(**PCT, help_text="Stage 2 complaints per 1,000 homes.")
    stage_1_responded = serializers.IntegerField()
    stage_1_within_timescale = serializers.IntegerField()
    ch02_1 = serializers.DecimalField(**PCT)
    stage_2_responded = serializers.IntegerField()
    stage_2_within_timescale = serializers.IntegerField()
    ch02_2 = serializers.DecimalField(**PCT)
    survey_answers = serializers.IntegerField(help_text="The tenant perception survey's answers in TP09's base.")
    satisfied = serializers.IntegerField()
    tp09 = serializers.DecimalField(**PCT)
    closure_survey_answers = serializers.IntegerField(
        help_text="Answers to the survey sent as a complaint closes: not part of TP09, counted apart."
    )
    closure_survey_satisfied = serializers.IntegerField()
    closure_survey_percent = serializers.DecimalField(**PCT)


class UnknownStockSerializer(serializers.Serializer):
    stock_type = serializers.CharField(allow_blank=True)
    stock_type_label = serializers.CharField()
    stage_1_received = serializers.IntegerField()
    stage_2_received = serializers.IntegerField()
    stage_1_responded = serializers.IntegerField()
    stage_1_within_timescale = serializers.IntegerField()
    stage_2_responded = serializers.IntegerField()
    stage_2_within_timescale = serializers.IntegerField()


class ExcludedSerializer(serializers.Serializer):
    other_stock = serializers.IntegerField(help_text="Landlord complaint stages about leasehold or other homes.")
    other_schemes = serializers.IntegerField(help_text="Stages of complaints under other schemes.")


class TenantSatisfactionSerializer(serializers.Serializer):
    reporting_year = serializers.IntegerField()
    period = PeriodSerializer()
    measures = MeasureSerializer(many=True)
    unknown_stock = UnknownStockSerializer(help_text="Landlord complaints about homes of no recorded stock type.")
    excluded = ExcludedSerializer()
    stock_known_percent = serializers.DecimalField(**PCT)


class OpenWorkSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    kinds = DashboardKindSerializer(many=True)


class RiseSerializer(serializers.Serializer):
    received = serializers.IntegerField()
    year_to_date_average = serializers.DecimalField(max_digits=9, decimal_places=0, allow_null=True)
    rise_percent = serializers.DecimalField(max_digits=9, decimal_places=0, allow_null=True)
    enquiries = serializers.IntegerField()
    enquiries_year_to_date_average = serializers.DecimalField(max_digits=9, decimal_places=0, allow_null=True)
    enquiries_rise_percent = serializers.DecimalField(max_digits=9, decimal_places=0, allow_null=True)


class MonthlyFiguresSerializer(serializers.Serializer):
    month = serializers.DateField()
    period = PeriodSerializer()
    headline = HeadlineSerializer()
    escalation = EscalationSerializer()
    rise = RiseSerializer()
    by_stage = ByStageSerializer(many=True)
    by_service_area = ByServiceAreaSerializer(many=True)
    by_issue_nature = ByIssueNatureSerializer(many=True)
    enquiries = EnquiriesSerializer()
    open_work = OpenWorkSerializer()
    sections = SectionSerializer(many=True)


class MonthlyReportListSerializer(serializers.ModelSerializer):
    month = serializers.SerializerMethodField()

    class Meta:
        model = MonthlyReport
        fields = ["month", "generated_at"]

    def get_month(self, report) -> str:
        return report.month.strftime("%Y-%m")


class MonthlyReportSerializer(MonthlyReportListSerializer):
    figures = MonthlyFiguresSerializer()

    class Meta(MonthlyReportListSerializer.Meta):
        fields = ["month", "generated_at", "figures"]


class ResolutionSerializer(serializers.Serializer):
    stage = serializers.IntegerField()
    complaints = serializers.IntegerField()
    percent = serializers.DecimalField(**PCT)


class AcknowledgementSerializer(serializers.Serializer):
    made = serializers.IntegerField()
    met = serializers.IntegerField()
    percent_met = serializers.DecimalField(**PCT)


class TrendStageSerializer(serializers.Serializer):
    stage = serializers.IntegerField()
    received = serializers.IntegerField()
    average_working_days = serializers.DecimalField(**PCT)


class TrendSerializer(serializers.Serializer):
    financial_year = serializers.CharField()
    stages = TrendStageSerializer(many=True)


class RefusedReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()
    label = serializers.CharField()
    complaints = serializers.IntegerField()


class EscalationRefusalSerializer(serializers.Serializer):
    complaint = serializers.CharField()
    requested_on = serializers.DateField()
    reason = serializers.CharField()


class RefusalsSerializer(serializers.Serializer):
    complaints_refused = RefusedReasonSerializer(many=True)
    complaints_refused_total = serializers.IntegerField()
    escalations_refused = serializers.IntegerField()
    escalation_refusal_reasons = EscalationRefusalSerializer(many=True)


class FormSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="2024 (Appendix A of the 2024 Code) or 2020 (earlier years).")
    title = serializers.CharField()


class CodeSectionSerializer(serializers.Serializer):
    key = serializers.CharField()
    provision = serializers.CharField(help_text="The Complaint Handling Code 2024 provision it answers: 8.1(a) to 8.2.")
    heading = serializers.CharField()
    has_content = serializers.BooleanField()
    empty = serializers.CharField(help_text="What the report says when the year has nothing for the section.")


class ComplianceCountSerializer(serializers.Serializer):
    label = serializers.CharField()
    count = serializers.IntegerField()


class AnnualSelfAssessmentSerializer(serializers.Serializer):
    form = FormSerializer()
    answered = serializers.IntegerField(help_text="Provisions the council has answered.")
    provisions = serializers.IntegerField()
    complies = ComplianceCountSerializer(many=True)


class NonComplianceSerializer(NonComplianceFindingSerializer):
    """A finding of non-compliance as the ombudsman API gives it, without its id."""

    class Meta(NonComplianceFindingSerializer.Meta):
        fields = [name for name in NonComplianceFindingSerializer.Meta.fields if name != "id"]


class ImprovementPlanSerializer(serializers.Serializer):
    reference = serializers.CharField()
    service_area = serializers.StringRelatedField()
    what_went_wrong = serializers.CharField()
    action_to_address_cause = serializers.CharField()
    evidence_of_implementation = serializers.CharField()
    implemented_on = serializers.DateField()
    status = serializers.CharField()


class AnnualReportCommitmentSerializer(serializers.Serializer):
    service_area = serializers.StringRelatedField()
    commitment = serializers.CharField()
    status = serializers.CharField()
    progress_summary = serializers.CharField()


class CommitmentCountSerializer(serializers.Serializer):
    status = serializers.CharField()
    count = serializers.IntegerField()


class ImprovementsSerializer(serializers.Serializer):
    plans = ImprovementPlanSerializer(many=True, help_text="Learning action plans implemented in the year.")
    commitments = AnnualReportCommitmentSerializer(many=True, help_text="Service commitments of the municipal year.")
    by_status = CommitmentCountSerializer(many=True)
    total = serializers.IntegerField()


class PublicationSerializer(OmbudsmanPublicationSerializer):
    """An annual letter or report as the ombudsman API gives it, without its id or whether a file is kept."""

    has_file = None  # type: ignore[assignment]

    class Meta(OmbudsmanPublicationSerializer.Meta):
        fields = [name for name in OmbudsmanPublicationSerializer.Meta.fields if name not in ("id", "has_file")]


class GoverningBodyResponseSerializer(serializers.Serializer):
    governing_body = serializers.CharField()
    responded_on = serializers.DateField()
    response = serializers.CharField()


class PerformanceAnalysisSerializer(serializers.Serializer):
    analysis = serializers.CharField()
    recorded_at = serializers.DateTimeField()


class AnnualReportSerializer(serializers.Serializer):
    financial_year = serializers.CharField()
    code_sections = CodeSectionSerializer(many=True, help_text="The report's sections in the Code's order.")
    self_assessment = AnnualSelfAssessmentSerializer()
    non_compliance = NonComplianceSerializer(many=True)
    improvements = ImprovementsSerializer()
    annual_letters = PublicationSerializer(many=True)
    other_publications = PublicationSerializer(many=True)
    performance_analysis = PerformanceAnalysisSerializer(
        allow_null=True, help_text="The council's written analysis of the year's performance (Code 8.1(b))."
    )
    governing_body_response = GoverningBodyResponseSerializer(allow_null=True)
    period = PeriodSerializer()
    headline = HeadlineSerializer()
    escalation = EscalationSerializer()
    resolution_by_stage = ResolutionSerializer(many=True)
    acknowledgements = AcknowledgementSerializer()
    by_stage = ByStageSerializer(many=True)
    trend = TrendSerializer(many=True)
    by_issue_nature = ByIssueNatureSerializer(many=True)
    by_service_area = ByServiceAreaSerializer(many=True)
    refusals = RefusalsSerializer()
    tenant_satisfaction = MeasureSerializer(many=True)
    enquiries = EnquiriesSerializer()
    sections = SectionSerializer(many=True)


class QuestionSerializer(serializers.Serializer):
    section = serializers.CharField()
    provision = serializers.CharField(allow_blank=True, help_text="The Code's provision (2024 form), e.g. 6.2.")
    question = serializers.CharField(help_text="The question (2020 form) or the provision's requirement (2024).")
    computed = serializers.BooleanField(help_text="True when the answer comes from the year's cases.")
    answer = serializers.CharField(allow_blank=True)
    figure = serializers.DecimalField(max_digits=12, decimal_places=1, allow_null=True)
    complies = serializers.CharField(allow_blank=True, help_text="The council's answer: Yes, Partly or No.")
    evidence = serializers.CharField(allow_blank=True)
    commentary = serializers.CharField(allow_blank=True)


class SelfAssessmentSerializer(serializers.Serializer):
    financial_year = serializers.CharField()
    period = PeriodSerializer()
    form = FormSerializer()
    questions = QuestionSerializer(many=True)
    escalation = EscalationSerializer()
