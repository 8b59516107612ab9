"""Project configuration: settings read from the environment, root URLs, ASGI entry point.

Nothing here holds domain rules; it wires the apps (``community``, ``ideas``, ``cms``,
``realtime``) together and decides which backing services (SQLite or PostgreSQL, in-memory
or Redis) the process uses.
"""
