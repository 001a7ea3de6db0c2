"""Localised text, the one value type every part of modgen shares: the model's fields, the
interface catalogues (generator.i18n) and the outputs. Kept apart from the model so that i18n can
build one without importing the model (the model asks i18n for its true/false labels)."""

import re
from typing import Any

from pydantic import RootModel, model_validator

_LANG_KEY = re.compile(r"^[a-z]{2,3}$")

#: The key under which a plain string is stored: text that is the same in every language.
ANY_LANGUAGE = "*"


class Text(RootModel[dict[str, str]]):
    """Localised text: ``"plain"`` (single-language course) or ``{nl: "…", en: "…"}``."""

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> dict:
        return {
            "title": "Text",
            "description": "text, or a mapping of language code to text: {nl: …, en: …}",
            "anyOf": [
                {"type": "string"},
                {"type": "object", "additionalProperties": {"type": "string"},
                 "propertyNames": {"pattern": "^[a-z]{2,3}$"}, "minProperties": 1},
            ],
        }

    @model_validator(mode="before")
    @classmethod
    def _plain_string(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {ANY_LANGUAGE: value}
        if isinstance(value, dict):
            odd = [k for k, v in value.items() if v is None or not _LANG_KEY.match(str(k))]
            if odd:
                # `{nl: Ja, klopt, en: Yes}` parses as keys 'klopt' with no value: a classic trap.
                raise ValueError(f"'{odd[0]}' is not a language code; a comma or colon inside "
                                 "{nl: …, en: …} splits the text — put the text in quotes")
            return {str(k): v for k, v in value.items()}
        if isinstance(value, Text):
            return value.root
        raise ValueError("expected text, or a mapping of language to text such as {nl: …, en: …}")

    def get(self, lang: str) -> str:
        """The text in ``lang``. The loader has checked that every course language is present."""
        root = self.root
        if lang in root:
            return root[lang]
        return root.get(ANY_LANGUAGE, "")

    def languages(self) -> set[str]:
        return set(self.root)

    def __str__(self) -> str:  # pragma: no cover - debugging aid
        return " / ".join(f"{k}: {v}" for k, v in self.root.items())
