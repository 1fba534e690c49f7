"""The Prompt objects get_prompt hands out: version info, and render() with the server's semantics."""

import json

from ._render import Compiled, fallback_content


class Prompt:
    """One prompt version as served to an environment (or a hard-coded fallback, version 0).

    ``render(variables)`` fills in the variables exactly as the server would: a string for a text
    prompt, a list of ``{"role", "content"}`` dicts for a chat prompt. It raises
    LecternValidationError for missing or mistyped variables.
    """

    __slots__ = (
        "name",
        "version",
        "environment",
        "type",
        "template",
        "variables",
        "config",
        "experiment",
        "rollout",
        "composition",
        "subject",
        "source",
        "_compiled",
    )

    def __init__(self, response, source):
        self.name = response["name"]
        self.version = response["version"]
        self.environment = response["environment"]
        self.type = response["type"]
        self.template = response["template"]
        self.variables = response["variables"]
        self.config = response.get("config") or {}
        self.experiment = response.get("experiment")
        # While a guarded rollout ramps the prompt: {"id", "arm": "new" | "live"} for the subject; else None.
        self.rollout = response.get("rollout")
        # What the answer composes: {"prompt": {"name", "version"}, "partials": [{"name", "version"}]}; None when
        # the server did not say (an older server, or a fallback).
        self.composition = response.get("composition")
        self.subject = response.get("subject")
        self.source = source
        served = response.get("partials") or {}
        # Compiled once per response; the objects served for it (one per source) share it.
        self._compiled = Compiled(
            {"type": self.type, "template": self.template, "variables": self.variables},
            {k: p["template"] for k, p in served.items()},
            {k: p.get("variables") or [] for k, p in served.items()},
        )

    @property
    def is_fallback(self):
        """True only when the hard-coded ``fallback`` of get_prompt is being served."""
        return self.source == "fallback"

    def render(self, variables=None):
        return self._compiled.render(variables or {})

    def compile(self, variables=None, **kwargs):
        """render() with keyword arguments too (Langfuse's name for it): ``p.compile(name="Ada")``."""
        values = dict(variables or {})
        values.update(kwargs)
        return self.render(values)

    def event_fields(self, subject=None):
        """The fields that attribute a track() event to this prompt version (and its experiment variant)."""
        out = {"prompt": self.name, "version": self.version, "environment": self.environment}
        if subject is not None or self.subject is not None:
            out["subject"] = subject if subject is not None else self.subject
        if self.experiment:
            out["experimentId"] = self.experiment.get("id")
            out["variant"] = self.experiment.get("variant")
            if self.experiment.get("phase") is not None:
                out["phase"] = self.experiment["phase"]
        if self.composition is not None:
            out["partials"] = partials_key(self.composition)
        return out

    def telemetry(self, subject=None, variables=None):
        """OpenTelemetry span attributes that link a model call to this version (and its experiment arm),
        for Lectern's OTLP endpoint (POST /api/v1/otel/v1/traces): ``span.set_attributes(p.telemetry(user_id))``."""
        out = {
            "lectern.prompt.name": self.name,
            "lectern.prompt.version": self.version,
            "lectern.environment": self.environment,
        }
        who = subject if subject is not None else self.subject
        if who is not None:
            out["lectern.subject"] = who
        if variables is not None:
            out["lectern.variables"] = json.dumps(variables, separators=(",", ":"), ensure_ascii=False)
        if self.experiment:
            out["lectern.experiment.id"] = self.experiment.get("id")
            out["lectern.experiment.variant"] = self.experiment.get("variant")
            if self.experiment.get("phase") is not None:
                out["lectern.experiment.phase"] = self.experiment["phase"]
        if self.composition is not None:
            out["lectern.prompt.partials"] = partials_key(self.composition)
        return out

    def with_source(self, source):
        """The same prompt, labelled with another source ("cache", "network", "bootstrap")."""
        p = Prompt.__new__(Prompt)
        for slot in Prompt.__slots__:
            setattr(p, slot, getattr(self, slot))
        p.source = source
        return p

    def __repr__(self):
        return "<Prompt %s v%d (%s, %s, from %s)>" % (self.name, self.version, self.type, self.environment, self.source)


def prompt_from_fallback(name, environment, fallback):
    content = fallback_content(fallback)
    response = dict(content, name=name, version=0, environment=environment, experiment=None, partials={})
    return Prompt(response, "fallback")


def partials_key(composition):
    """``name@version`` of each partial, sorted, joined by commas: what events and spans carry."""
    ordered = sorted((p["name"], p["version"]) for p in composition.get("partials") or [])
    return ",".join("%s@%d" % pair for pair in ordered)
