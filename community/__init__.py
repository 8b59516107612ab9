"""People and the generic mechanisms every other app attaches to.

Owns accounts (the custom user model), personas (the public faces a citizen contributes
under), organisations (agencies and intermediaries) and staff roles scoped to them, the one
permissions module, privacy (consents, export, deletion), notifications and follows, the
sanitiser for user text, moderation (reports, holds, audit) and the service exchange.
Never imports ``ideas`` or ``cms``: generic mechanisms attach through content types.
"""
