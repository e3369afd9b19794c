"""The administrators' upload page: the same checks as `manage.py import_cases`, the problems listed, and
the import run only when the administrator confirms what the check found."""

import datetime
import secrets
from pathlib import Path

from django.contrib import messages
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from casework.permissions import role_required
from casework.roles import Role
from imports.core import import_file
from imports.forms import ImportForm
from imports.kinds import get_kind
from imports.mapping import MappingError, parse_mapping

PENDING_KEY = "imports_pending"
PENDING_HOURS = 12


# The checked file waits in media storage (shared by every web server) until the administrator confirms.
PENDING_FOLDER = "imports/pending"


def _pending_name(token, suffix):
    return f"{PENDING_FOLDER}/{token}{suffix}"


def _read_pending(token, suffix):
    with default_storage.open(_pending_name(token, suffix), "rb") as stored:
        return stored.read()


def _forget_stale():
    cutoff = timezone.now() - datetime.timedelta(hours=PENDING_HOURS)
    try:
        _, files = default_storage.listdir(PENDING_FOLDER)
    except FileNotFoundError:
        return
    for name in files:
        path = f"{PENDING_FOLDER}/{name}"
        try:
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
        except (FileNotFoundError, NotImplementedError):
            continue


def _run(pending, *, dry_run, actor):
    data = _read_pending(pending["token"], ".bin")
    mapping = None
    if pending.get("mapping"):
        mapping = parse_mapping(_read_pending(pending["token"], ".mapping"), pending["mapping"])
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
        _forget_stale()
        token = secrets.token_urlsafe(24)
        default_storage.save(_pending_name(token, ".bin"), form.cleaned_data["file"])
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
            default_storage.save(_pending_name(token, ".mapping"), ContentFile(mapping_bytes))
            pending["mapping"] = form.cleaned_data["mapping"].name
        result = _run(pending, dry_run=True, actor=request.user)
        context["result"] = result
        if result.ok:
            request.session[PENDING_KEY] = pending
            return render(request, "imports/confirm.html", {"result": result, "pending": pending})
        _discard(pending)
    return render(request, "imports/upload.html", context)


def _discard(pending):
    for suffix in (".bin", ".mapping"):
        default_storage.delete(_pending_name(pending["token"], suffix))


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
    # One confirmation per check: a second click, or the same page confirmed in another tab, is told so
    # rather than racing the first import (the cache is shared by every web server through Redis).
    if not cache.add(f"imports:confirmed:{pending['token']}", True, timeout=PENDING_HOURS * 3600):
        request.session.pop(PENDING_KEY, None)
        messages.error(request, "This import was already confirmed; see the result above or on the Job runs page.")
        return redirect("imports:upload")
    try:
        result = _run(pending, dry_run=False, actor=request.user)
    except FileNotFoundError:
        request.session.pop(PENDING_KEY, None)
        messages.error(request, "The uploaded file is no longer here; upload it again.")
        return redirect("imports:upload")
    except IntegrityError:
        request.session.pop(PENDING_KEY, None)
        messages.error(
            request, "Another import wrote some of these cases at the same moment; nothing was written by this one."
        )
        return redirect("imports:upload")
    _discard(pending)
    request.session.pop(PENDING_KEY, None)
    if not result.ok:
        # The data changed between the check and the confirmation (another import, an edit): show why.
        form = ImportForm()
        return render(request, "imports/upload.html", {"form": form, "result": result, "kinds": []})
    messages.success(request, result.summary())
    return redirect("imports:upload")
