"""What learning holds about a resident's cases, for the retention schedule (registered in LearningConfig.ready).
Why a complaint or a finding is in a plan, and the root cause found for a complaint upheld again, are about the
resident's case; a plan's own sections are about the service and stay."""

from casework import registry

REMOVED = "Removed under the retention schedule."


def register():
    registry.personal_data(
        related_text=[
            ("learning.LearningSource", "complaint_stage__complaint_id", {"note": ""}),
            ("learning.LearningSource", "finding__determination__case_id", {"note": ""}),
            ("learning.RootCauseReview", "complaint_id", {"cause": REMOVED}),
        ]
    )
