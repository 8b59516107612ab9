"""Note groups (clustering): add, rename, delete."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Max
from django.utils.translation import gettext as _

from ideas.codesign import permissions
from ideas.codesign.actions._checks import (
    active_participant,
    check_version,
    clean_line,
    lock_session,
    wrong_phase,
)
from ideas.codesign.conf import setting
from ideas.codesign.events import (
    GROUP_CREATED,
    GROUP_DELETED,
    GROUP_UPDATED,
    NOTE_UPDATED,
    group_card,
    publish_note,
    publish_session_event,
)
from ideas.codesign.models import (
    GROUP_NAME_MAX,
    CodesignSession,
    Note,
    NoteGroup,
    Participant,
)


def group_create(
    *, participant: Participant | None, session: CodesignSession, name: str
) -> NoteGroup:
    """Add a named group (cluster phase; anyone in the session)."""
    name = clean_line(name, "name", GROUP_NAME_MAX, _("Give the group a name."))
    with transaction.atomic():
        row = lock_session(session.pk)
        actor = active_participant(participant, row.pk, session=row)
        if row.phase not in permissions.GROUPING_PHASES:
            raise wrong_phase(row)
        permissions.ensure_board_open(row, actor)
        existing = row.groups.aggregate(n=Count("id"), top=Max("position"))
        if existing["n"] >= setting("GROUPS_MAX"):
            raise ValidationError(_("This board has as many groups as it can hold."))
        group = NoteGroup.objects.create(
            session=row, name=name, position=(existing["top"] or 0) + 1
        )
        publish_session_event(row.pk, GROUP_CREATED, group.pk, group_card(group))
    return group


def group_rename(
    *, participant: Participant | None, group_id: int, name: str, version: int
) -> NoteGroup:
    name = clean_line(name, "name", GROUP_NAME_MAX, _("Give the group a name."))
    with transaction.atomic():
        group = (
            NoteGroup.objects.select_for_update(of=("self",))
            .select_related("session")
            .get(pk=group_id)
        )
        actor = active_participant(participant, group.session_id)
        check_version(group.version, version)
        if group.session.phase not in permissions.GROUPING_PHASES:
            raise wrong_phase(group.session)
        permissions.ensure_board_open(group.session, actor)
        group.name = name
        group.version += 1
        group.save(update_fields=["name", "version"])
        publish_session_event(
            group.session_id, GROUP_UPDATED, group.pk, group_card(group, group.dots.count())
        )
    return group


def group_delete(*, participant: Participant | None, group_id: int, version: int) -> None:
    """Remove an empty or unwanted group (facilitators); its notes become ungrouped."""
    with transaction.atomic():
        group = (
            NoteGroup.objects.select_for_update(of=("self",))
            .select_related("session")
            .get(pk=group_id)
        )
        actor = active_participant(participant, group.session_id)
        if not permissions.participant_facilitates(actor):
            raise PermissionDenied(_("Only the session's facilitators can do that."))
        check_version(group.version, version)
        if group.session.phase not in permissions.GROUPING_PHASES:
            raise wrong_phase(group.session)
        session = group.session
        moved = list(
            Note.objects.filter(group=group, is_hidden=False).select_related("author__persona")
        )
        Note.objects.filter(group=group).update(group=None, version=F("version") + 1)
        pk = group.pk
        group.delete()
        publish_session_event(session.pk, GROUP_DELETED, pk, {"id": pk})
        for note in moved:
            note.group, note.version, note.session = None, note.version + 1, session
            publish_note(note, NOTE_UPDATED)
