"""Validated spec types for a site's sections, one file per section.

Each section's model lives with the module team that owns it
(``fleet`` <- power, ``cooling`` <- thermal, ``electrical`` <- power, ``tariff``, ``interconnection``,
``solar`` <- grid/solar, ``finance`` <- tco). ``dcplan.site`` assembles them.
"""
from ._base import Spec
from .cooling import CoolingSpec
from .electrical import ElectricalSpec
from .finance import FinanceSpec
from .fleet import FleetPhase, FleetSpec
from .interconnection import BatterySpec, InterconnectionPhase, InterconnectionSpec
from .solar import SolarSpec
from .tariff import TariffSpec
from .weather import WeatherSpec

__all__ = ["Spec", "BatterySpec", "CoolingSpec", "ElectricalSpec", "FinanceSpec", "FleetPhase", "FleetSpec",
           "InterconnectionPhase", "InterconnectionSpec", "SolarSpec", "TariffSpec", "WeatherSpec"]
