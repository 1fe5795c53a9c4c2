"""Carriers: the catalogue of the carriers the centre serves (and, next, their adapters)."""

from carriers.catalogue import CATALOGUE, CODES, CarrierInfo, UnknownCarrier, carrier, carrier_name
from carriers.plans import OFFERS, Offer, Plan, describe, offer

__all__ = ["CATALOGUE", "CODES", "OFFERS", "CarrierInfo", "Offer", "Plan", "UnknownCarrier", "carrier",
           "carrier_name", "describe", "offer"]
