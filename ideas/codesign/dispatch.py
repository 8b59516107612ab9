"""The one table of co-design board actions, shared by the websocket and the no-JS form post.

``ACTIONS`` names each action, its JSON schema (``realtime.consumers.Action``) and whether it
needs an account; ``HANDLERS`` (:mod:`ideas.codesign.handlers`) maps it to a function
``handler(actor, **payload)`` that calls one action of :mod:`ideas.codesign.actions` and
returns plain data. The session consumer
(:class:`ideas.codesign.consumers.SessionConsumer`) is an :class:`Actor` and runs a handler
for each validated socket message; the board's form view builds a :class:`FormActor`, turns
the POST into the same message (:func:`message_from_post`, typed by the schema), validates it
against the same schema and runs the same handler. So every action the socket offers works
without JavaScript, with the same checks.

Two socket actions have no form here: ``join`` (the join page has its persona and guest
forms) and ``typing`` (ephemeral presence, meaningless without a live page; the consumer
handles it itself).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ideas.codesign import actions, guests, permissions, selectors
from ideas.codesign.handlers import HANDLERS
from ideas.codesign.models import PHASES, CodesignSession, Colour, Participant
from realtime.consumers import Action

_ID = {"type": "integer", "minimum": 1, "maximum": 2**53}
_NULLABLE_ID = {"type": ["integer", "null"], "minimum": 1, "maximum": 2**53}
_VERSION = {"type": "integer", "minimum": 1, "maximum": 2**53}
_POS = {"type": "integer"}
# Generous schema limits: the actions give the clear, translated length messages.
_TEXT = {"type": "string", "maxLength": 4000}


def _act(name: str, properties: dict, required: tuple = (), *, auth: bool = False) -> Action:
    return Action(
        handler=f"handle_{name}", properties=properties, required=required, requires_auth=auth
    )


ACTIONS: dict[str, Action] = {
    "join": _act("join", {"persona": _ID}, ("persona",), auth=True),
    "phase": _act(
        "phase",
        {"to": {"type": "string", "enum": [*PHASES, "next", "back"]}, "version": _VERSION},
        ("to", "version"),
        auth=True,
    ),
    "lock": _act(
        "lock",
        {"locked": {"type": "boolean"}, "version": _VERSION},
        ("locked", "version"),
        auth=True,
    ),
    "reveal": _act("reveal", {"version": _VERSION}, ("version",), auth=True),
    # ``seconds`` null (or left out): resume a paused timer.
    "timer_start": _act(
        "timer_start",
        {"seconds": {"type": ["integer", "null"]}, "version": _VERSION},
        ("version",),
        auth=True,
    ),
    "timer_pause": _act("timer_pause", {"version": _VERSION}, ("version",), auth=True),
    "timer_extend": _act(
        "timer_extend",
        {"seconds": {"type": "integer"}, "version": _VERSION},
        ("seconds", "version"),
        auth=True,
    ),
    "remove": _act("remove", {"participant": _ID}, ("participant",), auth=True),
    "note_add": _act(
        "note_add",
        {
            "text": _TEXT,
            "prompt": {"type": ["integer", "null"]},
            "colour": {"type": "string", "enum": list(Colour.values)},
            "x": _POS,
            "y": _POS,
            "idea": {"type": ["integer", "null"]},
        },
        ("text",),
    ),
    "note_edit": _act(
        "note_edit",
        {"note": _ID, "version": _VERSION, "text": _TEXT, "colour": {"type": "string"}},
        ("note", "version"),
    ),
    # ``group`` null is the same as ``ungroup: true`` (the form's "No group" choice).
    "note_move": _act(
        "note_move",
        {
            "note": _ID,
            "version": _VERSION,
            "x": _POS,
            "y": _POS,
            "group": _NULLABLE_ID,
            "ungroup": {"type": "boolean"},
        },
        ("note", "version"),
    ),
    "note_delete": _act("note_delete", {"note": _ID, "version": _VERSION}, ("note", "version")),
    "group_add": _act("group_add", {"name": _TEXT}, ("name",)),
    "group_rename": _act(
        "group_rename",
        {"group": _ID, "name": _TEXT, "version": _VERSION},
        ("group", "name", "version"),
    ),
    "group_delete": _act("group_delete", {"group": _ID, "version": _VERSION}, ("group", "version")),
    "vote": _act("vote", {"group": _ID}, ("group",)),
    "unvote": _act("unvote", {"group": _ID}, ("group",)),
    "outcome_add": _act(
        "outcome_add",
        {"title": _TEXT, "description": _TEXT, "group": {"type": ["integer", "null"]}},
        ("title",),
        auth=True,
    ),
    "outcome_promote": _act("outcome_promote", {"outcome": _ID}, ("outcome",), auth=True),
    "typing": _act("typing", {"typing": {"type": "boolean"}}, ("typing",)),
}

ERROR_CODES = actions.ERROR_CODES
_VALIDATORS = {name: action.validator(name) for name, action in ACTIONS.items()}


# -- who acts ---------------------------------------------------------------------------------


class Actor:
    """Whoever sends an action: the session consumer, or the board's form view.

    Subclasses set ``session``, ``user``, ``has_code``, ``sees_all`` (facilitator rights as of
    the last look), ``participant_id`` and ``participant_name`` (None/"" until joined), and
    give :meth:`guest_key`.
    """

    session: CodesignSession
    has_code: bool = False
    sees_all: bool = False
    participant_id: int | None = None
    participant_name: str = ""

    user: Any  # the account (or AnonymousUser); the consumer's comes from its scope

    def guest_key(self) -> str:
        raise NotImplementedError

    def participant(self) -> Participant | None:
        return selectors.participant_for(self.session.pk, self.user, self.guest_key())

    def joined(self) -> Participant:
        """The sender's participant. Once known it is not looked up again: the actions re-read
        and lock the row, refusing removed or suspended people."""
        if self.participant_id is not None:
            return Participant(pk=self.participant_id, session_id=self.session.pk)
        participant = self.participant()
        if participant is None:
            raise ValidationError(_("Join the session first."), code="not_joined")
        self.participant_id, self.participant_name = participant.pk, participant.name
        return participant

    def facilitator(self) -> Any:
        """The sender, for facilitator actions: the actions decide whether they facilitate.
        A facilitator need not join as a participant to run the session."""
        return self.user

    def fresh_session(self) -> CodesignSession:
        return CodesignSession.objects.select_related("agency").get(pk=self.session.pk)

    def versioned(self, kind: str, object_id: int, change: Callable[[], Any]) -> Any:
        """Run ``change``; a ``stale`` refusal carries the object's present state."""
        try:
            return change()
        except ValidationError as exc:
            if getattr(exc, "code", None) == "stale":
                exc.current = selectors.current_object(  # type: ignore[attr-defined]
                    self.session.pk,
                    kind,
                    object_id,
                    viewer_id=self.participant_id,
                    sees_all=self.sees_all,
                )
            raise


class FormActor(Actor):
    """The sender of a no-JS form post on the board page."""

    def __init__(
        self,
        request: Any,
        session: CodesignSession,
        participant: Participant | None,
        *,
        has_code: bool,
    ) -> None:
        self.request = request
        self.session = session
        self.has_code = has_code
        self.sees_all = permissions.can_facilitate(request.user, session)
        if participant is not None:
            self.participant_id, self.participant_name = participant.pk, participant.name

    @property
    def user(self) -> Any:
        return self.request.user

    def guest_key(self) -> str:
        return guests.guest_key(self.request.session, self.session.pk)


# Actions a plain form may post (see the module docstring for the two that have none).
FORM_ACTIONS = frozenset(HANDLERS) - {"join"}


# -- the no-JS form post --------------------------------------------------------------------------

_TRUE = frozenset({"true", "1", "on", "yes"})
_FALSE = frozenset({"false", "0", "off", "no"})


def _types(schema: Mapping[str, Any]) -> list[str]:
    kind = schema.get("type", [])
    return [kind] if isinstance(kind, str) else list(kind)


def message_from_post(name: str, post: Mapping[str, str]) -> dict[str, Any]:
    """The socket message a form post stands for, typed by the action's schema.

    Fields the schema does not name are ignored (the CSRF token, the action name). A blank
    field is null where the schema allows null, else left out (so a required one is reported
    missing by :func:`validate`); integers and booleans that do not parse are refused with a
    clear ``ValidationError`` naming the field. Nothing is defaulted.
    """
    action = ACTIONS[name]
    message: dict[str, Any] = {"type": name}
    for field, schema in action.properties.items():
        if field not in post:
            continue
        raw = post[field]
        types = _types(schema)
        if "string" in types:
            message[field] = raw
            continue
        raw = raw.strip()
        if not raw:
            if "null" in types:
                message[field] = None
            continue
        if "integer" in types:
            try:
                message[field] = int(raw)
            except ValueError:
                raise ValidationError(
                    _(
                        "“%(value)s” is not a whole number (%(field)s). Reload the page and try again."
                    )
                    % {"value": raw[:40], "field": field},
                    code="invalid",
                ) from None
        elif "boolean" in types:
            if raw.lower() not in _TRUE | _FALSE:
                raise ValidationError(
                    _("“%(value)s” is not yes or no (%(field)s). Reload the page and try again.")
                    % {"value": raw[:40], "field": field},
                    code="invalid",
                )
            message[field] = raw.lower() in _TRUE
        else:
            message[field] = raw
    return message


def validate(message: dict[str, Any]) -> dict[str, Any]:
    """Check ``message`` against its action's schema (as the consumer does); the payload
    (without ``type``) to pass to the handler. Refusals are ``ValidationError`` saying which
    field is missing or wrong."""
    name = message["type"]
    errors = sorted(_VALIDATORS[name].iter_errors(message), key=lambda e: list(e.path))
    if not errors:
        return {k: v for k, v in message.items() if k not in {"type", "ref"}}
    error = errors[0]
    if error.validator == "required":
        missing = [f for f in ACTIONS[name].required if f not in message]
        raise ValidationError(
            _("This form is missing “%(field)s”. Reload the page and try again.")
            % {"field": ", ".join(missing)},
            code="invalid",
        )
    if error.validator == "maxLength":
        raise ValidationError(
            _("This can be at most %(limit)s characters. Shorten it and try again.")
            % {"limit": error.validator_value},
            code="invalid",
        )
    field = ".".join(str(p) for p in error.path) or name
    raise ValidationError(
        _("The value of “%(field)s” is not valid. Reload the page and try again.")
        % {"field": field},
        code="invalid",
    )


def run(actor: Actor, name: str, payload: dict[str, Any]) -> Any:
    """Run action ``name`` for ``actor`` with a validated ``payload``."""
    return HANDLERS[name](actor, **payload)
