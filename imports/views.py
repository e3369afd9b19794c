"""The administrators' upload page: the same checks as `manage.py import_cases`, the problems listed, and
the import run only when the administrator confirms what the check found."""

import secrets
import time
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from casework.permissions import role_required
from casework.roles import Role
from imports.core import import_file
from imports.forms import ImportForm
from imports.kinds import get_kind
from imports.mapping import MappingError, parse_mapping

PENDING_KEY = "imports_pending"
PENDING_HOURS = 12


def _pending_dir():
    folder = Path(settings.MEDIA_ROOT) / "imports" / "pending"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _forget_stale(folder):
    cutoff = time.time() - PENDING_HOURS * 3600
    for path in folder.glob("*.bin"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def _run(pending, *, dry_run, actor):
    folder = _pending_dir()
    data = (folder / f"{pending['token']}.bin").read_bytes()
    mapping = None
    if pending.get("mapping"):
        mapping = parse_mapping((folder / f"{pending['token']}.mapping").read_bytes(), pending["mapping"])
    system = f"{mapping.system} export " if mapping and mapping.system else ""
    return import_file(
        pending["kind"],
        data,
        mapping=mapping,
        dry_run=dry_run,
        create_reference_data=pending["create_reference_data"],
        encoding=pending["encoding"],
        source=f"{system}{pending['name']} (uploaded by {actor.get_username()})",
        actor=actor,
    )


@role_required(Role.ADMINISTRATOR)
def upload(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"form": form, "kinds": [get_kind(name) for name, _ in form.fields["kind"].choices]}
    if request.method == "POST" and form.is_valid():
        folder = _pending_dir()
        _forget_stale(folder)
        token = secrets.token_urlsafe(24)
        with open(folder / f"{token}.bin", "wb") as target:
            for chunk in form.cleaned_data["file"].chunks():
                target.write(chunk)
        pending = {
            "token": token,
            "kind": form.cleaned_data["kind"],
            "name": Path(form.cleaned_data["file"].name).name[:120],
            "encoding": form.cleaned_data["encoding"],
            "create_reference_data": form.cleaned_data["create_reference_data"],
            "mapping": None,
        }
        if form.cleaned_data["mapping"]:
            mapping_bytes = form.cleaned_data["mapping"].read()
            try:
                parse_mapping(mapping_bytes, form.cleaned_data["mapping"].name)
            except MappingError as error:
                form.add_error("mapping", str(error))
                return render(request, "imports/upload.html", context)
            (folder / f"{token}.mapping").write_bytes(mapping_bytes)
            pending["mapping"] = form.cleaned_data["mapping"].name
        result = _run(pending, dry_run=True, actor=request.user)
        context["result"] = result
        if result.ok:
            request.session[PENDING_KEY] = pending
            return render(request, "imports/confirm.html", {"result": result, "pending": pending})
        _discard(pending)
    return render(request, "imports/upload.html", context)


def _discard(pending):
    folder = _pending_dir()
    for suffix in (".bin", ".mapping"):
        (folder / f"{pending['token']}{suffix}").unlink(missing_ok=True)


@role_required(Role.ADMINISTRATOR)
@require_POST
def confirm(request):
    pending = request.session.get(PENDING_KEY)
    if not pending or request.POST.get("token") != pending["token"]:
        messages.error(request, "That check has expired or was replaced by a newer one; upload the file again.")
        return redirect("imports:upload")
    if request.POST.get("action") == "cancel":
        _discard(pending)
        del request.session[PENDING_KEY]
        messages.info(request, "Nothing was imported.")
        return redirect("imports:upload")
    try:
        result = _run(pending, dry_run=False, actor=request.user)
    except FileNotFoundError:
        messages.error(request, "The uploaded file is no longer here; upload it again.")
        return redirect("imports:upload")
    _discard(pending)
    del request.session[PENDING_KEY]
    if not result.ok:
        # The data changed between the check and the confirmation (another import, an edit): show why.
        form = ImportForm()
        return render(request, "imports/upload.html", {"form": form, "result": result, "kinds": []})
    messages.success(request, result.summary())
    return redirect("imports:upload")
