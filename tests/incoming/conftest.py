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


@pytest.fixture
def imaps_server():
    require_service(dovecot.available(), "Dovecot (apt-get install dovecot-imapd)")
    server = dovecot.Dovecot(tls=True)
    yield server
    server.stop()
