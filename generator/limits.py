"""Resource bounds for course files, which may come from other organisations (see docs/security.md).

One place so that the loader, the docs and the tests agree on the numbers.
"""

MAX_FILE_BYTES = 2 * 1024 * 1024  # one YAML file; the largest real lesson is well under 100 kB
MAX_STRING_CHARS = 200_000  # one text value
MAX_NODES_PER_FILE = 200_000  # values after alias expansion: stops "billion laughs"
#: Characters of text in one file after alias expansion, counted while values are built: an alias
#: repeats a 200,000-character text for the cost of one value. Ten times the longest real lesson
#: (under 100 kB); the budget of one lesson's (or quiz's) text, which every output then renders.
MAX_TEXT_PER_FILE = 1_000_000
MAX_NESTING = 40  # levels of mappings/lists; checked on parser events, before anything recurses
MAX_NUMBER_CHARS = 100  # one number literal; int() of thousands of digits fails or takes long
MAX_LESSON_FILES = 5_000  # lessons + quizzes: a national catalogue of 2,000 lessons fits
MAX_QUESTIONS_PER_QUIZ = 1_000
MAX_ASSET_BYTES = 20 * 1024 * 1024  # a logo or a slide template
#: translations.lock in the line format modgen writes (one line of ~80 bytes per text and language:
#: 200,000 of them). A lock edited by hand is read as YAML, under MAX_FILE_BYTES.
MAX_LOCK_BYTES = 16 * 1024 * 1024
#: An image's declared size. Decoders allocate width × height × 4 bytes: 100,000 × 100,000 pixels is
#: a few kB of PNG and 40 GB in a viewer. 16,384 is the largest texture side browsers and
#: LibreOffice draw; 40 megapixels is more than a 300-dpi A3 scan (5,000 × 7,000 = 35 MP).
MAX_IMAGE_SIDE = 16_384
MAX_IMAGE_PIXELS = 40_000_000
#: Zip containers (a deck template), checked on their directory before any member is inflated. A
#: real template has 30–300 parts and unpacks to a few MB (pictures do not compress, XML ~10 times):
#: these leave room for large ones and keep what a build holds in memory far below a gigabyte.
MAX_ZIP_ENTRIES = 4_000
MAX_ZIP_UNCOMPRESSED = 64 * 1024 * 1024  # all members together, inflated
MAX_ZIP_RATIO = 100  # inflated / compressed, for a member larger than MAX_ZIP_RATIO_FROM
MAX_ZIP_RATIO_FROM = 1024 * 1024
MAX_SVG_ELEMENTS = 20_000  # elements of one SVG drawing (a figure)
MAX_CHART_POINTS = 200  # categories of one chart
MAX_CHART_SERIES = 20
