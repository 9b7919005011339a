"""Writes of the shelter family, one module per concept. Import the function
from its module: ``from homeward.shelters.services.stays import stay_admit``."""
