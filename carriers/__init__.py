"""Carriers: the catalogue of the carriers the centre serves (and, next, their adapters)."""

from carriers.catalogue import CATALOGUE, CODES, CarrierInfo, UnknownCarrier, carrier, carrier_name

__all__ = ["CATALOGUE", "CODES", "CarrierInfo", "UnknownCarrier", "carrier", "carrier_name"]
