"""Load: 50 concurrent officers for 60 seconds against gunicorn and PostgreSQL, mixing the work queue, "my
work", case pages, notes and acknowledgements (a transition), with zero think time. Afterwards the database
must hold every write the clients saw succeed exactly once: each note once, each acknowledgement once.
Prints the median and p95 response times beside one officer alone, measured in the same run, overall and per
kind of request, and how many SQL statements each kind of request sends (counted once per kind, before the
run, through Django's test client by an officer of its own, whose writes are checked with the others).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casework .venv/bin/python bench/load.py

Loopback only: a throwaway database (bench_load_<process id>) and a gunicorn on a free 127.0.0.1 port, both gone at the
end. gunicorn runs with the production settings (config/gunicorn.conf.py); BENCH_WORKERS and BENCH_THREADS
override its processes and threads. BENCH_USERS, BENCH_SECONDS and BENCH_BASELINE_SECONDS change the shape;
every loop stops by itself.
"""

import datetime
import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.core.management import call_command
from django.db import connection, connections

USERS = int(os.environ.get("BENCH_USERS", "50"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "60"))
BASELINE_SECONDS = float(os.environ.get("BENCH_BASELINE_SECONDS", "15"))
COMPLAINTS_PER_USER = int(os.environ.get("BENCH_COMPLAINTS_PER_USER", "25"))
# Its own throwaway database per run, so two runs on one server (two checkouts) cannot drop each other's.
DATABASE = f"bench_load_{os.getpid()}"
HOST = "127.0.0.1"
# What an officer does, weighted: most of the day is reading the queue and cases.
MIX = [("queue", 30), ("my_work", 15), ("case_page", 30), ("note", 15), ("acknowledge", 10)]


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
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
    from django.contrib.sessions.backends.db import SessionStore

    from casework.models import IssueNature, ServiceArea
    from casework.reference_data import load_reference_data
    from casework.roles import Role, assign_role
    from casework.services import create_resident
    from complaints.models import Channel, ComplaintType
    from complaints.services import log_complaint

    load_reference_data()
    area = ServiceArea.objects.order_by("id").first()
    nature = IssueNature.objects.filter(service_area=area).first() or IssueNature.objects.first()
    User = get_user_model()
    officers = []
    began = time.perf_counter()
    for number in range(USERS + 2):  # then the baseline's officer, then the one whose queries are counted
        user = User.objects.create_user(f"load{number}", first_name="Load", last_name=f"Officer {number}")
        assign_role(user, Role.COMPLAINTS_OFFICER)
        # A signed-in session made directly: signing in is not what this measures.
        session = SessionStore()
        session["_auth_user_id"] = str(user.pk)
        session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        session["_auth_user_hash"] = user.get_session_auth_hash()
        session.create()
        references = []
        for index in range(COMPLAINTS_PER_USER):
            resident = create_resident(first_name="Resident", last_name=f"{number}-{index}")
            complaint = log_complaint(
                actor=user,
                received_on=datetime.date.today() - datetime.timedelta(days=1),
                channel=Channel.PHONE,
                service_area=area,
                issue_nature=nature,
                complaint_type=ComplaintType.DELAY,
                summary=f"Load complaint {number}-{index}",
                description="Damp in the bedroom.",
                outcome_wanted="Treat the damp.",
                resident=resident,
                assigned_to=user,
            )
            references.append(complaint.reference)
        officers.append({"id": user.pk, "session": session.session_key, "complaints": references})
    print(
        f"  set-up: {len(officers)} officers and {len(officers) * COMPLAINTS_PER_USER} complaints "
        f"in {time.perf_counter() - began:.0f} s"
    )
    with connection.cursor() as cursor:
        # Statistics, as a database in service has them: without, the planner takes every table for empty.
        cursor.execute("ANALYZE")
    settings = connection.settings_dict
    url = f"postgres://{settings['USER']}@{settings['HOST'] or HOST}:{settings['PORT'] or 5432}/{DATABASE}"
    return url, officers


class Officer:
    """One officer's browser: a keep-alive connection, their session cookie and a CSRF cookie."""

    def __init__(self, port, officer, deadline, everyone):
        self.port = port
        self.officer = officer
        self.deadline = deadline
        self.everyone = everyone
        self.csrf = "b" * 32
        self.cookie = f"sessionid={officer['session']}; csrftoken={self.csrf}"
        self.connection = http.client.HTTPConnection(HOST, port, timeout=60)
        self.to_acknowledge = list(officer["complaints"])
        self.timings = []  # (kind, seconds)
        self.kinds = Counter()
        self.errors = []
        self.notes = []
        self.acknowledged = []
        self.rng = random.Random(officer["id"])

    def request(self, kind, method, path, form=None):
        headers = {"Cookie": self.cookie, "Host": f"{HOST}:{self.port}"}
        body = None
        if form is not None:
            form = {**form, "csrfmiddlewaretoken": self.csrf}
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        began = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException) as error:
            self.connection.close()
            self.errors.append(f"{method} {path}: {error!r}")
            return None, b""
        self.timings.append((kind, time.perf_counter() - began))
        return response.status, content

    def expect(self, what, status, wanted):
        if status not in wanted:
            self.errors.append(f"{what}: {status}")
            return False
        return True

    def act(self, kind):
        if kind == "acknowledge" and not self.to_acknowledge:
            kind = "note"
        self.kinds[kind] += 1
        if kind == "queue":
            status, _ = self.request(kind, "GET", f"/complaints/?officer={self.officer['id']}")
            self.expect("queue", status, {200})
        elif kind == "my_work":
            status, _ = self.request(kind, "GET", "/work/")
            self.expect("my work", status, {200})
        elif kind == "case_page":
            reference = self.rng.choice(self.rng.choice(self.everyone)["complaints"])
            status, _ = self.request(kind, "GET", f"/complaints/{reference}/")
            self.expect("case page", status, {200})
        elif kind == "note":
            reference = self.rng.choice(self.officer["complaints"])
            body = f"load-note {self.officer['id']}-{len(self.notes)}"
            status, _ = self.request(kind, "POST", f"/cases/{reference}/notes/", {"body": body})
            if self.expect("note", status, {302}):
                self.notes.append(body)
        else:
            reference = self.to_acknowledge.pop(0)
            status, _ = self.request(
                kind, "POST", f"/complaints/{reference}/acknowledge/", {"on": datetime.date.today().isoformat()}
            )
            if self.expect("acknowledge", status, {302}):
                self.acknowledged.append(reference)

    def run(self):
        kinds, weights = zip(*MIX, strict=True)
        while time.perf_counter() < self.deadline:
            self.act(self.rng.choices(kinds, weights)[0])
        self.connection.close()


def run(port, officers, seconds, everyone):
    deadline = time.perf_counter() + seconds
    clients = [Officer(port, officer, deadline, everyone) for officer in officers]
    threads = [threading.Thread(target=client.run) for client in clients]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 120)
    return clients, time.perf_counter() - began


def percentiles(timings):
    """Median and p95 of a list of seconds, in milliseconds."""
    timings = sorted(timings)
    return statistics.median(timings) * 1000, timings[max(0, int(len(timings) * 0.95) - 1)] * 1000


def summary(label, clients, elapsed):
    timings = [t for client in clients for _, t in client.timings]
    errors = [e for client in clients for e in client.errors]
    if not timings:
        return label + ": no requests", 0, 0, errors
    median, p95 = percentiles(timings)
    line = (
        f"  {label}: {len(timings)} requests in {elapsed:.0f} s ({len(timings) / elapsed:.0f}/s); "
        f"median {median:.0f} ms, p95 {p95:.0f} ms; errors {len(errors)}"
    )
    return line, median, p95, errors


def per_kind(clients, queries):
    """One line per kind of request: how many, median, p95, and the SQL statements it sends."""
    by_kind = {}
    for client in clients:
        for kind, seconds in client.timings:
            by_kind.setdefault(kind, []).append(seconds)
    lines = []
    for kind, _ in MIX:
        if kind not in by_kind:
            continue
        median, p95 = percentiles(by_kind[kind])
        lines.append(
            f"    {kind:<12} {len(by_kind[kind]):>6} requests, median {median:>6.0f} ms, p95 {p95:>6.0f} ms, "
            f"{queries.get(kind, '?')} SQL statements"
        )
    return lines


class Probe:
    """The officer whose requests are counted for their SQL: one of each kind through Django's test client, in
    this process, against the same database. Its writes are checked with the crowd's."""

    def __init__(self, officer):
        self.officer = officer
        self.notes = []
        self.acknowledged = []
        self.errors = []

    def count_queries(self, everyone):
        from django.contrib.auth import get_user_model
        from django.test import Client
        from django.test.utils import CaptureQueriesContext, override_settings

        client = Client()
        client.force_login(get_user_model().objects.get(pk=self.officer["id"]))
        references = list(self.officer["complaints"])
        other = everyone[0]["complaints"][0]
        requests = {
            "queue": lambda: client.get(f"/complaints/?officer={self.officer['id']}"),
            "my_work": lambda: client.get("/work/"),
            "case_page": lambda: client.get(f"/complaints/{other}/"),
            "note": lambda: self.note(client, references[0]),
            "acknowledge": lambda: self.acknowledge(client, references.pop()),
        }
        counts = {}
        with override_settings(ALLOWED_HOSTS=["testserver"]):
            for kind, send in requests.items():
                send()  # once to warm the process's caches (calendar, content types), as a busy server has them
                with CaptureQueriesContext(connection) as queries:
                    response = send()
                if response.status_code != (200 if kind in ("queue", "my_work", "case_page") else 302):
                    self.errors.append(f"probe {kind}: {response.status_code}")
                counts[kind] = len(queries.captured_queries)
        return counts

    def note(self, client, reference):
        body = f"load-note probe-{len(self.notes)}"
        response = client.post(f"/cases/{reference}/notes/", {"body": body})
        if response.status_code == 302:
            self.notes.append(body)
        return response

    def acknowledge(self, client, reference):
        response = client.post(f"/complaints/{reference}/acknowledge/", {"on": datetime.date.today().isoformat()})
        if response.status_code == 302:
            self.acknowledged.append(reference)
        return response


def check_writes(clients):
    """Every write a client saw succeed is in the database exactly once, and nothing else was written."""
    from casework.models import Note, TimelineEvent
    from complaints.models import Complaint, ComplaintStatus

    sent_notes = [body for client in clients for body in client.notes]
    stored = Counter(Note.objects.filter(body__startswith="load-note ").values_list("body", flat=True))
    lost_notes = [body for body in sent_notes if stored[body] == 0]
    duplicated_notes = [body for body, count in stored.items() if count > 1]
    unexpected_notes = set(stored) - set(sent_notes)

    acknowledged = [reference for client in clients for reference in client.acknowledged]
    statuses = dict(Complaint.objects.filter(reference__in=acknowledged).values_list("reference", "status"))
    not_acknowledged = [r for r in acknowledged if statuses.get(r) != ComplaintStatus.ACKNOWLEDGED]
    events = Counter(
        TimelineEvent.objects.filter(case__reference__in=acknowledged, kind="acknowledged").values_list(
            "case__reference", flat=True
        )
    )
    event_problems = [r for r in acknowledged if events[r] != 1]
    stray = Complaint.objects.filter(status=ComplaintStatus.ACKNOWLEDGED).exclude(reference__in=acknowledged).count()
    print(
        f"  writes: {len(sent_notes)} notes sent, {sum(stored.values())} stored "
        f"(lost {len(lost_notes)}, duplicated {len(duplicated_notes)}, unexpected {len(unexpected_notes)}); "
        f"{len(acknowledged)} acknowledgements, {len(acknowledged) - len(not_acknowledged)} stored "
        f"(timeline events not exactly one: {len(event_problems)}, acknowledged without a request: {stray})"
    )
    return not (lost_notes or duplicated_notes or unexpected_notes or not_acknowledged or event_problems or stray)


def gunicorn_shape(env):
    """The processes and threads config/gunicorn.conf.py gives gunicorn in this environment."""
    shape = subprocess.run(  # noqa: S603 - our own gunicorn's configuration
        [
            str(ROOT / ".venv" / "bin" / "python"),
            "-c",
            "import runpy; c = runpy.run_path('config/gunicorn.conf.py'); print(c['workers'], c['threads'])",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return f"{shape[0]} workers x {shape[1]} threads"


def main():
    print(f"load: {USERS} concurrent officers for {SECONDS:.0f} s against gunicorn and PostgreSQL, zero think time")
    database_url, officers = prepare_database()
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "ALLOWED_HOSTS": HOST,
        "EMAIL_URL": "dummymail://",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)
    # The production settings (config/gunicorn.conf.py) on a loopback port, without the access log; BENCH_WORKERS
    # and BENCH_THREADS override its processes and threads to compare others.
    env.update({"GUNICORN_BIND": f"{HOST}:{port}", "GUNICORN_ACCESS_LOG": "", "GUNICORN_LOG_LEVEL": "warning"})
    if os.environ.get("BENCH_WORKERS"):
        env["WEB_CONCURRENCY"] = os.environ["BENCH_WORKERS"]
    if os.environ.get("BENCH_THREADS"):
        env["GUNICORN_THREADS"] = os.environ["BENCH_THREADS"]
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn on loopback
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "--config",
            str(ROOT / "config" / "gunicorn.conf.py"),
            "config.wsgi:application",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(150):
            try:
                probe = http.client.HTTPConnection(HOST, port, timeout=1)
                probe.request("GET", "/healthz")
                probe.getresponse().read()
                break
            except OSError:
                time.sleep(0.2)
        print(f"  gunicorn: {gunicorn_shape(env)} on {HOST}:{port}")
        crowd, baseline_officer, probe = officers[:USERS], officers[USERS : USERS + 1], Probe(officers[USERS + 1])
        queries = probe.count_queries(crowd)
        print("  SQL statements per request: " + ", ".join(f"{kind} {count}" for kind, count in queries.items()))
        alone, alone_seconds = run(port, baseline_officer, BASELINE_SECONDS, crowd)
        line, base_median, base_p95, base_errors = summary("one officer alone [baseline]", alone, alone_seconds)
        print(line)
        print("\n".join(per_kind(alone, queries)))
        clients, elapsed = run(port, crowd, SECONDS, crowd)
        line, median, p95, errors = summary(f"{USERS} officers at once", clients, elapsed)
        print(line)
        print("\n".join(per_kind(clients, queries)))
        mix = Counter()
        for client in clients:
            mix.update(client.kinds)
        print("  mix: " + ", ".join(f"{kind} {count}" for kind, count in sorted(mix.items())))
        if base_median:
            print(f"  ratio to one officer alone: median {median / base_median:.1f}x, p95 {p95 / base_p95:.1f}x")
        for error in (probe.errors + base_errors + errors)[:10]:
            print("   ", error)
    finally:
        server.terminate()
        server.wait(timeout=30)
    writes_ok = check_writes([probe, *alone, *clients])
    ok = writes_ok and not errors and not base_errors and not probe.errors
    print("  no errors, no lost or duplicated writes:", "yes" if ok else "NO")
    connections.close_all()
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
