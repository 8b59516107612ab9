"""Demo pages: the Northvale home page as the site root. Idempotent."""

from __future__ import annotations

from wagtail.models import Page, Site

from cms.models import HomePage

ORDER = 20

HOME = {
    "title": "Northvale Commons",
    "slug": "home",
    "hero_title": "Make Northvale's services work for you",
    "hero_text": (
        "Find a council service, tell us how to improve it, back other people's ideas and "
        "join the workshops where services are redesigned — with the people who run them."
    ),
    "body": (
        "<p>Every service page is also a way in to improving that service. When an agency "
        "asks a question, you can post ideas and support the ones you like; designers take "
        "the best into live co-design sessions, and you hear back when anything changes.</p>"
    ),
}


def seed(context: dict) -> dict:
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        # Wagtail's initial migration leaves a plain welcome page at the site root: replace it.
        for page in root.get_children().exact_type(Page):
            if page.slug == "home":
                page.delete()
        home = root.add_child(instance=HomePage(**HOME))
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=8000,
            root_page=home,
            is_default_site=True,
            site_name="Northvale Commons",
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = "Northvale Commons"
        site.save()
    return {"home": home}
