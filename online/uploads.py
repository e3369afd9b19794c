"""Files a resident adds to the online form before sending it: checked as officers' uploads are
(casework.services.check_upload), then held in private storage under the form's own random folder until the
form is sent (when they become the case's attachments) or abandoned (when the nightly tidy removes them). They
are never served from where they are held."""

import datetime
import logging
import uuid

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone

from casework.services import check_upload

logger = logging.getLogger(__name__)

FOLDER = "online-pending"


def _folder(token):
    if not token or not token.isalnum():
        raise ValueError("A held file's folder is the form's own random token.")
    return f"{FOLDER}/{token}"


def hold(token, uploaded_file):
    """Check a file and keep it for the form; returns what the session remembers of it. Raises the
    ValidationError of check_upload for a file that is refused."""
    checked = check_upload(uploaded_file)
    file_id = uuid.uuid4().hex
    path = default_storage.save(f"{_folder(token)}/{file_id}", uploaded_file)
    return {"id": file_id, "path": path, "name": checked.name, "size": checked.size}


def open_held(held):
    """A held file, named as the resident's file was, for casework.services.add_attachment."""
    return File(default_storage.open(held["path"], "rb"), name=held["name"])


def discard(held):
    if default_storage.exists(held["path"]):
        default_storage.delete(held["path"])


def discard_all(token):
    folder = _folder(token)
    if not default_storage.exists(folder):
        return
    _, files = default_storage.listdir(folder)
    for name in files:
        default_storage.delete(f"{folder}/{name}")


def remove_abandoned(now=None):
    """Delete held files older than ONLINE_UPLOADS_KEPT_HOURS (forms never sent). Returns how many."""
    if not default_storage.exists(FOLDER):
        return 0
    cutoff = (now or timezone.now()) - datetime.timedelta(hours=settings.ONLINE_UPLOADS_KEPT_HOURS)
    removed = 0
    folders, _ = default_storage.listdir(FOLDER)
    for token in folders:
        folder = f"{FOLDER}/{token}"
        _, files = default_storage.listdir(folder)
        for name in files:
            path = f"{folder}/{name}"
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
                removed += 1
    if removed:
        logger.info("Removed %s files of online forms never sent", removed)
    return removed
