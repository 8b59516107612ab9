from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeasConfig(AppConfig):
    name = "ideas"
    verbose_name = _("Ideas")

    def ready(self) -> None:
        from community import integrity as integrity_checks
        from community.assisted import register_assist_page
        from community.follows import register_followable
        from community.notifications import register_category
        from community.privacy import register_export
        from community.profiles import register_contributions
        from ideas import (  # noqa: F401 - events declares the board event types
            events,
            integrity,
            moderation,
            permissions,
            places,
            privacy,
            selectors,
            sms,
        )
        from ideas.models import Challenge, Idea

        integrity_checks.register("idea counts", integrity.find_problems)
        register_export("ideas", _("Ideas you posted"), privacy.export_ideas, contributions=True)
        register_export(
            "ideas_comments", _("Comments on ideas"), privacy.export_comments, contributions=True
        )
        register_export("ideas_support", _("Ideas you support"), privacy.export_support)
        register_followable(Challenge, visible=lambda challenge: challenge.is_published)
        register_followable(Idea, visible=lambda idea: idea.merged_into_id is None)
        register_contributions("ideas", _("Ideas and comments"), selectors.public_contributions_of)
        register_category("ideas.comment", _("Comments on your ideas"))
        register_category("ideas.comment_reply", _("Replies to your comments"))
        register_category("ideas.status", _("Decisions on ideas you posted or follow"), text=True)
        register_category("ideas.merged", _("Ideas merged into another"))
        moderation.register()
        places.register()
        sms.register()
        from ideas import outreach

        outreach.register()
        register_assist_page(_("Post an idea for a citizen"), "ideas:assist_idea")
        register_assist_page(_("Support an idea for a citizen"), "ideas:assist_support")
        self.connect_cache_stamps()
        from ideas.search import register_all

        register_all()

    def connect_cache_stamps(self) -> None:
        """What moves the stamps of cached board fragments outside the actions: challenge
        rows, agencies, links and tags, which the admin (or data loading) changes directly
        (ideas/fragments.py)."""
        from django.db.models.signals import m2m_changed, post_delete, post_save
        from taggit.models import Tag

        from community.models import Organisation
        from ideas.fragments import challenges_changed, links_changed, tags_changed
        from ideas.models import Challenge

        for model in (Challenge, Organisation):
            post_save.connect(challenges_changed, sender=model, dispatch_uid="ideas-challenges")
            post_delete.connect(challenges_changed, sender=model, dispatch_uid="ideas-challenges")
        for links in (Challenge.service_pages.through, Challenge.tags.through):
            m2m_changed.connect(links_changed, sender=links, dispatch_uid="ideas-links")
        post_save.connect(tags_changed, sender=Tag, dispatch_uid="ideas-tags")
        post_delete.connect(tags_changed, sender=Tag, dispatch_uid="ideas-tags")
