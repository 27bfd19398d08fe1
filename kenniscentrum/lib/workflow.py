"""One workflow mechanism for reports, cases, referrals and tasks.

A workflow is a table of transitions. A transition names the states it leaves from, the state it leads to,
who may take it, the text it asks for, and guards: small named functions that say what stands in the way, or
None. `transition_apply` is the one way a state changes: it locks the row, judges the step on the row as it is
now, writes one history row and sets the state; the workflow's `on_enter` sets the fields that belong to the new
state (a closing time, who answered). `docs/workflows.md` draws the tables.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import row_lock

# Who takes a step. Most steps are taken by staff on the object's own page; a workflow may name others (the
# reporter through the receipt, case management, the receiving organisation of a referral).
STAFF = "staff"

# A guard judges the object and who would take the step (None when a page only asks what to offer).
Guard = Callable[[Any, Any], "str | Promise | None"]


@dataclass(frozen=True)
class Transition:
    name: str
    label: str | Promise
    sources: frozenset[str]
    # None: the step is recorded (with its history row) but the state stays (asking for an approval).
    target: str | None
    guards: tuple[Guard, ...] = ()
    by: frozenset[str] = frozenset({STAFF})
    # The text the step asks for (shown as the field's label), whether it must be written (and what to say when
    # it is not), and the object's field it is kept in besides the history row.
    text_label: str | Promise = ""
    text_required: bool = False
    text_missing: str | Promise = _("Write down the reason.")
    text_field: str = ""


@dataclass(frozen=True)
class Workflow:
    """A table of transitions and what the workflow's objects keep.

    `history` names the model of the history rows ("app.Model", so a workflow table needs no import of the models
    that use it), with a foreign key named `subject` to the object and the fields transition, from_status,
    to_status, actor, reason (lib/models.HistoryRow holds the common ones). `not_possible` says, with %(status)s,
    that a step does not fit the object's state. `on_enter(obj, transition, text, actor)` sets the fields the new
    state carries and returns their names.
    """

    transitions: dict[str, Transition]
    history: str
    subject: str
    not_possible: str | Promise
    on_enter: Callable[[Any, Transition, str, Any], list[str]] = field(default=lambda obj, t, text, actor: [])

    @classmethod
    def of(cls, transitions: list[Transition], **kwargs: Any) -> Workflow:
        return cls({t.name: t for t in transitions}, **kwargs)

    def __getitem__(self, name: str) -> Transition:
        return self.transitions[name]

    def __contains__(self, name: object) -> bool:
        return name in self.transitions

    def available(self, status: str, by: str = STAFF) -> list[Transition]:
        """The steps `by` may take from `status`, in table order (guards not judged)."""
        return [t for t in self.transitions.values() if status in t.sources and by in t.by]

    def step_for(self, status: str, target: str, by: str = STAFF) -> Transition | None:
        """The step from `status` to `target`, for forms that choose the new state rather than the step."""
        return next((t for t in self.available(status, by) if t.target == target), None)

    def fits(self, obj: Any, name: str) -> None:
        """Raises when step `name` does not leave from the object's current state."""
        if obj.status not in self.transitions[name].sources:
            raise ValidationError(str(self.not_possible % {"status": obj.get_status_display()}))

    def blockers(self, obj: Any, name: str, by: str = STAFF, actor: Any = None) -> list[str]:
        """What stands in the way of step `name` before any text is written: to offer a step, or say why not."""
        transition = self.transitions[name]
        if obj.status not in transition.sources:
            return [str(self.not_possible % {"status": obj.get_status_display()})]
        if by not in transition.by:
            return [str(_("This step is for someone else."))]
        return [str(problem) for guard in transition.guards if (problem := guard(obj, actor))]

    def problems(self, obj: Any, name: str, text: str = "", by: str = STAFF, actor: Any = None) -> list[str]:
        """What stands in the way of step `name` with this text; empty when it may be taken."""
        transition = self.transitions[name]
        problems = self.blockers(obj, name, by, actor)
        if transition.text_required and not text.strip() and obj.status in transition.sources:
            problems.append(str(transition.text_missing))
        return problems


@transaction.atomic
def transition_apply(workflow: Workflow, obj: Any, name: str, *, actor: Any, text: str = "", by: str = STAFF) -> Any:
    """Takes step `name` and returns its history row: of two requests at once, the second waits for the first
    and is judged after it."""
    row_lock(obj)
    problems = workflow.problems(obj, name, text, by, actor)
    if problems:
        raise ValidationError(problems)
    transition = workflow[name]
    target = transition.target or obj.status
    step = apps.get_model(workflow.history)._default_manager.create(
        **{workflow.subject: obj},
        transition=name,
        from_status=obj.status,
        to_status=target,
        actor=actor,
        reason=text.strip(),
    )
    obj.status = target
    fields = ["status"]
    if transition.text_field:
        setattr(obj, transition.text_field, text.strip())
        fields.append(transition.text_field)
    fields += workflow.on_enter(obj, transition, text, actor)
    obj.save(update_fields=fields)
    return step
