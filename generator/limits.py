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
MAX_IMAGE_BYTES = 10 * 1024 * 1024  # one figure's file: a photo at print quality is well under
MAX_IMAGE_SIDE = 12_000  # pixels, either side of a PNG/JPEG (or of an SVG's viewBox drawn at 1:1)
# Pixels of one PNG/JPEG: a small file can declare a huge canvas that decoding would allocate
# (a "decompression bomb"); 40 megapixels is a 7,700 x 5,200 image, more than any slide needs.
MAX_IMAGE_PIXELS = 40_000_000
MAX_SVG_ELEMENTS = 20_000  # elements of one SVG drawing
MAX_CHART_POINTS = 200  # categories of one chart
MAX_CHART_SERIES = 20
