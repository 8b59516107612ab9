"""The realtime transport: how changes reach every open browser.

Owns the event envelope and the one publish helper (serialise now, send after commit), group
names, per-stream sequence numbers, the base websocket consumer (snapshot first, then events;
inbound messages schema-checked, size- and rate-limited before any service runs), the
websocket routing table and the small browser client. It holds no domain rules: apps declare
their event types and consumers and call their own services.
"""
