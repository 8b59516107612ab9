"""Open innovation: what citizens and agencies make together.

Owns challenges, ideas, support (votes), comments and similar-idea search on the live idea
boards; co-design sessions; agency innovation backlogs and the public roadmap; and insight
from participation events. Depends on ``community`` (personas, permissions, notifications,
moderation hooks) and ``realtime`` (publishing); never on ``cms``.
"""
