# Every existing procedure version joins a scheme, and the shipped schemes' versions are added. A migration of
# its own: on PostgreSQL a table cannot be altered (0005's indexes, 0007's NOT NULL) in the transaction that
# updates its rows (pending trigger events).

from django.db import migrations

from complaints.presets import SERVICE_AREA_SCHEMES, install

# Procedures whose existing versions belong to the corporate scheme; every other existing version was the one
# chain of procedures a council's housing complaints ran under, so it joins the landlord scheme.
CORPORATE_PROCEDURES = {"stage-1-complaint-review"}


def schemes_and_presets(apps, schema_editor):
    """Every existing version joins a scheme; then the shipped schemes' missing versions are added: the Code
    2020 and 2022 for the landlord scheme's history, the corporate scheme, children's and adults' social care."""
    scheme_model = apps.get_model("complaints", "ComplaintScheme")
    version_model = apps.get_model("complaints", "ProcedureVersion")
    from complaints.presets import SCHEMES

    schemes = {
        data["code"]: scheme_model.objects.get_or_create(code=data["code"], defaults=data)[0] for data in SCHEMES
    }
    for version in version_model.objects.filter(scheme__isnull=True).select_related("procedure"):
        code = "corporate" if version.procedure.code in CORPORATE_PROCEDURES else "housing-landlord"
        version.scheme = schemes[code]
        version.save(update_fields=["scheme"])
    install(
        scheme_model,
        apps.get_model("complaints", "Procedure"),
        version_model,
        apps.get_model("complaints", "ProcedureStage"),
    )
    service_area_model = apps.get_model("casework", "ServiceArea")
    link_model = apps.get_model("complaints", "ServiceAreaScheme")
    for name, code in SERVICE_AREA_SCHEMES.items():
        area = service_area_model.objects.filter(name=name).first()
        if area is not None:
            link_model.objects.get_or_create(service_area=area, defaults={"scheme": schemes[code]})


class Migration(migrations.Migration):
    dependencies = [("complaints", "0005_complaint_schemes")]

    operations = [migrations.RunPython(schemes_and_presets, migrations.RunPython.noop)]
