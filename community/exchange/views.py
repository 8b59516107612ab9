"""Exchange pages. Thin: parse a form, call a service, show its message or redirect.

Everything works without JavaScript; the conversation page is made live by
``exchange/conversation.js`` over ``/ws/exchange/<id>/``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.shortcuts import render as django_render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community.exchange import actions, permissions, selectors
from community.exchange import places as exchange_places
from community.exchange.forms import (
    AdjustForm,
    AssistRequestForm,
    ContactForm,
    FilterForm,
    MessageForm,
    PostForm,
    ProposeForm,
    RespondForm,
    ThanksForm,
)
from community.exchange.models import Account, Block, Exchange, Post
from community.formerrors import apply_validation_error
from community.models import Persona
from community.moderation.selectors import case_of, public_notice
from community.permissions import ensure_may_contribute
from community.places import geojson
from community.places import selectors as place_selectors
from community.places.layers import LAYER_LIMIT
from community.ratelimits import rate_limit
from community.selectors import assisted_by


def render(request: HttpRequest, template: str, context: dict | None = None, status: int = 200):
    """Django's render (kept as the one place exchange views render through)."""
    return django_render(request, template, context or {}, status=status)


def post_list(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None)
    filters = selectors.PostFilters()
    if form.is_bound and form.is_valid():
        filters = selectors.PostFilters(**form.cleaned_data)
    posts = selectors.post_list(viewer=request.user, filters=filters)
    page = Paginator(posts, settings.EXCHANGE["PAGE_SIZE"]).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "exchange/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "filtered": filters != selectors.PostFilters(),
        },
    )


def post_map(request: HttpRequest) -> HttpResponse:
    """The list's offers and requests on a map, at their area (district) only, and as a list."""
    districts = place_selectors.districts()
    form = FilterForm(request.GET or None)
    filters = selectors.PostFilters()
    if form.is_bound and form.is_valid():
        filters = selectors.PostFilters(**form.cleaned_data)
    posts = exchange_places.placed(selectors.post_list(viewer=request.user, filters=filters))
    items = exchange_places.post_items(posts[:LAYER_LIMIT])
    district = next((d for d in districts if d.slug == filters.district), None)
    return render(
        request,
        "exchange/map.html",
        {
            "form": form,
            "items": items,
            "limit": LAYER_LIMIT,
            "district": district,
            "filtered": filters != selectors.PostFilters(),
            "points": geojson.feature_collection(
                (i.latitude, i.longitude, i.properties()) for i in items
            ),
            "district_outlines": geojson.district_collection(districts),
        },
    )


def post_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        post = selectors.post_for_display(pk)
    except Post.DoesNotExist:
        raise Http404 from None
    user = request.user
    owner = permissions.owns_post(user, post)
    case = case_of(post)
    hidden = bool(case and case.is_hidden)
    context = {
        "post": post,
        "owner": owner,
        "today": timezone.localdate(),
        "assisted": assisted_by(post),
        "hidden": hidden,
        # the owner and moderators still read it; everyone else reads the notice in its place
        "show_content": not hidden or owner or permissions.can_moderate_exchange(user),
        "moderation_notice": public_notice(case),
    }
    if hidden and not owner:
        return render(request, "exchange/post_detail.html", context)
    if owner:
        context["conversations"] = selectors.exchanges_on_post(post)
    elif user.is_authenticated:
        context["form"] = RespondForm(
            user=user, needs_safety=not selectors.has_read_safety_guidance(user)
        )
        context["existing"] = (
            Exchange.objects.filter(
                post=post,
                responder__account=user,
                status__in=[Exchange.Status.OPEN, Exchange.Status.AGREED],
            )
            .only("pk")
            .first()
        )
    return render(request, "exchange/post_detail.html", context)


@login_required
@rate_limit("post")
def post_create(request: HttpRequest) -> HttpResponse:
    try:
        ensure_may_contribute(request.user)  # suspended or banned by a moderator
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect("exchange:list")
    initial = {"kind": request.GET.get("kind", Post.Kind.OFFER)}
    form = PostForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            post = actions.post_create(
                user=request.user,
                persona=data["persona"],
                organisation=data.get("organisation"),
                on_behalf_of=data.get("on_behalf_of", ""),
                kind=data["kind"],
                title=data["title"],
                description=data["description"],
                category=data["category"],
                area=data["area"],
                mode=data["mode"],
                availability=data["availability"],
                expires_on=data["expires_on"],
            )
        except (ValidationError, PermissionDenied) as exc:
            _form_error(form, exc)
        else:
            if post.screening.held:
                messages.warning(request, post.screening.message)
            else:
                messages.success(request, _("Your post is live."))
            return redirect("exchange:post", pk=post.pk)
    return render(request, "exchange/post_form.html", {"form": form})


def _form_error(form, exc: Exception) -> None:
    if isinstance(exc, ValidationError):
        apply_validation_error(form, exc)
    else:
        form.add_error(None, str(exc) or _("You may not do that."))


@login_required
@require_POST
def post_close(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(Post.objects.select_related("persona"), pk=pk)
    try:
        actions.post_close(user=request.user, post=post)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, _("Your post is closed and no longer listed."))
    return redirect("exchange:post", pk=pk)


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or _("You may not do that.")


@login_required
@rate_limit("comment")
def respond(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(Post.objects.select_related("persona", "organisation"), pk=pk)
    if request.method != "POST":
        return redirect("exchange:post", pk=pk)
    needs_safety = not selectors.has_read_safety_guidance(request.user)
    form = RespondForm(request.POST, user=request.user, needs_safety=needs_safety)
    if form.is_valid():
        data = form.cleaned_data
        try:
            exchange = actions.exchange_respond(
                user=request.user,
                post=post,
                persona=data["persona"],
                organisation=data.get("organisation"),
                on_behalf_of=data.get("on_behalf_of", ""),
                message=data["message"],
                safety_acknowledged=data.get("safety_acknowledged", False),
            )
        except (ValidationError, PermissionDenied) as exc:
            _form_error(form, exc)
        else:
            if exchange.screening.held:
                messages.warning(request, exchange.screening.message)
            else:
                messages.success(request, _("Your message is sent. You will hear back here."))
            return redirect("exchange:conversation", pk=exchange.pk)
    return render(
        request,
        "exchange/post_detail.html",
        {"post": post, "owner": False, "form": form, "today": timezone.localdate()},
        status=400,
    )


def _conversation(request: HttpRequest, pk: int) -> tuple[Exchange, str]:
    try:
        exchange = selectors.exchange_for_display(pk)
    except Exchange.DoesNotExist:
        raise Http404 from None
    side = permissions.side_of(request.user, exchange)
    if side is None:
        raise PermissionDenied(_("Only the people in this exchange can see it."))
    return exchange, side


@login_required
@rate_limit("comment")
def conversation(request: HttpRequest, pk: int) -> HttpResponse:
    exchange, side = _conversation(request, pk)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            message = actions.message_send(
                user=request.user, exchange=exchange, body=form.cleaned_data["body"]
            )
        except (ValidationError, PermissionDenied) as exc:
            _form_error(form, exc)
        else:
            if message.screening.held:
                messages.warning(request, message.screening.message)
            return redirect(f"{request.path}#latest")
    return _render_conversation(request, exchange, side, message_form=form)


def _render_conversation(request, exchange, side, status=200, **forms) -> HttpResponse:
    other = "responder" if side == "owner" else "owner"
    other_persona = selectors.side_persona(exchange, other)
    context = {
        "exchange": exchange,
        "side": side,
        "other_side": other,
        "state": selectors.exchange_state(exchange),
        "owner_label": selectors.side_label(exchange, "owner"),
        "responder_label": selectors.side_label(exchange, "responder"),
        "other_persona": other_persona,
        "blocked": selectors.is_blocked_between(request.user.pk, other_persona.account_id),
        "messages_list": selectors.visible_messages(exchange),
        "message_form": forms.get("message_form") or MessageForm(),
        "propose_form": forms.get("propose_form") or ProposeForm(),
        "contact_form": forms.get("contact_form") or ContactForm(),
        "thanks_form": forms.get("thanks_form") or ThanksForm(),
        "my_confirmed": exchange.confirmed_at(side) is not None,
        "my_thanks": any(t.side == side for t in exchange.thanks.all()),
        "thanks": list(exchange.thanks.select_related("author")),
        "read_safety": selectors.has_read_safety_guidance(request.user),
    }
    return render(request, "exchange/conversation.html", context, status=status)


def _step(request: HttpRequest, pk: int, action, form_class=None, form_key=None, done=""):
    """POST handler for a conversation step: run ``action(exchange, data)``, then redirect."""
    if request.method != "POST":
        return redirect("exchange:conversation", pk=pk)
    exchange, side = _conversation(request, pk)
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        return _render_conversation(request, exchange, side, status=400, **{form_key: form})
    try:
        action(exchange, form.cleaned_data if form is not None else {})
    except (ValidationError, PermissionDenied) as exc:
        if form is not None:
            _form_error(form, exc)
            return _render_conversation(request, exchange, side, status=400, **{form_key: form})
        messages.error(request, _message(exc))
    else:
        if done:
            messages.success(request, done)
    return redirect("exchange:conversation", pk=pk)


@login_required
@rate_limit("write")
def propose(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        lambda ex, data: actions.exchange_propose(
            user=request.user, exchange=ex, hours=data["hours"]
        ),
        ProposeForm,
        "propose_form",
        _("Your proposal is sent."),
    )


@login_required
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        lambda ex, data: actions.exchange_accept(user=request.user, exchange=ex),
        done=_("Agreed. Mark it done once the help has happened."),
    )


@login_required
def confirm_done(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        lambda ex, data: actions.exchange_confirm_done(user=request.user, exchange=ex),
        done=_("Thank you for confirming."),
    )


@login_required
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        lambda ex, data: actions.exchange_cancel(user=request.user, exchange=ex),
        done=_("The exchange is cancelled."),
    )


@login_required
@rate_limit("write")
def thanks(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        lambda ex, data: actions.thanks_give(user=request.user, exchange=ex, body=data["body"]),
        ThanksForm,
        "thanks_form",
        _("Your thanks are sent."),
    )


@login_required
def share_contact(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        lambda ex, data: actions.contact_share(
            user=request.user,
            exchange=ex,
            details=data["details"],
            include_email=data["include_email"],
        ),
        ContactForm,
        "contact_form",
        _("Your contact details are shared in this conversation only."),
    )


def _other_side(side: str | None) -> str:
    return "responder" if side == "owner" else "owner"


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "exchange/mine.html",
        {
            "posts": selectors.posts_of(request.user)[:100],
            "exchanges": [
                (ex, selectors.side_label(ex, _other_side(permissions.side_of(request.user, ex))))
                for ex in selectors.exchanges_of(request.user)[:100]
            ],
            "accounts": selectors.accounts_visible_to(request.user),
        },
    )


@login_required
def credits(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    accounts = selectors.accounts_visible_to(request.user)
    if pk is None:
        account = next((a for a in accounts if a.user_id == request.user.pk), None)
    else:
        account = get_object_or_404(Account.objects.select_related("organisation"), pk=pk)
        if not permissions.can_view_account(request.user, account):
            raise PermissionDenied(_("You can only see your own credits."))
    history = selectors.account_history(account) if account else []
    return render(
        request,
        "exchange/credits.html",
        {
            "account": account,
            "accounts": accounts,
            "history": history,
            "lower_limit": selectors.format_hours(settings.EXCHANGE["LOWER_LIMIT"]),
            "can_adjust": permissions.can_adjust_credits(request.user),
        },
    )


@login_required
def adjust(request: HttpRequest) -> HttpResponse:
    if not permissions.can_adjust_credits(request.user):
        raise PermissionDenied(_("Only staff with ledger access can adjust balances."))
    form = AdjustForm(request.POST or None, initial={"account": request.GET.get("account")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        account = Account.objects.filter(pk=data["account"]).first()
        if account is None:
            form.add_error("account", _("There is no account with that number."))
        else:
            try:
                actions.credits_adjust(
                    actor=request.user, account=account, hours=data["hours"], reason=data["reason"]
                )
            except (ValidationError, PermissionDenied) as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("The adjustment is recorded."))
                return redirect("exchange:account", pk=account.pk)
    return render(request, "exchange/adjust.html", {"form": form})


def safety(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and request.user.is_authenticated:
        actions.safety_acknowledge(user=request.user)
        messages.success(request, _("Thank you for reading the safety guidance."))
        return redirect(request.POST.get("next") or "exchange:list")
    return render(request, "exchange/safety.html")


@login_required
@rate_limit("write")
def block(request: HttpRequest, slug: str) -> HttpResponse:
    persona = get_object_or_404(Persona, slug=slug, is_anonymised=False)
    if request.method == "POST":
        try:
            actions.person_block(user=request.user, persona=persona)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _message(exc))
        else:
            messages.success(
                request,
                _("You blocked %(name)s. They cannot message you or respond to your posts.")
                % {"name": persona.public_name},
            )
            return redirect("exchange:blocks")
    return render(request, "exchange/block_confirm.html", {"persona": persona})


@login_required
def blocks(request: HttpRequest) -> HttpResponse:
    return render(
        request, "exchange/blocks.html", {"blocks": selectors.blocked_personas(request.user)}
    )


@login_required
@require_POST
def unblock(request: HttpRequest, pk: int) -> HttpResponse:
    block_row = get_object_or_404(Block, pk=pk, blocker=request.user)
    actions.person_unblock(user=request.user, block=block_row)
    messages.success(request, _("Unblocked."))
    return redirect("exchange:blocks")


def stats(request: HttpRequest) -> HttpResponse:
    return render(request, "exchange/stats.html", {"stats": selectors.exchange_stats()})


def assist_request(request: HttpRequest) -> HttpResponse:
    """Ask for help in the exchange for a citizen (service counter or volunteer)."""
    from community import actions as community_actions
    from community.permissions import assisting_organisations

    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    organisations = assisting_organisations(request.user)
    if not organisations:
        raise PermissionDenied(
            _("Only service counter staff and volunteers of an organisation can help here.")
        )
    form = AssistRequestForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            citizen = community_actions.assisted_citizen(
                helper=request.user, organisation=data["organisation"], email=data["citizen_email"]
            )
            post = actions.request_create_assisted(
                helper=request.user,
                organisation=data["organisation"],
                citizen=citizen,
                consent_given=bool(data.get("consent")),
                consent_method=data["consent_method"],
                title=data["title"],
                description=data["description"],
                category=data["category"],
                area=data["area"],
                mode=data["mode"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The request is posted for the citizen."))
            return redirect("exchange:post", pk=post.pk)
    return django_render(
        request,
        "community/assist_form.html",
        {
            "form": form,
            "heading": _("Ask for help for a citizen"),
            "intro": _(
                "Use this when someone asks you to post a request for help for them. It is "
                "posted under their own name and shows that your organisation helped."
            ),
            "button": _("Post the request for them"),
        },
        status=400 if form.is_bound and form.errors else 200,
    )
