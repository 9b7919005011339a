"""The directory's access expectations, gathered from each part."""

from __future__ import annotations

from homeward.directory.tests.expectations_api import EXPECTATIONS as API
from homeward.directory.tests.expectations_browse import EXPECTATIONS as BROWSE
from homeward.directory.tests.expectations_edit import EXPECTATIONS as EDIT
from homeward.directory.tests.expectations_exchange import EXPECTATIONS as EXCHANGE
from homeward.directory.tests.expectations_library import EXPECTATIONS as LIBRARY

EXPECTATIONS = [*API, *BROWSE, *EDIT, *EXCHANGE, *LIBRARY]
