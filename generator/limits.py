"""Resource bounds for course files, which may come from other organisations (see docs/security.md).

One place so that the loader, the docs and the tests agree on the numbers.
"""

MAX_FILE_BYTES = 2 * 1024 * 1024  # one YAML file; the largest real lesson is well under 100 kB
MAX_STRING_CHARS = 200_000  # one text value
MAX_NODES_PER_FILE = 200_000  # values after alias expansion: stops "billion laughs"
MAX_NESTING = 40  # levels of mappings/lists; checked on parser events, before anything recurses
MAX_NUMBER_CHARS = 100  # one number literal; int() of thousands of digits fails or takes long
MAX_LESSON_FILES = 5_000  # lessons + quizzes: a national catalogue of 2,000 lessons fits
MAX_QUESTIONS_PER_QUIZ = 1_000
MAX_ASSET_BYTES = 20 * 1024 * 1024  # a logo or a slide template
