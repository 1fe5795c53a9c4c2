"""Tickets: the queue, the ticket page, intake from every channel, SLA clocks (``tickets/``)."""
