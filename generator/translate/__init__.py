"""Translation in the translators' own tools: XLIFF 2.1 and PO exchange files, a lock that notices
stale translations, and a term base.

``units`` says what a translatable text is and how it is named; ``xliff`` and ``po`` write and read
the exchange files; ``writeback`` puts translations into the YAML without touching anything else;
``lock`` keeps the digest of the source each translation was made from; ``glossary`` is the term
base and its checks; ``workflow`` is what the ``modgen translate`` commands do.
"""
