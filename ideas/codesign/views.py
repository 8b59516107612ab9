"""Session pages: list, schedule, join (persona or named guest), the board, the summary and
its Markdown/CSV exports.

Thin: parse, call a service, turn its refusal into a message or a form error. The board works
without JavaScript: every control is an ordinary form posted to :func:`act`, which calls the
same services as the websocket; ``session.js`` makes the page live and sends the same actions
over the socket.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community import spreadsheets
from community.models import Organisation
from ideas.codesign import guests, permissions, selectors, services
from ideas.codesign.forms import GuestJoinForm, JoinForm, OutcomeForm, SessionForm, apply_errors
from ideas.codesign.models import CodesignSession, Outcome, Phase


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
            session = services.session_create(
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
            )
        except ValidationError as exc:
            apply_errors(form, exc)
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
                joined = services.participant_join(
                    user=user,
                    session=session,
                    persona=active.cleaned_data.get("persona"),
                    guest_name=active.cleaned_data.get("guest_name", ""),
                    has_code=True,
                )
            except (ValidationError, PermissionDenied) as exc:
                if isinstance(exc, ValidationError):
                    apply_errors(active, exc)
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
        "note_unconfirmed": _(
            "The connection dropped before your note was confirmed. It is still in the box: "
            "check the board, then add it again if it is not there."
        ),
    }


def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session, participant, _has_code = _watchable(request, pk)
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
            "columns": columns,
            "loose": loose,
            "groups": [{**g, "notes": notes_by_group.get(g["id"], [])} for g in groups],
            "phase": session.phase,
            "Phase": Phase,
            "outcome_form": OutcomeForm() if sees_all else None,
            "reveal_offered": permissions.reveal_offered(
                request.user, session, note_count=len(board["notes"])
            ),
            "js_text": _js_text(),
            "join_url": request.build_absolute_uri(reverse("codesign:join", args=[session.code])),
        },
    )


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@require_POST
def act(request: HttpRequest, pk: int) -> HttpResponse:
    """Every board control without JavaScript: the same services the websocket calls."""
    session, participant, _has_code = _watchable(request, pk)
    post = request.POST
    action = post.get("action", "")
    user = request.user if request.user.is_authenticated else None
    version = _int(post.get("version")) or 0
    done = _("Done.")
    try:
        if action == "note_add":
            note = services.note_add(
                participant=participant,
                session=session,
                text=post.get("text", ""),
                prompt=_int(post.get("prompt")),
                colour=post.get("colour") or "yellow",
            )
            if note.screening.held:
                messages.warning(request, note.screening.message)
                return redirect(session)
            done = _("Your note is on the board.")
        elif action == "note_move":
            group = _int(post.get("group"))
            services.note_move(
                participant=participant,
                note_id=_int(post.get("note")) or 0,
                version=version,
                group=group,
                ungroup=group is None,
            )
            done = _("Note moved.")
        elif action == "note_delete":
            services.note_delete(
                participant=participant, note_id=_int(post.get("note")) or 0, version=version
            )
            done = _("Note deleted.")
        elif action == "group_add":
            services.group_create(
                participant=participant, session=session, name=post.get("name", "")
            )
            done = _("Group added.")
        elif action in ("vote", "unvote"):
            call = services.dot_cast if action == "vote" else services.dot_withdraw
            result = call(
                participant=participant, session=session, group_id=_int(post.get("group")) or 0
            )
            done = _("Votes left: %(n)d.") % {"n": result["left"]}
        elif action == "phase":
            services.phase_step(
                user=user, session=session, direction=post.get("direction", "next"), version=version
            )
            done = _("Phase changed.")
        elif action == "reveal":
            services.notes_reveal(user=user, session=session, version=version)
            done = _("Every note is now visible.")
        elif action == "lock":
            services.board_lock(
                user=user, session=session, locked=post.get("locked") == "1", version=version
            )
            done = _("Board lock changed.")
        elif action == "timer_start":
            minutes = _int(post.get("minutes"))
            services.timer_start(
                user=user, session=session, seconds=minutes * 60 if minutes else 0, version=version
            )
            done = _("Timer started.")
        elif action == "timer_pause":
            services.timer_pause(user=user, session=session, version=version)
            done = _("Timer paused.")
        elif action == "timer_extend":
            minutes = _int(post.get("minutes")) or 1
            services.timer_extend(user=user, session=session, seconds=minutes * 60, version=version)
            done = _("Timer extended.")
        elif action == "outcome_add":
            form = OutcomeForm(post)
            if not form.is_valid():
                raise ValidationError(_("Say what the outcome is."))
            services.outcome_create(
                user=user,
                session=session,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                group_id=_int(post.get("group")),
            )
            done = _("Outcome recorded.")
        else:
            raise ValidationError(_("That action is not known."))
    except (ValidationError, PermissionDenied) as exc:
        text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        messages.error(request, text or _("You may not do that."))
    except ObjectDoesNotExist:
        messages.error(request, _("That no longer exists. The board has been refreshed."))
    else:
        messages.success(request, done)
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
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    outcome = get_object_or_404(Outcome.objects.select_related("session__agency"), pk=pk)
    if not permissions.can_facilitate(request.user, outcome.session):
        raise Http404
    try:
        item = services.outcome_promote(user=request.user, outcome=outcome)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("“%(title)s” is now a draft in the backlog.") % {"title": item.title}
        )
    target = "codesign:summary" if outcome.session.is_finished else "codesign:session"
    return redirect(target, pk=outcome.session_id)
