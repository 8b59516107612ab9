"""The Wagtail CMS: what editors publish.

Owns page types (home, service index, service pages, standard pages, news and campaigns) and
snippets (brand values, life events), the editors' workflow and Wagtail's page API. Shows
challenges and ideas through small selectors and template tags from ``ideas``; never owns them.
"""
