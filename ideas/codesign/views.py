"""Session pages: list, schedule, join (persona or named guest), the board, the summary and
its Markdown/CSV exports.

Thin: parse, call an action, turn its refusal into a message or a form error. The board works
without JavaScript: every control is an ordinary form posted to :func:`board_action`, which
runs the websocket's own action table (:mod:`ideas.codesign.dispatch`: same schema, same
handler); ``session.js`` makes the page live and sends the same actions over the socket.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community import spreadsheets
from community.formerrors import apply_validation_error
from community.models import Organisation
from ideas.codesign import actions, dispatch, guests, permissions, selectors
from ideas.codesign.forms import GuestJoinForm, JoinForm, OutcomeForm, SessionForm
from ideas.codesign.models import CodesignSession, Colour, Outcome, Phase

# The timer lengths the no-JS form offers (the action accepts any up to TIMER_MAX_SECONDS).
TIMER_MINUTES = (1, 2, 3, 5, 10, 15, 20, 30, 45, 60)


def _participant(request: HttpRequest, session: CodesignSession):
    return selectors.participant_for(
        session.pk, request.user, guests.guest_key(request.session, session.pk)
    )


def _watchable(request: HttpRequest, pk: int):
    try:
        session = selectors.session_detail(pk)
    except CodesignSession.DoesNotExist:
        raise Http404 from None
    participant = _participant(request, session)
    has_code = guests.has_code(request.session, session.pk)
    if not permissions.can_watch(request.user, session, participant=participant, has_code=has_code):
        raise Http404  # invited sessions stay unlisted for strangers
    return session, participant, has_code


def session_list(request: HttpRequest) -> HttpResponse:
    listed = selectors.sessions_listed(request.user)
    agencies = []
    if request.user.is_authenticated:
        agencies = [
            a
            for a in Organisation.objects.filter(kind=Organisation.Kind.AGENCY, is_active=True)
            if permissions.can_create_session(request.user, a)
        ]
    return render(request, "codesign/session_list.html", {**listed, "agencies": agencies})


def session_create(request: HttpRequest, agency: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    org = get_object_or_404(Organisation, slug=agency, kind=Organisation.Kind.AGENCY)
    if not permissions.can_create_session(request.user, org):
        raise Http404
    form = SessionForm(request.POST or None, agency=org)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = actions.session_create(
                user=request.user,
                agency=org,
                title=data["title"],
                goal=data["goal"],
                scheduled_at=data["scheduled_at"],
                prompts=data["prompts"].splitlines(),
                challenge=data["challenge"],
                visibility=data["visibility"],
                allow_guests=data["allow_guests"],
                hide_notes=data["hide_notes"],
                vote_budget=data["vote_budget"],
                group_cap=data["group_cap"],
                seed_ideas=data["seed_ideas"],
                **form.place_arguments(),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(
                request,
                _("Session scheduled. Share the join code %(code)s or this page's link.")
                % {"code": session.code},
            )
            return redirect(session)
    return render(request, "codesign/session_form.html", {"form": form, "agency": org})


def join_by_code(request: HttpRequest) -> HttpResponse:
    code = "".join(request.GET.get("code", "").split()).upper()
    if not code:
        return redirect("codesign:session_list")
    if not CodesignSession.objects.filter(code=code).exists():
        messages.error(request, _("No session has that code. Check it with the facilitator."))
        return redirect("codesign:session_list")
    return redirect("codesign:join", code=code)


def join(request: HttpRequest, code: str) -> HttpResponse:
    """The join link: remembers the code (invited sessions), then joins by persona or name."""
    session = get_object_or_404(CodesignSession.objects.select_related("agency"), code=code.upper())
    guests.remember_code(request.session, session.pk)
    participant = _participant(request, session)
    if participant is not None and participant.removed_at is None:
        return redirect(session)
    user = request.user if request.user.is_authenticated else None
    form = JoinForm(request.POST or None, user=user) if user else None
    guest_form = None
    if user is None and permissions.can_join_as_guest(session, has_code=True):
        guest_form = GuestJoinForm(request.POST or None)
    if request.method == "POST":
        active = form or guest_form
        if active is not None and active.is_valid():
            try:
                joined = actions.participant_join(
                    user=user,
                    session=session,
                    persona=active.cleaned_data.get("persona"),
                    guest_name=active.cleaned_data.get("guest_name", ""),
                    has_code=True,
                )
            except (ValidationError, PermissionDenied) as exc:
                if isinstance(exc, ValidationError):
                    apply_validation_error(active, exc)
                else:
                    messages.error(request, str(exc))
            else:
                if joined.is_guest:
                    guests.remember_guest(request.session, session.pk, joined.guest_key)
                return redirect(session)
    return render(
        request,
        "codesign/join.html",
        {"session": session, "form": form, "guest_form": guest_form},
    )


def _js_text() -> dict[str, str]:
    """Every string session.js shows, translated here (the script has no catalogue)."""
    return {
        "live": _("Live"),
        "connecting": _("Connecting…"),
        "offline": _("Offline: reload the page to see changes"),
        "note_added": _("Your note is on the board."),
        "votes_left": _("You have %(n)s votes left."),
        "phase_now": _("The session is now in: %(phase)s."),
        "removed": _("A facilitator removed you from this session."),
        "typing": _("%(name)s is writing a note…"),
        "new_note": _("New note from %(name)s."),
        "revealed": _("Every note is now visible."),
        "hidden_note": _("Hidden until the facilitator reveals notes"),
        "move_to": _("Move to group"),
        "no_group": _("No group"),
        "move": _("Move"),
        "delete_note": _("Delete note"),
        "groups": _("Groups"),
        "no_groups": _("No groups yet. Groups are made in the “Group notes” phase."),
        "votes": _("%(n)s votes"),
        "vote_for": _("Vote for %(name)s"),
        "unvote": _("Take a vote back from %(name)s"),
        "your_note": _("Your note"),
        "prompt": _("Prompt"),
        "add_note": _("Add note"),
        "new_group": _("New group name"),
        "add_group": _("Add group"),
        "lock": _("Lock the board"),
        "unlock": _("Unlock the board"),
        "here": _("(here now)"),
        "in_backlog": _("In the backlog"),
        "timer": _("Time left: %(m)s:%(s)s"),
        "timer_paused": _("Timer paused"),
        "other_notes": _("Other notes"),
        "no_participants": _("Nobody has joined yet."),
        "no_outcomes": _("No outcomes yet."),
        "add_to_backlog": _("Add to the backlog"),
        "busy": _("The board is busy. Sending your change again in a moment…"),
        "note_unconfirmed": _(
            "The connection dropped before your note was confirmed. It is still in the box: "
            "check the board, then add it again if it is not there."
        ),
    }


def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session, participant, _has_code = _watchable(request, pk)
    if participant is not None:
        participant.session = session  # the permission rules read its phase
    sees_all = permissions.can_facilitate(request.user, session)
    board = selectors.board_snapshot(session, viewer=participant, sees_all=sees_all)
    groups = board["groups"]
    notes_by_group: dict = {}
    for note in board["notes"]:
        notes_by_group.setdefault(note["group"], []).append(note)
    columns = [
        {"prompt": p, "notes": [n for n in notes_by_group.get(None, []) if n["prompt"] == p["id"]]}
        for p in board["prompts"]
    ]
    loose = [
        n
        for n in notes_by_group.get(None, [])
        if n["prompt"] not in {p["id"] for p in board["prompts"]}
    ]
    return render(
        request,
        "codesign/session_detail.html",
        {
            "session": session,
            "board": board,
            "participant": participant,
            "facilitator": sees_all,
            "removable": permissions.removable_participant_ids(
                request.user, session, board["participants"], actor=participant
            ),
            "columns": columns,
            "loose": loose,
            "groups": [{**g, "notes": notes_by_group.get(g["id"], [])} for g in groups],
            "phase": session.phase,
            "Phase": Phase,
            "outcome_form": OutcomeForm() if sees_all else None,
            "colours": Colour.choices,
            "timer_minutes": TIMER_MINUTES,
            "reveal_offered": permissions.reveal_offered(
                request.user, session, note_count=len(board["notes"])
            ),
            "js_text": _js_text(),
            "join_url": request.build_absolute_uri(reverse("codesign:join", args=[session.code])),
        },
    )


def _done_message(name: str, result: dict) -> str:
    """What a successful form post tells the person (the socket's client says its own)."""
    if name in ("vote", "unvote"):
        return _("Votes left: %(n)d.") % {"n": result["left"]}
    if name == "outcome_promote":
        return _("“%(title)s” is now a draft in the backlog.") % {"title": result["title"]}
    if name == "remove":
        return _("%(name)s was removed from the session.") % {"name": result["name"]}
    return {
        "phase": _("Phase changed."),
        "lock": _("Board lock changed."),
        "reveal": _("Every note is now visible."),
        "timer_start": _("Timer started."),
        "timer_pause": _("Timer paused."),
        "timer_extend": _("Timer extended."),
        "note_add": _("Your note is on the board."),
        "note_edit": _("Note changed."),
        "note_move": _("Note moved."),
        "note_delete": _("Note deleted."),
        "group_add": _("Group added."),
        "group_rename": _("Group renamed."),
        "group_delete": _("Group deleted. Its notes are back on the board."),
        "outcome_add": _("Outcome recorded."),
    }[name]


def _post_action(
    request: HttpRequest,
    session: CodesignSession,
    participant,
    has_code: bool,
    name: str,
    fields: Mapping[str, str] | None = None,
) -> None:
    """Run board action ``name`` from a form post through the socket's table
    (:mod:`ideas.codesign.dispatch`) and say how it went; a refusal changes nothing.
    ``fields``: the message's fields, when not the POST's own."""
    if name not in dispatch.FORM_ACTIONS:
        messages.error(request, _("That action is not known. Reload the page and try again."))
        return
    if dispatch.ACTIONS[name].requires_auth and not request.user.is_authenticated:
        messages.error(request, _("Sign in to do that."))
        return
    actor = dispatch.FormActor(request, session, participant, has_code=has_code)
    try:
        payload = dispatch.validate(
            dispatch.message_from_post(name, request.POST if fields is None else fields)
        )
        result = dispatch.run(actor, name, payload)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("You may not do that."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages) or _("That is not valid."))
    except ObjectDoesNotExist:
        messages.error(request, _("That no longer exists. The board has been refreshed."))
    else:
        if result.get("held"):
            messages.warning(request, result["note_message"])
        else:
            messages.success(request, _done_message(name, result))


@require_POST
def board_action(request: HttpRequest, pk: int) -> HttpResponse:
    """Every board control without JavaScript: the form's ``action`` names one entry of the
    socket's action table, and its fields are that action's message."""
    session, participant, has_code = _watchable(request, pk)
    _post_action(request, session, participant, has_code, request.POST.get("action", ""))
    return redirect(session)


def _readable_summary(request: HttpRequest, pk: int) -> CodesignSession:
    session = get_object_or_404(CodesignSession.objects.select_related("agency"), pk=pk)
    participant = _participant(request, session)
    if not permissions.can_read_summary(request.user, session, participant=participant):
        raise Http404
    if not session.is_finished and not permissions.can_facilitate(request.user, session):
        raise Http404
    return session


def summary(request: HttpRequest, pk: int) -> HttpResponse:
    session = _readable_summary(request, pk)
    data = selectors.summary(session)
    return render(
        request,
        "codesign/summary.html",
        {**data, "facilitator": permissions.can_facilitate(request.user, session)},
    )


def export_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """One row per note, then one per outcome: what a spreadsheet needs to re-sort."""
    session = _readable_summary(request, pk)
    data = selectors.summary(session)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="session-{session.pk}.csv"'
    writer = spreadsheets.writer(response)
    writer.writerow(
        ["kind", "id", "prompt", "group", "group_votes", "text", "author", "backlog_item"]
    )
    votes = {g["group"].pk: g["votes"] for g in data["groups"]}
    for note in data["notes"]:
        writer.writerow(
            [
                "note",
                note.pk,
                note.prompt.text if note.prompt_id else "",
                note.group.name if note.group_id else "",
                votes.get(note.group_id, 0) if note.group_id else "",
                note.text,
                note.author.name,
                "",
            ]
        )
    for outcome in data["outcomes"]:
        writer.writerow(
            [
                "outcome",
                outcome.pk,
                "",
                outcome.group.name if outcome.group_id else "",
                votes.get(outcome.group_id, 0) if outcome.group_id else "",
                outcome.title,
                "",
                outcome.backlog_item_id or "",
            ]
        )
    return response


def export_markdown(request: HttpRequest, pk: int) -> HttpResponse:
    session = _readable_summary(request, pk)
    data = selectors.summary(session)
    text = render(request, "codesign/summary.md", data).content
    response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="session-{session.pk}.md"'
    return response


@require_POST
def outcome_promote(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Add to the backlog" from the summary page: the board's ``outcome_promote`` action."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    outcome = get_object_or_404(Outcome.objects.select_related("session__agency"), pk=pk)
    if not permissions.can_facilitate(request.user, outcome.session):
        raise Http404
    session, participant, has_code = _watchable(request, outcome.session_id)
    _post_action(request, session, participant, has_code, "outcome_promote", {"outcome": str(pk)})
    target = "codesign:summary" if session.is_finished else "codesign:session"
    return redirect(target, pk=session.pk)


def session_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Add to calendar": the session as one iCalendar event, for whoever may see its page."""
    from community.outreach.calendar import ics_response
    from ideas.outreach import _session_event

    session, _participant, _has_code = _watchable(request, pk)
    return ics_response(
        [_session_event(session)], name=session.title, filename=f"session-{session.pk}.ics"
    )
