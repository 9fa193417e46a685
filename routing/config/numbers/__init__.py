"""Phone numbers: DIDs claimed by a tenant and routed to one of its queues."""
