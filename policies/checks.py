"""Every rule family, imported so that their checks register (policies.rules.RULES)."""

from policies import acceptance, design, earthworks, funds, patrols, procurement, programme, sequencing  # noqa: F401
from policies import stewardship, writeoff  # noqa: F401
