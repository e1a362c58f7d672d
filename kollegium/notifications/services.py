"""Writes: people's choices, and turning notifications into emails (at once, in a digest, or
not at all), with a cap per person per day on the ones sent at once."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kollegium.accounts.models import User
from kollegium.core.models import Notification
from kollegium.notifications import emails
from kollegium.notifications.kinds import DIGESTS, Delivery, catalogue, visible_kinds
from kollegium.notifications.models import CapNotice, Digest, EmailDelivery, Preference
from kollegium.notifications.selectors import choices_for, delivery_for
from kollegium.notifications.tokens import Unsubscribe
from kollegium.organisations.actor import Actor, as_actor

DEFAULT_CAP = 10


def daily_cap() -> int:
    """Emails sent at once per person per day (``NOTIFICATION_EMAILS_PER_DAY``)."""
    return int(getattr(settings, "NOTIFICATION_EMAILS_PER_DAY", DEFAULT_CAP))


# --- Choices ------------------------------------------------------------------------------


@transaction.atomic
def preferences_save(*, actor: Actor, choices: Mapping[str, str]) -> int:
    """Saves the person's choice per kind (only where it differs from the kind's default).
    Returns how many kinds now differ from their default."""
    person = as_actor(actor)
    if not person.is_authenticated:
        raise PermissionDenied
    allowed = {k.key: k for k in visible_kinds(is_staff=person.is_installation_admin)}
    valid = set(Delivery.values)
    errors = {
        key: _("Choose how you want to hear about this.")
        for key, value in choices.items()
        if key not in allowed or value not in valid
    }
    if errors:
        raise ValidationError(errors)
    user = person.person
    Preference.objects.filter(user=user, kind__in=list(choices)).delete()
    rows = [
        Preference(user=user, kind=key, delivery=value)
        for key, value in choices.items()
        if value != allowed[key].default
    ]
    Preference.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def unsubscribe_apply(*, actor: Actor, link: Unsubscribe | None) -> list[str]:
    """Turns off the emails of the kinds a signed unsubscribe link names. Works without
    signing in (the signature is the proof); refused when the link is not valid, names no
    known kind, belongs to someone who is no longer here, or the person signed in is someone
    else. Returns the kinds turned off."""
    if link is None:
        raise ValidationError(_("This unsubscribe link is not valid. Nothing was changed."))
    viewer = as_actor(actor)
    if viewer.is_authenticated and viewer.pk != link.user_id:
        raise PermissionDenied(
            _("This unsubscribe link belongs to someone else's emails. Nothing was changed.")
        )
    user = User.objects.filter(pk=link.user_id, is_active=True).first()
    kinds = [k for k in link.kinds if catalogue().get(k) is not None]
    if user is None or not kinds:
        raise ValidationError(_("This unsubscribe link is not valid. Nothing was changed."))
    Preference.objects.filter(user=user, kind__in=kinds).delete()
    Preference.objects.bulk_create(
        [Preference(user=user, kind=k, delivery=Delivery.OFF) for k in kinds]
    )
    # Whatever was waiting for a digest in these kinds is not sent either.
    EmailDelivery.objects.filter(recipient=user, kind__in=kinds, digest__isnull=True).exclude(
        delivery=Delivery.IMMEDIATELY
    ).delete()
    return kinds


# --- Delivery -----------------------------------------------------------------------------


def notification_deliver(notification: Notification, *, email: bool = True) -> None:
    """Called by core for every new notification (inside the sender's transaction): emails it
    at once, keeps it for a digest, or nothing, as its recipient chose for its kind."""
    recipient = notification.recipient
    if not email or not recipient.is_active or not recipient.wants_email_notifications:
        return
    if not recipient.email:
        return
    delivery = delivery_for(recipient, notification.kind)
    if delivery == Delivery.OFF:
        return
    row = EmailDelivery(
        notification_id=notification.pk,
        recipient=recipient,
        kind=notification.kind,
        delivery=delivery,
    )
    if delivery == Delivery.IMMEDIATELY:
        today = timezone.localdate()
        cap = daily_cap()
        sent_today = EmailDelivery.objects.filter(
            recipient=recipient, delivery=Delivery.IMMEDIATELY, emailed_on=today
        ).count()
        if sent_today < cap:
            row.emailed_on = today
            row.save()
            emails.send_immediate(notification)
            return
        row.delivery, row.over_cap = Delivery.DAILY, True
        row.save()
        _, first = CapNotice.objects.get_or_create(recipient=recipient, day=today)
        if first:
            emails.send_cap_notice(recipient, cap)
        return
    row.save()


def period_start(period: str, today: date) -> date:
    return today if period == Delivery.DAILY else today - timedelta(days=today.weekday())


def digests_send(*, period: str, now: datetime | None = None) -> int:
    """Sends the period's digests: one email per person with notifications waiting for it,
    grouped by kind. Each person in their own short transaction; a person who already had
    this period's digest gets nothing more until the next period (their new notifications
    wait). Returns how many digests were sent."""
    if period not in DIGESTS:
        raise ValidationError(_("Choose daily or weekly."))
    starts_on = period_start(period, timezone.localdate(now))
    waiting = (
        EmailDelivery.objects.filter(delivery=period, digest__isnull=True)
        .values_list("recipient_id", flat=True)
        .distinct()
        .order_by("recipient_id")
    )
    if period == Delivery.DAILY:
        sent_records_prune(today=timezone.localdate(now))
    sent = 0
    for recipient_id in list(waiting):
        try:
            sent += _digest_one(recipient_id, period, starts_on)
        except IntegrityError:  # another run took this person's digest for the period
            continue
    return sent


KEEP_SENT_DAYS = 30


@transaction.atomic
def sent_records_prune(*, today: date) -> int:
    """What was sent is kept for 30 days (enough to answer "why did I get this?"), then
    deleted; rows whose notification is gone (retention, erasure) go with their digest."""
    before = today - timedelta(days=KEEP_SENT_DAYS)
    deleted = EmailDelivery.objects.filter(emailed_on__lt=before).delete()[0]
    deleted += EmailDelivery.objects.filter(digest__starts_on__lt=before).delete()[0]
    deleted += Digest.objects.filter(starts_on__lt=before).delete()[0]
    deleted += CapNotice.objects.filter(day__lt=before).delete()[0]
    return deleted


@transaction.atomic
def _digest_one(recipient_id: int, period: str, starts_on: date) -> int:
    if Digest.objects.filter(
        recipient_id=recipient_id, period=period, starts_on=starts_on
    ).exists():
        return 0
    recipient = User.objects.get(pk=recipient_id)
    rows = list(
        EmailDelivery.objects.select_for_update()
        .filter(recipient_id=recipient_id, delivery=period, digest__isnull=True)
        .order_by("notification_id")
    )
    if not recipient.is_active or not recipient.wants_email_notifications:
        EmailDelivery.objects.filter(pk__in=[r.pk for r in rows]).delete()
        return 0
    chosen = choices_for(recipient)
    off = {r.kind for r in rows if chosen[r.kind] == Delivery.OFF}
    notifications = list(
        Notification.objects.filter(
            pk__in=[r.notification_id for r in rows if r.kind not in off], recipient=recipient
        ).order_by("created_at", "pk")
    )
    if not notifications:
        EmailDelivery.objects.filter(pk__in=[r.pk for r in rows]).delete()
        return 0
    digest = Digest.objects.create(
        recipient=recipient, period=period, starts_on=starts_on, count=len(notifications)
    )
    EmailDelivery.objects.filter(pk__in=[r.pk for r in rows]).update(digest=digest)
    emails.send_digest(recipient, period, notifications)
    return 1
