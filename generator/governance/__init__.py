"""Content governance: who owns a lesson, when it is reviewed and approved, and what changed.

``review``     review metadata as a check: overdue reviews (validate), release readiness (build --release)
``revisions``  a side of a diff: a course folder, or a git revision of one read into a temporary folder
``diff``       the semantic diff of two loaded courses: what changed, per language, word by word
``touches``    which outputs each change touches: decks (down to the slide), site pages, exports
``report``     the diff as text for the terminal, one HTML page for a reviewer, or JSON for tools
``changelog``  the release notes section a trainer reads (Markdown, every course language)

Nothing here is imported by a build that does not ask for it (``modgen --help`` stays fast).
"""


class BadToday(ValueError):
    """``MODGEN_TODAY`` is set but is not a date (a usage error, not a content error)."""
