"""Board pages. Thin: parse, call a service, turn its refusal into a message or form error.

Everything works without JavaScript: forms post, then redirect with a message (or re-render
with errors so nothing typed is lost). ``board.js`` makes the same pages live.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from taggit.models import Tag

from community.formerrors import apply_validation_error
from community.models import Organisation
from community.moderation.selectors import hidden_q
from community.ratelimits import rate_limit
from community.selectors import agencies as all_agencies
from community.selectors import assisted_by, followers_of
from ideas import actions, boardcache, fragments, permissions, selectors
from ideas.boardcache import board_query
from ideas.conf import setting
from ideas.conversations import selectors as conversation_selectors
from ideas.forms import (
    AssistIdeaForm,
    AssistSupportForm,
    ChallengeForm,
    CommentEditForm,
    CommentForm,
    IdeaEditForm,
    IdeaForm,
    MergeForm,
    StatusForm,
    split_tags,
)
from ideas.fragments import support_action
from ideas.models import Challenge, Comment, Idea, Phase, Status
from ideas.opinion import services as opinion_services
from ideas.similarity import similar_ideas

SIMILAR_QUERY_MAX = 2000


def _next_or(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _challenge_or_404(request: HttpRequest, pk: int) -> Challenge:
    try:
        challenge = selectors.challenge_for_board(pk)
    except Challenge.DoesNotExist:
        raise Http404 from None
    if not permissions.can_view_challenge(request.user, challenge):
        raise Http404
    return challenge


def _idea_or_404(request: HttpRequest, pk: int) -> Idea:
    try:
        idea = selectors.idea_for_page(pk)
    except Idea.DoesNotExist:
        raise Http404 from None
    if not permissions.can_view_challenge(request.user, idea.challenge):
        raise Http404
    return idea


def _refuse(request: HttpRequest, exc: Exception, target: str) -> HttpResponse:
    """A service said no: tell the person why and change nothing."""
    if isinstance(exc, ValidationError):
        text = " ".join(exc.messages)
    else:
        text = str(exc) or _("You may not do that.")
    messages.error(request, text)
    return redirect(target)


# -- challenges ---------------------------------------------------------------------------


@require_GET
def challenge_list(request: HttpRequest) -> HttpResponse:
    agency = request.GET.get("agency", "")
    tag = request.GET.get("tag", "")
    phase = request.GET.get("phase", "")
    query = request.GET.get("q", "").strip()[:100]
    challenges = selectors.challenge_list(agency=agency, tag=tag, phase=phase, query=query)
    page = Paginator(challenges, 12).get_page(request.GET.get("page"))
    filters = {
        k: v for k, v in {"agency": agency, "tag": tag, "phase": phase, "q": query}.items() if v
    }
    return render(
        request,
        "ideas/challenge_list.html",
        {
            "page_obj": page,
            "challenges": selectors.with_idea_totals(page.object_list),
            "agencies": all_agencies(),
            "tags": Tag.objects.filter(challenge__is_published=True).distinct().order_by("name"),
            "phases": Phase.choices,
            "filters": filters,
            "filter_query": urlencode(filters),
            "can_create": permissions.can_run_challenges(request.user),
        },
    )


@rate_limit("post")
def challenge_create(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    agencies = [a for a in all_agencies() if permissions.can_run_challenges(request.user, a)]
    if not agencies:
        raise PermissionDenied(_("Only agency service designers and admins can pose challenges."))
    queryset = Organisation.objects.filter(pk__in=[a.pk for a in agencies])
    form = ChallengeForm(request.POST or None, agencies=queryset)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            challenge = actions.challenge_create(
                user=request.user,
                agency=data["agency"],
                question=data["question"],
                cover_text=data["cover_text"],
                background=data["background"],
                tags=split_tags(data["tags"]),
                opens_at=data["opens_at"],
                ideas_close_at=data["ideas_close_at"],
                closes_at=data["closes_at"],
                service_pages=data["service_pages"],
                allow_self_support=data["allow_self_support"],
                sms_code=data.get("sms_code", ""),
                **form.place_arguments(),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The challenge is published."))
            return redirect(challenge.get_absolute_url())
    return render(request, "ideas/challenge_form.html", {"form": form})


@require_GET
def board(request: HttpRequest, pk: int) -> HttpResponse:
    sort = request.GET.get("sort", "")
    sort = sort if sort in selectors.SORTS else selectors.DEFAULT_SORT
    status = request.GET.get("status", "")
    status = status if status in Status.values else ""
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        number = 1
    # Anonymous visitors: the whole page from the cache when nothing it shows has changed.
    whole = boardcache.board_page(request, challenge_id=pk, sort=sort, status=status, number=number)
    if whole is not None and (html := whole.cached()) is not None:
        return HttpResponse(html)
    try:
        cached = fragments.board_fragments(
            challenge_id=pk, user=request.user, sort=sort, status=status, page=number
        )
    except Challenge.DoesNotExist:
        raise Http404 from None
    challenge, page = cached.challenge, cached.cards
    supported = selectors.supported_ids(request.user, page.ids)
    if request.user.is_authenticated and page.ids:
        # What this person was shown feeds the board's opinion map ("seen"): one read when
        # nothing is new, the usual case.
        opinion_services.impressions_record(
            user=request.user, challenge_id=challenge.pk, idea_ids=page.ids
        )
    listing = conversation_selectors.conversations_on_challenge(pk, cached.conversations)
    context = {
        "challenge": challenge,
        "page": page,
        "about": cached.about,
        "conversations_listing": listing,
        "sort": sort,
        "status": status,
        "sorts": [
            ("trending", _("Trending")),
            ("top", _("Most supported")),
            ("newest", _("Newest")),
        ],
        "statuses": Status.choices,
        # The SMS hint's example is an idea on this board (it named idea 12 on every one).
        "sms_example": page.ids[0] if page.ids else None,
        "why_not_post": permissions.why_not_post(request.user, challenge),
        "can_respond": permissions.can_run_challenges(request.user, challenge.agency_id),
        "takes_part": permissions.challenge_takes_part(challenge),
        "takes_ideas": permissions.challenge_takes_ideas(challenge),
        "socket_path": f"/ws/boards/{challenge.pk}/?{board_query(sort, status)}",
        "prev_query": board_query(sort, status, page.number - 1) if page.number > 1 else "",
        "next_query": board_query(sort, status, page.number + 1)
        if page.number < page.pages
        else "",
        "trending_days": setting("TRENDING_WINDOW_DAYS"),
        "trending_weight": setting("TRENDING_RECENT_WEIGHT"),
    }

    def cards(time_slots: bool = False) -> str:
        return fragments.render_board_cards(
            request, challenge=challenge, cards=page, supported=supported, time_slots=time_slots
        )

    if whole is not None and whole.fits(page):
        slotted = {"idea_cards": cards(time_slots=True), "csrf_token": boardcache.CSRF_SLOT}
        html = render_to_string("ideas/board.html", {**context, **slotted}, request)
        filled = whole.store(html, challenge=challenge, cards=page, listing=listing)
        if filled is not None:
            return HttpResponse(filled)
    return render(request, "ideas/board.html", {**context, "idea_cards": cards()})


@require_GET
def similar(request: HttpRequest, pk: int) -> JsonResponse:
    """Ideas on the board like the text being typed (``q``), for the debounced form hint."""
    challenge = _challenge_or_404(request, pk)
    text = request.GET.get("q", "")[:SIMILAR_QUERY_MAX]
    results = [
        {
            "id": idea.pk,
            "title": idea.title,
            "url": idea.get_absolute_url(),
            "support_count": idea.support_count,
            "status_label": str(Status(idea.status).label),
        }
        for idea in similar_ideas(challenge=challenge, text=text)
    ]
    return JsonResponse({"results": results})


# -- ideas ----------------------------------------------------------------------------------


@rate_limit("post")
def idea_create(request: HttpRequest, pk: int) -> HttpResponse:
    """The new-idea form. "Check for similar ideas" shows matches and a preview, posting
    nothing; without JavaScript this is how similar ideas are found before posting."""
    challenge = _challenge_or_404(request, pk)
    reason = permissions.why_not_post(request.user, challenge)
    if reason:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        messages.error(request, reason)
        return redirect(challenge.get_absolute_url())
    form = IdeaForm(request.POST or None, user=request.user)
    similar_list: list[Idea] = []
    preview = None
    if request.method == "POST":
        text = f"{request.POST.get('title', '')}\n{request.POST.get('body', '')}"
        similar_list = similar_ideas(challenge=challenge, text=text[:SIMILAR_QUERY_MAX])
        if "preview" in request.POST:
            preview = request.POST.get("body", "")
        elif form.is_valid():
            data = form.cleaned_data
            try:
                idea = actions.idea_create(
                    user=request.user,
                    challenge=challenge,
                    persona=data["persona"],
                    title=data["title"],
                    body=data["body"],
                    tags=form.cleaned_tags(),
                    **form.place_arguments(),
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            except PermissionDenied as exc:
                return _refuse(request, exc, challenge.get_absolute_url())
            else:
                if idea.screening.held:
                    messages.warning(request, idea.screening.message)
                    return redirect(idea.get_absolute_url())
                messages.success(request, _("Your idea is on the board."))
                return redirect(idea.get_absolute_url())
    return render(
        request,
        "ideas/idea_form.html",
        {"challenge": challenge, "form": form, "similar": similar_list, "preview": preview},
    )


def moderation_notices(idea: Idea, comments: list) -> None:
    """Mark held, hidden and moderator-edited content for the template (two queries)."""
    from community.moderation.selectors import hidden_cases, public_notice

    case = hidden_cases(Idea, [idea.pk]).get(idea.pk)
    idea.moderation_hidden = bool(case and case.is_hidden)
    idea.moderation_notice = public_notice(case)
    everyone = [c for top in comments for c in (top, *top.replies.all())]
    cases = hidden_cases(Comment, [c.pk for c in everyone])
    for comment in everyone:
        case = cases.get(comment.pk)
        comment.moderation_hidden = bool(case and case.is_hidden)
        comment.moderation_notice = public_notice(case)


def _render_idea(request: HttpRequest, idea: Idea, status: int = 200, **forms) -> HttpResponse:
    user = request.user
    supported = bool(selectors.supported_ids(user, [idea.pk]))
    following = user.is_authenticated and followers_of(idea).filter(pk=user.pk).exists()
    can_respond = permissions.can_respond(user, idea)
    can_merge = permissions.can_merge(user, idea)
    idea.support_action = support_action(user, idea, supported)
    comments = selectors.idea_comments(idea)
    moderation_notices(idea, comments)
    context = {
        "idea": idea,
        "challenge": idea.challenge,
        "comments": comments,
        "responses": selectors.idea_responses(idea),
        "revisions": idea.revisions.all(),
        "supported": supported,
        "following": following,
        "why_not_support": permissions.why_not_support(user, idea),
        "why_not_comment": permissions.why_not_comment(user, idea),
        "can_edit": permissions.can_edit_idea(user, idea),
        "can_respond": can_respond,
        "can_merge": can_merge,
        "comment_form": forms.get("comment_form") or CommentForm(user=user),
        "status_form": forms.get("status_form") or (StatusForm() if can_respond else None),
        "merge_form": forms.get("merge_form") or (MergeForm(idea=idea) if can_merge else None),
        "socket_path": f"/ws/boards/{idea.challenge_id}/?sort=newest",
        "comment_edit_minutes": setting("COMMENT_EDIT_MINUTES"),
        "assisted": assisted_by(idea),
    }
    return render(request, "ideas/idea_detail.html", context, status=status)


@require_GET
def idea_detail(request: HttpRequest, pk: int) -> HttpResponse:
    idea = _idea_or_404(request, pk)
    if idea.merged_into_id:
        messages.info(
            request,
            _("“%(title)s” was merged into this idea.") % {"title": idea.title},
        )
        return redirect(idea.merged_into.get_absolute_url(), permanent=False)
    return _render_idea(request, idea)


@rate_limit("comment")
def idea_edit(request: HttpRequest, pk: int) -> HttpResponse:
    idea = _idea_or_404(request, pk)
    reason = permissions.why_not_edit_idea(request.user, idea)
    if reason:
        messages.error(request, reason)
        return redirect(idea.get_absolute_url())
    initial = {"title": idea.title, "body": idea.body, "tags": ", ".join(sorted(idea.tags.names()))}
    form = IdeaEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            idea = actions.idea_update(
                user=request.user,
                idea=idea,
                title=data["title"],
                body=data["body"],
                tags=split_tags(data["tags"]),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        except PermissionDenied as exc:
            return _refuse(request, exc, idea.get_absolute_url())
        else:
            if getattr(idea, "screening", None) and idea.screening.held:
                messages.warning(request, idea.screening.message)
            else:
                messages.success(request, _("Your changes are saved."))
            return redirect(idea.get_absolute_url())
    return render(request, "ideas/idea_edit.html", {"idea": idea, "form": form})


def _write(request: HttpRequest, idea_pk: int):
    """Common start of a POST action on an idea: the idea, or a login redirect."""
    if not request.user.is_authenticated:
        return None, redirect_to_login(
            _next_or(request, reverse("ideas:idea_detail", args=[idea_pk]))
        )
    return _idea_or_404(request, idea_pk), None


@require_POST
@rate_limit("vote")
def idea_support(request: HttpRequest, pk: int) -> HttpResponse:
    idea, response = _write(request, pk)
    if response:
        return response
    target = _next_or(request, idea.get_absolute_url())
    try:
        actions.vote_cast(user=request.user, idea=idea)
    except (PermissionDenied, ValidationError) as exc:
        return _refuse(request, exc, target)
    messages.success(request, _("You support “%(title)s”.") % {"title": idea.title})
    return redirect(target)


@require_POST
@rate_limit("vote")
def idea_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    idea, response = _write(request, pk)
    if response:
        return response
    target = _next_or(request, idea.get_absolute_url())
    try:
        actions.vote_withdraw(user=request.user, idea=idea)
    except (PermissionDenied, ValidationError) as exc:
        return _refuse(request, exc, target)
    messages.success(request, _("You no longer support “%(title)s”.") % {"title": idea.title})
    return redirect(target)


@require_POST
@rate_limit("write")
def idea_follow(request: HttpRequest, pk: int) -> HttpResponse:
    idea, response = _write(request, pk)
    if response:
        return response
    if request.POST.get("action") == "unfollow":
        actions.idea_unfollow(user=request.user, idea=idea)
        messages.success(request, _("You will no longer hear about this idea."))
    else:
        actions.idea_follow(user=request.user, idea=idea)
        messages.success(request, _("You will hear when this idea's status changes."))
    return redirect(_next_or(request, idea.get_absolute_url()))


@require_POST
@rate_limit("comment")
def comment_create(request: HttpRequest, pk: int) -> HttpResponse:
    idea, response = _write(request, pk)
    if response:
        return response
    form = CommentForm(request.POST, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        parent = None
        if data.get("parent"):
            parent = (
                Comment.objects.select_related("persona__account").filter(pk=data["parent"]).first()
            )
            if parent is None:
                form.add_error(None, _("The comment you replied to no longer exists."))
        if form.is_valid():
            try:
                comment = actions.comment_create(
                    user=request.user,
                    idea=idea,
                    persona=data["persona"],
                    body=data["body"],
                    parent=parent,
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            except PermissionDenied as exc:
                return _refuse(request, exc, idea.get_absolute_url())
            else:
                if comment.screening.held:
                    messages.warning(request, comment.screening.message)
                    return redirect(idea.get_absolute_url())
                messages.success(request, _("Your comment is posted."))
                return redirect(f"{idea.get_absolute_url()}#comment-{comment.pk}")
    return _render_idea(request, idea, status=400, comment_form=form)


@rate_limit("comment")
def comment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(Comment.objects.select_related("persona", "idea__challenge"), pk=pk)
    idea = comment.idea
    target = f"{idea.get_absolute_url()}#comment-{comment.pk}"
    reason = permissions.why_not_edit_comment(request.user, comment)
    if reason:
        messages.error(request, reason)
        return redirect(target)
    form = CommentEditForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            updated = actions.comment_update(
                user=request.user, comment=comment, body=form.cleaned_data["body"]
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        except PermissionDenied as exc:
            return _refuse(request, exc, target)
        else:
            if updated.screening.held:
                messages.warning(request, updated.screening.message)
            else:
                messages.success(request, _("Your comment is updated."))
            return redirect(target)
    return render(
        request, "ideas/comment_edit.html", {"comment": comment, "idea": idea, "form": form}
    )


@require_POST
def idea_status(request: HttpRequest, pk: int) -> HttpResponse:
    idea, response = _write(request, pk)
    if response:
        return response
    if not permissions.can_respond(request.user, idea):
        raise PermissionDenied
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            actions.idea_set_status(
                user=request.user,
                idea=idea,
                status=form.cleaned_data["status"],
                response=form.cleaned_data["response"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The status and response are published."))
            return redirect(idea.get_absolute_url())
    return _render_idea(request, idea, status=400, status_form=form)


@require_POST
def idea_merge(request: HttpRequest, pk: int) -> HttpResponse:
    idea, response = _write(request, pk)
    if response:
        return response
    if not permissions.can_merge(request.user, idea):
        raise PermissionDenied
    form = MergeForm(request.POST, idea=idea)
    if form.is_valid():
        try:
            survivor = actions.idea_merge(
                user=request.user, duplicate=idea, survivor=form.cleaned_data["into"]
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The ideas are merged."))
            return redirect(survivor.get_absolute_url())
    return _render_idea(request, idea, status=400, merge_form=form)


# -- assisted digital -------------------------------------------------------------------------


def _assist_page(request: HttpRequest, form, *, heading: str, intro: str, button: str):
    return render(
        request,
        "community/assist_form.html",
        {"form": form, "heading": heading, "intro": intro, "button": button},
        status=400 if form.is_bound and form.errors else 200,
    )


def _assist_start(request: HttpRequest):
    """The organisations the signed-in helper may assist for, or a refusal response."""
    from community.permissions import assisting_organisations

    if not request.user.is_authenticated:
        return None, redirect_to_login(request.get_full_path())
    organisations = assisting_organisations(request.user)
    if not organisations:
        raise PermissionDenied(
            _("Only service counter staff and volunteers of an organisation can help here.")
        )
    return organisations, None


def _assist_common(request: HttpRequest, form):
    from community import actions as community_actions

    data = form.cleaned_data
    citizen = community_actions.assisted_citizen(
        helper=request.user, organisation=data["organisation"], email=data["citizen_email"]
    )
    return citizen, {
        "helper": request.user,
        "organisation": data["organisation"],
        "citizen": citizen,
        "consent_given": bool(data.get("consent")),
        "consent_method": data["consent_method"],
    }


def assist_idea(request: HttpRequest) -> HttpResponse:
    """Post an idea for a citizen at a service counter or with a volunteer's help."""
    organisations, refusal = _assist_start(request)
    if refusal:
        return refusal
    challenges = Challenge.objects.published().in_phase(Phase.OPEN).order_by("question")
    form = AssistIdeaForm(request.POST or None, organisations=organisations, challenges=challenges)
    if request.method == "POST" and form.is_valid():
        try:
            _citizen, common = _assist_common(request, form)
            idea = actions.idea_create_assisted(
                **common,
                challenge=form.cleaned_data["challenge"],
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("The idea is posted for the citizen. Its number is %(n)d.") % {"n": idea.pk},
            )
            return redirect(idea.get_absolute_url())
    return _assist_page(
        request,
        form,
        heading=_("Post an idea for a citizen"),
        intro=_(
            "Use this when someone asks you to post their idea for them. It is posted under "
            "their own name and shows that your organisation helped."
        ),
        button=_("Post the idea for them"),
    )


def assist_support(request: HttpRequest) -> HttpResponse:
    """Support an idea for a citizen, with their consent."""
    organisations, refusal = _assist_start(request)
    if refusal:
        return refusal
    form = AssistSupportForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        idea = (
            Idea.objects.visible()
            .exclude(hidden_q(Idea))
            .select_related("challenge", "persona")
            .filter(pk=form.cleaned_data["idea"])
            .first()
        )
        if idea is None:
            form.add_error("idea", _("There is no idea with that number. Check it and try again."))
        else:
            try:
                _citizen, common = _assist_common(request, form)
                actions.vote_cast_assisted(**common, idea=idea)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The citizen now supports this idea."))
                return redirect(idea.get_absolute_url())
    return _assist_page(
        request,
        form,
        heading=_("Support an idea for a citizen"),
        intro=_("Use this when someone asks you to support an idea for them."),
        button=_("Support the idea for them"),
    )
