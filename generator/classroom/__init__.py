"""``modgen classroom``: a live quiz and discussion session run from the trainer's laptop.

One lesson's questions, discussion prompts and case studies become the steps of a session
(``session``: the model, in memory only); a Starlette app serves the trainer's projector view and
the participants' phone view and pushes every change over WebSockets (``app``); ``serve`` runs it
on uvicorn until Ctrl+C. Nothing leaves the laptop: no cloud service, no file written unless the
trainer asks for the aggregate results.
"""

from __future__ import annotations

from generator.i18n import Catalog

text = Catalog("classroom")
