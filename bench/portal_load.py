"""Load on the members' portal: 200 enquiries submitted by 20 concurrent clients through gunicorn and
PostgreSQL, a fifth of them sent twice (a retry after a timeout). Afterwards the database must hold each
enquiry exactly once. Prints the throughput beside one client's, measured in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casework .venv/bin/python bench/portal_load.py

Uses a throwaway database (bench_portal) and a gunicorn on a free loopback port; both go when it ends.
"""

import html
import http.cookiejar
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.core.management import call_command
from django.db import connection, connections

CLIENTS = int(os.environ.get("BENCH_CLIENTS", "20"))
PER_CLIENT = int(os.environ.get("BENCH_PER_CLIENT", "10"))
PASSWORD = "portal-load-password-1"  # noqa: S105 - a throwaway database's users
DATABASE = "bench_portal"
AUTHENTICATOR_KEY = "3132333435363738393031323334353637383930"  # the RFC 6238 test key, hex


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare_database():
    if connection.vendor != "postgresql":
        raise SystemExit("Set DATABASE_URL to a PostgreSQL server: this benchmark measures PostgreSQL.")
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{DATABASE}"')
    connections.close_all()
    connection.settings_dict["NAME"] = DATABASE
    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from casework.reference_data import load_reference_data
    from enquiries.models import Member, MemberOffice
    from enquiries.services import add_portal_user

    load_reference_data()
    User = get_user_model()
    for number in range(CLIENTS + 1):
        office = MemberOffice.objects.create(name=f"Office {number}")
        Member.objects.create(name=f"Member {number}", member_type="councillor", ward=f"Ward {number}", office=office)
        user = User.objects.create_user(f"caseworker{number}", password=PASSWORD)
        add_portal_user(user, office)
        # Each caseworker's authenticator app, so the clients sign in as people do: password, then a code.
        TOTPDevice.objects.create(user=user, name="Authenticator app", key=AUTHENTICATOR_KEY, confirmed=True)
    settings = connection.settings_dict
    return f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{DATABASE}"


class PortalClient:
    def __init__(self, base, username):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        self.username = username

    def get(self, path):
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.read().decode()

    def post(self, path, data):
        body = urllib.parse.urlencode(data, doseq=True).encode()
        request = urllib.request.Request(self.base + path, data=body, headers={"Referer": self.base + path})
        with self.opener.open(request, timeout=30) as response:
            return response.geturl()

    @staticmethod
    def field(page, name):
        match = re.search(rf'name="{name}" value="([^"]*)"', page)
        return html.unescape(match.group(1)) if match else ""

    def sign_in(self):
        from django_otp.oath import totp

        page = self.get("/accounts/login/")
        landed = self.post(
            "/accounts/login/",
            {
                "csrfmiddlewaretoken": self.field(page, "csrfmiddlewaretoken"),
                "username": self.username,
                "password": PASSWORD,
            },
        )
        assert landed.endswith("/accounts/two-factor/"), landed
        page = self.get("/accounts/two-factor/")
        code = f"{totp(bytes.fromhex(AUTHENTICATOR_KEY)):06d}"
        landed = self.post(
            "/accounts/two-factor/",
            {"csrfmiddlewaretoken": self.field(page, "csrfmiddlewaretoken"), "code": code},
        )
        assert landed.endswith("/portal/"), landed

    def submit(self, number, retry):
        page = self.get("/portal/new/")
        member = re.search(r'<option value="(\d+)"[^>]*selected', page).group(1)
        area = re.search(r'name="service_area"[^>]*>.*?<option value="(\d+)"', page, re.S).group(1)
        data = {
            "csrfmiddlewaretoken": self.field(page, "csrfmiddlewaretoken"),
            "submission_key": self.field(page, "submission_key"),
            "member": member,
            "enquiry_type": "service_request",
            "service_area": area,
            "first_name": "Load",
            "last_name": f"Test {number}",
            "address": f"{number} Load Street",
            "postcode": "N1 1AA",
            "consent_to_share": "yes",
            "description": f"Enquiry {number} from {self.username}",
        }
        began = time.perf_counter()
        landed = self.post("/portal/new/", data)
        if retry:
            again = self.post("/portal/new/", data)
            assert again == landed, (again, landed)
        assert "/portal/enquiries/ME-" in landed, landed
        return time.perf_counter() - began, data["submission_key"]


def run_clients(base, usernames, per_client, retry_every=5):
    timings, keys, errors = [], [], []

    def work(username, offset):
        client = PortalClient(base, username)
        try:
            client.sign_in()
            for number in range(per_client):
                seconds, key = client.submit(offset + number, retry=(offset + number) % retry_every == 0)
                timings.append(seconds)
                keys.append(key)
        except Exception as error:  # reported after the run
            errors.append(f"{username}: {error!r}")

    threads = [threading.Thread(target=work, args=(name, i * per_client)) for i, name in enumerate(usernames)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - began, timings, keys, errors


def main():
    database_url = prepare_database()
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "EMAIL_URL": "dummymail://",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn on loopback
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "4",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        single_seconds, _single_timings, single_keys, single_errors = run_clients(
            base, [f"caseworker{CLIENTS}"], PER_CLIENT
        )
        seconds, timings, keys, errors = run_clients(base, [f"caseworker{i}" for i in range(CLIENTS)], PER_CLIENT)
    finally:
        server.terminate()
        server.wait(timeout=30)

    from enquiries.models import Enquiry

    expected = CLIENTS * PER_CLIENT + PER_CLIENT
    stored = Enquiry.objects.count()
    distinct = Enquiry.objects.values("submission_key").distinct().count()
    all_keys = set(keys) | set(single_keys)
    found = Enquiry.objects.filter(submission_key__in=all_keys).count()
    total = CLIENTS * PER_CLIENT
    print(
        f"portal load: {total} submissions from {CLIENTS} concurrent clients "
        "(every 5th sent twice), gunicorn x4, PostgreSQL"
    )
    print(
        f"  throughput: {total / seconds:.1f} submissions/s; median {statistics.median(timings) * 1000:.0f} ms, "
        f"p95 {sorted(timings)[int(len(timings) * 0.95) - 1] * 1000:.0f} ms per submission"
    )
    print(
        f"  one client alone: {PER_CLIENT / single_seconds:.1f} submissions/s  [baseline]; "
        f"ratio {total / seconds / (PER_CLIENT / single_seconds):.1f}x"
    )
    print(
        f"  stored: {stored} enquiries for {expected} distinct submissions; distinct keys {distinct}; "
        f"every key stored: {found == len(all_keys) == expected}; errors: {len(errors) + len(single_errors)}"
    )
    for error in (errors + single_errors)[:5]:
        print("   ", error)
    ok = stored == expected == distinct == found and not errors and not single_errors
    print("  exactly once:", "yes" if ok else "NO")
    connections.close_all()
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
