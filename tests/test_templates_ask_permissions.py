"""Templates ask, never restate: a walk over every project template for spelled-out rules.

Who may do what is decided by the named predicates in each app's ``permissions.py``. A
template asks them (``{% may "ideas.edit_comment" user comment as ok %}``, or ``rules``'
``{% has_perm %}``) or shows a boolean a view computed by calling a predicate (``can_manage``,
``owner``). This test fails, naming file and line, when a template's tag spells a rule out:

* ``user-compared``: the current user (``user``, ``request.user``) or a co-design
  ``participant`` compared with anything (``comment.persona.account_id == user.pk``);
* ``ownership-compared``: an ownership field compared with anything (``x.author.id == …``,
  ``….user_id != …``, ``….account_id``, ``….persona_id``, ``….owner_id``, ``….created_by``);
* ``account-flag``: ``is_staff`` / ``is_superuser``;
* ``role-check``: roles, memberships or groups read in a tag (``… .role == "moderator"``);
* ``ownership-combined``: an ownership boolean (``owner``, ``is_author``, ``is_own``,
  ``mine``…) combined with sign-in or content state (``user.is_authenticated``,
  ``…moderation_hidden``, ``hidden``, ``….status``, ``….phase``, ``….closed_at``) in one
  condition — the combination is the rule, so it belongs in a predicate.

Allowed (display only, listed so nobody has to guess):

* ``{% if user.is_authenticated %}`` / ``{% if not user.is_authenticated %}``, alone or with
  conditions that are not ownership (a sign-in link, the follow form, a ``data-`` flag);
* ``{% may … %}`` and ``{% has_perm … %}`` (they ask), and Django's ``perms.app.codename``;
* a view- or selector-computed boolean used alone (``{% if owner %}``, ``{% if can_manage %}``);
* comparisons that involve no user or ownership field (``owner.pk == filters.owner`` to mark
  the selected filter option, ``m.side == side`` to style one's own messages).

Only ``{% … %}`` tags are read (``{{ … }}`` cannot compare); ``{# … #}`` and
``{% comment %}`` blocks are skipped.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines

ROOT = Path(settings.BASE_DIR).resolve()

ACTORS = {"user", "participant"}
OWNERSHIP_FIELDS = {
    "author",
    "author_id",
    "account",
    "account_id",
    "user",
    "user_id",
    "owner_id",
    "persona_id",
    "created_by",
    "created_by_id",
}
OWNERSHIP_NAME = re.compile(r"^(is_|am_)?(own|owns|owner|owners|mine|author|authored)(_\w+)?$")
STATE_WORDS = re.compile(
    r"\buser\.is_authenticated\b|\bmoderation_hidden\b|(?<![\w.])hidden\b"
    r"|\.(status|phase|closed_at|is_merged|is_hidden|is_finished)\b"
)
ROLE_WORDS = re.compile(r"\.(role|roles|memberships|groups)\b|\bhas_role\b|\bRole\.")
ACCOUNT_FLAGS = re.compile(r"\b(is_staff|is_superuser)\b")
TAG = re.compile(r"\{%-?\s*(.*?)\s*-?%\}", re.DOTALL)
NOTE = re.compile(r"\{#.*?#\}", re.DOTALL)
COMMENT_BLOCK = re.compile(r"\{%\s*comment\b.*?%\}.*?\{%\s*endcomment\s*%\}", re.DOTALL)
OPERAND = r"[\w.]+|'[^']*'|\"[^\"]*\""
COMPARISON = re.compile(rf"({OPERAND})\s*(==|!=|<=|>=|<|>)\s*({OPERAND})")
CONDITION_TAGS = {"if", "elif", "with", "firstof"}
ASKING_TAGS = {"may", "has_perm", "test_rule"}


def _blank(match: re.Match) -> str:
    """A skipped block, kept as its newlines so line numbers stay true."""
    return "\n" * match.group(0).count("\n")


def _names(operand: str) -> list[str]:
    if operand[:1] in "'\"":
        return []
    return operand.split(".")


def _compares_a_rule(left: str, right: str) -> str | None:
    sides = [_names(left), _names(right)]
    if any(
        (names[:1] and names[0] in ACTORS) or names[:2] == ["request", "user"] for names in sides
    ):
        return "user-compared"
    if any(set(names[1:]) & OWNERSHIP_FIELDS for names in sides):
        return "ownership-compared"
    return None


def problems_in_tag(tag: str) -> list[str]:
    """The kinds of spelled-out rule in one tag's contents (``if a and b``), if any."""
    words = tag.split()
    if not words or words[0] in ASKING_TAGS or words[0] not in CONDITION_TAGS:
        return []
    body = tag[len(words[0]) :]
    found = []
    for left, _op, right in COMPARISON.findall(body):
        kind = _compares_a_rule(left, right)
        if kind:
            found.append(kind)
    if ACCOUNT_FLAGS.search(body):
        found.append("account-flag")
    if ROLE_WORDS.search(body):
        found.append("role-check")
    clauses = re.split(r"\b(?:and|or)\b", body)
    roots = {
        m.group(1) for clause in clauses for m in re.finditer(r"(?<![\w.])([A-Za-z_]\w*)", clause)
    }
    owned = any(OWNERSHIP_NAME.match(root) for root in roots)
    if len(clauses) > 1 and owned and STATE_WORDS.search(body):
        found.append("ownership-combined")
    return found


def problems_in_text(text: str) -> list[tuple[int, str, str]]:
    """(line, kind, tag) for every spelled-out rule in a template's source."""
    text = COMMENT_BLOCK.sub(_blank, text)
    text = NOTE.sub(_blank, text)
    found = []
    for match in TAG.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        for kind in problems_in_tag(match.group(1)):
            found.append((line, kind, " ".join(match.group(0).split())))
    return found


def project_templates() -> list[Path]:
    """Every file in the project's template folders (settings DIRS and apps'), not .venv."""
    folders = set()
    for engine in engines.all():
        for folder in getattr(engine, "template_dirs", ()):
            path = Path(folder).resolve()
            if path.is_relative_to(ROOT) and ".venv" not in path.relative_to(ROOT).parts:
                folders.add(path)
    return sorted(file for folder in folders for file in folder.rglob("*") if file.is_file())


def test_the_walk_covers_every_app_with_templates():
    names = {str(p.relative_to(ROOT)) for p in project_templates()}
    for expected in (
        "templates/base.html",
        "ideas/templates/ideas/board.html",
        "ideas/templates/ideas/includes/comment.html",
        "community/exchange/templates/exchange/post_detail.html",
        "ideas/codesign/templates/codesign/_note.html",
        "cms/templates/cms/home_page.html",
    ):
        assert expected in names
    assert not any(".venv" in n or "site-packages" in n for n in names)


def test_no_template_spells_out_a_permission_rule():
    failures = []
    for path in project_templates():
        name = str(path.relative_to(ROOT))
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for line, kind, tag in problems_in_text(text):
            failures.append(f"{name}:{line}: {kind}: {tag}")
    assert not failures, "Templates restate permission rules; ask a predicate instead:\n" + (
        "\n".join(failures)
    )


@pytest.mark.parametrize(
    ("planted", "kind"),
    [
        ("{% if comment.persona.account_id == user.pk %}x{% endif %}", "user-compared"),
        ("{% if user.pk != idea.persona.account_id %}x{% endif %}", "user-compared"),
        ("{% if request.user == post.author %}x{% endif %}", "user-compared"),
        ("{% if note.author.id == participant.pk or facilitator %}x{% endif %}", "user-compared"),
        ("{% if item.owner_id == viewer_id %}x{% endif %}", "ownership-compared"),
        ("{% if x.persona.user == y %}x{% endif %}", "ownership-compared"),
        ("{% if user.is_staff %}x{% endif %}", "account-flag"),
        ("{% elif request.user.is_superuser %}x{% endif %}", "account-flag"),
        ('{% if membership.role == "moderator" %}x{% endif %}', "role-check"),
        ("{% if user.memberships.exists %}x{% endif %}", "role-check"),
        ("{% if user.is_authenticated and not is_author %}x{% endif %}", "ownership-combined"),
        ("{% if not idea.moderation_hidden or is_author %}x{% endif %}", "ownership-combined"),
        ("{% if owner and not post.closed_at %}x{% endif %}", "ownership-combined"),
        (
            "<p>\n{% if user.is_authenticated\n   and not owner and not hidden %}x{% endif %}",
            "ownership-combined",
        ),
    ],
)
def test_a_planted_rule_is_caught_with_its_line(planted, kind):
    text = "{% load i18n %}\n<div>\n" + planted
    found = problems_in_text(text)
    assert found, planted
    line, found_kind, _tag = found[0]
    assert found_kind == kind
    assert line == 3 + planted[: planted.index("{%")].count("\n")


@pytest.mark.parametrize(
    "allowed",
    [
        "{% if user.is_authenticated %}<a>sign out</a>{% endif %}",
        '{% if not user.is_authenticated %}<a href="/login">{% endif %}',
        'data-x="{% if user.is_authenticated %}true{% else %}false{% endif %}"',
        "{% if why_not and not supported and not idea.support_action and user.is_authenticated %}"
        "{% endif %}",
        '{% may "ideas.edit_comment" user comment as ok %}{% if ok %}x{% endif %}',
        "{% has_perm 'backlog.manage_backlog' user agency as can %}",
        "{% if perms.wagtailadmin.access_admin %}x{% endif %}",
        "{% if owner %}x{% endif %}{% if is_own %}y{% endif %}",
        "{% if item.owner %}{{ item.owner.username }}{% endif %}",
        "{% if owner.pk == filters.owner %} selected{% endif %}",
        "{% if m.side == side %} mine{% endif %}",
        '{% if request.path == u %} aria-current="page"{% endif %}',
        "{% if may_report and not hidden %}x{% endif %}",
        "{% comment %}{% if user.is_staff %}{% endcomment %}{# {% if user.is_staff %} #}",
        "{% if can_manage and allowed %}x{% endif %}",
    ],
)
def test_display_only_forms_are_allowed(allowed):
    assert problems_in_text(allowed) == []
