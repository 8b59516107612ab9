"""PostgreSQL only: text search configurations, the tsvector column and the GIN indexes.

``civic_english`` and ``civic_spanish`` are copies of the built-in configurations that run
``unaccent`` before stemming, so "camión" and "camion" are one word. ``document`` is a stored
generated column (titles weighted A, text and other languages' text B) in both
configurations, and ``title_document`` the title's alone (so the entries matching in their
title are found first however many match in their text); ``title_plain`` gets a trigram
index for typo-tolerant title matches. On SQLite
nothing happens: ``community.search.engine`` searches the ``terms`` column instead.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'civic_english') THEN
            CREATE TEXT SEARCH CONFIGURATION civic_english (COPY = english);
            ALTER TEXT SEARCH CONFIGURATION civic_english
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
        END IF;
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'civic_spanish') THEN
            CREATE TEXT SEARCH CONFIGURATION civic_spanish (COPY = spanish);
            ALTER TEXT SEARCH CONFIGURATION civic_spanish
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, spanish_stem;
        END IF;
    END $$""",
    """ALTER TABLE search_searchentry ADD COLUMN document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('civic_english'::regconfig, title), 'A')
        || setweight(to_tsvector('civic_spanish'::regconfig, title), 'A')
        || setweight(to_tsvector('civic_english'::regconfig, body || ' ' || extra), 'B')
        || setweight(to_tsvector('civic_spanish'::regconfig, body || ' ' || extra), 'B')
    ) STORED""",
    """ALTER TABLE search_searchentry ADD COLUMN title_document tsvector GENERATED ALWAYS AS (
        to_tsvector('civic_english'::regconfig, title)
        || to_tsvector('civic_spanish'::regconfig, title)
    ) STORED""",
    "CREATE INDEX search_entry_document ON search_searchentry USING gin (document)",
    "CREATE INDEX search_entry_title_document ON search_searchentry USING gin (title_document)",
    "CREATE INDEX search_entry_title_trgm ON search_searchentry USING gin (title_plain gin_trgm_ops)",
]

BACKWARD = [
    "DROP INDEX IF EXISTS search_entry_title_trgm",
    "DROP INDEX IF EXISTS search_entry_document",
    "DROP INDEX IF EXISTS search_entry_title_document",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS title_document",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS document",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in FORWARD:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in BACKWARD:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
