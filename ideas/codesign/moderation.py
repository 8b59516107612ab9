"""How sticky notes take part in moderation (registered in ``CodesignConfig.ready``).

``community.moderation`` keeps the held/hidden case; these hooks mirror it in
``Note.is_hidden`` and publish the session events, so a hidden note disappears from every
open board at once and an approved one appears.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community.moderation.registry import register_reportable
from ideas.codesign.events import (
    NOTE_CREATED,
    NOTE_HIDDEN,
    NOTE_UPDATED,
    publish_note,
    session_stream,
)
from ideas.codesign.models import Note
from realtime.events import publish


def _load(note: Note) -> Note:
    return Note.objects.select_related("session", "author__persona").get(pk=note.pk)


def _hide(note: Note, reason: str) -> None:
    Note.objects.filter(pk=note.pk).update(is_hidden=True)
    publish(
        stream=session_stream(note.session_id),
        type=NOTE_HIDDEN,
        object_id=note.pk,
        data={"id": note.pk, "reason": str(reason)},
    )


def _publish(note: Note) -> None:
    Note.objects.filter(pk=note.pk).update(is_hidden=False)
    publish_note(_load(note), NOTE_CREATED)


def _edit(note: Note, text: str) -> None:
    Note.objects.filter(pk=note.pk).update(text=text[:280], edited_at=timezone.now())
    note = _load(note)
    if note.is_hidden:
        return
    publish_note(note, NOTE_UPDATED)


def register() -> None:
    register_reportable(
        Note,
        kind_label=_("Session note"),
        author=lambda note: note.author.persona,  # None for guests: no account to act on
        agency=lambda note: note.session.agency,
        text=lambda note: note.text,
        context=lambda note: str(
            _("Note in the co-design session “%(session)s”") % {"session": note.session}
        ),
        url=lambda note: f"{note.session.get_absolute_url()}#note-{note.pk}",
        on_hide=_hide,
        on_publish=_publish,
        apply_edit=_edit,
    )
