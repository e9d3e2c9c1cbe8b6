"""Who may act: the role table, held by the command specs (docs/reference.md lists it)."""

from __future__ import annotations

from policies.refusals import Refused, names, subject


def check_role(spec, role: str, kind: str, key: str, state: str | None) -> None:
    if spec.roles and role not in spec.roles:
        raise Refused(
            f"{subject(kind, key, state)}: role {role} may not {spec.name}; allowed roles: {', '.join(spec.roles)}",
            zh=f"{subject(kind, key, state)}：«role:{role}»不能«trigger:{spec.name}»；可执行的角色：{names('role', spec.roles)}",
        )
