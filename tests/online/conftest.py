import datetime

import pytest
import time_machine

from casework.reference_data import load_reference_data

# Received on Thursday 17 April 2025 (DOMAIN.md's vectors): acknowledge by Monday 28 April (Good Friday and
# Easter Monday skipped), respond by Tuesday 13 May (10 working days after the acknowledgement's last day).
RECEIVED = datetime.datetime(2025, 4, 17, 10, 30, tzinfo=datetime.UTC)
ACKNOWLEDGE_BY = datetime.date(2025, 4, 28)
RESPOND_BY = datetime.date(2025, 5, 13)


@pytest.fixture
def reference_data(db):
    load_reference_data()


@pytest.fixture
def on_received_day():
    with time_machine.travel(RECEIVED, tick=True):
        yield
