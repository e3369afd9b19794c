"""Tokens made before tokens expired (Django REST framework's authtoken table) keep working for 90 days as
expiring tokens, so integrations can move to new ones; the old plaintext keys are then removed."""

import hashlib
from datetime import timedelta

from django.db import migrations
from django.utils import timezone

CARRY_OVER_DAYS = 90
OLD_TABLE = "authtoken_token"


def carry_over(apps, schema_editor):
    connection = schema_editor.connection
    if OLD_TABLE not in connection.introspection.table_names():
        return
    AuthToken = apps.get_model("knox", "AuthToken")
    AccountEvent = apps.get_model("accounts", "AccountEvent")
    User = apps.get_model("auth", "User")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key, user_id FROM {OLD_TABLE}")  # noqa: S608 - a constant table name
        rows = cursor.fetchall()
    expiry = timezone.now() + timedelta(days=CARRY_OVER_DAYS)
    usernames = dict(User.objects.filter(pk__in=[user_id for _, user_id in rows]).values_list("pk", "username"))
    # knox stores the SHA-512 of the key and looks tokens up by their first 15 characters.
    AuthToken.objects.bulk_create(
        AuthToken(digest=hashlib.sha512(key.encode()).hexdigest(), token_key=key[:15], user_id=user_id, expiry=expiry)
        for key, user_id in rows
    )
    AccountEvent.objects.bulk_create(
        AccountEvent(
            kind="api_token_issued",
            user_id=user_id,
            username=usernames.get(user_id, ""),
            detail=f"Token {key[:15]}... carried over from before tokens expired; expires {expiry:%Y-%m-%d}",
        )
        for key, user_id in rows
    )
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {OLD_TABLE}")  # noqa: S608


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("knox", "0009_extend_authtoken_field"),
    ]

    operations = [migrations.RunPython(carry_over, migrations.RunPython.noop)]
