"""A real IMAP server for the mailbox tests: Debian's dovecot-imapd, started on a free loopback port with a
configuration of its own in a temporary folder (no system configuration touched), one user with a static
password, maildir storage in that folder. Messages arrive by IMAP APPEND, as a mail server delivers them."""

import grp
import imaplib
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER, PASSWORD = "complaints", "mailbox-test-password"


def available():
    return os.path.exists(DOVECOT)


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Dovecot:
    def __init__(self, *, tls=False):
        """`tls`: False (plain IMAP), True (IMAPS, TLS from the first byte) or "starttls" (plain IMAP that
        requires STARTTLS before signing in)."""
        self.root = Path(tempfile.mkdtemp(prefix="casework-dovecot-"))
        self.port = _free_port()
        self.tls = tls
        if os.geteuid() == 0:
            # Dovecot will not run its login or mail processes as root: they run as its own users.
            internal, login = "dovecot", "dovenull"
        else:
            internal = login = pwd.getpwuid(os.getuid()).pw_name
        owner = pwd.getpwnam(internal)
        ssl_settings = "ssl = no"
        if tls:
            self.certificate = self.root / "server.pem"
            key = self.root / "server.key"
            subprocess.run(  # noqa: S603 - a test certificate for 127.0.0.1
                [
                    shutil.which("openssl") or "/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(self.certificate),
                ],
                check=True, capture_output=True,
            )  # fmt: skip
            ssl_settings = f"ssl = required\nssl_cert = <{self.certificate}\nssl_key = <{key}"
        listener = "imaps" if tls is True else "imap"
        other = "imap" if tls is True else "imaps"
        (self.root / "dovecot.conf").write_text(
            f"""
base_dir = {self.root}/run
state_dir = {self.root}/state
log_path = {self.root}/dovecot.log
protocols = imap
listen = 127.0.0.1
{ssl_settings}
disable_plaintext_auth = {"yes" if tls else "no"}
auth_mechanisms = plain login
default_internal_user = {internal}
default_internal_group = {grp.getgrgid(owner.pw_gid).gr_name}
default_login_user = {login}
first_valid_uid = {owner.pw_uid}
last_valid_uid = {owner.pw_uid}
mail_location = maildir:{self.root}/mail/%u
passdb {{
  driver = static
  args = password={PASSWORD}
}}
userdb {{
  driver = static
  args = uid={owner.pw_uid} gid={owner.pw_gid} home={self.root}/home/%u
}}
service imap-login {{
  chroot =
  inet_listener {listener} {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener {other} {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
"""
        )
        for folder in ("run", "state", "mail", "home"):
            (self.root / folder).mkdir()
        if os.geteuid() == 0:
            for path in [self.root, *self.root.rglob("*")]:
                os.chown(path, owner.pw_uid, owner.pw_gid)
        self.process = subprocess.Popen(  # noqa: S603 - the test's own server
            [DOVECOT, "-F", "-c", str(self.root / "dovecot.conf")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        self._wait_until_serving()

    def _wait_until_serving(self, timeout=20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"dovecot stopped at once:\n{self.log()}")
            try:
                client = self.client()
            except (OSError, imaplib.IMAP4.error):
                time.sleep(0.2)
                continue
            client.logout()
            return
        raise RuntimeError(f"dovecot did not answer on port {self.port}:\n{self.log()}")

    def log(self):
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def url(self, folder="INBOX", *, password=PASSWORD):
        scheme = {True: "imaps", "starttls": "imap+starttls"}.get(self.tls, "imap")
        return f"{scheme}://{USER}:{password}@127.0.0.1:{self.port}/{folder}"

    def client(self):
        if self.tls:
            import ssl

            context = ssl.create_default_context(cafile=str(self.certificate))
        if self.tls is True:
            client = imaplib.IMAP4_SSL("127.0.0.1", self.port, ssl_context=context, timeout=5)
        else:
            client = imaplib.IMAP4("127.0.0.1", self.port, timeout=5)
            if self.tls == "starttls":
                client.starttls(context)
        client.login(USER, PASSWORD)
        return client

    def deliver(self, message, *, folder="INBOX", received_at=None, flags=None):
        """APPEND a message (bytes or an EmailMessage); returns its UID. `received_at` (aware) is its
        INTERNALDATE: the day the council received it."""
        raw = message if isinstance(message, bytes) else message.as_bytes()
        client = self.client()
        try:
            if folder != "INBOX":
                client.create(folder)
            date = imaplib.Time2Internaldate(received_at) if received_at else None
            status, data = client.append(folder, flags, date, raw)
            assert status == "OK", data
            return int(re.search(rb"APPENDUID \d+ (\d+)", data[0]).group(1))
        finally:
            client.logout()

    def flags(self, folder="INBOX"):
        """{uid: set of flags} of every message in the folder."""
        client = self.client()
        try:
            client.select(folder, readonly=True)
            _, data = client.uid("FETCH", "1:*", "(FLAGS)")
            found = {}
            for line in data:
                if not line:
                    continue
                match = re.search(rb"UID (\d+) FLAGS \(([^)]*)\)", line)
                if match:
                    found[int(match.group(1))] = set(match.group(2).decode().split())
            return found
        finally:
            client.logout()

    def unseen(self, folder="INBOX"):
        return sorted(uid for uid, flags in self.flags(folder).items() if "\\Seen" not in flags)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.root, ignore_errors=True)
