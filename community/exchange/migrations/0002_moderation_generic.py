"""Move the exchange onto the one moderation mechanism (community.moderation).

Existing rows are carried over before the exchange's own tables go, so nothing hidden
becomes visible again and no report or suspension is lost:

* every exchange report becomes a generic ``Report`` on the same post, message or persona
  (reasons mapped: unsafe/offensive → abuse, scam → illegal, contact → personal data), with
  its case and a "report" line in the audit log; a handled report adds its decision line
  (dismiss → approve, hide → hide, suspend → suspend), by the same moderator at the same time;
* every hidden post or message gets a hidden case (state "hidden");
* every suspension becomes a generic ``Suspension`` with its own audit line (no end = ban).

The reverse brings the columns and tables back empty: data moved forward is not moved back.
"""

from django.db import migrations

REASONS = {
    "unsafe": "abuse",
    "offensive": "abuse",
    "scam": "illegal",
    "spam": "spam",
    "contact": "personal_data",
    "other": "other",
}
DECISIONS = {"dismissed": "approve", "hide": "hide", "suspend": "suspend"}


def carry_over(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ExReport = apps.get_model("exchange", "Report")
    ExSuspension = apps.get_model("exchange", "Suspension")
    Post = apps.get_model("exchange", "Post")
    Message = apps.get_model("exchange", "Message")
    Persona = apps.get_model("community", "Persona")
    Case = apps.get_model("moderation", "ModerationCase")
    Report = apps.get_model("moderation", "Report")
    Action = apps.get_model("moderation", "ModerationAction")
    Suspension = apps.get_model("moderation", "Suspension")

    if not (
        ExReport.objects.exists()
        or ExSuspension.objects.exists()
        or Post.objects.filter(is_hidden=True).exists()
        or Message.objects.filter(is_hidden=True).exists()
    ):
        return
    types = {
        "post": ContentType.objects.get_or_create(app_label="exchange", model="post")[0],
        "message": ContentType.objects.get_or_create(app_label="exchange", model="message")[0],
        "persona": ContentType.objects.get_or_create(app_label="community", model="persona")[0],
    }

    def author_of(kind, obj):
        if kind == "post":
            return Persona.objects.get(pk=obj.persona_id)
        if kind == "message":
            return Persona.objects.get(pk=obj.author_id)
        return obj

    def excerpt(kind, obj):
        if kind == "post":
            return f"{obj.title}\n{obj.description}"[:500]
        if kind == "message":
            return obj.body[:500]
        return f"{obj.display_name}\n{obj.description}".strip()[:500]

    def case_for(kind, obj):
        author = author_of(kind, obj)
        case, _created = Case.objects.get_or_create(
            content_type=types[kind],
            object_id=obj.pk,
            defaults={
                "author": author,
                "author_account_id": author.account_id,
                "excerpt": excerpt(kind, obj),
            },
        )
        return case

    open_cases: set[int] = set()
    for report in ExReport.objects.order_by("created_at", "id"):
        kind = "post" if report.post_id else "message" if report.message_id else "persona"
        obj = (
            report.post
            if report.post_id
            else report.message
            if report.message_id
            else report.persona
        )
        case = case_for(kind, obj)
        reason = REASONS.get(report.reason, "other")
        if report.reporter_id is not None:
            _report, created = Report.objects.get_or_create(
                reporter_id=report.reporter_id,
                content_type=types[kind],
                object_id=obj.pk,
                defaults={
                    "case": case,
                    "reason": reason,
                    "text": report.details[:1000],
                    "created_at": report.created_at,
                },
            )
            if created:
                case.report_count += 1
                case.top_reason = case.top_reason or reason
        Action.objects.create(
            case=case,
            actor_id=report.reporter_id,
            action="report",
            reason=reason,
            note=report.details[:1000],
            target_account_id=case.author_account_id,
            content_label=f"{types[kind].app_label}.{types[kind].model}",
            created_at=report.created_at,
        )
        if report.status == "open":
            open_cases.add(case.pk)
            case.state = "pending"
            if case.opened_at > report.created_at:
                case.opened_at = report.created_at
        else:
            done = "dismissed" if report.status == "dismissed" else report.resolution.split(":")[0]
            action = DECISIONS.get(done, "hide")
            when = report.handled_at or report.created_at
            Action.objects.create(
                case=case,
                actor_id=report.handled_by_id,
                action=action,
                reason="" if action == "approve" else reason,
                note=report.resolution[:1000],
                target_account_id=case.author_account_id,
                content_label=f"{types[kind].app_label}.{types[kind].model}",
                waited=max(0, int((when - report.created_at).total_seconds())),
                created_at=when,
            )
            if case.pk not in open_cases:
                # the content stays as the moderator left it: hidden only if it was hidden
                case.state = "hidden" if getattr(obj, "is_hidden", False) else "approved"
                case.decided_by_id, case.decided_at = report.handled_by_id, when
                case.public_reason = "" if action == "approve" else reason
        case.save()

    for kind, model in (("post", Post), ("message", Message)):
        for obj in model.objects.filter(is_hidden=True):
            case = case_for(kind, obj)
            case.is_hidden = True
            if case.pk not in open_cases:
                case.state = "hidden"
            case.save()

    for suspension in ExSuspension.objects.order_by("created_at", "id"):
        action = Action.objects.create(
            case=None,
            actor_id=suspension.created_by_id,
            action="suspend" if suspension.ends_at else "ban",
            reason="other",
            note=suspension.reason[:1000],
            target_account_id=suspension.user_id,
            content_label="exchange",
            created_at=suspension.created_at,
        )
        Suspension.objects.create(
            account_id=suspension.user_id,
            action=action,
            ends_at=suspension.ends_at,
            reason="other",
            lifted_at=suspension.lifted_at,
            created_at=suspension.created_at,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("exchange", "0001_initial"),
        ("moderation", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(carry_over, migrations.RunPython.noop),
        migrations.RemoveIndex(
            model_name="report",
            name="exchange_report_queue",
        ),
        migrations.RemoveConstraint(
            model_name="report",
            name="exchange_report_one_target",
        ),
        migrations.RemoveConstraint(
            model_name="report",
            name="exchange_report_open_once_post",
        ),
        migrations.RemoveConstraint(
            model_name="report",
            name="exchange_report_open_once_message",
        ),
        migrations.RemoveConstraint(
            model_name="report",
            name="exchange_report_open_once_persona",
        ),
        migrations.RemoveField(
            model_name="message",
            name="is_hidden",
        ),
        migrations.RemoveField(
            model_name="post",
            name="is_hidden",
        ),
        migrations.RemoveField(
            model_name="report",
            name="handled_by",
        ),
        migrations.RemoveField(
            model_name="report",
            name="message",
        ),
        migrations.RemoveField(
            model_name="report",
            name="persona",
        ),
        migrations.RemoveField(
            model_name="report",
            name="post",
        ),
        migrations.RemoveField(
            model_name="report",
            name="reporter",
        ),
        migrations.DeleteModel(
            name="Suspension",
        ),
        migrations.DeleteModel(
            name="Report",
        ),
    ]
