"""Demo step: the Spanish of official content held in models (run by the backlog seeder,
the last to create such content, so items and updates made from ideas are covered). Idempotent: only fills translations
that are missing, never overwrites an editor's."""

from __future__ import annotations

from django.db import transaction

from community.content_i18n import originals
from community.models import Organisation
from ideas.backlog.models import BacklogItem, PublicUpdate
from ideas.demo_es import IDEA_ITEM_TITLES, SPANISH
from ideas.models import Challenge, StatusChange

MODELS = (Organisation, Challenge, StatusChange, BacklogItem, PublicUpdate)


def translate(model, language: str = "es", mapping: dict[str, str] | None = None) -> int:
    mapping = mapping if mapping is not None else {**SPANISH, **IDEA_ITEM_TITLES}
    changed = 0
    with originals(), transaction.atomic():
        for obj in model.objects.all():
            translations = dict(obj.translations or {})
            mine = dict(translations.get(language) or {})
            for name in model.translated_field_names:
                text = getattr(obj, name)
                if text and name not in mine and text.strip() in mapping:
                    mine[name] = mapping[text.strip()]
            if mine != (translations.get(language) or {}):
                translations[language] = mine
                model.objects.filter(pk=obj.pk).update(translations=translations)
                changed += 1
    return changed


def seed(context: dict) -> dict:
    for model in MODELS:
        translate(model)
    return {}
