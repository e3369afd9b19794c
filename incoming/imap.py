"""The council's mailbox over IMAP (the standard library's imaplib; docs/decisions/0009-imap-with-imaplib.md).

`MAILBOX_URL` names it: `imaps://user:password@mail.council.example/INBOX` (TLS, port 993),
`imap+starttls://...` (port 143, upgraded to TLS) or `imap://...` (plain, for a server on the same machine).
Messages are fetched with BODY.PEEK, which leaves them unread; the caller marks each one read only once it
is stored."""

import contextlib
import imaplib
import re
import socket
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import unquote, urlsplit

DEFAULT_PORTS = {"imaps": 993, "imap": 143, "imap+starttls": 143}


class MailboxUnavailable(Exception):
    """The mailbox cannot be reached or read now: a message for the job's log, never a crash."""


@dataclass(frozen=True)
class MailboxAddress:
    scheme: str
    host: str
    port: int
    user: str
    password: str
    folder: str

    def __str__(self):
        # Never the password: this is what logs and the job's record show.
        return f"{self.scheme}://{self.user}@{self.host}:{self.port}/{self.folder}"


def parse_mailbox_url(url):
    try:
        parts = urlsplit(url or "")
        port = parts.port
    except ValueError as error:
        raise MailboxUnavailable(f"MAILBOX_URL is not a valid address ({error}).") from None
    if parts.scheme not in DEFAULT_PORTS:
        raise MailboxUnavailable("MAILBOX_URL must start with imaps://, imap+starttls:// or imap://.")
    if not parts.hostname or not parts.username:
        raise MailboxUnavailable("MAILBOX_URL must name the server and the user: imaps://user:password@host/INBOX.")
    folder = unquote(parts.path.lstrip("/")) or "INBOX"
    return MailboxAddress(
        scheme=parts.scheme,
        host=parts.hostname,
        port=port or DEFAULT_PORTS[parts.scheme],
        user=unquote(parts.username),
        password=unquote(parts.password or ""),
        folder=folder,
    )


@dataclass(frozen=True)
class FetchedMessage:
    uid: int
    raw: bytes
    received_at: datetime | None


def _quoted(folder):
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Mailbox:
    """One session on one folder: `uids_to_read`, `fetch`, `mark_seen`, then `close`."""

    def __init__(self, address, *, timeout=30, ca_file=None):
        self.address = address
        self.uidvalidity = None
        try:
            if address.scheme == "imaps":
                context = ssl.create_default_context(cafile=ca_file or None)
                self.imap = imaplib.IMAP4_SSL(address.host, address.port, ssl_context=context, timeout=timeout)
            else:
                self.imap = imaplib.IMAP4(address.host, address.port, timeout=timeout)
                if address.scheme == "imap+starttls":
                    self.imap.starttls(ssl.create_default_context(cafile=ca_file or None))
        except (OSError, imaplib.IMAP4.error, ssl.SSLError) as error:
            raise MailboxUnavailable(f"Could not connect to {address}: {_reason(error)}.") from None
        try:
            self.imap.login(address.user, address.password)
            status, data = self.imap.select(_quoted(address.folder))
        except (OSError, imaplib.IMAP4.error) as error:
            self.close()
            raise MailboxUnavailable(f"Could not sign in to {address}: {_reason(error)}.") from None
        if status != "OK":
            self.close()
            raise MailboxUnavailable(f"Could not open the folder {address.folder!r} on {address.host}: {_text(data)}.")
        _, values = self.imap.response("UIDVALIDITY")
        self.uidvalidity = int(values[0]) if values and values[0] else None

    def _uid(self, *args):
        try:
            status, data = self.imap.uid(*args)
        except (OSError, imaplib.IMAP4.error) as error:
            raise MailboxUnavailable(f"The mail server stopped answering ({_reason(error)}).") from None
        if status != "OK":
            raise MailboxUnavailable(f"The mail server refused {args[0]}: {_text(data)}.")
        return data

    def search(self, *criteria):
        data = self._uid("SEARCH", None, *criteria)
        return sorted({int(uid) for uid in b" ".join(item for item in data if item).split()})

    def uids_to_read(self, after_uid):
        """Every unread message, and every message after the last one stored (read in a mail client or not):
        a message marked read by someone else is still taken in. On a folder never read before, only the
        unread ones, so connecting an old mailbox does not bring in its history."""
        uids = set(self.search("UNSEEN"))
        if after_uid:
            # "n:*" always includes the last message, even when its UID is below n (RFC 3501 section 6.4.8).
            uids |= {uid for uid in self.search("UID", f"{after_uid + 1}:*") if uid > after_uid}
        return sorted(uids)

    def fetch(self, uid):
        data = self._uid("FETCH", str(uid), "(INTERNALDATE BODY.PEEK[])")
        for item in data:
            if isinstance(item, tuple) and len(item) == 2:
                return FetchedMessage(uid=uid, raw=item[1], received_at=_internal_date(item[0]))
        return None  # expunged by someone else since the search

    def mark_seen(self, uid):
        self._uid("STORE", str(uid), "+FLAGS", "(\\Seen)")

    def close(self):
        with contextlib.suppress(OSError, imaplib.IMAP4.error, AttributeError):
            self.imap.logout()


def _internal_date(response):
    match = re.search(rb'INTERNALDATE "([^"]+)"', response)
    if not match:
        return None
    try:
        parsed = datetime.strptime(match.group(1).decode(), "%d-%b-%Y %H:%M:%S %z")
    except ValueError:
        return None
    return parsed.astimezone(UTC)


def _text(data):
    return b" ".join(item for item in (data or []) if isinstance(item, bytes)).decode("utf-8", "replace")[:200]


def _reason(error):
    if isinstance(error, socket.timeout | TimeoutError):
        return "no answer in time"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, socket.gaierror):
        return "the server's name is not known"
    if isinstance(error, ssl.SSLCertVerificationError):
        return f"its certificate could not be verified ({error.verify_message})"
    text = str(error.args[0] if error.args else error)
    if text.startswith("b'") or text.startswith('b"'):
        text = text[2:-1]
    return text[:200] or error.__class__.__name__
