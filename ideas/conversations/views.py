"""Conversation pages: one statement at a time with three buttons, adding a statement, the
report, and the agency's create / close / promote forms.

Thin: parse, call an action, turn its refusal into a message or a form error. Everything is
an ordinary form (no JavaScript needed); after a vote the page redirects back to the next
statement (post/redirect/get).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community.formerrors import apply_validation_error
from community.models import Organisation
from ideas.conversations import actions, opinion, permissions, selectors
from ideas.conversations.forms import ConversationForm, StatementForm
from ideas.conversations.models import Conversation, Statement
from ideas.opinion import selectors as opinion_selectors


def _viewable(request: HttpRequest, pk: int) -> Conversation:
    conversation = selectors.conversation_detail(pk)
    if conversation is None or not permissions.can_view_conversation(request.user, conversation):
        raise Http404
    return conversation


def _refusal(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or _("You cannot do that.")


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _viewable(request, pk)
    statement, progress = selectors.next_statement(request.user, conversation)
    return render(
        request,
        "conversations/detail.html",
        {
            "conversation": conversation,
            "statement": statement,
            "progress": progress,
            "vote_refusal": permissions.why_not_vote(request.user, conversation),
            "statement_refusal": permissions.why_not_add_statement(request.user, conversation),
            "form": StatementForm(user=request.user),
        },
    )


@require_POST
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _viewable(request, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(conversation.get_absolute_url())
    raw = request.POST.get("statement", "")
    statement = (
        Statement.objects.select_related("conversation")
        .filter(conversation=conversation, pk=int(raw) if raw.isdigit() else 0)
        .first()
    )
    if statement is None:
        messages.error(request, _("That statement is not in this conversation."))
        return redirect(conversation)
    try:
        actions.vote_cast(user=request.user, statement=statement, choice=request.POST.get("choice"))
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, _refusal(exc))
    else:
        messages.success(
            request, _("Your vote on statement %(n)d is saved.") % {"n": statement.number}
        )
    return redirect(f"{conversation.get_absolute_url()}#vote")


@require_POST
def statement_add(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _viewable(request, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(conversation.get_absolute_url())
    form = StatementForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            statement = actions.statement_add(
                user=request.user,
                conversation=conversation,
                text=form.cleaned_data["text"],
                persona=form.cleaned_data["persona"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, _refusal(exc))
        else:
            if statement.screening.held:
                messages.info(request, statement.screening.message)
            else:
                messages.success(
                    request,
                    _("Your statement is number %(n)d. Others will see it among the next ones.")
                    % {"n": statement.number},
                )
            return redirect(conversation)
    next_statement, progress = selectors.next_statement(request.user, conversation)
    return render(
        request,
        "conversations/detail.html",
        {
            "conversation": conversation,
            "statement": next_statement,
            "progress": progress,
            "vote_refusal": permissions.why_not_vote(request.user, conversation),
            "statement_refusal": permissions.why_not_add_statement(request.user, conversation),
            "form": form,
        },
        status=400,
    )


def report(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _viewable(request, pk)
    promotable: list[Statement] = []
    if permissions.can_manage_conversation(request.user, conversation):
        ids = opinion.consensus_ids(conversation.pk)
        promotable = list(
            selectors.shown_statements(conversation.pk).filter(pk__in=ids).order_by("number")
        )
    return render(
        request,
        "conversations/report.html",
        {
            "conversation": conversation,
            "summary": selectors.summary(conversation.pk),
            "map": opinion_selectors.map_display(opinion.KIND, conversation.pk),
            "promotable": promotable,
        },
    )


def create(request: HttpRequest, agency: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    org = get_object_or_404(Organisation, slug=agency, kind=Organisation.Kind.AGENCY)
    if not permissions.can_create_conversation(request.user, org):
        raise Http404
    initial = {}
    if request.GET.get("challenge", "").isdigit():
        initial["challenge"] = int(request.GET["challenge"])
    form = ConversationForm(request.POST or None, agency=org, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            conversation = actions.conversation_create(
                user=request.user,
                agency=org,
                title=data["title"],
                question=data["question"],
                challenge=data["challenge"],
                allow_statements=data["allow_statements"],
                sms_code=data["sms_code"],
                closes_at=data["closes_at"],
                statements=form.seed_statements(),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The conversation is open."))
            return redirect(conversation)
    return render(
        request,
        "conversations/form.html",
        {"form": form, "agency": org},
        status=400 if form.errors else 200,
    )


@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = _viewable(request, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(conversation.get_absolute_url())
    try:
        actions.conversation_close(user=request.user, conversation=conversation)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, _refusal(exc))
    else:
        messages.success(request, _("The conversation is closed. The report stays public."))
    return redirect(conversation)


@require_POST
def promote(request: HttpRequest, pk: int) -> HttpResponse:
    statement = get_object_or_404(Statement.objects.select_related("conversation__agency"), pk=pk)
    conversation = statement.conversation
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("conversations:report", args=[conversation.pk]))
    if not permissions.can_promote_statement(request.user, statement):
        raise Http404
    try:
        item = actions.statement_promote(user=request.user, statement=statement)
    except ValidationError as exc:
        messages.error(request, _refusal(exc))
    else:
        messages.success(
            request,
            _("Statement %(n)d is now the backlog item “%(item)s”; everyone who agreed hears back.")
            % {"n": statement.number, "item": item.title},
        )
    return redirect(reverse("conversations:report", args=[conversation.pk]))
