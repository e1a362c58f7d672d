"""Thin views for topics proposed in the open and the published prioritisation."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kollegium.competence.selectors import skills_for_user
from kollegium.core.actions import form_action, post_action
from kollegium.groups.services import shipped_guide_files
from kollegium.organisations.actor import actor_of
from kollegium.organisations.current import current_school
from kollegium.organisations.models import DevelopmentFocus
from kollegium.organisations.permissions import can_manage_school, get_school_for_user_or_404
from kollegium.topics import core, selectors, services
from kollegium.topics.forms import (
    DecideForm,
    ExpertForm,
    ProposeForm,
    RespondForm,
    TakeUpForm,
    WeightsForm,
)
from kollegium.topics.models import Response, Topic
from kollegium.topics.permissions import (
    can_decide,
    can_mark_expert,
    can_respond,
    get_topic_for_user_or_404,
)


def _language() -> str:
    return (get_language() or "sv")[:2]


@require_GET
def topic_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    school = current_school(request)
    ranked, decided = (
        selectors.school_topics(actor=actor, school=school) if school is not None else ([], [])
    )
    weights = selectors.weights_for([school.pk])[school.pk] if school is not None else None
    return render(
        request,
        "topics/list.html",
        {
            "school": school,
            "ranked": ranked,
            "decided": decided,
            "network": selectors.network_topics(actor=actor),
            "weights": weights,
            "language": _language(),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def propose(request: HttpRequest) -> HttpResponse:
    school = current_school(request)
    if school is None:
        raise PermissionDenied
    actor = actor_of(request)
    skills = list(skills_for_user(actor).select_related("area").order_by("area__order", "order"))
    focus_areas = list(DevelopmentFocus.objects.filter(school=school, is_active=True))
    form = ProposeForm(request.POST or None, skills=skills, focus_areas=focus_areas)

    def post() -> Topic:
        data = form.cleaned_data
        by_key = {s.key: s for s in skills}
        by_focus = {f.pk: f for f in focus_areas}
        return services.topic_propose(
            actor=actor,
            school=school,
            title=data["title"],
            need=data["need"],
            description=data["description"],
            evidence=data["evidence"],
            focus=by_focus.get(data["focus"]) if data["focus"] else None,
            skills=[by_key[k] for k in data["skills"]],
            shared_with_network=data["shared_with_network"],
            needs_expert=data["needs_expert"],
        )

    done = form_action(
        request,
        form,
        post,
        success=_("Your topic is proposed. Colleagues can now respond."),
        redirect_to=lambda topic: ("topics:detail", topic.pk),
    )
    return done or render(request, "topics/propose.html", {"form": form, "school": school})


def _take_up_form(topic: Topic, data: Any = None) -> TakeUpForm:
    suggested, _why = core.suggest_guide(
        has_evidence=bool(topic.evidence.strip()), needs_expert=topic.needs_expert
    )
    language = _language()
    guides = [
        (slug, guide.title.get(language))
        for slug, (guide, _text) in shipped_guide_files().items()
        if slug not in ("workshop", "mentoring")
    ]
    mentors = [
        r.user for r in topic.responses.filter(kind=Response.Kind.CONTRIBUTE).select_related("user")
    ]
    return TakeUpForm(
        data,
        guides=guides,
        mentors=mentors,
        initial={"format": "group", "guide_slug": suggested, "name": topic.title},
    )


@require_GET
def detail(request: HttpRequest, topic_id: int) -> HttpResponse:
    actor = actor_of(request)
    topic = get_topic_for_user_or_404(actor, topic_id)
    row = selectors.topic_row(topic)
    weights = selectors.weights_for([topic.school_id])[topic.school_id]
    responses = selectors.responses(topic)
    suggested, why = core.suggest_guide(
        has_evidence=bool(topic.evidence.strip()), needs_expert=topic.needs_expert
    )
    decider = can_decide(actor, topic)
    return render(
        request,
        "topics/detail.html",
        {
            "topic": topic,
            "row": row,
            "weights": weights,
            "language": _language(),
            "responses": responses,
            "mine": [r for r in responses if r.user_id == actor.pk],
            # a school's focus areas are its own: colleagues in the network see the score only
            "own_school": topic.school_id in actor.school_ids,
            # a group is shown to the network only if it is a network group itself
            "show_group": topic.group is not None
            and (topic.school_id in actor.school_ids or topic.group.network_id is not None),
            "skills": list(topic.skills.select_related("area")),
            "log": selectors.decision_log(school=topic.school, topic=topic),
            "can_respond": can_respond(actor, topic) and topic.is_ranked,
            "can_decide": decider and topic.status != Topic.Status.TAKEN_UP,
            "can_mark_expert": can_mark_expert(actor, topic),
            "can_record_expert": services.can_record_expert(actor, topic),
            "respond_form": RespondForm(),
            "decide_form": DecideForm(),
            "expert_form": ExpertForm(),
            "suggested_guide": suggested,
            "suggested_why": why,
        },
    )


@require_POST
def respond(request: HttpRequest, topic_id: int) -> HttpResponse:
    topic = get_topic_for_user_or_404(actor_of(request), topic_id)
    form = RespondForm(request.POST)
    return post_action(
        request,
        lambda: services.topic_respond(
            actor=actor_of(request),
            topic=topic,
            kind=form.cleaned_data["kind"],
            text=form.cleaned_data["text"],
        ),
        form=form,
        success=_("Thank you: your response is shown on the topic."),
        redirect_to=("topics:detail", topic.pk),
        denied=_("You cannot respond to this topic."),
    )


@require_POST
def response_withdraw(request: HttpRequest, response_id: int) -> HttpResponse:
    actor = actor_of(request)
    response = get_object_or_404(Response.objects.select_related("topic"), pk=response_id)
    if response.user_id != actor.pk:
        raise Http404
    return post_action(
        request,
        lambda: services.topic_response_withdraw(actor=actor, response=response),
        success=_("Your response is withdrawn."),
        redirect_to=("topics:detail", response.topic_id),
    )


@require_POST
def decide(request: HttpRequest, topic_id: int) -> HttpResponse:
    topic = get_topic_for_user_or_404(actor_of(request), topic_id)
    form = DecideForm(request.POST)
    return post_action(
        request,
        lambda: services.topic_decide(
            actor=actor_of(request),
            topic=topic,
            decision=form.cleaned_data["decision"],
            reason=form.cleaned_data["reason"],
        ),
        form=form,
        success=_("The decision is published with its reason."),
        redirect_to=("topics:detail", topic.pk),
        denied=_("Only the school's leaders decide on topics."),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def take_up(request: HttpRequest, topic_id: int) -> HttpResponse:
    actor = actor_of(request)
    topic = get_topic_for_user_or_404(actor, topic_id)
    if not can_decide(actor, topic):
        raise PermissionDenied
    form = _take_up_form(topic, request.POST or None)
    done = form_action(
        request,
        form,
        lambda: services.topic_take_up(actor=actor, topic=topic, **form.cleaned_data),
        success=lambda group: (
            _("The topic is now “%(group)s”; everyone invited has been told.")
            % {"group": group.name}
        ),
        redirect_to=lambda group: ("groups:detail", group.pk),
    )
    return done or render(request, "topics/take_up.html", {"topic": topic, "form": form})


@require_POST
def expert_mark(request: HttpRequest, topic_id: int) -> HttpResponse:
    topic = get_topic_for_user_or_404(actor_of(request), topic_id)
    wanted = request.POST.get("needs_expert") == "1"
    return post_action(
        request,
        lambda: services.topic_expert_mark(
            actor=actor_of(request), topic=topic, needs_expert=wanted
        ),
        success=_("The topic is marked as needing an expert.")
        if wanted
        else _("The topic is no longer marked as needing an expert."),
        redirect_to=("topics:detail", topic.pk),
        denied=_("Only the proposer and the school's leaders change this."),
    )


@require_POST
def expert_record(request: HttpRequest, topic_id: int) -> HttpResponse:
    topic = get_topic_for_user_or_404(actor_of(request), topic_id)
    form = ExpertForm(request.POST)
    return post_action(
        request,
        lambda: services.topic_expert_record(
            actor=actor_of(request), topic=topic, note=form.cleaned_data["note"]
        ),
        form=form,
        success=_("The decision log shows that an expert was brought in."),
        redirect_to=("topics:detail", topic.pk),
        denied=_("Only the school's leaders and the group's facilitators record this."),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def priorities(request: HttpRequest, school_id: int) -> HttpResponse:
    actor = actor_of(request)
    school = get_school_for_user_or_404(actor, school_id)
    weights, adjusted = selectors.school_weights(school)
    leader = can_manage_school(actor, school)
    form = WeightsForm(
        request.POST or None if leader else None, weights=weights, language=_language()
    )
    if request.method == "POST" and not leader:
        raise PermissionDenied
    done = form_action(
        request,
        form,
        lambda: services.topic_weights_set(actor=actor, school=school, weights=form.cleaned_data),
        success=_("The weights are saved; everyone sees them and the new order."),
        redirect_to=("topics:priorities", school.pk),
    )
    return done or render(
        request,
        "topics/priorities.html",
        {
            "school": school,
            "weights": weights,
            "defaults": selectors.default_weights(),
            "adjusted": adjusted,
            "language": _language(),
            "leader": leader,
            "form": form,
            "log": selectors.decision_log(school=school),
        },
    )


@require_POST
def weights_reset(request: HttpRequest, school_id: int) -> HttpResponse:
    school = get_school_for_user_or_404(actor_of(request), school_id)
    return post_action(
        request,
        lambda: services.topic_weights_reset(actor=actor_of(request), school=school),
        success=_("The weights are back to the published defaults."),
        redirect_to=("topics:priorities", school.pk),
    )
