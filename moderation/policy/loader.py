"""Reading policies/*.toml: validated with marshmallow into frozen dataclasses."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, validate, validates_schema

from moderation.detectors.registry import DETECTOR_SIGNALS
from moderation.enums import Action, ClauseKind, CoralCategory, Lane, Script
from moderation.errors import PolicyError
from moderation.policy.model import (
    CLAUSE_ID_PATTERN,
    Calibration,
    Clause,
    Coordinated,
    DetectorSignal,
    LabelCalibration,
    LabelSignal,
    Moderation,
    Policy,
    Surge,
)
from moderation.scoring.labels import KNOWN_LABELS

_probability = validate.Range(min=0.0, max=1.0)
CALIBRATION_NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$"
#: Where a policy's calibration files live, beside the policy files.
CALIBRATION_FOLDER = "calibrations"


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class LabelSignalSchema(_Strict):
    label = fields.String(required=True, validate=validate.OneOf(KNOWN_LABELS))
    review = fields.Float(validate=_probability, load_default=None)
    reject = fields.Float(validate=_probability, load_default=None)

    @validates_schema
    def _bands(self, data: Mapping[str, Any], **_: Any) -> None:
        if data.get("review") is None and data.get("reject") is None:
            raise ValidationError("give a review or a reject threshold", "review")
        if None not in (data.get("review"), data.get("reject")) and data["review"] > data["reject"]:
            raise ValidationError("review threshold must not exceed the reject threshold", "review")


class DetectorSignalSchema(_Strict):
    signal = fields.String(required=True, validate=validate.OneOf(DETECTOR_SIGNALS))
    action = fields.Enum(Action, by_value=True, required=True)
    min_score = fields.Float(validate=_probability, load_default=0.0)
    confirm = fields.Dict(keys=fields.String(validate=validate.OneOf(KNOWN_LABELS)),
                          values=fields.Float(validate=_probability), load_default=dict)
    confirm_quoted = fields.Dict(keys=fields.String(validate=validate.OneOf(KNOWN_LABELS)),
                                 values=fields.Float(validate=_probability), load_default=dict)


class ClauseSchema(_Strict):
    id = fields.String(required=True, validate=validate.Regexp(
        CLAUSE_ID_PATTERN, error="a clause id is lower-case letters, digits and _, starting with a letter"))
    title = fields.String(required=True, validate=validate.Length(min=1))
    reason = fields.String(required=True, validate=validate.Length(min=1))
    lane = fields.Enum(Lane, by_value=True, load_default=Lane.REVIEW)
    labels = fields.List(fields.Nested(LabelSignalSchema), load_default=list)
    detectors = fields.List(fields.Nested(DetectorSignalSchema), load_default=list)
    kind = fields.Enum(ClauseKind, by_value=True, load_default=ClauseKind.HARM)
    coral_category = fields.Enum(CoralCategory, by_value=True, load_default=CoralCategory.TOXIC)
    reader = fields.String(load_default="", validate=validate.Length(max=1000))


class CoordinatedSchema(_Strict):
    size = fields.Integer(load_default=0, validate=validate.Range(min=0))
    window_minutes = fields.Integer(load_default=60, validate=validate.Range(min=1, max=7 * 24 * 60))


class SurgeSchema(_Strict):
    min_comments = fields.Integer(load_default=0, validate=validate.Range(min=0))
    window_minutes = fields.Integer(load_default=60, validate=validate.Range(min=1, max=7 * 24 * 60))
    held_share = fields.Float(load_default=0.0, validate=_probability)
    report_rate = fields.Float(load_default=0.0, validate=validate.Range(min=0.0, max=100.0))
    premoderate = fields.Boolean(load_default=False)


class ModerationSchema(_Strict):
    premoderate = fields.String(load_default="none", validate=validate.OneOf(("none", "all", "links")))
    premoderate_first_comments = fields.Integer(load_default=0, validate=validate.Range(min=0))
    report_threshold = fields.Integer(load_default=3, validate=validate.Range(min=1))
    hide_reported = fields.Boolean(load_default=True)
    review_languages = fields.List(fields.String(validate=validate.OneOf([s.value for s in Script])), load_default=list)
    coordinated = fields.Nested(CoordinatedSchema, load_default=lambda: CoordinatedSchema().load({}))
    surge = fields.Nested(SurgeSchema, load_default=lambda: SurgeSchema().load({}))


class PolicySchema(_Strict):
    name = fields.String(required=True, validate=validate.Length(min=1))
    version = fields.String(required=True, validate=validate.Length(min=1))
    description = fields.String(load_default="")
    allowed_domains = fields.List(fields.String(), load_default=list)
    wordlists = fields.List(fields.String(validate=lambda name: _known_wordlist(name)), load_default=list)
    moderation = fields.Nested(ModerationSchema, load_default=lambda: ModerationSchema().load({}))
    clauses = fields.List(fields.Nested(ClauseSchema), required=True, validate=validate.Length(min=1))
    #: The name of a calibration file in the policies' `calibrations/` folder (`flask moderation calibrate`).
    calibration = fields.String(load_default=None, validate=validate.Regexp(
        CALIBRATION_NAME_PATTERN, error="a calibration name is letters, digits, '.', '_' and '-'"))


class LabelCalibrationSchema(_Strict):
    a = fields.Float(required=True, allow_nan=False)
    b = fields.Float(required=True, allow_nan=False)


class CalibrationSchema(Schema):
    """A calibration file: the curves are read, the figures beside them are for people."""

    class Meta:
        unknown = EXCLUDE

    name = fields.String(required=True, validate=validate.Regexp(CALIBRATION_NAME_PATTERN))
    version = fields.String(required=True, validate=validate.Length(min=1))
    labels = fields.Dict(keys=fields.String(validate=validate.OneOf(KNOWN_LABELS)),
                         values=fields.Nested(LabelCalibrationSchema, unknown=EXCLUDE), required=True)


def _known_wordlist(name: str) -> bool:
    from moderation.detectors.wordlists import available_wordlists

    known = available_wordlists()
    if name not in known:
        raise ValidationError(f"unknown word list {name!r}; known: {', '.join(known)}")
    return True


def _describe(path: Path, raw: Mapping[str, Any], errors: Mapping[str, Any]) -> str:
    """Flatten marshmallow's nested errors into lines naming the file, the clause and the field."""
    lines: list[str] = []

    def walk(node: Any, where: list[str]) -> None:
        if isinstance(node, Mapping):
            for key, value in node.items():
                if where == ["clauses"] and isinstance(key, int):
                    clauses = raw.get("clauses") or []
                    clause = clauses[key] if key < len(clauses) else None
                    clause_id = clause.get("id", f"#{key + 1}") if isinstance(clause, Mapping) else f"#{key + 1}"
                    walk(value, [f"clause {clause_id!r}"])
                else:
                    walk(value, [*where, str(key)])
        else:
            messages = node if isinstance(node, list) else [node]
            lines.append(f"{path}: {' > '.join(where)}: {'; '.join(map(str, messages))}")

    walk(errors, [])
    return "\n".join(lines)


def load_calibration(path: Path) -> Calibration:
    """One calibration file (JSON, as `flask moderation calibrate` writes it); PolicyError names what is wrong."""
    import json

    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        data = CalibrationSchema().load(raw)
    except (OSError, ValueError) as exc:
        raise PolicyError(f"{path}: {exc}") from exc
    except ValidationError as exc:
        raise PolicyError(f"{path}: {exc.messages}") from exc
    return Calibration(data["name"], data["version"],
                       {label: LabelCalibration(**curve) for label, curve in data["labels"].items()})


def _build(data: Mapping[str, Any], source: str) -> Policy:
    clauses = tuple(
        Clause(
            id=c["id"], title=c["title"], reason=c["reason"], lane=c["lane"], kind=c["kind"],
            coral_category=c["coral_category"], reader=c["reader"],
            labels=tuple(LabelSignal(**s) for s in c["labels"]),
            detectors=tuple(DetectorSignal(**{**s, "confirm": tuple(sorted(s["confirm"].items())),
                                              "confirm_quoted": tuple(sorted(s["confirm_quoted"].items()))})
                            for s in c["detectors"]),
        )
        for c in data["clauses"]
    )
    return Policy(
        name=data["name"], version=data["version"], description=data["description"], clauses=clauses,
        allowed_domains=tuple(d.lower() for d in data["allowed_domains"]), wordlists=tuple(data["wordlists"]),
        moderation=Moderation(**{**data["moderation"], "review_languages": tuple(data["moderation"]["review_languages"]),
                                 "coordinated": Coordinated(**data["moderation"]["coordinated"]),
                                 "surge": Surge(**data["moderation"]["surge"])}),
        source=source,
        calibration=_calibration(data, source),
    )


def _calibration(data: Mapping[str, Any], source: str) -> Calibration | None:
    name = data.get("calibration")
    if not name:
        return None
    calibration = load_calibration(Path(source).parent / CALIBRATION_FOLDER / f"{name}.json")
    if calibration.name != name:
        raise PolicyError(f"{source}: calibration file {name}.json names itself {calibration.name!r}")
    return calibration


def load_policy(path: Path) -> Policy:
    """One policy file; PolicyError names the file, the clause and the field of every problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PolicyError(f"{path}: {exc}") from exc
    return load_policy_text(text, path)


def load_policy_text(text: str, path: Path) -> Policy:
    """A policy file's text, read as if it were the file at `path` (its calibration is looked for beside it)."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{path}: {exc}") from exc
    try:
        data = PolicySchema().load(raw)
    except ValidationError as exc:
        raise PolicyError(_describe(path, raw, exc.messages_dict)) from exc
    ids = [c["id"] for c in data["clauses"]]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise PolicyError(f"{path}: clauses: clause ids repeated: {', '.join(duplicates)}")
    return _build(data, str(path))


def check_labels(policies: Iterable[Policy], model: str, labels: Sequence[str]) -> None:
    """PolicyError naming each clause whose model label the loaded model does not produce: such a signal would
    never fire, and the clause would quietly publish what it was written to hold."""
    missing = [f"{p.source}: clause {c.id!r} uses label {s.label!r}"
               for p in policies for c in p.clauses for s in c.labels if s.label not in labels]
    if missing:
        raise PolicyError("\n".join(missing) + f"\n(model {model} gives: {', '.join(labels)})")


def load_policies(directory: Path, default: str | None = None) -> dict[str, Policy]:
    """Every policies/*.toml by policy name; a directory without policies, or without the `default` one, is an
    error."""
    policies: dict[str, Policy] = {}
    for path in sorted(Path(directory).glob("*.toml")):
        policy = load_policy(path)
        if policy.name in policies:
            raise PolicyError(f"{path}: name {policy.name!r} is already used by {policies[policy.name].source}")
        policies[policy.name] = policy
    if not policies:
        raise PolicyError(f"{directory}: no policy files (*.toml)")
    if default is not None and default not in policies:
        raise PolicyError(f"{directory}: no policy named {default!r} (MODERATION_DEFAULT_POLICY); "
                          f"the policies here are named {', '.join(sorted(policies))}")
    return policies
