import pytest
from django.test import Client


@pytest.fixture
def admin_client_with_role(administrator):
    """Its own client: a test may sign an officer in on the `client` fixture beside it."""
    client = Client()
    client.force_login(administrator)
    return client
