import shutil

import pytest

from tests.conftest import require_service
from tests.incoming import dovecot


@pytest.fixture
def imap_server():
    """A dovecot of this test's own, plain IMAP on loopback; stopped and removed afterwards."""
    require_service(dovecot.available(), "Dovecot (apt-get install dovecot-imapd)")
    server = dovecot.Dovecot()
    yield server
    server.stop()


@pytest.fixture(params=[True, "starttls"], ids=["imaps", "starttls"])
def tls_server(request):
    """A dovecot that speaks only TLS: IMAPS, or plain IMAP that requires STARTTLS before signing in."""
    require_service(dovecot.available(), "Dovecot (apt-get install dovecot-imapd)")
    require_service(shutil.which("openssl"), "OpenSSL, for the test certificate (apt-get install openssl)")
    server = dovecot.Dovecot(tls=request.param)
    yield server
    server.stop()
