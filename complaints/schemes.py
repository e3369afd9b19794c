"""Which scheme a complaint goes under, and which procedure version of that scheme applies to it: one place for
the services, the importer and the data generator.

A service area belongs to a scheme (ServiceAreaScheme); one with none goes by its ombudsman: the Housing
Ombudsman's services under the landlord scheme, the LGSCO's under the corporate scheme. A complaint takes the
version of its scheme in force on the day it was received (the latest `applies_from` on or before it) and keeps
it for life."""

from casework.errors import NotAllowed
from casework.models import Ombudsman
from complaints.models import ComplaintScheme, ProcedureVersion, SchemeKind

DEFAULT_BY_OMBUDSMAN = {Ombudsman.HOUSING: SchemeKind.LANDLORD, Ombudsman.LGSCO: SchemeKind.CORPORATE}


def scheme_for(service_area):
    link = getattr(service_area, "scheme_link", None) if service_area is not None else None
    if link is not None:
        return link.scheme
    kind = DEFAULT_BY_OMBUDSMAN.get(getattr(service_area, "ombudsman", None), SchemeKind.LANDLORD)
    scheme = ComplaintScheme.objects.filter(kind=kind).order_by("id").first()
    if scheme is None:
        raise NotAllowed("No complaints scheme is set up; an administrator must load the reference data.")
    return scheme


def version_in_force(on_date, scheme):
    version = (
        ProcedureVersion.objects.filter(scheme=scheme, applies_from__lte=on_date)
        .select_related("procedure", "scheme")
        .order_by("-applies_from")
        .first()
    )
    if version is None:
        raise NotAllowed(
            f"No procedure of the {scheme} scheme applies on {on_date:%a %-d %b %Y}; an administrator must set one."
        )
    return version


def versions_by_scheme():
    """{scheme id: [(applies_from, version), ...] oldest first}, for code that places many complaints at once."""
    table = {}
    versions = ProcedureVersion.objects.filter(applies_from__isnull=False).select_related("procedure", "scheme")
    for version in versions.prefetch_related("stages").order_by("applies_from"):
        table.setdefault(version.scheme_id, []).append((version.applies_from, version))
    return table
